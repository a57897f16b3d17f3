// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  AlarmStateInformation, AssociationExecution, AssociationExecutionTarget, DescribeAssociationCommand, DescribeAssociationExecutionsCommand,
  DescribeAssociationExecutionTargetsCommand, DescribeMaintenanceWindowExecutionTaskInvocationsCommand, GetCommandInvocationCommand,
  GetMaintenanceWindowExecutionTaskCommand, GetMaintenanceWindowExecutionTaskCommandOutput, ListCommandInvocationsCommand,
  MaintenanceWindowExecutionTaskInvocationIdentity, SSMClient,
} from '@aws-sdk/client-ssm';
import {
  ASSOCIATION_FAILED_STATUSES, ASSOCIATION_STATE_CHANGE, INSTANCE_ASSOCIATION_STATE_CHANGE, ReportRequest, SsmEvent, TASK_EXECUTION_STATE_CHANGE,
  TASK_FAILED_STATUSES, TASK_TARGET_INVOCATION_STATE_CHANGE,
} from './events';
import { isTransient } from '../private/handler-errors';

// The report function: for a failed run of an association or a maintenance window task, it gathers the per-node
// detail with a bounded number of Systems Manager calls and publishes one message to the report's topic.
//
// One message per run. Systems Manager sends one run-level event (the association's state change, the task
// execution's state change) and one event per node or target. The run-level event reports a run whose own status is
// a failure; a node-level event reports only a run whose own status is not a failure (a run that ended in Success
// although nodes failed, within MaxErrors) and only when its node is the first failed one that Systems Manager
// lists: so each failed run is reported once, by exactly one event, without any state kept between invocations.

/** Failed nodes shown in detail; the others are counted. */
export const NODES_SHOWN = 5;
/** The end of a node's standard error that a message shows. */
export const STDERR_TAIL_CHARS = 600;
/** SNS takes a subject of at most 100 characters (Amazon SNS API Reference, Publish). */
export const MAX_SUBJECT_CHARS = 100;
/** SNS takes a message of at most 256 KB (Amazon SNS API Reference, Publish); a report stays well within it. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** How long a node-level event waits for its run to end, polling, before it leaves the run to its run-level event. */
export const RUN_END_WAIT_MS = 60_000;
const RUN_END_POLL_MS = 10_000;
const ATTEMPTS = 3;
// DescribeMaintenanceWindowExecutionTaskInvocations takes MaxResults of 10 to 100 (MaintenanceWindowMaxResults).
const INVOCATION_PAGE = 100;
const FAILED_INVOCATION_PAGES = 2;
const RUNNING_ASSOCIATION = ['Pending', 'InProgress'];
const RUNNING_TASK = ['PENDING', 'IN_PROGRESS', 'CANCELLING'];

/** Publishes to SNS: the SNS client's Publish, or a stand-in in the tests. */
export interface Publisher {
  publish(input: {
    TopicArn: string; Subject: string; Message: string; MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
  }): Promise<unknown>;
}

/** What the handler works with. */
export interface ReportDeps {
  readonly ssm: Pick<SSMClient, 'send'>;
  readonly publisher: Publisher;
  /** Waits, between retries and polls; `setTimeout` unless given. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A failed node or target, as the message shows it. */
export interface FailedNode {
  readonly id: string;
  readonly status: string;
  readonly step?: string;
  readonly stderr?: string;
  readonly executionId?: string;
  readonly link?: string;
}

/** A report, as the message's JSON block carries it. */
export interface Report {
  readonly kind: 'association' | 'maintenance-window-task';
  readonly name: string;
  readonly id: string;
  readonly runId?: string;
  readonly status: string;
  readonly detailedStatus?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  /** Nodes or targets by status; absent when unknown. */
  readonly counts?: Record<string, number>;
  readonly total?: number;
  /** Whether the total is at least `total` (more than a bounded read could count). */
  readonly totalAtLeast?: boolean;
  readonly failedCount: number;
  readonly failedAtLeast?: boolean;
  readonly failed: FailedNode[];
  readonly alarms: string[];
  readonly links: Record<string, string>;
  /** What could not be read, and why. */
  readonly notGathered: string[];
  readonly deleted?: boolean;
  readonly event: { readonly detailType: string; readonly time?: string; readonly detail: Record<string, string | undefined> };
}

/** What the handler did with an event. */
export interface ReportOutcome {
  readonly published: boolean;
  /** Why not, when it did not publish. */
  readonly reason?: string;
  readonly subject?: string;
  readonly message?: string;
  readonly report?: Report;
  /** SSM calls made, retries included. */
  readonly ssmCalls: number;
}

/** The Lambda entry point, with the clients of the Lambda runtime. */
export function reportHandler(): (request: ReportRequest) => Promise<ReportOutcome> {
  let deps: ReportDeps | undefined;
  return async (request) => {
    deps ??= { ssm: new SSMClient({}), publisher: runtimeSnsPublisher() };
    return handleReport(request, deps);
  };
}

/** SNS's client, from the Lambda runtime, which provides the AWS SDK for JavaScript v3. */
function runtimeSnsPublisher(): Publisher {
  const client = new SNSClient({});
  return { publish: (input) => client.send(new PublishCommand(input)) };
}

/** Calls with retries of transient errors; after a call fails for good, the reads that follow are skipped. */
class Calls {
  public count = 0;
  public readonly notGathered: string[] = [];
  private failed = false;

  constructor(private readonly deps: ReportDeps) {}

  public get stopped(): boolean {
    return this.failed;
  }

  /** The output, or undefined when it failed (noted) or was skipped. Errors named in `passThrough` are thrown. */
  public async send<T>(what: string, command: any, passThrough: string[] = []): Promise<T | undefined> {
    if (this.failed) {
      return undefined;
    }
    for (let attempt = 1; ; attempt++) {
      this.count++;
      try {
        return await this.deps.ssm.send(command) as T;
      } catch (error) {
        const name = (error as { name?: string }).name ?? 'Error';
        if (passThrough.includes(name)) {
          throw error;
        }
        if (isTransient(error) && attempt < ATTEMPTS) {
          await this.sleep(200 * 2 ** attempt);
          continue;
        }
        this.failed = true;
        this.notGathered.push(`${what}: ${name}: ${(error as Error).message ?? ''}`.slice(0, 300));
        return undefined;
      }
    }
  }

  public sleep(ms: number): Promise<void> {
    return (this.deps.sleep ?? ((time: number) => new Promise((resolve) => setTimeout(resolve, time))))(ms);
  }
}

/** Handles one event of one report: gathers, decides whether this event reports the run, and publishes. */
export async function handleReport(request: ReportRequest, deps: ReportDeps): Promise<ReportOutcome> {
  const { event } = request;
  const calls = new Calls(deps);
  let gathered: { report?: Report; skip?: string };
  try {
    switch (event['detail-type']) {
      case ASSOCIATION_STATE_CHANGE:
      case INSTANCE_ASSOCIATION_STATE_CHANGE:
        gathered = await association(event, calls);
        break;
      case TASK_EXECUTION_STATE_CHANGE:
      case TASK_TARGET_INVOCATION_STATE_CHANGE:
        gathered = await windowTask(event, calls);
        break;
      default:
        return { published: false, reason: `not an event of a report: ${event['detail-type']}`, ssmCalls: 0 };
    }
  } catch (error) {
    // Whatever went wrong, the event itself is reported.
    calls.notGathered.push(`${(error as Error).name}: ${(error as Error).message}`.slice(0, 300));
    gathered = { report: fromEventOnly(event, calls) };
  }
  if (gathered.skip !== undefined) {
    console.log(JSON.stringify({ skipped: gathered.skip, detailType: event['detail-type'], detail: event.detail }));
    return { published: false, reason: gathered.skip, ssmCalls: calls.count };
  }
  const report = gathered.report!;
  const subject = subjectOf(report);
  const message = messageOf(report, event.region);
  await deps.publisher.publish({
    TopicArn: request.topicArn,
    Subject: subject,
    Message: message,
    MessageAttributes: {
      kind: { DataType: 'String', StringValue: report.kind },
      resourceId: { DataType: 'String', StringValue: report.id },
      status: { DataType: 'String', StringValue: report.status },
    },
  });
  return { published: true, subject, message, report, ssmCalls: calls.count };
}

// ---- Associations

async function association(event: SsmEvent, calls: Calls): Promise<{ report?: Report; skip?: string }> {
  const id = event.detail['association-id'] ?? '';
  const region = event.region ?? '';
  const nodeEvent = event['detail-type'] === INSTANCE_ASSOCIATION_STATE_CHANGE;
  let name = id;
  try {
    const described = await calls.send<any>('DescribeAssociation', new DescribeAssociationCommand({ AssociationId: id }), ['AssociationDoesNotExist']);
    name = described?.AssociationDescription?.AssociationName || described?.AssociationDescription?.Name || id;
  } catch {
    // Deleted since: the event is all there is.
    return { report: { ...fromEventOnly(event, calls), deleted: true } };
  }
  let execution = await newestEnded(calls, id);
  if (nodeEvent) {
    for (let waited = 0; execution?.running && waited < RUN_END_WAIT_MS; waited += RUN_END_POLL_MS) {
      await calls.sleep(RUN_END_POLL_MS);
      execution = await newestEnded(calls, id);
    }
    if (execution === undefined || execution.running) {
      return calls.stopped ? { report: fromEventOnly(event, calls, name) } : { skip: 'the run has not ended; its association-level event reports it' };
    }
    if (ASSOCIATION_FAILED_STATUSES.includes(execution.ended?.Status ?? '')) {
      return { skip: `the run ${execution.ended?.ExecutionId} ended ${execution.ended?.Status}; its association-level event reports it` };
    }
  }
  const run = execution?.ended;
  if (run === undefined) {
    return { report: fromEventOnly(event, calls, name) };
  }
  const counts = parseCounts(run.ResourceCountByStatus);
  const failedStatuses = Object.keys(counts).filter((status) => status !== 'Success' && !RUNNING_ASSOCIATION.includes(status));
  const statuses = failedStatuses.length > 0 ? failedStatuses : ['Failed'];
  const targets: AssociationExecutionTarget[] = [];
  for (const status of statuses) {
    if (targets.length >= NODES_SHOWN) {
      break;
    }
    const page = await calls.send<any>('DescribeAssociationExecutionTargets', new DescribeAssociationExecutionTargetsCommand({
      AssociationId: id, ExecutionId: run.ExecutionId, Filters: [{ Key: 'Status', Value: status }], MaxResults: NODES_SHOWN - targets.length,
    }));
    targets.push(...(page?.AssociationExecutionTargets ?? []));
  }
  if (nodeEvent && targets[0] !== undefined && targets[0].ResourceId !== event.detail['instance-id']) {
    return { skip: `the run ${run.ExecutionId} is reported by the event of its first failed node, ${targets[0].ResourceId}` };
  }
  const failed: FailedNode[] = [];
  for (const target of targets) {
    failed.push(await nodeDetail(calls, region, target.ResourceId ?? '', `${target.Status}${target.DetailedStatus && target.DetailedStatus !== target.Status ? ` (${target.DetailedStatus})` : ''}`,
      target.OutputSource?.OutputSourceType === 'RunCommand' ? target.OutputSource.OutputSourceId : undefined));
  }
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const failedCount = failedStatuses.reduce((sum, status) => sum + counts[status], 0);
  return {
    report: {
      kind: 'association',
      name,
      id,
      runId: run.ExecutionId,
      status: run.Status ?? event.detail.status ?? 'Failed',
      detailedStatus: run.DetailedStatus,
      startTime: iso(run.CreatedTime),
      endTime: iso(run.LastExecutionDate),
      counts: Object.keys(counts).length > 0 ? counts : undefined,
      total: total > 0 ? total : undefined,
      failedCount: Math.max(failedCount, failed.length),
      failed,
      alarms: alarmsOf(run.TriggeredAlarms),
      links: {
        association: consoleUrl(region, `systems-manager/state-manager/${id}/description`),
        execution: consoleUrl(region, `systems-manager/state-manager/${id}/execution/${run.ExecutionId}`),
      },
      notGathered: calls.notGathered,
      event: eventPart(event),
    },
  };
}

/** The newest execution that has ended, and whether a newer one still runs. One call. */
async function newestEnded(calls: Calls, id: string): Promise<{ ended?: AssociationExecution; running: boolean } | undefined> {
  const page = await calls.send<any>('DescribeAssociationExecutions', new DescribeAssociationExecutionsCommand({ AssociationId: id, MaxResults: 5 }));
  if (page === undefined) {
    return undefined;
  }
  const executions: AssociationExecution[] = [...(page.AssociationExecutions ?? [])]
    .sort((a, b) => (b.CreatedTime?.getTime?.() ?? 0) - (a.CreatedTime?.getTime?.() ?? 0));
  const running = RUNNING_ASSOCIATION.includes(executions[0]?.Status ?? '');
  return { ended: executions.find((execution) => !RUNNING_ASSOCIATION.includes(execution.Status ?? '')), running };
}

/** A node's failed step and the end of its standard error, through its command: two calls. */
async function nodeDetail(calls: Calls, region: string, instanceId: string, status: string, commandId: string | undefined): Promise<FailedNode> {
  if (!commandId || !instanceId) {
    return { id: instanceId, status };
  }
  const link = consoleUrl(region, `systems-manager/run-command/${commandId}/${instanceId}`);
  const listed = await calls.send<any>('ListCommandInvocations', new ListCommandInvocationsCommand({ CommandId: commandId, InstanceId: instanceId, Details: true }));
  const plugins: { Name?: string; Status?: string }[] = listed?.CommandInvocations?.[0]?.CommandPlugins ?? [];
  const step = plugins.find((plugin) => plugin.Status !== 'Success') ?? plugins[plugins.length - 1];
  if (listed === undefined) {
    return { id: instanceId, status, executionId: commandId, link };
  }
  const invocation = await calls.send<any>('GetCommandInvocation', new GetCommandInvocationCommand({
    CommandId: commandId, InstanceId: instanceId, PluginName: plugins.length > 1 ? step?.Name : undefined,
  }));
  const stderr = tail(invocation?.StandardErrorContent);
  return { id: instanceId, status, step: step?.Name ?? invocation?.PluginName, stderr, executionId: commandId, link };
}

// ---- Maintenance window tasks

async function windowTask(event: SsmEvent, calls: Calls): Promise<{ report?: Report; skip?: string }> {
  const region = event.region ?? '';
  const windowId = event.detail['window-id'] ?? '';
  const windowExecutionId = event.detail['window-execution-id'] ?? '';
  const taskExecutionId = event.detail['task-execution-id'] ?? '';
  const targetEvent = event['detail-type'] === TASK_TARGET_INVOCATION_STATE_CHANGE;
  let task: GetMaintenanceWindowExecutionTaskCommandOutput | undefined;
  const getTask = async () => {
    try {
      return await calls.send<GetMaintenanceWindowExecutionTaskCommandOutput>('GetMaintenanceWindowExecutionTask',
        new GetMaintenanceWindowExecutionTaskCommand({ WindowExecutionId: windowExecutionId, TaskId: taskExecutionId }), ['DoesNotExistException']);
    } catch {
      return 'gone' as const;
    }
  };
  let got = await getTask();
  if (got === 'gone') {
    return { report: { ...fromEventOnly(event, calls), deleted: true } };
  }
  task = got;
  if (targetEvent) {
    for (let waited = 0; task && RUNNING_TASK.includes(task.Status ?? '') && waited < RUN_END_WAIT_MS; waited += RUN_END_POLL_MS) {
      await calls.sleep(RUN_END_POLL_MS);
      got = await getTask();
      task = got === 'gone' ? undefined : got;
    }
    if (task === undefined) {
      return { report: fromEventOnly(event, calls) };
    }
    if (RUNNING_TASK.includes(task.Status ?? '')) {
      return { skip: 'the task has not ended; its task-level event reports it' };
    }
    if (TASK_FAILED_STATUSES.includes(task.Status ?? '')) {
      return { skip: `the task execution ${taskExecutionId} ended ${task.Status}; its task-level event reports it` };
    }
  }
  const name = taskName(task?.TaskArn) ?? taskExecutionId;
  // One page of all invocations counts them when there are at most 100; past that, the failed ones are read by status.
  const all = await calls.send<any>('DescribeMaintenanceWindowExecutionTaskInvocations', new DescribeMaintenanceWindowExecutionTaskInvocationsCommand({
    WindowExecutionId: windowExecutionId, TaskId: taskExecutionId, MaxResults: INVOCATION_PAGE,
  }));
  let invocations: MaintenanceWindowExecutionTaskInvocationIdentity[] = all?.WindowExecutionTaskInvocationIdentities ?? [];
  let total: number | undefined = all === undefined ? undefined : invocations.length;
  const totalAtLeast = all?.NextToken ? true : undefined;
  let counts: Record<string, number> | undefined;
  let failedAtLeast: boolean | undefined;
  let failedInvocations: MaintenanceWindowExecutionTaskInvocationIdentity[];
  if (all !== undefined && !all.NextToken) {
    counts = {};
    for (const invocation of invocations) {
      counts[invocation.Status ?? 'UNKNOWN'] = (counts[invocation.Status ?? 'UNKNOWN'] ?? 0) + 1;
    }
    failedInvocations = invocations.filter((invocation) => TASK_FAILED_STATUSES.includes(invocation.Status ?? ''));
  } else {
    failedInvocations = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await calls.send<any>('DescribeMaintenanceWindowExecutionTaskInvocations', new DescribeMaintenanceWindowExecutionTaskInvocationsCommand({
        WindowExecutionId: windowExecutionId,
        TaskId: taskExecutionId,
        MaxResults: INVOCATION_PAGE,
        NextToken: nextToken,
        Filters: [{ Key: 'STATUS', Values: TASK_FAILED_STATUSES }],
      }));
      failedInvocations.push(...(page?.WindowExecutionTaskInvocationIdentities ?? []));
      nextToken = page?.NextToken || undefined;
      pages++;
    } while (nextToken && pages < FAILED_INVOCATION_PAGES);
    failedAtLeast = nextToken ? true : undefined;
    invocations = failedInvocations;
  }
  if (targetEvent && failedInvocations[0] !== undefined && !claims(event, failedInvocations[0])) {
    return { skip: `the task execution ${taskExecutionId} is reported by the event of its first failed target` };
  }
  const failed: FailedNode[] = [];
  for (const invocation of failedInvocations.slice(0, NODES_SHOWN)) {
    failed.push(await invocationDetail(calls, region, invocation));
  }
  return {
    report: {
      kind: 'maintenance-window-task',
      name,
      id: windowId,
      runId: taskExecutionId,
      status: task?.Status ?? event.detail.status ?? 'FAILED',
      detailedStatus: task?.StatusDetails,
      startTime: iso(task?.StartTime) ?? event.detail['start-time'],
      endTime: iso(task?.EndTime) ?? event.detail['end-time'],
      counts,
      total,
      totalAtLeast,
      failedCount: failedInvocations.length,
      failedAtLeast,
      failed,
      alarms: alarmsOf(task?.TriggeredAlarms),
      links: {
        windowExecution: consoleUrl(region, `systems-manager/maintenance-windows/${windowId}/history/${windowExecutionId}`),
      },
      notGathered: calls.notGathered,
      event: eventPart(event),
    },
  };
}

/** Whether a target's event is the one of the first failed invocation: same window target, same end time (to the millisecond). */
function claims(event: SsmEvent, first: MaintenanceWindowExecutionTaskInvocationIdentity): boolean {
  const sameTarget = !event.detail['window-target-id'] || !first.WindowTargetId || event.detail['window-target-id'] === first.WindowTargetId;
  const end = Date.parse(event.detail['end-time'] ?? '');
  const sameEnd = Number.isNaN(end) || first.EndTime === undefined || new Date(first.EndTime).getTime() === end;
  return sameTarget && sameEnd;
}

/** A failed invocation: a Run Command task's node with its step and errors; the execution of any other task. */
async function invocationDetail(calls: Calls, region: string, invocation: MaintenanceWindowExecutionTaskInvocationIdentity): Promise<FailedNode> {
  const status = `${invocation.Status}${invocation.StatusDetails ? ` (${invocation.StatusDetails})` : ''}`;
  const executionId = invocation.ExecutionId ?? '';
  switch (invocation.TaskType) {
    case 'RUN_COMMAND': {
      const instanceId = instanceOf(invocation.Parameters) ?? invocation.WindowTargetId ?? invocation.InvocationId ?? '';
      return nodeDetail(calls, region, instanceId, status, executionId || undefined);
    }
    case 'AUTOMATION':
      return { id: invocation.WindowTargetId ?? invocation.InvocationId ?? '', status, executionId, link: consoleUrl(region, `systems-manager/automation/execution/${executionId}`) };
    case 'STEP_FUNCTIONS':
      return { id: invocation.WindowTargetId ?? invocation.InvocationId ?? '', status, executionId, link: consoleUrl(region, `states/home#/v2/executions/details/${executionId}`) };
    case 'LAMBDA':
      return { id: invocation.WindowTargetId ?? invocation.InvocationId ?? '', status, executionId, link: consoleUrl(region, 'lambda/home#/functions') };
    default:
      return { id: invocation.WindowTargetId ?? invocation.InvocationId ?? '', status, executionId };
  }
}

/** The node of a Run Command invocation, from its parameters (`instanceIds`), when they are readable. */
function instanceOf(parameters: string | undefined): string | undefined {
  try {
    return JSON.parse(parameters ?? '')?.instanceIds?.[0];
  } catch {
    return undefined;
  }
}

function taskName(taskArn: string | undefined): string | undefined {
  return taskArn?.split(/[/:]/).pop() || undefined;
}

// ---- The event alone

/** What the event itself says, when Systems Manager could not tell more. */
function fromEventOnly(event: SsmEvent, calls: Calls, name?: string): Report {
  const detail = event.detail;
  const associationEvent = detail['association-id'] !== undefined;
  const id = detail['association-id'] ?? detail['window-id'] ?? 'unknown';
  const counts = associationEvent ? parseCounts(detail['association-status-aggregated-count']) : undefined;
  const failedCount = counts ? Object.entries(counts).filter(([status]) => status !== 'Success' && !RUNNING_ASSOCIATION.includes(status)).reduce((sum, [, n]) => sum + n, 0) : 0;
  const total = counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : undefined;
  const failed: FailedNode[] = detail['instance-id'] ? [{ id: detail['instance-id'], status: `${detail.status}${detail['detailed-status'] ? ` (${detail['detailed-status']})` : ''}` }] : [];
  const region = event.region ?? '';
  return {
    kind: associationEvent ? 'association' : 'maintenance-window-task',
    name: name ?? (associationEvent ? id : detail['task-execution-id'] ?? id),
    id,
    runId: associationEvent ? undefined : detail['task-execution-id'],
    status: detail.status ?? 'unknown',
    detailedStatus: detail['detailed-status'] || undefined,
    startTime: detail['start-time'],
    endTime: detail['end-time'] ?? detail['last-execution-date'],
    counts: counts && Object.keys(counts).length > 0 ? counts : undefined,
    total: total || undefined,
    failedCount: Math.max(failedCount, failed.length),
    failed,
    alarms: [],
    links: associationEvent
      ? { association: consoleUrl(region, `systems-manager/state-manager/${id}/description`) }
      : { windowExecution: consoleUrl(region, `systems-manager/maintenance-windows/${id}/history/${detail['window-execution-id']}`) },
    notGathered: calls.notGathered.length > 0 ? calls.notGathered : ['only the event: Systems Manager did not say more'],
    event: eventPart(event),
  };
}

// ---- The message

/** `Association Nightly-Patch failed on 3 of 120 nodes`, within SNS's 100 printable ASCII characters. */
export function subjectOf(report: Report): string {
  const what = report.kind === 'association' ? 'Association' : 'Maintenance window task';
  const unit = report.kind === 'association' ? 'nodes' : 'targets';
  const verb = report.deleted ? 'failed (since deleted)' : 'failed';
  const failed = `${report.failedCount}${report.failedAtLeast ? '+' : ''}`;
  const of = report.total !== undefined ? ` of ${report.total}${report.totalAtLeast ? '+' : ''}` : '';
  const suffix = report.failedCount > 0 ? ` ${verb} on ${failed}${of} ${unit}` : ` ${verb}: ${report.status}`;
  // SNS subjects are ASCII, without line breaks (Amazon SNS API Reference, Publish).
  const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');
  const room = MAX_SUBJECT_CHARS - what.length - 1 - ascii(suffix).length;
  const name = ascii(report.name);
  return `${what} ${name.length > room ? `${name.slice(0, Math.max(room - 3, 1))}...` : name}${ascii(suffix)}`.slice(0, MAX_SUBJECT_CHARS);
}

/** The body a person reads, then the same as JSON in a fenced block. */
export function messageOf(report: Report, region?: string): string {
  const lines: string[] = [subjectOf(report), ''];
  const resource = report.kind === 'association' ? `association ${report.name} (${report.id})` : `task ${report.name} of maintenance window ${report.id}`;
  lines.push(`Run:     ${report.runId ? `${report.kind === 'association' ? 'execution' : 'task execution'} ${report.runId} of ` : ''}${resource}${region ? ` in ${region}` : ''}`);
  lines.push(`When:    ${report.startTime ?? '?'} to ${report.endTime ?? '?'}`);
  lines.push(`Status:  ${report.status}${report.detailedStatus && report.detailedStatus !== report.status ? ` (${report.detailedStatus})` : ''}`);
  if (report.counts) {
    lines.push(`Counts:  ${Object.entries(report.counts).map(([status, count]) => `${status} ${count}`).join(', ')}`);
  }
  if (report.deleted) {
    lines.push('Note:    the resource has been deleted since; this is what the event said.');
  }
  if (report.alarms.length > 0) {
    lines.push(`Stopped by alarm: ${report.alarms.join(', ')}`);
  }
  const shownOf = `${report.failedCount}${report.failedAtLeast ? '+' : ''}`;
  if (report.failed.length > 0) {
    lines.push('', `Failed (the first ${report.failed.length} of ${shownOf}):`);
    for (const node of report.failed) {
      lines.push(`- ${node.id}: ${node.status}${node.step ? `, step ${node.step}` : ''}${node.executionId ? `, execution ${node.executionId}` : ''}`);
      if (node.stderr) {
        lines.push(...node.stderr.split('\n').map((line) => `    | ${line}`));
      }
      if (node.link) {
        lines.push(`    ${node.link}`);
      }
    }
    const more = report.failedCount - report.failed.length;
    if (more > 0) {
      lines.push(`- and ${more}${report.failedAtLeast ? '+' : ''} more`);
    }
  }
  if (report.notGathered.length > 0) {
    lines.push('', 'Not gathered:', ...report.notGathered.map((note) => `- ${note}`));
  }
  lines.push('', 'Console:', ...Object.entries(report.links).map(([name, url]) => `- ${name}: ${url}`));
  const text = lines.join('\n');
  const json = JSON.stringify(report, undefined, 2);
  const message = `${text}\n\n\`\`\`json\n${json}\n\`\`\`\n`;
  if (Buffer.byteLength(message, 'utf8') <= MAX_MESSAGE_BYTES) {
    return message;
  }
  // Never reached with the bounds above (5 nodes, 600 characters each); kept as the last guard of SNS's limit.
  const failed = report.failed.map((node) => ({ ...node, stderr: undefined }));
  return messageOf({ ...report, failed, event: { ...report.event, detail: {} } }, region);
}

// ---- Helpers

/** `{Success=117, Failed=3}` (ResourceCountByStatus, AssociationExecution) or `{"Success":1}` (the event's count). */
export function parseCounts(text: string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of (text ?? '').matchAll(/"?([A-Za-z]+)"?\s*[=:]\s*(\d+)/g)) {
    counts[match[1]] = Number(match[2]);
  }
  return counts;
}

function alarmsOf(alarms: AlarmStateInformation[] | undefined): string[] {
  return (alarms ?? []).map((alarm) => `${alarm.Name} (${alarm.State})`);
}

function tail(text: string | undefined): string | undefined {
  const trimmed = (text ?? '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').trim();
  if (!trimmed) {
    return undefined;
  }
  return trimmed.length > STDERR_TAIL_CHARS ? `...${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
}

function iso(date: Date | string | undefined): string | undefined {
  if (date === undefined) {
    return undefined;
  }
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** A console address in the event's region (the commercial partition's console). */
function consoleUrl(region: string, path: string): string {
  const [page, fragment] = path.split('#');
  return `https://${region ? `${region}.` : ''}console.aws.amazon.com/${page}?region=${region}${fragment ? `#${fragment}` : ''}`;
}

function eventPart(event: SsmEvent): Report['event'] {
  return { detailType: event['detail-type'], time: event.time, detail: event.detail };
}
