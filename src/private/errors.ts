import { Duration, Token } from 'aws-cdk-lib';
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

const MAX_SHOWN = 80;

/**
 * Whether a text is a file path: on one line, with a separator, and absolute, relative to `.` or `..`, or ending in
 * a file name with an extension.
 */
function isFilePath(text: string): boolean {
  return !/[\r\n]/.test(text) && /[\\/]/.test(text)
    && (/^([A-Za-z]:)?[\\/]/.test(text) || /^\.\.?[\\/]/.test(text) || /[\\/][^\\/\s]+\.[A-Za-z0-9]+$/.test(text));
}

/**
 * Shows a value received from the user in an error message, cut to 80 characters. A long file path keeps its end,
 * where the file's name is, whatever the directory it is in; other text keeps its beginning. A number or a duration
 * known only at deploy time shows as `(a token)`; a duration shows as a person writes it, and a date as ISO 8601.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    // Cut by characters, so that an emoji is never cut in half.
    const characters = [...value];
    if (characters.length <= MAX_SHOWN) {
      return `'${value}'`;
    }
    return isFilePath(value) ? `'...${characters.slice(-(MAX_SHOWN - 3)).join('')}'` : `'${characters.slice(0, MAX_SHOWN - 3).join('')}...'`;
  }
  if (value instanceof Duration) {
    return value.isUnresolved() ? `(a token, in ${value.unitLabel()})` : value.toHumanString();
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  if (typeof value === 'number' && Token.isUnresolved(value)) {
    return '(a token)';
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // A value that refers to itself, such as a construct.
    json = undefined;
  }
  return json === undefined ? String(value) : json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 3)}...` : json;
}

/** Lists allowed values in an error message: `'a', 'b' or 'c'`. */
export function oneOf(values: readonly unknown[]): string {
  const shown = values.map(show);
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}
