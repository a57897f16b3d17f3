import { ASSOCIATION_STATE_CHANGE, SsmEvent } from '../../src/failure-report/events';
import { Publisher, ReportDeps } from '../../src/failure-report/report';
import { Course, SimulatedSsm } from '../lifecycle/simulated-ssm';

// The simulated Systems Manager of the lifecycle tests, grown with the reads of association executions and of
// maintenance window task executions, for FailureReport's handler. Responses follow the SSM API model's shapes
// (AssociationExecution, AssociationExecutionTarget, MaintenanceWindowExecutionTaskInvocationIdentity,
// GetMaintenanceWindowExecutionTaskResult) and its limits: DescribeAssociationExecutions and
// DescribeAssociationExecutionTargets page by at most 50 (MaxResults 1 to 50), DescribeMaintenanceWindowExecutionTaskInvocations
// by 10 to 100 (MaintenanceWindowMaxResults), with the filters the API reference lists (Status EQUAL; STATUS with
// PENDING, IN_PROGRESS, SUCCESS, FAILED, TIMED_OUT, CANCELLING, CANCELLED). The nodes' commands are the base
// simulator's, so ListCommandInvocations and GetCommandInvocation answer for them as they do for RunCommand.
// Faults (`fail`), call records (`calls`) and the clock are the base simulator's.

/** An association execution target's Status and DetailedStatus. */
export interface TargetOutcome {
  readonly status: string;
  readonly detailedStatus?: string;
}

/** One run of an association. */
export interface AssociationRun {
  readonly associationId: string;
  /** Nodes of the run. */
  readonly nodes: number;
  /** How many nodes end in each non-success outcome; they are the last nodes listed. */
  readonly outcomes?: { outcome: TargetOutcome; count: number }[];
  /** The execution's own status; Failed when a node failed, else Success. */
  readonly status?: string;
  readonly stderr?: string;
  readonly steps?: string[];
  readonly triggeredAlarms?: { Name: string; State: 'ALARM' | 'UNKNOWN' }[];
}

/** One run of a maintenance window task. */
export interface TaskRun {
  readonly windowId: string;
  readonly taskType?: 'RUN_COMMAND' | 'AUTOMATION' | 'LAMBDA' | 'STEP_FUNCTIONS';
  readonly taskArn?: string;
  readonly targets: number;
  /** How many targets end in each status but SUCCESS; they are the last listed. */
  readonly outcomes?: { status: string; count: number }[];
  /** The task execution's status; FAILED when a target failed, else SUCCESS. */
  readonly status?: string;
  readonly stderr?: string;
  readonly triggeredAlarms?: { Name: string; State: 'ALARM' | 'UNKNOWN' }[];
}

interface StoredExecution {
  readonly execution: Record<string, any>;
  readonly targets: Record<string, any>[];
}

interface StoredTask {
  readonly task: Record<string, any>;
  readonly invocations: Record<string, any>[];
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

function uuid(prefix: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

function paged<T>(items: T[], input: { MaxResults?: number; NextToken?: string }, max: number, min = 1): { items: T[]; NextToken?: string } {
  const size = input.MaxResults ?? max;
  if (size < min || size > max) {
    throw awsError('ValidationException', `MaxResults ${size} is not within ${min} to ${max}`);
  }
  const start = Number(input.NextToken ?? 0);
  const end = start + size;
  return { items: items.slice(start, end), NextToken: end < items.length ? String(end) : undefined };
}

export class SimulatedExecutions extends SimulatedSsm {
  private readonly executions = new Map<string, StoredExecution[]>();
  private readonly tasks = new Map<string, StoredTask>();
  private ids = 0;

  constructor(course?: Course) {
    super(course);
  }

  /** Registers an association, as DescribeAssociation answers it. */
  public addAssociation(associationId: string, name: string) {
    this.associations.set(associationId, { AssociationId: associationId, AssociationName: name, Name: 'AWS-RunShellScript' });
  }

  /** A run of an association that has ended now (or still runs, with `status` Pending or InProgress). */
  public runAssociation(run: AssociationRun): { executionId: string; commandId: string; nodeIds: string[]; failedNodeIds: string[] } {
    const outcomes = run.outcomes ?? [];
    const notSuccess = outcomes.reduce((sum, { count }) => sum + count, 0);
    const running = ['Pending', 'InProgress'].includes(run.status ?? '');
    const inProgressMs = running ? 3_600_000 : 0;
    this.course = { targets: run.nodes, failed: notSuccess, pendingMs: 0, inProgressMs, stderr: run.stderr, steps: run.steps };
    const { Command } = this.sendCommand({ DocumentName: 'AWS-RunShellScript', Comment: `association ${run.associationId}` } as any);
    const nodeIds = this.nodeIds;
    const executionId = uuid(1, ++this.ids);
    const statuses: TargetOutcome[] = [];
    for (let i = 0; i < run.nodes - notSuccess; i++) {
      statuses.push({ status: running ? run.status! : 'Success', detailedStatus: running ? run.status : 'Success' });
    }
    for (const { outcome, count } of outcomes) {
      statuses.push(...Array.from({ length: count }, () => outcome));
    }
    const targets = nodeIds.map((id, index) => ({
      AssociationId: run.associationId,
      AssociationVersion: '1',
      ExecutionId: executionId,
      ResourceId: id,
      ResourceType: 'ManagedInstance',
      Status: statuses[index].status,
      DetailedStatus: statuses[index].detailedStatus ?? statuses[index].status,
      LastExecutionDate: new Date(this.now),
      OutputSource: { OutputSourceId: Command.CommandId, OutputSourceType: 'RunCommand' },
    }));
    const counts = new Map<string, number>();
    for (const target of targets) {
      counts.set(target.Status, (counts.get(target.Status) ?? 0) + 1);
    }
    const failed = targets.some((target) => !['Success', 'Pending', 'InProgress'].includes(target.Status));
    const execution = {
      AssociationId: run.associationId,
      AssociationVersion: '1',
      ExecutionId: executionId,
      Status: run.status ?? (failed ? 'Failed' : 'Success'),
      DetailedStatus: run.status ?? (failed ? 'Failed' : 'Success'),
      CreatedTime: new Date(this.now - 60_000),
      LastExecutionDate: new Date(this.now),
      // As the API answers it: "{Success=117, Failed=3}".
      ResourceCountByStatus: `{${[...counts].map(([status, count]) => `${status}=${count}`).join(', ')}}`,
      TriggeredAlarms: run.triggeredAlarms,
    };
    const list = this.executions.get(run.associationId) ?? [];
    list.push({ execution, targets });
    this.executions.set(run.associationId, list);
    return { executionId, commandId: Command.CommandId!, nodeIds, failedNodeIds: nodeIds.slice(run.nodes - notSuccess) };
  }

  /** Ends a run that was still running: its nodes as given. */
  public endAssociationRun(associationId: string, executionId: string, status: string) {
    const stored = this.executions.get(associationId)!.find(({ execution }) => execution.ExecutionId === executionId)!;
    stored.execution.Status = status;
    stored.execution.DetailedStatus = status;
  }

  /** A run of a window task that has ended now. */
  public runTask(run: TaskRun): {
    windowExecutionId: string; taskExecutionId: string; commandId?: string; nodeIds: string[]; invocations: Record<string, any>[];
  } {
    const type = run.taskType ?? 'RUN_COMMAND';
    const outcomes = run.outcomes ?? [];
    const notSuccess = outcomes.reduce((sum, { count }) => sum + count, 0);
    const failedCount = outcomes.filter(({ status }) => ['FAILED', 'TIMED_OUT', 'CANCELLED'].includes(status)).reduce((sum, { count }) => sum + count, 0);
    let commandId: string | undefined;
    let nodeIds: string[] = Array.from({ length: run.targets }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    if (type === 'RUN_COMMAND') {
      this.course = { targets: run.targets, failed: notSuccess, pendingMs: 0, inProgressMs: 0, stderr: run.stderr };
      const { Command } = this.sendCommand({ DocumentName: 'AWS-RunShellScript', Comment: `window ${run.windowId}` } as any);
      commandId = Command.CommandId;
      nodeIds = this.nodeIds;
    }
    const windowExecutionId = uuid(2, ++this.ids);
    const taskExecutionId = uuid(3, ++this.ids);
    const statuses: string[] = Array.from({ length: run.targets - notSuccess }, () => 'SUCCESS');
    for (const { status, count } of outcomes) {
      statuses.push(...Array.from({ length: count }, () => status));
    }
    const invocations = nodeIds.map((id, index) => ({
      WindowExecutionId: windowExecutionId,
      TaskExecutionId: taskExecutionId,
      InvocationId: uuid(4, ++this.ids),
      ExecutionId: type === 'RUN_COMMAND' ? commandId
        : type === 'STEP_FUNCTIONS' ? `arn:aws:states:us-east-1:111111111111:execution:Drain:${index}`
          : type === 'AUTOMATION' ? uuid(5, index) : uuid(6, index),
      TaskType: type,
      Parameters: JSON.stringify({ documentName: 'AWS-RunShellScript', instanceIds: [id] }),
      Status: statuses[index],
      StatusDetails: statuses[index] === 'SUCCESS' ? 'Success' : statuses[index],
      StartTime: new Date(this.now - 60_000),
      EndTime: new Date(this.now - (run.targets - index)),
      WindowTargetId: uuid(7, 1),
    }));
    const task = {
      WindowExecutionId: windowExecutionId,
      TaskExecutionId: taskExecutionId,
      TaskArn: run.taskArn ?? 'AWS-RunShellScript',
      Type: type,
      Status: run.status ?? (failedCount > 0 ? 'FAILED' : 'SUCCESS'),
      StatusDetails: run.status ?? (failedCount > 0 ? `${failedCount} targets failed` : 'Success'),
      StartTime: new Date(this.now - 60_000),
      EndTime: new Date(this.now),
      TriggeredAlarms: run.triggeredAlarms,
    };
    this.tasks.set(`${windowExecutionId}/${taskExecutionId}`, { task, invocations });
    return { windowExecutionId, taskExecutionId, commandId, nodeIds, invocations };
  }

  /** Sets a task execution's status (a run that ends later). */
  public setTaskStatus(windowExecutionId: string, taskExecutionId: string, status: string) {
    this.tasks.get(`${windowExecutionId}/${taskExecutionId}`)!.task.Status = status;
  }

  /** The calls of the operations a report makes. */
  public get reportCalls() {
    return this.calls.filter((call) => REPORT_OPERATIONS.includes(call.operation));
  }

  // ---- The API

  public describeAssociationExecutions(input: { AssociationId: string; MaxResults?: number; NextToken?: string }) {
    if (!this.associations.has(input.AssociationId)) {
      throw awsError('AssociationDoesNotExist', `association ${input.AssociationId} does not exist`);
    }
    const newestFirst = [...(this.executions.get(input.AssociationId) ?? [])].reverse().map(({ execution }) => structuredClone(execution));
    const { items, NextToken } = paged(newestFirst, input, 50);
    return { AssociationExecutions: items, NextToken };
  }

  public describeAssociationExecutionTargets(input: {
    AssociationId: string; ExecutionId: string; Filters?: { Key: string; Value: string }[]; MaxResults?: number; NextToken?: string;
  }) {
    const stored = this.executions.get(input.AssociationId)?.find(({ execution }) => execution.ExecutionId === input.ExecutionId);
    if (!stored) {
      throw awsError('AssociationExecutionDoesNotExist', `execution ${input.ExecutionId} does not exist`);
    }
    const filters = input.Filters ?? [];
    for (const filter of filters) {
      if (!['Status', 'ResourceId', 'ResourceType'].includes(filter.Key)) {
        throw awsError('ValidationException', `${filter.Key} is not a filter key`);
      }
    }
    const matching = stored.targets.filter((target) => filters.every((filter) => target[filter.Key] === filter.Value));
    const { items, NextToken } = paged(matching.map((target) => structuredClone(target)), input, 50);
    return { AssociationExecutionTargets: items, NextToken };
  }

  public getMaintenanceWindowExecutionTask(input: { WindowExecutionId: string; TaskId: string }) {
    const stored = this.tasks.get(`${input.WindowExecutionId}/${input.TaskId}`);
    if (!stored) {
      throw awsError('DoesNotExistException', `task execution ${input.TaskId} of ${input.WindowExecutionId} does not exist`);
    }
    return structuredClone(stored.task);
  }

  public describeMaintenanceWindowExecutionTaskInvocations(input: {
    WindowExecutionId: string; TaskId: string; Filters?: { Key: string; Values: string[] }[]; MaxResults?: number; NextToken?: string;
  }) {
    const stored = this.tasks.get(`${input.WindowExecutionId}/${input.TaskId}`);
    if (!stored) {
      throw awsError('DoesNotExistException', `task execution ${input.TaskId} of ${input.WindowExecutionId} does not exist`);
    }
    for (const filter of input.Filters ?? []) {
      if (filter.Key !== 'STATUS') {
        throw awsError('ValidationException', `${filter.Key} is not a filter key`);
      }
    }
    const statuses = input.Filters?.find(({ Key }) => Key === 'STATUS')?.Values;
    const matching = stored.invocations.filter((invocation) => statuses === undefined || statuses.includes(invocation.Status));
    const { items, NextToken } = paged(matching.map((invocation) => structuredClone(invocation)), input, 100, 10);
    return { WindowExecutionTaskInvocationIdentities: items, NextToken };
  }
}

/** The SSM operations FailureReport's function calls. */
export const REPORT_OPERATIONS = [
  'DescribeAssociation', 'DescribeAssociationExecutions', 'DescribeAssociationExecutionTargets', 'GetMaintenanceWindowExecutionTask',
  'DescribeMaintenanceWindowExecutionTaskInvocations', 'ListCommandInvocations', 'GetCommandInvocation',
];

/** The report function's dependencies on a simulator: its SSM calls answered there, its messages kept in `published`. */
export function reportDeps(ssm: SimulatedExecutions, published: Parameters<Publisher['publish']>[0][]): ReportDeps {
  return {
    ssm: { send: async (command: any) => ssm.handle(command.constructor.name.replace(/Command$/, ''), command.input) } as any,
    publisher: { publish: async (input) => { published.push(input); return {}; } },
    sleep: async (ms: number) => { ssm.advance(ms); },
  };
}

/** An association's state change to Failed, with its counts by status, as EventBridge delivers it. */
export function associationFailed(associationId: string, counts: Record<string, number>): SsmEvent {
  return {
    'id': 'db839caf-6f6c-40af-9a48-25b2ae2b7774',
    'detail-type': ASSOCIATION_STATE_CHANGE,
    'source': 'aws.ssm',
    'account': '111111111111',
    'time': '2026-11-22T10:00:00Z',
    'region': 'us-east-1',
    'resources': [],
    'detail': { 'association-id': associationId, 'status': 'Failed', 'association-status-aggregated-count': JSON.stringify(counts) },
  } as SsmEvent;
}
