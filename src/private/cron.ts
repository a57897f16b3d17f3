import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkLength, known, reject } from './validate';

// Checks of the cron and rate expressions that State Manager and maintenance windows take (SSM User Guide,
// https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html).

/** A cron field: its name, its range, the names it takes and the special characters it allows. */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
  readonly special: string[];
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The six fields after the optional leading seconds field. */
export const CRON_FIELDS: CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: [] },
  { name: 'hours', min: 0, max: 23, special: [] },
  { name: 'day-of-month', min: 1, max: 31, special: ['?', 'L', 'W'] },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, special: [] },
  { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, special: ['?', 'L', '#'] },
  { name: 'year', min: 1970, max: 2199, special: [] },
];

/** The parts of a cron expression: the six fields, and the seconds field when one leads. */
export interface CronParts {
  readonly seconds?: string;
  readonly fields: string[];
}

/**
 * Splits `cron(...)` into its fields and checks each one; returns a problem in words, or the parts.
 */
export function parseCron(expression: string): CronParts | string {
  const match = /^cron\((.*)\)$/.exec(expression);
  if (!match) {
    return 'a cron expression is written cron(minutes hours day-of-month month day-of-week year)';
  }
  const tokens = match[1].trim().split(/\s+/);
  if (tokens.length !== 6 && tokens.length !== 7) {
    return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), or 7 with a leading seconds field; got ${tokens.length}`;
  }
  const seconds = tokens.length === 7 ? tokens.shift() : undefined;
  for (let i = 0; i < CRON_FIELDS.length; i++) {
    const problem = checkField(tokens[i], CRON_FIELDS[i]);
    if (problem) {
      return problem;
    }
  }
  const [, , dayOfMonth, , dayOfWeek] = tokens;
  if (dayOfMonth === '?' && dayOfWeek === '?') {
    return "day-of-month and day-of-week are both '?': give one of them";
  }
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    return `day-of-month (${dayOfMonth}) and day-of-week (${dayOfWeek}) can't both be given: one of them must be '?'`;
  }
  return { seconds, fields: tokens };
}

function checkField(value: string, field: CronField): string | undefined {
  const problem = `the ${field.name} field ${JSON.stringify(value)} is not valid; use ${field.min}-${field.max}`
    + (field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : '')
    + ` with , - * /${field.special.map((c) => ` ${c}`).join('')}`;
  if (value === '?' ) {
    return field.special.includes('?') ? undefined : problem;
  }
  for (const part of value.split(',')) {
    if (!checkPart(part, field)) {
      return problem;
    }
  }
  return undefined;
}

function checkPart(part: string, field: CronField): boolean {
  const isNumber = (text: string) => {
    const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
    const number = index >= 0 ? index + field.min : /^\d+$/.test(text) ? Number(text) : NaN;
    return number >= field.min && number <= field.max;
  };
  if (part === '*') {
    return true;
  }
  const step = /^(\*|[^/]+)\/(\d+)$/.exec(part);
  if (step) {
    return (step[1] === '*' || isNumber(step[1]) || checkRange(step[1], isNumber)) && Number(step[2]) > 0;
  }
  if (field.special.includes('L') && (part === 'L' || (field.name === 'day-of-week' && /^.+L$/.test(part) && isNumber(part.slice(0, -1))))) {
    return true;
  }
  if (field.special.includes('W') && (part === 'LW' || (/^\d+W$/.test(part) && isNumber(part.slice(0, -1))))) {
    return true;
  }
  if (field.special.includes('#')) {
    const nth = /^(.+)#([1-5])$/.exec(part);
    if (nth) {
      return isNumber(nth[1]);
    }
  }
  return isNumber(part) || checkRange(part, isNumber);
}

function checkRange(part: string, isNumber: (text: string) => boolean): boolean {
  const range = /^([^-]+)-([^-]+)$/.exec(part);
  return range !== null && isNumber(range[1]) && isNumber(range[2]);
}

/** A rate expression, in minutes. */
export interface Rate {
  readonly minutes: number;
}

/**
 * Parses `rate(<value> <unit>)`; returns a problem in words, or the rate.
 */
export function parseRate(expression: string): Rate | string {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) {
    return 'a rate expression is written rate(<positive whole number> minutes|hours|days)';
  }
  const value = Number(match[1]);
  const unit = match[2];
  if (value === 0) {
    return 'a rate must be more than zero';
  }
  if ((value === 1) !== !unit.endsWith('s')) {
    return value === 1 ? `write rate(1 ${unit.replace(/s$/, '')}): the unit is singular for 1` : `write rate(${value} ${unit}s): the unit is plural for more than 1`;
  }
  const perUnit = unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 24 * 60;
  return { minutes: value * perUnit };
}

/** Checks `at(yyyy-mm-ddThh:mm:ss)`; returns a problem in words, or undefined. */
export function checkAt(expression: string): string | undefined {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!match || Number.isNaN(Date.parse(`${match.slice(1, 4).join('-')}T${match.slice(4).join(':')}Z`))) {
    return 'a one-time schedule is written at(yyyy-mm-ddThh:mm:ss)';
  }
  return undefined;
}

const RATE_UNITS = ['minute', 'minutes', 'hour', 'hours', 'day', 'days'];

/** `cron`, `rate` or `at` from the start of an expression, which tokens inside it don't change. */
export function scheduleKind(expression: string): string {
  const match = /^(cron|rate|at)\(/.exec(expression);
  return match ? match[1] : Token.isUnresolved(expression) ? 'unknown' : 'invalid';
}

/**
 * The text inside rate(...) for a duration, in its largest whole unit. A token keeps the unit it was given in, and
 * is undefined in a unit that rates do not take (seconds, milliseconds): CloudFormation can't convert it.
 */
export function rateText(interval: Duration): string | undefined {
  if (interval.isUnresolved()) {
    return RATE_UNITS.includes(interval.unitLabel()) ? interval.formatTokenToNumber() : undefined;
  }
  const minutes = interval.toMinutes({ integral: false });
  const [value, unit] = minutes !== 0 && minutes % (24 * 60) === 0 ? [minutes / (24 * 60), 'day']
    : minutes !== 0 && minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/**
 * `rate(...)` for a duration, with the duration itself when it is a token in a unit rates do not take: the schedule
 * keeps it, and reports it when a construct checks the schedule, naming the construct.
 */
export function rateExpression(interval: Duration): [string, Duration | undefined] {
  const text = rateText(interval);
  return [`rate(${text ?? interval.formatTokenToNumber()})`, text === undefined ? interval : undefined];
}

/** A schedule (AssociationSchedule, MaintenanceWindowSchedule) as checkSchedule reads it. */
export interface ScheduleToCheck {
  /** The expression, such as `cron(0 2 ? * SUN *)`. */
  readonly expressionString: string;
  /** The interval of a rate from a token in a unit rates do not take, which could not be written. */
  readonly _unwritableRate?: Duration;
  /** The owner's rules: a problem in words, or undefined. */
  _problem(expression: string): string | undefined;
}

/**
 * Checks a schedule: a rate that could be written, 1 to 256 characters (SSM API `ScheduleExpression` and
 * `MaintenanceWindowSchedule`), and the rules of its owner (`association` or `maintenance window`, in the message).
 * An expression with tokens in it passes unchecked.
 */
export function checkSchedule(scope: IConstruct, property: string, schedule: ScheduleToCheck, owner: string): void {
  const { expressionString: expression, _unwritableRate: unwritableRate } = schedule;
  if (unwritableRate) {
    reject(scope, property, unwritableRate, "can't be written as a rate", 'give the token with Duration.minutes(), Duration.hours() or Duration.days()');
  }
  if (!known(expression)) {
    return;
  }
  checkLength(scope, property, expression, 1, 256);
  const found = schedule._problem(expression);
  if (found) {
    reject(scope, property, expression, `is not a valid ${owner} schedule`, found);
  }
}
