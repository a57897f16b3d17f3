import type { Command } from '@aws-sdk/client-ssm';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnResponse, QUERY_INTERVAL_MS, Request, SimulatedCloudFormation } from './cloudformation';
import { Course, SimulatedSsm } from './simulated-ssm';
import { AwsManagedDocument, RunCommand, RunCommandProps, Target } from '../../src';
import { markerOf } from '../../src/run-command/handler';

// RunCommand driven the way CloudFormation drives it, through the real entry points, against the simulated Systems
// Manager: the resource's properties are those the construct synthesizes (its role's ARN, which CloudFormation
// resolves at deploy time, filled in).

const RESOURCE = 'Install';
const TYPE = 'Custom::SsmRunCommand';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/LifecycleStack-InstallHandlerRole-ABCDEFGHIJKL';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Commands that end a minute and ten seconds after they are sent, or that run long.
const QUICK: Course = { targets: 3, failed: 0, pendingMs: 10_000, inProgressMs: MINUTE, stdout: 'installed 1.4.2\n' };
const LONG: Course = { ...QUICK, inProgressMs: 30 * MINUTE };
// The attributes of a RunCommand (the response's Data also holds what onEvent passed to isComplete).
const ATTRIBUTES = ['CommandId', 'Status', 'StatusDetails', 'TargetCount', 'CompletedCount', 'ErrorCount', 'NotRunCount', 'NodesNotRun', 'Output'];

/** The properties of a synthesized RunCommand resource, as CloudFormation passes them to the handlers. */
function synthesize(props: Partial<RunCommandProps> = {}): Record<string, any> {
  const stack = new Stack(new App(), 'LifecycleStack', { env: { account: '111111111111', region: 'us-east-1' } });
  new RunCommand(stack, RESOURCE, {
    document: AwsManagedDocument.RUN_SHELL_SCRIPT,
    parameters: { commands: ['yum install -y my-agent'] },
    targets: [Target.tag('Role', 'web')],
    triggers: { version: '1' },
    timeout: Duration.minutes(10),
    onDelete: { document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['yum remove -y my-agent'] } },
    ...props,
  });
  const { ServiceToken, ...properties } = Object.values(Template.fromStack(stack).findResources(TYPE))[0].Properties;
  return { ...properties, RoleArn: ROLE_ARN };
}

const attributesOf = (response: CfnResponse) => Object.fromEntries(ATTRIBUTES.map((key) => [key, response.Data?.[key]]));

let ssm: SimulatedSsm;
let cfn: SimulatedCloudFormation;

/** The marker of this resource's commands, from the stack that the simulated CloudFormation deploys. */
function resourceMarker(): string {
  return markerOf({ StackId: cfn.history[0]?.event.StackId ?? inFlight[0].event.StackId, LogicalResourceId: RESOURCE }, false);
}
let inFlight: Request[] = [];

/** The commands of the resource, as Systems Manager reports them now. */
function commandsOfResource(): Command[] {
  const marker = resourceMarker();
  return ssm.sentCommands.filter((command) => command.Comment?.includes(`[${marker}:`));
}

function runningOfResource(): Command[] {
  return commandsOfResource().filter((command) => ['Pending', 'InProgress', 'Delayed', 'Cancelling'].includes(command.Status ?? ''));
}

const sends = () => ssm.callsOf('SendCommand');
const resultParameter = () => synthesize().ResultParameter as string;
const record = () => {
  const value = ssm.parameters.get(resultParameter());
  return value === undefined ? undefined : JSON.parse(value);
};

/** Starts a request and keeps it, so that markers can be read before any request has ended. */
async function start(...args: Parameters<SimulatedCloudFormation['start']>): Promise<Request> {
  const request = await cfn.start(...args);
  inFlight.push(request);
  return request;
}

/** Polls the requests a query interval apart until all have ended, checking after each round that two commands of the resource never run at once. */
async function completeAllOneAtATime(requests: Request[]): Promise<CfnResponse[]> {
  expect(runningOfResource().length).toBeLessThanOrEqual(1);
  while (requests.some((request) => !request.done)) {
    ssm.advance(QUERY_INTERVAL_MS);
    for (const request of requests) {
      await request.poll();
      expect(runningOfResource().length).toBeLessThanOrEqual(1);
    }
  }
  return requests.map((request) => request.response!);
}

beforeEach(() => {
  ssm = new SimulatedSsm({ ...QUICK });
  cfn = new SimulatedCloudFormation(ssm);
  inFlight = [];
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('create', () => {
  test('create sends the command once, waits for it, returns its attributes and records them', async () => {
    // WHEN
    const response = await cfn.create(RESOURCE, TYPE, synthesize());
    // THEN
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      Data: { Status: 'Success', TargetCount: '3', CompletedCount: '3', ErrorCount: '0', NotRunCount: '0', NodesNotRun: '', Output: 'installed 1.4.2\n' },
    });
    expect(response.bytes).toBeLessThanOrEqual(4096);
    expect(sends()).toHaveLength(1);
    expect(record()).toMatchObject({ CommandId: response.Data!.CommandId, Attributes: attributesOf(response) });
    // Only the resource's own role, in each phase
    expect(new Set(ssm.callsOf('AssumeRole').map((call) => call.input.RoleArn))).toEqual(new Set([ROLE_ARN]));
  });

  test('onEvent retried by Lambda sends the command once', async () => {
    const request = await start('Create', RESOURCE, { resourceType: TYPE, properties: synthesize(), onEventTimes: 2 });
    const response = await request.complete();
    expect(response.Status).toBe('SUCCESS');
    expect(sends()).toHaveLength(1);
  });

  test('a command invisible for its first reads is followed, not failed nor sent again', async () => {
    ssm.course = { ...QUICK, invisibleReads: 8 };
    const response = await cfn.create(RESOURCE, TYPE, synthesize());
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'Success' } });
    expect(sends()).toHaveLength(1);
  });

  test('waiting for Online nodes sends once, even when the command is invisible for its first reads', async () => {
    // GIVEN: instances that come Online half a minute after the request, and a command not listed for its first reads
    ssm.onlineAt.set('i-0aaaaaaaaaaaaaaa1', ssm.now + 30_000);
    ssm.onlineAt.set('i-0aaaaaaaaaaaaaaa2', ssm.now + 45_000);
    ssm.course = { ...QUICK, invisibleReads: 6 };
    const properties = synthesize({ targets: [Target.instanceIds('i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2')], waitForOnline: true });
    // WHEN
    const response = await cfn.create(RESOURCE, TYPE, properties);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'Success', TargetCount: '2' } });
    expect(sends()).toHaveLength(1);
    expect(sends()[0].at).toBeGreaterThanOrEqual(ssm.onlineAt.get('i-0aaaaaaaaaaaaaaa2')!);
  });

  test('a role IAM has not propagated yet: the send waits in isComplete, and goes out once', async () => {
    ssm.roleUsableAt.set(ROLE_ARN, ssm.now + 50_000);
    const response = await cfn.create(RESOURCE, TYPE, synthesize());
    expect(response.Status).toBe('SUCCESS');
    expect(sends()).toHaveLength(1);
    expect(sends()[0].at).toBeGreaterThanOrEqual(ssm.roleUsableAt.get(ROLE_ARN)!);
  });

  test('at the deadline, while Systems Manager throttles, the command is cancelled and the reason says so', async () => {
    // GIVEN: a command that runs longer than the timeout, and ListCommands throttled from just after the send
    ssm.course = LONG;
    const request = await start('Create', RESOURCE, { resourceType: TYPE, properties: synthesize({ timeout: Duration.minutes(2) }) });
    ssm.fail({ operation: 'ListCommands', error: 'ThrottlingException', untilMs: ssm.now + 60 * MINUTE });
    // WHEN
    const response = await request.complete();
    // THEN
    const commandId = commandsOfResource()[0].CommandId;
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`^the RunCommand timeout passed while Systems Manager did not answer \\(ThrottlingException: [^)]*\\); command ${commandId} was cancelled\\n`));
    expect(ssm.callsOf('CancelCommand').map((call) => call.input.CommandId)).toEqual([commandId]);
    ssm.advance(QUERY_INTERVAL_MS);
    expect(commandsOfResource()[0].Status).toBe('Cancelled');
  });

  test('at the deadline, when cancelling fails too, the reason says so and how to cancel it', async () => {
    ssm.course = LONG;
    const request = await start('Create', RESOURCE, { resourceType: TYPE, properties: synthesize({ timeout: Duration.minutes(2) }) });
    ssm.fail({ operation: 'ListCommands', error: 'ThrottlingException', untilMs: ssm.now + 60 * MINUTE });
    ssm.fail({ operation: 'CancelCommand', error: 'ThrottlingException', untilMs: ssm.now + 60 * MINUTE });
    const response = await request.complete();
    const commandId = commandsOfResource()[0].CommandId;
    expect(response.Reason).toContain(`cancelling command ${commandId} failed (ThrottlingException: `);
    expect(response.Reason).toContain(`cancel it with aws ssm cancel-command --command-id ${commandId}`);
    expect(response.Reason).not.toContain('was cancelled');
  });

  test('a failure\'s reason fits CloudFormation\'s 4,096 bytes, with errors full of control characters', async () => {
    ssm.course = { ...QUICK, targets: 20, failed: 5, notRun: { Undeliverable: 4 }, stderr: '\u0001\u001b[31m"fatal"\u0007\n'.repeat(1000) };
    const response = await cfn.create(RESOURCE, TYPE, synthesize());
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^command \S+ ended Failed \(Failed\): 5 of 20 nodes failed; /);
    expect(response.bytes).toBeLessThanOrEqual(4096);
  });
});

describe('rollback of a failed create', () => {
  test('the failed command has ended; the delete sends the delete command and removes the record', async () => {
    // GIVEN: a create whose command fails on a node
    ssm.course = { ...QUICK, failed: 1 };
    const created = await cfn.create(RESOURCE, TYPE, synthesize());
    expect(created.Status).toBe('FAILED');
    expect(created.Reason).toMatch(/1 of 3 nodes failed; i-\d+: Failed: exit status 1/);
    // WHEN: CloudFormation rolls back the create
    const deleted = await cfn.delete(RESOURCE);
    // THEN
    expect(deleted.Status).toBe('SUCCESS');
    expect(sends().map((call) => call.input.Parameters)).toEqual([{ commands: ['yum install -y my-agent'] }, { commands: ['yum remove -y my-agent'] }]);
    expect(ssm.parameters.has(resultParameter())).toBe(false);
  });

  test('a create that timed out had its command cancelled; the delete command runs once it has stopped', async () => {
    ssm.course = LONG;
    const created = await cfn.create(RESOURCE, TYPE, synthesize({ timeout: Duration.minutes(2) }));
    expect(created.Reason).toMatch(/^command \S+ was still InProgress when the RunCommand timeout passed; it was cancelled/);
    const deleted = await cfn.delete(RESOURCE);
    expect(deleted.Status).toBe('SUCCESS');
    // Only the delete command runs now, sent by the delete request
    const deleteRequest = cfn.history[1].event as { StackId: string; LogicalResourceId: string; RequestId: string };
    expect(runningOfResource().map((command) => command.Comment)).toEqual([expect.stringContaining(markerOf(deleteRequest))]);
    expect(sends()).toHaveLength(2);
  });
});

describe('update', () => {
  test('with the triggers changed, the command runs again; unchanged or in another key order, it does not, and the attributes stay', async () => {
    // GIVEN
    const created = await cfn.create(RESOURCE, TYPE, synthesize({ triggers: { version: '1', config: 'a' } }));
    // WHEN
    const changed = await cfn.update(RESOURCE, synthesize({ triggers: { version: '2', config: 'a' } }));
    const unchanged = await cfn.update(RESOURCE, synthesize({ triggers: { version: '2', config: 'a' }, timeout: Duration.minutes(20) }));
    const reordered = await cfn.update(RESOURCE, synthesize({ triggers: { config: 'a', version: '2' }, timeout: Duration.minutes(20) }));
    // THEN
    expect([created, changed, unchanged, reordered].map((response) => response.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(sends()).toHaveLength(2);
    expect(changed.Data!.CommandId).not.toBe(created.Data!.CommandId);
    expect(attributesOf(unchanged)).toEqual(attributesOf(changed));
    expect(attributesOf(reordered)).toEqual(attributesOf(changed));
  });

  test('rolled back while its command runs: that command is cancelled before the old one is sent again, never two at once', async () => {
    // GIVEN: the resource at triggers v1; an update to v2 whose command runs long
    const v1 = synthesize({ triggers: { version: '1' } });
    const v2 = synthesize({ triggers: { version: '2' } });
    await cfn.create(RESOURCE, TYPE, v1);
    ssm.course = LONG;
    const updating = await start('Update', RESOURCE, { properties: v2 });
    ssm.advance(QUERY_INTERVAL_MS);
    await updating.poll();
    const running = runningOfResource();
    expect(running).toHaveLength(1);
    // WHEN: the deployment fails elsewhere; CloudFormation cancels the update (its waiter polls on) and rolls back
    // from v2 to v1
    ssm.course = QUICK;
    cfn.resources.get(RESOURCE)!.properties = v2;
    const rollback = await start('Update', RESOURCE, { properties: v1 });
    const [updated, rolledBack] = await completeAllOneAtATime([updating, rollback]);
    // THEN
    expect(ssm.callsOf('CancelCommand').map((call) => call.input.CommandId)).toContain(running[0].CommandId);
    const [, , again] = sends();
    expect(again.at).toBeGreaterThan(ssm.callsOf('CancelCommand')[0].at);
    expect(sends()).toHaveLength(3);
    expect(rolledBack).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'Success' } });
    expect(rolledBack.Data!.CommandId).toBe(commandsOfResource()[2].CommandId);
    // The cancelled update's waiter fails (CloudFormation no longer listens) and leaves the rollback's record alone
    expect(updated.Status).toBe('FAILED');
    expect(record()).toMatchObject({ CommandId: rolledBack.Data!.CommandId, Attributes: attributesOf(rolledBack) });
  });

  test('an update that sends nothing keeps the attributes after the command left the 30-day history, in an account with more than 1,000 newer commands', async () => {
    // GIVEN
    const created = await cfn.create(RESOURCE, TYPE, synthesize());
    ssm.advance(31 * DAY);
    ssm.addOtherCommands(1200);
    const listCallsBefore = ssm.callsOf('ListCommands').length;
    // WHEN
    const updated = await cfn.update(RESOURCE, synthesize({ timeout: Duration.minutes(20) }));
    // THEN
    expect(updated.Status).toBe('SUCCESS');
    expect(attributesOf(updated)).toEqual(attributesOf(created));
    expect(ssm.callsOf('ListCommands').length).toBe(listCallsBefore);
    expect(sends()).toHaveLength(1);
  });

  test('without the record (a resource of an earlier version), such an update could only report NotRerun', async () => {
    await cfn.create(RESOURCE, TYPE, synthesize());
    ssm.parameters.delete(resultParameter());
    ssm.advance(31 * DAY);
    const updated = await cfn.update(RESOURCE, synthesize({ timeout: Duration.minutes(20) }));
    expect(updated).toMatchObject({ Status: 'SUCCESS', Data: { CommandId: '', Status: 'NotRerun' } });
  });
});

describe('delete', () => {
  test('with one running command: it is cancelled, the delete command runs once it has stopped, and the record is removed', async () => {
    // GIVEN: an update whose command still runs (its deployment was cancelled), then the stack is deleted
    await cfn.create(RESOURCE, TYPE, synthesize());
    ssm.course = LONG;
    await start('Update', RESOURCE, { properties: synthesize({ triggers: { version: '2' } }) });
    const running = runningOfResource();
    expect(running).toHaveLength(1);
    ssm.course = QUICK;
    // WHEN
    const deleting = await start('Delete', RESOURCE);
    const [deleted] = await completeAllOneAtATime([deleting]);
    // THEN
    expect(deleted.Status).toBe('SUCCESS');
    expect(ssm.callsOf('CancelCommand').map((call) => call.input.CommandId)).toEqual([running[0].CommandId]);
    const onDelete = sends()[2];
    expect(onDelete.input.Parameters).toEqual({ commands: ['yum remove -y my-agent'] });
    expect(onDelete.at).toBeGreaterThan(ssm.callsOf('CancelCommand')[0].at);
    expect(ssm.parameters.has(resultParameter())).toBe(false);
  });

  test('with two running commands: both are cancelled before the delete command runs', async () => {
    // GIVEN: an update's command still running, and another command of the resource that an earlier version of the
    // library left running (it sent the rolled-back update's command beside the update's own)
    await cfn.create(RESOURCE, TYPE, synthesize());
    ssm.course = LONG;
    await start('Update', RESOURCE, { properties: synthesize({ triggers: { version: '2' } }) });
    ssm.handle('SendCommand', { DocumentName: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Role', Values: ['web'] }], Comment: `[${resourceMarker()}:0123456789]` });
    expect(runningOfResource()).toHaveLength(2);
    ssm.course = QUICK;
    // WHEN
    const deleted = await cfn.delete(RESOURCE);
    // THEN
    expect(deleted.Status).toBe('SUCCESS');
    expect(ssm.callsOf('CancelCommand')).toHaveLength(2);
    const onDelete = sends()[sends().length - 1];
    expect(onDelete.input.Parameters).toEqual({ commands: ['yum remove -y my-agent'] });
    expect(onDelete.at).toBeGreaterThan(Math.max(...ssm.callsOf('CancelCommand').map((call) => call.at)));
    expect(runningOfResource()).toHaveLength(1);
  });

  test('under throttling for longer than five minutes, the delete gives up and succeeds, saying so in its log', async () => {
    // GIVEN
    await cfn.create(RESOURCE, TYPE, synthesize());
    ssm.fail({ operation: '*', error: 'ThrottlingException', untilMs: ssm.now + 60 * MINUTE });
    const startedAt = ssm.now;
    // WHEN
    const deleted = await cfn.delete(RESOURCE);
    // THEN
    expect(deleted.Status).toBe('SUCCESS');
    expect(deleted.at - startedAt).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(deleted.at - startedAt).toBeLessThanOrEqual(5 * MINUTE + 2 * QUERY_INTERVAL_MS);
    expect(jest.mocked(console.log).mock.calls.flat().join('\n')).toMatch(/gave up retrying .* without sending the delete command: ThrottlingException/);
  });
});
