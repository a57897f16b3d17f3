import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import * as ssmSdk from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SimulatedExecutions, associationFailed } from './simulated-executions';
import { SsmEvent } from '../../src/failure-report/events';
import { reportHandler } from '../../src/failure-report/report';
import { SSM_OPERATIONS } from '../lifecycle/simulated-ssm';

// The report function's entry point with the AWS SDK's own clients: SSM answered by the simulated Systems Manager,
// SNS by aws-sdk-client-mock, which also gives its faults.

const ASSOCIATION = '6e37940a-23ba-4ab0-9b96-5d0a1a05464f';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:failures';
const sns = mockClient(SNSClient);
const ssm = mockClient(ssmSdk.SSMClient);

function failedRun(): SsmEvent {
  const simulated = new SimulatedExecutions();
  ssm.reset();
  for (const operation of [...SSM_OPERATIONS, 'DescribeAssociationExecutions', 'DescribeAssociationExecutionTargets']) {
    ssm.on((ssmSdk as any)[`${operation}Command`]).callsFake(async (input: any) => simulated.handle(operation, input));
  }
  simulated.addAssociation(ASSOCIATION, 'Nightly-Patch');
  simulated.runAssociation({ associationId: ASSOCIATION, nodes: 10, outcomes: [{ outcome: { status: 'Failed' }, count: 2 }] });
  return associationFailed(ASSOCIATION, { Success: 8, Failed: 2 });
}

beforeEach(() => sns.reset());

test('publishes one message to the report\'s topic through SNS\'s client', async () => {
  // GIVEN
  const event = failedRun();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  // WHEN
  await reportHandler()({ topicArn: TOPIC, event });
  // THEN
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0].args[0].input).toMatchObject({ TopicArn: TOPIC, Subject: 'Association Nightly-Patch failed on 2 of 10 nodes' });
});

test('a publish that SNS refuses fails the invocation, so that Lambda\'s asynchronous retries try the event again', async () => {
  // GIVEN
  const event = failedRun();
  sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  // WHEN / THEN
  await expect(reportHandler()({ topicArn: TOPIC, event })).rejects.toThrow('Rate exceeded');
});
