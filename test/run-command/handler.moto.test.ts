import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { GetCommandInvocationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { OnEventRequest } from '../../src/private/provider-types';
import { isRunCommandComplete, onRunCommandEvent } from '../../src/run-command/handler';

// The handler's real SDK calls over HTTP, against moto's SSM server on 127.0.0.1 (started here, stopped after).
// moto finishes every command at once and lacks ListCommandInvocations and CancelCommand; the mocked tests cover
// the states and faults it can't show (testing.md §6).

const MOTO = path.join(__dirname, '..', '..', '.venv', 'bin', 'moto_server');
const available = fs.existsSync(MOTO);
if (!available && process.env.CI) {
  throw new Error(`moto_server is missing at ${MOTO}: run 'bash scripts/python-env.sh' (the test task does) to install it`);
}
const describeWithMoto = available ? describe : describe.skip;

let server: ChildProcess;
let endpoint: string;

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
      socket.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on 127.0.0.1:${port}`);
}

/** EC2 instances tagged Role=web, created through moto's EC2 API so that SSM can resolve tag targets. */
async function runTaggedInstances(count: number): Promise<string[]> {
  const body = new URLSearchParams({
    'Action': 'RunInstances',
    'Version': '2016-11-15',
    'ImageId': 'ami-12c6146b',
    'MinCount': String(count),
    'MaxCount': String(count),
    'TagSpecification.1.ResourceType': 'instance',
    'TagSpecification.1.Tag.1.Key': 'Role',
    'TagSpecification.1.Tag.1.Value': 'web',
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    body,
    headers: {
      // moto picks the service from the credential scope and does not check signatures.
      'Authorization': 'AWS4-HMAC-SHA256 Credential=testing/20261122/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
  });
  const xml = await response.text();
  return [...xml.matchAll(/<instanceId>([^<]+)<\/instanceId>/g)].map((match) => match[1]);
}

describeWithMoto('RunCommand handler against moto', () => {
  let ssm: SSMClient;

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitForPort(port, Date.now() + 20_000);
    ssm = new SSMClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 });
  }, 30_000);

  afterAll(async () => {
    ssm?.destroy();
    server?.kill();
  });

  beforeEach(async () => {
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  });

  test('sends a command to tagged nodes, polls it to Success and reads the output', async () => {
    // GIVEN
    const instances = await runTaggedInstances(2);
    const event: OnEventRequest = {
      RequestType: 'Create',
      RequestId: 'moto-request',
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
      LogicalResourceId: 'InstallAgent',
      ResourceType: 'Custom::SsmRunCommand',
      ResourceProperties: {
        Command: {
          DocumentName: 'AWS-RunShellScript',
          Parameters: { commands: ['echo installed'] },
          Targets: [{ Key: 'tag:Role', Values: ['web'] }],
          MaxConcurrency: '50%',
          MaxErrors: '0',
          Comment: 'install the agent',
          TimeoutSeconds: '600',
        },
        WaitSeconds: '600',
      },
    };

    // WHEN
    const created = await onRunCommandEvent(ssm, event);
    const again = await onRunCommandEvent(ssm, event);
    const done = await isRunCommandComplete(ssm, { ...event, PhysicalResourceId: created.PhysicalResourceId, Data: created.Data });

    // THEN
    expect(created.Data?.CommandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.Data?.CommandId).toBe(created.Data?.CommandId);
    expect(done).toEqual({
      IsComplete: true,
      Data: {
        CommandId: created.Data?.CommandId,
        Status: 'Success',
        StatusDetails: expect.any(String),
        TargetCount: '2',
        CompletedCount: '2',
        ErrorCount: '0',
        Output: '',
      },
    });
    const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId: created.Data?.CommandId, InstanceId: instances[0] }));
    expect(invocation.Status).toBe('Success');
  });
});
