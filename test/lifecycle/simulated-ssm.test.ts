import { SimulatedSsm, START } from './simulated-ssm';

// The simulator stands in for Systems Manager in the lifecycle tests and the benchmark: these tests hold it to the
// API behaviour the handlers depend on.

const send = (ssm: SimulatedSsm, comment = 'mine') => ssm.handle('SendCommand', {
  DocumentName: 'AWS-RunShellScript', Comment: comment, Targets: [{ Key: 'tag:Role', Values: ['web'] }],
}).Command;

describe('SimulatedSsm', () => {
  test('a command moves from Pending through InProgress to its end as the clock passes', () => {
    const ssm = new SimulatedSsm({ targets: 4, failed: 1, pendingMs: 10_000, inProgressMs: 20_000 });
    const { CommandId } = send(ssm);
    const status = () => ssm.handle('ListCommands', { CommandId }).Commands[0];
    expect(status().Status).toBe('Pending');
    ssm.advance(10_000);
    expect(status().Status).toBe('InProgress');
    ssm.advance(20_000);
    expect(status()).toMatchObject({ Status: 'Failed', TargetCount: 4, CompletedCount: 4, ErrorCount: 1 });
  });

  test('a new command is not visible to its first reads', () => {
    const ssm = new SimulatedSsm({ targets: 1, failed: 0, invisibleReads: 2 });
    const { CommandId } = send(ssm);
    expect(ssm.handle('ListCommands', { CommandId }).Commands).toEqual([]);
    expect(() => ssm.handle('GetCommandInvocation', { CommandId, InstanceId: 'i-00000000000000000' })).toThrow(expect.objectContaining({ name: 'InvocationDoesNotExist' }));
    expect(ssm.handle('ListCommands', { CommandId }).Commands).toHaveLength(1);
  });

  test('ListCommands pages by 50, newest first, and filters by time, document and execution stage', () => {
    const ssm = new SimulatedSsm({ targets: 1, failed: 0, pendingMs: 0, inProgressMs: 60_000 });
    ssm.addOtherCommands(120, 'AWS-RunPowerShellScript');
    ssm.advance(1000);
    const mine = send(ssm);
    const first = ssm.handle('ListCommands', { MaxResults: 100 });
    expect(first.Commands).toHaveLength(50);
    expect(first.Commands[0].CommandId).toBe(mine.CommandId);
    expect(ssm.handle('ListCommands', { NextToken: '100' }).Commands).toHaveLength(21);
    const after = new Date(START + 500).toISOString();
    expect(ssm.handle('ListCommands', { Filters: [{ key: 'InvokedAfter', value: after }] }).Commands.map((c: any) => c.CommandId)).toEqual([mine.CommandId]);
    expect(ssm.handle('ListCommands', { Filters: [{ key: 'DocumentName', value: 'AWS-RunShellScript' }] }).Commands).toHaveLength(1);
    expect(ssm.handle('ListCommands', { Filters: [{ key: 'ExecutionStage', value: 'Executing' }] }).Commands).toHaveLength(1);
  });

  test('ListCommandInvocations filters by status and by the details of nodes that never ran', () => {
    const notRun = { Undeliverable: 1, Terminated: 1, DeliveryTimedOut: 1 };
    const ssm = new SimulatedSsm({ targets: 10, failed: 2, notRun, pendingMs: 0, inProgressMs: 0 });
    const { CommandId } = send(ssm);
    const withStatus = (value: string) => ssm.handle('ListCommandInvocations', { CommandId, Filters: [{ key: 'Status', value }] }).CommandInvocations;
    expect(withStatus('Failed').map((node: any) => node.StatusDetails)).toEqual(['Undeliverable', 'Failed', 'Failed']);
    expect(withStatus('Undeliverable')).toHaveLength(1);
    expect(withStatus('Terminated')).toHaveLength(1);
    expect(withStatus('TimedOut')).toHaveLength(1);
    expect(withStatus('Success')).toHaveLength(5);
    expect(ssm.handle('ListCommands', { CommandId }).Commands[0]).toMatchObject({ ErrorCount: 2, DeliveryTimedOutCount: 1 });
  });

  test('commands older than 30 days are gone', () => {
    const ssm = new SimulatedSsm({ targets: 1, failed: 0 });
    const { CommandId } = send(ssm);
    ssm.advance(30 * 24 * 60 * 60 * 1000);
    expect(() => ssm.handle('ListCommands', { CommandId })).toThrow(expect.objectContaining({ name: 'InvalidCommandId' }));
    expect(ssm.handle('ListCommands', {}).Commands).toEqual([]);
  });

  test('a cancelled command is Cancelling for one poll, then Cancelled', () => {
    const ssm = new SimulatedSsm({ targets: 2, failed: 0, pendingMs: 0, inProgressMs: 600_000 });
    const { CommandId } = send(ssm);
    ssm.handle('CancelCommand', { CommandId });
    expect(ssm.handle('ListCommands', { CommandId }).Commands[0].Status).toBe('Cancelling');
    ssm.tick();
    expect(ssm.handle('ListCommands', { CommandId }).Commands[0].Status).toBe('Cancelled');
  });

  test('faults: throttled for a number of calls or until a time, and roles refused until IAM propagates them', () => {
    const ssm = new SimulatedSsm();
    ssm.fail({ operation: 'ListCommands', error: 'ThrottlingException', times: 2 });
    expect(() => ssm.handle('ListCommands', {})).toThrow(expect.objectContaining({ name: 'ThrottlingException' }));
    expect(() => ssm.handle('ListCommands', {})).toThrow(expect.objectContaining({ name: 'ThrottlingException' }));
    expect(ssm.handle('ListCommands', {}).Commands).toEqual([]);
    ssm.fail({ operation: '*', error: 'InternalServerError', untilMs: START + 1000 });
    expect(() => ssm.handle('GetParameter', { Name: 'x' })).toThrow(expect.objectContaining({ $metadata: { httpStatusCode: 500 } }));
    ssm.advance(1000);
    ssm.roleUsableAt.set('arn:aws:iam::111111111111:role/r', START + 60_000);
    expect(() => ssm.handle('AssumeRole', { RoleArn: 'arn:aws:iam::111111111111:role/r', RoleSessionName: 's' })).toThrow(expect.objectContaining({ name: 'AccessDenied' }));
    ssm.advance(60_000);
    expect(ssm.handle('AssumeRole', { RoleArn: 'arn:aws:iam::111111111111:role/r', RoleSessionName: 's' }).Credentials.SessionToken).toBeDefined();
  });

  test('UpdateAssociation sets to null what it is not given, as the API does', () => {
    const ssm = new SimulatedSsm();
    ssm.associations.set('a-1', { AssociationId: 'a-1', Name: 'doc', ScheduleExpression: 'rate(1 day)', AssociationVersion: '1' });
    ssm.handle('UpdateAssociation', { AssociationId: 'a-1', Name: 'doc', AlarmConfiguration: { Alarms: [{ Name: 'x' }] } });
    expect(ssm.handle('DescribeAssociation', { AssociationId: 'a-1' }).AssociationDescription).toEqual({
      AssociationId: 'a-1', Name: 'doc', AlarmConfiguration: { Alarms: [{ Name: 'x' }] }, AssociationVersion: '2',
    });
  });
});
