import type {
  AssociationDescription, Command, CommandInvocation, GetCommandInvocationCommandInput, GetCommandInvocationCommandOutput,
  GetMaintenanceWindowTaskCommandOutput, InstanceInformation, ListCommandInvocationsCommandInput, ListCommandsCommandInput,
  SendCommandCommandInput,
} from '@aws-sdk/client-ssm';

// A simulated Systems Manager (Run Command, Parameter Store, associations and maintenance window tasks) and STS, for
// the lifecycle tests and the benchmark. It follows the API reference where the tests depend on it:
// - commands move from Pending through InProgress to a terminal status as the simulated clock passes;
// - a new command may stay invisible to reads for its first reads (Run Command is eventually consistent:
//   GetCommandInvocation and ListCommands may not know a command right after SendCommand);
// - ListCommands and ListCommandInvocations page by at most 50 and filter as the API documents (InvokedAfter,
//   InvokedBefore, Status, ExecutionStage, DocumentName; invocation statuses include the details Undeliverable,
//   Terminated, InvalidPlatform, AccessDenied, DeliveryTimedOut and ExecutionTimedOut);
// - commands older than 30 days are gone (Systems Manager keeps 30 days of command history);
// - any operation can be throttled or refused for a while, and STS refuses a role until IAM has propagated it.
// Assumption: the API model's CommandInvocationStatus has no Undeliverable, Terminated, InvalidPlatform or
// AccessDenied, so such a node is modelled with Status Failed (Cancelled for Terminated, TimedOut for delivery time
// outs) and the detail in StatusDetails; the Status filter matches either.

/** How a node of a command ends. */
export type NodeOutcome = 'Success' | 'Failed' | 'ExecutionTimedOut' | 'DeliveryTimedOut' | 'Undeliverable' | 'Terminated' | 'InvalidPlatform' | 'AccessDenied';

/** A command's course: its nodes, how each ends, and how long each phase lasts. */
export interface Course {
  /** How many nodes the command targets. */
  readonly targets: number;
  /** How many of them fail (the last ones listed, the worst case for a reader that scans). */
  readonly failed: number;
  /** Nodes that never run the command, by how they end; listed before the failed ones. */
  readonly notRun?: Partial<Record<NodeOutcome, number>>;
  /** Polls (of `pollMs`) the command stays Pending; or use `pendingMs`. */
  readonly pendingPolls?: number;
  /** Polls it stays InProgress; or use `inProgressMs`. */
  readonly inProgressPolls?: number;
  readonly pendingMs?: number;
  readonly inProgressMs?: number;
  /** Reads of the new command (ListCommands, ListCommandInvocations, GetCommandInvocation) that do not see it yet. */
  readonly invisibleReads?: number;
  /** The standard error of a failed node. */
  readonly stderr?: string;
  /** The standard output of a node. */
  readonly stdout?: string;
  /** The document's steps; every node runs them all. */
  readonly steps?: string[];
}

/** A simulated fault: the next calls of an operation ('*' for all) fail with this error. */
export interface Fault {
  readonly operation: string;
  readonly error: 'ThrottlingException' | 'AccessDeniedException' | 'InternalServerError';
  /** How many calls fail. */
  readonly times?: number;
  /** Or: calls fail until this time of the simulated clock. */
  readonly untilMs?: number;
  /** The fault starts after this many more calls of the operation have been answered. */
  readonly afterCalls?: number;
}

/** One call the simulator answered or refused. */
export interface SimulatedCall {
  readonly operation: string;
  readonly input: any;
  readonly at: number;
  readonly error?: string;
}

interface SimulatedCommand {
  readonly command: Command;
  readonly course: Course;
  readonly nodeIds: string[];
  readonly sentAt: number;
  reads: number;
  cancelledAt?: number;
}

/** A document of the account and who it is shared with. */
export interface SimulatedDocument {
  readonly name: string;
  /** The accounts it is shared with ('all' when public), and the version each was given. */
  shares: Map<string, string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HISTORY_MS = 30 * DAY_MS;
const PAGE = 50;
export const START = Date.parse('2026-11-22T10:00:00Z');
/** The SSM operations the simulator answers (and STS's AssumeRole). */
export const SSM_OPERATIONS = [
  'SendCommand', 'ListCommands', 'ListCommandInvocations', 'GetCommandInvocation', 'CancelCommand', 'DescribeInstanceInformation',
  'GetParameter', 'PutParameter', 'DeleteParameter',
  'DescribeAssociation', 'UpdateAssociation', 'GetMaintenanceWindowTask', 'UpdateMaintenanceWindowTask',
  'ModifyDocumentPermission', 'DescribeDocumentPermission', 'DeleteDocument',
];

function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

function page<T>(items: T[], input: { MaxResults?: number; NextToken?: string }): { items: T[]; NextToken?: string } {
  const start = Number(input.NextToken ?? 0);
  const end = start + Math.min(input.MaxResults ?? PAGE, PAGE);
  return { items: items.slice(start, end), NextToken: end < items.length ? String(end) : undefined };
}

export class SimulatedSsm {
  /** The simulated clock, in milliseconds since the epoch. */
  public now = START;
  /** Every call, in order. */
  public readonly calls: SimulatedCall[] = [];
  /** The course of the next command sent. */
  public course: Course;
  /** How long a poll lasts, for `tick()` and courses given in polls. */
  public pollMs = 5000;
  /** When each role ARN becomes usable (IAM propagation); a role not listed is usable at once. */
  public readonly roleUsableAt = new Map<string, number>();
  /** When each instance is Online in Systems Manager; an instance not listed is Online. */
  public readonly onlineAt = new Map<string, number>();
  public readonly parameters = new Map<string, string>();
  public readonly associations = new Map<string, AssociationDescription & Record<string, any>>();
  public readonly windowTasks = new Map<string, Partial<GetMaintenanceWindowTaskCommandOutput> & Record<string, any>>();
  /** The account's documents by name, each with the accounts it is shared with and the version each was given. */
  public readonly documents = new Map<string, SimulatedDocument>();
  /** How many accounts a document may be shared with (Systems Manager's default quota). */
  public shareLimit = 1000;
  private readonly commands: SimulatedCommand[] = [];
  private faults: Fault[] = [];
  private sequence = 0;

  constructor(course: Course = { targets: 3, failed: 0, pendingMs: 10_000, inProgressMs: 60_000 }) {
    this.course = course;
  }

  /** The clock moves on. */
  public advance(ms: number) {
    this.now += ms;
  }

  /** One poll interval passes. */
  public tick() {
    this.advance(this.pollMs);
  }

  /** Makes calls fail for a while. */
  public fail(fault: Fault) {
    this.faults.push({ ...fault });
  }

  /** The IDs of the nodes the next command runs on. */
  public get nodeIds(): string[] {
    return this.nodesOf(this.course);
  }

  /** Other users' commands, sent now, that fill the account's history. */
  public addOtherCommands(count: number, documentName = 'AWS-RunShellScript') {
    for (let i = 0; i < count; i++) {
      this.store({ DocumentName: documentName, Comment: 'someone else', Targets: [{ Key: 'tag:Team', Values: ['other'] }] }, { targets: 1, failed: 0, pendingMs: 0, inProgressMs: 0 });
    }
  }

  /** The commands sent, oldest first, as Systems Manager reports them now (history included). */
  public get sentCommands(): Command[] {
    return this.commands.map((sent) => this.view(sent));
  }

  /** The calls of one operation. */
  public callsOf(operation: string): SimulatedCall[] {
    return this.calls.filter((call) => call.operation === operation && !call.error);
  }

  /** Answers one API call, as the SDK client would receive it, or throws the API's error. */
  public handle(operation: string, input: any): any {
    const fault = this.faults.find((candidate) => (candidate.operation === operation || candidate.operation === '*')
      && (candidate.untilMs === undefined || this.now < candidate.untilMs) && (candidate.times === undefined || candidate.times > 0));
    if (fault && fault.afterCalls) {
      (fault as { afterCalls: number }).afterCalls--;
    } else if (fault) {
      if (fault.times !== undefined) {
        (fault as { times: number }).times--;
      }
      this.calls.push({ operation, input, at: this.now, error: fault.error });
      throw awsError(fault.error, `${operation}: simulated ${fault.error}`, fault.error === 'InternalServerError' ? 500 : 400);
    }
    try {
      const method = (this as any)[operation.charAt(0).toLowerCase() + operation.slice(1)];
      if (typeof method !== 'function') {
        throw new Error(`the simulated SSM does not implement ${operation}`);
      }
      const output = method.call(this, input);
      this.calls.push({ operation, input, at: this.now });
      return output;
    } catch (error) {
      this.calls.push({ operation, input, at: this.now, error: (error as Error).name });
      throw error;
    }
  }

  // ---- STS

  public assumeRole(input: { RoleArn: string; RoleSessionName: string; DurationSeconds?: number; Tags?: { Key: string; Value: string }[] }) {
    const usableAt = this.roleUsableAt.get(input.RoleArn) ?? 0;
    if (this.now < usableAt) {
      throw awsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${++this.sequence}`,
        SecretAccessKey: 'simulated',
        SessionToken: `session-${this.sequence}`,
        Expiration: new Date(this.now + (input.DurationSeconds ?? 3600) * 1000),
      },
      AssumedRoleUser: { Arn: `${input.RoleArn}/${input.RoleSessionName}`, AssumedRoleId: `AROA:${input.RoleSessionName}` },
    };
  }

  // ---- Run Command

  public sendCommand(input: SendCommandCommandInput): { Command: Command } {
    const sent = this.store(input, this.course);
    return { Command: this.view(sent) };
  }

  public listCommands(input: ListCommandsCommandInput): { Commands: Command[]; NextToken?: string } {
    if (input.CommandId !== undefined) {
      const sent = this.find(input.CommandId);
      if (!sent) {
        throw awsError('InvalidCommandId', `command ${input.CommandId} is unknown`);
      }
      return { Commands: this.visible(sent) ? [this.view(sent)] : [] };
    }
    const filters = input.Filters ?? [];
    const matches = this.commands.filter((sent) => this.inHistory(sent) && this.visible(sent)).map((sent) => this.view(sent))
      .filter((command) => filters.every(({ key, value }) => this.commandMatches(command, key!, value!)))
      .sort((a, b) => b.RequestedDateTime!.getTime() - a.RequestedDateTime!.getTime());
    const { items, NextToken } = page(matches, input);
    return { Commands: items, NextToken };
  }

  public listCommandInvocations(input: ListCommandInvocationsCommandInput): { CommandInvocations: CommandInvocation[]; NextToken?: string } {
    const sent = this.find(input.CommandId!);
    if (!sent) {
      throw awsError('InvalidCommandId', `command ${input.CommandId} is unknown`);
    }
    if (!this.visible(sent)) {
      return { CommandInvocations: [] };
    }
    const status = input.Filters?.find(({ key }) => key === 'Status')?.value;
    const all = sent.nodeIds.map((id, index) => this.invocation(sent, id, index, input.Details === true))
      .filter((node) => status === undefined || node.Status === status || node.StatusDetails === status
        || (status === 'TimedOut' && /TimedOut$/.test(node.StatusDetails ?? '')))
      .filter((node) => input.InstanceId === undefined || node.InstanceId === input.InstanceId);
    const { items, NextToken } = page(all, input);
    return { CommandInvocations: items, NextToken };
  }

  public getCommandInvocation(input: GetCommandInvocationCommandInput): Partial<GetCommandInvocationCommandOutput> {
    const sent = this.find(input.CommandId!);
    if (!sent) {
      throw awsError('InvalidCommandId', `command ${input.CommandId} is unknown`);
    }
    const index = sent.nodeIds.indexOf(input.InstanceId!);
    if (!this.visible(sent) || index < 0) {
      throw awsError('InvocationDoesNotExist', 'the invocation does not exist yet');
    }
    const steps = sent.course.steps ?? ['runShellScript'];
    if (steps.length > 1 && !steps.includes(input.PluginName ?? '')) {
      throw awsError('InvalidPluginName', `a document of several steps needs a PluginName, got ${input.PluginName}`);
    }
    const invocation = this.invocation(sent, input.InstanceId!, index, false);
    return {
      CommandId: input.CommandId,
      InstanceId: input.InstanceId,
      PluginName: input.PluginName ?? steps[0],
      Status: invocation.Status,
      StatusDetails: invocation.StatusDetails,
      StandardOutputContent: invocation.Status === 'Success' || invocation.Status === 'Failed' ? sent.course.stdout ?? 'done\n' : '',
      StandardErrorContent: invocation.Status === 'Failed' ? sent.course.stderr ?? 'exit status 1\n' : '',
    } as Partial<GetCommandInvocationCommandOutput>;
  }

  public cancelCommand(input: { CommandId: string }) {
    const sent = this.find(input.CommandId);
    if (!sent) {
      throw awsError('InvalidCommandId', `command ${input.CommandId} is unknown`);
    }
    if (sent.cancelledAt === undefined && this.running(sent)) {
      sent.cancelledAt = this.now;
    }
    return {};
  }

  public describeInstanceInformation(input: { Filters?: { Key: string; Values: string[] }[] }): { InstanceInformationList: InstanceInformation[] } {
    const ids = input.Filters?.find(({ Key }) => Key === 'InstanceIds')?.Values ?? [];
    return {
      InstanceInformationList: ids.filter((id) => this.now >= (this.onlineAt.get(id) ?? 0)).map((id) => ({ InstanceId: id, PingStatus: 'Online' })),
    };
  }

  // ---- Parameter Store

  public getParameter(input: { Name: string }) {
    const value = this.parameters.get(input.Name);
    if (value === undefined) {
      throw awsError('ParameterNotFound', `parameter ${input.Name} not found`);
    }
    return { Parameter: { Name: input.Name, Type: 'String', Value: value } };
  }

  public putParameter(input: { Name: string; Value: string; Overwrite?: boolean }) {
    if (input.Value.length > 4096) {
      throw awsError('ValidationException', `the value of ${input.Name} has ${input.Value.length} characters; a standard parameter holds 4,096`);
    }
    if (this.parameters.has(input.Name) && !input.Overwrite) {
      throw awsError('ParameterAlreadyExists', `parameter ${input.Name} exists`);
    }
    this.parameters.set(input.Name, input.Value);
    return { Version: 1, Tier: 'Standard' };
  }

  public deleteParameter(input: { Name: string }) {
    if (!this.parameters.delete(input.Name)) {
      throw awsError('ParameterNotFound', `parameter ${input.Name} not found`);
    }
    return {};
  }

  // ---- Associations and maintenance window tasks

  public describeAssociation(input: { AssociationId: string }) {
    const association = this.associations.get(input.AssociationId);
    if (!association) {
      throw awsError('AssociationDoesNotExist', `association ${input.AssociationId} does not exist`);
    }
    return { AssociationDescription: structuredClone(association) };
  }

  /** UpdateAssociation sets to null every field it is not given (SSM API reference). */
  public updateAssociation(input: Record<string, any>) {
    const old = this.associations.get(input.AssociationId);
    if (!old) {
      throw awsError('AssociationDoesNotExist', `association ${input.AssociationId} does not exist`);
    }
    const updated = { ...structuredClone(input), AssociationVersion: String(Number(old.AssociationVersion ?? '1') + 1) };
    this.associations.set(input.AssociationId, updated);
    return { AssociationDescription: updated };
  }

  public getMaintenanceWindowTask(input: { WindowId: string; WindowTaskId: string }) {
    const task = this.windowTasks.get(input.WindowTaskId);
    if (!task || task.WindowId !== input.WindowId) {
      throw awsError('DoesNotExistException', `window task ${input.WindowTaskId} does not exist`);
    }
    return structuredClone(task);
  }

  /** With Replace, every field not given is set to null (SSM API reference). */
  public updateMaintenanceWindowTask(input: Record<string, any>) {
    const old = this.windowTasks.get(input.WindowTaskId);
    if (!old || old.WindowId !== input.WindowId) {
      throw awsError('DoesNotExistException', `window task ${input.WindowTaskId} does not exist`);
    }
    const { Replace, ...fields } = structuredClone(input);
    this.windowTasks.set(input.WindowTaskId, Replace ? fields : { ...old, ...fields });
    return fields;
  }

  // ---- Documents and their sharing

  /** A document of the account, as CloudFormation creates it, shared with no one. */
  public addDocument(name: string): SimulatedDocument {
    const document = { name, shares: new Map<string, string>() };
    this.documents.set(name, document);
    return document;
  }

  /** The accounts a document is shared with, sorted ('all' for a public share). */
  public sharedWith(name: string): string[] {
    return [...(this.documents.get(name)?.shares.keys() ?? [])].sort();
  }

  /**
   * ModifyDocumentPermission: at most 20 accounts in each list, each an account ID or `all`; removing wins over
   * adding the same account; at most `shareLimit` accounts in all, and never public and private at once
   * (User Guide, "Sharing SSM documents"). A call that breaks a rule changes nothing. Assumption (the API reference
   * documents no error for either): adding an account already shared gives it the new version, and removing an
   * account not shared does nothing.
   */
  public modifyDocumentPermission(input: {
    Name: string; PermissionType: string; AccountIdsToAdd?: string[]; AccountIdsToRemove?: string[]; SharedDocumentVersion?: string;
  }) {
    const document = this.sharedDocument(input.Name, input.PermissionType);
    const add = input.AccountIdsToAdd ?? [];
    const remove = input.AccountIdsToRemove ?? [];
    if (add.length === 0 && remove.length === 0) {
      throw awsError('ValidationException', 'specify AccountIdsToAdd or AccountIdsToRemove');
    }
    if (add.length > 20 || remove.length > 20) {
      throw awsError('DocumentPermissionLimit', 'You can specify a maximum of 20 accounts per API operation to share a private document.');
    }
    const invalid = [...add, ...remove].find((id) => !/^(?:[aA][lL][lL]|[0-9]{12})$/.test(id));
    if (invalid !== undefined) {
      throw awsError('ValidationException', `1 validation error detected: Value '${invalid}' failed to satisfy constraint: (?i)all|[0-9]{12}`);
    }
    const version = input.SharedDocumentVersion ?? '$DEFAULT';
    if (!/^\$(LATEST|DEFAULT|ALL)$/.test(version)) {
      throw awsError('ValidationException', `SharedDocumentVersion '${version}' failed to satisfy constraint: ([$]LATEST|[$]DEFAULT|[$]ALL)`);
    }
    const shares = new Map(document.shares);
    for (const id of remove) {
      shares.delete(id.toLowerCase() === 'all' ? 'all' : id);
    }
    for (const id of add.filter((candidate) => !remove.includes(candidate))) {
      shares.set(id.toLowerCase() === 'all' ? 'all' : id, version);
    }
    if (shares.has('all') && shares.size > 1) {
      // Assumed error name: the User Guide says only that a document can't be shared publicly and privately at once.
      throw awsError('InvalidPermissionType', 'Documents can\'t be simultaneously shared publicly and privately.');
    }
    if (shares.size > this.shareLimit) {
      throw awsError('DocumentPermissionLimit', `The document can't be shared with more than ${this.shareLimit} accounts.`);
    }
    document.shares = shares;
    return {};
  }

  /** DescribeDocumentPermission: the accounts, sorted, by pages of MaxResults (1 to 200). */
  public describeDocumentPermission(input: { Name: string; PermissionType: string; MaxResults?: number; NextToken?: string }) {
    const document = this.sharedDocument(input.Name, input.PermissionType);
    const size = input.MaxResults ?? 200;
    if (size < 1 || size > 200) {
      throw awsError('ValidationException', `MaxResults ${size} failed to satisfy constraint: 1 to 200`);
    }
    const all = [...document.shares.entries()].sort(([a], [b]) => a.localeCompare(b));
    const start = Number(input.NextToken ?? 0);
    const items = all.slice(start, start + size);
    return {
      AccountIds: items.map(([id]) => id),
      AccountSharingInfoList: items.map(([id, version]) => ({ AccountId: id, SharedDocumentVersion: version })),
      NextToken: start + size < all.length ? String(start + size) : undefined,
    };
  }

  /** DeleteDocument, as CloudFormation's delete of the document calls it: refused while the document is shared. */
  public deleteDocument(input: { Name: string }) {
    const document = this.documents.get(input.Name);
    if (!document) {
      throw awsError('InvalidDocument', `Document with name ${input.Name} does not exist.`);
    }
    if (document.shares.size > 0) {
      throw awsError('InvalidDocumentOperation', 'You must stop sharing the document before you can delete it.');
    }
    this.documents.delete(input.Name);
    return {};
  }

  private sharedDocument(name: string, permissionType: string): SimulatedDocument {
    if (permissionType !== 'Share') {
      throw awsError('InvalidPermissionType', `permission type ${permissionType} is not supported; Share is the only one`);
    }
    const document = this.documents.get(name);
    if (!document) {
      throw awsError('InvalidDocument', `Document with name ${name} does not exist.`);
    }
    return document;
  }

  // ---- the simulation

  private store(input: SendCommandCommandInput, course: Course): SimulatedCommand {
    const nodeIds = input.InstanceIds?.length ? input.InstanceIds
      : input.Targets?.find(({ Key }) => Key === 'InstanceIds')?.Values ?? this.nodesOf(course);
    const sent: SimulatedCommand = {
      command: {
        CommandId: `${String(++this.sequence).padStart(8, '0')}-2222-3333-4444-555555555555`,
        DocumentName: input.DocumentName,
        DocumentVersion: input.DocumentVersion,
        Comment: input.Comment,
        Parameters: input.Parameters,
        Targets: input.Targets,
        InstanceIds: input.InstanceIds,
        MaxConcurrency: input.MaxConcurrency ?? '50',
        MaxErrors: input.MaxErrors ?? '0',
        RequestedDateTime: new Date(this.now),
        TargetCount: nodeIds.length,
      },
      course: { ...course, targets: nodeIds.length },
      nodeIds,
      sentAt: this.now,
      reads: 0,
    };
    this.commands.push(sent);
    return sent;
  }

  private nodesOf(course: Course): string[] {
    return Array.from({ length: course.targets }, (_, i) => `i-${String(i).padStart(17, '0')}`);
  }

  private find(commandId: string): SimulatedCommand | undefined {
    const sent = this.commands.find(({ command }) => command.CommandId === commandId);
    return sent && this.inHistory(sent) ? sent : undefined;
  }

  private inHistory(sent: SimulatedCommand): boolean {
    return this.now - sent.sentAt < HISTORY_MS;
  }

  /** Counts a read of the command, which it may not survive unseen. */
  private visible(sent: SimulatedCommand): boolean {
    sent.reads++;
    return sent.reads > (sent.course.invisibleReads ?? 0);
  }

  private phaseEnds(sent: SimulatedCommand): { pendingUntil: number; runningUntil: number } {
    const { course } = sent;
    const pending = course.pendingMs ?? (course.pendingPolls ?? 0) * this.pollMs;
    const running = course.inProgressMs ?? (course.inProgressPolls ?? 0) * this.pollMs;
    return { pendingUntil: sent.sentAt + pending, runningUntil: sent.sentAt + pending + running };
  }

  private running(sent: SimulatedCommand): boolean {
    return sent.cancelledAt === undefined && this.now < this.phaseEnds(sent).runningUntil;
  }

  /** How node `index` ends: the not-run nodes first, the failed ones last. */
  private outcome(sent: SimulatedCommand, index: number): NodeOutcome {
    const { course } = sent;
    const notRun = Object.entries(course.notRun ?? {}) as [NodeOutcome, number][];
    let first = 0;
    for (const [outcome, count] of notRun) {
      if (index >= first && index < first + count) {
        return outcome;
      }
      first += count;
    }
    return index >= course.targets - course.failed ? 'Failed' : 'Success';
  }

  private invocation(sent: SimulatedCommand, instanceId: string, index: number, details: boolean): CommandInvocation {
    const { pendingUntil, runningUntil } = this.phaseEnds(sent);
    let status: string;
    let statusDetails: string;
    if (sent.cancelledAt !== undefined && sent.cancelledAt < runningUntil) {
      // Cancelling takes one poll.
      status = this.now < sent.cancelledAt + this.pollMs ? 'Cancelling' : 'Cancelled';
      statusDetails = status;
    } else if (this.now < pendingUntil) {
      status = statusDetails = 'Pending';
    } else if (this.now < runningUntil) {
      status = statusDetails = 'InProgress';
    } else {
      const outcome = this.outcome(sent, index);
      status = { Success: 'Success', Failed: 'Failed', ExecutionTimedOut: 'TimedOut', DeliveryTimedOut: 'TimedOut', Terminated: 'Cancelled' }[outcome as string] ?? 'Failed';
      statusDetails = outcome;
    }
    const steps = sent.course.steps ?? ['runShellScript'];
    return {
      CommandId: sent.command.CommandId,
      InstanceId: instanceId,
      DocumentName: sent.command.DocumentName,
      RequestedDateTime: sent.command.RequestedDateTime,
      Status: status,
      StatusDetails: statusDetails,
      CommandPlugins: details ? steps.map((name) => ({ Name: name, Status: status })) : undefined,
    } as CommandInvocation;
  }

  /** The command as Systems Manager reports it now. */
  private view(sent: SimulatedCommand): Command {
    const nodes = sent.nodeIds.map((id, index) => this.invocation(sent, id, index, false));
    const terminal = nodes.filter((node) => !['Pending', 'InProgress', 'Delayed', 'Cancelling'].includes(node.Status!));
    const errors = nodes.filter((node) => node.StatusDetails === 'Failed' || node.StatusDetails === 'ExecutionTimedOut').length;
    const deliveryTimedOut = nodes.filter((node) => node.StatusDetails === 'DeliveryTimedOut').length;
    let status: string;
    if (sent.cancelledAt !== undefined && sent.cancelledAt < this.phaseEnds(sent).runningUntil) {
      status = nodes.some((node) => node.Status === 'Cancelling') ? 'Cancelling' : 'Cancelled';
    } else if (terminal.length < nodes.length) {
      status = nodes.some((node) => node.Status === 'InProgress') ? 'InProgress' : 'Pending';
    } else if (sent.nodeIds.length === 0) {
      status = 'Success';
    } else {
      status = errors > Number(sent.command.MaxErrors ?? 0) ? 'Failed' : errors > 0 ? 'Failed' : 'Success';
    }
    return {
      ...sent.command,
      Status: status as Command['Status'],
      StatusDetails: sent.nodeIds.length === 0 && status === 'Success' ? 'No Instances In Tag' : status,
      CompletedCount: terminal.length,
      ErrorCount: errors,
      DeliveryTimedOutCount: deliveryTimedOut,
    };
  }

  private commandMatches(command: Command, key: string, value: string): boolean {
    switch (key) {
      case 'InvokedAfter': return command.RequestedDateTime!.getTime() >= Date.parse(value);
      case 'InvokedBefore': return command.RequestedDateTime!.getTime() <= Date.parse(value);
      case 'DocumentName': return command.DocumentName === value;
      case 'Status': return command.Status === value || command.StatusDetails === value;
      case 'ExecutionStage': return (value === 'Executing') === ['Pending', 'InProgress', 'Cancelling'].includes(command.Status!);
      default: throw awsError('InvalidFilterKey', `${key} is not a filter of ListCommands`);
    }
  }
}
