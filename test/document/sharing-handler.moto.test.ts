import { CreateDocumentCommand, DeleteDocumentCommand, DescribeDocumentPermissionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isDocumentSharingComplete } from '../../src/document/sharing-handler';
import { IsCompleteRequest } from '../../src/private/provider-types';
import { TEST_BUDGET_MS, describeWithMoto, useMotoServer } from '../moto-server';

// The sharing handler's real SDK calls over HTTP, against moto's SSM server on 127.0.0.1 (test/moto-server.ts).
// moto shares and unshares, refuses to delete a shared document, and answers DescribeDocumentPermission in one page; it does not enforce the 20 accounts a call or the
// quota, which the simulator and the mocked tests cover.
const NAME = 'Harden-Linux';

function ids(count: number, first = 200000000000): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i));
}

function event(requestType: 'Create' | 'Update' | 'Delete', accountIds: string[]): IsCompleteRequest {
  return {
    RequestType: requestType,
    RequestId: 'moto-request',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
    LogicalResourceId: 'HardenSharing',
    ResourceType: 'Custom::SsmDocumentSharing',
    PhysicalResourceId: `sharing-${NAME}`,
    ResourceProperties: { DocumentName: NAME, AccountIds: accountIds, SharedDocumentVersion: '$DEFAULT', RoleArn: 'arn:aws:iam::111111111111:role/r' },
    Data: { RequestStart: String(Date.now()) },
  };
}

describeWithMoto('document sharing handler against moto', () => {
  const moto = useMotoServer();
  let ssm: SSMClient;
  beforeAll(() => {
    ssm = moto().ssm;
  });

  const sharedWith = async () => {
    const { AccountSharingInfoList: infos } = await ssm.send(new DescribeDocumentPermissionCommand({ Name: NAME, PermissionType: 'Share' }));
    return (infos ?? []).map((info) => `${info.AccountId} ${info.SharedDocumentVersion}`).sort();
  };

  test('shares, changes and stops sharing a document over HTTP; the document can be deleted only then', async () => {
    // GIVEN
    await ssm.send(new CreateDocumentCommand({
      Name: NAME,
      DocumentType: 'Command',
      Content: JSON.stringify({ schemaVersion: '2.2', mainSteps: [{ action: 'aws:runShellScript', name: 'apply', inputs: { runCommand: ['true'] } }] }),
    }));
    // WHEN / THEN: create
    expect(await isDocumentSharingComplete(ssm, event('Create', ids(45)))).toEqual({ IsComplete: true });
    expect(await sharedWith()).toEqual(ids(45).map((id) => `${id} $DEFAULT`));
    // update: 5 leave, 3 join
    const wanted = [...ids(40, 200000000005), ...ids(3, 300000000000)];
    expect(await isDocumentSharingComplete(ssm, event('Update', wanted))).toEqual({ IsComplete: true });
    expect(await sharedWith()).toEqual(wanted.map((id) => `${id} $DEFAULT`).sort());
    // a shared document can't be deleted
    await expect(ssm.send(new DeleteDocumentCommand({ Name: NAME }))).rejects.toMatchObject({ name: 'InvalidDocumentOperation' });
    // delete
    expect(await isDocumentSharingComplete(ssm, event('Delete', wanted))).toEqual({ IsComplete: true });
    expect(await sharedWith()).toEqual([]);
    await ssm.send(new DeleteDocumentCommand({ Name: NAME }));
    // a delete whose document is gone completes
    expect(await isDocumentSharingComplete(ssm, event('Delete', wanted))).toEqual({ IsComplete: true });
  }, TEST_BUDGET_MS);
});
