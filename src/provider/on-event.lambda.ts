import { SSMClient } from '@aws-sdk/client-ssm';
import { RUN_COMMAND_RESOURCE_TYPE, onRunCommandEvent } from './run-command-handler';
import { OnEventRequest, OnEventResponse } from '../private/provider-types';

// The SDK retries throttling and transient errors with backoff itself; more attempts than its default of 3.
const ssm = new SSMClient({ maxAttempts: 6 });

/** onEvent of the provider that all of this library's custom resources in a stack share. */
export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  if (event.ResourceType === RUN_COMMAND_RESOURCE_TYPE) {
    return onRunCommandEvent(ssm, event);
  }
  throw new Error(`unknown resource type ${event.ResourceType}`);
}
