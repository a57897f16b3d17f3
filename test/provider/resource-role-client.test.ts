import { DescribeInstanceInformationCommand, GetCommandInvocationCommand, ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { HandlerPhase } from '../../src/provider/phases';
import { REFRESH_BEFORE_MS, resourceRoleCredentials, resourceRoleSsm } from '../../src/provider/resource-role-client';

process.env.AWS_REGION = 'us-east-1';
const sts = mockClient(STSClient);
const START = Date.parse('2026-11-22T10:00:00Z');
let now = START;
let roles = 0;

/** A role of its own for each test: the module keeps credentials for the life of the function, as Lambda does. */
function newRoleArn(): string {
  return `arn:aws:iam::111111111111:role/cdk-ssm-ops/Stack-InstallHandlerRole${++roles}-ABCDEF`;
}

function event(roleArn?: string) {
  return { ResourceProperties: roleArn === undefined ? {} : { RoleArn: roleArn } };
}

function assumed(expiresInMs = 3600 * 1000, id = 'ASIAEXAMPLE') {
  return { Credentials: { AccessKeyId: id, SecretAccessKey: 'secret', SessionToken: `token-${id}`, Expiration: new Date(now + expiresInMs) } };
}

function accessDenied(): Error {
  return Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
}

beforeEach(() => {
  sts.reset();
  now = START;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});

describe('with SSM answering', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => {
    ssm.reset();
    ssm.on(ListCommandsCommand).resolves({ Commands: [] });
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success' });
  });
  afterAll(() => ssm.restore());

  test('assumes the resource\'s role for an hour, with a session named after the phase and tagged with it', async () => {
    // GIVEN
    const roleArn = newRoleArn();
    sts.on(AssumeRoleCommand).resolves(assumed());
    // WHEN
    await resourceRoleSsm(event(roleArn), HandlerPhase.IS_COMPLETE).send(new ListCommandsCommand({}));
    // THEN
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([{
      RoleArn: roleArn,
      RoleSessionName: 'cdk-ssm-ops-isComplete',
      DurationSeconds: 3600,
      Tags: [{ Key: 'cdk-ssm-ops:phase', Value: 'isComplete' }],
    }]);
    expect(ssm.commandCalls(ListCommandsCommand)).toHaveLength(1);
  });

  test('one AssumeRole serves the calls of several invocations of a warm function', async () => {
    // GIVEN
    const roleArn = newRoleArn();
    sts.on(AssumeRoleCommand).resolves(assumed());
    // WHEN: 20 polls, 5 seconds apart, of two calls each
    for (let poll = 0; poll < 20; poll++) {
      const client = resourceRoleSsm(event(roleArn), HandlerPhase.IS_COMPLETE);
      await client.send(new ListCommandsCommand({}));
      await client.send(new GetCommandInvocationCommand({ CommandId: 'c', InstanceId: 'i-1' }));
      now += 5000;
    }
    // THEN
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(ssm.calls()).toHaveLength(40);
  });

  test('each phase has its own session, tagged with its phase', async () => {
    // GIVEN
    const roleArn = newRoleArn();
    sts.on(AssumeRoleCommand).resolves(assumed());
    // WHEN
    for (const phase of [HandlerPhase.ON_EVENT, HandlerPhase.IS_COMPLETE, HandlerPhase.IS_COMPLETE, HandlerPhase.ON_EVENT]) {
      await resourceRoleSsm(event(roleArn), phase).send(new ListCommandsCommand({}));
    }
    // THEN
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => [call.args[0].input.RoleSessionName, call.args[0].input.Tags])).toEqual([
      ['cdk-ssm-ops-onEvent', [{ Key: 'cdk-ssm-ops:phase', Value: 'onEvent' }]],
      ['cdk-ssm-ops-isComplete', [{ Key: 'cdk-ssm-ops:phase', Value: 'isComplete' }]],
    ]);
  });

  test('assumes the role again 5 minutes before the credentials expire', async () => {
    // GIVEN
    const roleArn = newRoleArn();
    const credentials = resourceRoleCredentials(roleArn, HandlerPhase.IS_COMPLETE);
    sts.on(AssumeRoleCommand).resolvesOnce(assumed(3600 * 1000, 'ASIAFIRST')).resolves(assumed(3600 * 1000, 'ASIASECOND'));
    // WHEN
    const first = await credentials();
    now = START + 3600 * 1000 - REFRESH_BEFORE_MS - 1;
    const stillFirst = await credentials();
    now += 1;
    const second = await credentials();
    // THEN
    expect([first.accessKeyId, stillFirst.accessKeyId, second.accessKeyId]).toEqual(['ASIAFIRST', 'ASIAFIRST', 'ASIASECOND']);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  test('an AccessDenied from STS is the error of the SSM call, and the next call assumes the role again', async () => {
    // GIVEN: a role that IAM has not propagated yet
    const roleArn = newRoleArn();
    sts.on(AssumeRoleCommand).rejectsOnce(accessDenied()).resolves(assumed());
    const client = resourceRoleSsm(event(roleArn), HandlerPhase.ON_EVENT);
    // WHEN
    const refused = client.send(new ListCommandsCommand({}));
    // THEN
    await expect(refused).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(ssm.calls()).toHaveLength(0);
    await expect(resourceRoleSsm(event(roleArn), HandlerPhase.ON_EVENT).send(new ListCommandsCommand({}))).resolves.toEqual({ Commands: [] });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  test('a request without RoleArn, from a resource of an earlier version, is served with the function\'s own credentials', async () => {
    // WHEN
    const client = resourceRoleSsm(event(), HandlerPhase.ON_EVENT);
    await client.send(new ListCommandsCommand({}));
    // THEN
    expect(sts.calls()).toHaveLength(0);
    expect(ssm.calls()).toHaveLength(1);
  });
});

test('the SDK signs the SSM calls with the assumed credentials, and an AccessDenied from STS fails the call before it is sent', async () => {
  // GIVEN: the real SSM client, whose HTTP handler records the requests it would send
  const roleArn = newRoleArn();
  sts.on(AssumeRoleCommand).rejectsOnce(accessDenied()).resolves(assumed(3600 * 1000, 'ASIASIGNED'));
  const client = resourceRoleSsm(event(roleArn), HandlerPhase.IS_COMPLETE);
  const sent: any[] = [];
  (client.config as any).requestHandler = {
    handle: async (request: any) => {
      sent.push(request);
      return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from('{"InstanceInformationList":[]}') } };
    },
  };
  // WHEN
  await expect(client.send(new DescribeInstanceInformationCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
  const output = await client.send(new DescribeInstanceInformationCommand({}));
  // THEN
  expect(output.InstanceInformationList).toEqual([]);
  expect(sent).toHaveLength(1);
  expect(sent[0].headers.authorization).toContain('Credential=ASIASIGNED/20261122/us-east-1/ssm/aws4_request');
  expect(sent[0].headers['x-amz-security-token']).toBe('token-ASIASIGNED');
  expect(client).toBeInstanceOf(SSMClient);
});
