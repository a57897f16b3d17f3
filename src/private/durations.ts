import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SsmOpsValidationError } from './errors';

/** A duration in whole seconds within a range; a token passes unchecked. */
export function wholeSeconds(scope: IConstruct, property: string, duration: Duration, min: number, max: number, range: string): number {
  if (duration.isUnresolved()) {
    return duration.toSeconds();
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new SsmOpsValidationError(scope, `${property} ${duration.toHumanString()} is not allowed; use whole seconds from ${range}`);
  }
  return seconds;
}
