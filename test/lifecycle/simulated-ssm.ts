import type {
  Command, CommandInvocation, GetCommandInvocationCommandInput, GetCommandInvocationCommandOutput, ListCommandInvocationsCommandInput,
  ListCommandsCommandInput, SendCommandCommandInput,
} from '@aws-sdk/client-ssm';

/** A command's course: how many nodes it runs on, how many of them fail, and how many polls each phase lasts. */
export interface Course {
  readonly targets: number;
  readonly failed: number;
  readonly pendingPolls: number;
  readonly inProgressPolls: number;
}

/**
 * Systems Manager's Run Command as the benchmark needs it: one command whose status moves from Pending through
 * InProgress to Success or Failed as the polls go by (`tick`), with per-node invocations that ListCommandInvocations
 * filters and pages and GetCommandInvocation reads one at a time. The failed nodes are the last ones listed, the
 * worst case for a reader that scans.
 */
export class SimulatedSsm {
  private polls = 0;
  private command?: Command;

  constructor(private readonly course: Course) {}

  /** One poll interval passes. */
  public tick() {
    this.polls++;
  }

  /** The IDs of the nodes the command runs on. */
  public get nodeIds(): string[] {
    return Array.from({ length: this.course.targets }, (_, i) => `i-${String(i).padStart(17, '0')}`);
  }

  public sendCommand(input: SendCommandCommandInput): { Command: Command } {
    this.command = {
      CommandId: '11111111-2222-3333-4444-555555555555',
      Comment: input.Comment,
      DocumentName: input.DocumentName,
      RequestedDateTime: new Date(),
      TargetCount: this.course.targets,
    };
    return { Command: this.current()! };
  }

  public listCommands(input: ListCommandsCommandInput): { Commands: Command[] } {
    const command = this.current();
    const matches = command && (input.CommandId === undefined || input.CommandId === command.CommandId);
    return { Commands: matches ? [command] : [] };
  }

  public listCommandInvocations(input: ListCommandInvocationsCommandInput): { CommandInvocations: CommandInvocation[]; NextToken?: string } {
    const status = input.Filters?.find(({ key }) => key === 'Status')?.value;
    const all = this.nodeIds.map((id, index) => this.invocation(id, index)).filter((node) => status === undefined || node.Status === status);
    const start = Number(input.NextToken ?? 0);
    const end = start + (input.MaxResults ?? 50);
    return { CommandInvocations: all.slice(start, end), NextToken: end < all.length ? String(end) : undefined };
  }

  public getCommandInvocation(input: GetCommandInvocationCommandInput): Partial<GetCommandInvocationCommandOutput> {
    const index = this.nodeIds.indexOf(input.InstanceId!);
    const invocation = this.invocation(input.InstanceId!, index);
    return {
      CommandId: input.CommandId,
      InstanceId: input.InstanceId,
      Status: invocation.Status,
      StandardOutputContent: invocation.Status === 'Success' ? 'done\n' : '',
      StandardErrorContent: invocation.Status === 'Failed' ? 'exit status 1\n' : '',
    } as Partial<GetCommandInvocationCommandOutput>;
  }

  private phase(): 'Pending' | 'InProgress' | 'Ended' {
    if (this.polls < this.course.pendingPolls) {
      return 'Pending';
    }
    return this.polls < this.course.pendingPolls + this.course.inProgressPolls ? 'InProgress' : 'Ended';
  }

  private current(): Command | undefined {
    if (!this.command) {
      return undefined;
    }
    const phase = this.phase();
    const ended = phase === 'Ended';
    const status = ended ? (this.course.failed > 0 ? 'Failed' : 'Success') : phase;
    return {
      ...this.command,
      Status: status,
      StatusDetails: status,
      CompletedCount: ended ? this.course.targets : 0,
      ErrorCount: ended ? this.course.failed : 0,
      DeliveryTimedOutCount: 0,
    };
  }

  private invocation(instanceId: string, index: number): CommandInvocation {
    const phase = this.phase();
    const status = phase !== 'Ended' ? phase : index >= this.course.targets - this.course.failed ? 'Failed' : 'Success';
    return {
      CommandId: this.command?.CommandId,
      InstanceId: instanceId,
      Status: status,
      StatusDetails: status,
      CommandPlugins: [{ Name: 'runShellScript', Status: status }],
    } as CommandInvocation;
  }
}
