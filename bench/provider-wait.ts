import * as ssmSdk from '@aws-sdk/client-ssm';
import { App, Stack } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { SSM_OPERATIONS, SimulatedSsm, START } from '../test/lifecycle/simulated-ssm';

// How long a deployment waits after Systems Manager finishes a command, and what the waiting costs. The Provider's
// waiter calls isComplete at once and then every query interval, so the command's end is seen at the next poll. The
// interval is read from the waiter state machine of a synthesized stack, and RunCommand's real handler runs against
// the simulated Systems Manager, on its clock, for commands that end at every point of an interval.

/** Public prices (us-east-1): Step Functions Standard per state transition, Lambda per request and per GB-second. */
const STATE_TRANSITION_USD = 0.025 / 1000;
const LAMBDA_REQUEST_USD = 0.2 / 1_000_000;
const LAMBDA_GB_SECOND_USD = 0.0000166667;

export interface WaitFigures {
  readonly queryIntervalSeconds: number;
  /** Seconds from the command's end to the poll that sees it, for each command simulated. */
  readonly waits: number[];
  /** SSM calls of each poll while the command ran. */
  readonly callsPerRunningPoll: number[];
  /** Per hour of waiting: isComplete polls, Lambda invocations (the framework's and ours), state transitions, cost. */
  readonly perHour: { polls: number; invocations: number; stateTransitions: number; usd: number };
}

/** The waiter's query interval, from the state machine of a stack with a RunCommand. */
function queryIntervalSeconds(): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../src');
  const app = new App();
  const stack = new Stack(app, 'Wait', { env: { account: '111111111111', region: 'us-east-1' } });
  new lib.RunCommand(stack, 'Run', { document: lib.AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['true'] }, targets: [lib.Target.tag('Role', 'web')] });
  const template = JSON.stringify(app.synth().getStackByName('Wait').template);
  const interval = /\\"IntervalSeconds\\":(\d+)/.exec(template);
  if (!interval) {
    throw new Error('no IntervalSeconds in the waiter state machine');
  }
  return Number(interval[1]);
}

/** Runs `trials` commands that end at evenly spread points of a poll interval, and measures each wait. */
export async function measureWait(trials: number): Promise<WaitFigures> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { onRunCommandEvent, isRunCommandComplete } = require('../src/run-command/handler');
  const interval = queryIntervalSeconds();
  const waits: number[] = [];
  const callsPerRunningPoll: number[] = [];
  const mock = mockClient(ssmSdk.SSMClient);
  const client = new ssmSdk.SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  for (let trial = 0; trial < trials; trial++) {
    const runningMs = 60_000 + Math.round(interval * 1000 * trial / trials);
    const ssm = new SimulatedSsm({ targets: 10, failed: 0, pendingMs: 5_000, inProgressMs: runningMs - 5_000 });
    mock.reset();
    for (const operation of SSM_OPERATIONS) {
      mock.on((ssmSdk as any)[`${operation}Command`]).callsFake(async (input: any) => ssm.handle(operation, input));
    }
    const event = {
      RequestType: 'Create',
      RequestId: `wait-${trial}`,
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Wait/1',
      LogicalResourceId: 'Run',
      ResourceType: 'Custom::SsmRunCommand',
      ResourceProperties: {
        RoleArn: 'arn:aws:iam::111111111111:role/cdk-ssm-ops/Run',
        ResultParameter: '/cdk-ssm-ops/run-command/Wait/Run',
        Command: { DocumentName: 'AWS-RunShellScript', Parameters: { commands: ['true'] }, Targets: [{ Key: 'tag:Role', Values: ['web'] }] },
        WaitSeconds: '3600',
      },
    };
    const started = await onRunCommandEvent(client, event, ssm.now);
    const finishedAt = START + runningMs;
    for (;;) {
      const before = ssm.calls.length;
      const response = await isRunCommandComplete(client, { ...event, ...started, Data: started.Data }, ssm.now);
      if (response.IsComplete) {
        waits.push((ssm.now - finishedAt) / 1000);
        break;
      }
      callsPerRunningPoll.push(ssm.calls.length - before);
      ssm.advance(interval * 1000);
    }
  }
  mock.restore();
  const polls = 3600 / interval;
  // Each poll is one attempt of the waiter's task (a state transition) that invokes the framework's isComplete
  // function, which invokes ours: two invocations of 128 MB for about 100 ms each.
  const invocations = polls * 2;
  const usd = polls * STATE_TRANSITION_USD + invocations * (LAMBDA_REQUEST_USD + 0.128 * 0.1 * LAMBDA_GB_SECOND_USD);
  return { queryIntervalSeconds: interval, waits, callsPerRunningPoll, perHour: { polls, invocations, stateTransitions: polls, usd } };
}
