import {
  DeleteParameterCommand, DescribeAssociationCommand, DescribeAssociationExecutionsCommand, DescribeAssociationExecutionTargetsCommand,
  DescribeInstanceInformationCommand, GetCommandInvocationCommand, GetParameterCommand, ListCommandInvocationsCommand, PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { CREATED_LOOKBACK_MS, NO_EXECUTION_MS, isAssociationRunComplete, onAssociationRunEvent } from '../../src/association/run-wait-handler';
import { RUN_NODES_SHOWN, countsOf } from '../../src/association/run-wait-report';
import { MAX_RESPONSE_BYTES } from '../../src/private/handler-errors';
import { IsCompleteRequest } from '../../src/private/provider-types';

// The association run wait's handler against a fake Systems Manager built from the API model's shapes
// (AssociationExecution, AssociationExecutionTarget with OutputSource, GetCommandInvocation), which counts the calls.

const ASSOCIATION_ID = '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b';
const EXECUTION_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const RESULT = '/cdk-ssm-ops/association-run/Stack/PatchRun1234';
const NOW = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/Stack-PatchRunResourceHandlerRole-ABCDEFGHIJKL';

interface FakeExecution {
  version: string;
  createdAt: number;
  status: string;
  targets: number;
  failed: number;
  /** Reads of DescribeAssociationExecutions that do not list it yet. */
  invisibleReads?: number;
  alarm?: string;
  id?: string;
  steps?: string[];
  stderr?: string;
}

const ssmMock = mockClient(SSMClient);
let executions: FakeExecution[];
let parameters: Map<string, string>;
let calls: string[];
let faults: { operation: string; error: string; times: number }[];
let online: Set<string>;

function awsError(name: string, status = 400): Error {
  return Object.assign(new Error(`simulated ${name}`), { name, $metadata: { httpStatusCode: status } });
}

function nodeId(index: number): string {
  return `i-${String(index).padStart(17, '0')}`;
}

/** The status of node `index`: the failed ones are listed last, the worst case for a reader that scans. */
function nodeStatus(execution: FakeExecution, index: number): string {
  return index >= execution.targets - execution.failed ? 'Failed' : 'Success';
}

function countsString(execution: FakeExecution): string {
  const parts = [];
  if (execution.failed > 0) {
    parts.push(`Failed=${execution.failed}`);
  }
  if (execution.targets - execution.failed > 0) {
    parts.push(`Success=${execution.targets - execution.failed}`);
  }
  return `{${parts.join(', ')}}`;
}

function fake(operation: string, handle: (input: any) => any) {
  return async (input: any) => {
    const fault = faults.find((candidate) => candidate.operation === operation && candidate.times > 0);
    if (fault) {
      fault.times--;
      calls.push(`${operation}!`);
      throw awsError(fault.error, fault.error === 'InternalServerError' ? 500 : 400);
    }
    calls.push(operation);
    return handle(input);
  };
}

beforeEach(() => {
  ssmMock.reset();
  executions = [];
  parameters = new Map();
  calls = [];
  faults = [];
  online = new Set();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  ssmMock.on(DescribeAssociationCommand).callsFake(fake('DescribeAssociation', () => ({
    AssociationDescription: { AssociationId: ASSOCIATION_ID, AssociationVersion: '2' },
  })));
  ssmMock.on(DescribeAssociationExecutionsCommand).callsFake(fake('DescribeAssociationExecutions', (input) => {
    expect(input.MaxResults).toBeLessThanOrEqual(50);
    const after = input.Filters?.find((filter: any) => filter.Key === 'CreatedTime' && filter.Type === 'GREATER_THAN')?.Value;
    const listed = executions.filter((execution) => {
      const visible = (execution.invisibleReads ?? 0) <= 0;
      execution.invisibleReads = (execution.invisibleReads ?? 0) - 1;
      return visible && (after === undefined || execution.createdAt > Date.parse(after));
    }).sort((a, b) => b.createdAt - a.createdAt);
    return {
      AssociationExecutions: listed.map((execution) => ({
        AssociationId: ASSOCIATION_ID,
        AssociationVersion: execution.version,
        ExecutionId: execution.id ?? EXECUTION_ID,
        Status: execution.status,
        DetailedStatus: execution.status,
        CreatedTime: new Date(execution.createdAt),
        LastExecutionDate: new Date(execution.createdAt),
        ResourceCountByStatus: ['Pending', 'InProgress'].includes(execution.status) ? `{${execution.status}=${execution.targets}}` : countsString(execution),
        TriggeredAlarms: execution.alarm ? [{ Name: execution.alarm, State: 'ALARM' }] : undefined,
      })),
    };
  }));
  ssmMock.on(DescribeAssociationExecutionTargetsCommand).callsFake(fake('DescribeAssociationExecutionTargets', (input) => {
    expect(input.MaxResults).toBeLessThanOrEqual(50);
    const execution = executions.find((candidate) => (candidate.id ?? EXECUTION_ID) === input.ExecutionId)!;
    const status = input.Filters?.find((filter: any) => filter.Key === 'Status')?.Value;
    const all = Array.from({ length: execution.targets }, (_, index) => index)
      .filter((index) => status === undefined || nodeStatus(execution, index) === status);
    const start = Number(input.NextToken ?? 0);
    const end = start + Math.min(input.MaxResults ?? 50, 50);
    return {
      AssociationExecutionTargets: all.slice(start, end).map((index) => ({
        AssociationId: ASSOCIATION_ID,
        AssociationVersion: execution.version,
        ExecutionId: input.ExecutionId,
        ResourceId: nodeId(index),
        ResourceType: 'ManagedInstance',
        Status: nodeStatus(execution, index),
        DetailedStatus: nodeStatus(execution, index),
        LastExecutionDate: new Date(execution.createdAt),
        OutputSource: { OutputSourceId: `cmd-${index}`, OutputSourceType: 'RunCommand' },
      })),
      NextToken: end < all.length ? String(end) : undefined,
    };
  }));
  ssmMock.on(ListCommandInvocationsCommand).callsFake(fake('ListCommandInvocations', (input) => {
    const steps = executions[0].steps ?? ['runShellScript'];
    return {
      CommandInvocations: [{
        CommandId: input.CommandId,
        InstanceId: input.InstanceId,
        Status: 'Failed',
        CommandPlugins: steps.map((name, index) => ({ Name: name, Status: index === steps.length - 1 ? 'Failed' : 'Success' })),
      }],
    };
  }));
  ssmMock.on(GetCommandInvocationCommand).callsFake(fake('GetCommandInvocation', (input) => {
    const steps = executions[0].steps ?? ['runShellScript'];
    if (steps.length > 1 && !steps.includes(input.PluginName)) {
      throw awsError('InvalidPluginName');
    }
    return { CommandId: input.CommandId, InstanceId: input.InstanceId, Status: 'Failed', StandardErrorContent: executions[0].stderr ?? 'E: Unable to locate package nginx-extras\n' };
  }));
  ssmMock.on(DescribeInstanceInformationCommand).callsFake(fake('DescribeInstanceInformation', (input) => ({
    InstanceInformationList: input.Filters[0].Values.filter((id: string) => online.has(id)).map((id: string) => ({ InstanceId: id, PingStatus: 'Online' })),
  })));
  ssmMock.on(GetParameterCommand).callsFake(fake('GetParameter', (input) => {
    if (!parameters.has(input.Name)) {
      throw awsError('ParameterNotFound');
    }
    return { Parameter: { Name: input.Name, Value: parameters.get(input.Name) } };
  }));
  ssmMock.on(PutParameterCommand).callsFake(fake('PutParameter', (input) => {
    parameters.set(input.Name, input.Value);
    return { Version: 1 };
  }));
  ssmMock.on(DeleteParameterCommand).callsFake(fake('DeleteParameter', (input) => {
    if (!parameters.delete(input.Name)) {
      throw awsError('ParameterNotFound');
    }
    return {};
  }));
});

afterEach(() => jest.restoreAllMocks());

const WATCHED = { Association: { Name: 'AWS-RunShellScript', AssociationName: 'Nightly-Patch', Targets: [{ Key: 'tag:Role', Values: ['web'] }] } };

function props(extra: Record<string, any> = {}): Record<string, any> {
  return { RoleArn: ROLE_ARN, AssociationId: ASSOCIATION_ID, WatchedProperties: WATCHED, WaitSeconds: '1800', ResultParameter: RESULT, ...extra };
}

function request(requestType: 'Create' | 'Update' | 'Delete', data: Record<string, string>, extra: Record<string, any> = {}, old?: Record<string, any>): IsCompleteRequest {
  return {
    RequestType: requestType,
    RequestId: 'request-1-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Stack/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    LogicalResourceId: 'PatchRun1234',
    ResourceType: 'Custom::SsmAssociationRun',
    PhysicalResourceId: requestType === 'Create' ? undefined : 'PatchRun1234-run',
    ResourceProperties: props(extra),
    OldResourceProperties: old,
    Data: data,
  };
}

const ssm = () => new SSMClient({ region: 'us-east-1' });

/** onEvent at NOW, then polls every 5 seconds until complete; the calls of each poll, and the response. */
async function run(extra: Record<string, any> = {}, requestType: 'Create' | 'Update' = 'Create', old?: Record<string, any>) {
  const started = await onAssociationRunEvent(ssm(), request(requestType, {}, extra, old), NOW);
  const onEventCalls = calls.length;
  const perPoll: string[][] = [];
  let now = NOW;
  for (let poll = 0; poll < 1000; poll++) {
    calls = [];
    try {
      const response = await isAssociationRunComplete(ssm(), request(requestType, started.Data!, extra, old), now);
      perPoll.push(calls);
      if (response.IsComplete) {
        return { started, onEventCalls, perPoll, response, error: undefined, now };
      }
    } catch (error) {
      perPoll.push(calls);
      return { started, onEventCalls, perPoll, response: undefined, error: error as Error, now };
    }
    now += 5_000;
    // The execution moves on as the clock does: InProgress for two minutes.
    for (const execution of executions) {
      if (execution.status === 'InProgress' && now >= execution.createdAt + 2 * MINUTE) {
        execution.status = (execution as any).endsIn ?? 'Success';
      }
    }
  }
  throw new Error('did not complete');
}

function addExecution(overrides: Partial<FakeExecution> & { endsIn?: string } = {}): FakeExecution {
  const created = { version: '2', createdAt: NOW - 3_000, status: 'InProgress', targets: 3, failed: 0, ...overrides };
  executions.push(created);
  return created;
}

/** The size of the FAILED response CloudFormation would receive, as the Provider framework builds it. */
function failedResponseBytes(error: Error): number {
  return Buffer.byteLength(JSON.stringify({
    Status: 'FAILED',
    Reason: `${error.message}\n\nLogs: /aws/lambda/${'x'.repeat(64)}\n`,
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Stack/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    RequestId: 'request-1-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED',
    LogicalResourceId: 'PatchRun1234',
  }), 'utf8');
}

describe('waiting for the execution', () => {
  test('reads the association version in onEvent and waits with one DescribeAssociationExecutions call per poll until Success', async () => {
    addExecution({ targets: 3 });
    const result = await run();
    expect(result.onEventCalls).toBe(1);
    expect(result.started.Data).toMatchObject({ AssociationVersion: '2' });
    const waiting = result.perPoll.slice(0, -1);
    expect(waiting.length).toBeGreaterThan(10);
    for (const poll of waiting) {
      expect(poll).toEqual(['DescribeAssociationExecutions']);
    }
    expect(result.perPoll[result.perPoll.length - 1]).toEqual(['DescribeAssociationExecutions', 'PutParameter']);
    expect(result.response!.Data).toEqual({
      ExecutionId: EXECUTION_ID,
      AssociationVersion: '2',
      Status: 'Success',
      DetailedStatus: 'Success',
      TargetCount: '3',
      SuccessCount: '3',
      FailedCount: '0',
      CountsByStatus: 'Success=3',
      TriggeredAlarms: '',
    });
    expect(JSON.parse(parameters.get(RESULT)!).Attributes).toEqual(result.response!.Data);
  });

  test('filters the executions by CreatedTime after shortly before the request, and picks those of the version onEvent read', async () => {
    addExecution({ version: '1', createdAt: NOW - 30_000, status: 'Failed', failed: 3, id: 'older-version' });
    addExecution({ version: '2', createdAt: NOW - 2_000, status: 'Success' });
    addExecution({ version: '2', createdAt: NOW + 60_000, status: 'InProgress', id: 'a-later-scheduled-run' });
    const result = await run();
    expect(result.response!.Data!.ExecutionId).toBe(EXECUTION_ID);
    const input = ssmMock.commandCalls(DescribeAssociationExecutionsCommand)[0].args[0].input;
    expect(input.Filters).toEqual([{ Key: 'CreatedTime', Type: 'GREATER_THAN', Value: expect.any(String) }]);
    expect(Date.parse(input.Filters![0].Value!)).toBeLessThan(NOW);
  });

  test('without the version (onEvent refused), takes the highest version created since shortly before the request', async () => {
    faults.push({ operation: 'DescribeAssociation', error: 'AccessDeniedException', times: 1 });
    addExecution({ version: '1', createdAt: NOW - 60_000, status: 'Success', id: 'version-1' });
    addExecution({ version: '3', createdAt: NOW - 1_000, status: 'InProgress', id: 'version-3' });
    const result = await run();
    expect(result.started.Data!.AssociationVersion).toBeUndefined();
    expect(result.response!.Data).toMatchObject({ ExecutionId: 'version-3', AssociationVersion: '3' });
    const input = ssmMock.commandCalls(DescribeAssociationExecutionsCommand)[0].args[0].input;
    expect(Date.parse(input.Filters![0].Value!)).toBe(NOW - CREATED_LOOKBACK_MS);
  });

  test('an execution that appears late is waited for, not a failure', async () => {
    addExecution({ createdAt: NOW + 20_000, invisibleReads: 12 });
    const result = await run();
    expect(result.response!.Data!.Status).toBe('Success');
    expect(result.perPoll.slice(0, 12).every((poll) => poll.length === 1 && poll[0] === 'DescribeAssociationExecutions')).toBe(true);
  });

  test.each(['Pending', 'InProgress', 'Delayed', 'Waiting', 'Cancelling'])('an execution %s is waited for', async (status) => {
    addExecution({ status });
    const response = await isAssociationRunComplete(ssm(), request('Create', { RequestStart: String(NOW), Deadline: String(NOW + 30 * MINUTE), AssociationVersion: '2' }), NOW);
    expect(response).toEqual({ IsComplete: false });
    expect(calls).toEqual(['DescribeAssociationExecutions']);
  });

  test.each(['Failed', 'TimedOut', 'Cancelled', 'Skipped', 'Incomplete'])('an execution that ends %s fails the deployment with its failed nodes', async (status) => {
    addExecution({ status, targets: 5, failed: 2 });
    const result = await run();
    expect(result.error!.message).toContain(`waitForRun of association Nightly-Patch (${ASSOCIATION_ID}): execution ${EXECUTION_ID} (version 2) ended ${status}`);
    expect(result.error!.message).toContain('2 of 5 nodes did not succeed (Failed=2, Success=3)');
    expect(result.error!.message).toContain(`${nodeId(3)}: Failed (step runShellScript, command cmd-3): E: Unable to locate package nginx-extras`);
  });

  test('an execution that ends Success on no node fails as no targets, or completes as NoTargets with failOnNoTargets false', async () => {
    executions.push({ version: '2', createdAt: NOW - 1_000, status: 'Success', targets: 0, failed: 0 });
    const failed = await run();
    expect(failed.error!.message).toContain('ended Success on no node: check the association\'s targets, or set failOnNoTargets to false');
    const allowed = await run({ FailOnNoTargets: 'false' });
    expect(allowed.response!.Data).toMatchObject({ Status: 'NoTargets', ExecutionId: EXECUTION_ID, TargetCount: '0' });
  });

  test('no execution within 5 minutes is taken for a run that matched no nodes', async () => {
    const failed = await run();
    expect(failed.now - NOW).toBeGreaterThanOrEqual(NO_EXECUTION_MS);
    expect(failed.perPoll.every((poll) => poll.length === 1)).toBe(true);
    expect(failed.error!.message).toContain(`no execution of association Nightly-Patch (${ASSOCIATION_ID}) version 2 appeared in the 5 minutes`);
    const allowed = await run({ FailOnNoTargets: 'false' });
    expect(allowed.response!.Data).toMatchObject({ Status: 'NoTargets', ExecutionId: '' });
  });

  test('an execution still running at the timeout fails the deployment, saying that the association goes on', async () => {
    addExecution({ createdAt: NOW, status: 'Pending' });
    const result = await run({ WaitSeconds: '60' });
    expect(result.error!.message).toContain('was still Pending (Pending=3) when the waitForRun timeout passed; the association goes on running');
  });

  test('names the alarm that stopped the execution, within 4,096 bytes', async () => {
    addExecution({ status: 'InProgress', endsIn: 'Failed', targets: 10, failed: 1, alarm: 'deploy-health' } as any);
    const result = await run();
    expect(result.error!.message).toContain('stopped by the alarm deploy-health: ALARM');
    expect(failedResponseBytes(result.error!)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  });

  test('finds the failed step of a document of several steps and reads its standard error with its PluginName', async () => {
    addExecution({ status: 'Failed', targets: 2, failed: 1, steps: ['update', 'install'], stderr: 'line 1\nline 2\ninstall failed: exit 100\n' });
    const result = await run();
    expect(result.error!.message).toContain(`${nodeId(1)}: Failed (step install, command cmd-1): line 1 | line 2 | install failed: exit 100`);
    expect(ssmMock.commandCalls(GetCommandInvocationCommand)[0].args[0].input.PluginName).toBe('install');
  });

  test('a long standard error with control characters keeps the response within 4,096 bytes', async () => {
    addExecution({ status: 'Failed', targets: 50, failed: 50, stderr: '\u0001\u0002"\\'.repeat(4000) });
    const result = await run();
    expect(failedResponseBytes(result.error!)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(result.error!.message).toContain('50 of 50 nodes did not succeed (Failed=50); the first 3 of them: i-00000000000000000: Failed');
    expect(result.error!.message).toContain('i-00000000000000002: Failed');
  });
});

describe('calls bounded by the nodes shown', () => {
  test('pagination over 50 targets: 60 failed nodes are counted from the execution, and only the first 3 read', async () => {
    addExecution({ status: 'Failed', targets: 120, failed: 60 });
    const result = await run();
    const end = result.perPoll[result.perPoll.length - 1];
    expect(end.filter((call) => call === 'DescribeAssociationExecutionTargets')).toHaveLength(1);
    expect(ssmMock.commandCalls(DescribeAssociationExecutionTargetsCommand)[0].args[0].input).toMatchObject({
      Filters: [{ Key: 'Status', Value: 'Failed' }], MaxResults: RUN_NODES_SHOWN,
    });
    expect(result.error!.message).toContain('60 of 120 nodes did not succeed (Failed=60, Success=60)');
    expect(result.error!.message).toContain('60 of 120 nodes did not succeed (Failed=60, Success=60); the first 3 of them: ');
  });

  test('a Status filter that also lists other nodes is followed for at most 3 pages of 50', async () => {
    // A filter that Systems Manager would apply loosely: every node listed, failed or not.
    ssmMock.on(DescribeAssociationExecutionTargetsCommand).callsFake(fake('DescribeAssociationExecutionTargets', (input) => {
      const start = Number(input.NextToken ?? 0);
      return {
        AssociationExecutionTargets: Array.from({ length: Math.min(input.MaxResults, 50) }, (_, i) => ({
          ResourceId: nodeId(start + i), Status: 'Success', DetailedStatus: 'Success',
        })),
        NextToken: String(start + 50),
      };
    }));
    addExecution({ status: 'Failed', targets: 1000, failed: 1 });
    const result = await run();
    expect(ssmMock.commandCalls(DescribeAssociationExecutionTargetsCommand)).toHaveLength(3);
    expect(result.error!.message).toContain('1 of 1000 nodes did not succeed');
  });

  // The benchmark rows: calls per poll while the execution runs, and at its end, at 1, 50 and 1,000 nodes with 0, 1
  // and 10% failed. They are printed for the benchmark and held to their bounds here.
  const rows: string[] = [];
  afterAll(() => console.info(`association run wait, SSM calls (per poll while running / at the end):\n${rows.join('\n')}`));
  test.each([
    [1, 0], [1, 1], [50, 0], [50, 1], [50, 5], [1000, 0], [1000, 10], [1000, 100],
  ])('%i nodes with %i failed: one call per poll, and at the end calls bounded by the nodes shown', async (targets, failed) => {
    addExecution({ status: 'InProgress', targets, failed, endsIn: failed > 0 ? 'Failed' : 'Success' } as any);
    const result = await run();
    const waiting = result.perPoll.slice(0, -1);
    const end = result.perPoll[result.perPoll.length - 1];
    expect(waiting.every((poll) => poll.length === 1)).toBe(true);
    const shown = Math.min(failed, RUN_NODES_SHOWN);
    // The execution itself, then one target listing per failed status, and two Run Command reads per node shown;
    // or the record written on Success.
    expect(end.length).toBe(failed === 0 ? 2 : 1 + 1 + 2 * shown);
    const bytes = result.error ? failedResponseBytes(result.error) : 0;
    expect(bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    rows.push(`${targets} nodes, ${failed} failed: ${Math.max(...waiting.map((poll) => poll.length))} per poll, ${end.length} at the end`
      + (result.error ? `, failure response ${bytes} bytes` : ''));
  });
});

describe('throttling and IAM propagation', () => {
  test('a throttled poll waits for the next one', async () => {
    addExecution();
    faults.push({ operation: 'DescribeAssociationExecutions', error: 'ThrottlingException', times: 5 });
    const result = await run();
    expect(result.response!.Data!.Status).toBe('Success');
  });

  test('AccessDenied while the new role propagates is retried; past 2 minutes it fails, naming the role', async () => {
    addExecution();
    faults.push({ operation: 'DescribeAssociationExecutions', error: 'AccessDeniedException', times: 10 });
    expect((await run()).response!.Data!.Status).toBe('Success');
    faults.push({ operation: 'DescribeAssociationExecutions', error: 'AccessDeniedException', times: 1000 });
    const refused = await run();
    expect(refused.error!.message).toContain(`longer than the 2 minutes IAM may take to apply a new policy: check the permissions of the role ${ROLE_ARN}`);
  });

  test('AccessDenied while reading the failed nodes in the first 2 minutes is retried at the next poll', async () => {
    addExecution({ status: 'Failed', targets: 3, failed: 1 });
    faults.push({ operation: 'DescribeAssociationExecutionTargets', error: 'AccessDeniedException', times: 2 });
    const result = await run();
    expect(result.error!.message).toContain(`${nodeId(2)}: Failed`);
    expect(result.error!.message).not.toContain('could not all be read');
  });

  test('node details refused for good are left out, and said so', async () => {
    addExecution({ status: 'Failed', targets: 3, failed: 1 });
    faults.push({ operation: 'GetCommandInvocation', error: 'ThrottlingException', times: 1000 });
    const result = await run();
    expect(result.error!.message).toContain('1 of 3 nodes did not succeed (Failed=1, Success=2); node details could not all be read (ThrottlingException');
    expect(result.error!.message).toContain(`: ${nodeId(2)}: Failed (step runShellScript, command cmd-2)`);
  });

  test('throttling until the timeout fails, saying so', async () => {
    addExecution();
    faults.push({ operation: 'DescribeAssociationExecutions', error: 'ThrottlingException', times: 100_000 });
    const result = await run({ WaitSeconds: '120' });
    expect(result.error!.message).toContain('the waitForRun timeout passed while Systems Manager did not answer (ThrottlingException');
  });
});

describe('updates and deletes', () => {
  test('an update that leaves the association as it was waits for nothing and returns the recorded attributes', async () => {
    addExecution();
    const created = await run();
    calls = [];
    const updated = await run({ WaitSeconds: '900' }, 'Update', props({ WatchedProperties: JSON.parse(JSON.stringify(WATCHED)) }));
    expect(updated.started.Data!.Rerun).toBe('false');
    expect(updated.onEventCalls).toBe(0);
    expect(updated.perPoll).toEqual([['GetParameter']]);
    expect(updated.response!.Data).toEqual(created.response!.Data);
  });

  test('an update that changes the association waits for the new execution', async () => {
    addExecution({ status: 'Success', id: 'first' });
    await run();
    const changed = { Association: { ...WATCHED.Association, MaxErrors: '1' } };
    executions.push({ version: '3', createdAt: NOW + 1_000, status: 'InProgress', targets: 3, failed: 0, id: 'second' });
    ssmMock.on(DescribeAssociationCommand).callsFake(fake('DescribeAssociation', () => ({ AssociationDescription: { AssociationVersion: '3' } })));
    const updated = await run({ WatchedProperties: changed }, 'Update', props());
    expect(updated.response!.Data!.ExecutionId).toBe('second');
  });

  test('a delete removes the record, and one already gone is fine', async () => {
    parameters.set(RESULT, '{}');
    const started = await onAssociationRunEvent(ssm(), request('Delete', {}), NOW);
    expect(await isAssociationRunComplete(ssm(), request('Delete', started.Data!), NOW)).toEqual({ IsComplete: true });
    expect(parameters.has(RESULT)).toBe(false);
    expect(await isAssociationRunComplete(ssm(), request('Delete', started.Data!), NOW)).toEqual({ IsComplete: true });
  });

  test('waitForOnline waits for the instances before it takes an execution that ended', async () => {
    addExecution({ status: 'Success', targets: 2 });
    const ids = [nodeId(0), nodeId(1)];
    const started = await onAssociationRunEvent(ssm(), request('Create', {}, { WaitForOnline: ids }), NOW);
    expect(await isAssociationRunComplete(ssm(), request('Create', started.Data!, { WaitForOnline: ids }), NOW)).toEqual({ IsComplete: false });
    ids.forEach((id) => online.add(id));
    const done = await isAssociationRunComplete(ssm(), request('Create', started.Data!, { WaitForOnline: ids }), NOW + 5_000);
    expect(done.Data).toMatchObject({ Status: 'Success' });
  });
});

test('the counts by status are read from ResourceCountByStatus', () => {
  expect(countsOf({ ResourceCountByStatus: '{Failed=1, Success=2}' })).toEqual({ Failed: 1, Success: 2 });
  expect(countsOf({ ResourceCountByStatus: '{"Success":5}' })).toEqual({ Success: 5 });
  expect(countsOf({})).toEqual({});
});
