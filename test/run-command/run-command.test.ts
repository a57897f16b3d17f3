import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsManagedDocument, Concurrency, ErrorThreshold, RunCommand, RunCommandProps, Target } from '../../src';
import { testStack } from '../util';

const INSTALL: RunCommandProps = {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['yum install -y my-agent'] },
  targets: [Target.tag('Role', 'web')],
};

function handlerStatements(stack: Stack, handler: 'OnEvent' | 'IsComplete'): any[] {
  const template = Template.fromStack(stack);
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(`CdkSsmOpsProvider${handler}ServiceRole`));
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: any) => roles.includes(role.Ref)));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const partition = { Ref: 'AWS::Partition' };
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
        AlarmConfiguration: { Alarms: [{ Name: 'health' }], IgnorePollAlarmFailure: false },
        Comment: 'install the agent',
        TimeoutSeconds: 600,
      },
      Triggers: { version: '1.4.2' },
      WaitSeconds: 1200,
    });
    const logicalId = stack.getLogicalId(install.node.findChild('Resource').node.defaultChild as CfnElement);
    const attributes = [
      install.commandId, install.status, install.statusDetails, install.targetCount, install.completedCount, install.errorCount, install.output,
    ];
    expect(attributes.map((attribute) => stack.resolve(attribute))).toEqual(
      ['CommandId', 'Status', 'StatusDetails', 'TargetCount', 'CompletedCount', 'ErrorCount', 'Output'].map((name) => ({ 'Fn::GetAtt': [logicalId, name] })));
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
    for (const handler of ['OnEvent', 'IsComplete'] as const) {
      expect(handlerStatements(stack, handler)).toEqual([
        { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: arn(':ssm:', { Ref: 'AWS::Region' } as any, '::document/AWS-RunShellScript') },
        {
          Action: 'ssm:SendCommand',
          Effect: 'Allow',
          Resource: [arn(':ec2:us-east-1:111111111111:instance/*'), arn(':ssm:us-east-1:111111111111:managed-instance/*')],
          Condition: { StringEquals: { 'ssm:resourceTag/Role': ['web'] } },
        },
        {
          Action: ['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation', 'ssm:CancelCommand'],
          Effect: 'Allow',
          Resource: '*',
        },
      ]);
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
    const statements = handlerStatements(stack, 'OnEvent');
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
    expect(statements[2].Action).toContain('ssm:DescribeInstanceInformation');
    const notificationRole = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role')).find((id) => id.startsWith('InstallNotificationRole'));
    expect(statements[3]).toEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [notificationRole, 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    });
    expect(statements).toHaveLength(4);
  });

  describe('validation', () => {
    test('fails when there are 51 instance IDs', () => {
      const stack = testStack();
      const ids = Array.from({ length: 51 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, targets: [Target.instanceIds(...ids)] })).toThrow(
        "Stack/Run: targets[0] ('InstanceIds') has 51 values; give 1 to 50");
    });

    test('fails when the timeout is 2 hours', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, timeout: Duration.hours(2) })).toThrow(
        'Stack/Run: timeout 2 hours is not allowed; at most 1 hour, the longest CloudFormation waits for a custom resource');
    });

    test('fails when a parameter is not declared by the document', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, parameters: { commands: ['x'], command: ['y'] } })).toThrow(
        "Stack/Run: parameters.command: the document 'AWS-RunShellScript' declares no parameter 'command'; declared: 'commands', 'workingDirectory' or 'executionTimeout'");
    });

    test('fails when a required parameter is missing', () => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, parameters: {} })).toThrow(
        "Stack/Run: parameters: the document 'AWS-RunShellScript' requires the parameter 'commands', which is missing");
    });

    test.each([
      [{ comment: 'x'.repeat(69) }, "comment has 69 characters; at most 68 are allowed (the library adds a marker to SSM's 100)"],
      [{ deliveryTimeout: Duration.seconds(29) }, 'deliveryTimeout 29 seconds is not allowed; use whole seconds from 30 seconds to 30 days'],
      [{ documentVersion: 'v2' }, "documentVersion 'v2' is not valid; use '$DEFAULT', '$LATEST' or a version number"],
      [{ waitForOnline: true }, 'waitForOnline needs instance ID targets: Systems Manager reports Online per instance'],
      [{ targets: [] }, 'targets is empty; give the nodes the command runs on'],
    ])('fails when %j', (overrides, message) => {
      const stack = testStack();
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, ...overrides })).toThrow(`Stack/Run: ${message}`);
    });

    test('fails when the alarm configuration has two alarms', () => {
      const stack = testStack();
      const alarms = ['a', 'b'].map((name) => cloudwatch.Alarm.fromAlarmArn(stack, name, `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`));
      expect(() => new RunCommand(stack, 'Run', { ...INSTALL, alarmConfiguration: { alarms } })).toThrow(
        'Stack/Run: alarmConfiguration.alarms has 2 alarms; Systems Manager takes exactly one: combine several in a CloudWatch CompositeAlarm and give that');
    });
  });
});
