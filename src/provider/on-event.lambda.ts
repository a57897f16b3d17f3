import { HandlerPhase } from './phases';
import { resourceRoleSsm } from './resource-role-client';
import { onAlarmApplierEvent } from '../alarm-applier/handler';
import { onAssociationRunEvent } from '../association/run-wait-handler';
import { onDocumentSharingEvent } from '../document/sharing-handler';
import { OnEventRequest, OnEventResponse } from '../private/provider-types';
import {
  ASSOCIATION_ALARM_RESOURCE_TYPE, ASSOCIATION_RUN_RESOURCE_TYPE, RUN_COMMAND_RESOURCE_TYPE, WINDOW_TASK_ALARM_RESOURCE_TYPE,
  DOCUMENT_SHARING_RESOURCE_TYPE,
} from '../private/resource-types';
import { onRunCommandEvent } from '../run-command/handler';

/**
 * onEvent of the provider that all of this library's custom resources in a stack share. It acts for each resource
 * with that resource's own role, assumed for the onEvent phase.
 */
export async function handler(event: OnEventRequest): Promise<OnEventResponse> {
  if (event.ResourceType === RUN_COMMAND_RESOURCE_TYPE) {
    return onRunCommandEvent(resourceRoleSsm(event, HandlerPhase.ON_EVENT), event);
  }
  if (event.ResourceType === ASSOCIATION_ALARM_RESOURCE_TYPE || event.ResourceType === WINDOW_TASK_ALARM_RESOURCE_TYPE) {
    // The companions call Systems Manager from isComplete only, where their calls can be retried.
    return onAlarmApplierEvent(event);
  }
  if (event.ResourceType === ASSOCIATION_RUN_RESOURCE_TYPE) {
    return onAssociationRunEvent(resourceRoleSsm(event, HandlerPhase.ON_EVENT), event);
  }
  if (event.ResourceType === DOCUMENT_SHARING_RESOURCE_TYPE) {
    // The sharing companion calls Systems Manager from isComplete only, where its calls can be retried.
    return onDocumentSharingEvent(event);
  }
  throw new Error(`unknown resource type ${event.ResourceType}`);
}
