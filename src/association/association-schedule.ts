import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkAt, parseCron, parseRate } from '../private/cron';
import { SsmOpsValidationError, show } from '../private/errors';

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

/** The kind of a schedule expression. */
enum ScheduleKind {
  CRON = 'cron',
  RATE = 'rate',
  AT = 'at',
  UNKNOWN = 'unknown',
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
export abstract class AssociationSchedule {
  /**
   * A cron schedule, in UTC. Give `day` or `weekDay`, not both.
   */
  public static cron(options: AssociationCronOptions): AssociationSchedule {
    const weekDay = options.weekDay ?? '?';
    const day = options.day ?? (weekDay === '?' ? '*' : '?');
    const fields = [options.minute ?? '0', options.hour ?? '*', day, '*', weekDay, options.year ?? '*'];
    return new ExpressionSchedule(`cron(${fields.join(' ')})`);
  }

  /**
   * A schedule that runs the association every `interval`: 30 minutes to less than 31 days, in whole minutes.
   */
  public static rate(interval: Duration): AssociationSchedule {
    if (interval.isUnresolved()) {
      return new ExpressionSchedule(`rate(${interval.toMinutes()} minutes)`);
    }
    const minutes = interval.toMinutes({ integral: false });
    const [value, unit] = minutes % (24 * 60) === 0 ? [minutes / (24 * 60), 'day']
      : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
    return new ExpressionSchedule(`rate(${value} ${unit}${value === 1 ? '' : 's'})`);
  }

  /**
   * A schedule expression as SSM takes it: `cron(...)`, `rate(...)` or `at(...)`. It is checked like the others.
   */
  public static expression(expression: string): AssociationSchedule {
    return new ExpressionSchedule(expression);
  }

  /** The schedule expression. */
  public abstract readonly expressionString: string;

  /**
   * Whether the expression is a cron expression, which scheduleOffset and applyOnlyAtCronInterval need.
   *
   * @internal
   */
  public abstract readonly _kind: string;

  /**
   * Checks the expression against the rules of associations.
   *
   * @internal
   */
  public abstract _check(scope: IConstruct, property: string): void;
}

class ExpressionSchedule extends AssociationSchedule {
  public readonly _kind: string;

  public constructor(public readonly expressionString: string) {
    super();
    this._kind = Token.isUnresolved(expressionString) ? ScheduleKind.UNKNOWN
      : expressionString.startsWith('cron(') ? ScheduleKind.CRON
        : expressionString.startsWith('rate(') ? ScheduleKind.RATE
          : expressionString.startsWith('at(') ? ScheduleKind.AT : ScheduleKind.UNKNOWN;
  }

  public _check(scope: IConstruct, property: string): void {
    const expression = this.expressionString;
    if (Token.isUnresolved(expression)) {
      return;
    }
    const problem = this.problem(expression);
    if (problem) {
      throw new SsmOpsValidationError(scope, `${property} ${show(expression)} is not a valid association schedule: ${problem}`);
    }
  }

  private problem(expression: string): string | undefined {
    switch (this._kind) {
      case ScheduleKind.RATE: {
        const rate = parseRate(expression);
        if (typeof rate === 'string') {
          return rate;
        }
        if (rate.minutes < MIN_RATE_MINUTES || rate.minutes >= MAX_RATE_MINUTES) {
          return 'associations take rates from 30 minutes to less than 31 days';
        }
        return undefined;
      }
      case ScheduleKind.CRON: {
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
        if (!runsAtMostTwiceAnHour(minutes)) {
          return `the minutes field ${show(minutes)} runs more often than every 30 minutes, the most State Manager allows; `
            + "use one minute such as '0', or '0/30'";
        }
        return undefined;
      }
      case ScheduleKind.AT:
        return checkAt(expression);
      default:
        return 'use cron(...), rate(...) or at(...)';
    }
  }
}

/** Whether a minutes field fires at most twice an hour: one value, two values, or a step of 30 or more. */
function runsAtMostTwiceAnHour(minutes: string): boolean {
  const step = /^(\*|\d+)\/(\d+)$/.exec(minutes);
  if (step) {
    return Number(step[2]) >= 30;
  }
  const parts = minutes.split(',');
  return parts.length <= 2 && parts.every((part) => /^\d+$/.test(part));
}
