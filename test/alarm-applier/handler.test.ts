import * as path from 'path';
import {
  DescribeAssociationCommand, GetMaintenanceWindowTaskCommand, SSMClient, UpdateAssociationCommand, UpdateMaintenanceWindowTaskCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { APPLY_DEADLINE_MS, isAlarmApplierComplete, onAlarmApplierEvent } from '../../src/alarm-applier/handler';
import { MAX_RESPONSE_BYTES } from '../../src/private/handler-errors';
import { IsCompleteRequest } from '../../src/private/provider-types';

// The SSM API model's shapes (member names and types), to build responses with every optional field set.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { shapes } = require(path.join(__dirname, '..', 'fixtures', 'ssm-shapes.json'));

/** A value of a shape of the API model, with every member of every structure set. */
function sample(shapeName: string, label: string, depth = 0): any {
  const shape = shapes[shapeName];
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(Object.entries<string>(shape.members)
        .map(([member, memberShape]) => [member, sample(memberShape, member, depth + 1)]));
    case 'list':
      return [sample(shape.member, label, depth + 1)];
    case 'map':
      return { [`${label}Key`]: sample(shape.value, label, depth + 1) };
    case 'string':
      return shape.enum ? shape.enum[0] : `${label}-value`;
    case 'integer':
    case 'long':
      return shape.min ?? 1;
    case 'boolean':
      return true;
    case 'timestamp':
      return new Date('2026-11-01T00:00:00Z');
    case 'blob':
      return new Uint8Array([1, 2, 3]);
    default:
      throw new Error(`no sample for ${shapeName} (${shape.type})`);
  }
}

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1' });
const ALARM = { Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: 'false' };
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/S-PatchAlarmConfigurationHandlerRole-ABC';
const START = Date.parse('2026-11-22T10:00:00Z');

/** An isComplete request of a companion, as the Provider framework sends it after onEvent answered at START. */
function event(properties: Record<string, any>, overrides: Partial<IsCompleteRequest> = {}): IsCompleteRequest {
  return {
    RequestType: 'Create',
    RequestId: 'r',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
    LogicalResourceId: 'AlarmConfiguration',
    ResourceType: 'Custom::SsmAssociationAlarm',
    PhysicalResourceId: 'alarm-assoc-1',
    ResourceProperties: { ...properties, AlarmConfiguration: ALARM, WatchedProperties: { Name: 'AWS-RunPatchBaseline' }, RoleArn: ROLE_ARN },
    Data: { RequestStart: String(START) },
    ...overrides,
  };
}

function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $metadata: { httpStatusCode } });
}

beforeEach(() => ssm.reset());

describe('association alarm applier', () => {
  const description = sample('AssociationDescription', 'Association');
  const writable = Object.keys(shapes.UpdateAssociationRequest.members).filter((member) => member !== 'AlarmConfiguration');

  test('writes every field of the association back unchanged, with the alarm configuration', async () => {
    // GIVEN
    ssm.on(DescribeAssociationCommand).resolves({ AssociationDescription: { ...description, AssociationId: 'assoc-1' } });
    ssm.on(UpdateAssociationCommand).resolves({});
    // WHEN
    await isAlarmApplierComplete(client, event({ AssociationId: 'assoc-1' }));
    // THEN
    const input = ssm.commandCalls(UpdateAssociationCommand)[0].args[0].input as unknown as Record<string, unknown>;
    expect(writable.length).toBeGreaterThan(15);
    for (const member of writable) {
      expect([member, input[member]]).toEqual([member, member === 'AssociationId' ? 'assoc-1' : description[member]]);
    }
    expect(input.AlarmConfiguration).toEqual({ Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: false });
    expect(Object.keys(input).sort()).toEqual([...writable, 'AlarmConfiguration'].sort());
  });

  test('delete writes everything back without the alarm, and succeeds when the association is gone', async () => {
    ssm.on(DescribeAssociationCommand).resolves({ AssociationDescription: { ...description, AssociationId: 'assoc-1' } });
    ssm.on(UpdateAssociationCommand).resolves({});
    await isAlarmApplierComplete(client, event({ AssociationId: 'assoc-1' }, { RequestType: 'Delete', PhysicalResourceId: 'alarm-assoc-1' }));
    const input = ssm.commandCalls(UpdateAssociationCommand)[0].args[0].input;
    expect(input.AlarmConfiguration).toBeUndefined();
    expect(input.ScheduleExpression).toBe(description.ScheduleExpression);

    ssm.reset();
    ssm.on(DescribeAssociationCommand).rejects(Object.assign(new Error('gone'), { name: 'AssociationDoesNotExist' }));
    await expect(isAlarmApplierComplete(client, event({ AssociationId: 'assoc-1' }, { RequestType: 'Delete', PhysicalResourceId: 'alarm-assoc-1' })))
      .resolves.toEqual({ IsComplete: true });
  });

  test('a failure to apply fails the deployment at once when trying again cannot help', async () => {
    ssm.on(DescribeAssociationCommand).rejects(Object.assign(new Error('gone'), { name: 'AssociationDoesNotExist' }));
    await expect(isAlarmApplierComplete(client, event({ AssociationId: 'assoc-1' }), START + 5000)).rejects.toThrow(
      'could not apply the alarm configuration to association assoc-1 (AssociationDoesNotExist: gone). Until it is applied the alarm does not '
      + 'gate the association; the deployment rolls back, and deploying again applies it.');
  });
});

describe('maintenance window task alarm applier', () => {
  const task = sample('GetMaintenanceWindowTaskResult', 'Task');
  const writable = Object.keys(shapes.UpdateMaintenanceWindowTaskRequest.members).filter((member) => !['AlarmConfiguration', 'Replace'].includes(member));

  test('writes every field of the task back unchanged with Replace, with the alarm configuration', async () => {
    // GIVEN
    ssm.on(GetMaintenanceWindowTaskCommand).resolves({ ...task, WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' });
    ssm.on(UpdateMaintenanceWindowTaskCommand).resolves({});
    // WHEN
    await isAlarmApplierComplete(client, event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm' }));
    // THEN
    const input = ssm.commandCalls(UpdateMaintenanceWindowTaskCommand)[0].args[0].input as unknown as Record<string, unknown>;
    expect(writable.length).toBeGreaterThan(12);
    for (const member of writable) {
      const expected = member === 'WindowId' ? 'mw-0123456789abcdef0' : member === 'WindowTaskId' ? 'task-1' : task[member];
      expect([member, input[member]]).toEqual([member, expected]);
    }
    expect(input.Replace).toBe(true);
    expect(input.AlarmConfiguration).toEqual({ Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: false });
  });

  test('a task without targets is written back without the rate controls the API refuses for it', async () => {
    ssm.on(GetMaintenanceWindowTaskCommand).resolves({ ...task, Targets: [] });
    ssm.on(UpdateMaintenanceWindowTaskCommand).resolves({});
    await isAlarmApplierComplete(client, event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm' }));
    const input = ssm.commandCalls(UpdateMaintenanceWindowTaskCommand)[0].args[0].input;
    expect(input.MaxConcurrency).toBeUndefined();
    expect(input.MaxErrors).toBeUndefined();
    expect(input.TaskArn).toBe(task.TaskArn);
  });

  test('delete writes the task back without the alarm, and succeeds when the task is gone', async () => {
    ssm.on(GetMaintenanceWindowTaskCommand).resolves({ ...task });
    ssm.on(UpdateMaintenanceWindowTaskCommand).resolves({});
    const del = event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { RequestType: 'Delete', ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm', PhysicalResourceId: 'p' });
    await isAlarmApplierComplete(client, del);
    const input = ssm.commandCalls(UpdateMaintenanceWindowTaskCommand)[0].args[0].input;
    expect(input.AlarmConfiguration).toBeUndefined();
    expect(input.TaskInvocationParameters).toEqual(task.TaskInvocationParameters);

    ssm.reset();
    ssm.on(GetMaintenanceWindowTaskCommand).rejects(Object.assign(new Error('gone'), { name: 'DoesNotExistException' }));
    await expect(isAlarmApplierComplete(client, del)).resolves.toEqual({ IsComplete: true });
  });
});

describe('the companion\'s requests over time', () => {
  const description = sample('AssociationDescription', 'Association');
  const association = { AssociationId: 'assoc-1' };
  const del = event(association, { RequestType: 'Delete' });

  test('onEvent calls nothing and answers with the physical ID and when the request started', async () => {
    // WHEN
    const created = await onAlarmApplierEvent({ ...event(association), PhysicalResourceId: undefined }, START);
    const deleted = await onAlarmApplierEvent(del, START);
    // THEN
    expect(created).toEqual({ PhysicalResourceId: 'alarm-assoc-1', Data: { RequestStart: String(START) } });
    expect(deleted).toEqual({ PhysicalResourceId: 'alarm-assoc-1', Data: { RequestStart: String(START) } });
    expect(ssm.calls()).toHaveLength(0);
  });

  test('a throttled delete is tried again at the next poll, then completes', async () => {
    // GIVEN: Systems Manager throttles the first two updates
    ssm.on(DescribeAssociationCommand).resolves({ AssociationDescription: { ...description, AssociationId: 'assoc-1' } });
    ssm.on(UpdateAssociationCommand).rejectsOnce(awsError('ThrottlingException')).rejectsOnce(awsError('ThrottlingException')).resolves({});
    // WHEN: three polls, 5 seconds apart
    const polls = [];
    for (let poll = 0; poll < 3; poll++) {
      polls.push(await isAlarmApplierComplete(client, del, START + poll * 5000));
    }
    // THEN
    expect(polls).toEqual([{ IsComplete: false }, { IsComplete: false }, { IsComplete: true }]);
    const written = ssm.commandCalls(UpdateAssociationCommand).map((call) => call.args[0].input);
    expect(written.map((input) => [input.AssociationId, input.AlarmConfiguration])).toEqual([['assoc-1', undefined], ['assoc-1', undefined], ['assoc-1', undefined]]);
  });

  test('a server error on create is tried again too', async () => {
    ssm.on(DescribeAssociationCommand).rejectsOnce(awsError('InternalServerError', 500))
      .resolves({ AssociationDescription: { ...description, AssociationId: 'assoc-1' } });
    ssm.on(UpdateAssociationCommand).resolves({});
    expect(await isAlarmApplierComplete(client, event(association), START)).toEqual({ IsComplete: false });
    expect(await isAlarmApplierComplete(client, event(association), START + 5000)).toEqual({ IsComplete: true });
    expect(ssm.commandCalls(UpdateAssociationCommand)[0].args[0].input.AlarmConfiguration).toEqual({ Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: false });
  });

  test('fails 10 minutes after the request while Systems Manager still throttles, saying what to do', async () => {
    // GIVEN
    ssm.on(DescribeAssociationCommand).rejects(awsError('ThrottlingException'));
    // WHEN
    const before = await isAlarmApplierComplete(client, del, START + APPLY_DEADLINE_MS - 1);
    const atDeadline = isAlarmApplierComplete(client, del, START + APPLY_DEADLINE_MS);
    // THEN
    expect(before).toEqual({ IsComplete: false });
    await expect(atDeadline).rejects.toThrow(
      'could not remove the alarm configuration from association assoc-1 for 10 minutes (ThrottlingException: ThrottlingException: simulated). '
      + 'The alarm may still be set on the association: remove it in the Systems Manager console, or write the association back without '
      + 'AlarmConfiguration (UpdateAssociation), or retry the delete, which is safe: removing an alarm that is not set, or from an association '
      + 'that is gone, succeeds.');
  });

  test('the deadline of a window task\'s create says that the alarm does not gate the task', async () => {
    ssm.on(GetMaintenanceWindowTaskCommand).rejects(awsError('ThrottlingException'));
    const create = event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm' });
    await expect(isAlarmApplierComplete(client, create, START + APPLY_DEADLINE_MS)).rejects.toThrow(
      'could not apply the alarm configuration to maintenance window task task-1 of window mw-0123456789abcdef0 for 10 minutes '
      + '(ThrottlingException: ThrottlingException: simulated). Until it is applied the alarm does not gate the task; the deployment rolls back, '
      + 'and deploying again applies it.');
  });

  test('AccessDenied within 2 minutes of the request is tried again; after that it fails, naming the role', async () => {
    // GIVEN: the companion's role, created just before, is refused while IAM propagates it
    ssm.on(DescribeAssociationCommand).rejects(awsError('AccessDeniedException'));
    // WHEN
    const early = await isAlarmApplierComplete(client, event(association), START + 2 * 60 * 1000 - 1);
    const late = isAlarmApplierComplete(client, event(association), START + 2 * 60 * 1000);
    // THEN
    expect(early).toEqual({ IsComplete: false });
    await expect(late).rejects.toThrow(
      `could not apply the alarm configuration to association assoc-1 (AccessDeniedException: AccessDeniedException: simulated). The companion's role ${ROLE_ARN} `
      + 'is still refused 2 minutes after the request, longer than IAM takes to propagate a new role: check that no service control policy or '
      + 'permissions boundary denies the call. Until it is applied the alarm does not gate the association; the deployment rolls back, and deploying again applies it.');
  });

  test('AccessDenied from STS, the role not assumable yet, is tried again the same way', async () => {
    ssm.on(DescribeAssociationCommand).rejects(awsError('AccessDenied', 403));
    expect(await isAlarmApplierComplete(client, event(association), START + 60_000)).toEqual({ IsComplete: false });
    await expect(isAlarmApplierComplete(client, event(association), START + 3 * 60_000)).rejects.toThrow(/^could not apply .* \(AccessDenied: /);
  });

  test('a delete of an association or task that is gone completes at once, even while other calls are refused', async () => {
    ssm.on(DescribeAssociationCommand).rejects(awsError('AssociationDoesNotExist'));
    ssm.on(GetMaintenanceWindowTaskCommand).rejects(awsError('DoesNotExistException'));
    expect(await isAlarmApplierComplete(client, del, START)).toEqual({ IsComplete: true });
    const taskDelete = event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { RequestType: 'Delete', ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm' });
    expect(await isAlarmApplierComplete(client, taskDelete, START)).toEqual({ IsComplete: true });
    expect(ssm.commandCalls(UpdateAssociationCommand)).toHaveLength(0);
  });

  test('a failure with a long error fits CloudFormation\'s 4,096-byte response', async () => {
    // GIVEN
    ssm.on(DescribeAssociationCommand).rejects(Object.assign(new Error('x\n'.repeat(5000)), { name: 'ValidationException' }));
    // WHEN
    const error: Error = await isAlarmApplierComplete(client, del, START).catch((e) => e);
    // THEN: the reason with the framework's log line, in the response with the request's IDs
    const response = {
      Status: 'FAILED',
      Reason: `${error.message}\n\nLogs: /aws/lambda/${'x'.repeat(64)}\n`,
      StackId: del.StackId,
      RequestId: del.RequestId,
      PhysicalResourceId: del.PhysicalResourceId,
      LogicalResourceId: del.LogicalResourceId,
      Data: del.Data,
    };
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(error.message).toMatch(/^could not remove the alarm configuration from association assoc-1 \(ValidationException: x x x .*…\[truncated\]$/);
  });
});
