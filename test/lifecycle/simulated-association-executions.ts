import type { AssociationExecution, AssociationExecutionTarget, Command } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SimulatedCloudFormation } from './cloudformation';
import { SimulatedSsm, SSM_OPERATIONS } from './simulated-ssm';

// The simulated Systems Manager, grown with association executions (DescribeAssociationExecutions and
// DescribeAssociationExecutionTargets, which filter and page as the API model documents) and with alarms that stop
// commands (ListCommands' TriggeredAlarms). Every write of an association (`writeAssociation`, and UpdateAssociation
// from the alarm companion) creates a new version and starts an execution of it, as State Manager does. A node's run
// is a Run Command command of its own, so GetCommandInvocation and ListCommandInvocations answer for it.

/** How an execution ends: its nodes, how many fail, how long it runs, how many reads miss it, the alarm that stops it. */
export interface ExecutionCourse {
  readonly targets: number;
  readonly failed: number;
  readonly runMs?: number;
  readonly invisibleReads?: number;
  readonly alarm?: string;
  readonly stderr?: string;
}

interface SimulatedExecution {
  readonly associationId: string;
  readonly version: string;
  readonly executionId: string;
  readonly createdAt: number;
  readonly course: ExecutionCourse;
  readonly commandIds: string[];
  reads: number;
}

const PAGE = 50;
type Paging = { MaxResults?: number; NextToken?: string };
type ExecutionsInput = Paging & { AssociationId: string; Filters?: { Key: string; Value: string; Type: string }[] };
type TargetsInput = Paging & { AssociationId: string; ExecutionId: string; Filters?: { Key: string; Value: string }[] };
export const RUN_OPERATIONS = ['DescribeAssociationExecutions', 'DescribeAssociationExecutionTargets'];

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

export class SimulatedAssociationSsm extends SimulatedSsm {
  /** The course of the next execution started. */
  public executionCourse: ExecutionCourse = { targets: 3, failed: 0, runMs: 60_000 };
  /** The alarm that stops the next command sent, if any. */
  public commandAlarm?: string;
  private readonly executions: SimulatedExecution[] = [];
  private readonly commandAlarms = new Map<string, string>();
  private executionSequence = 0;

  /** CloudFormation creates or updates the association: a new version, and an execution of it. */
  public writeAssociation(associationId: string, fields: Record<string, any>) {
    const version = String(Number(this.associations.get(associationId)?.AssociationVersion ?? '0') + 1);
    this.associations.set(associationId, { ...fields, AssociationId: associationId, AssociationVersion: version });
    this.startExecution(associationId, version);
  }

  public updateAssociation(input: Record<string, any>) {
    const output = super.updateAssociation(input);
    this.startExecution(input.AssociationId, output.AssociationDescription.AssociationVersion);
    return output;
  }

  public get executionIds(): string[] {
    return this.executions.map((execution) => execution.executionId);
  }

  public sendCommand(input: any) {
    const output = super.sendCommand(input);
    if (this.commandAlarm) {
      this.commandAlarms.set(output.Command.CommandId!, this.commandAlarm);
    }
    return output;
  }

  public listCommands(input: any) {
    const output = super.listCommands(input);
    return { ...output, Commands: output.Commands.map((command: Command) => this.withAlarm(command)) };
  }

  public describeAssociationExecutions(input: ExecutionsInput) {
    if (!this.associations.has(input.AssociationId)) {
      throw awsError('AssociationDoesNotExist', `association ${input.AssociationId} does not exist`);
    }
    const matches = this.executions.filter((execution) => execution.associationId === input.AssociationId)
      .filter((execution) => ++execution.reads > (execution.course.invisibleReads ?? 0))
      .filter((execution) => (input.Filters ?? []).every((filter) => this.executionMatches(execution, filter)))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((execution) => this.executionView(execution));
    return this.paged(matches, input, 'AssociationExecutions');
  }

  public describeAssociationExecutionTargets(input: TargetsInput) {
    const execution = this.executions.find((candidate) => candidate.executionId === input.ExecutionId
      && candidate.associationId === input.AssociationId);
    if (!execution) {
      throw awsError('AssociationExecutionDoesNotExist', `execution ${input.ExecutionId} does not exist`);
    }
    const status = input.Filters?.find((filter) => filter.Key === 'Status')?.Value;
    const targets = execution.commandIds.map((commandId, index) => this.targetView(execution, commandId, index))
      .filter((target) => status === undefined || target.Status === status);
    return this.paged(targets, input, 'AssociationExecutionTargets');
  }

  private startExecution(associationId: string, version: string) {
    const course = this.executionCourse;
    const nodes = Array.from({ length: course.targets }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    // Each node's run is a command of one node that ends as the execution does; the failed nodes are the last ones.
    const saved = this.course;
    const commandIds = nodes.map((node, index) => {
      this.course = {
        targets: 1,
        failed: index >= course.targets - course.failed ? 1 : 0,
        pendingMs: 0,
        inProgressMs: course.runMs ?? 60_000,
        stderr: course.stderr,
      };
      return super.sendCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [node], Comment: `association ${associationId}` }).Command.CommandId!;
    });
    this.course = saved;
    this.executions.push({
      associationId,
      version,
      executionId: `${String(++this.executionSequence).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`,
      createdAt: this.now,
      course,
      commandIds,
      reads: 0,
    });
  }

  private executionRunning(execution: SimulatedExecution): boolean {
    return this.now < execution.createdAt + (execution.course.runMs ?? 60_000);
  }

  private nodeStatus(execution: SimulatedExecution, index: number): string {
    if (this.executionRunning(execution)) {
      return 'InProgress';
    }
    return index >= execution.course.targets - execution.course.failed ? 'Failed' : 'Success';
  }

  private executionView(execution: SimulatedExecution): AssociationExecution {
    const counts: Record<string, number> = {};
    execution.commandIds.forEach((_, index) => {
      const status = this.nodeStatus(execution, index);
      counts[status] = (counts[status] ?? 0) + 1;
    });
    const status = this.executionRunning(execution) ? 'InProgress' : execution.course.failed > 0 ? 'Failed' : 'Success';
    return {
      AssociationId: execution.associationId,
      AssociationVersion: execution.version,
      ExecutionId: execution.executionId,
      Status: status,
      DetailedStatus: status,
      CreatedTime: new Date(execution.createdAt),
      ResourceCountByStatus: `{${Object.entries(counts).map(([key, count]) => `${key}=${count}`).join(', ')}}`,
      TriggeredAlarms: execution.course.alarm && !this.executionRunning(execution) ? [{ Name: execution.course.alarm, State: 'ALARM' }] : undefined,
    };
  }

  private targetView(execution: SimulatedExecution, commandId: string, index: number): AssociationExecutionTarget {
    const status = this.nodeStatus(execution, index);
    return {
      AssociationId: execution.associationId,
      AssociationVersion: execution.version,
      ExecutionId: execution.executionId,
      ResourceId: `i-${String(index).padStart(17, '0')}`,
      ResourceType: 'ManagedInstance',
      Status: status,
      DetailedStatus: status,
      OutputSource: { OutputSourceId: commandId, OutputSourceType: 'RunCommand' },
    };
  }

  private executionMatches(execution: SimulatedExecution, filter: { Key: string; Value: string; Type: string }): boolean {
    switch (filter.Key) {
      case 'CreatedTime': {
        const at = Date.parse(filter.Value);
        return filter.Type === 'GREATER_THAN' ? execution.createdAt > at : filter.Type === 'LESS_THAN' ? execution.createdAt < at : execution.createdAt === at;
      }
      case 'ExecutionId': return execution.executionId === filter.Value;
      case 'Status': return this.executionView(execution).Status === filter.Value;
      default: throw awsError('ValidationException', `${filter.Key} is not a filter of DescribeAssociationExecutions`);
    }
  }

  private withAlarm(command: Command): Command {
    const alarm = this.commandAlarms.get(command.CommandId!);
    return alarm && !['Pending', 'InProgress'].includes(command.Status ?? '') ? { ...command, TriggeredAlarms: [{ Name: alarm, State: 'ALARM' }] } : command;
  }

  private paged<T>(items: T[], input: { MaxResults?: number; NextToken?: string }, key: string) {
    const start = Number(input.NextToken ?? 0);
    const end = start + Math.min(input.MaxResults ?? PAGE, PAGE);
    return { [key]: items.slice(start, end), NextToken: end < items.length ? String(end) : undefined };
  }
}

/**
 * The simulated CloudFormation, with the SDK clients of its entry points answering the association execution calls
 * too. It loads the entry points again in a registry of its own, with every operation sent to the simulator.
 */
export class AssociationRunCloudFormation extends SimulatedCloudFormation {
  constructor(public readonly ssm: SimulatedAssociationSsm) {
    super(ssm);
    let handlers!: SimulatedCloudFormation['handlers'];
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const ssmSdk = require('@aws-sdk/client-ssm');
      const stsSdk = require('@aws-sdk/client-sts');
      const ssmMock = mockClient(ssmSdk.SSMClient);
      for (const operation of [...SSM_OPERATIONS, ...RUN_OPERATIONS]) {
        ssmMock.on(ssmSdk[`${operation}Command`]).callsFake(async (input: any) => this.ssm.handle(operation, input));
      }
      mockClient(stsSdk.STSClient).on(stsSdk.AssumeRoleCommand).callsFake(async (input: any) => this.ssm.handle('AssumeRole', input));
      handlers = {
        onEvent: require('../../src/provider/on-event.lambda').handler,
        isComplete: require('../../src/provider/is-complete.lambda').handler,
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    (this as { handlers: SimulatedCloudFormation['handlers'] }).handlers = handlers;
  }
}
