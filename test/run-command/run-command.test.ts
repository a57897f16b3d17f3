import { CfnElement, CfnParameter, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AwsManagedDocument, Concurrency, ErrorThreshold, RunCommand, RunCommandProps, Target } from '../../src';
import { testStack } from '../util';

const INSTALL: RunCommandProps = {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['yum install -y my-agent'] },
  targets: [Target.tag('Role', 'web')],
};

/** The role of a custom resource of the construct at this logical ID prefix. */
function handlerRole(stack: Stack, prefix: string): any {
  const roles = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith(`${prefix}HandlerRole`));
  expect(roles).toHaveLength(1);
  return roles[0][1].Properties;
}

/** The statements of a resource's role that a phase may use, without their phase condition. */
function phaseStatements(stack: Stack, prefix: string, phase: 'onEvent' | 'isComplete'): any[] {
  return handlerRole(stack, prefix).Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)
    .filter((statement: any) => [statement.Condition.StringEquals['aws:PrincipalTag/cdk-ssm-ops:phase']].flat().includes(phase))
    .map(({ Condition: { StringEquals: { 'aws:PrincipalTag/cdk-ssm-ops:phase': _phase, ...equals }, ...conditions }, ...statement }: any) =>
      (Object.keys(equals).length ? { ...statement, Condition: { ...conditions, StringEquals: equals } }
        : Object.keys(conditions).length ? { ...statement, Condition: conditions } : statement));
}

const partition = { Ref: 'AWS::Partition' };
const RESULT_PARAMETER = '/cdk-ssm-ops/run-command/Stack/InstallAgent97B761AF';
const arn = (...parts: string[]) => ({ 'Fn::Join': ['', ['arn:', partition, ...parts]] });

describe('RunCommand', () => {
  test('default configuration', () => {
    const stack = testStack();
    new RunCommand(stack, 'InstallAgent', INSTALL);
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('writes the command for the shared provider and exposes its attributes', () => {
    // GIVEN
    const stack = testStack();
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:health');
    // WHEN
    const install = new RunCommand(stack, 'InstallAgent', {
      ...INSTALL,
      maxConcurrency: Concurrency.percentage(25),
      maxErrors: ErrorThreshold.count(0),
      alarmConfiguration: { alarms: [alarm] },
      comment: 'install the agent',
      deliveryTimeout: Duration.minutes(10),
      timeout: Duration.minutes(20),
      triggers: { version: '1.4.2' },
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::SsmRunCommand', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkSsmOpsProviderframeworkonEvent'), 'Arn'] },
      Command: {
        DocumentName: 'AWS-RunShellScript',
        Parameters: { commands: ['yum install -y my-agent'] },
        Targets: [{ Key: 'tag:Role', Values: ['web'] }],
        MaxConcurrency: '25%',
        MaxErrors: '0',
        AlarmConfiguration: { Alarms: [{ Name: 'health' }], IgnorePollAlarmFailure: 'false' },
        Comment: 'install the agent',
        TimeoutSeconds: '600',
      },
      Triggers: { version: '1.4.2' },
      WaitSeconds: '1200',
    });
    const logicalId = stack.getLogicalId(install.node.findChild('Resource').node.defaultChild as CfnElement);
    const attributes = [
      install.commandId, install.status, install.statusDetails, install.targetCount, install.completedCount, install.errorCount, install.output,
      install.notRunCount, install.nodesNotRun,
    ];
    expect(attributes.map((attribute) => stack.resolve(attribute))).toEqual(
      ['CommandId', 'Status', 'StatusDetails', 'TargetCount', 'CompletedCount', 'ErrorCount', 'Output', 'NotRunCount', 'NodesNotRun']
        .map((name) => ({ 'Fn::GetAtt': [logicalId, name] })));
  });

  test('two RunCommands in a stack share one provider', () => {
    // GIVEN
    const single = testStack();
    new RunCommand(single, 'One', INSTALL);
    const functionsWithOne = Object.keys(Template.fromStack(single).findResources('AWS::Lambda::Function')).length;
    const stack = testStack();
    // WHEN
    new RunCommand(stack, 'One', INSTALL);
    new RunCommand(stack, 'Two', { ...INSTALL, targets: [Target.tag('Role', 'api')] });
    // THEN
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(functionsWithOne);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('Custom::SsmRunCommand', 2);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Handler: 'index.handler', Description: 'cdk-ssm-ops custom resources: onEvent' });
  });

  test('tag targets: SendCommand on the document, and on nodes narrowed by the tag; reads on *', () => {
    const stack = testStack();
    new RunCommand(stack, 'InstallAgent', INSTALL);
    const both = [
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: arn(':ssm:', { Ref: 'AWS::Region' } as any, '::document/AWS-RunShellScript') },
      {
        Action: 'ssm:SendCommand',
        Effect: 'Allow',
        Resource: [arn(':ec2:us-east-1:111111111111:instance/*'), arn(':ssm:us-east-1:111111111111:managed-instance/*')],
        Condition: { StringEquals: { 'ssm:resourceTag/Role': ['web'] } },
      },
      { Action: ['ssm:ListCommands', 'ssm:CancelCommand'], Effect: 'Allow', Resource: '*' },
      { Action: ['ssm:GetParameter', 'ssm:PutParameter'], Effect: 'Allow', Resource: arn(`:ssm:us-east-1:111111111111:parameter${RESULT_PARAMETER}`) },
    ];
    expect(phaseStatements(stack, 'InstallAgent', 'onEvent')).toEqual(both);
    expect(phaseStatements(stack, 'InstallAgent', 'isComplete')).toEqual([
      ...both,
      { Action: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'], Effect: 'Allow', Resource: '*' },
      { Action: 'ssm:DeleteParameter', Effect: 'Allow', Resource: arn(`:ssm:us-east-1:111111111111:parameter${RESULT_PARAMETER}`) },
    ]);
  });

  test('each statement of the role is allowed in the phases that call it, and only there', () => {
    const stack = testStack();
    new RunCommand(stack, 'InstallAgent', INSTALL);
    const conditions = handlerRole(stack, 'InstallAgent').Policies[0].PolicyDocument.Statement
      .map((statement: any) => [statement.Action, statement.Condition.StringEquals['aws:PrincipalTag/cdk-ssm-ops:phase']]);
    expect(conditions).toEqual([
      ['ssm:SendCommand', ['onEvent', 'isComplete']],
      ['ssm:SendCommand', ['onEvent', 'isComplete']],
      [['ssm:ListCommands', 'ssm:CancelCommand'], ['onEvent', 'isComplete']],
      [['ssm:GetParameter', 'ssm:PutParameter'], ['onEvent', 'isComplete']],
      [['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'], 'isComplete'],
      ['ssm:DeleteParameter', 'isComplete'],
    ]);
  });

  test('its own role, trusted by the onEvent and isComplete functions with sessions tagged with their phase', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new RunCommand(stack, 'InstallAgent', INSTALL);
    // THEN
    const template = Template.fromStack(stack);
    const role = handlerRole(stack, 'InstallAgent');
    const functionRole = (phase: string) => Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith(`CdkSsmOpsProvider${phase}ServiceRole`));
    expect(role.Path).toBe('/cdk-ssm-ops/');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual(['OnEvent', 'IsComplete'].map((phase) => ({
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [functionRole(phase), 'Arn'] } },
      Condition: { StringEquals: { 'aws:RequestTag/cdk-ssm-ops:phase': phase.charAt(0).toLowerCase() + phase.slice(1) } },
    })));
    // The statements are the role's own, inline: the resource adds no policy to the stack.
    expect(Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.startsWith('InstallAgent'))).toEqual([]);
    template.hasResourceProperties('Custom::SsmRunCommand', {
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InstallAgentHandlerRole'), 'Arn'] },
      ResultParameter: RESULT_PARAMETER,
    });
  });

  test('the result parameter is named after the stack and the resource\'s logical ID, unique in the stack', () => {
    // GIVEN
    const stack = testStack();
    const scope = new Construct(stack, 'Fleet');
    // WHEN
    new RunCommand(stack, 'InstallAgent', INSTALL);
    new RunCommand(scope, 'InstallAgent', INSTALL);
    // THEN
    const names = Object.values(Template.fromStack(stack).findResources('Custom::SsmRunCommand')).map((resource) => resource.Properties.ResultParameter);
    expect(names.sort()).toEqual(['/cdk-ssm-ops/run-command/Stack/FleetInstallAgent79565E3D', RESULT_PARAMETER]);
    expect(phaseStatements(stack, 'FleetInstallAgent', 'isComplete').find((statement) => statement.Action === 'ssm:DeleteParameter').Resource)
      .toEqual(arn(':ssm:us-east-1:111111111111:parameter/cdk-ssm-ops/run-command/Stack/FleetInstallAgent79565E3D'));
  });

  test('a construct renamed with its logical ID kept keeps its result parameter', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const renamed = new RunCommand(stack, 'AgentInstall', INSTALL);
    (renamed.node.findChild('Resource').node.defaultChild as CfnResource).overrideLogicalId('InstallAgent97B761AF');
    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::SsmRunCommand', { ResultParameter: RESULT_PARAMETER });
  });

  test('with an alarm configuration, the role may describe the alarm, which Systems Manager checks with the caller\'s permissions', () => {
    // GIVEN
    const stack = testStack();
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:health');
    // WHEN
    new RunCommand(stack, 'InstallAgent', { ...INSTALL, alarmConfiguration: { alarms: [alarm] } });
    // THEN
    for (const phase of ['onEvent', 'isComplete'] as const) {
      expect(phaseStatements(stack, 'InstallAgent', phase)).toContainEqual(
        { Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:health' });
    }
  });

  test('instance targets, output bucket, notifications and Online checks: only what each needs', () => {
    // GIVEN
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Output', 'run-output');
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:runs');
    // WHEN
    new RunCommand(stack, 'Install', {
      ...INSTALL,
      targets: [Target.instanceIds('i-1234567890abcdef0', 'mi-0123456789abcdef0')],
      outputS3: { bucket, keyPrefix: 'runs/' },
      notification: { topic },
      waitForOnline: true,
    });
    // THEN
    const statements = phaseStatements(stack, 'Install', 'onEvent');
    expect(statements[0]).toEqual({
      Action: 'ssm:SendCommand',
      Effect: 'Allow',
      Resource: [arn(':ssm:', { Ref: 'AWS::Region' } as any, '::document/AWS-RunShellScript'), arn(':s3:::run-output')],
    });
    expect(statements[1]).toEqual({
      Action: 'ssm:SendCommand',
      Effect: 'Allow',
      Resource: [arn(':ec2:us-east-1:111111111111:instance/i-1234567890abcdef0'), arn(':ssm:us-east-1:111111111111:managed-instance/mi-0123456789abcdef0')],
    });
    const notificationRole = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role')).find((id) => id.startsWith('InstallNotificationRole'));
    expect(statements[4]).toEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [notificationRole, 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    });
    expect(statements).toHaveLength(5);
    // Online checks are isComplete's only.
    expect(statements.flatMap((statement) => statement.Action)).not.toContain('ssm:DescribeInstanceInformation');
    expect(phaseStatements(stack, 'Install', 'isComplete').flatMap((statement) => statement.Action)).toContain('ssm:DescribeInstanceInformation');
  });

  describe('validation', () => {
    test('fails when targets name two resource groups, or a tag with 6 values', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Groups', { ...INSTALL, targets: [Target.resourceGroup('a'), Target.resourceGroup('b')] })).toThrow(
        'Stack/Groups: targets has 2 resource groups; use at most 1');
      expect(() => new RunCommand(stack, 'Values', { ...INSTALL, targets: [Target.tag('Role', 'a', 'b', 'c', 'd', 'e', 'f')] })).toThrow(
        "Stack/Values: targets[0] ('tag:Role') has 6 values; use 1 to 5 (Run Command takes five values for each tag key)");
    });

    test('fails with the construct path when timeout or deliveryTimeout is a token in minutes, and takes tokens in seconds', () => {
      const stack = testStack();
      const value = new CfnParameter(stack, 'Value', { type: 'Number' }).valueAsNumber;
      expect(() => new RunCommand(stack, 'A', { ...INSTALL, timeout: Duration.minutes(value) })).toThrow(
        "Stack/A: timeout (a token, in minutes) can't be converted to seconds before deployment; give the token with Duration.seconds()");
      expect(() => new RunCommand(stack, 'B', { ...INSTALL, deliveryTimeout: Duration.hours(value) })).toThrow(
        "Stack/B: deliveryTimeout (a token, in hours) can't be converted to seconds before deployment; give the token with Duration.seconds()");
      new RunCommand(stack, 'C', { ...INSTALL, timeout: Duration.seconds(value), deliveryTimeout: Duration.seconds(value) });
      Template.fromStack(stack).hasResourceProperties('Custom::SsmRunCommand', {
        WaitSeconds: { Ref: 'Value' }, Command: Match.objectLike({ TimeoutSeconds: { Ref: 'Value' } }),
      });
    });

    test('fails when there are 51 instance IDs', () => {
      const stack = testStack();
      const ids = Array.from({ length: 51 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, targets: [Target.instanceIds(...ids)] })).toThrow(
        "Stack/Run: targets[0] ('InstanceIds') has 51 values; use 1 to 50");
    });

    test('fails when the timeout is 2 hours', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, timeout: Duration.hours(2) })).toThrow(
        'Stack/Run: timeout 2 hours is not valid; use whole seconds from 1 second to 1 hour (the longest CloudFormation waits for a custom resource)');
    });

    test('fails when a parameter is not declared by the document', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, parameters: { commands: ['x'], command: ['y'] } })).toThrow(
        "Stack/Run: parameters 'command' is not a parameter of the document 'AWS-RunShellScript'; use 'commands', 'workingDirectory' or 'executionTimeout'");
    });

    test('fails when a required parameter is missing', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, parameters: {} })).toThrow(
        "Stack/Run: parameters lacks 'commands', which the document 'AWS-RunShellScript' requires");
    });

    test.each([
      [{ comment: 'x'.repeat(69) }, `comment '${'x'.repeat(69)}' has 69 characters; use at most 68 (the library adds a marker to SSM's 100)`],
      [{ deliveryTimeout: Duration.seconds(29) }, 'deliveryTimeout 29 seconds is not valid; use whole seconds from 30 seconds to 30 days'],
      [{ documentVersion: 'v2' }, "documentVersion 'v2' is not valid; use '$DEFAULT', '$LATEST' or a version number"],
      [{ waitForOnline: true }, 'waitForOnline true needs instance ID targets; Systems Manager reports Online per instance'],
      [{ targets: [] }, 'targets has 0 targets; use 1 or more: give the nodes the command runs on'],
    ])('fails when %j', (overrides, message) => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, ...overrides })).toThrow(`Stack/Run: ${message}`);
    });

    test('fails when the alarm configuration has two alarms', () => {
      const stack = testStack();
      const alarms = ['a', 'b'].map((name) => cloudwatch.Alarm.fromAlarmArn(stack, name, `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`));
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, alarmConfiguration: { alarms } })).toThrow(
        'Stack/Run: alarmConfiguration.alarms has 2 alarms; use exactly 1 (combine several in a CloudWatch CompositeAlarm and give that)');
    });
  });

  test('takes instance IDs from a list parameter, and may then send the command to any instance', () => {
    // GIVEN
    const stack = testStack();
    const ids = new CfnParameter(stack, 'Ids', { type: 'List<AWS::EC2::Instance::Id>' });
    // WHEN
    new RunCommand(stack, 'Install', { ...INSTALL, targets: [Target.instanceIds(...ids.valueAsList)] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::SsmRunCommand', {
      Command: Match.objectLike({ Targets: [{ Key: 'InstanceIds', Values: { Ref: 'Ids' } }] }),
    });
    expect(phaseStatements(stack, 'Install', 'onEvent')).toContainEqual({
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: [arn(':ec2:us-east-1:111111111111:instance/*'), arn(':ssm:us-east-1:111111111111:managed-instance/*')],
    });
  });
});
