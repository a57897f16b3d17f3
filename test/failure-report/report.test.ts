import { SimulatedExecutions, reportDeps } from './simulated-executions';
import {
  ASSOCIATION_STATE_CHANGE, INSTANCE_ASSOCIATION_STATE_CHANGE, SsmEvent, TASK_EXECUTION_STATE_CHANGE, TASK_TARGET_INVOCATION_STATE_CHANGE,
} from '../../src/failure-report/events';
import { handleReport, MAX_MESSAGE_BYTES, MAX_SUBJECT_CHARS, ReportOutcome, subjectOf } from '../../src/failure-report/report';

// FailureReport's function against the simulated Systems Manager: what it publishes, and how many calls it makes.
// The events have the shapes of "Amazon EventBridge event examples for Systems Manager" (AWS Systems Manager User Guide).

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:failures';
const ASSOCIATION = '6e37940a-23ba-4ab0-9b96-5d0a1a05464f';
const WINDOW = 'mw-0ed7251d3fcf6e0c2';

interface Published {
  readonly TopicArn: string;
  readonly Subject: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
}

// The function logs the events it leaves to another event's message; the tests assert what it publishes.
beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
});

function setup() {
  const ssm = new SimulatedExecutions();
  const published: Published[] = [];
  const deps = reportDeps(ssm, published);
  const report = (event: SsmEvent, topicArn = TOPIC): Promise<ReportOutcome> => handleReport({ topicArn, event }, deps);
  return { ssm, published, report };
}

function associationEvent(status = 'Failed', count = '{"Failed":1}'): SsmEvent {
  return {
    'id': 'db839caf-6f6c-40af-9a48-25b2ae2b7774',
    'detail-type': ASSOCIATION_STATE_CHANGE,
    'source': 'aws.ssm',
    'account': '111111111111',
    'time': '2026-11-22T10:00:00Z',
    'region': 'us-east-1',
    'resources': ['arn:aws:ssm:us-east-1::document/AWS-RunShellScript'],
    'detail': {
      'association-id': ASSOCIATION,
      'document-name': 'AWS-RunShellScript',
      'association-version': '1',
      'document-version': 'Optional.empty',
      'targets': '[{"key":"tag:Patch","values":["nightly"]}]',
      'creation-date': '2026-11-01T17:22:54.458Z',
      'last-execution-date': '2026-11-22T10:00:00Z',
      'status': status,
      'association-status-aggregated-count': count,
      'schedule-expression': 'cron(0 2 ? * * *)',
      'association-cwe-version': '1.0',
    },
  };
}

function nodeEvent(instanceId: string, status = 'Failed'): SsmEvent {
  return {
    'detail-type': INSTANCE_ASSOCIATION_STATE_CHANGE,
    'source': 'aws.ssm',
    'time': '2026-11-22T10:00:00Z',
    'region': 'us-east-1',
    'resources': [`arn:aws:ec2:us-east-1:111111111111:instance/${instanceId}`],
    'detail': {
      'association-id': ASSOCIATION,
      'instance-id': instanceId,
      'document-name': 'AWS-RunShellScript',
      'document-version': '1',
      'status': status,
      'detailed-status': status,
      'error-code': '',
      'execution-summary': '1 out of 1 plugin processed, 0 success, 1 failed',
      'instance-association-cwe-version': '1',
    },
  };
}

function taskEvent(windowExecutionId: string, taskExecutionId: string, status = 'FAILED'): SsmEvent {
  return {
    'detail-type': TASK_EXECUTION_STATE_CHANGE,
    'source': 'aws.ssm',
    'time': '2026-11-22T10:00:00Z',
    'region': 'us-east-1',
    'resources': [`arn:aws:ssm:us-east-1:111111111111:maintenancewindow/${WINDOW}`],
    'detail': {
      'start-time': '2026-11-22T09:59:00.000Z',
      'task-execution-id': taskExecutionId,
      'end-time': '2026-11-22T10:00:00.000Z',
      'window-id': WINDOW,
      'window-execution-id': windowExecutionId,
      'status': status,
    },
  };
}

function targetEvent(invocation: Record<string, any>): SsmEvent {
  return {
    'detail-type': TASK_TARGET_INVOCATION_STATE_CHANGE,
    'source': 'aws.ssm',
    'region': 'us-east-1',
    'resources': [`arn:aws:ssm:us-east-1:111111111111:maintenancewindow/${WINDOW}`],
    'detail': {
      'start-time': invocation.StartTime.toISOString(),
      'end-time': invocation.EndTime.toISOString(),
      'window-id': WINDOW,
      'window-execution-id': invocation.WindowExecutionId,
      'task-execution-id': invocation.TaskExecutionId,
      'window-target-id': invocation.WindowTargetId,
      'status': invocation.Status,
      'owner-information': 'Owner',
    },
  };
}

/** The JSON block of a message. */
function jsonOf(message: string): any {
  return JSON.parse(/```json\n([\s\S]*)\n```/.exec(message)![1]);
}

describe('association runs', () => {
  test('one message names the run, its counts, and each failed node with its step, errors and console link', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    const run = ssm.runAssociation({
      associationId: ASSOCIATION,
      nodes: 120,
      outcomes: [{ outcome: { status: 'Failed' }, count: 3 }],
      stderr: 'E: Unable to locate package nginx-extras\n',
      steps: ['update', 'install'],
      triggeredAlarms: [{ Name: 'fleet-cpu-high', State: 'ALARM' }],
    });
    const outcome = await report(associationEvent('Failed', '{"Success":117,"Failed":3}'));
    expect(outcome.published).toBe(true);
    expect(published).toHaveLength(1);
    const [message] = published;
    expect(message.TopicArn).toBe(TOPIC);
    expect(message.Subject).toBe('Association Nightly-Patch failed on 3 of 120 nodes');
    expect(message.Message).toContain(`Run:     execution ${run.executionId} of association Nightly-Patch (${ASSOCIATION}) in us-east-1`);
    expect(message.Message).toContain('Counts:  Success 117, Failed 3');
    expect(message.Message).toContain('Stopped by alarm: fleet-cpu-high (ALARM)');
    for (const node of run.failedNodeIds) {
      expect(message.Message).toContain(`- ${node}: Failed, step update, execution ${run.commandId}`);
      expect(message.Message).toContain(`https://us-east-1.console.aws.amazon.com/systems-manager/run-command/${run.commandId}/${node}?region=us-east-1`);
    }
    expect(message.Message).toContain('    | E: Unable to locate package nginx-extras');
    const json = jsonOf(message.Message);
    expect(json).toMatchObject({ kind: 'association', name: 'Nightly-Patch', runId: run.executionId, failedCount: 3, total: 120, alarms: ['fleet-cpu-high (ALARM)'] });
    expect(json.failed).toHaveLength(3);
    expect(message.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'association' },
      resourceId: { DataType: 'String', StringValue: ASSOCIATION },
      status: { DataType: 'String', StringValue: 'Failed' },
    });
    // DescribeAssociation, DescribeAssociationExecutions, one DescribeAssociationExecutionTargets, two per node shown.
    expect(outcome.ssmCalls).toBe(3 + 2 * 3);
  });

  test.each([
    ['Failed', 'Failed'],
    ['Failed', 'TimedOut'],
    ['Failed', 'Undeliverable'],
    ['TimedOut', 'TimedOut'],
    ['Cancelled', 'Cancelled'],
    ['Skipped', 'Skipped'],
  ])('a node whose target Status is %s (%s) is reported as failed with its status', async (status, detailedStatus) => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    const run = ssm.runAssociation({ associationId: ASSOCIATION, nodes: 10, outcomes: [{ outcome: { status, detailedStatus }, count: 2 }] });
    await report(associationEvent());
    expect(published).toHaveLength(1);
    expect(published[0].Subject).toBe('Association Nightly-Patch failed on 2 of 10 nodes');
    const label = status === detailedStatus ? status : `${status} (${detailedStatus})`;
    expect(published[0].Message).toContain(`- ${run.failedNodeIds[0]}: ${label}`);
    expect(jsonOf(published[0].Message).counts).toEqual({ Success: 8, [status]: 2 });
  });

  test.each(['Success', 'Pending', 'InProgress'])('nodes whose target Status is %s are counted, not listed as failed', async (status) => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    ssm.runAssociation({ associationId: ASSOCIATION, nodes: 5, outcomes: [{ outcome: { status: 'Failed' }, count: 1 }] });
    if (status !== 'Success') {
      // A newer run still runs: the report is of the newest run that ended.
      ssm.advance(1000);
      ssm.runAssociation({ associationId: ASSOCIATION, nodes: 5, status });
    }
    await report(associationEvent());
    expect(published[0].Subject).toBe('Association Nightly-Patch failed on 1 of 5 nodes');
    expect(jsonOf(published[0].Message).counts).toEqual({ Success: 4, Failed: 1 });
  });

  test('failed nodes past a page of 50 are counted, and the first five shown, with the same calls', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    ssm.runAssociation({ associationId: ASSOCIATION, nodes: 80, outcomes: [{ outcome: { status: 'Failed' }, count: 60 }] });
    const outcome = await report(associationEvent());
    expect(published[0].Subject).toBe('Association Nightly-Patch failed on 60 of 80 nodes');
    expect(published[0].Message).toContain('Failed (the first 5 of 60):');
    expect(published[0].Message).toContain('- and 55 more');
    expect(outcome.ssmCalls).toBe(3 + 2 * 5);
  });

  test('1,000 nodes with 100 failed: calls bounded by the nodes shown, and the message far within 256 KB', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    ssm.runAssociation({ associationId: ASSOCIATION, nodes: 1000, outcomes: [{ outcome: { status: 'Failed' }, count: 100 }], stderr: 'x'.repeat(20_000) });
    const outcome = await report(associationEvent());
    expect(published[0].Subject).toBe('Association Nightly-Patch failed on 100 of 1000 nodes');
    expect(outcome.ssmCalls).toBeLessThanOrEqual(13);
    expect(Buffer.byteLength(published[0].Message)).toBeLessThan(16 * 1024);
  });

  test('the association-level event and every node-level event of a failed run publish one message', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    const run = ssm.runAssociation({ associationId: ASSOCIATION, nodes: 20, outcomes: [{ outcome: { status: 'Failed' }, count: 4 }] });
    const outcomes = [await report(associationEvent())];
    for (const node of run.failedNodeIds) {
      outcomes.push(await report(nodeEvent(node)));
    }
    expect(published).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.published).map((outcome) => outcome.reason)).toEqual(
      run.failedNodeIds.map(() => `the run ${run.executionId} ended Failed; its association-level event reports it`));
  });

  test('a run that ended Success with failed nodes (within MaxErrors) is reported once, by its first failed node', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    const run = ssm.runAssociation({ associationId: ASSOCIATION, nodes: 20, outcomes: [{ outcome: { status: 'Failed' }, count: 3 }], status: 'Success' });
    for (const node of [...run.failedNodeIds].reverse()) {
      await report(nodeEvent(node));
    }
    expect(published).toHaveLength(1);
    expect(published[0].Subject).toBe('Association Nightly-Patch failed on 3 of 20 nodes');
  });

  test('a node-level event that comes while its run still runs waits for the run to end, one call per poll', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    const run = ssm.runAssociation({ associationId: ASSOCIATION, nodes: 4, outcomes: [{ outcome: { status: 'Failed' }, count: 1 }], status: 'InProgress' });
    const pending = report(nodeEvent(run.failedNodeIds[0]));
    ssm.endAssociationRun(ASSOCIATION, run.executionId, 'Success');
    await pending;
    expect(published).toHaveLength(1);
    expect(ssm.callsOf('DescribeAssociationExecutions').length).toBeGreaterThanOrEqual(1);
  });

  test('throttled reads are retried, and the report is whole', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    ssm.runAssociation({ associationId: ASSOCIATION, nodes: 10, outcomes: [{ outcome: { status: 'Failed' }, count: 2 }] });
    ssm.fail({ operation: 'DescribeAssociationExecutionTargets', error: 'ThrottlingException', times: 2 });
    const outcome = await report(associationEvent());
    expect(published[0].Message).not.toContain('Not gathered');
    expect(jsonOf(published[0].Message).failed).toHaveLength(2);
    expect(outcome.ssmCalls).toBe(3 + 2 + 2 * 2);
  });

  test('throttled for good: what the event says is still published, with what was not gathered', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    ssm.runAssociation({ associationId: ASSOCIATION, nodes: 10, outcomes: [{ outcome: { status: 'Failed' }, count: 2 }] });
    ssm.fail({ operation: '*', error: 'ThrottlingException', untilMs: ssm.now + 3_600_000 });
    const outcome = await report(associationEvent('Failed', '{"Success":8,"Failed":2}'));
    expect(published).toHaveLength(1);
    expect(published[0].Subject).toBe(`Association ${ASSOCIATION} failed on 2 of 10 nodes`);
    expect(published[0].Message).toContain('Not gathered:\n- DescribeAssociation: ThrottlingException');
    expect(outcome.ssmCalls).toBe(3);
  });

  test('an association deleted since: the event is reported as it is', async () => {
    const { published, report } = setup();
    await report(associationEvent('Failed', '{"Success":1,"Failed":1}'));
    expect(published[0].Subject).toBe(`Association ${ASSOCIATION} failed (since deleted) on 1 of 2 nodes`);
    expect(published[0].Message).toContain('the resource has been deleted since');
  });

  test('several reports with different topics each publish to their own topic', async () => {
    const { ssm, published, report } = setup();
    ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
    ssm.runAssociation({ associationId: ASSOCIATION, nodes: 3, outcomes: [{ outcome: { status: 'Failed' }, count: 1 }] });
    await report(associationEvent(), `${TOPIC}-ops`);
    await report(associationEvent(), `${TOPIC}-security`);
    expect(published.map((message) => message.TopicArn)).toEqual([`${TOPIC}-ops`, `${TOPIC}-security`]);
  });
});

describe('maintenance window tasks', () => {
  test('a Run Command task: the failed targets with their step and errors, and the alarm that stopped it', async () => {
    const { ssm, published, report } = setup();
    const run = ssm.runTask({
      windowId: WINDOW,
      targets: 30,
      outcomes: [{ status: 'FAILED', count: 2 }],
      stderr: 'reboot required',
      triggeredAlarms: [{ Name: 'error-budget', State: 'ALARM' }],
    });
    const outcome = await report(taskEvent(run.windowExecutionId, run.taskExecutionId));
    expect(published[0].Subject).toBe('Maintenance window task AWS-RunShellScript failed on 2 of 30 targets');
    expect(published[0].Message).toContain('Stopped by alarm: error-budget (ALARM)');
    expect(published[0].Message).toContain(`- ${run.nodeIds[28]}: FAILED (FAILED), step runShellScript, execution ${run.commandId}`);
    expect(published[0].Message).toContain('    | reboot required');
    expect(published[0].Message).toContain(`maintenance-windows/${WINDOW}/history/${run.windowExecutionId}`);
    expect(outcome.ssmCalls).toBe(2 + 2 * 2);
  });

  test.each(['PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLING', 'CANCELLED', 'SKIPPED_OVERLAPPING'])(
    'invocations of status %s are counted, and listed as failed when they failed', async (status) => {
      const { ssm, published, report } = setup();
      const run = ssm.runTask({ windowId: WINDOW, targets: 6, outcomes: [{ status, count: 2 }], status: 'FAILED' });
      await report(taskEvent(run.windowExecutionId, run.taskExecutionId));
      const json = jsonOf(published[0].Message);
      expect(json.counts).toEqual(status === 'SUCCESS' ? { SUCCESS: 6 } : { SUCCESS: 4, [status]: 2 });
      const failed = ['FAILED', 'TIMED_OUT', 'CANCELLED'].includes(status);
      expect(json.failedCount).toBe(failed ? 2 : 0);
      expect(published[0].Subject).toBe(failed
        ? 'Maintenance window task AWS-RunShellScript failed on 2 of 6 targets'
        : 'Maintenance window task AWS-RunShellScript failed: FAILED');
    });

  test('more than a page of invocations: the failed ones are read by status, two pages at most', async () => {
    const { ssm, published, report } = setup();
    const run = ssm.runTask({ windowId: WINDOW, targets: 1000, outcomes: [{ status: 'FAILED', count: 100 }] });
    const outcome = await report(taskEvent(run.windowExecutionId, run.taskExecutionId));
    expect(published[0].Subject).toBe('Maintenance window task AWS-RunShellScript failed on 100 of 100+ targets');
    expect(outcome.ssmCalls).toBe(1 + 2 + 2 * 5);
    const calls = ssm.callsOf('DescribeMaintenanceWindowExecutionTaskInvocations');
    expect(calls[1].input.Filters).toEqual([{ Key: 'STATUS', Values: ['FAILED', 'TIMED_OUT', 'CANCELLED'] }]);
  });

  test.each([
    ['LAMBDA', 'lambda/home?region=us-east-1#/functions'],
    ['STEP_FUNCTIONS', 'states/home?region=us-east-1#/v2/executions/details/arn:aws:states:us-east-1:111111111111:execution:Drain:1'],
    ['AUTOMATION', 'systems-manager/automation/execution/'],
  ] as const)('a %s task: its execution IDs and statuses, with console links, and no node reads', async (taskType, link) => {
    const { ssm, published, report } = setup();
    const run = ssm.runTask({ windowId: WINDOW, taskType, taskArn: 'Drain', targets: 2, outcomes: [{ status: 'FAILED', count: 1 }] });
    const outcome = await report(taskEvent(run.windowExecutionId, run.taskExecutionId));
    expect(published[0].Message).toContain(`execution ${run.invocations[1].ExecutionId}`);
    expect(published[0].Message).toContain(link);
    expect(outcome.ssmCalls).toBe(2);
  });

  test('the task-level event and every target-level event of a failed task publish one message', async () => {
    const { ssm, published, report } = setup();
    const run = ssm.runTask({ windowId: WINDOW, targets: 10, outcomes: [{ status: 'FAILED', count: 3 }] });
    await report(taskEvent(run.windowExecutionId, run.taskExecutionId));
    for (const invocation of run.invocations.filter((candidate) => candidate.Status === 'FAILED')) {
      await report(targetEvent(invocation));
    }
    expect(published).toHaveLength(1);
  });

  test('a task that ended SUCCESS with failed targets is reported once, by its first failed target', async () => {
    const { ssm, published, report } = setup();
    const run = ssm.runTask({ windowId: WINDOW, targets: 10, outcomes: [{ status: 'FAILED', count: 3 }], status: 'SUCCESS' });
    for (const invocation of run.invocations.filter((candidate) => candidate.Status === 'FAILED')) {
      await report(targetEvent(invocation));
    }
    expect(published).toHaveLength(1);
    expect(published[0].Subject).toBe('Maintenance window task AWS-RunShellScript failed on 3 of 10 targets');
  });

  test('a window or task execution gone since: the event is reported as it is', async () => {
    const { published, report } = setup();
    await report(taskEvent('b60fb56e-776c-4e5c-84ee-123456789012', '6417e808-7f35-4d1a-843f-123456789012', 'TIMED_OUT'));
    expect(published[0].Subject).toBe('Maintenance window task 6417e808-7f35-4d1a-843f-123456789012 failed (since deleted): TIMED_OUT');
  });
});

describe('the subject', () => {
  test('stays within 100 printable ASCII characters, whatever the name', () => {
    const subject = subjectOf({
      kind: 'association',
      name: `Nächtliches-Patchen-${'x'.repeat(200)}`,
      id: ASSOCIATION,
      status: 'Failed',
      failedCount: 3,
      total: 120,
      failed: [],
      alarms: [],
      links: {},
      notGathered: [],
      event: { detailType: ASSOCIATION_STATE_CHANGE, detail: {} },
    });
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
    expect(subject).toMatch(/^Association N\?chtliches-Patchen-x+\.\.\. failed on 3 of 120 nodes$/);
  });
});

// The benchmark rows: SSM calls per report and message size, at 1, 50 and 1,000 nodes with 0, 1 and 10% failed.
describe('calls and message size per report', () => {
  const rows: string[] = [];
  afterAll(() => console.log(['| kind | nodes | failed | SSM calls | message bytes |', '|---|---|---|---|---|', ...rows].join('\n')));

  test.each([1, 50, 1000].flatMap((nodes) => [0, 0.01, 0.1].map((share) => [nodes, share] as const)))(
    'association: %d nodes, a share of %d failed: bounded', async (nodes, share) => {
      const { ssm, published, report } = setup();
      ssm.addAssociation(ASSOCIATION, 'Nightly-Patch');
      const failed = Math.round(nodes * share);
      ssm.runAssociation({ associationId: ASSOCIATION, nodes, outcomes: failed > 0 ? [{ outcome: { status: 'Failed' }, count: failed }] : [], stderr: 'y'.repeat(5000), status: 'Failed' });
      const outcome = await report(associationEvent());
      const bytes = Buffer.byteLength(published[0].Message);
      rows.push(`| association | ${nodes} | ${failed} | ${outcome.ssmCalls} | ${bytes} |`);
      expect(outcome.ssmCalls).toBeLessThanOrEqual(3 + 2 * Math.min(failed, 5));
      expect(bytes).toBeLessThan(16 * 1024);
      expect(bytes).toBeLessThan(MAX_MESSAGE_BYTES);
    });

  test.each([1, 50, 1000].flatMap((nodes) => [0, 0.01, 0.1].map((share) => [nodes, share] as const)))(
    'window task: %d targets, a share of %d failed: bounded', async (nodes, share) => {
      const { ssm, published, report } = setup();
      const failed = Math.round(nodes * share);
      const run = ssm.runTask({ windowId: WINDOW, targets: nodes, outcomes: failed > 0 ? [{ status: 'FAILED', count: failed }] : [], stderr: 'y'.repeat(5000), status: 'FAILED' });
      const outcome = await report(taskEvent(run.windowExecutionId, run.taskExecutionId));
      const bytes = Buffer.byteLength(published[0].Message);
      rows.push(`| window task | ${nodes} | ${failed} | ${outcome.ssmCalls} | ${bytes} |`);
      expect(outcome.ssmCalls).toBeLessThanOrEqual(2 + 2 + 2 * Math.min(failed, 5));
      expect(bytes).toBeLessThan(16 * 1024);
    });
});
