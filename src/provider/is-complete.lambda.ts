import { SSMClient } from '@aws-sdk/client-ssm';
import { RUN_COMMAND_RESOURCE_TYPE, isRunCommandComplete } from './run-command-handler';
import { IsCompleteRequest, IsCompleteResponse } from '../private/provider-types';

// The SDK retries throttling and transient errors with backoff itself; more attempts than its default of 3.
const ssm = new SSMClient({ maxAttempts: 6 });

/** isComplete of the provider that all of this library's custom resources in a stack share. */
export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.ResourceType === RUN_COMMAND_RESOURCE_TYPE) {
    return isRunCommandComplete(ssm, event);
  }
  throw new Error(`unknown resource type ${event.ResourceType}`);
}
