import * as path from 'path';
import {
  DescribeAssociationCommand, GetMaintenanceWindowTaskCommand, SSMClient, UpdateAssociationCommand, UpdateMaintenanceWindowTaskCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { OnEventRequest } from '../../src/private/provider-types';
import { onAlarmApplierEvent } from '../../src/alarm-applier/handler';

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

function event(properties: Record<string, any>, overrides: Partial<OnEventRequest> = {}): OnEventRequest {
  return {
    RequestType: 'Create',
    RequestId: 'r',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
    LogicalResourceId: 'AlarmConfiguration',
    ResourceType: 'Custom::SsmAssociationAlarm',
    ResourceProperties: { ...properties, AlarmConfiguration: ALARM, Fingerprint: 'abc' },
    ...overrides,
  };
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
    await onAlarmApplierEvent(client, event({ AssociationId: 'assoc-1' }));
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
    await onAlarmApplierEvent(client, event({ AssociationId: 'assoc-1' }, { RequestType: 'Delete', PhysicalResourceId: 'alarm-assoc-1' }));
    const input = ssm.commandCalls(UpdateAssociationCommand)[0].args[0].input;
    expect(input.AlarmConfiguration).toBeUndefined();
    expect(input.ScheduleExpression).toBe(description.ScheduleExpression);

    ssm.reset();
    ssm.on(DescribeAssociationCommand).rejects(Object.assign(new Error('gone'), { name: 'AssociationDoesNotExist' }));
    await expect(onAlarmApplierEvent(client, event({ AssociationId: 'assoc-1' }, { RequestType: 'Delete', PhysicalResourceId: 'alarm-assoc-1' })))
      .resolves.toEqual({ PhysicalResourceId: 'alarm-assoc-1' });
  });

  test('a failure to apply fails the deployment', async () => {
    ssm.on(DescribeAssociationCommand).rejects(Object.assign(new Error('gone'), { name: 'AssociationDoesNotExist' }));
    await expect(onAlarmApplierEvent(client, event({ AssociationId: 'assoc-1' }))).rejects.toThrow('gone');
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
    await onAlarmApplierEvent(client, event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm' }));
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
    await onAlarmApplierEvent(client, event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm' }));
    const input = ssm.commandCalls(UpdateMaintenanceWindowTaskCommand)[0].args[0].input;
    expect(input.MaxConcurrency).toBeUndefined();
    expect(input.MaxErrors).toBeUndefined();
    expect(input.TaskArn).toBe(task.TaskArn);
  });

  test('delete writes the task back without the alarm, and succeeds when the task is gone', async () => {
    ssm.on(GetMaintenanceWindowTaskCommand).resolves({ ...task });
    ssm.on(UpdateMaintenanceWindowTaskCommand).resolves({});
    const del = event({ WindowId: 'mw-0123456789abcdef0', WindowTaskId: 'task-1' }, { RequestType: 'Delete', ResourceType: 'Custom::SsmMaintenanceWindowTaskAlarm', PhysicalResourceId: 'p' });
    await onAlarmApplierEvent(client, del);
    const input = ssm.commandCalls(UpdateMaintenanceWindowTaskCommand)[0].args[0].input;
    expect(input.AlarmConfiguration).toBeUndefined();
    expect(input.TaskInvocationParameters).toEqual(task.TaskInvocationParameters);

    ssm.reset();
    ssm.on(GetMaintenanceWindowTaskCommand).rejects(Object.assign(new Error('gone'), { name: 'DoesNotExistException' }));
    await expect(onAlarmApplierEvent(client, del)).resolves.toEqual({ PhysicalResourceId: 'p' });
  });
});
