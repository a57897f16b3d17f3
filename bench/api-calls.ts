import * as ssmSdk from '@aws-sdk/client-ssm';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { isRunCommandComplete, onRunCommandEvent } from '../src/run-command/handler';
import { Course, SSM_OPERATIONS, SimulatedSsm } from '../test/lifecycle/simulated-ssm';

/** The SSM API calls of one deployment: at send, at each poll while the command runs, and at the poll that ends it. */
export interface CallCount {
  readonly atSend: number;
  readonly perRunningPoll: number[];
  readonly atEnd: number;
}

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });

/** Sends every SSM call of the client to a simulated Systems Manager, where aws-sdk-client-mock counts them. */
function simulate(course: Course): SimulatedSsm {
  const simulated = new SimulatedSsm(course);
  ssm.reset();
  for (const operation of SSM_OPERATIONS) {
    ssm.on((ssmSdk as any)[`${operation}Command`]).callsFake(async (input: any) => simulated.handle(operation, input));
  }
  return simulated;
}

/** RunCommand's own handler: onEvent sends, then isComplete polls until the command ends. */
export async function runCommandCalls(course: Course): Promise<CallCount> {
  const simulated = simulate(course);
  const event = {
    RequestType: 'Create' as const,
    RequestId: 'bench-request',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Bench/1',
    LogicalResourceId: 'Run',
    ResourceType: 'Custom::SsmRunCommand',
    ResourceProperties: {
      RoleArn: 'arn:aws:iam::111111111111:role/BenchRun',
      Command: { DocumentName: 'AWS-RunShellScript', Parameters: { commands: ['true'] }, Targets: [{ Key: 'tag:Group', Values: ['bench'] }] },
      WaitSeconds: '3600',
      ResultParameter: '/cdk-ssm-ops/run-command/Bench/Run',
    },
  };
  // The handler reads the simulated clock, on which the commands' times are.
  const created = await onRunCommandEvent(client, event, simulated.now);
  const atSend = ssm.calls().length;
  const perRunningPoll: number[] = [];
  for (;;) {
    const before = ssm.calls().length;
    const ended = await isRunCommandComplete(client, { ...event, PhysicalResourceId: created.PhysicalResourceId, Data: created.Data }, simulated.now)
      .then((response) => response.IsComplete, () => true);
    const calls = ssm.calls().length - before;
    if (ended) {
      return { atSend, perRunningPoll, atEnd: calls };
    }
    perRunningPoll.push(calls);
    simulated.tick();
  }
}

/** The naive strategy, for comparison: GetCommandInvocation for every node at every poll, until all have ended. */
export async function perNodePollingCalls(course: Course): Promise<CallCount> {
  const simulated = simulate(course);
  // It is given the node IDs for free; to target a tag, it would have to list them first.
  const nodes = simulated.nodeIds;
  const sent = await client.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Group', Values: ['bench'] }] }));
  const atSend = ssm.calls().length;
  const perRunningPoll: number[] = [];
  for (;;) {
    const before = ssm.calls().length;
    const statuses = [];
    for (const instanceId of nodes) {
      statuses.push((await client.send(new GetCommandInvocationCommand({ CommandId: sent.Command!.CommandId!, InstanceId: instanceId }))).Status);
    }
    const calls = ssm.calls().length - before;
    if (statuses.every((status) => status !== 'Pending' && status !== 'InProgress')) {
      return { atSend, perRunningPoll, atEnd: calls };
    }
    perRunningPoll.push(calls);
    simulated.tick();
  }
}
