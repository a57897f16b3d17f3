import {
  CancelCommandCommand, Command, CommandStatus, DescribeInstanceInformationCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand,
  ListCommandsCommand, SendCommandCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { IsCompleteRequest, OnEventRequest } from '../../src/private/provider-types';
import { MAX_OUTPUT_BYTES, isRunCommandComplete, markerOf, onRunCommandEvent, truncate } from '../../src/run-command/handler';

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1' });
const NOW = Date.parse('2026-11-22T10:00:00Z');

const PROPERTIES = {
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
  return { ...event(), PhysicalResourceId: 'InstallAgent-abc', Data: { Deadline: String(NOW + 60_000), ...data }, ...overrides };
}

function command(status: string, extra: Partial<Command> = {}): { Commands: Command[] } {
  return { Commands: [{ CommandId: 'cmd-1', Status: status as CommandStatus, StatusDetails: status, TargetCount: 3, CompletedCount: 3, ErrorCount: 0, ...extra }] };
}

/** ListCommandInvocations over these nodes, as Systems Manager answers it: filtered by status, at most MaxResults. */
function invocationsOf(nodes: { InstanceId: string; Status: string; StatusDetails?: string; CommandPlugins?: { Name: string; Status: string }[] }[]) {
  return (input: { Filters?: { key: string; value: string }[]; MaxResults?: number }) => {
    const status = input.Filters?.find(({ key }) => key === 'Status')?.value;
    return { CommandInvocations: nodes.filter((node) => status === undefined || node.Status === status).slice(0, input.MaxResults ?? 50) };
  };
}

beforeEach(() => {
  ssm.reset();
  ssm.on(ListCommandsCommand).resolves({ Commands: [] });
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
  });

  test('a retried create finds the command it sent and never sends a second one', async () => {
    // GIVEN: the first attempt sent the command, then failed before answering
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
  });

  test('update with unchanged triggers sends nothing, and isComplete reports the last command of the resource', async () => {
    // GIVEN
    const update = event({ RequestType: 'Update', PhysicalResourceId: 'InstallAgent-abc', OldResourceProperties: { ...PROPERTIES, WaitSeconds: '60' } });
    // WHEN
    const response = await onRunCommandEvent(client, update, NOW);
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ ...command('Success').Commands[0], Comment: `[${markerOf(event({ RequestId: 'old' }))}]` }] });
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'Success' }] });
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'installed' });
    const done = await isRunCommandComplete(client, { ...update, ...response } as IsCompleteRequest, NOW);
    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'InstallAgent-abc', Data: { Rerun: 'false' } });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(done).toMatchObject({ IsComplete: true, Data: { CommandId: 'cmd-1', Status: 'Success', Output: 'installed' } });
  });

  test('update with changed triggers sends the command again and keeps the physical ID', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-2' } });
    const update = event({
      RequestType: 'Update',
      RequestId: 'request-2',
      PhysicalResourceId: 'InstallAgent-abc',
      OldResourceProperties: { ...PROPERTIES, Triggers: { version: '1.4.1' } },
    });
    const response = await onRunCommandEvent(client, update, NOW);
    expect(response.PhysicalResourceId).toBe('InstallAgent-abc');
    expect(response.Data?.CommandId).toBe('cmd-2');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
  });

  test('delete cancels a command still running and sends the delete command', async () => {
    // GIVEN
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ CommandId: 'cmd-1', Status: 'InProgress', Comment: `[${markerOf(event())}]` }] });
    ssm.on(CancelCommandCommand).resolves({});
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cleanup' } });
    const properties = { ...PROPERTIES, OnDelete: { DocumentName: 'AWS-RunShellScript', Parameters: { commands: ['yum remove -y my-agent'] }, Targets: PROPERTIES.Command.Targets } };
    // WHEN
    const response = await onRunCommandEvent(client, event({ RequestType: 'Delete', PhysicalResourceId: 'InstallAgent-abc', ResourceProperties: properties }), NOW);
    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'InstallAgent-abc' });
    expect(ssm.commandCalls(CancelCommandCommand)[0].args[0].input).toEqual({ CommandId: 'cmd-1' });
    expect(ssm.commandCalls(SendCommandCommand)[0].args[0].input.Parameters).toEqual({ commands: ['yum remove -y my-agent'] });
  });

  test('delete never fails because of Systems Manager', async () => {
    ssm.on(ListCommandsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(onRunCommandEvent(client, event({ RequestType: 'Delete', PhysicalResourceId: 'InstallAgent-abc' }), NOW)).resolves.toEqual({ PhysicalResourceId: 'InstallAgent-abc' });
  });
});

describe('isComplete', () => {
  test.each(['Pending', 'InProgress', 'Delayed', 'Cancelling'])('a %s command is not complete, after one ListCommands call', async (status) => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command(status));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    expect(ssm.calls()).toHaveLength(1);
  });

  test('a successful command completes with its attributes and the output of one node', async () => {
    // GIVEN
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'Success' }, { InstanceId: 'i-2', Status: 'Success' }] });
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'installed 1.4.2\n' });
    // WHEN
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN
    expect(response).toEqual({
      IsComplete: true,
      Data: { CommandId: 'cmd-1', Status: 'Success', StatusDetails: 'Success', TargetCount: '3', CompletedCount: '3', ErrorCount: '0', Output: 'installed 1.4.2\n' },
    });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(1);
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

  test('the failed nodes shown cost the same calls whether the command ran on 5 nodes or 1,000', async () => {
    // GIVEN: 1,000 nodes, of which the last 10 failed
    const nodes = Array.from({ length: 1000 }, (_, i) => ({ InstanceId: `i-${i}`, Status: i < 990 ? 'Success' : 'Failed' }));
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 10, TargetCount: 1000, CompletedCount: 1000 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf(nodes));
    ssm.on(GetCommandInvocationCommand).resolves({ StandardErrorContent: 'disk full' });
    // WHEN
    const result = isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    // THEN: one filtered page of three nodes, and their errors
    await expect(result).rejects.toThrow('10 of 1000 nodes failed; i-990: Failed: disk full; i-991: Failed: disk full; i-992: Failed: disk full; and 7 more');
    expect(ssm.commandCalls(ListCommandInvocationsCommand).map((call) => call.args[0].input)).toEqual([
      { CommandId: 'cmd-1', Filters: [{ key: 'Status', value: 'Failed' }], MaxResults: 3, Details: true },
    ]);
    expect(ssm.calls()).toHaveLength(5);
  });

  test('failed nodes are looked for in each failed status until three are found', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('TimedOut', { ErrorCount: 3, TargetCount: 4 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([
      { InstanceId: 'i-1', Status: 'TimedOut', StatusDetails: 'Delivery Timed Out' },
      { InstanceId: 'i-2', Status: 'Failed' },
      { InstanceId: 'i-3', Status: 'Success' },
      { InstanceId: 'i-4', Status: 'TimedOut', StatusDetails: 'Execution Timed Out' },
    ]));
    ssm.on(GetCommandInvocationCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow(
      '3 of 4 nodes failed; i-2: Failed; i-1: Delivery Timed Out; i-4: Execution Timed Out');
    expect(ssm.commandCalls(ListCommandInvocationsCommand).map((call) => [call.args[0].input.Filters, call.args[0].input.MaxResults])).toEqual([
      [[{ key: 'Status', value: 'Failed' }], 3],
      [[{ key: 'Status', value: 'TimedOut' }], 2],
    ]);
  });

  test('a command that counts fewer failed nodes than are shown looks no further once it has found them', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Failed', { ErrorCount: 1, TargetCount: 50 }));
    ssm.on(ListCommandInvocationsCommand).callsFake(invocationsOf([{ InstanceId: 'i-1', Status: 'Failed' }]));
    ssm.on(GetCommandInvocationCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow('1 of 50 nodes failed; i-1: Failed');
    expect(ssm.commandCalls(ListCommandInvocationsCommand).map((call) => call.args[0].input.MaxResults)).toEqual([1]);
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
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [] });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow(
      'command cmd-1 matched no nodes (No Instances In Tag): check the targets, or set failOnNoTargets to false');
    const allowed = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }, { ResourceProperties: { ...PROPERTIES, FailOnNoTargets: 'false' } }), NOW);
    expect(allowed).toMatchObject({ IsComplete: true, Data: { TargetCount: '0', Output: '' } });
  });

  test('throttling and transient errors are retried at the next poll', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' })
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('oops'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }))
      .resolves(command('InProgress'));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).resolves.toEqual({ IsComplete: false });
  });

  test('other errors fail the deployment', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).rejects(Object.assign(new Error('no access'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW)).rejects.toThrow('no access');
  });

  test('a command still running at the deadline is cancelled and fails the deployment', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('InProgress'));
    ssm.on(CancelCommandCommand).resolves({});
    await expect(isRunCommandComplete(client, poll({ CommandId: 'cmd-1', Deadline: String(NOW - 1) }), NOW)).rejects.toThrow(
      'command cmd-1 was still InProgress when the RunCommand timeout passed; it was cancelled');
    expect(ssm.commandCalls(CancelCommandCommand)[0].args[0].input).toEqual({ CommandId: 'cmd-1' });
  });

  test('waiting for Online nodes sends the command once they are, and then follows it by its marker', async () => {
    // GIVEN
    const properties = { ...PROPERTIES, WaitForOnline: 'true', Command: { ...PROPERTIES.Command, Targets: [{ Key: 'InstanceIds', Values: ['i-1', 'i-2'] }] } };
    const marker = markerOf(event());
    ssm.on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] })
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }, { InstanceId: 'i-2', PingStatus: 'Online' }] });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    // WHEN
    const created = await onRunCommandEvent(client, event({ ResourceProperties: properties }), NOW);
    const first = await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: properties }), NOW);
    const second = await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: properties }), NOW);
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ ...command('InProgress').Commands[0], Comment: `install the agent [${marker}]` }] });
    const third = await isRunCommandComplete(client, poll(created.Data!, { ResourceProperties: properties }), NOW);
    // THEN
    expect(created.Data?.CommandId).toBeUndefined();
    expect([first, second, third]).toEqual([{ IsComplete: false }, { IsComplete: false }, { IsComplete: false }]);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(2);
  });

  test('the output is cut so that the whole response fits 4,096 bytes, and the cut is marked', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'Success' }] });
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: 'é'.repeat(24_000) });
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    const output: string = response.Data!.Output;
    expect(output.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(output)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    const envelope = { Status: 'SUCCESS', Reason: 'x'.repeat(200), PhysicalResourceId: 'x'.repeat(200), StackId: 'x'.repeat(200), RequestId: 'x'.repeat(36), LogicalResourceId: 'x'.repeat(255), Data: response.Data };
    expect(Buffer.byteLength(JSON.stringify(envelope))).toBeLessThanOrEqual(4096);
  });

  test('output full of characters JSON escapes still fits the response', async () => {
    ssm.on(ListCommandsCommand, { CommandId: 'cmd-1' }).resolves(command('Success'));
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'Success' }] });
    ssm.on(GetCommandInvocationCommand).resolves({ StandardOutputContent: '\u001b[32mok\u001b[0m\n"quoted"\t'.repeat(2000) });
    const response = await isRunCommandComplete(client, poll({ CommandId: 'cmd-1' }), NOW);
    expect(Buffer.byteLength(JSON.stringify(response.Data!.Output))).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(response.Data!.Output.endsWith('…[truncated]')).toBe(true);
  });

  test('waiting for Online nodes sends nothing once the deadline has passed', async () => {
    const properties = { ...PROPERTIES, WaitForOnline: 'true', Command: { ...PROPERTIES.Command, Targets: [{ Key: 'InstanceIds', Values: ['i-1'] }] } };
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] });
    await expect(isRunCommandComplete(client, poll({ Marker: 'ssm-ops:a:b', SentAfter: '0', Deadline: String(NOW - 1) }, { ResourceProperties: properties }), NOW))
      .rejects.toThrow('the RunCommand timeout passed while waiting for the nodes to be Online in Systems Manager');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  test('delete completes at once', async () => {
    await expect(isRunCommandComplete(client, poll({}, { RequestType: 'Delete' }), NOW)).resolves.toEqual({ IsComplete: true });
    expect(ssm.calls()).toHaveLength(0);
  });
});

test('truncate leaves short text alone', () => {
  expect(truncate('short', 100)).toBe('short');
});
