import { DescribeDocumentPermissionCommand, ModifyDocumentPermissionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ACCOUNTS_PER_CALL, POLL_BUDGET_MS, SHARING_DEADLINE_MS, isDocumentSharingComplete, onDocumentSharingEvent, plan, wantedAccounts,
} from '../../src/document/sharing-handler';
import { MAX_RESPONSE_BYTES } from '../../src/private/handler-errors';
import { IsCompleteRequest, OnEventRequest } from '../../src/private/provider-types';

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1' });
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/S-DocSharingHandlerRole-ABC';
const START = Date.parse('2026-11-22T10:00:00Z');
const NAME = 'Harden-Linux';

function ids(count: number, first = 200000000000): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i));
}

/** An isComplete request of the companion, as the Provider framework sends it after onEvent answered at START. */
function event(accountIds: unknown, overrides: Partial<IsCompleteRequest> = {}): IsCompleteRequest {
  return {
    RequestType: 'Create',
    RequestId: 'r',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
    LogicalResourceId: 'DocSharing',
    ResourceType: 'Custom::SsmDocumentSharing',
    PhysicalResourceId: `sharing-${NAME}`,
    ResourceProperties: { DocumentName: NAME, AccountIds: accountIds, SharedDocumentVersion: '$DEFAULT', RoleArn: ROLE_ARN },
    Data: { RequestStart: String(START) },
    ...overrides,
  };
}

function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $metadata: { httpStatusCode } });
}

/** DescribeDocumentPermission answers with these shares, by pages of MaxResults. */
function sharedWith(shares: Record<string, string>) {
  const entries = Object.entries(shares);
  ssm.on(DescribeDocumentPermissionCommand).callsFake((input) => {
    const start = Number(input.NextToken ?? 0);
    const page = entries.slice(start, start + input.MaxResults);
    return {
      AccountIds: page.map(([id]) => id),
      AccountSharingInfoList: page.map(([id, version]) => ({ AccountId: id, SharedDocumentVersion: version })),
      NextToken: start + input.MaxResults < entries.length ? String(start + input.MaxResults) : undefined,
    };
  });
}

const modifyInputs = () => ssm.commandCalls(ModifyDocumentPermissionCommand).map((call) => call.args[0].input);

beforeEach(() => ssm.reset());
afterEach(() => jest.restoreAllMocks());

describe('onEvent', () => {
  const request = (type: 'Create' | 'Update' | 'Delete', name: string, physicalId?: string) => ({
    ...event([]), RequestType: type, PhysicalResourceId: physicalId, ResourceProperties: { ...event([]).ResourceProperties, DocumentName: name },
  }) as unknown as OnEventRequest;

  test('names the document in the physical ID, so that a new document replaces the companion; a delete keeps its own', async () => {
    expect(await onDocumentSharingEvent(request('Create', NAME), START)).toEqual({ PhysicalResourceId: `sharing-${NAME}`, Data: { RequestStart: String(START) } });
    expect((await onDocumentSharingEvent(request('Update', NAME, `sharing-${NAME}`))).PhysicalResourceId).toBe(`sharing-${NAME}`);
    expect((await onDocumentSharingEvent(request('Update', 'Other', `sharing-${NAME}`))).PhysicalResourceId).toBe('sharing-Other');
    expect((await onDocumentSharingEvent(request('Delete', 'Other', `sharing-${NAME}`))).PhysicalResourceId).toBe(`sharing-${NAME}`);
    // onEvent makes no call: the work is isComplete's.
    expect(ssm.calls()).toHaveLength(0);
  });
});

describe('plan', () => {
  test('removes what is not wanted (a public share and accounts shared outside the stack too), adds what is missing', () => {
    const shared = new Map<string, string | undefined>([['all', '$DEFAULT'], ['222222222222', '$DEFAULT'], ['999999999999', '$DEFAULT']]);
    expect(plan(shared, ['222222222222', '333333333333'], '$DEFAULT')).toEqual({ remove: ['999999999999', 'all'], add: ['333333333333'] });
  });

  test('shares again with an account given another version, and not with one whose version is not reported or not comparable', () => {
    const shared = new Map<string, string | undefined>([['222222222222', '$LATEST'], ['333333333333', undefined], ['444444444444', '3']]);
    expect(plan(shared, ['222222222222', '333333333333', '444444444444'], '$DEFAULT')).toEqual({ remove: [], add: ['222222222222'] });
  });

  test('wanted accounts are deduplicated and sorted, whatever order a list token resolved to, without empty values', () => {
    expect(wantedAccounts(['333333333333', '222222222222', '333333333333'])).toEqual(['222222222222', '333333333333']);
    expect(wantedAccounts([''])).toEqual([]);
    expect(wantedAccounts([' 222222222222'])).toEqual(['222222222222']);
    expect(wantedAccounts(undefined)).toEqual([]);
  });
});

describe('isComplete', () => {
  test('create: reads every page, removes first, then adds 20 a call with the version', async () => {
    // GIVEN: shared with 410 accounts, 10 of which are not wanted (3 pages of 200)
    sharedWith(Object.fromEntries([...ids(400), ...ids(10, 900000000000)].map((id) => [id, '$DEFAULT'])));
    ssm.on(ModifyDocumentPermissionCommand).resolves({});
    // WHEN: 400 kept, 45 added
    const result = await isDocumentSharingComplete(client, event([...ids(400), ...ids(45, 300000000000)]), START);
    // THEN
    expect(result).toEqual({ IsComplete: true });
    expect(ssm.commandCalls(DescribeDocumentPermissionCommand).map((call) => call.args[0].input)).toEqual([
      { Name: NAME, PermissionType: 'Share', MaxResults: 200, NextToken: undefined },
      { Name: NAME, PermissionType: 'Share', MaxResults: 200, NextToken: '200' },
      { Name: NAME, PermissionType: 'Share', MaxResults: 200, NextToken: '400' },
    ]);
    expect(modifyInputs()).toEqual([
      { Name: NAME, PermissionType: 'Share', AccountIdsToRemove: ids(10, 900000000000) },
      { Name: NAME, PermissionType: 'Share', AccountIdsToAdd: ids(20, 300000000000), SharedDocumentVersion: '$DEFAULT' },
      { Name: NAME, PermissionType: 'Share', AccountIdsToAdd: ids(20, 300000000020), SharedDocumentVersion: '$DEFAULT' },
      { Name: NAME, PermissionType: 'Share', AccountIdsToAdd: ids(5, 300000000040), SharedDocumentVersion: '$DEFAULT' },
    ]);
    expect(modifyInputs().every((input) => (input.AccountIdsToAdd ?? input.AccountIdsToRemove)!.length <= ACCOUNTS_PER_CALL)).toBe(true);
  });

  test('1,000 accounts: 50 calls of 20', async () => {
    sharedWith({});
    ssm.on(ModifyDocumentPermissionCommand).resolves({});
    expect(await isDocumentSharingComplete(client, event(ids(1000)), START)).toEqual({ IsComplete: true });
    expect(modifyInputs()).toHaveLength(50);
    expect(new Set(modifyInputs().flatMap((input) => input.AccountIdsToAdd)).size).toBe(1000);
  });

  test('an update whose accounts are all shared makes no change', async () => {
    sharedWith({ 222222222222: '$DEFAULT', 333333333333: '$DEFAULT' });
    const result = await isDocumentSharingComplete(client, event(['333333333333', '222222222222'], { RequestType: 'Update' }), START);
    expect(result).toEqual({ IsComplete: true });
    expect(modifyInputs()).toEqual([]);
  });

  test('delete stops sharing with every account the document is shared with', async () => {
    sharedWith({ 222222222222: '$DEFAULT', 999999999999: '$DEFAULT' });
    ssm.on(ModifyDocumentPermissionCommand).resolves({});
    expect(await isDocumentSharingComplete(client, event(['222222222222'], { RequestType: 'Delete' }), START)).toEqual({ IsComplete: true });
    expect(modifyInputs()).toEqual([{ Name: NAME, PermissionType: 'Share', AccountIdsToRemove: ['222222222222', '999999999999'] }]);
  });

  test('delete of a document that is gone completes', async () => {
    ssm.on(DescribeDocumentPermissionCommand).rejects(awsError('InvalidDocument'));
    expect(await isDocumentSharingComplete(client, event(['222222222222'], { RequestType: 'Delete' }), START)).toEqual({ IsComplete: true });
  });

  test('create on a document that is gone fails, naming it', async () => {
    ssm.on(DescribeDocumentPermissionCommand).rejects(awsError('InvalidDocument'));
    await expect(isDocumentSharingComplete(client, event(['222222222222']), START)).rejects.toThrow(
      /^could not share document Harden-Linux with its 1 account \(InvalidDocument: InvalidDocument: simulated\)\. The document may be shared/);
  });

  test.each(['ThrottlingException', 'InternalServerError'])('%s is tried again at the next poll, until 10 minutes after the request', async (name) => {
    sharedWith({});
    ssm.on(ModifyDocumentPermissionCommand).rejects(awsError(name, name === 'InternalServerError' ? 500 : 400));
    expect(await isDocumentSharingComplete(client, event(['222222222222']), START + SHARING_DEADLINE_MS - 1)).toEqual({ IsComplete: false });
    await expect(isDocumentSharingComplete(client, event(['222222222222']), START + SHARING_DEADLINE_MS)).rejects.toThrow(
      new RegExp(`^could not share document Harden-Linux with its 1 account for 10 minutes \\(${name}: `));
  });

  test('AccessDenied is tried again for 2 minutes, then fails naming the role', async () => {
    ssm.on(DescribeDocumentPermissionCommand).rejects(awsError('AccessDeniedException', 403));
    expect(await isDocumentSharingComplete(client, event(['222222222222']), START + 119_000)).toEqual({ IsComplete: false });
    await expect(isDocumentSharingComplete(client, event(['222222222222']), START + 120_000)).rejects.toThrow(
      `The companion's role ${ROLE_ARN} is still refused 2 minutes after the request`);
  });

  test('DocumentPermissionLimit fails at once, with the quota', async () => {
    sharedWith({});
    ssm.on(ModifyDocumentPermissionCommand).rejects(awsError('DocumentPermissionLimit'));
    await expect(isDocumentSharingComplete(client, event(ids(3)), START)).rejects.toThrow(
      'Systems Manager shares a document with at most 1,000 accounts unless AWS Support raises the quota, and takes at most 20 a call.');
  });

  test('a poll stops calling when its time budget has passed, and the next one goes on', async () => {
    // GIVEN: each call takes 10 seconds
    let clock = START;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    sharedWith({});
    ssm.on(ModifyDocumentPermissionCommand).callsFake(() => {
      clock += 10_000;
      return {};
    });
    // WHEN
    const result = await isDocumentSharingComplete(client, event(ids(200)), START);
    // THEN
    expect(result).toEqual({ IsComplete: false });
    expect(modifyInputs()).toHaveLength(POLL_BUDGET_MS / 10_000);
  });

  test.each([
    [['All'], "'All'"],
    [['222222222222', '12345'], "'12345'"],
  ])('fails before any call when the accounts resolved at deploy time are %j', async (accounts, shown) => {
    await expect(isDocumentSharingComplete(client, event(accounts), START)).rejects.toThrow(
      `could not share document Harden-Linux: sharedWithAccounts resolved to ${shown}, which is not 12-digit AWS account IDs; public sharing (All) is not offered.`);
    expect(ssm.calls()).toHaveLength(0);
  });

  test('a failure fits CloudFormation\'s 4,096 bytes whatever the error says', async () => {
    sharedWith({});
    ssm.on(ModifyDocumentPermissionCommand).rejects(Object.assign(awsError('ValidationException'), { message: 'x\n'.repeat(5000) }));
    const failure = await isDocumentSharingComplete(client, event(ids(3)), START).catch((error) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect(Buffer.byteLength(JSON.stringify({ Reason: (failure as Error).message }), 'utf8')).toBeLessThan(MAX_RESPONSE_BYTES);
    expect((failure as Error).message).toMatch(/…\[truncated\]$/);
  });
});
