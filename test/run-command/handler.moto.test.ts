import { GetCommandInvocationCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { IsCompleteRequest, OnEventRequest } from '../../src/private/provider-types';
import { isRunCommandComplete, onRunCommandEvent } from '../../src/run-command/handler';
import { HTTP_TIMEOUT_MS, TEST_BUDGET_MS, describeWithMoto, useMotoServer } from '../moto-server';

// The handler's real SDK calls over HTTP, against moto's SSM server on 127.0.0.1 (started here, stopped after).
// moto finishes every command at once, keeps parameters (so the result record is real here), and lacks
// ListCommandInvocations and CancelCommand; the mocked tests cover the states and faults it can't show.

/** EC2 instances tagged Role=web, created through moto's EC2 API so that SSM can resolve tag targets. */
async function runTaggedInstances(endpoint: string, count: number): Promise<string[]> {
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
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
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
  const moto = useMotoServer();
  let ssm: SSMClient;
  beforeAll(() => {
    ssm = moto().ssm;
  });

  test('sends a command to tagged nodes once, polls it to Success, records it, reports it on an update that sends nothing, and removes the record on delete', async () => {
    // GIVEN
    const instances = await runTaggedInstances(moto().endpoint, 2);
    const resultParameter = '/cdk-ssm-ops/run-command/S/InstallAgent';
    const event: OnEventRequest = {
      RequestType: 'Create',
      RequestId: 'moto-request',
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1',
      LogicalResourceId: 'InstallAgent',
      ResourceType: 'Custom::SsmRunCommand',
      ResourceProperties: {
        RoleArn: 'arn:aws:iam::111111111111:role/InstallAgentRole',
        Command: {
          DocumentName: 'AWS-RunShellScript',
          Parameters: { commands: ['echo installed'] },
          Targets: [{ Key: 'tag:Role', Values: ['web'] }],
          MaxConcurrency: '50%',
          MaxErrors: '0',
          Comment: 'install the agent',
          TimeoutSeconds: '600',
        },
        Triggers: { version: '1' },
        WaitSeconds: '600',
        ResultParameter: resultParameter,
      },
    };
    const start = Date.now();
    const record = async () => JSON.parse((await ssm.send(new GetParameterCommand({ Name: resultParameter }))).Parameter!.Value!);

    // WHEN: created, onEvent retried, then polled; moto lacks ListCommandInvocations, so the nodes' results are
    // retried for the grace of two minutes (the poll times are given, not waited), then reported as not read
    const created = await onRunCommandEvent(ssm, event, start);
    const again = await onRunCommandEvent(ssm, event, start + 1_000);
    const polled = { ...event, PhysicalResourceId: created.PhysicalResourceId, Data: created.Data } as IsCompleteRequest;
    const first = await isRunCommandComplete(ssm, polled, start + 15_000);
    const done = await isRunCommandComplete(ssm, polled, start + 15_000 + 2 * 60_000);
    const recorded = await record();

    // THEN
    const commandId = created.Data?.CommandId;
    expect(commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.Data?.CommandId).toBe(commandId);
    expect(first).toEqual({ IsComplete: false });
    const attributes = {
      CommandId: commandId,
      Status: 'Success',
      StatusDetails: expect.any(String),
      TargetCount: '2',
      CompletedCount: '2',
      ErrorCount: '0',
      NotRunCount: 'unknown',
      NodesNotRun: expect.stringMatching(/^\[not read: /),
      Output: expect.stringMatching(/^\[output not read: /),
      TriggeredAlarms: '',
    };
    expect(done).toEqual({ IsComplete: true, Data: attributes });
    expect(recorded).toMatchObject({ CommandId: commandId, Attributes: done.Data });
    const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instances[0] }));
    expect(invocation.Status).toBe('Success');

    // WHEN: an update that sends nothing, then the delete
    const update: OnEventRequest = { ...event, RequestType: 'Update', RequestId: 'moto-update', PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: event.ResourceProperties };
    const unchanged = await onRunCommandEvent(ssm, update, start + 10 * 60_000);
    const reported = await isRunCommandComplete(ssm, { ...update, Data: unchanged.Data }, start + 10 * 60_000);
    const deletion: OnEventRequest = { ...event, RequestType: 'Delete', RequestId: 'moto-delete', PhysicalResourceId: created.PhysicalResourceId };
    const deleting = await onRunCommandEvent(ssm, deletion, start + 20 * 60_000);
    const deleted = await isRunCommandComplete(ssm, { ...deletion, Data: deleting.Data }, start + 20 * 60_000);

    // THEN
    expect(unchanged.Data?.Rerun).toBe('false');
    expect(reported).toEqual({ IsComplete: true, Data: done.Data });
    expect(deleted).toEqual({ IsComplete: true });
    await expect(record()).rejects.toMatchObject({ name: 'ParameterNotFound' });
  }, TEST_BUDGET_MS);
});
