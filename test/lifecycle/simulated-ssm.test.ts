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

  test('a fault can start after a number of calls', () => {
    const ssm = new SimulatedSsm();
    ssm.fail({ operation: 'ListCommands', error: 'ThrottlingException', times: 1, afterCalls: 2 });
    ssm.handle('ListCommands', {});
    ssm.handle('ListCommands', {});
    expect(() => ssm.handle('ListCommands', {})).toThrow(expect.objectContaining({ name: 'ThrottlingException' }));
    expect(ssm.handle('ListCommands', {}).Commands).toEqual([]);
  });

  describe('document sharing', () => {
    const share = (ssm: SimulatedSsm, input: Record<string, any>) => ssm.handle('ModifyDocumentPermission', { Name: 'doc', PermissionType: 'Share', ...input });
    const ids = (count: number, first = 200000000000) => Array.from({ length: count }, (_, i) => String(first + i));

    test('ModifyDocumentPermission adds and removes (removal wins), idempotently; DescribeDocumentPermission pages by up to 200', () => {
      const ssm = new SimulatedSsm();
      ssm.addDocument('doc');
      for (let i = 0; i < 15; i++) {
        share(ssm, { AccountIdsToAdd: ids(20, 200000000000 + 20 * i) });
      }
      share(ssm, { AccountIdsToAdd: ids(2), AccountIdsToRemove: ['200000000001', '999999999999'], SharedDocumentVersion: '$LATEST' });
      expect(ssm.sharedWith('doc')).toHaveLength(299);
      expect(ssm.documents.get('doc')!.shares.get('200000000000')).toBe('$LATEST');
      const first = ssm.handle('DescribeDocumentPermission', { Name: 'doc', PermissionType: 'Share', MaxResults: 200 });
      expect(first.AccountIds).toHaveLength(200);
      expect(first.AccountSharingInfoList[0]).toEqual({ AccountId: '200000000000', SharedDocumentVersion: '$LATEST' });
      expect(ssm.handle('DescribeDocumentPermission', { Name: 'doc', PermissionType: 'Share', NextToken: first.NextToken }).AccountIds).toHaveLength(99);
    });

    test('refuses more than 20 accounts a call, more than the quota, invalid IDs, public and private at once, and unknown documents', () => {
      const ssm = new SimulatedSsm();
      ssm.addDocument('doc');
      ssm.shareLimit = 30;
      const refusal = (input: Record<string, any>) => {
        try {
          share(ssm, input);
          return 'accepted';
        } catch (error) {
          return (error as Error).name;
        }
      };
      expect(refusal({ AccountIdsToAdd: ids(21) })).toBe('DocumentPermissionLimit');
      expect(refusal({ AccountIdsToAdd: ['12345'] })).toBe('ValidationException');
      expect(refusal({})).toBe('ValidationException');
      expect(refusal({ AccountIdsToAdd: ids(20) })).toBe('accepted');
      expect(refusal({ AccountIdsToAdd: ids(20, 300000000000) })).toBe('DocumentPermissionLimit');
      expect(ssm.sharedWith('doc')).toHaveLength(20);
      expect(refusal({ AccountIdsToAdd: ['All'] })).toBe('InvalidPermissionType');
      expect(refusal({ Name: 'gone', AccountIdsToAdd: ids(1) })).toBe('InvalidDocument');
      expect(refusal({ PermissionType: 'Read', AccountIdsToAdd: ids(1) })).toBe('InvalidPermissionType');
    });

    test('DeleteDocument is refused while the document is shared', () => {
      const ssm = new SimulatedSsm();
      ssm.addDocument('doc');
      share(ssm, { AccountIdsToAdd: ids(1) });
      expect(() => ssm.handle('DeleteDocument', { Name: 'doc' })).toThrow(expect.objectContaining({ name: 'InvalidDocumentOperation' }));
      share(ssm, { AccountIdsToRemove: ids(1) });
      ssm.handle('DeleteDocument', { Name: 'doc' });
      expect(() => ssm.handle('DescribeDocumentPermission', { Name: 'doc', PermissionType: 'Share' })).toThrow(expect.objectContaining({ name: 'InvalidDocument' }));
    });
  });
});
