import * as ssmSdk from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handleReport } from '../src/failure-report/report';
import { SimulatedExecutions, associationFailed, reportDeps } from '../test/failure-report/simulated-executions';
import { RUN_OPERATIONS, SimulatedAssociationSsm } from '../test/lifecycle/simulated-association-executions';
import { SSM_OPERATIONS } from '../test/lifecycle/simulated-ssm';

// What knowing what happened costs: the SSM calls of an association's run wait (per poll while the execution runs,
// and at its end) and of a failure report, and the size of the report's message, against the simulated Systems
// Manager of the tests, with the handlers' own code.

const ASSOCIATION = '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b';

/** The calls of one association run wait, and the size of its failure message when the run failed. */
export interface RunWaitCalls {
  readonly perPoll: number[];
  readonly atEnd: number;
  readonly failureBytes?: number;
}

export async function associationRunWaitCalls(targets: number, failed: number): Promise<RunWaitCalls> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { onAssociationRunEvent, isAssociationRunComplete } = require('../src/association/run-wait-handler');
  const ssm = new SimulatedAssociationSsm();
  const mock = mockClient(ssmSdk.SSMClient);
  for (const operation of [...SSM_OPERATIONS, ...RUN_OPERATIONS]) {
    mock.on((ssmSdk as any)[`${operation}Command`]).callsFake(async (input: any) => ssm.handle(operation, input));
  }
  const client = new ssmSdk.SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    ssm.executionCourse = { targets, failed, runMs: 60_000, stderr: 'E: Unable to locate package my-agent\n'.repeat(20) };
    ssm.writeAssociation(ASSOCIATION, { Name: 'AWS-RunShellScript', AssociationName: 'Bench' });
    const event = {
      RequestType: 'Create',
      RequestId: 'bench',
      StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Bench/1',
      LogicalResourceId: 'PatchRun',
      ResourceType: 'Custom::SsmAssociationRun',
      ResourceProperties: {
        RoleArn: 'arn:aws:iam::111111111111:role/cdk-ssm-ops/Bench',
        AssociationId: ASSOCIATION,
        WatchedProperties: {},
        WaitSeconds: '3600',
        ResultParameter: '/cdk-ssm-ops/association-run/Bench/PatchRun',
      },
    };
    const started = await onAssociationRunEvent(client, event, ssm.now);
    const perPoll: number[] = [];
    for (;;) {
      const before = ssm.calls.length;
      try {
        const response = await isAssociationRunComplete(client, { ...event, ...started, Data: started.Data }, ssm.now);
        if (response.IsComplete) {
          return { perPoll, atEnd: ssm.calls.length - before };
        }
      } catch (error) {
        return { perPoll, atEnd: ssm.calls.length - before, failureBytes: Buffer.byteLength(JSON.stringify((error as Error).message)) };
      }
      perPoll.push(ssm.calls.length - before);
      ssm.tick();
    }
  } finally {
    mock.restore();
  }
}

/** The calls and the message of one failure report of an association run. */
export async function failureReportCost(nodes: number, failed: number): Promise<{ calls: number; messageBytes: number }> {
  const ssm = new SimulatedExecutions();
  const published: { Message: string }[] = [];
  const deps = reportDeps(ssm, published as any);
  ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
  ssm.runAssociation({
    associationId: ASSOCIATION,
    nodes,
    status: 'Failed',
    stderr: 'E: Unable to locate package my-agent\n'.repeat(200),
    outcomes: failed > 0 ? [{ outcome: { status: 'Failed' }, count: failed }] : [],
  });
  const event = associationFailed(ASSOCIATION, { Failed: failed });
  const outcome = await handleReport({ topicArn: 'arn:aws:sns:us-east-1:111111111111:failures', event }, deps);
  return { calls: outcome.ssmCalls, messageBytes: Buffer.byteLength(published[0]?.Message ?? '') };
}
