import { CfnParameter, Duration, Fn, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  AwsManagedDocument, Concurrency, CutoffBehavior, Document, DocumentParameter, DocumentType, ErrorThreshold, MaintenanceWindow,
  MaintenanceWindowProps, MaintenanceWindowSchedule, NotificationEvent, NotificationType, Target, TaskAction,
} from '../../src';
import { show } from '../../src/private/errors';
import { testStack } from '../util';

const WEEKLY: MaintenanceWindowProps = {
  schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' }),
  duration: Duration.hours(4),
  cutoff: Duration.hours(1),
};

function fleet() {
  const stack = testStack();
  const window = new MaintenanceWindow(stack, 'Patching', WEEKLY);
  const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
  return { stack, window, web };
}

function policyStatements(stack: Stack, roleLogicalIdPrefix: string): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role: any) => role.Ref.startsWith(roleLogicalIdPrefix)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('MaintenanceWindow', () => {
  test('default configuration', () => {
    const stack = testStack();
    new MaintenanceWindow(stack, 'Window', { schedule: MaintenanceWindowSchedule.rate(Duration.days(1)), duration: Duration.hours(2) });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('writes the schedule, duration, cutoff, time zone, offset and dates', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new MaintenanceWindow(stack, 'Window', {
      ...WEEKLY,
      schedule: MaintenanceWindowSchedule.cron({ weekDay: 'TUE#2', hour: '3' }),
      timeZone: TimeZone.EUROPE_LONDON,
      scheduleOffset: 2,
      startDate: new Date('2027-01-01T00:00:00Z'),
      endDate: new Date('2028-01-01T00:00:00Z'),
      allowUnassociatedTargets: true,
      maintenanceWindowName: 'Patch-Tuesday',
      description: 'Patches the web fleet',
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::MaintenanceWindow', {
      Name: 'Patch-Tuesday',
      Description: 'Patches the web fleet',
      Schedule: 'cron(0 3 ? * TUE#2 *)',
      ScheduleTimezone: 'Europe/London',
      ScheduleOffset: 2,
      Duration: 4,
      Cutoff: 1,
      StartDate: '2027-01-01T00:00:00.000Z',
      EndDate: '2028-01-01T00:00:00.000Z',
      AllowUnassociatedTargets: true,
    });
  });

  test('a window with a tag target and one task of each type', () => {
    // GIVEN
    const { stack, window, web } = fleet();
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:drain');
    const stateMachine = sfn.StateMachine.fromStateMachineArn(stack, 'Sm', 'arn:aws:states:us-east-1:111111111111:stateMachine:verify');
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:patching');
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', 'patching');
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'patch-output');
    const runbook = Document.fromDocumentAttributes(stack, 'Runbook', { documentName: 'Restart-Web', documentType: DocumentType.AUTOMATION });

    // WHEN
    window.addTask('Drain', {
      task: TaskAction.lambda(fn, { qualifier: 'live', payload: '{"mode":"drain"}' }),
      priority: 0,
      taskName: 'Drain',
    });
    window.addTask('Patch', {
      task: TaskAction.runCommand({
        document: AwsManagedDocument.RUN_PATCH_BASELINE,
        parameters: { Operation: ['Install'] },
        comment: 'weekly patching',
        deliveryTimeout: Duration.minutes(10),
        cloudWatchOutput: logGroup,
        outputS3: { bucket, keyPrefix: 'patch/' },
        notification: { topic, events: [NotificationEvent.FAILED], type: NotificationType.INVOCATION },
      }),
      targets: [web],
      priority: 1,
      maxConcurrency: Concurrency.count(2),
      maxErrors: ErrorThreshold.count(0),
      cutoffBehavior: CutoffBehavior.CANCEL_TASK,
    });
    window.addTask('Restart', { task: TaskAction.automation({ document: runbook, documentVersion: '$LATEST', parameters: { Service: ['nginx'] } }), priority: 2 });
    window.addTask('Verify', { task: TaskAction.stepFunctions(stateMachine, { input: '{"check":"health"}', executionName: 'verify' }), priority: 3 });

    // THEN
    const template = Template.fromStack(stack);
    const windowRef = { Ref: Match.stringLikeRegexp('^Patching') };
    const roleArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^PatchingServiceRole'), 'Arn'] };
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTarget', {
      WindowId: windowRef,
      ResourceType: 'INSTANCE',
      Targets: [{ Key: 'tag:Role', Values: ['web'] }],
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      WindowId: windowRef,
      TaskType: 'LAMBDA',
      TaskArn: 'arn:aws:lambda:us-east-1:111111111111:function:drain',
      Priority: 0,
      Name: 'Drain',
      ServiceRoleArn: roleArn,
      Targets: Match.absent(),
      MaxConcurrency: Match.absent(),
      MaxErrors: Match.absent(),
      TaskInvocationParameters: { MaintenanceWindowLambdaParameters: { Qualifier: 'live', Payload: Buffer.from('{"mode":"drain"}').toString('base64') } },
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      TaskType: 'RUN_COMMAND',
      TaskArn: 'AWS-RunPatchBaseline',
      Priority: 1,
      Targets: [{ Key: 'WindowTargetIds', Values: [{ Ref: Match.stringLikeRegexp('^PatchingWeb') }] }],
      MaxConcurrency: '2',
      MaxErrors: '0',
      CutoffBehavior: 'CANCEL_TASK',
      ServiceRoleArn: roleArn,
      TaskInvocationParameters: {
        MaintenanceWindowRunCommandParameters: {
          Parameters: { Operation: ['Install'] },
          Comment: 'weekly patching',
          TimeoutSeconds: 600,
          CloudWatchOutputConfig: { CloudWatchLogGroupName: 'patching', CloudWatchOutputEnabled: true },
          OutputS3BucketName: 'patch-output',
          OutputS3KeyPrefix: 'patch/',
          ServiceRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PatchingPatchNotificationRole'), 'Arn'] },
          NotificationConfig: { NotificationArn: 'arn:aws:sns:us-east-1:111111111111:patching', NotificationEvents: ['Failed'], NotificationType: 'Invocation' },
        },
      },
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      TaskType: 'AUTOMATION',
      TaskArn: 'Restart-Web',
      TaskInvocationParameters: { MaintenanceWindowAutomationParameters: { DocumentVersion: '$LATEST', Parameters: { Service: ['nginx'] } } },
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      TaskType: 'STEP_FUNCTIONS',
      TaskArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:verify',
      TaskInvocationParameters: { MaintenanceWindowStepFunctionsParameters: { Input: '{"check":"health"}', Name: 'verify' } },
    });

    // One role for the window, trusted by Systems Manager of this account only.
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles).filter((id) => id.startsWith('PatchingServiceRole'))).toHaveLength(1);
    expect(Object.entries(roles).find(([id]) => id.startsWith('PatchingServiceRole'))![1].Properties).toMatchObject({
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }],
      },
    });
    const partition = { Ref: 'AWS::Partition' };
    const notificationRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('PatchingPatchNotificationRole'));
    expect(policyStatements(stack, 'PatchingServiceRole')).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: ['arn:aws:lambda:us-east-1:111111111111:function:drain', 'arn:aws:lambda:us-east-1:111111111111:function:drain:*'] },
      {
        Action: 'ssm:SendCommand',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Join': ['', ['arn:', partition, ':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-RunPatchBaseline']] },
          { 'Fn::Join': ['', ['arn:', partition, ':s3:::patch-output']] },
          { 'Fn::Join': ['', ['arn:', partition, ':ec2:us-east-1:111111111111:instance/*']] },
          { 'Fn::Join': ['', ['arn:', partition, ':ssm:us-east-1:111111111111:managed-instance/*']] },
        ],
      },
      { Action: ['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation', 'ssm:CancelCommand'], Effect: 'Allow', Resource: '*' },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [notificationRole, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      },
      { Action: 'ssm:StartAutomationExecution', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', partition, ':ssm:us-east-1:111111111111:automation-definition/Restart-Web:*']] } },
      { Action: 'ssm:GetAutomationExecution', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', partition, ':ssm:us-east-1:111111111111:automation-execution/*']] } },
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: 'arn:aws:states:us-east-1:111111111111:stateMachine:verify' },
      { Action: 'states:DescribeExecution', Effect: 'Allow', Resource: 'arn:aws:states:us-east-1:111111111111:execution:verify:*' },
    ]);
    expect(policyStatements(stack, 'PatchingPatchNotificationRole')).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: 'arn:aws:sns:us-east-1:111111111111:patching' },
    ]);
  });

  test('a task on instance IDs may send commands to those instances only', () => {
    // GIVEN
    const stack = testStack();
    const window = new MaintenanceWindow(stack, 'Window', { ...WEEKLY, allowUnassociatedTargets: true });
    // WHEN
    window.addTask('Run', {
      task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['uptime'] } }),
      targets: [Target.instanceIds('i-1234567890abcdef0', 'mi-0123456789abcdef0')],
    });
    // THEN
    const partition = { Ref: 'AWS::Partition' };
    expect(policyStatements(stack, 'WindowServiceRole')[0]).toEqual({
      Action: 'ssm:SendCommand',
      Effect: 'Allow',
      Resource: [
        { 'Fn::Join': ['', ['arn:', partition, ':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-RunShellScript']] },
        { 'Fn::Join': ['', ['arn:', partition, ':ec2:us-east-1:111111111111:instance/i-1234567890abcdef0']] },
        { 'Fn::Join': ['', ['arn:', partition, ':ssm:us-east-1:111111111111:managed-instance/mi-0123456789abcdef0']] },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      Targets: [{ Key: 'InstanceIds', Values: ['i-1234567890abcdef0', 'mi-0123456789abcdef0'] }],
      MaxConcurrency: '1',
      MaxErrors: '0',
    });
  });

  test('window targets go to SSM as one WindowTargetIds entry, and pseudo parameters pass the parameter checks', () => {
    // GIVEN
    const { stack, window, web } = fleet();
    const api = window.addTarget('Api', { targets: [Target.tag('Role', 'api')] });
    const runbook = Document.fromDocumentAttributes(stack, 'Runbook', {
      documentName: 'Restart-Web',
      documentType: DocumentType.AUTOMATION,
      parameters: { InstanceId: DocumentParameter.string({ allowedPattern: '^i-[a-z0-9]{8,17}$' }), AutomationAssumeRole: DocumentParameter.string({ default: '' }) },
    });
    // WHEN
    window.addTask('Restart', {
      task: TaskAction.automation({
        document: runbook,
        parameters: { InstanceId: ['{{RESOURCE_ID}}'], AutomationAssumeRole: ['arn:aws:iam::111111111111:role/restart'] },
      }),
      targets: [web, api],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      Targets: [{ Key: 'WindowTargetIds', Values: [{ Ref: Match.stringLikeRegexp('^PatchingWeb') }, { Ref: Match.stringLikeRegexp('^PatchingApi') }] }],
    });
    expect(policyStatements(stack, 'PatchingServiceRole')).toContainEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: 'arn:aws:iam::111111111111:role/restart',
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    });
  });

  test('a window given a role uses it, and an imported window with no role lets tasks use the service-linked role', () => {
    // GIVEN
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/mw', { mutable: false });
    const window = new MaintenanceWindow(stack, 'Window', { ...WEEKLY, serviceRole: role, allowUnassociatedTargets: true });
    const imported = MaintenanceWindow.fromMaintenanceWindowId(stack, 'Imported', 'mw-0123456789abcdef0');
    const task = { task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['uptime'] } }), targets: [Target.instanceIds('i-1234567890abcdef0')] };
    // WHEN
    window.addTask('Run', task);
    imported.addTask('Run', task);
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', { ServiceRoleArn: 'arn:aws:iam::111111111111:role/mw' });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', { WindowId: 'mw-0123456789abcdef0', ServiceRoleArn: Match.absent() });
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('a resource group target is registered as RESOURCE_GROUP', () => {
    const { stack, window } = fleet();
    window.addTarget('Group', { targets: [Target.resourceGroup('web-servers'), Target.resourceGroupResourceTypes('AWS::EC2::Instance')], ownerInformation: 'team-web' });
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::MaintenanceWindowTarget', {
      ResourceType: 'RESOURCE_GROUP',
      OwnerInformation: 'team-web',
      Targets: [{ Key: 'resource-groups:Name', Values: ['web-servers'] }, { Key: 'resource-groups:ResourceTypeFilters', Values: ['AWS::EC2::Instance'] }],
    });
  });

  test('imports and EventBridge helpers', () => {
    // GIVEN
    const stack = testStack();
    const window = MaintenanceWindow.fromMaintenanceWindowId(stack, 'Imported', 'mw-0123456789abcdef0');
    // WHEN
    window.onExecutionStateChange('Executions');
    window.onTaskExecutionStateChange('Tasks');
    // THEN
    const template = Template.fromStack(stack);
    for (const detailType of ['Maintenance Window Execution State-change Notification', 'Maintenance Window Task Execution State-change Notification']) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': ['aws.ssm'], 'detail-type': [detailType], 'detail': { 'window-id': ['mw-0123456789abcdef0'] } },
      });
    }
    expect(stack.resolve(window.maintenanceWindowArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:maintenancewindow/mw-0123456789abcdef0']],
    });
    expect(() => MaintenanceWindow.fromMaintenanceWindowId(stack, 'Bad', 'window-1')).toThrow(
      "Stack/Bad: maintenanceWindowId 'window-1' is not a window ID; use mw- and 17 hexadecimal digits");
  });

  describe('validation', () => {
    test('fails when the schedule is longer than 256 characters', () => {
      const stack = testStack();
      const years = Array.from({ length: 70 }, (_, i) => 2030 + i).join(',');
      const expression = `cron(0 3 ? * SUN ${years})`;
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, schedule: MaintenanceWindowSchedule.expression(expression) })).toThrow(
        `Stack/Window: schedule ${show(expression)} has ${expression.length} characters; use 1 to 256`);
    });

    test('fails when startDate or endDate is not a valid date, naming the construct', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Start', { ...WEEKLY, startDate: new Date('next sunday') })).toThrow(
        "Stack/Start: startDate Invalid Date is not a valid date; use a date and time such as new Date('2027-01-01T00:00:00Z')");
      expect(() => new MaintenanceWindow(stack, 'End', { ...WEEKLY, endDate: new Date(Number.NaN) })).toThrow(
        "Stack/End: endDate Invalid Date is not a valid date; use a date and time such as new Date('2027-01-01T00:00:00Z')");
    });

    test('fails with the construct path when duration, cutoff or a rate is a token in a unit it can\'t be converted from', () => {
      const stack = testStack();
      const value = new CfnParameter(stack, 'Value', { type: 'Number' }).valueAsNumber;
      expect(() => new MaintenanceWindow(stack, 'A', { ...WEEKLY, duration: Duration.minutes(value) })).toThrow(
        "Stack/A: duration (a token, in minutes) can't be converted to hours before deployment; give the token with Duration.hours()");
      expect(() => new MaintenanceWindow(stack, 'B', { ...WEEKLY, cutoff: Duration.seconds(value) })).toThrow(
        "Stack/B: cutoff (a token, in seconds) can't be converted to hours before deployment; give the token with Duration.hours()");
      expect(() => new MaintenanceWindow(stack, 'C', { ...WEEKLY, schedule: MaintenanceWindowSchedule.rate(Duration.millis(value)) })).toThrow(
        "Stack/C: schedule (a token, in millis) can't be written as a rate; give the token with Duration.minutes(), Duration.hours() or Duration.days()");
    });

    test('fails with the construct path when a Run Command task\'s deliveryTimeout is a token in minutes', () => {
      const { stack, window, web } = fleet();
      const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
      expect(() => window.addTask('Patch', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] }, deliveryTimeout: Duration.minutes(minutes) }),
        targets: [web],
      })).toThrow(
        "Stack/Patching/Patch: task.deliveryTimeout (a token, in minutes) can't be converted to seconds before deployment; give the token with Duration.seconds()");
    });

    test('counts characters, not UTF-16 code units: a description of 128 emoji is valid, and one of 129 is not', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'A', { ...WEEKLY, description: '🛠'.repeat(128) })).not.toThrow();
      expect(() => new MaintenanceWindow(stack, 'B', { ...WEEKLY, description: '🛠'.repeat(129) })).toThrow(
        `Stack/B: description ${show('🛠'.repeat(129))} has 129 characters; use 1 to 128`);
    });

    test('fails when a window target has two resource groups, 6 tag keys or 6 tag key-value pairs', () => {
      const { window } = fleet();
      expect(() => window.addTarget('Groups', { targets: [Target.resourceGroup('a'), Target.resourceGroup('b')] })).toThrow(
        'Stack/Patching/Groups: targets has 2 resource groups; use at most 1');
      expect(() => window.addTarget('Keys', { targets: [Target.tagKey('a', 'b', 'c', 'd', 'e', 'f')] })).toThrow(
        'Stack/Patching/Keys: targets has 6 tag keys; use at most 5 (a window target takes five tag keys)');
      expect(() => window.addTarget('Pairs', { targets: [Target.tag('Role', 'web', 'api', 'db'), Target.tag('Env', 'prod', 'test', 'dev')] })).toThrow(
        'Stack/Patching/Pairs: targets has 6 tag key-value pairs; use at most 5 (a window target takes five key-value pairs)');
    });

    test('fails when Automation task parameters exceed the API\'s limits, although the runbook\'s parameters are unknown', () => {
      const { stack, window } = fleet();
      const runbook = Document.fromDocumentAttributes(stack, 'Runbook', { documentName: 'Restart-Web', documentType: DocumentType.AUTOMATION });
      const add = (id: string, parameters: Record<string, string[]>) => () =>
        window.addTask(id, { task: TaskAction.automation({ document: runbook, parameters }) });
      const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, ['x']]));
      expect(add('Many', many)).toThrow('Stack/Patching/Many: task.parameters has 201 parameters; use at most 200');
      expect(add('Long', { ['n'.repeat(51)]: ['x'] })).toThrow(
        `Stack/Patching/Long: task.parameters ${show('n'.repeat(51))} is not a valid parameter name; use 1 to 50 characters`);
      expect(add('Values', { Names: Array.from({ length: 51 }, (_, i) => `v${i}`) })).toThrow(
        'Stack/Patching/Values: task.parameters.Names has 51 values; use at most 50');
      expect(add('Value', { Names: ['v'.repeat(513)] })).toThrow(
        `Stack/Patching/Value: task.parameters.Names ${show('v'.repeat(513))} has 513 characters; use 1 to 512`);
      expect(add('Empty', { Names: [''] })).toThrow("Stack/Patching/Empty: task.parameters.Names '' has 0 characters; use 1 to 512");
    });

    test('fails when cutoff equals duration', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, duration: Duration.hours(2), cutoff: Duration.hours(2) })).toThrow(
        'Stack/Window: cutoff 2 hours is not less than duration 2 hours; use a shorter cutoff: no task could start in a window whose cutoff is its whole length');
    });

    test.each([Duration.hours(25), Duration.hours(0), Duration.minutes(90)])('fails when duration is %s', (duration) => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, duration, cutoff: undefined })).toThrow(
        `Stack/Window: duration ${duration.toHumanString()} is not valid; use whole hours from 1 to 24`);
    });

    test('fails when cutoff is more than 23 hours', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, duration: Duration.hours(24), cutoff: Duration.hours(24) })).toThrow(
        'Stack/Window: cutoff 1 day is not valid; use whole hours from 0 to 23');
    });

    test('fails when scheduleOffset is used with a rate schedule or out of range', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'A', { ...WEEKLY, schedule: MaintenanceWindowSchedule.rate(Duration.days(7)), scheduleOffset: 1 })).toThrow(
        "Stack/A: scheduleOffset 1 needs a cron schedule; the schedule is 'rate(7 days)'");
      expect(() => new MaintenanceWindow(stack, 'B', { ...WEEKLY, scheduleOffset: 7 })).toThrow(
        'Stack/B: scheduleOffset 7 is not valid; use a whole number of days from 1 to 6');
    });

    test('fails when the schedule is not valid', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, schedule: MaintenanceWindowSchedule.expression('rate(1 hours)') })).toThrow(
        "Stack/Window: schedule 'rate(1 hours)' is not a valid maintenance window schedule; write rate(1 hour): the unit is singular for 1");
      expect(() => new MaintenanceWindow(stack, 'At', { ...WEEKLY, schedule: MaintenanceWindowSchedule.at('tomorrow') })).toThrow(
        "Stack/At: schedule 'at(tomorrow)' is not a valid maintenance window schedule; a one-time schedule is written at(yyyy-mm-ddThh:mm:ss)");
    });

    test('fails when endDate is not after startDate', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, startDate: new Date('2027-01-01T00:00:00Z'), endDate: new Date('2026-01-01T00:00:00Z') })).toThrow(
        'Stack/Window: endDate 2026-01-01T00:00:00.000Z is not after startDate; use a date after 2027-01-01T00:00:00.000Z');
    });

    test('fails when a Run Command task has no targets', () => {
      const { window } = fleet();
      expect(() => window.addTask('Patch', { task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] } }) })).toThrow(
        'Stack/Patching/Patch: targets has 0 targets; use 1 or more (a RUN_COMMAND task needs window targets or instance IDs)');
    });

    test('fails when a task without targets has rate controls', () => {
      const { stack, window } = fleet();
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:drain');
      expect(() => window.addTask('Drain', { task: TaskAction.lambda(fn), maxConcurrency: Concurrency.count(1) })).toThrow(
        'Stack/Patching/Drain: maxConcurrency and maxErrors apply to tasks with targets, and this task has none; leave them out');
    });

    test('fails when a resource group target is given directly to a task', () => {
      const { window } = fleet();
      expect(() => window.addTask('Patch', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] } }),
        targets: [Target.resourceGroup('web-servers')],
      })).toThrow("Stack/Patching/Patch: targets 'resource-groups:Name' can't be given to a task directly; a task takes window targets or "
        + 'instance IDs: register the nodes with window.addTarget() and pass the window target');
    });

    test('fails when a Lambda payload is 5,000 bytes', () => {
      const { stack, window } = fleet();
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:drain');
      const payload = JSON.stringify({ data: 'x'.repeat(4989) });
      expect(Buffer.byteLength(payload)).toBe(5000);
      expect(() => window.addTask('Drain', { task: TaskAction.lambda(fn, { payload }) })).toThrow(
        'Stack/Patching/Drain: task.payload \'{"data":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\' has 5000 bytes, 6668 once base64-encoded as CloudFormation takes it; use at most 4,096 encoded bytes (about 3,072 bytes of JSON)');
    });

    test.each([-1, 1.5, 2_147_483_648, 1e21])('fails when priority is %s', (priority) => {
      const { stack, window } = fleet();
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:drain');
      expect(() => window.addTask('Drain', { task: TaskAction.lambda(fn), priority })).toThrow(
        `Stack/Patching/Drain: priority ${priority} is not valid; use a whole number from 0 to 2,147,483,647 (lower runs first)`);
    });

    test('fails when instance IDs are given to a task of a window that does not allow unassociated targets', () => {
      const { window } = fleet();
      expect(() => window.addTask('Run', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['uptime'] } }),
        targets: [Target.instanceIds('i-1234567890abcdef0')],
      })).toThrow('Stack/Patching/Run: targets name instance IDs, but the window does not allow unassociated targets');
    });

    test('fails when a window target of another window is given to a task', () => {
      const { stack, window } = fleet();
      const other = new MaintenanceWindow(stack, 'Other', WEEKLY);
      const otherTarget = other.addTarget('Db', { targets: [Target.tag('Role', 'db')] });
      expect(() => window.addTask('Run', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['uptime'] } }),
        targets: [otherTarget],
      })).toThrow('Stack/Patching/Run: targets[0] \'Stack/Other/Db\' is registered with another window, Stack/Other; give a target of this window');
    });

    test('fails when window targets and instance IDs are mixed in a task', () => {
      const stack = testStack();
      const window = new MaintenanceWindow(stack, 'Patching', { ...WEEKLY, allowUnassociatedTargets: true });
      const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
      expect(() => window.addTask('Run', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['uptime'] } }),
        targets: [web, Target.instanceIds('i-1234567890abcdef0')],
      })).toThrow('Stack/Patching/Run: targets mix window targets and instance IDs; a task takes one or the other');
    });

    test('fails when a task runs a document of the wrong type', () => {
      const { stack, window, web } = fleet();
      const runbook = Document.fromDocumentAttributes(stack, 'Runbook', { documentName: 'Restart-Web', documentType: DocumentType.AUTOMATION });
      expect(() => window.addTask('A', { task: TaskAction.automation({ document: AwsManagedDocument.RUN_SHELL_SCRIPT }) })).toThrow(
        "Stack/Patching/A: task.document 'AWS-RunShellScript' has type Command; TaskAction.automation runs Automation documents");
      expect(() => window.addTask('B', { task: TaskAction.runCommand({ document: runbook }), targets: [web] })).toThrow(
        "Stack/Patching/B: task.document 'Restart-Web' has type Automation; TaskAction.runCommand runs Command documents");
    });

    test('fails when task parameters do not match the document', () => {
      const { window, web } = fleet();
      expect(() => window.addTask('Patch', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Patch'] } }),
        targets: [web],
      })).toThrow("Stack/Patching/Patch: task.parameters.Operation 'Patch' is not one of allowedValues; use 'Scan' or 'Install'");
    });

    test.each([
      [{ comment: 'x'.repeat(101) }, `task.comment ${show('x'.repeat(101))} has 101 characters; use at most 100`],
      [{ deliveryTimeout: Duration.seconds(29) }, 'task.deliveryTimeout 29 seconds is not valid; use whole seconds from 30 seconds to 30 days'],
      [{ documentVersion: 'latest' }, "task.documentVersion 'latest' is not valid; use '$DEFAULT', '$LATEST' or a version number"],
    ])('fails when a Run Command option is out of range: %j', (options, message) => {
      const { window, web } = fleet();
      expect(() => window.addTask('Patch', {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] }, ...options }),
        targets: [web],
      })).toThrow(`Stack/Patching/Patch: ${message}`);
    });

    test('fails when Step Functions options are out of range', () => {
      const { stack, window } = fleet();
      const sm = sfn.StateMachine.fromStateMachineArn(stack, 'Sm', 'arn:aws:states:us-east-1:111111111111:stateMachine:verify');
      expect(() => window.addTask('A', { task: TaskAction.stepFunctions(sm, { input: 'x'.repeat(4097) }) })).toThrow(
        'Stack/Patching/A: task.input \'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\' has 4097 characters; use at most 4,096');
      expect(() => window.addTask('B', { task: TaskAction.stepFunctions(sm, { executionName: 'x'.repeat(81) }) })).toThrow(
        `Stack/Patching/B: task.executionName ${show('x'.repeat(81))} has 81 characters; use 1 to 80`);
    });

    test('fails when a window target mixes a resource group with tags, or is empty', () => {
      const { window } = fleet();
      expect(() => window.addTarget('Mixed', { targets: [Target.resourceGroup('web'), Target.tag('Role', 'web')] })).toThrow(
        'Stack/Patching/Mixed: targets mix a resource group with instance IDs or tags; a window target is either INSTANCE or RESOURCE_GROUP, so register them as two window targets');
      expect(() => window.addTarget('Empty', { targets: [] })).toThrow('Stack/Patching/Empty: targets has 0 targets; use 1 or more');
    });

    test('fails when names are not valid', () => {
      const stack = testStack();
      expect(() => new MaintenanceWindow(stack, 'Window', { ...WEEKLY, maintenanceWindowName: 'a b' })).toThrow(
        "Stack/Window: maintenanceWindowName 'a b' is not valid; use 3 to 128 letters, digits, '_', '-' or '.'");
    });
  });

  test('unresolved tokens are not validated', () => {
    // GIVEN
    const stack = testStack();
    const hours = new CfnParameter(stack, 'Hours', { type: 'Number' });
    // WHEN
    const window = new MaintenanceWindow(stack, 'Window', {
      schedule: MaintenanceWindowSchedule.expression(Fn.ref('Schedule')),
      duration: Duration.hours(hours.valueAsNumber),
      cutoff: Duration.hours(hours.valueAsNumber),
      scheduleOffset: hours.valueAsNumber,
    });
    window.addTask('Run', {
      task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: [Fn.ref('Operation')] } }),
      targets: [window.addTarget('Web', { targets: [Target.tag('Role', Fn.ref('Role'))] })],
      priority: hours.valueAsNumber,
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::MaintenanceWindow', { Duration: { Ref: 'Hours' }, Cutoff: { Ref: 'Hours' } });
  });

  test('warns that a Lambda, Step Functions or Automation task with targets runs once per target', () => {
    // GIVEN
    const { stack, window, web } = fleet();
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:drain');
    // WHEN
    window.addTask('Drain', { task: TaskAction.lambda(fn), targets: [web] });
    window.addTask('Once', { task: TaskAction.lambda(fn) });
    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Patching/Drain', Match.stringLikeRegexp(
      '^targets \\["WindowTargetIds"\\] make a LAMBDA task run once for each targeted node, 1 at a time \\(maxConcurrency\\); '
      + 'leave targets out to run it once per window execution'));
    expect(annotations.findWarning('/Stack/Patching/Once', Match.anyValue())).toHaveLength(0);
  });
});
