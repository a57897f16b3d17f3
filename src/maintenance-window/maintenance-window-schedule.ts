import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkAt, parseCron, parseRate, rateText, scheduleKind } from '../private/cron';
import { SsmOpsValidationError, show } from '../private/errors';

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
   */
  public static cron(options: MaintenanceWindowCronOptions): MaintenanceWindowSchedule {
    const weekDay = options.weekDay ?? '?';
    const day = options.day ?? (weekDay === '?' ? '*' : '?');
    const fields = [options.minute ?? '0', options.hour ?? '*', day, options.month ?? '*', weekDay, options.year ?? '*'];
    return new MaintenanceWindowSchedule(`cron(${fields.join(' ')})`);
  }

  /**
   * A window that opens every `interval`, in whole minutes, hours or days.
   */
  public static rate(interval: Duration): MaintenanceWindowSchedule {
    return new MaintenanceWindowSchedule(`rate(${rateText(interval)})`);
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

  private constructor(
    /** The schedule expression. */
    public readonly expressionString: string) {
    this._kind = scheduleKind(expressionString);
  }

  /**
   * Checks the expression against the rules of maintenance windows.
   *
   * @internal
   */
  public _check(scope: IConstruct, property: string): void {
    const expression = this.expressionString;
    if (Token.isUnresolved(expression)) {
      return;
    }
    let problem: string | undefined;
    if (this._kind === 'cron') {
      const cron = parseCron(expression);
      problem = typeof cron === 'string' ? cron : undefined;
    } else if (this._kind === 'rate') {
      const rate = parseRate(expression);
      problem = typeof rate === 'string' ? rate : undefined;
    } else if (this._kind === 'at') {
      problem = checkAt(expression);
    } else {
      problem = 'use cron(...), rate(...) or at(...)';
    }
    if (problem) {
      throw new SsmOpsValidationError(scope, `${property} ${show(expression)} is not a valid maintenance window schedule: ${problem}`);
    }
  }
}
