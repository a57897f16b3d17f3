import { IConstruct } from 'constructs';

/**
 * A synth-time error that names the construct it comes from.
 *
 * aws-cdk-lib's own `ValidationError` is `@internal` and changed its constructor inside 2.x, so we keep our own.
 */
export class SsmOpsValidationError extends Error {
  public constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
  }
}

/** Shows a value received from the user in an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 80 ? `'${value.slice(0, 77)}...'` : `'${value}'`;
  }
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Lists allowed values in an error message: `'a', 'b' or 'c'`. */
export function oneOf(values: readonly unknown[]): string {
  const shown = values.map(show);
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}
