import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkAt, checkSchedule, parseCron, parseRate, rateExpression, scheduleKind } from '../private/cron';

/**
 * When a cron schedule opens a maintenance window. Fields left out are `*`, except the day fields: give `day` or
 * `weekDay`, not both.
 */
export interface MaintenanceWindowCronOptions {
  /**
   * The minute.
   *
   * @default '0'
   */
  readonly minute?: string;

  /**
   * The hour, in the window's time zone.
   *
   * @default '*'
   */
  readonly hour?: string;

  /**
   * The day of the month, `L` for the last day.
   *
   * @default - every day, unless weekDay is given
   */
  readonly day?: string;

  /**
   * The month: 1-12 or `JAN`-`DEC`.
   *
   * @default '*'
   */
  readonly month?: string;

  /**
   * The day of the week: `SUN`-`SAT` or 1-7, `TUE#3` for the third Tuesday, `6L` for the last Friday.
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

/**
 * When a maintenance window opens: a cron or rate expression, or one date and time.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html#reference-cron-and-rate-expressions-maintenance-window
 */
export class MaintenanceWindowSchedule {
  /**
   * A cron schedule, in the window's time zone.
   *
   * @example
   * // Sundays at 03:00, in the window's time zone.
   * const schedule = MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' });
   */
  public static cron(options: MaintenanceWindowCronOptions): MaintenanceWindowSchedule {
    const weekDay = options.weekDay ?? '?';
    const day = options.day ?? (weekDay === '?' ? '*' : '?');
    const fields = [options.minute ?? '0', options.hour ?? '*', day, options.month ?? '*', weekDay, options.year ?? '*'];
    return new MaintenanceWindowSchedule(`cron(${fields.join(' ')})`);
  }

  /**
   * A window that opens every `interval`, in whole minutes, hours or days.
   *
   * @example
   * const schedule = MaintenanceWindowSchedule.rate(Duration.days(7));
   */
  public static rate(interval: Duration): MaintenanceWindowSchedule {
    return new MaintenanceWindowSchedule(...rateExpression(interval));
  }

  /**
   * A window that opens once, at a date and time written `yyyy-mm-ddThh:mm:ss` in the window's time zone.
   */
  public static at(dateTime: string): MaintenanceWindowSchedule {
    return new MaintenanceWindowSchedule(`at(${dateTime})`);
  }

  /**
   * A schedule expression as SSM takes it: `cron(...)`, `rate(...)` or `at(...)`. It is checked like the others.
   */
  public static expression(expression: string): MaintenanceWindowSchedule {
    return new MaintenanceWindowSchedule(expression);
  }

  /**
   * The kind of the expression: `cron`, `rate`, `at`, or `unknown` for a token.
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
   * Checks the expression against the rules of maintenance windows.
   *
   * @internal
   */
  public _check(scope: IConstruct, property: string): void {
    checkSchedule(scope, property, this, 'maintenance window');
  }

  /**
   * What is wrong with the expression for maintenance windows, in words, or undefined.
   *
   * @internal
   */
  public _problem(expression: string): string | undefined {
    switch (this._kind) {
      case 'cron': {
        const cron = parseCron(expression);
        return typeof cron === 'string' ? cron : undefined;
      }
      case 'rate': {
        const rate = parseRate(expression);
        return typeof rate === 'string' ? rate : undefined;
      }
      case 'at':
        return checkAt(expression);
      default:
        return 'use cron(...), rate(...) or at(...)';
    }
  }
}
