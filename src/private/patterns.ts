import { Token } from 'aws-cdk-lib';

/**
 * Compiles a document's allowedPattern. SSM checks patterns with Java and Go regular expressions; a pattern that
 * JavaScript can't compile is not checked here rather than rejected.
 */
export function compilePattern(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string' || Token.isUnresolved(pattern)) {
    return undefined;
  }
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
