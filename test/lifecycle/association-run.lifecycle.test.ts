import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AssociationRunCloudFormation, SimulatedAssociationSsm } from './simulated-association-executions';
import { Association, AssociationProps, AwsManagedDocument, RunCommand, Target } from '../../src';

// The association run wait driven the way CloudFormation drives it, through the real entry points, against the
// simulated Systems Manager grown with association executions: CloudFormation writes the association (a new version
// and an execution), the alarm companion writes it back (another), and the run wait follows the right one.

const ASSOCIATION_ID = '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/cdk-ssm-ops/LifecycleStack-PatchRunHandlerRole-ABCDEFGHIJKL';
const RUN = 'PatchRun';
const ALARM = 'PatchAlarmConfiguration';
const TYPE = 'Custom::SsmAssociationRun';

function synthesize(props: Partial<AssociationProps> = {}): { l1: Record<string, any>; run: Record<string, any>; companion?: Record<string, any> } {
  const stack = new Stack(new App(), 'LifecycleStack', { env: { account: '111111111111', region: 'us-east-1' } });
  new Association(stack, 'Patch', {
    document: AwsManagedDocument.RUN_SHELL_SCRIPT,
    parameters: { commands: ['apt-get install -y nginx-extras'] },
    targets: [Target.tag('Role', 'web')],
    associationName: 'Nightly-Patch',
    waitForRun: { timeout: Duration.minutes(20) },
    ...props,
  });
  const template = Template.fromStack(stack);
  const l1 = Object.values(template.findResources('AWS::SSM::Association'))[0].Properties;
  const resolve = (properties: Record<string, any>) => {
    const { ServiceToken, ...rest } = properties;
    return { ...rest, AssociationId: ASSOCIATION_ID, RoleArn: ROLE_ARN };
  };
  const run = resolve(Object.values(template.findResources(TYPE))[0].Properties);
  const companions = Object.values(template.findResources('Custom::SsmAssociationAlarm'));
  return { l1, run, companion: companions.length ? resolve(companions[0].Properties) : undefined };
}

let ssm: SimulatedAssociationSsm;
let cfn: AssociationRunCloudFormation;

beforeEach(() => {
  ssm = new SimulatedAssociationSsm();
  cfn = new AssociationRunCloudFormation(ssm);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

test('create: waits for the execution CloudFormation started, with one SSM call per poll, and returns its attributes', async () => {
  const { l1, run } = synthesize();
  ssm.writeAssociation(ASSOCIATION_ID, l1);
  const response = await cfn.create(RUN, TYPE, run);
  expect(response.Status).toBe('SUCCESS');
  expect(response.Data).toMatchObject({ ExecutionId: ssm.executionIds[0], Status: 'Success', TargetCount: '3', SuccessCount: '3', CountsByStatus: 'Success=3' });
  expect(response.polls).toBeGreaterThan(5);
  // One DescribeAssociationExecutions per poll, the record written once at the end.
  expect(ssm.callsOf('DescribeAssociationExecutions')).toHaveLength(response.polls);
  expect(ssm.callsOf('PutParameter')).toHaveLength(1);
});

test('with an alarm: waits for the execution of the version the companion wrote back, and names the alarm that stopped it', async () => {
  const alarmStack = new Stack(new App(), 'Alarms');
  const alarm = cloudwatch.Alarm.fromAlarmArn(alarmStack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
  const { l1, run, companion } = synthesize({ alarmConfiguration: { alarms: [alarm] } });
  ssm.writeAssociation(ASSOCIATION_ID, l1);
  expect((await cfn.create(ALARM, 'Custom::SsmAssociationAlarm', companion!)).Status).toBe('SUCCESS');
  // The companion's write starts the execution that runs with the alarm, which stops it.
  ssm.executionCourse = { targets: 50, failed: 5, runMs: 90_000, alarm: 'deploy-health', stderr: 'E: Unable to locate package nginx-extras\n' };
  const before = ssm.executionIds.length;
  expect(ssm.associations.get(ASSOCIATION_ID)!.AssociationVersion).toBe('2');
  // The companion's UpdateAssociation started execution 2 with the first course; start another write to use the new course.
  ssm.updateAssociation({ ...ssm.associations.get(ASSOCIATION_ID), AssociationId: ASSOCIATION_ID });
  const response = await cfn.create(RUN, TYPE, run);
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toContain(`waitForRun of association Nightly-Patch (${ASSOCIATION_ID}): execution ${ssm.executionIds[before]} (version 3) ended Failed`);
  expect(response.Reason).toContain('5 of 50 nodes did not succeed (Failed=5, Success=45); stopped by the alarm deploy-health: ALARM; the first 3 of them: ');
  expect(response.Reason).toContain('i-00000000000000045: Failed (step runShellScript, command ');
  expect(response.Reason).toContain('E: Unable to locate package nginx-extras');
  expect(response.bytes).toBeLessThanOrEqual(4096);
  // The real message, for the README.
  console.info(response.Reason.split('\n')[0]);
});

test('an update that leaves the association as it was keeps the attributes; a change waits for the new execution', async () => {
  const { l1, run } = synthesize();
  ssm.writeAssociation(ASSOCIATION_ID, l1);
  const created = await cfn.create(RUN, TYPE, run);
  const unchanged = await cfn.update(RUN, { ...run, WaitSeconds: '900' });
  expect(unchanged.Data).toMatchObject({ ExecutionId: created.Data!.ExecutionId, Status: 'Success' });
  expect(ssm.callsOf('DescribeAssociationExecutions')).toHaveLength(created.polls);

  const changed = synthesize({ maxConcurrency: undefined, parameters: { commands: ['apt-get install -y nginx'] } });
  ssm.writeAssociation(ASSOCIATION_ID, changed.l1);
  const updated = await cfn.update(RUN, changed.run);
  expect(updated.Data).toMatchObject({ ExecutionId: ssm.executionIds[1], AssociationVersion: '2', Status: 'Success' });
});

test('an execution not visible for its first reads is waited for', async () => {
  const { l1, run } = synthesize();
  ssm.executionCourse = { targets: 3, failed: 0, runMs: 10_000, invisibleReads: 8 };
  ssm.writeAssociation(ASSOCIATION_ID, l1);
  const response = await cfn.create(RUN, TYPE, run);
  expect(response.Data).toMatchObject({ Status: 'Success' });
});

test('the role still propagating in IAM: retried, then the run is waited for', async () => {
  const { l1, run } = synthesize();
  ssm.writeAssociation(ASSOCIATION_ID, l1);
  ssm.roleUsableAt.set(ROLE_ARN, ssm.now + 45_000);
  const response = await cfn.create(RUN, TYPE, run);
  expect(response.Data).toMatchObject({ Status: 'Success', AssociationVersion: '1' });
});

test('delete removes the record', async () => {
  const { l1, run } = synthesize();
  ssm.writeAssociation(ASSOCIATION_ID, l1);
  await cfn.create(RUN, TYPE, run);
  expect(ssm.parameters.size).toBe(1);
  expect((await cfn.delete(RUN)).Status).toBe('SUCCESS');
  expect(ssm.parameters.size).toBe(0);
});

test('RunCommand names the alarm that stopped its command, in its failure and its TriggeredAlarms attribute', async () => {
  const stack = new Stack(new App(), 'LifecycleStack', { env: { account: '111111111111', region: 'us-east-1' } });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
  const make = (failOnCommandFailure: boolean, id: string) => {
    new RunCommand(stack, id, {
      document: AwsManagedDocument.RUN_SHELL_SCRIPT,
      parameters: { commands: ['systemctl restart app'] },
      targets: [Target.tag('Role', 'web')],
      alarmConfiguration: { alarms: [alarm] },
      failOnCommandFailure,
    });
  };
  make(true, 'Restart');
  make(false, 'Tolerant');
  const resources = Object.values(Template.fromStack(stack).findResources('Custom::SsmRunCommand'))
    .map(({ Properties: { ServiceToken, ...properties } }) => ({ ...properties, RoleArn: ROLE_ARN }));
  ssm.course = { targets: 3, failed: 1, pendingMs: 0, inProgressMs: 20_000 };
  ssm.commandAlarm = 'deploy-health';
  const failed = await cfn.create('Restart', 'Custom::SsmRunCommand', resources[0]);
  expect(failed.Reason).toMatch(/^command \S+ ended Failed \(Failed\), stopped by the alarm deploy-health: ALARM: 1 of 3 nodes failed/);
  const tolerated = await cfn.create('Tolerant', 'Custom::SsmRunCommand', resources[1]);
  expect(tolerated.Data).toMatchObject({ Status: 'Failed', TriggeredAlarms: 'deploy-health: ALARM' });
});
