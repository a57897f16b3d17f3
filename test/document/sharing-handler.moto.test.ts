import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { CreateDocumentCommand, DeleteDocumentCommand, DescribeDocumentPermissionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isDocumentSharingComplete } from '../../src/document/sharing-handler';
import { IsCompleteRequest } from '../../src/private/provider-types';

// The sharing handler's real SDK calls over HTTP, against moto's SSM server on 127.0.0.1 (started here, stopped
// after), as test/run-command/handler.moto.test.ts starts it. moto shares and unshares, refuses to delete a shared
// document, and answers DescribeDocumentPermission in one page; it does not enforce the 20 accounts a call or the
// quota, which the simulator and the mocked tests cover.
const SERVER_START_MS = 45_000;
const HTTP_TIMEOUT_MS = 10_000;
const HOOK_BUDGET_MS = 60_000;
const TEST_BUDGET_MS = 120_000;

const MOTO = path.join(__dirname, '..', '..', '.venv', 'bin', 'moto_server');
const available = fs.existsSync(MOTO);
if (!available && process.env.CI) {
  throw new Error(`moto_server is missing at ${MOTO}: run 'bash scripts/python-env.sh' (the test task does) to install it`);
}
const describeWithMoto = available ? describe : describe.skip;
const NAME = 'Harden-Linux';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.setTimeout(1_000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on 127.0.0.1:${port}`);
}

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
  let server: ChildProcess;
  let endpoint: string;
  let ssm: SSMClient;

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitForPort(port, Date.now() + SERVER_START_MS);
    ssm = new SSMClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 2,
      requestHandler: { connectionTimeout: HTTP_TIMEOUT_MS, requestTimeout: HTTP_TIMEOUT_MS },
    });
  }, HOOK_BUDGET_MS);

  afterAll(async () => {
    ssm?.destroy();
    if (server && server.exitCode === null) {
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill();
      await Promise.race([exited, new Promise((resolve) => {
        timer = setTimeout(resolve, 10_000);
      })]);
      clearTimeout(timer);
    }
  }, HOOK_BUDGET_MS);

  beforeEach(async () => {
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  }, HOOK_BUDGET_MS);

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
