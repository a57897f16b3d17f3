import { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A CloudWatch alarm that stops a command, association or task from running on more nodes while it is in ALARM.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AlarmConfiguration.html
 */
export interface AlarmConfiguration {
  /**
   * The alarm. Systems Manager takes exactly one; combine several in a CloudWatch `CompositeAlarm`.
   */
  readonly alarms: IAlarm[];

  /**
   * Go on running when the alarm's state can't be read.
   *
   * @default false
   */
  readonly ignorePollAlarmFailure?: boolean;
}
