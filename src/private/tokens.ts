import { Token } from 'aws-cdk-lib';

/** True when a value, or any string, number or list inside it, is an unresolved token: such values are never rejected. */
export function containsToken(value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (Token.isUnresolved(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsToken);
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).some(([k, v]) => Token.isUnresolved(k) || containsToken(v));
  }
  return false;
}
