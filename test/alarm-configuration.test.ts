import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  Association, AssociationProps, AwsManagedDocument, CommandDocument, CommandStep, Concurrency, RunCommand, ErrorThreshold,
  MaintenanceWindow, MaintenanceWindowSchedule, Target, TaskAction,
} from '../src';
import { show } from '../src/private/errors';

function stackWithAssociation(overrides: Partial<AssociationProps> = {}, withAlarm = true): Stack {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
  new Association(stack, 'Patch', {
    document: AwsManagedDocument.RUN_PATCH_BASELINE,
    parameters: { Operation: ['Install'] },
    targets: [Target.tag('Env', 'prod')],
    maxConcurrency: Concurrency.percentage(10),
    maxErrors: ErrorThreshold.count(1),
    alarmConfiguration: withAlarm ? { alarms: [alarm], ignorePollAlarmFailure: true } : undefined,
    ...overrides,
  });
  return stack;
}

function companion(stack: Stack, type: string) {
  return Object.values(Template.fromStack(stack).findResources(type))[0];
}

/** The role of the companion of the construct at this logical ID prefix. */
function companionRole(stack: Stack, prefix: string): any {
  const roles = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith(`${prefix}AlarmConfigurationHandlerRole`));
  expect(roles).toHaveLength(1);
  return roles[0][1].Properties;
}

/** The statements of a companion's role: every one of them for isComplete only. */
function companionStatements(stack: Stack, prefix: string): any[] {
  return companionRole(stack, prefix).Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)
    .map(({ Condition: { StringEquals: { 'aws:PrincipalTag/cdk-ssm-ops:phase': phase, ...equals }, ...conditions }, ...statement }: any) => {
      expect(phase).toBe('isComplete');
      return Object.keys(equals).length ? { ...statement, Condition: { ...conditions, StringEquals: equals } } : statement;
    });
}

describe('alarm configuration on associations', () => {
  test('a companion applies it after the association, with the alarm and the association ID', () => {
    // GIVEN
    const stack = stackWithAssociation();
    // THEN
    const template = Template.fromStack(stack);
    const associationId = Object.keys(template.findResources('AWS::SSM::Association'))[0];
    template.hasResource('Custom::SsmAssociationAlarm', {
      DependsOn: Match.arrayWith([associationId]),
      Properties: {
        AssociationId: { 'Fn::GetAtt': [associationId, 'AssociationId'] },
        AlarmConfiguration: { Alarms: [{ Name: 'deploy-health' }], IgnorePollAlarmFailure: 'true' },
        // The L1's properties as the template renders them.
        WatchedProperties: {
          Name: 'AWS-RunPatchBaseline',
          Parameters: { Operation: ['Install'] },
          Targets: [{ Key: 'tag:Env', Values: ['prod'] }],
          MaxConcurrency: '10%',
          MaxErrors: '1',
        },
      },
    });
  });

  test('the companion carries the association properties: it changes when any of them changes, and not otherwise', () => {
    const watched = (stack: Stack) => companion(stack, 'Custom::SsmAssociationAlarm').Properties.WatchedProperties;
    const base = watched(stackWithAssociation());
    expect(watched(stackWithAssociation())).toEqual(base);
    expect(watched(stackWithAssociation({ maxErrors: ErrorThreshold.count(2) }))).not.toEqual(base);
    expect(watched(stackWithAssociation({ parameters: { Operation: ['Scan'] } }))).not.toEqual(base);
    expect(watched(stackWithAssociation({ targets: [Target.tag('Env', 'staging')] }))).not.toEqual(base);
  });

  test('values known only at deploy time reach the companion too, so their changes apply the alarm again', () => {
    // GIVEN: a document without a name, which a content change replaces, giving the association a new Name
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
    const doc = new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript('apply', { commands: ['true'] })] });
    // WHEN
    new Association(stack, 'Apply', { document: doc, targets: [Target.tag('Env', 'prod')], alarmConfiguration: { alarms: [alarm] } });
    // THEN
    const docId = Object.keys(Template.fromStack(stack).findResources('AWS::SSM::Document'))[0];
    expect(companion(stack, 'Custom::SsmAssociationAlarm').Properties.WatchedProperties.Name).toEqual({ Ref: docId });
  });

  test('escape hatches on the association reach the companion, so CloudFormation\'s update that they cause applies the alarm again', () => {
    // GIVEN
    const watched = (override?: (resource: CfnResource) => void) => {
      const stack = stackWithAssociation();
      const resource = stack.node.findChild('Patch').node.defaultChild as CfnResource;
      override?.(resource);
      return { template: Template.fromStack(stack).toJSON(), watched: companion(stack, 'Custom::SsmAssociationAlarm').Properties.WatchedProperties, resource };
    };
    const base = watched().watched;
    // WHEN
    const overridden = watched((resource) => resource.addPropertyOverride('MaxErrors', '5'));
    const raw = watched((resource) => resource.addOverride('Properties.ComplianceSeverity', 'CRITICAL'));
    const removed = watched((resource) => resource.addPropertyDeletionOverride('MaxConcurrency'));
    // THEN: the companion carries exactly what the template gives the association
    for (const { template, watched: properties } of [overridden, raw, removed]) {
      expect(properties).not.toEqual(base);
      const association = Object.values(template.Resources).find((resource: any) => resource.Type === 'AWS::SSM::Association') as any;
      expect(properties).toEqual(association.Properties);
    }
    expect(overridden.watched.MaxErrors).toBe('5');
    expect(raw.watched.ComplianceSeverity).toBe('CRITICAL');
    expect(removed.watched.MaxConcurrency).toBeUndefined();
  });

  test('no companion without an alarm configuration', () => {
    const template = Template.fromStack(stackWithAssociation({}, false));
    template.resourceCountIs('Custom::SsmAssociationAlarm', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('its role may read and update this association and its document, and read the alarm, in isComplete only', () => {
    const stack = stackWithAssociation();
    const associationArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:association/', { 'Fn::GetAtt': [expect.stringMatching(/^Patch/), 'AssociationId'] }]] };
    expect(companionStatements(stack, 'Patch')).toEqual([
      { Action: 'ssm:DescribeAssociation', Effect: 'Allow', Resource: associationArn },
      { Action: 'ssm:UpdateAssociation', Effect: 'Allow', Resource: [associationArn, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-RunPatchBaseline']] }] },
      { Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health' },
    ]);
  });

  test('its role is trusted by the isComplete function only, whose sessions are tagged isComplete', () => {
    // GIVEN
    const stack = stackWithAssociation();
    // THEN
    const template = Template.fromStack(stack);
    const isCompleteRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('CdkSsmOpsProviderIsCompleteServiceRole'));
    const role = companionRole(stack, 'Patch');
    expect(role.Path).toBe('/cdk-ssm-ops/');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [isCompleteRole, 'Arn'] } },
      Condition: { StringEquals: { 'aws:RequestTag/cdk-ssm-ops:phase': 'isComplete' } },
    }]);
    template.hasResourceProperties('Custom::SsmAssociationAlarm', { RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PatchAlarmConfigurationHandlerRole'), 'Arn'] } });
  });

  test('an association with an alarm may depend on a RunCommand of the same stack without a dependency cycle', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health');
    const install = new RunCommand(stack, 'Install', {
      document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['true'] }, targets: [Target.tag('Env', 'prod')],
    });
    const association = new Association(stack, 'Patch', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: ['Install'] },
      targets: [Target.tag('Env', 'prod')],
      alarmConfiguration: { alarms: [alarm] },
    });
    association.node.addDependency(install);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test.each([
    ['only spaces', '   '],
    ['longer than 255 characters', 'a'.repeat(256)],
  ])('fails when the alarm\'s name is %s', (_case, name) => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmName(stack, 'Health', name);
    expect(() => new Association(stack, 'Patch', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: ['Install'] },
      targets: [Target.tag('Env', 'prod')],
      alarmConfiguration: { alarms: [alarm] },
    })).toThrow(`Stack/Patch: alarmConfiguration.alarms[0] ${show(name)} is not a valid alarm name; use 1 to 255 characters, not only white space`);
  });

  test('fails when more than one alarm is given', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarms = ['a', 'b'].map((name) => cloudwatch.Alarm.fromAlarmArn(stack, name, `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`));
    expect(() => new Association(stack, 'Patch', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: ['Install'] },
      targets: [Target.tag('Env', 'prod')],
      alarmConfiguration: { alarms },
    })).toThrow('Stack/Patch: alarmConfiguration.alarms has 2 alarms; use exactly 1 (combine several in a CloudWatch CompositeAlarm and give that)');
  });
});

describe('alarm configuration on maintenance window tasks', () => {
  test('a companion applies it after the task, and may pass the window role again', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Errors', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:errors');
    const window = new MaintenanceWindow(stack, 'Patching', { schedule: MaintenanceWindowSchedule.rate(Duration.days(7)), duration: Duration.hours(2) });
    const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
    // WHEN
    window.addTask('Patch', {
      task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Install'] } }),
      targets: [web],
      alarmConfiguration: { alarms: [alarm] },
    });
    // THEN
    const template = Template.fromStack(stack);
    const taskId = Object.keys(template.findResources('AWS::SSM::MaintenanceWindowTask'))[0];
    const windowId = Object.keys(template.findResources('AWS::SSM::MaintenanceWindow'))[0];
    template.hasResource('Custom::SsmMaintenanceWindowTaskAlarm', {
      DependsOn: Match.arrayWith([taskId]),
      Properties: {
        WindowId: { Ref: windowId },
        WindowTaskId: { Ref: taskId },
        AlarmConfiguration: { Alarms: [{ Name: 'errors' }], IgnorePollAlarmFailure: 'false' },
      },
    });
    expect(companionStatements(stack, 'PatchingPatch')).toEqual([
      {
        Action: ['ssm:GetMaintenanceWindowTask', 'ssm:UpdateMaintenanceWindowTask'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:maintenancewindow/', { Ref: windowId }]] },
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PatchingServiceRole/), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      },
      { Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:errors' },
    ]);
  });

  test('the companion of a Run Command task with notifications may pass the notification role again too', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Errors', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:errors');
    const window = new MaintenanceWindow(stack, 'Patching', { schedule: MaintenanceWindowSchedule.rate(Duration.days(7)), duration: Duration.hours(2) });
    const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
    // WHEN
    window.addTask('Patch', {
      task: TaskAction.runCommand({
        document: AwsManagedDocument.RUN_PATCH_BASELINE,
        parameters: { Operation: ['Install'] },
        notification: { topic: new sns.Topic(stack, 'Patches') },
      }),
      targets: [web],
      alarmConfiguration: { alarms: [alarm] },
    });
    // THEN: the update writes TaskInvocationParameters back, with the notification role in them
    const passed = companionStatements(stack, 'PatchingPatch')
      .filter((statement) => statement.Action === 'iam:PassRole')
      .map((statement) => statement.Resource['Fn::GetAtt'][0]);
    expect(passed).toEqual([expect.stringMatching(/^PatchingServiceRole/), expect.stringMatching(/^PatchingPatchNotificationRole/)]);
  });

  test('escape hatches on the task reach the companion, with the references CloudFormation resolves', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Errors', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:errors');
    const window = new MaintenanceWindow(stack, 'Patching', { schedule: MaintenanceWindowSchedule.rate(Duration.days(7)), duration: Duration.hours(2) });
    const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
    const task = window.addTask('Patch', {
      task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Install'] } }),
      targets: [web],
      alarmConfiguration: { alarms: [alarm] },
    });
    // WHEN
    (task.node.defaultChild as CfnResource).addPropertyOverride('Priority', 7);
    // THEN
    const template = Template.fromStack(stack);
    const [taskId, taskResource] = Object.entries(template.findResources('AWS::SSM::MaintenanceWindowTask'))[0];
    const watched = companion(stack, 'Custom::SsmMaintenanceWindowTaskAlarm').Properties.WatchedProperties;
    expect(watched).toEqual(taskResource.Properties);
    expect(watched.Priority).toBe(7);
    expect(watched.WindowId).toEqual({ Ref: Object.keys(template.findResources('AWS::SSM::MaintenanceWindow'))[0] });
    expect(taskId).toMatch(/^PatchingPatch/);
  });
});
