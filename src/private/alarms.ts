import { IConstruct } from 'constructs';
import { chars, known, reject, rejectCount } from './validate';
import { AlarmConfiguration } from '../alarm-configuration';

/** An alarm configuration as the SSM API takes it. */
export interface RenderedAlarmConfiguration {
  readonly Alarms: { Name: string }[];
  readonly IgnorePollAlarmFailure: boolean;
}

// SSM API Alarm.Name: 1 to 255 characters, not only white space.
const ALARM_NAME = /^(?!\s*$).+/;

/**
 * Checks an alarm configuration (exactly one alarm, with a name the SSM API takes) and renders it for the API.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AlarmConfiguration.html
 */
export function renderAlarmConfiguration(scope: IConstruct, property: string, config: AlarmConfiguration): RenderedAlarmConfiguration {
  if (config.alarms.length !== 1) {
    rejectCount(scope, `${property}.alarms`, config.alarms.length, 'alarms', 'use exactly 1 (combine several in a CloudWatch CompositeAlarm and give that)');
  }
  config.alarms.forEach(({ alarmName }, index) => {
    if (known(alarmName) && (chars(alarmName) > 255 || !ALARM_NAME.test(alarmName))) {
      reject(scope, `${property}.alarms[${index}]`, alarmName, 'is not a valid alarm name', 'use 1 to 255 characters, not only white space');
    }
  });
  return { Alarms: config.alarms.map((alarm) => ({ Name: alarm.alarmName })), IgnorePollAlarmFailure: config.ignorePollAlarmFailure ?? false };
}
