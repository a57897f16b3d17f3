import { SSMClient } from '@aws-sdk/client-ssm';
import { isRunCommandComplete } from '../run-command/handler';
import { IsCompleteRequest, IsCompleteResponse } from '../private/provider-types';
import { ASSOCIATION_ALARM_RESOURCE_TYPE, RUN_COMMAND_RESOURCE_TYPE, WINDOW_TASK_ALARM_RESOURCE_TYPE } from '../private/resource-types';

// The SDK retries throttling and transient errors with backoff itself; more attempts than its default of 3.
const ssm = new SSMClient({ maxAttempts: 6 });

/** isComplete of the provider that all of this library's custom resources in a stack share. */
export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.ResourceType === RUN_COMMAND_RESOURCE_TYPE) {
    return isRunCommandComplete(ssm, event);
  }
  if (event.ResourceType === ASSOCIATION_ALARM_RESOURCE_TYPE || event.ResourceType === WINDOW_TASK_ALARM_RESOURCE_TYPE) {
    // onEvent applied the alarm already.
    return { IsComplete: true };
  }
  throw new Error(`unknown resource type ${event.ResourceType}`);
}
