// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  AssociationExecution, DescribeAssociationCommand, DescribeAssociationExecutionsCommand, DescribeInstanceInformationCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { RunRecord, deleteRunRecord, readRunRecord, writeRunRecord } from './run-wait-record';
import { attributesOf, countsOf, countsText, failedRunNodes, nodeText, unreadText } from './run-wait-report';
import { canonicalJson } from '../private/canonical-json';
import { IAM_PROPAGATION_MS, deploymentFailure, isAccessDenied, isRetryable } from '../private/handler-errors';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../private/provider-types';
import { AssociationRunAttributes, AssociationRunProperties } from '../private/wire';
import { describe, triggeredAlarmsOf } from '../run-command/nodes-report';

// The handler of an association's run wait (`Custom::SsmAssociationRun`). CloudFormation creates or updates the
// association (and the alarm companion writes it back) before this resource; State Manager then runs it, and this
// handler waits for that execution: one DescribeAssociationExecutions call per poll while it runs, and the nodes
// that did not succeed read once, at the end (run-wait-report.ts).

/**
 * How long after the request starts no execution of the association may be visible before the run is taken for one
 * that matched no node: State Manager starts an execution within seconds of CreateAssociation or UpdateAssociation,
 * and its API is eventually consistent, so an execution not visible yet is waited for, not a failure.
 */
export const NO_EXECUTION_MS = 5 * 60_000;
/**
 * How far before the request an execution of this deployment may have been created: CloudFormation writes the
 * association (and the alarm companion writes it back) right before this resource's request starts.
 */
export const CREATED_LOOKBACK_MS = 2 * 60_000;
/** When the association's version is known, executions of it are looked for this far back. */
const VERSION_LOOKBACK_MS = 15 * 60_000;
/** How long a delete retries what Systems Manager refuses for now before it goes on. */
const DELETE_RETRY_MS = 5 * 60_000;
// DescribeAssociationExecutions answers at most 50 executions a page (MaxResults in the SSM API model).
const PAGE_SIZE = 50;
// The statuses of an association execution that has not ended (StatusName is a free string in the API model; these
// are the statuses the State Manager console shows for a run in progress).
const RUNNING = ['Pending', 'InProgress', 'Delayed', 'Waiting', 'Cancelling'];

/** A failure of the deployment, with a message meant for whoever reads the stack's events. */
class RunFailure extends Error {}

interface RunContext {
  readonly ssm: SSMClient;
  readonly event: IsCompleteRequest;
  readonly props: AssociationRunProperties;
  readonly data: Record<string, string>;
  readonly started: number;
  readonly deadline: number;
  readonly now: number;
}

/**
 * onEvent: answers at once with the physical ID, when the request started, and whether there is a run to wait for:
 * not on an update that leaves the association as it was. It reads the association's current version, best effort
 * (the execution of this deployment runs that version); a refusal (a role still propagating in IAM) leaves the
 * execution to be found by its creation time.
 */
export async function onAssociationRunEvent(ssm: SSMClient, event: OnEventRequest, now = Date.now()): Promise<OnEventResponse> {
  const props = event.ResourceProperties as unknown as AssociationRunProperties;
  const physicalResourceId = event.PhysicalResourceId ?? `${event.LogicalResourceId}-run`;
  const data: Record<string, string> = { RequestStart: String(now), Deadline: String(now + Number(props.WaitSeconds) * 1000) };
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId, Data: { RequestStart: String(now), Deadline: String(now + DELETE_RETRY_MS) } };
  }
  const old = event.OldResourceProperties as AssociationRunProperties | undefined;
  if (event.RequestType === 'Update' && old?.AssociationId === props.AssociationId && canonicalJson(old?.WatchedProperties) === canonicalJson(props.WatchedProperties)) {
    return { PhysicalResourceId: physicalResourceId, Data: { ...data, Rerun: 'false' } };
  }
  try {
    const { AssociationDescription: association } = await ssm.send(new DescribeAssociationCommand({ AssociationId: props.AssociationId }));
    if (association?.AssociationVersion) {
      data.AssociationVersion = association.AssociationVersion;
    }
  } catch (error) {
    console.log(`${event.LogicalResourceId}: the association's version is not read; the execution is found by its creation time: ${describe(error)}`);
  }
  return { PhysicalResourceId: physicalResourceId, Data: data };
}


/**
 * isComplete: on create and update, waits for the execution this deployment started, with one
 * DescribeAssociationExecutions call per poll, and reports it; on an update that changed nothing, returns the
 * recorded attributes; on delete, removes the record.
 */
export async function isAssociationRunComplete(ssm: SSMClient, event: IsCompleteRequest, now = Date.now()): Promise<IsCompleteResponse> {
  const props = event.ResourceProperties as unknown as AssociationRunProperties;
  const data = (event.Data ?? {}) as Record<string, string>;
  const started = Number(data.RequestStart) || now;
  const ctx: RunContext = { ssm, event, props, data, started, deadline: Number(data.Deadline) || started + Number(props.WaitSeconds) * 1000, now };
  try {
    if (event.RequestType === 'Delete') {
      return await completeDelete(ctx);
    }
    if (data.Rerun === 'false') {
      return await reportRecorded(ctx);
    }
    return await waitForRun(ctx);
  } catch (error) {
    if (!(error instanceof RunFailure) && isRetryable(error, now - started) && now < ctx.deadline) {
      return { IsComplete: false };
    }
    throw failure(ctx, error);
  }
}

/** One poll of the wait. */
async function waitForRun(ctx: RunContext): Promise<IsCompleteResponse> {
  const { props, now, started, deadline } = ctx;
  const execution = await thisDeploymentsExecution(ctx);
  const online = props.WaitForOnline?.length ? () => instancesOnline(ctx.ssm, props.WaitForOnline!) : async () => true;
  if (execution === undefined) {
    if (now < started + NO_EXECUTION_MS && now < deadline) {
      return { IsComplete: false };
    }
    if (!await online()) {
      return waitFor(ctx, `the instances ${props.WaitForOnline!.join(', ')} to be Online in Systems Manager`);
    }
    return noTargets(ctx, `no execution of ${associationName(props)}${ctx.data.AssociationVersion ? ` version ${ctx.data.AssociationVersion}` : ''} `
      + `appeared in the ${Math.round((now - started) / 60_000)} minutes after the deployment wrote it; State Manager starts none when no node matches its targets`);
  }
  if (RUNNING.includes(execution.Status ?? '')) {
    if (now >= deadline) {
      throw new RunFailure(`${summary(execution)} was still ${execution.Status} (${countsText(countsOf(execution)) || 'no node counted yet'}) when the `
        + 'waitForRun timeout passed; the association goes on running on its nodes; see its execution history in the State Manager console');
    }
    return { IsComplete: false };
  }
  if (!await online()) {
    // Instances created in the same deployment: State Manager runs the association on them once they are Online.
    return waitFor(ctx, `the instances ${props.WaitForOnline!.join(', ')} to be Online in Systems Manager (${summary(execution)} ended ${execution.Status})`);
  }
  return finish(ctx, execution);
}

/**
 * The execution this deployment started: of the association's version that onEvent read, the oldest created since
 * a while before the request (the write of that version started it); without the version, of the highest version
 * among those created since shortly before the request. With waitForOnline, the newest of them: State Manager runs
 * the association again on nodes that come Online. Undefined while none is visible.
 */
async function thisDeploymentsExecution(ctx: RunContext): Promise<AssociationExecution | undefined> {
  const version = ctx.data.AssociationVersion;
  const since = ctx.started - (version ? VERSION_LOOKBACK_MS : CREATED_LOOKBACK_MS);
  const page = await ctx.ssm.send(new DescribeAssociationExecutionsCommand({
    AssociationId: ctx.props.AssociationId,
    Filters: [{ Key: 'CreatedTime', Value: new Date(since).toISOString(), Type: 'GREATER_THAN' }],
    MaxResults: PAGE_SIZE,
  }));
  const executions = page?.AssociationExecutions ?? [];
  const newest = Math.max(...executions.map((execution) => Number(execution.AssociationVersion) || 0));
  const versionOf = (execution: AssociationExecution) => Number(execution.AssociationVersion) || 0;
  const ofVersion = executions.filter((execution) => (version ? execution.AssociationVersion === version : versionOf(execution) === newest));
  const byCreation = ofVersion.sort((a, b) => (a.CreatedTime?.getTime() ?? 0) - (b.CreatedTime?.getTime() ?? 0));
  return ctx.props.WaitForOnline?.length ? byCreation[byCreation.length - 1] : byCreation[0];
}

/** Whether every instance is Online in Systems Manager (one page: instance ID targets name at most 50). */
async function instancesOnline(ssm: SSMClient, instanceIds: string[]): Promise<boolean> {
  const page = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: instanceIds }], MaxResults: PAGE_SIZE }));
  const online = new Set((page?.InstanceInformationList ?? []).filter((info) => info.PingStatus === 'Online').map((info) => info.InstanceId));
  return instanceIds.every((id) => online.has(id));
}

/** The end of an execution: its attributes, or the failure of the deployment with the nodes that did not succeed. */
async function finish(ctx: RunContext, execution: AssociationExecution): Promise<IsCompleteResponse> {
  const attributes = attributesOf(execution);
  if (attributes.TargetCount === '0') {
    return noTargets(ctx, `${summary(execution)} ended ${execution.Status} on no node`, execution);
  }
  if (execution.Status === 'Success') {
    return complete(ctx, attributes);
  }
  const { shown, reads } = await failedRunNodes(ctx.ssm, execution, ctx.now - ctx.started);
  if (reads.error !== undefined && isAccessDenied(reads.error) && ctx.now - ctx.started < IAM_PROPAGATION_MS && ctx.now < ctx.deadline) {
    // The role may still be propagating in IAM: the next poll reads again.
    return { IsComplete: false };
  }
  const failed = Number(attributes.FailedCount);
  const alarm = triggeredAlarmsOf(execution);
  // What matters most comes first, so that a message cut to CloudFormation's 4,096 bytes loses the end of an error only.
  const first = shown.length > 0 && failed > shown.length ? `; the first ${shown.length} of them` : '';
  const parts = [
    `${failed} of ${attributes.TargetCount} nodes did not succeed (${attributes.CountsByStatus})`,
    ...alarm ? [`stopped by the alarm ${alarm}`] : [],
    ...reads.error !== undefined ? [unreadText(reads)] : [],
  ];
  const nodes = shown.map(nodeText);
  throw new RunFailure(`${summary(execution)} ended ${execution.Status} (${execution.DetailedStatus ?? execution.Status}): ${parts.join('; ')}`
    + `${first}${nodes.length > 0 ? `: ${nodes.join('; ')}` : ''}`);
}

/** No node ran the association: a failure, unless failOnNoTargets is false. */
async function noTargets(ctx: RunContext, what: string, execution?: AssociationExecution): Promise<IsCompleteResponse> {
  if (ctx.props.FailOnNoTargets !== 'false') {
    throw new RunFailure(`${what}: check the association's targets, or set failOnNoTargets to false`);
  }
  return complete(ctx, {
    ...(execution ? attributesOf(execution) : {
      ExecutionId: '',
      AssociationVersion: ctx.data.AssociationVersion ?? '',
      DetailedStatus: 'no execution',
      TargetCount: '0',
      SuccessCount: '0',
      FailedCount: '0',
      CountsByStatus: '',
      TriggeredAlarms: '',
    }),
    Status: 'NoTargets',
  });
}

/** Records the attributes (a write refused for now is retried at the next poll) and returns them. */
async function complete(ctx: RunContext, attributes: AssociationRunAttributes): Promise<IsCompleteResponse> {
  const record: RunRecord = { Attributes: attributes, RecordedAt: ctx.now };
  try {
    await writeRunRecord(ctx.ssm, ctx.props.ResultParameter, record);
  } catch (error) {
    if (isRetryable(error, ctx.now - ctx.started) && ctx.now < ctx.deadline) {
      throw error;
    }
    // The run's result stands; an update that waits for nothing then reports that nothing was recorded.
    console.log(`${ctx.event.LogicalResourceId}: the attributes of execution ${attributes.ExecutionId} are not recorded: ${describe(error)}`);
  }
  return { IsComplete: true, Data: attributes };
}

/** An update that left the association as it was: the attributes of the run waited for last. */
async function reportRecorded(ctx: RunContext): Promise<IsCompleteResponse> {
  const record = await readRunRecord(ctx.ssm, ctx.props.ResultParameter);
  const attributes: AssociationRunAttributes = record?.Attributes ?? {
    ExecutionId: '',
    AssociationVersion: '',
    Status: 'NotRecorded',
    DetailedStatus: 'the association did not change, and no earlier run is recorded',
    TargetCount: '0',
    SuccessCount: '0',
    FailedCount: '0',
    CountsByStatus: '',
    TriggeredAlarms: '',
  };
  return { IsComplete: true, Data: attributes };
}

/** Removes the record; what Systems Manager refuses for now is retried for a while, and then the delete goes on. */
async function completeDelete(ctx: RunContext): Promise<IsCompleteResponse> {
  try {
    await deleteRunRecord(ctx.ssm, ctx.props.ResultParameter);
  } catch (error) {
    if (isRetryable(error, ctx.now - ctx.started) && ctx.now < ctx.deadline) {
      return { IsComplete: false };
    }
    console.log(`delete of ${ctx.event.LogicalResourceId}: removing ${ctx.props.ResultParameter} failed, and the delete goes on: ${describe(error)}`);
  }
  return { IsComplete: true };
}

function waitFor(ctx: RunContext, what: string): IsCompleteResponse {
  if (ctx.now >= ctx.deadline) {
    throw new RunFailure(`the waitForRun timeout passed while waiting for ${what}`);
  }
  return { IsComplete: false };
}

function associationName(props: AssociationRunProperties): string {
  const name = (props.WatchedProperties as { Association?: { AssociationName?: unknown } } | undefined)?.Association?.AssociationName;
  return typeof name === 'string' && name ? `association ${name} (${props.AssociationId})` : `association ${props.AssociationId}`;
}

function summary(execution: AssociationExecution): string {
  return `execution ${execution.ExecutionId} (version ${execution.AssociationVersion})`;
}

/** The error that fails the deployment, named after the association, and sized to CloudFormation's 4,096 bytes. */
function failure(ctx: RunContext, error: unknown): Error {
  const { event, props } = ctx;
  let message = error instanceof RunFailure ? error.message : describe(error);
  if (!(error instanceof RunFailure) && isAccessDenied(error)) {
    message += ` (still refused ${Math.round((ctx.now - ctx.started) / 1000)} s after the request started, longer than the ${IAM_PROPAGATION_MS / 60_000} minutes `
      + `IAM may take to apply a new policy: check the permissions of the role ${props.RoleArn})`;
  } else if (!(error instanceof RunFailure) && isRetryable(error, 0)) {
    message = `the waitForRun timeout passed while Systems Manager did not answer (${message})`;
  }
  return deploymentFailure({
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    PhysicalResourceId: event.PhysicalResourceId,
    Data: event.Data,
  }, `waitForRun of ${associationName(props)}: ${message}`);
}
