import { IConstruct } from 'constructs';
import { SsmOpsValidationError } from './errors';
import { AlarmConfiguration } from '../alarm-configuration';

/** An alarm configuration as the SSM API takes it. */
export interface RenderedAlarmConfiguration {
  readonly Alarms: { Name: string }[];
  readonly IgnorePollAlarmFailure: boolean;
}

/** Checks an alarm configuration (exactly one alarm, as the SSM API takes) and renders it for the API. */
export function renderAlarmConfiguration(scope: IConstruct, property: string, config: AlarmConfiguration): RenderedAlarmConfiguration {
  if (config.alarms.length !== 1) {
    throw new SsmOpsValidationError(scope, `${property}.alarms has ${config.alarms.length} alarms; Systems Manager takes exactly one: `
      + 'combine several in a CloudWatch CompositeAlarm and give that');
  }
  return { Alarms: config.alarms.map((alarm) => ({ Name: alarm.alarmName })), IgnorePollAlarmFailure: config.ignorePollAlarmFailure ?? false };
}
