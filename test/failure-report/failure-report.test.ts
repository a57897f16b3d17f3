import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Association, AwsManagedDocument, FailureReport, MaintenanceWindow, MaintenanceWindowSchedule, Target } from '../../src';

function stackWith() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  const association = new Association(stack, 'Nightly', {
    document: AwsManagedDocument.RUN_SHELL_SCRIPT,
    parameters: { commands: ['true'] },
    targets: [Target.tag('Patch', 'nightly')],
  });
  const window = new MaintenanceWindow(stack, 'Window', { schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }), duration: Duration.hours(2), cutoff: Duration.hours(1) });
  return { stack, association, window };
}

const associationRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nightly'), 'AssociationId'] };

describe('FailureReport', () => {
  test('rules match the failures of the added associations and windows, narrowed to their IDs', () => {
    const { stack, association, window } = stackWith();
    const imported = MaintenanceWindow.fromMaintenanceWindowId(stack, 'Imported', 'mw-0123456789abcdef0');
    const report = new FailureReport(stack, 'Report', { topic: new sns.Topic(stack, 'Topic') });
    report.addAssociation(association);
    report.addAssociation(Association.fromAssociationId(stack, 'Other', '6e37940a-23ba-4ab0-9b96-5d0a1a05464f'));
    report.addMaintenanceWindow(window);
    report.addMaintenanceWindow(imported);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 4);
    for (const detailType of ['EC2 State Manager Association State Change', 'EC2 State Manager Instance Association State Change']) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.ssm'],
          'detail-type': [detailType],
          'detail': { 'association-id': [associationRef, '6e37940a-23ba-4ab0-9b96-5d0a1a05464f'], 'status': ['Failed'] },
        },
        State: 'ENABLED',
      });
    }
    for (const detailType of ['Maintenance Window Task Execution State-change Notification', 'Maintenance Window Task Target Invocation State-change Notification']) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.ssm'],
          'detail-type': [detailType],
          'detail': { 'window-id': [{ Ref: Match.stringLikeRegexp('^Window') }, 'mw-0123456789abcdef0'], 'status': ['FAILED', 'TIMED_OUT', 'CANCELLED'] },
        },
      });
    }
    // The topic travels in the target's input, with the whole event.
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkSsmOpsFailureReport'), 'Arn'] },
        InputTransformer: {
          InputPathsMap: { f1: '$' },
          InputTemplate: { 'Fn::Join': ['', ['{"topicArn":"', { Ref: Match.stringLikeRegexp('^Topic') }, '","event":<f1>}']] },
        },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      })],
    });
  });

  test('one function per stack, with its own bundle, however many reports', () => {
    const { stack, association, window } = stackWith();
    for (const id of ['A', 'B', 'C']) {
      const report = new FailureReport(stack, id, { topic: new sns.Topic(stack, `${id}Topic`) });
      report.addAssociation(association);
      report.addMaintenanceWindow(window);
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 120,
      Description: Match.stringLikeRegexp('^cdk-ssm-ops FailureReport'),
    });
    template.resourceCountIs('AWS::Events::Rule', 12);
    template.resourceCountIs('AWS::Lambda::Permission', 12);
  });

  test('least privilege: association reads on the association, sns:Publish on the topics, the KMS key of an encrypted topic', () => {
    const { stack, association, window } = stackWith();
    const key = new kms.Key(stack, 'Key');
    const report = new FailureReport(stack, 'Report', { topic: new sns.Topic(stack, 'Topic', { masterKey: key }) });
    report.addAssociation(association);
    report.addMaintenanceWindow(window);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Topic') } },
          { Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
          {
            Action: ['ssm:DescribeAssociation', 'ssm:DescribeAssociationExecutions', 'ssm:DescribeAssociationExecutionTargets'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:association/', associationRef]] },
          },
          { Action: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'], Effect: 'Allow', Resource: '*' },
          { Action: ['ssm:GetMaintenanceWindowExecutionTask', 'ssm:DescribeMaintenanceWindowExecutionTaskInvocations'], Effect: 'Allow', Resource: '*' },
        ]),
      },
    });
    // Nothing that writes to Systems Manager.
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).not.toMatch(/ssm:(Update|Send|Create|Delete|Put)/);
  });

  test('a report without resources adds no rule', () => {
    const { stack } = stackWith();
    new FailureReport(stack, 'Report', { topic: new sns.Topic(stack, 'Topic') });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
  });
});
