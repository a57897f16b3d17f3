import { Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { reject } from './private/validate';

// SSM takes rate controls as strings of at most 7 characters: a count, or a percentage up to 100%.
const MAX_COUNT = 9_999_999;

/**
 * How many nodes a command, association or task runs on at the same time (`MaxConcurrency`).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/send-commands-velocity.html
 */
export class Concurrency {
  /**
   * At most this many nodes at a time: 1 to 9,999,999.
   *
   * @example
   * const oneAtATime = Concurrency.count(1);
   */
  public static count(nodes: number): Concurrency {
    return new Concurrency(nodes, false);
  }

  /**
   * At most this share of the targeted nodes at a time: 1 to 100 percent.
   *
   * @example
   * const tenPercent = Concurrency.percentage(10);
   */
  public static percentage(percent: number): Concurrency {
    return new Concurrency(percent, true);
  }

  private constructor(private readonly amount: number, private readonly isPercentage: boolean) {}

  /**
   * The value for `MaxConcurrency`, checked against SSM's range: zero concurrency is never allowed.
   *
   * @internal
   */
  public _render(scope: IConstruct, property: string): string {
    return renderRate(scope, property, this.amount, this.isPercentage, 1);
  }
}

/**
 * How many errors stop a command, association or task from being sent to more nodes (`MaxErrors`).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/send-commands-maxerrors.html
 */
export class ErrorThreshold {
  /**
   * Stop after this many errors: 0 to 9,999,999. Zero stops at the first error.
   *
   * @example
   * // Stop the rollout at the first error.
   * const noErrors = ErrorThreshold.count(0);
   */
  public static count(errors: number): ErrorThreshold {
    return new ErrorThreshold(errors, false);
  }

  /**
   * Stop after errors on this share of the targeted nodes: 0 to 100 percent.
   *
   * @example
   * const fivePercent = ErrorThreshold.percentage(5);
   */
  public static percentage(percent: number): ErrorThreshold {
    return new ErrorThreshold(percent, true);
  }

  private constructor(private readonly amount: number, private readonly isPercentage: boolean) {}

  /**
   * The value for `MaxErrors`, checked against SSM's range.
   *
   * @internal
   */
  public _render(scope: IConstruct, property: string): string {
    return renderRate(scope, property, this.amount, this.isPercentage, 0);
  }
}

function renderRate(scope: IConstruct, property: string, amount: number, isPercentage: boolean, min: number): string {
  const text = Tokenization.stringifyNumber(amount) + (isPercentage ? '%' : '');
  if (Token.isUnresolved(amount)) {
    return text;
  }
  const max = isPercentage ? 100 : MAX_COUNT;
  if (!Number.isInteger(amount) || amount < min || amount > max) {
    const kind = isPercentage ? 'percentage' : 'count';
    const unit = isPercentage ? '%' : '';
    reject(scope, property, `${amount}${unit}`, 'is not valid', `use a whole ${kind} from ${min}${unit} to ${max.toLocaleString('en-US')}${unit}`
      + (min === 1 && amount === 0 ? ' (zero concurrency would never run anything)' : ''));
  }
  return text;
}
