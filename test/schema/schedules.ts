import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Rule, chars } from './rules';
import { DurationValue, Maybe, anyNumberToken, anyStringToken, isToken, made } from './values';
import { AssociationSchedule, MaintenanceWindowSchedule } from '../../src';

// Schedules as the property-based tests generate them. The schemas only bound an expression's length; the rest is
// the grammar of the SSM User Guide, "Reference: Cron and rate expressions for Systems Manager"
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html), which the
// library follows and which is stricter than the schemas. Each generated schedule carries what it breaks of that
// grammar, by construction: every field is drawn either from values the page allows or from values it doesn't.

export const CRON_AND_RATE = 'SSM User Guide, Reference: Cron and rate expressions for Systems Manager (https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html)';

/** A schedule, as a recipe of the factory that makes it, with what it breaks of the User Guide's grammar. */
export type ScheduleSpec =
  | { readonly factory: 'cron'; readonly options: Record<string, string>; readonly grammar: readonly string[] }
  | { readonly factory: 'rate'; readonly interval: DurationValue }
  | { readonly factory: 'at'; readonly dateTime: string; readonly grammar: readonly string[] }
  | { readonly factory: 'expression'; readonly text: Maybe<string>; readonly grammar: readonly string[] };

/** Who the schedule is for: the two take different crons and rates. */
export type ScheduleOwner = 'association' | 'window';

/** A field value and what it breaks ('' when it is allowed). */
type Field = readonly [string, string];
const ok = (...values: string[]): Field[] => values.map((value) => [value, '']);
const bad = (why: string, ...values: string[]): Field[] => values.map((value) => [value, why]);

const MINUTES: Record<ScheduleOwner, Field[]> = {
  // Associations run at most every 30 minutes: one minute, or 0/30.
  association: [...ok('0', '15', '59', '0/30', '10,40'), ...bad('runs more often than every 30 minutes', '*', '0/15', '0,20'), ...bad('minute out of range', '60')],
  window: [...ok('0', '15', '59', '*', '0/15', '10,40'), ...bad('minute out of range', '60', '-1')],
};
const HOURS: Field[] = [...ok('*', '0', '23', '0/4', '1-5'), ...bad('hour out of range', '24')];
const DAYS: Field[] = [...ok('1', '31', 'L', '15W'), ...bad('day out of range', '32', '0')];
const WEEK_DAYS: Field[] = [...ok('SUN', 'SAT', 'MON-FRI', '1', '7', 'TUE#3', '3L'), ...bad('day of week out of range', '8', 'XYZ')];
const MONTHS: Record<ScheduleOwner, Field[]> = {
  // "Months are not supported" in association cron expressions.
  association: bad('associations take no month', 'JAN', '6'),
  window: [...ok('JAN', 'DEC', '1-6', '*/3'), ...bad('month out of range', '13')],
};
const YEARS: Field[] = [...ok('*', '2030', '2030-2035'), ...bad('year out of range', '1969', '2200')];

const fieldOf = (fields: Field[]) => fc.constantFrom(...fields);
const optional = (fields: Field[]) => fc.option(fieldOf(fields), { freq: 2 });

/** Years 2030, 2031, ... as one field, to make expressions of any length. */
export const yearList = (count: number) => Array.from({ length: count }, (_, i) => 2030 + (i % 170)).join(',');

/** Cron schedules of the factory's options, some of them long enough to reach the length limits. */
function crons(owner: ScheduleOwner, lengthRules: readonly Rule[]): fc.Arbitrary<ScheduleSpec> {
  const limits = lengthRules.map((rule) => rule.maxLength).filter((limit): limit is number => limit !== undefined);
  // Each year adds 5 characters; counts around each length limit, for expressions just under and just over it.
  const yearCounts = [...new Set(limits.flatMap((limit) => [-1, 0, 1].map((d) => Math.floor(limit / 5) - 4 + d)).filter((n) => n > 1))];
  return fc.record({
    minute: fieldOf(MINUTES[owner]),
    hour: fieldOf(HOURS),
    day: optional(DAYS),
    weekDay: optional(WEEK_DAYS),
    month: owner === 'window' ? optional(MONTHS.window) : fc.constant(null),
    year: fc.oneof({ weight: 3, arbitrary: fieldOf(YEARS) },
      { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...yearCounts.length ? yearCounts : [2]), fc.integer({ min: 2, max: 70 })).map((n): Field => [yearList(n), '']) }),
  }).map(({ minute, hour, day, weekDay, month, year }) => {
    const options: Record<string, string> = { minute: minute[0], hour: hour[0], year: year[0] };
    const grammar = [minute[1], hour[1], year[1]];
    if (day) {
      options.day = day[0];
      grammar.push(day[1]);
    }
    if (weekDay) {
      options.weekDay = weekDay[0];
      grammar.push(weekDay[1]);
    }
    if (month) {
      options.month = month[0];
      grammar.push(month[1]);
    }
    if (day && weekDay) {
      grammar.push('day of month and day of week both given');
    }
    return { factory: 'cron' as const, options, grammar: grammar.filter((problem) => problem !== '') };
  });
}

/** Rates of every unit, near the limits of the User Guide (for associations, 30 minutes to less than 31 days). */
function rates(): fc.Arbitrary<ScheduleSpec> {
  const amounts = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(0, 1, 29, 30, 31, 59, 60, 61, 720, 1440, 30 * 1440 - 1, 30 * 1440, 31 * 1440 - 1, 31 * 1440, 31 * 1440 + 1),
    },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 50_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(0.5, 1.5, 30.5) },
  );
  return fc.oneof(
    { weight: 4, arbitrary: amounts.map((minutes) => new DurationValue(minutes, 'minutes')) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 2, 24, 743, 744, 745).map((hours) => new DurationValue(hours, 'hours')) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 2, 30, 31, 32).map((days) => new DurationValue(days, 'days')) },
    { weight: 1, arbitrary: fc.constantFrom(60, 90, 1800, 1830).map((seconds) => new DurationValue(seconds, 'seconds')) },
    {
      weight: 2,
      arbitrary: fc.tuple(anyNumberToken, fc.constantFrom('minutes', 'hours', 'days', 'seconds') as fc.Arbitrary<DurationValue['unit']>)
        .map(([amount, unit]) => new DurationValue(amount, unit)),
    },
  ).map((interval) => ({ factory: 'rate' as const, interval }));
}

/** What a rate breaks of the User Guide's grammar. */
export function rateGrammar(owner: ScheduleOwner, interval: DurationValue): string[] {
  if (isToken(interval.amount)) {
    return [];
  }
  const minutes = interval.seconds / 60;
  if (!Number.isInteger(minutes) || minutes <= 0) {
    return ['a rate is a positive whole number of minutes, hours or days'];
  }
  if (owner === 'association' && (minutes < 30 || minutes >= 31 * 1440)) {
    return ['associations take rates from 30 minutes to less than 31 days'];
  }
  return [];
}

/** Schedules of every factory: crons, rates, one-time schedules and expressions, valid or not, and tokens. */
export function schedulesAround(owner: ScheduleOwner, lengthRules: readonly Rule[]): fc.Arbitrary<ScheduleSpec> {
  const at = fc.constantFrom<[string, string]>(['2030-01-31T23:59:00', ''], ['2030-13-01T00:00:00', 'not a date'], ['2030-1-1T0:0:0', 'not yyyy-mm-ddThh:mm:ss'])
    .map(([dateTime, problem]): ScheduleSpec => ({ factory: 'at', dateTime, grammar: problem ? [problem] : [] }));
  const texts = fc.constantFrom<[string, string]>(
    ['cron(0 2 ? * SUN *)', ''], ['rate(1 hour)', ''], ['rate(1 hours)', 'plural unit for 1'], ['rate(5 hour)', 'singular unit for 5'],
    ['cron(0 0 2 ? * SUN *)', ''], ['cron(30 0 2 ? * SUN *)', owner === 'association' ? 'seconds field other than 0' : ''],
    ['0 2 * * ?', 'not cron(...), rate(...) or at(...)'],
    ['', 'not cron(...), rate(...) or at(...)'], ['cron()', 'no fields'])
    .map(([text, problem]): ScheduleSpec => ({ factory: 'expression', text, grammar: problem ? [problem] : [] }));
  const tokens = anyStringToken.map((text): ScheduleSpec => ({ factory: 'expression', text, grammar: [] }));
  return fc.oneof({ weight: 5, arbitrary: crons(owner, lengthRules) }, { weight: 3, arbitrary: rates() }, { weight: 1, arbitrary: at },
    { weight: 2, arbitrary: texts }, { weight: 1, arbitrary: tokens });
}

/** The schedule a recipe stands for. */
export function makeSchedule(stack: Stack, owner: 'association', spec: ScheduleSpec): AssociationSchedule;
export function makeSchedule(stack: Stack, owner: 'window', spec: ScheduleSpec): MaintenanceWindowSchedule;
export function makeSchedule(stack: Stack, owner: ScheduleOwner, spec: ScheduleSpec): AssociationSchedule | MaintenanceWindowSchedule {
  if (owner === 'association') {
    switch (spec.factory) {
      case 'cron': return AssociationSchedule.cron(spec.options);
      case 'rate': return AssociationSchedule.rate(spec.interval.make(stack));
      case 'at': return AssociationSchedule.expression(`at(${spec.dateTime})`);
      case 'expression': return AssociationSchedule.expression(made(stack, spec.text));
    }
  }
  switch (spec.factory) {
    case 'cron': return MaintenanceWindowSchedule.cron(spec.options);
    case 'rate': return MaintenanceWindowSchedule.rate(spec.interval.make(stack));
    case 'at': return MaintenanceWindowSchedule.at(spec.dateTime);
    case 'expression': return MaintenanceWindowSchedule.expression(made(stack, spec.text));
  }
}

/** What a schedule breaks of the User Guide's grammar. */
export function scheduleGrammar(owner: ScheduleOwner, spec: ScheduleSpec): string[] {
  return spec.factory === 'rate' ? rateGrammar(owner, spec.interval) : [...spec.grammar];
}

/**
 * The expression the template gets, as the library's factory writes it, or undefined when it holds a token (or the
 * factory can't write it).
 */
export function expressionOf(spec: ScheduleSpec, owner: ScheduleOwner): string | undefined {
  if (isToken(spec)) {
    return undefined;
  }
  try {
    const stack = new Stack();
    return owner === 'association' ? makeSchedule(stack, owner, spec).expressionString : makeSchedule(stack, owner, spec).expressionString;
  } catch {
    return undefined;
  }
}

/** A rate from a token can only be written in the unit it was given in: minutes, hours or days. */
export function rateTokenProblems(spec: ScheduleSpec): string[] {
  return spec.factory === 'rate' && isToken(spec.interval.amount) && !['minutes', 'hours', 'days'].includes(spec.interval.unit)
    ? [`a rate from a token in ${spec.interval.unit} can't be written as rate(<n> minutes|hours|days)`] : [];
}

/** The length of an expression in characters, for messages. */
export function lengthOf(expression: string): number {
  return chars(expression);
}
