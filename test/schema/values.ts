import { CfnParameter, Duration, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';

// Values the property-based tests give the constructs: literals, recipes for unresolved tokens (made in the stack
// under test, since a token belongs to one), and Durations of a literal or token amount.

/** The kinds of tokens a value may be. */
export type TokenKind = 'lazy' | 'parameter' | 'import';

/** A recipe for an unresolved token, made in the stack under test. */
export class TokenValue<T> {
  public constructor(public readonly kind: TokenKind, public readonly type: 'string' | 'number' | 'list',
    private readonly maker: (stack: Stack, kind: TokenKind) => T, private readonly prefix = '') {}

  /** The token, in the given stack. */
  public make(stack: Stack): T {
    return this.maker(stack, this.kind);
  }

  public toString(): string {
    return `${this.prefix}<${this.kind} ${this.type} token>`;
  }
}

let parameterCount = 0;
function parameter(stack: Stack, type: string): CfnParameter {
  return new CfnParameter(stack, `TokenParameter${++parameterCount}`, { type });
}

/**
 * An unresolved string: a `Lazy.string`, a `CfnParameter`'s value or `Fn.importValue`, alone or after a literal
 * prefix (a token inside a string).
 */
export function stringToken(kind: TokenKind, prefix = ''): TokenValue<string> {
  return new TokenValue(kind, 'string', (stack, k) => prefix + (k === 'lazy' ? Lazy.string({ produce: () => parameter(stack, 'String').valueAsString })
    : k === 'parameter' ? parameter(stack, 'String').valueAsString : Fn.importValue('SchemaTestString')), prefix);
}

/** An unresolved number: a `Lazy.number`, a `CfnParameter`'s value or `Token.asNumber` of an import. */
export function numberToken(kind: TokenKind): TokenValue<number> {
  return new TokenValue(kind, 'number', (stack, k) => k === 'lazy' ? Lazy.number({ produce: () => parameter(stack, 'Number').valueAsNumber })
    : k === 'parameter' ? parameter(stack, 'Number').valueAsNumber : Token.asNumber(Fn.importValue('SchemaTestNumber')));
}

/** An unresolved list of strings: a `CfnParameter`'s `valueAsList`, a `Lazy.list` or `Fn.split` of an import. */
export function listToken(kind: TokenKind): TokenValue<string[]> {
  return new TokenValue(kind, 'list', (stack, k) => k === 'parameter' ? parameter(stack, 'CommaDelimitedList').valueAsList
    : k === 'lazy' ? Lazy.list({ produce: () => parameter(stack, 'CommaDelimitedList').valueAsList }) : Fn.split(',', Fn.importValue('SchemaTestList')));
}

const KINDS: TokenKind[] = ['lazy', 'parameter', 'import'];
/** Any unresolved string, alone or after a short literal. */
export const anyStringToken = fc.tuple(fc.constantFrom(...KINDS), fc.constantFrom('', 'x-', 'é')).map(([kind, prefix]) => stringToken(kind, prefix));
/** Any unresolved number. */
export const anyNumberToken = fc.constantFrom(...KINDS).map(numberToken);
/** Any unresolved list of strings. */
export const anyListToken = fc.constantFrom(...KINDS).map(listToken);

/** A value, or the token it stands for. */
export type Maybe<T> = T | TokenValue<T>;

/** The value, with a token recipe made into a token of the stack. */
export function made<T>(stack: Stack, value: Maybe<T>): T {
  return value instanceof TokenValue ? value.make(stack) : value;
}

/** Whether a value is (or holds) a token recipe. */
export function isToken(value: unknown): boolean {
  if (value instanceof TokenValue) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(isToken);
  }
  if (value instanceof DurationValue) {
    return value.amount instanceof TokenValue;
  }
  return typeof value === 'object' && value !== null && Object.values(value).some(isToken);
}

/** A Duration in one unit, of a literal amount or a token. */
export class DurationValue {
  public constructor(public readonly amount: Maybe<number>, public readonly unit: 'millis' | 'seconds' | 'minutes' | 'hours' | 'days') {}

  /** The Duration, in the given stack. */
  public make(stack: Stack): Duration {
    return Duration[this.unit](made(stack, this.amount));
  }

  /** The length in seconds of a literal duration. */
  public get seconds(): number {
    const perUnit = { millis: 0.001, seconds: 1, minutes: 60, hours: 3600, days: 86_400 }[this.unit];
    return (this.amount as number) * perUnit;
  }

  public toString(): string {
    return `Duration.${this.unit}(${String(this.amount)})`;
  }
}

/** Shows a value in a message, cut short. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value)
    : value instanceof TokenValue || value instanceof DurationValue ? String(value)
      : JSON.stringify(value, function (this: any, key, v) {
        const raw = key === '' ? value : this[key];
        return raw instanceof TokenValue || raw instanceof DurationValue ? String(raw) : raw instanceof Date ? `Date(${raw.getTime()})` : v;
      }) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 100)}…${text.slice(-40)} (${[...text].length} characters)` : text;
}

