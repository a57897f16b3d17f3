import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Association, AssociationProps, AssociationSchedule, AwsManagedDocument, Target } from '../../src';

function stack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
}

function association(scope: Stack, props: Partial<AssociationProps> = {}): Association {
  return new Association(scope, 'Patch', {
    document: AwsManagedDocument.RUN_PATCH_BASELINE,
    parameters: { Operation: ['Install'] },
    targets: [Target.tag('Role', 'web')],
    associationName: 'Nightly-Patch',
    waitForRun: {},
    ...props,
  });
}

function runResource(template: Template): { id: string; resource: any } {
  const [[id, resource]] = Object.entries(template.findResources('Custom::SsmAssociationRun'));
  return { id, resource };
}

describe('Association waitForRun', () => {
  test('adds a Custom::SsmAssociationRun that carries the association\'s rendered properties, a 30-minute wait and its record', () => {
    const scope = stack();
    association(scope);
    const template = Template.fromStack(scope);
    template.resourceCountIs('Custom::SsmAssociationRun', 1);
    template.hasResourceProperties('Custom::SsmAssociationRun', {
      AssociationId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Patch'), 'AssociationId'] },
      WatchedProperties: { Association: Match.objectLike({ Name: 'AWS-RunPatchBaseline', AssociationName: 'Nightly-Patch', Parameters: { Operation: ['Install'] } }) },
      WaitSeconds: '1800',
      ResultParameter: Match.stringLikeRegexp('^/cdk-ssm-ops/association-run/Stack/PatchRun'),
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PatchRunHandlerRole'), 'Arn'] },
    });
  });

  test('no run wait without waitForRun, and run is undefined', () => {
    const scope = stack();
    const plain = association(scope, { waitForRun: undefined });
    Template.fromStack(scope).resourceCountIs('Custom::SsmAssociationRun', 0);
    expect(plain.run).toBeUndefined();
  });

  test('run exposes the execution\'s attributes', () => {
    const scope = stack();
    const run = association(scope).run!;
    const { id } = runResource(Template.fromStack(scope));
    expect(scope.resolve(run.executionId)).toEqual({ 'Fn::GetAtt': [id, 'ExecutionId'] });
    expect(scope.resolve(run.status)).toEqual({ 'Fn::GetAtt': [id, 'Status'] });
    expect(scope.resolve(run.countsByStatus)).toEqual({ 'Fn::GetAtt': [id, 'CountsByStatus'] });
    expect(scope.resolve(run.triggeredAlarms)).toEqual({ 'Fn::GetAtt': [id, 'TriggeredAlarms'] });
    expect(scope.resolve(run.failedCount)).toEqual({ 'Fn::GetAtt': [id, 'FailedCount'] });
  });

  test('escape-hatch overrides of the association reach the watched properties', () => {
    const scope = stack();
    const patch = association(scope);
    (patch.node.defaultChild as CfnResource).addPropertyOverride('MaxErrors', '3');
    Template.fromStack(scope).hasResourceProperties('Custom::SsmAssociationRun', {
      WatchedProperties: { Association: Match.objectLike({ MaxErrors: '3' }) },
    });
  });

  test('depends on the association, and on the alarm companion that writes it back', () => {
    const scope = stack();
    const alarm = cloudwatch.Alarm.fromAlarmArn(scope, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
    association(scope, { alarmConfiguration: { alarms: [alarm] } });
    const template = Template.fromStack(scope);
    const { resource } = runResource(template);
    const [associationId] = Object.keys(template.findResources('AWS::SSM::Association'));
    const [companionId] = Object.keys(template.findResources('Custom::SsmAssociationAlarm'));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([associationId, companionId]));
    expect(resource.Properties.WatchedProperties.AlarmConfiguration).toEqual({ Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: 'false' });
  });

  test('its role: DescribeAssociation in onEvent, the executions, targets, invocations and its record in isComplete', () => {
    const scope = stack();
    association(scope);
    const template = Template.fromStack(scope);
    const roles = template.findResources('AWS::IAM::Role', { Properties: { Path: '/cdk-ssm-ops/' } });
    const [role] = Object.values(roles).filter((candidate: any) => JSON.stringify(candidate).includes('DescribeAssociationExecutions'));
    const statements = (role as any).Properties.Policies[0].PolicyDocument.Statement;
    const phaseOf = (action: string) => statements.find((statement: any) => [statement.Action].flat().includes(action))
      ?.Condition.StringEquals['aws:PrincipalTag/cdk-ssm-ops:phase'];
    expect(phaseOf('ssm:DescribeAssociation')).toBe('onEvent');
    expect(phaseOf('ssm:DescribeAssociationExecutions')).toBe('isComplete');
    expect(phaseOf('ssm:DescribeAssociationExecutionTargets')).toBe('isComplete');
    expect(phaseOf('ssm:GetCommandInvocation')).toBe('isComplete');
    expect(phaseOf('ssm:PutParameter')).toBe('isComplete');
    expect(phaseOf('ssm:DescribeInstanceInformation')).toBeUndefined();
    const executions = statements.find((statement: any) => [statement.Action].flat().includes('ssm:DescribeAssociationExecutions'));
    expect(JSON.stringify(executions.Resource)).toContain(':association/');
    const record = statements.find((statement: any) => [statement.Action].flat().includes('ssm:PutParameter'));
    expect(JSON.stringify(record.Resource)).toContain(':parameter/cdk-ssm-ops/association-run/Stack/PatchRun');
    // Each phase's function may assume it, tagged with its phase.
    const trust = (role as any).Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.flatMap((statement: any) => [statement.Condition?.StringEquals?.['aws:RequestTag/cdk-ssm-ops:phase']].flat()).filter(Boolean).sort())
      .toEqual(['isComplete', 'onEvent']);
  });

  test('timeout, failOnNoTargets and waitForOnline are rendered', () => {
    const scope = stack();
    association(scope, {
      targets: [Target.instanceIds('i-0123456789abcdef0')],
      waitForRun: { timeout: Duration.minutes(45), failOnNoTargets: false, waitForOnline: true },
    });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('Custom::SsmAssociationRun', { WaitSeconds: '2700', FailOnNoTargets: 'false', WaitForOnline: ['i-0123456789abcdef0'] });
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ssm:DescribeInstanceInformation']) })]) } }],
    });
  });

  test('fails when the timeout is over an hour', () => {
    expect(() => association(stack(), { waitForRun: { timeout: Duration.minutes(61) } }))
      .toThrow(/Stack\/Patch: waitForRun.timeout .* is not valid; use whole seconds from 1 second to 1 hour/);
  });

  test('fails when applyOnlyAtCronInterval is set: nothing runs at deploy time', () => {
    expect(() => association(stack(), {
      schedule: AssociationSchedule.cron({ hour: '2', minute: '0' }),
      applyOnlyAtCronInterval: true,
    })).toThrow('Stack/Patch: waitForRun is not allowed with applyOnlyAtCronInterval: true, which runs the association only at its cron schedule');
  });

  test('fails when waitForSuccessTimeout is set, saying which to use', () => {
    expect(() => association(stack(), { waitForSuccessTimeout: Duration.minutes(10) }))
      .toThrow(/waitForRun is not allowed with waitForSuccessTimeout: both wait for the same run\. .*Use waitForRun \(at most 1 hour\), or waitForSuccessTimeout for runs longer than an hour/);
  });

  test('fails when waitForOnline has no instance ID targets', () => {
    expect(() => association(stack(), { waitForRun: { waitForOnline: true } })).toThrow('waitForRun.waitForOnline needs instance ID targets');
  });
});
