import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SsmOpsValidationError, oneOf, show } from './errors';

// The library's synth-time vocabulary. Each rule is one call, and each message has one shape:
//
//   <construct path>: <property> <value received> <problem>; <what is allowed>
//
// (or `<property> has <count> <things>; <what is allowed>` for rules on how many there are). Values that are
// unresolved tokens are known only at deploy time: no rule rejects them.

/** A value that is given and known at synth time: neither undefined nor an unresolved token. */
export function known<T>(value: T | undefined): value is T {
  return value !== undefined && !Token.isUnresolved(value);
}

/**
 * The length of a text in characters (Unicode code points), as the CloudFormation schemas and the SSM API count
 * them: an emoji is one character, although JavaScript's `length` counts two.
 */
export function chars(text: string): number {
  return [...text].length;
}

/** Throws the library's error for a value: `<property> <value> <problem>; <allowed>`. */
export function reject(scope: IConstruct, property: string, value: unknown, problem: string, allowed?: string): never {
  throw new SsmOpsValidationError(scope, `${property} ${show(value)} ${problem}${allowed ? `; ${allowed}` : ''}`);
}

/** Throws the library's error for a number of things: `<property> has <count> <noun>; <allowed>`. */
export function rejectCount(scope: IConstruct, property: string, count: number, noun: string, allowed: string): never {
  throw new SsmOpsValidationError(scope, `${property} has ${count} ${noun}; ${allowed}`);
}

/**
 * Throws the library's error for a rule between properties, or on a whole list, where no one value is wrong:
 * `<property> <problem>; <allowed>`.
 */
export function rejectCombination(scope: IConstruct, property: string, problem: string, allowed: string): never {
  throw new SsmOpsValidationError(scope, `${property} ${problem}; ${allowed}`);
}

/**
 * Warns about a value that deploys but does not do what its author may expect, with the shape of the errors and a
 * stable ID that users can acknowledge (`cdk-ssm-ops:<id>`).
 */
export function warn(scope: IConstruct, id: string, property: string, value: unknown, problem: string, consequence: string): void {
  Annotations.of(scope).addWarningV2(`cdk-ssm-ops:${id}`, `${property} ${show(value)} ${problem}; ${consequence}`);
}

/** Writes a number for a message: 4,096. */
function amount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Says what a range allows: `1 to 128`, `at most 500`, `0 or more`. */
export function span(min: number, max?: number): string {
  if (max === undefined) {
    return `${amount(min)} or more`;
  }
  return min === 0 ? `at most ${amount(max)}` : min === max ? `exactly ${amount(min)}` : `${amount(min)} to ${amount(max)}`;
}

function withNote(text: string, note?: string): string {
  return note ? `${text} (${note})` : text;
}

/** A pattern a text must match, with what it allows in words (the `allowed` part of the message). */
export interface TextRule {
  readonly pattern: RegExp;
  readonly allowed: string;
}

/**
 * The names of maintenance windows, window targets and tasks, associations and documents (SSM API `DocumentName`,
 * `MaintenanceWindowName`, `AssociationName`).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html
 */
export const RESOURCE_NAME: TextRule = { pattern: /^[a-zA-Z0-9_\-.]{3,128}$/, allowed: "use 3 to 128 letters, digits, '_', '-' or '.'" };

/**
 * A document as the SSM APIs take it where it may be an ARN (SSM API `DocumentARN`, in CreateAssociation and
 * SendCommand): a name, or the ARN of a document shared from another account.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
 */
export const DOCUMENT_ARN: TextRule = {
  pattern: /^[a-zA-Z0-9_\-.:/]{3,128}$/,
  allowed: "use 3 to 128 letters, digits, '_', '-', '.', ':' or '/' (a document shared from another account is named by its ARN)",
};

/**
 * Tag keys of SSM resources: 1 to 128 letters, digits, spaces or `_.:/=+-@`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ssm-document-tag.html
 */
export const TAG_KEY: TextRule = { pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, allowed: 'use 1 to 128 letters, digits, spaces or _.:/=+-@' };

/** Checks a known text against a pattern. */
export function checkPattern(scope: IConstruct, property: string, value: string | undefined, rule: TextRule): void {
  if (known(value) && !rule.pattern.test(value)) {
    reject(scope, property, value, 'is not valid', rule.allowed);
  }
}

/** Checks the length of a known text, in characters. */
export function checkLength(scope: IConstruct, property: string, value: string | undefined, min: number, max: number, note?: string): void {
  if (known(value) && (chars(value) < min || chars(value) > max)) {
    reject(scope, property, value, `has ${chars(value)} characters`, withNote(`use ${span(min, max)}`, note));
  }
}

/** Checks a known text against the values a rule allows, such as the values of an enum. */
export function checkOneOf(scope: IConstruct, property: string, value: string | undefined, allowed: readonly string[]): void {
  if (known(value) && !allowed.includes(value)) {
    reject(scope, property, value, 'is not valid', `use ${oneOf(allowed)}`);
  }
}

/** What a whole number may be. */
export interface WholeNumberRule {
  readonly min: number;
  /** @default - no maximum */
  readonly max?: number;
  /** The unit, as in `a whole number of days`. */
  readonly unit?: string;
  /** Said after what is allowed, in parentheses. */
  readonly note?: string;
}

/** Checks a known number: a whole number in a range. */
export function checkWholeNumber(scope: IConstruct, property: string, value: number | undefined, rule: WholeNumberRule): void {
  const { min, max, unit, note } = rule;
  if (known(value) && (!Number.isInteger(value) || value < min || (max !== undefined && value > max))) {
    const range = max === undefined ? `of ${span(min)}` : `from ${amount(min)} to ${amount(max)}`;
    reject(scope, property, value, 'is not valid', withNote(`use a whole number ${unit ? `of ${unit} ` : ''}${range}`, note));
  }
}

/** Checks how many items a known list has; with no `max`, any number from `min` up. */
export function checkCount(
  scope: IConstruct, property: string, items: readonly unknown[] | undefined, min: number, max: number | undefined, noun: string, note?: string,
): void {
  if (known(items) && (items.length < min || (max !== undefined && items.length > max))) {
    rejectCount(scope, property, items.length, noun, withNote(`use ${span(min, max)}`, note));
  }
}

/**
 * The names of maintenance windows, window targets and tasks, associations and documents.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html
 */
export function checkResourceName(scope: IConstruct, property: string, value: string | undefined): void {
  checkPattern(scope, property, value, RESOURCE_NAME);
}

/**
 * The descriptions of maintenance windows, window targets and tasks, and a window target's owner information:
 * 1 to 128 characters.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html
 */
export function checkDescription(scope: IConstruct, property: string, value: string | undefined): void {
  checkLength(scope, property, value, 1, 128);
}

/**
 * The key prefix of command output in S3: at most 500 characters (SSM API `S3KeyPrefix`, which is stricter than
 * CloudFormation's 1,024).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_S3OutputLocation.html
 */
export function checkKeyPrefix(scope: IConstruct, property: string, value: string | undefined): void {
  checkLength(scope, property, value, 0, 500);
}

/** A unit a duration is written in, for the SSM and CloudFormation properties that take a number. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';

function inUnit(duration: Duration, unit: DurationUnit, integral: boolean): number {
  const options = { integral };
  switch (unit) {
    case 'seconds': return duration.toSeconds(options);
    case 'minutes': return duration.toMinutes(options);
    case 'hours': return duration.toHours(options);
    default: return duration.toDays(options);
  }
}

/**
 * A duration as a whole number of `unit`s within `min` to `max` of them, as the property that takes it wants. A token
 * given in that unit passes unchecked; a token in another unit can't be converted before CloudFormation resolves it
 * (CloudFormation has no arithmetic), so it is refused with the unit to give it in.
 */
export function wholeUnits(
  scope: IConstruct, property: string, duration: Duration, unit: DurationUnit, min: number, max: number, note?: string,
): number {
  if (duration.isUnresolved()) {
    if (duration.unitLabel() !== unit) {
      reject(scope, property, duration, `can't be converted to ${unit} before deployment`, `give the token with Duration.${unit}()`);
    }
    return inUnit(duration, unit, true);
  }
  const value = inUnit(duration, unit, false);
  if (!Number.isInteger(value) || value < min || value > max) {
    // Seconds span several units, so their bounds read better as a person writes them.
    const bound = (n: number) => (unit === 'seconds' ? Duration.seconds(n).toHumanString() : String(n));
    reject(scope, property, duration, 'is not valid', withNote(`use whole ${unit} from ${bound(min)} to ${bound(max)}`, note));
  }
  return value;
}

/** A schedule as the offset rule needs to know it. */
export interface ScheduleKind {
  readonly expressionString: string;
  /** `cron`, `rate`, `at`, `unknown` (a token) or `invalid`. */
  readonly _kind: string;
}

/**
 * A schedule offset (associations and maintenance windows): 1 to 6 days, after a cron schedule's day only.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html
 */
export function checkScheduleOffset(scope: IConstruct, offset: number | undefined, schedule: ScheduleKind | undefined): void {
  if (offset === undefined) {
    return;
  }
  checkWholeNumber(scope, 'scheduleOffset', offset, { min: 1, max: 6, unit: 'days' });
  if (schedule === undefined) {
    reject(scope, 'scheduleOffset', offset, 'needs a cron schedule', 'there is no schedule');
  }
  if (schedule._kind !== 'cron' && schedule._kind !== 'unknown') {
    reject(scope, 'scheduleOffset', offset, 'needs a cron schedule', `the schedule is ${show(schedule.expressionString)}`);
  }
}
