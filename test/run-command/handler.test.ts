import {
  CancelCommandCommand, Command, CommandStatus, DeleteParameterCommand, DescribeInstanceInformationCommand, GetCommandInvocationCommand,
  GetParameterCommand, ListCommandInvocationsCommand, ListCommandsCommand, ListCommandsCommandInput, PutParameterCommand, SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { truncate } from '../../src/private/handler-errors';
import { IsCompleteRequest, OnEventRequest } from '../../src/private/provider-types';
import { RunCommandAttributes } from '../../src/private/wire';
import { MAX_OUTPUT_BYTES, isRunCommandComplete, markerOf, onRunCommandEvent } from '../../src/run-command/handler';

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1' });
const NOW = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;
const RESULT = '/cdk-ssm-ops/run-command/S/InstallAgent';

const PROPERTIES = {
  RoleArn: 'arn:aws:iam::111111111111:role/InstallAgentRole',
  Command: {
    DocumentName: 'AWS-RunShellScript',
    Parameters: { commands: ['yum install -y my-agent'] },
    Targets: [{ Key: 'tag:Role', Values: ['web'] }],
    MaxConcurrency: '25%',
    MaxErrors: '0',
    Comment: 'install the agent',
    TimeoutSeconds: '600',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: 'out', CloudWatchOutputEnabled: 'true' },
    AlarmConfiguration: { Alarms: [{ Name: 'health' }], IgnorePollAlarmFailure: 'false' },
  },
  Triggers: { version: '1.4.2' },
  WaitSeconds: '1200',
  ResultParameter: RESULT,
};

function event(overrides: Partial<OnEventRequest> = {}): OnEventRequest {
  return {
    RequestType: 'Create',
    RequestId: 'request-1',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
    LogicalResourceId: 'InstallAgent',
    ResourceType: 'Custom::SsmRunCommand',
    ResourceProperties: PROPERTIES,
    ...overrides,
  };
}

function poll(data: Record<string, string>, overrides: Partial<IsCompleteRequest> = {}): IsCompleteRequest {
  return { ...event(), PhysicalResourceId: 'InstallAgent-abc', Data: { Started: String(NOW), Deadline: String(NOW + MINUTE), ...data }, ...overrides };
}

function update(overrides: Partial<OnEventRequest> = {}): OnEventRequest {
  return event({
    RequestType: 'Update',
    RequestId: 'request-2',
    PhysicalResourceId: 'InstallAgent-abc',
    OldResourceProperties: { ...PROPERTIES, Triggers: { version: '1.4.1' } },
    ...overrides,
  });
}

function command(status: string, extra: Partial<Command> = {}): { Commands: Command[] } {
  return { Commands: [{ CommandId: 'cmd-1', Status: status as CommandStatus, StatusDetails: status, TargetCount: 3, CompletedCount: 3, ErrorCount: 0, ...extra }] };
}

function error(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}
const throttled = () => error('ThrottlingException', 'Rate exceeded');

interface Node { InstanceId: string; Status: string; StatusDetails?: string; CommandPlugins?: { Name: string; Status: string }[] }

/**
 * ListCommandInvocations over these nodes, as Systems Manager answers it: filtered by status (a node's detailed
 * status, such as Undeliverable or Delivery Timed Out, with the spaces left out), at most MaxResults, then a token.
 */
function invocationsOf(nodes: Node[]) {
  return (input: { Filters?: { key: string; value: string }[]; MaxResults?: number }) => {
    const status = input.Filters?.find(({ key }) => key === 'Status')?.value;
    const matching = nodes.filter((node) => status === undefined || (node.StatusDetails ?? node.Status).replace(/ /g, '') === status);
    const max = input.MaxResults ?? 50;
    return { CommandInvocations: matching.slice(0, max), NextToken: matching.length > max ? 'more' : undefined };
  };
}

/**
 * ListCommands over these commands, as Systems Manager answers it: one command by its ID (none while it is not
 * visible yet), or the commands that match every filter, newest first, in pages.
 */
function commandsOf(commands: () => Command[]) {
  return (input: ListCommandsCommandInput) => {
    if (input.CommandId) {
      return { Commands: commands().filter((candidate) => candidate.CommandId === input.CommandId) };
    }
    const matches = commands().filter((candidate) => (input.Filters ?? []).every(({ key, value }) => {
      switch (key) {
        case 'InvokedAfter': return (candidate.RequestedDateTime?.getTime() ?? 0) >= Date.parse(value!);
        case 'DocumentName': return candidate.DocumentName === value;
        case 'ExecutionStage': return ['Pending', 'InProgress', 'Delayed', 'Cancelling'].includes(candidate.Status ?? '') === (value === 'Executing');
        default: return true;
      }
    })).sort((a, b) => (b.RequestedDateTime?.getTime() ?? 0) - (a.RequestedDateTime?.getTime() ?? 0));
    const start = Number(input.NextToken ?? 0);
    const end = start + (input.MaxResults ?? 50);
    return { Commands: matches.slice(start, end), NextToken: end < matches.length ? String(end) : undefined };
  };
}

/** The resource's result record as the handler keeps it in its parameter. */
function record(): Record<string, any> | undefined {
  const value = parameters.get(RESULT);
  return value === undefined ? undefined : JSON.parse(value);
}

const ATTRIBUTES: RunCommandAttributes = {
  CommandId: 'cmd-1',
  Status: 'Success',
  StatusDetails: 'Success',
  TargetCount: '3',
  CompletedCount: '3',
  ErrorCount: '0',
  NotRunCount: '0',
  NodesNotRun: '',
  Output: 'installed 1.4.2\n',
  TriggeredAlarms: '',
};

let parameters: Map<string, string>;
let log: jest.SpyInstance;

beforeEach(() => {
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  ssm.reset();
  parameters = new Map();
  ssm.on(ListCommandsCommand).resolves({ Commands: [] });
  ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [] });
  ssm.on(GetParameterCommand).callsFake(({ Name }) => {
    if (!parameters.has(Name)) {
      throw error('ParameterNotFound');
    }
    return { Parameter: { Name, Type: 'String', Value: parameters.get(Name) } };
  });
  ssm.on(PutParameterCommand).callsFake(({ Name, Value }) => {
    parameters.set(Name, Value);
    return { Version: 1 };
  });
  ssm.on(DeleteParameterCommand).callsFake(({ Name }) => {
    if (!parameters.delete(Name)) {
      throw error('ParameterNotFound');
    }
    return {};
  });
});

afterEach(() => {
  log.mockRestore();
});

describe('onEvent', () => {
  test('create sends the command with a marker in its comment and SendCommand types restored', async () => {
    // GIVEN
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    // WHEN
    const response = await onRunCommandEvent(client, event(), NOW);
    // THEN
    expect(response.Data?.CommandId).toBe('cmd-1');
    expect(response.Data?.Deadline).toBe(String(NOW + 1_200_000));
    expect(response.PhysicalResourceId).toMatch(/^InstallAgent-[0-9a-f]{10}$/);
    const input = ssm.commandCalls(SendCommandCommand)[0].args[0].input;
    expect(input).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      Targets: [{ Key: 'tag:Role', Values: ['web'] }],
      TimeoutSeconds: 600,
      CloudWatchOutputConfig: { CloudWatchLogGroupName: 'out', CloudWatchOutputEnabled: true },
      AlarmConfiguration: { Alarms: [{ Name: 'health' }], IgnorePollAlarmFailure: false },
      Comment: `install the agent [${markerOf(event())}]`,
    });
    expect(input.Comment!.length).toBeLessThanOrEqual(100);
    expect(input).not.toHaveProperty('RoleArn');
  });

  test('create records the command it sent in the result parameter, a standard String overwritten in place', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    await onRunCommandEvent(client, event(), NOW);
    expect(ssm.commandCalls(PutParameterCommand)[0].args[0].input).toMatchObject({ Name: RESULT, Type: 'String', Tier: 'Standard', Overwrite: true });
    expect(record()).toEqual({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW });
  });

  test('a retried create finds the command it recorded and never sends a second one', async () => {
    // GIVEN: the first attempt sent the command and recorded it, then failed before answering
    parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW - 30_000 }));
    // WHEN
    const response = await onRunCommandEvent(client, event(), NOW);
    // THEN
    expect(response.Data?.CommandId).toBe('cmd-1');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  test('a retried create without a record finds the command it sent by its marker, among recent commands of its document', async () => {
    // GIVEN: the first attempt sent the command, then failed before recording it
    ssm.on(ListCommandsCommand).resolves({
      Commands: [
        { CommandId: 'other', Comment: 'unrelated' },
        { CommandId: 'cmd-1', Comment: `install the agent [${markerOf(event())}]`, RequestedDateTime: new Date(NOW - 5000) },
      ],
    });
    // WHEN
    const response = await onRunCommandEvent(client, event(), NOW);
    // THEN
    expect(response.Data?.CommandId).toBe('cmd-1');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(ssm.commandCalls(ListCommandsCommand)[0].args[0].input).toEqual({
      Filters: [{ key: 'InvokedAfter', value: new Date(NOW - 60 * MINUTE).toISOString() }, { key: 'DocumentName', value: 'AWS-RunShellScript' }],
      MaxResults: 50,
    });
  });

  test('the marker scan reads every page, up to its bound, to find the command a retried create sent', async () => {
    // GIVEN: 300 newer commands of the same document before the one this request sent
    const commands: Command[] = [
      ...Array.from({ length: 300 }, (_, i) => ({ CommandId: `other-${i}`, DocumentName: 'AWS-RunShellScript', Comment: 'x', RequestedDateTime: new Date(NOW - i) })),
      { CommandId: 'cmd-1', DocumentName: 'AWS-RunShellScript', Comment: `[${markerOf(event())}]`, RequestedDateTime: new Date(NOW - 10 * MINUTE) },
    ];
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => commands));
    // WHEN
    const response = await onRunCommandEvent(client, event(), NOW);
    // THEN
    expect(response.Data?.CommandId).toBe('cmd-1');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(ssm.commandCalls(ListCommandsCommand)).toHaveLength(7);
  });

  test('past 1,000 recent commands of its document, the marker scan stops, says so in the log, and the create sends', async () => {
    // Bound: a busy document cannot hold a deployment; only a retried attempt whose record was lost could send twice.
    const others = Array.from({ length: 1200 }, (_, i) => ({ CommandId: `other-${i}`, DocumentName: 'AWS-RunShellScript', RequestedDateTime: new Date(NOW - i) }));
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => others));
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    const response = await onRunCommandEvent(client, event(), NOW);
    expect(response.Data?.CommandId).toBe('cmd-1');
    expect(ssm.commandCalls(ListCommandsCommand)).toHaveLength(20);
    expect(log.mock.calls.flat().join('\n')).toMatch(/stopped after 20 pages of 50 commands/);
  });

  test('a record that is not JSON is ignored', async () => {
    parameters.set(RESULT, 'not json');
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    await expect(onRunCommandEvent(client, event(), NOW)).resolves.toMatchObject({ Data: { CommandId: 'cmd-1' } });
    expect(record()).toMatchObject({ CommandId: 'cmd-1' });
  });

  test('update with unchanged triggers sends nothing, and isComplete returns the recorded attributes', async () => {
    // GIVEN
    parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW - MINUTE, Attributes: ATTRIBUTES }));
    const unchanged = update({ OldResourceProperties: { ...PROPERTIES, WaitSeconds: '60' } });
    // WHEN
    const response = await onRunCommandEvent(client, unchanged, NOW);
    const done = await isRunCommandComplete(client, { ...unchanged, ...response } as IsCompleteRequest, NOW);
    // THEN
    expect(response).toMatchObject({ PhysicalResourceId: 'InstallAgent-abc', Data: { Rerun: 'false' } });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(done).toEqual({ IsComplete: true, Data: ATTRIBUTES });
  });

  test('an update that sends nothing keeps the attributes after the command left the 30-day history, in a busy account', async () => {
    // GIVEN: Systems Manager lists 2,000 newer commands of others, and not this resource's
    parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW - 40 * 24 * 60 * MINUTE, Attributes: ATTRIBUTES }));
    const others = Array.from({ length: 2000 }, (_, i) => ({ CommandId: `other-${i}`, DocumentName: 'AWS-RunShellScript', RequestedDateTime: new Date(NOW - i) }));
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => others));
    const unchanged = update({ OldResourceProperties: PROPERTIES });
    // WHEN
    const response = await onRunCommandEvent(client, unchanged, NOW);
    const done = await isRunCommandComplete(client, { ...unchanged, ...response } as IsCompleteRequest, NOW);
    // THEN
    expect(done).toEqual({ IsComplete: true, Data: ATTRIBUTES });
    expect(ssm.commandCalls(ListCommandsCommand)).toHaveLength(0);
  });

  test('an update that sends nothing, for a resource without a record, falls back to the marker scan and records what it found', async () => {
    // GIVEN: a resource of an older version, whose command is still in the history
    const old = { ...command('Success').Commands[0], DocumentName: 'AWS-RunShellScript', Comment: `[${markerOf(event({ RequestId: 'old' }))}]`, RequestedDateTime: new Date(NOW - 3 * 24 * 60 * MINUTE) };
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => [old]));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'installed 1.4.2\n' });
    const unchanged = update({ OldResourceProperties: PROPERTIES });
    // WHEN
    const response = await onRunCommandEvent(client, unchanged, NOW);
    const done = await isRunCommandComplete(client, { ...unchanged, ...response } as IsCompleteRequest, NOW);
    // THEN
    expect(done).toEqual({ IsComplete: true, Data: ATTRIBUTES });
    expect(record()).toMatchObject({ CommandId: 'cmd-1', Attributes: ATTRIBUTES });
  });

  test('an update that sends nothing, for a resource without a record or history, reports NotRerun', async () => {
    const unchanged = update({ OldResourceProperties: PROPERTIES });
    const response = await onRunCommandEvent(client, unchanged, NOW);
    const done = await isRunCommandComplete(client, { ...unchanged, ...response } as IsCompleteRequest, NOW);
    expect(done).toMatchObject({ IsComplete: true, Data: { CommandId: '', Status: 'NotRerun', Output: '' } });
  });

  test('update with the same triggers in another key order sends nothing', async () => {
    const reordered = update({
      ResourceProperties: { ...PROPERTIES, Triggers: { version: '1.4.2', config: 'abc', nested: { b: '2', a: '1' } } },
      OldResourceProperties: { ...PROPERTIES, Triggers: { nested: { a: '1', b: '2' }, config: 'abc', version: '1.4.2' } },
    });
    const response = await onRunCommandEvent(client, reordered, NOW);
    expect(response.Data?.Rerun).toBe('false');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  test('update with changed triggers sends the command again and keeps the physical ID', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-2' } });
    const response = await onRunCommandEvent(client, update(), NOW);
    expect(response.PhysicalResourceId).toBe('InstallAgent-abc');
    expect(response.Data?.CommandId).toBe('cmd-2');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(record()).toMatchObject({ Marker: markerOf(update()), CommandId: 'cmd-2' });
  });

  test('update with changed triggers cancels every running command of the resource and sends nothing until they have stopped', async () => {
    // GIVEN: the resource's previous command still runs (listed as Executing), and the recorded one is not listed yet
    const resource = markerOf(event(), false);
    const commands: Command[] = [
      { CommandId: 'cmd-old', Status: 'InProgress', Comment: `[${resource}:aaaaaaaaaa]`, RequestedDateTime: new Date(NOW - 5 * MINUTE) },
      { CommandId: 'someone-else', Status: 'InProgress', Comment: 'not ours', RequestedDateTime: new Date(NOW - MINUTE) },
    ];
    parameters.set(RESULT, JSON.stringify({ Marker: `${resource}:bbbbbbbbbb`, CommandId: 'cmd-recorded', SentAt: NOW - 20_000 }));
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => commands));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-recorded' }).resolves({ Commands: [{ CommandId: 'cmd-recorded', Status: 'Pending' }] });
    ssm.on(CancelCommandCommand).resolves({});
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-new' } });
    // WHEN
    const response = await onRunCommandEvent(client, update(), NOW);
    // THEN
    expect(ssm.commandCalls(CancelCommandCommand).map((call) => call.args[0].input.CommandId).sort()).toEqual(['cmd-old', 'cmd-recorded']);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(response.Data?.CommandId).toBeUndefined();
    expect(ssm.commandCalls(ListCommandsCommand).map((call) => call.args[0].input.Filters)).toContainEqual([{ key: 'ExecutionStage', value: 'Executing' }]);
  });

  test('after cancelling, isComplete sends the command once none of the cancelled commands runs any more', async () => {
    // GIVEN
    const data = { Cancelling: 'cmd-old' };
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-old' })
      .resolvesOnce({ Commands: [{ CommandId: 'cmd-old', Status: 'Cancelling' }] })
      .resolves({ Commands: [{ CommandId: 'cmd-old', Status: 'Cancelled' }] });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-new' } });
    const request = poll(data, update());
    // WHEN
    const first = await isRunCommandComplete(client, request, NOW);
    const sentAfter = ssm.commandCalls(SendCommandCommand).length;
    const second = await isRunCommandComplete(client, request, NOW + 15_000);
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-new' }).resolves({ Commands: [{ CommandId: 'cmd-new', Status: 'InProgress' }] });
    const third = await isRunCommandComplete(client, request, NOW + 30_000);
    // THEN
    expect([first, second, third]).toEqual([{ IsComplete: false }, { IsComplete: false }, { IsComplete: false }]);
    expect(sentAfter).toBe(0);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(record()).toEqual({ Marker: markerOf(update()), CommandId: 'cmd-new', SentAt: NOW + 15_000 });
  });

  test('a previous command still running when the timeout passes fails the update, and nothing is sent', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-old' }).resolves({ Commands: [{ CommandId: 'cmd-old', Status: 'Cancelling' }] });
    await expect(isRunCommandComplete(client, poll({ Cancelling: 'cmd-old', Deadline: String(NOW - 1) }, update()), NOW))
      .rejects.toThrow('the RunCommand timeout passed while waiting for command cmd-old to stop');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  test('an onEvent that meets a retryable error leaves the send to isComplete', async () => {
    ssm.on(SendCommandCommand).rejects(throttled());
    const response = await onRunCommandEvent(client, event(), NOW);
    expect(response.Data).toEqual({ Started: String(NOW), Deadline: String(NOW + 1_200_000) });
  });

  test('an onEvent refused while IAM propagates leaves the send to isComplete', async () => {
    ssm.on(GetParameterCommand).rejects(error('AccessDeniedException', 'not authorized to perform ssm:GetParameter'));
    const response = await onRunCommandEvent(client, event(), NOW);
    expect(response.Data?.CommandId).toBeUndefined();
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  test('an invalid command fails the create at once, with the reason', async () => {
    ssm.on(SendCommandCommand).rejects(error('InvalidDocument', 'Document AWS-RunShellScrip does not exist'));
    await expect(onRunCommandEvent(client, event(), NOW)).rejects.toThrow('Document AWS-RunShellScrip does not exist');
  });

  test('delete does nothing in onEvent but answer with the physical ID and a deadline', async () => {
    const response = await onRunCommandEvent(client, event({ RequestType: 'Delete', PhysicalResourceId: 'InstallAgent-abc' }), NOW);
    expect(response).toEqual({ PhysicalResourceId: 'InstallAgent-abc', Data: { Started: String(NOW), Deadline: String(NOW + 5 * MINUTE) } });
    expect(ssm.calls()).toHaveLength(0);
  });
});

describe('isComplete', () => {
  test.each(['Pending', 'InProgress', 'Delayed', 'Cancelling'])('a %s command is not complete, after one ListCommands call', async (status) => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command(status));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    expect(ssm.calls()).toHaveLength(1);
  });

  test('a successful command completes with its attributes and the output of one node, and records them', async () => {
    // GIVEN
    parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW }));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }, { InstanceId: 'i-2', Status: 'Success' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'installed 1.4.2\n' });
    // WHEN
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN
    expect(response).toEqual({ IsComplete: true, Data: ATTRIBUTES });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(1);
    expect(record()).toEqual({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW, Attributes: ATTRIBUTES });
  });

  test('a request whose command is no longer the recorded one does not overwrite the record', async () => {
    // GIVEN: a newer request of the resource recorded its own command
    const newer = { Marker: markerOf(update()), CommandId: 'cmd-2', SentAt: NOW };
    parameters.set(RESULT, JSON.stringify(newer));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    // WHEN
    await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN
    expect(record()).toEqual(newer);
  });

  test.each([
    ['Failed', 'Failed'],
    ['TimedOut', 'Execution Timed Out'],
    ['Cancelled', 'Cancelled'],
    ['Failed', 'Incomplete'],
  ])('a command that ends %s (%s) fails with the command, its status, the failed count and the nodes\' errors', async (status, details) => {
    // GIVEN
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command(status, { StatusDetails: details, ErrorCount: 4, TargetCount: 5 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([
      { InstanceId: 'i-1', Status: 'Success' },
      ...['i-2', 'i-3', 'i-4', 'i-5'].map((id) => ({ InstanceId: id, Status: 'Failed', StatusDetails: 'Failed' })),
    ]));
    ssm.on(GetCommandInvocationCommand).callsFake((input) => ({ StandardErrorContent: `${'x'.repeat(500)} error on ${input.InstanceId}` }));
    // WHEN
    const result = isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN
    await expect(result).rejects.toThrow(new RegExp(`^command cmd-1 ended ${status} \\(${details}\\): 4 of 5 nodes failed; `
      + 'i-2: Failed: …x+ error on i-2; i-3: Failed: …x+ error on i-3; i-4: Failed: …x+ error on i-4; and 1 more$'));
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(3);
  });

  test('the nodes shown cost the same calls whether the command ran on 5 nodes or 1,000', async () => {
    // GIVEN: 1,000 nodes, of which the last 10 failed
    const nodes = Array.from({ length: 1000 }, (_, i) => ({ InstanceId: `i-${i}`, Status: i < 990 ? 'Success' : 'Failed' }));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 10, TargetCount: 1000, CompletedCount: 1000 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf(nodes));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardErrorContent: 'disk full' });
    // WHEN
    const result = isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN: one filtered page of three failed nodes and their errors, and one call per status of nodes that may not have run
    await expect(result).rejects.toThrow('10 of 1000 nodes failed; i-990: Failed: disk full; i-991: Failed: disk full; i-992: Failed: disk full; and 7 more');
    expect(ssm.commandCalls(ListCommandInvocationsCommand).map((call) => call.args[0].input)).toEqual([
      { CommandId: 'cmd-1', Filters: [{ key: 'Status', value: 'Failed' }], MaxResults: 3, Details: true },
      ...['AccessDenied', 'InvalidPlatform', 'Undeliverable', 'Terminated'].map((status) => ({ CommandId: 'cmd-1', Filters: [{ key: 'Status', value: status }], MaxResults: 50 })),
    ]);
    expect(ssm.calls()).toHaveLength(9);
  });

  test('failed nodes are looked for in each failed status until three are found; delivery timeouts are nodes that did not run', async () => {
    // Deliberate change: a node whose delivery timed out never ran the command, so it is reported as such.
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('TimedOut', { ErrorCount: 2, DeliveryTimedOutCount: 1, TargetCount: 4 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([
      { InstanceId: 'i-1', Status: 'TimedOut', StatusDetails: 'Delivery Timed Out' },
      { InstanceId: 'i-2', Status: 'Failed' },
      { InstanceId: 'i-3', Status: 'Success' },
      { InstanceId: 'i-4', Status: 'TimedOut', StatusDetails: 'Execution Timed Out' },
    ]));
    ssm.on(GetCommandInvocationCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow(
      '2 of 4 nodes failed; i-2: Failed; i-4: Execution Timed Out; 1 of 4 nodes did not run: i-1: Delivery Timed Out');
    const lookups = ssm.commandCalls(ListCommandInvocationsCommand).map((call) => call.args[0].input);
    expect(lookups.slice(0, 2).map((input) => [input.Filters, input.MaxResults])).toEqual([
      [[{ key: 'Status', value: 'Failed' }], 2],
      [[{ key: 'Status', value: 'ExecutionTimedOut' }], 1],
    ]);
  });

  test('failed nodes are found past nodes of other detailed statuses that a coarse Status filter lists too, within three pages', async () => {
    // GIVEN: a Status filter that matches the coarse status, so Undeliverable nodes (Status Failed) come first
    const undeliverable = Array.from({ length: 60 }, (_, i) => ({ InstanceId: `i-u${i}`, Status: 'Failed', StatusDetails: 'Undeliverable' }));
    const nodes = [...undeliverable, { InstanceId: 'i-f1', Status: 'Failed', StatusDetails: 'Failed' }, { InstanceId: 'i-f2', Status: 'Failed', StatusDetails: 'Failed' }];
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 2, TargetCount: 62 }));
    ssm.on(ListCommandInvocationsCommand).callsFake((input) => {
      const status = input.Filters?.find(({ key }: { key: string }) => key === 'Status')?.value;
      const matching = nodes.filter((node) => node.Status === status || node.StatusDetails === status);
      const start = Number(input.NextToken ?? 0);
      const end = start + (input.MaxResults ?? 50);
      return { CommandInvocations: matching.slice(start, end), NextToken: end < matching.length ? String(end) : undefined };
    });
    ssm.on(GetCommandInvocationCommand).resolves({ StandardErrorContent: 'exit status 1' });
    // WHEN
    const result = isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN
    await expect(result).rejects.toThrow('2 of 62 nodes failed; i-f1: Failed: exit status 1; i-f2: Failed: exit status 1; 50+ of 62 nodes did not run: ');
    const failedLookups = ssm.commandCalls(ListCommandInvocationsCommand).map((call) => call.args[0].input).filter((input) => input.Details);
    expect(failedLookups.map((input) => input.MaxResults)).toEqual([2, 50, 50]);
  });

  test('a command that counts fewer failed nodes than are shown looks no further once it has found them', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 1, TargetCount: 50 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Failed' }]));
    ssm.on(GetCommandInvocationCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow('1 of 50 nodes failed; i-1: Failed');
    const lookups = ssm.commandCalls(ListCommandInvocationsCommand).map((call) => call.args[0].input);
    expect(lookups.filter((input) => input.Details).map((input) => input.MaxResults)).toEqual([1]);
  });

  test('a failed command whose failed nodes cannot be found says how many failed, without "and N more"', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 5, TargetCount: 5 }));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow(/^command cmd-1 ended Failed \(Failed\): 5 of 5 nodes failed$/);
  });

  test('a document of several steps is read from the step that failed, or else the last step', async () => {
    // GIVEN
    const steps = (second: string) => [{ Name: 'install', Status: 'Success' }, { Name: 'apply', Status: second }, { Name: 'report', Status: second === 'Success' ? 'Success' : 'Cancelled' }];
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 1, TargetCount: 2 }));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-2' }).resolves({ Commands: [{ ...command('Success').Commands[0], CommandId: 'cmd-2' }] });
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([
      { InstanceId: 'i-1', Status: 'Failed', CommandPlugins: steps('Failed') },
      { InstanceId: 'i-2', Status: 'Success', CommandPlugins: steps('Success') },
    ]));
    ssm.on(GetCommandInvocationCommand, { PluginName: 'apply' }).resolves({ StandardErrorContent: 'apply failed' });
    ssm.on(GetCommandInvocationCommand, { PluginName: 'report' }).resolves({ StandardOutputContent: 'report ok' });
    // WHEN
    const failed = isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    const succeeded = isRunCommandComplete(client, poll({ CommandId: 'cmd-2' }), NOW);
    // THEN
    await expect(failed).rejects.toThrow('1 of 2 nodes failed; i-1: Failed: apply failed');
    await expect(succeeded).resolves.toMatchObject({ Data: { Output: 'report ok' } });
  });

  test('a failed command completes the deployment when failures are allowed', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 1 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Failed' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'partial' });
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }, { ResourceProperties: { ...PROPERTIES, FailOnCommandFailure: 'false' } }), NOW);
    expect(response).toMatchObject({ IsComplete: true, Data: { Status: 'Failed', ErrorCount: '1', Output: 'partial' } });
  });

  test('a command that matched no nodes fails clearly, unless allowed', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success', { TargetCount: 0, CompletedCount: 0, StatusDetails: 'No Instances In Tag' }));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow(
      'command cmd-1 matched no nodes (No Instances In Tag): check the targets, or set failOnNoTargets to false');
    const allowed = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }, { ResourceProperties: { ...PROPERTIES, FailOnNoTargets: 'false' } }), NOW);
    expect(allowed).toMatchObject({ IsComplete: true, Data: { TargetCount: '0', Output: '' } });
  });

  test('throttling and transient errors are retried at the next poll', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' })
      .rejectsOnce(throttled())
      .rejectsOnce(error('InternalServerError', 'oops', 500))
      .resolves(command('InProgress'));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
  });

  test('AccessDenied is retried while IAM may still propagate, and fails the deployment after', async () => {
    // Deliberate change: a refusal within two minutes of the request is taken for IAM propagation.
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).rejects(error('AccessDeniedException', 'no access'));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 30_000)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 3 * MINUTE)).rejects.toThrow('no access');
  });

  test('a command not listed yet right after the send is waited for, not failed', async () => {
    // Run Command's API is eventually consistent: ListCommands may not list a command it just accepted.
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' })
      .resolvesOnce({ Commands: [] })
      .rejectsOnce(error('InvalidCommandId'))
      .resolves(command('InProgress'));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 5_000)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 20_000)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 35_000)).resolves.toEqual({ IsComplete: false });
  });

  test('a command still not listed two minutes after the send fails clearly', async () => {
    ssm.on(CancelCommandCommand).rejects(error('InvalidCommandId'));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW + 20 * MINUTE) }), NOW + 3 * MINUTE))
      .rejects.toThrow(/^command cmd-1, sent at 2026-11-22T10:00:00.000Z, is still not listed by Systems Manager 3 minutes later/);
  });

  test('a command still running at the deadline is cancelled and fails the deployment', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('InProgress'));
    ssm.on(CancelCommandCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW - 1) }), NOW)).rejects.toThrow(
      'command cmd-1 was still InProgress when the RunCommand timeout passed; it was cancelled');
    expect(ssm.commandCalls(CancelCommandCommand)[0].args[0].input).toEqual({ CommandId: 'cmd-1' });
  });

  test('at the deadline, a command whose status Systems Manager does not answer is cancelled all the same', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).rejects(throttled());
    ssm.on(CancelCommandCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW - 1) }), NOW)).rejects.toThrow(
      'the RunCommand timeout passed while Systems Manager did not answer (ThrottlingException: Rate exceeded); command cmd-1 was cancelled');
    expect(ssm.commandCalls(CancelCommandCommand)).toHaveLength(1);
  });

  test('when cancelling fails at the deadline, the message says so and how to cancel it', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('InProgress'));
    ssm.on(CancelCommandCommand).rejects(throttled());
    const failure = isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW - 1) }), NOW);
    await expect(failure).rejects.toThrow('command cmd-1 was still InProgress when the RunCommand timeout passed; cancelling it failed '
      + '(ThrottlingException: Rate exceeded): cancel it with aws ssm cancel-command --command-id cmd-1');
    await expect(failure).rejects.not.toThrow('it was cancelled');
  });

  describe('reads at the end', () => {
    beforeEach(() => {
      parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW }));
      ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
      ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }]));
    });

    test('throttled reads at the end are retried at the next poll, not answered with an empty output', async () => {
      ssm.on(GetCommandInvocationCommand).rejectsOnce(throttled()).resolves({ StandardOutputContent: 'installed 1.4.2\n' });
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 15_000)).resolves.toEqual({ IsComplete: true, Data: ATTRIBUTES });
    });

    test('an invocation not readable yet (InvocationDoesNotExist) is read again at the next poll', async () => {
      ssm.on(GetCommandInvocationCommand).rejectsOnce(error('InvocationDoesNotExist')).resolves({ StandardOutputContent: 'installed 1.4.2\n' });
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW + 15_000)).resolves.toMatchObject({ IsComplete: true });
    });

    test('reads still throttled two minutes after they first failed complete the deployment with a note in the output', async () => {
      // Decision: the command succeeded on the nodes, so its deployment succeeds; the attribute says what was not read.
      ssm.on(GetCommandInvocationCommand).rejects(throttled());
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW + 30 * MINUTE) }), NOW)).resolves.toEqual({ IsComplete: false });
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW + 30 * MINUTE) }), NOW + MINUTE)).resolves.toEqual({ IsComplete: false });
      const done = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW + 30 * MINUTE) }), NOW + 2 * MINUTE + 1);
      expect(done).toEqual({ IsComplete: true, Data: { ...ATTRIBUTES, Output: '[output not read: ThrottlingException: Rate exceeded]' } });
    });

    test('reads still throttled when the timeout passes complete the deployment with a note', async () => {
      ssm.on(ListCommandInvocationsCommand).rejects(throttled());
      const done = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW - 1) }), NOW);
      expect(done).toMatchObject({ IsComplete: true, Data: { Status: 'Success', NotRunCount: 'unknown', NodesNotRun: '[not read: ThrottlingException: Rate exceeded]' } });
    });
  });

  describe('nodes that never ran', () => {
    const nodes: Node[] = [
      { InstanceId: 'i-1', Status: 'Success' },
      { InstanceId: 'i-2', Status: 'Failed', StatusDetails: 'Undeliverable' },
      { InstanceId: 'i-3', Status: 'Failed', StatusDetails: 'InvalidPlatform' },
      { InstanceId: 'i-4', Status: 'Failed', StatusDetails: 'Access Denied' },
      { InstanceId: 'i-5', Status: 'Failed', StatusDetails: 'Undeliverable' },
    ];

    beforeEach(() => {
      ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success', { TargetCount: 5, CompletedCount: 5 }));
      ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf(nodes));
      ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'ok' });
    });

    test('a command that ends Success with nodes that never ran reports them in the attributes, by default without failing', async () => {
      const done = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
      expect(done).toMatchObject({ IsComplete: true, Data: { Status: 'Success', NotRunCount: '4', NodesNotRun: 'i-4: Access Denied; i-3: InvalidPlatform; i-2: Undeliverable' } });
    });

    test('failOnNodesNotRun fails a command that Systems Manager calls Success when a node did not run', async () => {
      const properties = { ...PROPERTIES, FailOnNodesNotRun: 'true' };
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }, { ResourceProperties: properties }), NOW)).rejects.toThrow(
        'command cmd-1 ended Success (Success), but 4 of 5 nodes did not run it: i-4: Access Denied; i-3: InvalidPlatform; i-2: Undeliverable; and 1 more; '
        + 'set failOnNodesNotRun to false to allow this');
    });

    test('a failed command names the nodes that never ran beside the nodes that failed', async () => {
      ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { TargetCount: 6, ErrorCount: 1 }));
      ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([...nodes, { InstanceId: 'i-6', Status: 'Failed' }]));
      await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow(
        '1 of 6 nodes failed; i-6: Failed; 4 of 6 nodes did not run: i-4: Access Denied; i-3: InvalidPlatform; i-2: Undeliverable; and 1 more');
    });

    test('more nodes that never ran than a page lists are counted as at least that many', async () => {
      const many = Array.from({ length: 120 }, (_, i) => ({ InstanceId: `i-${i}`, Status: 'Failed', StatusDetails: 'Undeliverable' }));
      ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-ok', Status: 'Success' }, ...many]));
      const done = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
      expect(done).toMatchObject({ Data: { NotRunCount: '50+' } });
      expect(ssm.commandCalls(ListCommandInvocationsCommand)).toHaveLength(4);
    });
  });

  test('waiting for Online nodes sends the command once they are, records it, and follows it by its record', async () => {
    // GIVEN
    const properties = { ...PROPERTIES, WaitForOnline: 'true', Command: { ...PROPERTIES.Command, Targets: [{ Key: 'InstanceIds', Values: ['i-1', 'i-2'] }] } };
    ssm.on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] })
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }, { InstanceId: 'i-2', PingStatus: 'Online' }] });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    // WHEN
    const created = await onRunCommandEvent(client, event({ ResourceProperties: properties }), NOW);
    const first = await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: properties }), NOW);
    const second = await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: properties }), NOW + 15_000);
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('InProgress'));
    const third = await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: properties }), NOW + 30_000);
    // THEN
    expect(created.Data?.CommandId).toBeUndefined();
    expect([first, second, third]).toEqual([{ IsComplete: false }, { IsComplete: false }, { IsComplete: false }]);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(2);
    expect(record()).toEqual({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW + 15_000 });
  });

  test.each([1, 3, 8])('a command sent from isComplete and not listed for its first %i reads is never sent twice', async (k) => {
    // GIVEN: Systems Manager lists the command neither by ID nor among recent commands for its first K reads
    const properties = { ...PROPERTIES, WaitForOnline: 'true', Command: { ...PROPERTIES.Command, Targets: [{ Key: 'InstanceIds', Values: ['i-1'] }] } };
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] });
    let reads = 0;
    let sent: Command | undefined;
    ssm.on(SendCommandCommand).callsFake((input) => {
      sent = { CommandId: `cmd-${ssm.commandCalls(SendCommandCommand).length}`, Comment: input.Comment, DocumentName: input.DocumentName, Status: 'InProgress', RequestedDateTime: new Date(NOW) };
      return { Command: sent };
    });
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => (sent && reads++ >= k ? [sent] : [])));
    // WHEN: polls every 15 seconds for two minutes
    const created = await onRunCommandEvent(client, event({ ResourceProperties: properties }), NOW);
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: { ...properties } }), NOW + i * 15_000));
    }
    // THEN
    expect(answers.every((answer) => !answer.IsComplete)).toBe(true);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
  });

  test('a send left to isComplete after an uncertain failure looks for the command, and waits for it to be listed, before sending', async () => {
    // GIVEN: onEvent's SendCommand failed without an answer, so the command may have gone out
    ssm.on(SendCommandCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })).resolves({ Command: { CommandId: 'cmd-2' } });
    const created = await onRunCommandEvent(client, event(), NOW);
    // WHEN: the command is not listed for the first minute, then it is
    const waiting = await isRunCommandComplete(client, poll(created.Data!), NOW + 15_000);
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ CommandId: 'cmd-1', Status: 'InProgress', DocumentName: 'AWS-RunShellScript', Comment: `[${markerOf(event())}]`, RequestedDateTime: new Date(NOW) }] });
    const found = await isRunCommandComplete(client, poll(created.Data!), NOW + 60_000);
    // THEN
    expect([waiting, found]).toEqual([{ IsComplete: false }, { IsComplete: false }]);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(record()).toMatchObject({ CommandId: 'cmd-1' });
  });

  test('a send left to isComplete after a throttled SendCommand sends at the next poll', async () => {
    ssm.on(SendCommandCommand).rejectsOnce(throttled()).resolves({ Command: { CommandId: 'cmd-1' } });
    const created = await onRunCommandEvent(client, event(), NOW);
    await expect(isRunCommandComplete(client, poll(created.Data!), NOW + 15_000)).resolves.toEqual({ IsComplete: false });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(2);
    expect(record()).toMatchObject({ CommandId: 'cmd-1', SentAt: NOW + 15_000 });
  });

  test('a command sent from isComplete that cannot be recorded is cancelled, and the deployment fails saying so', async () => {
    const properties = { ...PROPERTIES, WaitForOnline: 'true' };
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    ssm.on(PutParameterCommand).rejects(error('ParameterLimitExceeded', 'too many parameters'));
    ssm.on(CancelCommandCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({}, { ResourceProperties: properties }), NOW)).rejects.toThrow(
      `command cmd-1 was sent but could not be recorded in ${RESULT} (ParameterLimitExceeded: too many parameters); it was cancelled`);
    expect(ssm.commandCalls(CancelCommandCommand)).toHaveLength(1);
  });

  test('a send from isComplete that fails without an answer is recorded as an attempt, and not repeated until it would be listed', async () => {
    const properties = { ...PROPERTIES, WaitForOnline: 'true' };
    ssm.on(SendCommandCommand).rejectsOnce(error('InternalServerError', 'oops', 500)).resolves({ Command: { CommandId: 'cmd-2' } });
    const request = poll({ Deadline: String(NOW + 30 * MINUTE) }, { ResourceProperties: properties });
    await expect(isRunCommandComplete(client, request, NOW)).resolves.toEqual({ IsComplete: false });
    expect(record()).toEqual({ Marker: markerOf(event()), CommandId: '', SentAt: NOW });
    await expect(isRunCommandComplete(client, request, NOW + MINUTE)).resolves.toEqual({ IsComplete: false });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    // Still not listed two minutes after the attempt: it did not go out, and is sent again
    await expect(isRunCommandComplete(client, request, NOW + 2 * MINUTE)).resolves.toEqual({ IsComplete: false });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(2);
    expect(record()).toMatchObject({ CommandId: 'cmd-2' });
  });

  test('a previous command whose cancel failed in onEvent is cancelled again while isComplete waits for it', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-old' }).resolves({ Commands: [{ CommandId: 'cmd-old', Status: 'InProgress' }] });
    ssm.on(CancelCommandCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ Cancelling: 'cmd-old' }, update()), NOW)).resolves.toEqual({ IsComplete: false });
    expect(ssm.commandCalls(CancelCommandCommand).map((call) => call.args[0].input)).toEqual([{ CommandId: 'cmd-old' }]);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  test('a record that cannot be written at the end is retried at the next poll, and past the deadline only logged', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'installed 1.4.2\n' });
    ssm.on(PutParameterCommand).rejects(throttled());
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW - 1) }), NOW)).resolves.toEqual({ IsComplete: true, Data: ATTRIBUTES });
    expect(log.mock.calls.flat().join('\n')).toMatch(/the attributes of cmd-1 are not recorded: ThrottlingException/);
  });

  test('a record unreadable when the timeout passes fails the deployment saying that Systems Manager did not answer', async () => {
    ssm.on(GetParameterCommand).rejects(throttled());
    await expect(isRunCommandComplete(client, poll({ Deadline: String(NOW - 1) }), NOW)).rejects.toThrow(
      /^the RunCommand timeout passed while Systems Manager did not answer \(ThrottlingException: Rate exceeded\)$/);
  });

  test('the timeout passing while the command is not listed yet cancels it', async () => {
    ssm.on(CancelCommandCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW + 30_000) }), NOW + 30_000)).rejects.toThrow(
      'the RunCommand timeout passed while Systems Manager did not list command cmd-1 yet; it was cancelled');
  });

  test('an update that sends nothing while the recorded command still runs waits for it, and then reports it', async () => {
    parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW - MINUTE }));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolvesOnce(command('InProgress')).resolves(command('Failed', { ErrorCount: 1 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Failed' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'partial' });
    const request = poll({ Rerun: 'false' }, update({ OldResourceProperties: PROPERTIES }));
    await expect(isRunCommandComplete(client, request, NOW)).resolves.toEqual({ IsComplete: false });
    // An earlier command that failed does not fail an update that sends nothing
    await expect(isRunCommandComplete(client, request, NOW + 15_000)).resolves.toMatchObject({ IsComplete: true, Data: { CommandId: 'cmd-1', Status: 'Failed', Output: 'partial' } });
    expect(record()).toMatchObject({ CommandId: 'cmd-1', Attributes: { Status: 'Failed' } });
  });

  test('the output is cut so that the whole response fits 4,096 bytes, and the cut is marked', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'é'.repeat(24_000) });
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    const output: string = response.Data!.Output;
    expect(output.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(output)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  });

  test('output full of characters JSON escapes still fits the response', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: '\u001b[32mok\u001b[0m\n"quoted"\t'.repeat(2000) });
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    expect(Buffer.byteLength(JSON.stringify(response.Data!.Output))).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(response.Data!.Output.endsWith('…[truncated]')).toBe(true);
  });

  test('output with {{ is kept in the record, which Parameter Store would refuse as a parameter reference', async () => {
    parameters.set(RESULT, JSON.stringify({ Marker: markerOf(event()), CommandId: 'cmd-1', SentAt: NOW }));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Success' }]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'rendered {{{ name }}}' });
    await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    expect(parameters.get(RESULT)).not.toContain('{{');
    expect(record()?.Attributes.Output).toBe('rendered {{{ name }}}');
  });

  test('waiting for Online nodes sends nothing once the deadline has passed', async () => {
    const properties = { ...PROPERTIES, WaitForOnline: 'true', Command: { ...PROPERTIES.Command, Targets: [{ Key: 'InstanceIds', Values: ['i-1'] }] } };
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'ConnectionLost' }] });
    await expect(isRunCommandComplete(client, poll({ Deadline: String(NOW - 1) }, { ResourceProperties: properties }), NOW))
      .rejects.toThrow('the RunCommand timeout passed while waiting for the nodes to be Online in Systems Manager');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});

describe('delete', () => {
  const resource = markerOf(event(), false);
  const onDelete = { DocumentName: 'AWS-RunShellScript', Parameters: { commands: ['yum remove -y my-agent'] }, Targets: PROPERTIES.Command.Targets };
  const deleting = (overrides: Partial<IsCompleteRequest> = {}) => poll({ Deadline: String(NOW + 5 * MINUTE) }, {
    RequestType: 'Delete', RequestId: 'request-delete', ResourceProperties: { ...PROPERTIES, OnDelete: onDelete }, ...overrides,
  });

  test('delete cancels every running command of the resource, then sends the delete command, then removes the record', async () => {
    // GIVEN: two commands of the resource still run, one of another resource too
    const commands: Command[] = [
      { CommandId: 'cmd-1', Status: 'InProgress', Comment: `[${resource}:aaaaaaaaaa]`, RequestedDateTime: new Date(NOW - 5 * MINUTE) },
      { CommandId: 'cmd-2', Status: 'Pending', Comment: `install [${resource}:bbbbbbbbbb]`, RequestedDateTime: new Date(NOW - MINUTE) },
      { CommandId: 'cmd-other', Status: 'InProgress', Comment: '[ssm-ops:0123456789:aaaaaaaaaa]', RequestedDateTime: new Date(NOW - MINUTE) },
    ];
    parameters.set(RESULT, JSON.stringify({ Marker: `${resource}:bbbbbbbbbb`, CommandId: 'cmd-2', SentAt: NOW - MINUTE }));
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => commands));
    ssm.on(CancelCommandCommand).callsFake(({ CommandId }) => {
      commands.find((candidate) => candidate.CommandId === CommandId)!.Status = 'Cancelled';
      return {};
    });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cleanup' } });
    // WHEN
    const done = await isRunCommandComplete(client, deleting(), NOW);
    // THEN
    expect(done).toEqual({ IsComplete: true });
    expect(ssm.commandCalls(CancelCommandCommand).map((call) => call.args[0].input.CommandId).sort()).toEqual(['cmd-1', 'cmd-2']);
    const sent = ssm.commandCalls(SendCommandCommand)[0].args[0].input;
    expect(sent.Parameters).toEqual({ commands: ['yum remove -y my-agent'] });
    expect(sent.Comment).toBe(`[${markerOf(deleting())}]`);
    expect(parameters.has(RESULT)).toBe(false);
  });

  test('delete waits for the cancelled commands to stop before it sends the delete command', async () => {
    const commands: Command[] = [{ CommandId: 'cmd-1', Status: 'InProgress', Comment: `[${resource}:aaaaaaaaaa]`, RequestedDateTime: new Date(NOW - MINUTE) }];
    ssm.on(ListCommandsCommand).callsFake(commandsOf(() => commands));
    ssm.on(CancelCommandCommand).callsFake(() => {
      commands[0].Status = 'Cancelling';
      return {};
    });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cleanup' } });
    await expect(isRunCommandComplete(client, deleting(), NOW)).resolves.toEqual({ IsComplete: false });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    commands[0].Status = 'Cancelled';
    await expect(isRunCommandComplete(client, deleting(), NOW + 15_000)).resolves.toEqual({ IsComplete: true });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
  });

  test('delete retries throttling at the next poll and never sends the delete command twice', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cleanup' } });
    ssm.on(DeleteParameterCommand).rejectsOnce(throttled()).callsFake(({ Name }) => {
      parameters.delete(Name);
      return {};
    });
    await expect(isRunCommandComplete(client, deleting(), NOW)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, deleting(), NOW + 15_000)).resolves.toEqual({ IsComplete: true });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(parameters.has(RESULT)).toBe(false);
  });

  test('delete gives up after about five minutes of throttling, with a log line, and completes', async () => {
    ssm.on(ListCommandsCommand).rejects(throttled());
    await expect(isRunCommandComplete(client, deleting(), NOW + 4 * MINUTE)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, deleting(), NOW + 5 * MINUTE + 1)).resolves.toEqual({ IsComplete: true });
    expect(log.mock.calls.flat().join('\n')).toMatch(/gave up .*ThrottlingException/);
  });

  test('delete never fails because of Systems Manager', async () => {
    ssm.on(ListCommandsCommand).rejects(error('AccessDeniedException', 'denied'));
    ssm.on(SendCommandCommand).rejects(error('InvalidDocument', 'no such document'));
    ssm.on(GetParameterCommand).rejects(error('AccessDeniedException', 'denied'));
    ssm.on(DeleteParameterCommand).rejects(error('AccessDeniedException', 'denied'));
    await expect(isRunCommandComplete(client, deleting(), NOW + 3 * MINUTE)).resolves.toEqual({ IsComplete: true });
    expect(log.mock.calls.flat().join('\n')).toMatch(/sending the delete command failed, and the delete goes on: InvalidDocument: no such document/);
  });

  test('the delete of a resource without a delete command or a record completes at once', async () => {
    const done = await isRunCommandComplete(client, deleting({ ResourceProperties: PROPERTIES }), NOW);
    expect(done).toEqual({ IsComplete: true });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});

describe('CloudFormation response size', () => {
  // The Provider framework's FAILED response, built as aws-cdk-lib's custom-resources/lib/provider-framework/runtime
  // builds it: the Lambda runtime reports the error's message and its stack's lines (trace); framework.js adds the
  // log line, and cfn-response.js sends the stack as the reason, beside the request's IDs and Data.
  function failedResponse(request: IsCompleteRequest, failure: Error): string {
    const trace = (failure.stack ?? '').split('\n');
    const message = [failure.message, '', `Logs: /aws/lambda/${'f'.repeat(64)}`, ''].join('\n');
    return JSON.stringify({
      Status: 'FAILED',
      Reason: [message, ...trace.slice(1)].join('\n'),
      StackId: request.StackId,
      RequestId: request.RequestId,
      PhysicalResourceId: request.PhysicalResourceId || 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED',
      LogicalResourceId: request.LogicalResourceId,
      Data: request.Data,
    });
  }
  const longIds = {
    StackId: `arn:aws:cloudformation:ap-southeast-2:111111111111:stack/${'S'.repeat(128)}/0f6c5b40-0b9e-11ef-9fa4-0a6d1e2c3b4d`,
    LogicalResourceId: 'L'.repeat(255),
    RequestId: '3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9',
  };

  test('a failed command with control characters in its errors fits 4,096 bytes as the framework sends it', async () => {
    // GIVEN
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 3, TargetCount: 5 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([
      ...['i-1', 'i-2', 'i-3'].map((id) => ({ InstanceId: id, Status: 'Failed' })),
      ...['i-4', 'i-5'].map((id) => ({ InstanceId: id, Status: 'Failed', StatusDetails: 'Undeliverable' })),
    ]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardErrorContent: '\u0001\u0002\u001b[31m"error"\u0007\n'.repeat(800) });
    const request = poll({ CommandId: 'cmd-1' }, { ...longIds, PhysicalResourceId: `${'L'.repeat(255)}-0123456789` });
    // WHEN
    const failure = await isRunCommandComplete(client, request, NOW).then(() => undefined, (caught: Error) => caught);
    // THEN
    expect(failure?.message).toMatch(/^command cmd-1 ended Failed/);
    expect(Buffer.byteLength(failedResponse(request, failure!))).toBeLessThanOrEqual(4096);
  });

  test('a failed create fits 4,096 bytes as the framework sends it', async () => {
    ssm.on(SendCommandCommand).rejects(error('InvalidParameters', `\u0000${'bad parameter "x"\n'.repeat(600)}`));
    const request = event(longIds);
    const failure = await onRunCommandEvent(client, request, NOW).then(() => undefined, (caught: Error) => caught);
    expect(failure?.message).toMatch(/^InvalidParameters: /);
    expect(Buffer.byteLength(failedResponse(request, failure!))).toBeLessThanOrEqual(4096);
  });

  test('the SUCCESS response fits 4,096 bytes: the envelope, onEvent\'s data and the attributes', async () => {
    // GIVEN
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: '0b9e11ef-9fa4-0a6d-1e2c-3b4d5e6f7a8b' } });
    ssm.on(ListCommandsCommand, { CommandId: '0b9e11ef-9fa4-0a6d-1e2c-3b4d5e6f7a8b' })
      .resolves(command('Success', { CommandId: '0b9e11ef-9fa4-0a6d-1e2c-3b4d5e6f7a8b', StatusDetails: 'Success', TargetCount: 400, CompletedCount: 400, DeliveryTimedOutCount: 60 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([
      { InstanceId: 'mi-0123456789abcdef0', Status: 'Success' },
      ...Array.from({ length: 60 }, (_, i) => ({ InstanceId: `mi-0123456789abcd${String(i).padStart(3, '0')}`, Status: 'Failed', StatusDetails: 'Delivery Timed Out' })),
    ]));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: '\u0001\u001b[32m"ok"\n'.repeat(5000) });
    const request = event(longIds);
    // WHEN
    const created = await onRunCommandEvent(client, request, NOW);
    const done = await isRunCommandComplete(client, { ...request, ...created } as IsCompleteRequest, NOW);
    // THEN: as framework.js merges onEvent's Data with isComplete's, and cfn-response.js sends it
    const response = JSON.stringify({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      StackId: request.StackId,
      RequestId: request.RequestId,
      PhysicalResourceId: created.PhysicalResourceId,
      LogicalResourceId: request.LogicalResourceId,
      Data: { ...created.Data, ...done.Data },
    });
    expect(done.Data?.Output).toMatch(/…\[truncated\]$/);
    expect(done.Data).toMatchObject({ NotRunCount: '60', NodesNotRun: expect.stringMatching(/^mi-0123456789abcd000: Delivery Timed Out; /) });
    expect(Buffer.byteLength(response)).toBeLessThanOrEqual(4096);
  });
});

test('truncate leaves short text alone', () => {
  expect(truncate('short', 100)).toBe('short');
});
