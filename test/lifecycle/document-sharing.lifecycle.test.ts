import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { QUERY_INTERVAL_MS, Request, SimulatedCloudFormation } from './cloudformation';
import { SimulatedSsm } from './simulated-ssm';
import { CommandDocument, CommandStep } from '../../src';

// The sharing companion driven the way CloudFormation drives it, through the real entry points, against the simulated
// Systems Manager. CloudFormation's own create and delete of the document (the L1) are simulated by adding the
// document to the simulator and by calling DeleteDocument, which Systems Manager refuses while the document is shared.
// The companion refers to the document by name, so CloudFormation creates it after the document and deletes it
// before.

const DOCUMENT = 'Harden-Linux';
const SHARING = 'HardenSharing';
const TYPE = 'Custom::SsmDocumentSharing';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/LifecycleStack-HardenSharingHandlerRole-ABCDEFGHIJKL';

/** `count` account IDs from `first` on. */
function accounts(count: number, first = 200000000000): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i));
}

/** The companion's properties as the template gives them, with the document's name and the role's ARN resolved. */
function synthesize(sharedWithAccounts: string[], documentName = DOCUMENT): Record<string, any> {
  const stack = new Stack(new App(), 'LifecycleStack', { env: { account: '111111111111', region: 'us-east-1' } });
  new CommandDocument(stack, 'Harden', {
    documentName,
    steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh'] })],
    sharedWithAccounts,
  });
  const { ServiceToken, ...properties } = Object.values(Template.fromStack(stack).findResources(TYPE))[0].Properties;
  return { ...properties, DocumentName: documentName, RoleArn: ROLE_ARN };
}

/** CloudFormation deletes the document: DeleteDocument, which fails while the document is still shared. */
function cloudFormationDeletesDocument(simulated: SimulatedSsm, name = DOCUMENT): string {
  try {
    simulated.handle('DeleteDocument', { Name: name });
    return 'DELETE_COMPLETE';
  } catch (error) {
    return `DELETE_FAILED: ${(error as Error).name}`;
  }
}

const modifyCalls = (simulated: SimulatedSsm) => simulated.callsOf('ModifyDocumentPermission').map((call) => call.input);

let ssm: SimulatedSsm;
let cfn: SimulatedCloudFormation;

beforeEach(() => {
  ssm = new SimulatedSsm();
  cfn = new SimulatedCloudFormation(ssm);
  ssm.addDocument(DOCUMENT);
});

afterEach(() => jest.restoreAllMocks());

describe('document sharing companion', () => {
  test('create shares the default version with every account, 20 a call, from isComplete with its own role', async () => {
    // WHEN
    const response = await cfn.create(SHARING, TYPE, synthesize(accounts(45)));
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `sharing-${DOCUMENT}`, polls: 1 });
    expect(ssm.sharedWith(DOCUMENT)).toEqual(accounts(45));
    expect([...ssm.documents.get(DOCUMENT)!.shares.values()].every((version) => version === '$DEFAULT')).toBe(true);
    expect(modifyCalls(ssm).map((input) => input.AccountIdsToAdd.length)).toEqual([20, 20, 5]);
    expect(modifyCalls(ssm)[0]).toEqual({ Name: DOCUMENT, PermissionType: 'Share', AccountIdsToAdd: accounts(20), SharedDocumentVersion: '$DEFAULT' });
    expect(ssm.callsOf('DescribeDocumentPermission')).toHaveLength(1);
    expect(ssm.callsOf('AssumeRole').map((call) => call.input)).toEqual([expect.objectContaining({
      RoleArn: ROLE_ARN, RoleSessionName: 'cdk-ssm-ops-isComplete', Tags: [{ Key: 'cdk-ssm-ops:phase', Value: 'isComplete' }],
    })]);
  });

  test('an update adds the new accounts and removes the old ones, and calls for nothing else', async () => {
    // GIVEN
    await cfn.create(SHARING, TYPE, synthesize(accounts(30)));
    const before = ssm.calls.length;
    // WHEN: 5 accounts leave, 25 join
    const wanted = [...accounts(25, 200000000005), ...accounts(25, 300000000000)];
    const response = await cfn.update(SHARING, synthesize(wanted));
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `sharing-${DOCUMENT}` });
    expect(ssm.sharedWith(DOCUMENT)).toEqual([...wanted].sort());
    const calls = ssm.calls.slice(before).filter((call) => call.operation === 'ModifyDocumentPermission').map((call) => call.input);
    // Removals first, so that a list at the quota can change; then the additions, 20 a call.
    expect(calls).toEqual([
      { Name: DOCUMENT, PermissionType: 'Share', AccountIdsToRemove: accounts(5) },
      expect.objectContaining({ AccountIdsToAdd: accounts(20, 300000000000) }),
      expect.objectContaining({ AccountIdsToAdd: accounts(5, 300000000020) }),
    ]);
  });

  test('a reordered list writes the same template, so CloudFormation sends no update at all', () => {
    const ids = accounts(30);
    expect(synthesize([...ids].reverse())).toEqual(synthesize(ids));
  });

  test('an update whose accounts resolve to the same set in another order reads once and changes nothing', async () => {
    // GIVEN: a list known only at deploy time (a list token), which CloudFormation passes in its own order
    await cfn.create(SHARING, TYPE, { ...synthesize(accounts(30)), AccountIds: accounts(30) });
    const before = ssm.calls.length;
    // WHEN
    const response = await cfn.update(SHARING, { ...synthesize(accounts(30)), AccountIds: [...accounts(30)].reverse() });
    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(ssm.calls.slice(before).map((call) => call.operation)).toEqual(['DescribeDocumentPermission']);
  });

  test('the rollback of an update that failed halfway shares the document with exactly the accounts it had', async () => {
    // GIVEN: shared with 10 accounts, in an account whose quota is 30
    const old = accounts(10);
    await cfn.create(SHARING, TYPE, synthesize(old));
    ssm.shareLimit = 30;
    // WHEN: the update removes 5 and adds 30; the second batch of additions goes over the quota
    const failedList = [...accounts(5, 200000000005), ...accounts(30, 300000000000)];
    const failed = await cfn.update(SHARING, synthesize(failedList));
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/^could not share document Harden-Linux with its 35 accounts \(DocumentPermissionLimit: .*\)\. Systems Manager shares a document with at most 1,000 accounts/);
    // Halfway: the removals and the first batch of additions were applied.
    expect(ssm.sharedWith(DOCUMENT)).toHaveLength(25);
    // ... and CloudFormation rolls back: an update to the old properties
    const rollback = await cfn.update(SHARING, synthesize(old));
    // THEN
    expect(rollback.Status).toBe('SUCCESS');
    expect(ssm.sharedWith(DOCUMENT)).toEqual(old);
  });

  test('the rollback of a create that failed halfway stops sharing, so that CloudFormation can delete the document', async () => {
    // GIVEN: a quota of 30 accounts, and 45 to share: the second batch is refused
    ssm.shareLimit = 30;
    const failed = await cfn.create(SHARING, TYPE, synthesize(accounts(45)));
    expect(failed).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `sharing-${DOCUMENT}` });
    expect(ssm.sharedWith(DOCUMENT)).toHaveLength(20);
    // WHEN: CloudFormation rolls the create back: it deletes the companion, then the document
    const rollback = await cfn.delete(SHARING);
    // THEN
    expect(rollback.Status).toBe('SUCCESS');
    expect(ssm.sharedWith(DOCUMENT)).toEqual([]);
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_COMPLETE');
  });

  test('the rollback of an update throttled past its deadline after its first call converges on the old accounts', async () => {
    // GIVEN
    const old = accounts(10);
    await cfn.create(SHARING, TYPE, synthesize(old));
    // WHEN: the update's second call and the following ones are throttled for 11 minutes; it fails after 10
    ssm.fail({ operation: 'ModifyDocumentPermission', error: 'ThrottlingException', untilMs: ssm.now + 11 * 60_000, afterCalls: 1 });
    const failed = await cfn.update(SHARING, synthesize(accounts(50, 300000000000)));
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/^could not share document Harden-Linux with its 50 accounts for 10 minutes \(ThrottlingException: /);
    expect(failed.bytes).toBeLessThanOrEqual(4096);
    const rollback = await cfn.update(SHARING, synthesize(old));
    // THEN
    expect(rollback.Status).toBe('SUCCESS');
    expect(ssm.sharedWith(DOCUMENT)).toEqual(old);
  });

  test('a poll throttled halfway through 1,000 accounts resumes where it stopped: 50 calls in all', async () => {
    // GIVEN: after 30 calls, 3 are throttled (after the SDK's own retries)
    ssm.fail({ operation: 'ModifyDocumentPermission', error: 'ThrottlingException', times: 3, afterCalls: 30 });
    // WHEN
    const response = await cfn.create(SHARING, TYPE, synthesize(accounts(1000)));
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', polls: 4 });
    expect(ssm.sharedWith(DOCUMENT)).toEqual(accounts(1000));
    expect(ssm.callsOf('ModifyDocumentPermission')).toHaveLength(50);
    // Each poll reads the document's sharing again: 5 pages of 200 once the accounts are there.
    expect(ssm.callsOf('DescribeDocumentPermission').length).toBeLessThanOrEqual(4 * 5);
  });

  test('onEvent retried by Lambda shares once', async () => {
    const response = (await (await cfn.start('Create', SHARING, { resourceType: TYPE, properties: synthesize(accounts(3)), onEventTimes: 2 })).complete());
    expect(response.Status).toBe('SUCCESS');
    expect(ssm.sharedWith(DOCUMENT)).toEqual(accounts(3));
    expect(ssm.callsOf('ModifyDocumentPermission')).toHaveLength(1);
  });

  test('delete stops sharing before CloudFormation deletes the document, which then succeeds', async () => {
    // GIVEN: shared with 45 accounts, and with one more outside the stack
    await cfn.create(SHARING, TYPE, synthesize(accounts(45)));
    ssm.handle('ModifyDocumentPermission', { Name: DOCUMENT, PermissionType: 'Share', AccountIdsToAdd: ['999999999999'] });
    // A shared document can't be deleted: the order CloudFormation follows (the companion first) matters.
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_FAILED: InvalidDocumentOperation');
    // WHEN: the stack is deleted, the companion first
    const response = await cfn.delete(SHARING);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `sharing-${DOCUMENT}`, polls: 1 });
    expect(ssm.sharedWith(DOCUMENT)).toEqual([]);
    expect(modifyCalls(ssm).slice(-3).map((input) => input.AccountIdsToRemove.length)).toEqual([20, 20, 6]);
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_COMPLETE');
  });

  test('a delete whose document is gone completes', async () => {
    await cfn.create(SHARING, TYPE, synthesize(accounts(3)));
    ssm.documents.delete(DOCUMENT);
    expect(await cfn.delete(SHARING)).toMatchObject({ Status: 'SUCCESS', polls: 1 });
  });

  test('a new document name replaces the companion; the cleanup\'s delete of the old one meets its document gone, or shared', async () => {
    // GIVEN
    const old = synthesize(accounts(3));
    await cfn.create(SHARING, TYPE, old);
    // WHEN: the document is renamed, which replaces it: CloudFormation creates the new document, updates the companion ...
    ssm.addDocument('Harden-Linux-2');
    const updated = await cfn.update(SHARING, synthesize(accounts(3), 'Harden-Linux-2'));
    // THEN: a new physical ID, so CloudFormation deletes the old companion in its cleanup
    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'sharing-Harden-Linux-2' });
    expect(ssm.sharedWith('Harden-Linux-2')).toEqual(accounts(3));
    // The cleanup deletes the old physical resource with its old properties. The harness keys what CloudFormation
    // knows by logical ID, so the old resource is kept under a key of its own, and the new one stays as it is.
    const cleanup = (document: Record<string, any>) => {
      const key = `${SHARING}(old)`;
      cfn.resources.set(key, { logicalId: key, resourceType: TYPE, properties: document, physicalId: `sharing-${DOCUMENT}` });
      return new Request(cfn, {
        RequestType: 'Delete',
        RequestId: 'cleanup',
        StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/LifecycleStack/1',
        LogicalResourceId: key,
        ResourceType: TYPE,
        PhysicalResourceId: `sharing-${DOCUMENT}`,
        ResourceProperties: { ServiceToken: 'token', ...document },
      }).start().then((request) => request.complete());
    };
    // The old companion is deleted before the old document, and stops sharing it; the old document then goes.
    expect(await cleanup(old)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `sharing-${DOCUMENT}` });
    expect(ssm.sharedWith(DOCUMENT)).toEqual([]);
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_COMPLETE');
    // Had the old document gone first, the old companion's delete would still complete.
    expect(await cleanup(old)).toMatchObject({ Status: 'SUCCESS', polls: 1 });
    expect(ssm.sharedWith('Harden-Linux-2')).toEqual(accounts(3));
  });

  test('a rename rolled back: the cleanup\'s delete stops sharing the document its physical ID names, whatever properties it carries', async () => {
    // GIVEN: the document renamed, and the companion updated to the new name
    const old = synthesize(accounts(3));
    await cfn.create(SHARING, TYPE, old);
    ssm.addDocument('Harden-Linux-2');
    await cfn.update(SHARING, synthesize(accounts(3), 'Harden-Linux-2'));
    // WHEN: a later resource fails; the rollback updates the companion back to the old name (its old physical ID) ...
    const rolledBack = await cfn.update(SHARING, old);
    expect(rolledBack).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `sharing-${DOCUMENT}` });
    // ... and the cleanup deletes the companion of the new name, here with the rolled-back (old) properties
    const key = `${SHARING}(new)`;
    cfn.resources.set(key, { logicalId: key, resourceType: TYPE, properties: old, physicalId: 'sharing-Harden-Linux-2' });
    const cleanup = await new Request(cfn, {
      RequestType: 'Delete',
      RequestId: 'cleanup',
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/LifecycleStack/1',
      LogicalResourceId: key,
      ResourceType: TYPE,
      PhysicalResourceId: 'sharing-Harden-Linux-2',
      ResourceProperties: { ServiceToken: 'token', ...old },
    }).start().then((request) => request.complete());
    // THEN: the document that stays is still shared, and the new one, unshared, can be deleted
    expect(cleanup).toMatchObject({ Status: 'SUCCESS' });
    expect(ssm.sharedWith(DOCUMENT)).toEqual(accounts(3));
    expect(ssm.sharedWith('Harden-Linux-2')).toEqual([]);
    expect(cloudFormationDeletesDocument(ssm, 'Harden-Linux-2')).toBe('DELETE_COMPLETE');
  });

  test('a delete while Systems Manager throttles completes once a call gets through', async () => {
    await cfn.create(SHARING, TYPE, synthesize(accounts(3)));
    ssm.fail({ operation: 'DescribeDocumentPermission', error: 'ThrottlingException', times: 3 });
    ssm.fail({ operation: 'ModifyDocumentPermission', error: 'InternalServerError', times: 2 });
    const response = await cfn.delete(SHARING);
    expect(response).toMatchObject({ Status: 'SUCCESS', polls: 6 });
    expect(ssm.sharedWith(DOCUMENT)).toEqual([]);
  });

  test('a delete still throttled 10 minutes after the request fails, saying what to do, within CloudFormation\'s 4,096 bytes', async () => {
    // GIVEN
    await cfn.create(SHARING, TYPE, synthesize(accounts(3)));
    // WHEN
    ssm.fail({ operation: 'ModifyDocumentPermission', error: 'ThrottlingException', untilMs: ssm.now + 15 * 60_000 });
    const started = ssm.now;
    const response = await cfn.delete(SHARING);
    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.at - started).toBe(10 * 60_000);
    expect(response.polls).toBe(10 * 60_000 / QUERY_INTERVAL_MS + 1);
    expect(response.Reason).toMatch(new RegExp('^could not stop sharing document Harden-Linux for 10 minutes \\(ThrottlingException: .*\\)\\. '
      + 'The document may still be shared with some accounts, and Systems Manager refuses to delete a shared document: .* or retry the delete, which is safe'));
    expect(response.bytes).toBeLessThanOrEqual(4096);
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_FAILED: InvalidDocumentOperation');
    // Deleting the stack again, once Systems Manager answers, succeeds.
    ssm.advance(5 * 60_000);
    expect((await cfn.delete(SHARING)).Status).toBe('SUCCESS');
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_COMPLETE');
  });

  test('IAM propagation: the new role refused for its first minute, and then Systems Manager for 30 seconds more', async () => {
    ssm.roleUsableAt.set(ROLE_ARN, ssm.now + 60_000);
    ssm.fail({ operation: 'DescribeDocumentPermission', error: 'AccessDeniedException', untilMs: ssm.now + 90_000 });
    const response = await cfn.create(SHARING, TYPE, synthesize(accounts(3)));
    expect(response).toMatchObject({ Status: 'SUCCESS', polls: 90_000 / QUERY_INTERVAL_MS + 1 });
    expect(ssm.sharedWith(DOCUMENT)).toEqual(accounts(3));
  });

  test('a role still refused 2 minutes after the request fails the create, naming the role', async () => {
    ssm.roleUsableAt.set(ROLE_ARN, ssm.now + 60 * 60_000);
    const response = await cfn.create(SHARING, TYPE, synthesize(accounts(3)));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(`The companion's role ${ROLE_ARN} is still refused 2 minutes after the request`);
    expect(ssm.sharedWith(DOCUMENT)).toEqual([]);
  });

  test('scale: 1,000 accounts take 50 calls to share, 2 to change 20 of them, and 50 to stop sharing', async () => {
    const created = await cfn.create(SHARING, TYPE, synthesize(accounts(1000)));
    const afterCreate = ssm.calls.length;
    const changed = [...accounts(980, 200000000020), ...accounts(20, 300000000000)];
    const updated = await cfn.update(SHARING, synthesize(changed));
    const afterUpdate = ssm.calls.length;
    const deleted = await cfn.delete(SHARING);
    const count = (from: number, to: number, operation: string) => ssm.calls.slice(from, to).filter((call) => call.operation === operation).length;
    expect([created.Status, updated.Status, deleted.Status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    // Reads: one page before sharing; 5 pages of 200 once 1,000 are shared.
    expect([count(0, afterCreate, 'ModifyDocumentPermission'), count(0, afterCreate, 'DescribeDocumentPermission')]).toEqual([50, 1]);
    expect([count(afterCreate, afterUpdate, 'ModifyDocumentPermission'), count(afterCreate, afterUpdate, 'DescribeDocumentPermission')]).toEqual([2, 5]);
    expect([count(afterUpdate, ssm.calls.length, 'ModifyDocumentPermission'), count(afterUpdate, ssm.calls.length, 'DescribeDocumentPermission')]).toEqual([50, 5]);
    // The properties CloudFormation carries for 1,000 accounts.
    expect(JSON.stringify(synthesize(accounts(1000))).length).toBeLessThan(20_000);
    expect(cloudFormationDeletesDocument(ssm)).toBe('DELETE_COMPLETE');
  });
});
