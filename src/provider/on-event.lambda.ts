import { SSMClient } from '@aws-sdk/client-ssm';
import { onAlarmApplierEvent } from '../alarm-applier/handler';
import { onRunCommandEvent } from '../run-command/handler';
import { OnEventRequest, OnEventResponse } from '../private/provider-types';
import { ASSOCIATION_ALARM_RESOURCE_TYPE, RUN_COMMAND_RESOURCE_TYPE, WINDOW_TASK_ALARM_RESOURCE_TYPE } from '../private/resource-types';

// The SDK retries throttling and transient errors with backoff itself; more attempts than its default of 3.
const ssm = new SSMClient({ maxAttempts: 6 });

/** onEvent of the provider that all of this library's custom resources in a stack share. */
export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  if (event.ResourceType === RUN_COMMAND_RESOURCE_TYPE) {
    return onRunCommandEvent(ssm, event);
  }
  if (event.ResourceType === ASSOCIATION_ALARM_RESOURCE_TYPE || event.ResourceType === WINDOW_TASK_ALARM_RESOURCE_TYPE) {
    return onAlarmApplierEvent(ssm, event);
  }
  throw new Error(`unknown resource type ${event.ResourceType}`);
}
