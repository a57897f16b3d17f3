import { HandlerPhase } from './phases';
import { resourceRoleSsm } from './resource-role-client';
import { isAlarmApplierComplete } from '../alarm-applier/handler';
import { isAssociationRunComplete } from '../association/run-wait-handler';
import { isDocumentSharingComplete } from '../document/sharing-handler';
import { IsCompleteRequest, IsCompleteResponse } from '../private/provider-types';
import {
  ASSOCIATION_ALARM_RESOURCE_TYPE, ASSOCIATION_RUN_RESOURCE_TYPE, RUN_COMMAND_RESOURCE_TYPE, WINDOW_TASK_ALARM_RESOURCE_TYPE,
  DOCUMENT_SHARING_RESOURCE_TYPE,
} from '../private/resource-types';
import { isRunCommandComplete } from '../run-command/handler';

/**
 * isComplete of the provider that all of this library's custom resources in a stack share. It acts for each resource
 * with that resource's own role, assumed for the isComplete phase.
 */
export async function handler(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.ResourceType === RUN_COMMAND_RESOURCE_TYPE) {
    return isRunCommandComplete(resourceRoleSsm(event, HandlerPhase.IS_COMPLETE), event);
  }
  if (event.ResourceType === ASSOCIATION_ALARM_RESOURCE_TYPE || event.ResourceType === WINDOW_TASK_ALARM_RESOURCE_TYPE) {
    return isAlarmApplierComplete(resourceRoleSsm(event, HandlerPhase.IS_COMPLETE), event);
  }
  if (event.ResourceType === ASSOCIATION_RUN_RESOURCE_TYPE) {
    return isAssociationRunComplete(resourceRoleSsm(event, HandlerPhase.IS_COMPLETE), event);
  }
  if (event.ResourceType === DOCUMENT_SHARING_RESOURCE_TYPE) {
    return isDocumentSharingComplete(resourceRoleSsm(event, HandlerPhase.IS_COMPLETE), event);
  }
  throw new Error(`unknown resource type ${event.ResourceType}`);
}
