import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkAt, checkSchedule, parseCron, parseRate, rateExpression, scheduleKind } from '../private/cron';
import { show } from '../private/errors';

/**
 * When a cron schedule runs an association. Months are not part of association cron expressions.
 */
export interface AssociationCronOptions {
  /**
   * The minute: a value, or a step of 30 minutes or more such as `0/30`.
   *
   * @default '0'
   */
  readonly minute?: string;

  /**
   * The hour (UTC).
   *
   * @default '*'
   */
  readonly hour?: string;

  /**
   * The day of the month, `L` for the last day, or `?` when `weekDay` is given.
   *
   * @default - every day, unless weekDay is given
   */
  readonly day?: string;

  /**
   * The day of the week: `SUN`-`SAT` or 1-7, `TUE#3` for the third Tuesday, `3L` for the last Tuesday.
   *
   * @default - any day of the week
   */
  readonly weekDay?: string;

  /**
   * The year.
   *
   * @default '*'
   */
  readonly year?: string;
}

/** Rate schedules of associations: at least 30 minutes, less than 31 days. */
const MIN_RATE_MINUTES = 30;
const MAX_RATE_MINUTES = 31 * 24 * 60;

/**
 * When State Manager applies an association.
 *
 * Associations take rates from 30 minutes to less than 31 days, and cron expressions that run at most every 30
 * minutes, with no month (the month field is `*`) and a seconds field, when given, of `0`.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html#reference-cron-and-rate-expressions-association
 */
export class AssociationSchedule {
  /**
   * A cron schedule, in UTC. Give `day` or `weekDay`, not both.
   *
   * @example
   * // Sundays at 02:00 UTC.
   * const schedule = AssociationSchedule.cron({ weekDay: 'SUN', hour: '2', minute: '0' });
   */
  public static cron(options: AssociationCronOptions): AssociationSchedule {
    const weekDay = options.weekDay ?? '?';
    const day = options.day ?? (weekDay === '?' ? '*' : '?');
    const fields = [options.minute ?? '0', options.hour ?? '*', day, '*', weekDay, options.year ?? '*'];
    return new AssociationSchedule(`cron(${fields.join(' ')})`);
  }

  /**
   * A schedule that runs the association every `interval`: 30 minutes to less than 31 days, in whole minutes.
   *
   * @example
   * const schedule = AssociationSchedule.rate(Duration.hours(12));
   */
  public static rate(interval: Duration): AssociationSchedule {
    return new AssociationSchedule(...rateExpression(interval));
  }

  /**
   * A schedule expression as SSM takes it: `cron(...)`, `rate(...)` or `at(...)`. It is checked like the others.
   */
  public static expression(expression: string): AssociationSchedule {
    return new AssociationSchedule(expression);
  }

  /**
   * The kind of the expression, read from its beginning even when tokens are inside it: `cron`, `rate`, `at`, or
   * `unknown` for an expression that is a token as a whole.
   *
   * @internal
   */
  public readonly _kind: string;

  /**
   * A rate from a token in a unit rates do not take, reported when a construct checks the schedule.
   *
   * @internal
   */
  public readonly _unwritableRate?: Duration;

  private constructor(
    /** The schedule expression. */
    public readonly expressionString: string,
    unwritableRate?: Duration) {
    this._kind = scheduleKind(expressionString);
    this._unwritableRate = unwritableRate;
  }

  /**
   * Checks the expression against the rules of associations.
   *
   * @internal
   */
  public _check(scope: IConstruct, property: string): void {
    checkSchedule(scope, property, this, 'association');
  }

  /**
   * What is wrong with the expression for associations, in words, or undefined.
   *
   * @internal
   */
  public _problem(expression: string): string | undefined {
    switch (this._kind) {
      case 'rate': {
        const rate = parseRate(expression);
        if (typeof rate === 'string') {
          return rate;
        }
        if (rate.minutes < MIN_RATE_MINUTES || rate.minutes >= MAX_RATE_MINUTES) {
          return 'associations take rates from 30 minutes to less than 31 days';
        }
        return undefined;
      }
      case 'cron': {
        const cron = parseCron(expression);
        if (typeof cron === 'string') {
          return cron;
        }
        const [minutes, , , month] = cron.fields;
        if (cron.seconds !== undefined && cron.seconds !== '0') {
          return `the seconds field must be 0 in association cron expressions, got ${show(cron.seconds)}`;
        }
        if (month !== '*') {
          return `associations do not take months: the month field must be '*', got ${show(month)}`;
        }
        if (!runsAtMostEveryHalfHour(minutes)) {
          return `the minutes field ${show(minutes)} runs more often than every 30 minutes, the most State Manager allows; `
            + "use one minute such as '0', or '0/30'";
        }
        return undefined;
      }
      case 'at':
        return checkAt(expression);
      default:
        return 'use cron(...), rate(...) or at(...)';
    }
  }
}

/** Whether a minutes field runs at most every 30 minutes: every gap between its minutes, round the hour, is 30 or more. */
function runsAtMostEveryHalfHour(field: string): boolean {
  const minutes = new Set<number>();
  for (const part of field.split(',')) {
    const step = /^(\*|\d+)(?:-(\d+))?\/(\d+)$/.exec(part);
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (step) {
      const first = step[1] === '*' ? 0 : Number(step[1]);
      const last = step[2] !== undefined ? Number(step[2]) : 59;
      for (let minute = first; minute <= last; minute += Number(step[3])) {
        minutes.add(minute);
      }
    } else if (range) {
      for (let minute = Number(range[1]); minute <= Number(range[2]); minute++) {
        minutes.add(minute);
      }
    } else if (part === '*') {
      return false;
    } else {
      minutes.add(Number(part));
    }
  }
  const sorted = [...minutes].sort((a, b) => a - b);
  return sorted.every((minute, index) => (index + 1 < sorted.length ? sorted[index + 1] : sorted[0] + 60) - minute >= 30);
}
