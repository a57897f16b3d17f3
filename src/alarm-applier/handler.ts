// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  AlarmConfiguration, DescribeAssociationCommand, GetMaintenanceWindowTaskCommand, GetMaintenanceWindowTaskCommandOutput,
  SSMClient, UpdateAssociationCommand, UpdateAssociationCommandInput, UpdateMaintenanceWindowTaskCommand, UpdateMaintenanceWindowTaskCommandInput,
} from '@aws-sdk/client-ssm';
import { deploymentFailure, IAM_PROPAGATION_MS, isAccessDenied, isRetryable } from '../private/handler-errors';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../private/provider-types';
import { AlarmApplierProperties, WireAlarmConfiguration } from '../private/wire';

/** How long after a request starts the companion keeps trying to apply or remove the alarm. */
export const APPLY_DEADLINE_MS = 10 * 60 * 1000;

// Every member of UpdateAssociationRequest, all of which DescribeAssociation returns (SSM API model).
// UpdateAssociation sets to null whatever it is not given, so each is written back.
export const ASSOCIATION_FIELDS = [
  'ApplyOnlyAtCronInterval', 'AssociationDispatchAssumeRole', 'AssociationId', 'AssociationName', 'AssociationVersion',
  'AutomationTargetParameterName', 'CalendarNames', 'ComplianceSeverity', 'DocumentVersion', 'Duration', 'MaxConcurrency',
  'MaxErrors', 'Name', 'OutputLocation', 'Parameters', 'ScheduleExpression', 'ScheduleOffset', 'SyncCompliance',
  'TargetLocations', 'TargetMaps', 'Targets',
] as const;

// Every member of UpdateMaintenanceWindowTaskRequest that GetMaintenanceWindowTask returns. The update uses Replace,
// so that removing the alarm is an explicit write of everything else; Replace nulls whatever it is not given.
export const WINDOW_TASK_FIELDS = [
  'CutoffBehavior', 'Description', 'LoggingInfo', 'MaxConcurrency', 'MaxErrors', 'Name', 'Priority', 'ServiceRoleArn',
  'Targets', 'TaskArn', 'TaskInvocationParameters', 'TaskParameters', 'WindowId', 'WindowTaskId',
] as const;

/**
 * onEvent of the alarm companions: answers at once with the physical ID and when the request started. The work is
 * isComplete's, which the Provider framework calls again and again, so that calls refused for a while (throttling,
 * a role still propagating in IAM) are tried again instead of failing the deployment.
 */
export async function onAlarmApplierEvent(event: OnEventRequest, now = Date.now()): Promise<OnEventResponse> {
  const props = event.ResourceProperties as unknown as AlarmApplierProperties;
  return {
    PhysicalResourceId: event.PhysicalResourceId ?? `alarm-${props.AssociationId ?? props.WindowTaskId}`,
    Data: { RequestStart: String(now) },
  };
}

/**
 * isComplete of the alarm companions: applies the alarm configuration through the API after CloudFormation created or
 * updated the association or window task, and removes it on delete. A retryable error (throttling, a server error,
 * AccessDenied in the first 2 minutes) is tried again at the next poll, until 10 minutes after the request; a delete
 * whose association or task is gone has nothing left to do.
 */
export async function isAlarmApplierComplete(ssm: SSMClient, event: IsCompleteRequest, now = Date.now()): Promise<IsCompleteResponse> {
  const props = event.ResourceProperties as unknown as AlarmApplierProperties;
  const start = Number(event.Data?.RequestStart) || now;
  const alarm = event.RequestType === 'Delete' ? undefined : alarmConfiguration(props.AlarmConfiguration);
  try {
    if (props.AssociationId) {
      await applyToAssociation(ssm, props.AssociationId, alarm);
    } else {
      await applyToWindowTask(ssm, props.WindowId!, props.WindowTaskId!, alarm);
    }
    return { IsComplete: true };
  } catch (error) {
    if (event.RequestType === 'Delete' && isGone(error)) {
      return { IsComplete: true };
    }
    const age = now - start;
    if (isRetryable(error, age) && age < APPLY_DEADLINE_MS) {
      return { IsComplete: false };
    }
    throw deploymentFailure(event, failureMessage(event, props, error, age));
  }
}

/** The association or task is gone, so there is no alarm left to remove. */
function isGone(error: unknown): boolean {
  return ['AssociationDoesNotExist', 'DoesNotExistException'].includes((error as Error)?.name);
}

/** Why the companion failed, and what to do about it. */
function failureMessage(event: IsCompleteRequest, props: AlarmApplierProperties, error: unknown, age: number): string {
  const [target, kind, aKind, update] = props.AssociationId
    ? [`association ${props.AssociationId}`, 'association', 'an association', 'UpdateAssociation']
    : [`maintenance window task ${props.WindowTaskId} of window ${props.WindowId}`, 'task', 'a task', 'UpdateMaintenanceWindowTask with Replace'];
  const cause = `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
  // Refused for as long as calls are tried again: throttling or server errors until the deadline.
  const during = isRetryable(error, 0) && !isAccessDenied(error) ? ` for ${Math.round(age / 60_000)} minutes` : '';
  const refused = isAccessDenied(error)
    ? ` The companion's role ${props.RoleArn} is still refused ${IAM_PROPAGATION_MS / 60_000} minutes after the request, longer than IAM `
      + 'takes to propagate a new role: check that no service control policy or permissions boundary denies the call.'
    : '';
  if (event.RequestType === 'Delete') {
    return `could not remove the alarm configuration from ${target}${during} (${cause}).${refused} The alarm may still be set on the ${kind}: `
      + `remove it in the Systems Manager console, or write the ${kind} back without AlarmConfiguration (${update}), or retry the delete, `
      + `which is safe: removing an alarm that is not set, or from ${aKind} that is gone, succeeds.`;
  }
  return `could not apply the alarm configuration to ${target}${during} (${cause}).${refused} Until it is applied the alarm does not `
    + `gate the ${kind}; the deployment rolls back, and deploying again applies it.`;
}

/** DescribeAssociation, then UpdateAssociation with every field written back and the alarm set (or left out). */
export async function applyToAssociation(ssm: SSMClient, associationId: string, alarm?: AlarmConfiguration) {
  const { AssociationDescription: description } = await ssm.send(new DescribeAssociationCommand({ AssociationId: associationId }));
  await ssm.send(new UpdateAssociationCommand({
    ...pick(description ?? {}, ASSOCIATION_FIELDS),
    AssociationId: associationId,
    AlarmConfiguration: alarm,
  }));
}

/** GetMaintenanceWindowTask, then UpdateMaintenanceWindowTask with Replace, every field written back and the alarm set (or left out). */
export async function applyToWindowTask(ssm: SSMClient, windowId: string, windowTaskId: string, alarm?: AlarmConfiguration) {
  const task: GetMaintenanceWindowTaskCommandOutput = await ssm.send(
    new GetMaintenanceWindowTaskCommand({ WindowId: windowId, WindowTaskId: windowTaskId }),
  );
  const fields = pick(task, WINDOW_TASK_FIELDS);
  if (!task.Targets?.length) {
    // A task without targets reports placeholder rate controls that the API refuses to be given.
    delete fields.MaxConcurrency;
    delete fields.MaxErrors;
  }
  const input: UpdateMaintenanceWindowTaskCommandInput = {
    ...fields,
    WindowId: windowId,
    WindowTaskId: windowTaskId,
    Replace: true,
    AlarmConfiguration: alarm,
  };
  await ssm.send(new UpdateMaintenanceWindowTaskCommand(input));
}

function alarmConfiguration(config: WireAlarmConfiguration): AlarmConfiguration {
  return { Alarms: config.Alarms.map(({ Name }) => ({ Name })), IgnorePollAlarmFailure: String(config.IgnorePollAlarmFailure) === 'true' };
}

function pick<T extends object, K extends string>(source: T, fields: readonly K[]): Partial<UpdateAssociationCommandInput> & Record<string, any> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (source as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) {
      picked[field] = value;
    }
  }
  return picked;
}
