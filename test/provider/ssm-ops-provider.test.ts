import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  Association, AwsManagedDocument, MaintenanceWindow, MaintenanceWindowSchedule, RunCommand, Target, TaskAction,
} from '../../src';

/** A stack with `count` of this library's custom resources: RunCommands, association companions and task companions in turn. */
function stackWith(count: number): Stack {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:health');
  const window = new MaintenanceWindow(stack, 'Window', { schedule: MaintenanceWindowSchedule.rate(Duration.days(7)), duration: Duration.hours(2) });
  const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) {
      new RunCommand(stack, `Run${i}`, { document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['true'] }, targets: [Target.tag('Role', `web${i}`)] });
    } else if (i % 3 === 1) {
      new Association(stack, `Association${i}`, {
        document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] }, targets: [Target.tag('Role', `web${i}`)], alarmConfiguration: { alarms: [alarm] },
      });
    } else {
      window.addTask(`Task${i}`, {
        task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] } }),
        targets: [web],
        alarmConfiguration: { alarms: [alarm] },
      });
    }
  }
  return stack;
}

const CUSTOM_RESOURCE_TYPES = ['Custom::SsmRunCommand', 'Custom::SsmAssociationAlarm', 'Custom::SsmMaintenanceWindowTaskAlarm'];

/** What the shared onEvent and isComplete functions' roles hold: their managed policies and their policies' documents. */
function sharedRolePolicies(stack: Stack) {
  const template = Template.fromStack(stack);
  const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => /^CdkSsmOpsProvider(OnEvent|IsComplete)ServiceRole/.test(id));
  expect(roles).toHaveLength(2);
  return roles.map(([id, role]) => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((attached: any) => attached.Ref === id))
      .map((policy) => policy.Properties.PolicyDocument);
    return { managed: role.Properties.ManagedPolicyArns, inline: role.Properties.Policies, policies, characters: JSON.stringify(policies).length };
  });
}

describe('SsmOpsProvider', () => {
  test('the shared functions\' roles hold the same policy with 1 and with 40 custom resources', () => {
    // GIVEN
    const one = stackWith(1);
    const forty = stackWith(40);
    // THEN
    const counts = (stack: Stack) => CUSTOM_RESOURCE_TYPES.map((type) => Object.keys(Template.fromStack(stack).findResources(type)).length);
    expect(counts(one)).toEqual([1, 0, 0]);
    expect(counts(forty)).toEqual([14, 13, 13]);
    expect(sharedRolePolicies(forty)).toEqual(sharedRolePolicies(one));
  });

  test('the shared functions may assume the roles on the library\'s path, and tag their sessions; nothing else', () => {
    // GIVEN
    const stack = stackWith(3);
    // THEN
    for (const { managed, inline, policies } of sharedRolePolicies(stack)) {
      expect(managed).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }]);
      expect(inline).toBeUndefined();
      expect(policies).toEqual([{
        Version: '2012-10-17',
        Statement: [{
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-ssm-ops/*']] },
        }],
      }]);
    }
  });

  test('every custom resource has its own role on the library\'s path, which its RoleArn names', () => {
    // GIVEN
    const stack = stackWith(6);
    // THEN
    const template = Template.fromStack(stack);
    const roles = template.findResources('AWS::IAM::Role');
    const resources = CUSTOM_RESOURCE_TYPES.flatMap((type) => Object.values(template.findResources(type)));
    const roleIds = resources.map((resource) => resource.Properties.RoleArn['Fn::GetAtt'][0]);
    expect(new Set(roleIds).size).toBe(6);
    for (const id of roleIds) {
      expect(roles[id].Properties.Path).toBe('/cdk-ssm-ops/');
    }
  });

  test('custom resources that refer to each other synthesize without a dependency cycle', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:health');
    const first = new RunCommand(stack, 'First', { document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['true'] }, targets: [Target.tag('Role', 'web')] });
    // WHEN: a command that reads the first one's output, and an association that waits for it and reads its ID
    const second = new RunCommand(stack, 'Second', {
      document: AwsManagedDocument.RUN_SHELL_SCRIPT,
      parameters: { commands: [`echo ${first.output}`] },
      targets: [Target.tag('Role', 'web')],
      triggers: { first: first.commandId },
    });
    const association = new Association(stack, 'Patch', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: ['Install'] },
      targets: [Target.tag('Role', 'web')],
      associationName: `after-${second.commandId}`,
      alarmConfiguration: { alarms: [alarm] },
    });
    association.node.addDependency(first);
    // THEN
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('polls every 5 seconds, for at most an hour', () => {
    // GIVEN
    const stack = stackWith(1);
    // THEN
    const machine = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.parse(machine.Properties.DefinitionString['Fn::Join'][1].filter((part: unknown) => typeof part === 'string').join(''));
    expect(definition.States['framework-isComplete-task'].Retry).toEqual([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 720, BackoffRate: 1 }]);
  });
});
