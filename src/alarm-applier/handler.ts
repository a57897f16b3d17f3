// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  AlarmConfiguration, DescribeAssociationCommand, GetMaintenanceWindowTaskCommand, GetMaintenanceWindowTaskCommandOutput,
  SSMClient, UpdateAssociationCommand, UpdateAssociationCommandInput, UpdateMaintenanceWindowTaskCommand, UpdateMaintenanceWindowTaskCommandInput,
} from '@aws-sdk/client-ssm';
import { OnEventRequest, OnEventResponse } from '../private/provider-types';

/** What the companion of an association or a window task gives its handler. */
export interface AlarmApplierProperties {
  readonly AssociationId?: string;
  readonly WindowId?: string;
  readonly WindowTaskId?: string;
  readonly AlarmConfiguration: { Alarms: { Name: string }[]; IgnorePollAlarmFailure?: string | boolean };
  /** A hash of the L1's properties: any change of the L1 changes it, so the alarm is applied again. */
  readonly Fingerprint: string;
}

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
 * onEvent of the alarm appliers: applies the alarm configuration through the API after CloudFormation created or
 * updated the association or window task, and removes it on delete.
 */
export async function onAlarmApplierEvent(ssm: SSMClient, event: OnEventRequest): Promise<OnEventResponse> {
  const props = event.ResourceProperties as unknown as AlarmApplierProperties;
  const physicalResourceId = event.PhysicalResourceId ?? `alarm-${props.AssociationId ?? props.WindowTaskId}`;
  const alarm = event.RequestType === 'Delete' ? undefined : alarmConfiguration(props.AlarmConfiguration);
  try {
    if (props.AssociationId) {
      await applyToAssociation(ssm, props.AssociationId, alarm);
    } else {
      await applyToWindowTask(ssm, props.WindowId!, props.WindowTaskId!, alarm);
    }
  } catch (error) {
    // The association or task may be gone already: removing its alarm then has nothing left to do.
    const gone = ['AssociationDoesNotExist', 'DoesNotExistException'].includes((error as Error).name);
    if (event.RequestType !== 'Delete' || !gone) {
      throw error;
    }
  }
  return { PhysicalResourceId: physicalResourceId };
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

function alarmConfiguration(config: AlarmApplierProperties['AlarmConfiguration']): AlarmConfiguration {
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
