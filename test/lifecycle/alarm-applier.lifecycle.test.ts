import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { QUERY_INTERVAL_MS, SimulatedCloudFormation } from './cloudformation';
import { SimulatedSsm } from './simulated-ssm';
import {
  Association, AssociationProps, AwsManagedDocument, Concurrency, ErrorThreshold, MaintenanceWindow, MaintenanceWindowSchedule, Target, TaskAction,
} from '../../src';

// The alarm companions driven the way CloudFormation drives them, through the real entry points, against the
// simulated Systems Manager. CloudFormation's own create and update of the association or task (the L1) is simulated
// by writing the L1's properties to the simulator without an alarm, as CloudFormation's update does: the SSM API
// sets to null what it is not given, and CloudFormation's resource has no AlarmConfiguration.

const ASSOCIATION_ID = '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b';
const WINDOW_ID = 'mw-0123456789abcdef0';
const TASK_ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/LifecycleStack-PatchAlarmConfigurationHandlerRole-ABCDEFGHIJKL';
const ALARM = { Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: false };
const ASSOCIATION = 'PatchAlarmConfiguration';
const TASK = 'WindowPatchAlarmConfiguration';

interface Synthesized {
  /** The L1's properties in the template. */
  readonly l1: Record<string, any>;
  /** The companion's properties, with the values CloudFormation resolves at deploy time filled in. */
  readonly companion: Record<string, any>;
}

/** Synthesizes an association with an alarm, and returns its L1's and its companion's properties. */
function synthesizeAssociation(props: Partial<AssociationProps> = {}, override?: (l1: CfnResource) => void): Synthesized {
  const stack = new Stack(new App(), 'LifecycleStack', { env: { account: '111111111111', region: 'us-east-1' } });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
  const association = new Association(stack, 'Patch', {
    document: AwsManagedDocument.RUN_PATCH_BASELINE,
    parameters: { Operation: ['Install'] },
    targets: [Target.tag('Role', 'web')],
    maxConcurrency: Concurrency.percentage(10),
    maxErrors: ErrorThreshold.count(1),
    alarmConfiguration: { alarms: [alarm] },
    ...props,
  });
  override?.(association.node.defaultChild as CfnResource);
  const template = Template.fromStack(stack);
  const l1 = Object.values(template.findResources('AWS::SSM::Association'))[0].Properties;
  const { ServiceToken, ...companion } = Object.values(template.findResources('Custom::SsmAssociationAlarm'))[0].Properties;
  return { l1, companion: { ...companion, AssociationId: ASSOCIATION_ID, RoleArn: ROLE_ARN } };
}

/** Synthesizes a window task with an alarm, and returns its L1's and its companion's properties. */
function synthesizeTask(priority: number): Synthesized {
  const stack = new Stack(new App(), 'LifecycleStack', { env: { account: '111111111111', region: 'us-east-1' } });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
  const window = new MaintenanceWindow(stack, 'Window', { schedule: MaintenanceWindowSchedule.rate(Duration.days(7)), duration: Duration.hours(2) });
  window.addTask('Patch', {
    task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Install'] } }),
    targets: [window.addTarget('Web', { targets: [Target.tag('Role', 'web')] })],
    priority,
    alarmConfiguration: { alarms: [alarm] },
  });
  const template = Template.fromStack(stack);
  const l1 = Object.values(template.findResources('AWS::SSM::MaintenanceWindowTask'))[0].Properties;
  const { ServiceToken, ...companion } = Object.values(template.findResources('Custom::SsmMaintenanceWindowTaskAlarm'))[0].Properties;
  return { l1, companion: { ...companion, WindowId: WINDOW_ID, WindowTaskId: TASK_ID, RoleArn: ROLE_ARN } };
}

/** CloudFormation creates or updates the association from the L1's properties: a new version, without an alarm. */
function cloudFormationWritesAssociation(ssm: SimulatedSsm, l1: Record<string, any>) {
  const version = Number(ssm.associations.get(ASSOCIATION_ID)?.AssociationVersion ?? '0') + 1;
  ssm.associations.set(ASSOCIATION_ID, {
    AssociationId: ASSOCIATION_ID,
    AssociationVersion: String(version),
    Name: l1.Name,
    Parameters: l1.Parameters,
    Targets: l1.Targets,
    MaxConcurrency: l1.MaxConcurrency,
    MaxErrors: l1.MaxErrors,
    ComplianceSeverity: l1.ComplianceSeverity,
  });
}

/** CloudFormation creates or updates the window task from the L1's properties, without an alarm. */
function cloudFormationWritesTask(ssm: SimulatedSsm, l1: Record<string, any>) {
  ssm.windowTasks.set(TASK_ID, {
    WindowId: WINDOW_ID,
    WindowTaskId: TASK_ID,
    TaskArn: l1.TaskArn,
    TaskType: l1.TaskType,
    Targets: [{ Key: 'WindowTargetIds', Values: ['target-1'] }],
    Priority: l1.Priority,
    MaxConcurrency: l1.MaxConcurrency,
    MaxErrors: l1.MaxErrors,
  });
}

const association = (ssm: SimulatedSsm) => ssm.associations.get(ASSOCIATION_ID)!;

let ssm: SimulatedSsm;
let cfn: SimulatedCloudFormation;

beforeEach(() => {
  ssm = new SimulatedSsm();
  cfn = new SimulatedCloudFormation(ssm);
});

afterEach(() => jest.restoreAllMocks());

describe('association companion', () => {
  test('create applies the alarm and writes every other field back', async () => {
    // GIVEN: CloudFormation created the association
    const { l1, companion } = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, l1);
    // WHEN
    const response = await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', companion);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `alarm-${ASSOCIATION_ID}`, polls: 1 });
    expect(association(ssm)).toMatchObject({
      AlarmConfiguration: ALARM, Name: 'AWS-RunPatchBaseline', MaxConcurrency: '10%', MaxErrors: '1', Parameters: { Operation: ['Install'] },
    });
    // Only the isComplete function called Systems Manager, with the companion's role, in the isComplete phase.
    expect(ssm.callsOf('AssumeRole').map((call) => call.input)).toEqual([expect.objectContaining({
      RoleArn: ROLE_ARN, RoleSessionName: 'cdk-ssm-ops-isComplete', Tags: [{ Key: 'cdk-ssm-ops:phase', Value: 'isComplete' }],
    })]);
  });

  test('an update of the association changes the companion, which applies the alarm again', async () => {
    // GIVEN
    const before = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, before.l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', before.companion);
    // WHEN: the association changes; CloudFormation's update of it wipes the alarm
    const after = synthesizeAssociation({ maxErrors: ErrorThreshold.count(3) });
    cloudFormationWritesAssociation(ssm, after.l1);
    expect(association(ssm).AlarmConfiguration).toBeUndefined();
    expect(after.companion).not.toEqual(before.companion);
    const response = await cfn.update(ASSOCIATION, after.companion);
    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(association(ssm)).toMatchObject({ AlarmConfiguration: ALARM, MaxErrors: '3' });
  });

  test('an escape-hatch override of the association changes the companion, which applies the alarm again', async () => {
    // GIVEN
    const before = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, before.l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', before.companion);
    // WHEN: an override that the L2 knows nothing of
    const after = synthesizeAssociation({}, (l1) => l1.addPropertyOverride('ComplianceSeverity', 'CRITICAL'));
    cloudFormationWritesAssociation(ssm, after.l1);
    expect(after.companion).not.toEqual(before.companion);
    const response = await cfn.update(ASSOCIATION, after.companion);
    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(association(ssm)).toMatchObject({ AlarmConfiguration: ALARM, ComplianceSeverity: 'CRITICAL' });
  });

  test('the rollback of a failed update puts the association back and the companion applies the alarm again', async () => {
    // GIVEN
    const before = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, before.l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', before.companion);
    // WHEN: the update of the association and of its companion succeed, then another resource fails ...
    const after = synthesizeAssociation({ maxErrors: ErrorThreshold.count(3) });
    cloudFormationWritesAssociation(ssm, after.l1);
    expect((await cfn.update(ASSOCIATION, after.companion)).Status).toBe('SUCCESS');
    // ... and CloudFormation rolls back: the association first (which wipes the alarm), then its dependent companion
    cloudFormationWritesAssociation(ssm, before.l1);
    expect(association(ssm).AlarmConfiguration).toBeUndefined();
    const rollback = await cfn.update(ASSOCIATION, before.companion);
    // THEN
    expect(rollback.Status).toBe('SUCCESS');
    expect(association(ssm)).toMatchObject({ AlarmConfiguration: ALARM, MaxErrors: '1' });
  });

  test('the rollback of an update whose companion failed applies the alarm to the association put back', async () => {
    // GIVEN
    const before = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, before.l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', before.companion);
    // WHEN: the association is updated, and its companion is refused past the IAM propagation window
    const after = synthesizeAssociation({ maxErrors: ErrorThreshold.count(3) });
    cloudFormationWritesAssociation(ssm, after.l1);
    ssm.fail({ operation: 'UpdateAssociation', error: 'AccessDeniedException', untilMs: ssm.now + 3 * 60_000 });
    const failed = await cfn.update(ASSOCIATION, after.companion);
    cloudFormationWritesAssociation(ssm, before.l1);
    const rollback = await cfn.update(ASSOCIATION, before.companion);
    // THEN
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/^could not apply the alarm configuration to association .* \(AccessDeniedException: /);
    expect(rollback.Status).toBe('SUCCESS');
    expect(association(ssm)).toMatchObject({ AlarmConfiguration: ALARM, MaxErrors: '1' });
  });

  test('a delete while Systems Manager throttles completes once a call gets through', async () => {
    // GIVEN
    const { l1, companion } = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', companion);
    // WHEN: the next 6 updates are throttled (after the SDK's own retries)
    ssm.fail({ operation: 'UpdateAssociation', error: 'ThrottlingException', times: 6 });
    const response = await cfn.delete(ASSOCIATION);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', polls: 7 });
    expect(association(ssm).AlarmConfiguration).toBeUndefined();
    expect(association(ssm).MaxErrors).toBe('1');
  });

  test('a delete still throttled 10 minutes after the request fails, saying what to do, within CloudFormation\'s 4,096 bytes', async () => {
    // GIVEN
    const { l1, companion } = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', companion);
    // WHEN
    ssm.fail({ operation: 'DescribeAssociation', error: 'ThrottlingException', untilMs: ssm.now + 15 * 60_000 });
    const started = ssm.now;
    const response = await cfn.delete(ASSOCIATION);
    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.at - started).toBe(10 * 60_000);
    expect(response.polls).toBe(10 * 60_000 / QUERY_INTERVAL_MS + 1);
    expect(response.Reason).toMatch(new RegExp(`^could not remove the alarm configuration from association ${ASSOCIATION_ID} for 10 minutes .*`
      + 'The alarm may still be set on the association: .* or retry the delete, which is safe'));
    expect(response.bytes).toBeLessThanOrEqual(4096);
    // Deleting the stack again, once Systems Manager answers, succeeds.
    ssm.advance(5 * 60_000);
    expect((await cfn.delete(ASSOCIATION)).Status).toBe('SUCCESS');
    expect(association(ssm).AlarmConfiguration).toBeUndefined();
  });

  test('a delete of a companion whose association is gone completes', async () => {
    const { l1, companion } = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, l1);
    await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', companion);
    ssm.associations.delete(ASSOCIATION_ID);
    expect(await cfn.delete(ASSOCIATION)).toMatchObject({ Status: 'SUCCESS', polls: 1 });
  });

  test('IAM propagation: the new role refused for its first minute, and then Systems Manager for 30 seconds more', async () => {
    // GIVEN: a role just created, which STS refuses to assume for a minute, and whose policy SSM refuses after that
    const { l1, companion } = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, l1);
    ssm.roleUsableAt.set(ROLE_ARN, ssm.now + 60_000);
    ssm.fail({ operation: 'DescribeAssociation', error: 'AccessDeniedException', untilMs: ssm.now + 90_000 });
    // WHEN
    const response = await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', companion);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', polls: 90_000 / QUERY_INTERVAL_MS + 1 });
    expect(association(ssm).AlarmConfiguration).toEqual(ALARM);
    expect(ssm.calls.filter((call) => call.operation === 'AssumeRole' && call.error === 'AccessDenied')).toHaveLength(60_000 / QUERY_INTERVAL_MS);
    // Once assumed, the credentials serve the polls that follow: one AssumeRole that succeeded.
    expect(ssm.callsOf('AssumeRole')).toHaveLength(1);
  });

  test('a role still refused 2 minutes after the request fails the create, naming the role', async () => {
    const { l1, companion } = synthesizeAssociation();
    cloudFormationWritesAssociation(ssm, l1);
    ssm.roleUsableAt.set(ROLE_ARN, ssm.now + 60 * 60_000);
    const response = await cfn.create(ASSOCIATION, 'Custom::SsmAssociationAlarm', companion);
    expect(response.Status).toBe('FAILED');
    expect(response.at - ssm.calls[0].at).toBe(2 * 60_000);
    expect(response.Reason).toContain(`(AccessDenied: User is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}). `
      + `The companion's role ${ROLE_ARN} is still refused 2 minutes after the request`);
  });
});

describe('window task companion', () => {
  const task = (simulated: SimulatedSsm) => simulated.windowTasks.get(TASK_ID)!;

  test('create applies the alarm; an update of the task applies it again', async () => {
    // GIVEN
    const before = synthesizeTask(1);
    cloudFormationWritesTask(ssm, before.l1);
    // WHEN
    const created = await cfn.create(TASK, 'Custom::SsmMaintenanceWindowTaskAlarm', before.companion);
    const after = synthesizeTask(2);
    cloudFormationWritesTask(ssm, after.l1);
    const updated = await cfn.update(TASK, after.companion);
    // THEN
    expect([created.Status, updated.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(task(ssm)).toMatchObject({ AlarmConfiguration: ALARM, Priority: 2, TaskArn: 'AWS-RunPatchBaseline' });
  });

  test('the rollback of a failed update puts the task back and the companion applies the alarm again', async () => {
    // GIVEN
    const before = synthesizeTask(1);
    cloudFormationWritesTask(ssm, before.l1);
    await cfn.create(TASK, 'Custom::SsmMaintenanceWindowTaskAlarm', before.companion);
    const after = synthesizeTask(2);
    cloudFormationWritesTask(ssm, after.l1);
    await cfn.update(TASK, after.companion);
    // WHEN: the rollback, the task first, then its companion
    cloudFormationWritesTask(ssm, before.l1);
    expect(task(ssm).AlarmConfiguration).toBeUndefined();
    const rollback = await cfn.update(TASK, before.companion);
    // THEN
    expect(rollback.Status).toBe('SUCCESS');
    expect(task(ssm)).toMatchObject({ AlarmConfiguration: ALARM, Priority: 1 });
  });

  test('a delete while Systems Manager throttles completes, and removes the alarm only', async () => {
    const { l1, companion } = synthesizeTask(1);
    cloudFormationWritesTask(ssm, l1);
    await cfn.create(TASK, 'Custom::SsmMaintenanceWindowTaskAlarm', companion);
    ssm.fail({ operation: 'GetMaintenanceWindowTask', error: 'ThrottlingException', times: 3 });
    ssm.fail({ operation: 'UpdateMaintenanceWindowTask', error: 'InternalServerError', times: 2 });
    const response = await cfn.delete(TASK);
    expect(response).toMatchObject({ Status: 'SUCCESS', polls: 6 });
    expect(task(ssm).AlarmConfiguration).toBeUndefined();
    expect(task(ssm)).toMatchObject({ Priority: 1, TaskArn: 'AWS-RunPatchBaseline', MaxConcurrency: '1', MaxErrors: '0' });
  });
});
