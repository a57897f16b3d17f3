import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnParameter, Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AwsManagedDocument, CommandDocument, CommandStep, Document, DocumentParameter, DocumentType, RunCommandTarget, RunCommandTargetProps, Target,
} from '../../src';
import { testStack } from '../util';

const PATCH: RunCommandTargetProps = {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['yum update -y --security'] },
  targets: [Target.tag('Role', 'web')],
};

const partition = { Ref: 'AWS::Partition' };
const arn = (...parts: unknown[]) => ({ 'Fn::Join': ['', ['arn:', partition, ...parts]] });
const SHELL_SCRIPT_ARN = arn(':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-RunShellScript');
const ALL_NODES = [arn(':ec2:us-east-1:111111111111:instance/*'), arn(':ssm:us-east-1:111111111111:managed-instance/*')];

/** A stack with a scheduled rule, and the rule. */
function ruleStack(): { stack: Stack; rule: events.Rule } {
  const stack = testStack();
  const rule = new events.Rule(stack, 'Nightly', { schedule: events.Schedule.cron({ hour: '2', minute: '0' }) });
  return { stack, rule };
}

/** The rule's targets as CloudFormation gets them. */
function ruleTargets(stack: Stack): any[] {
  const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
  expect(rules).toHaveLength(1);
  return (rules[0] as any).Properties.Targets;
}

/** The statements of the role's policies. */
function roleStatements(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

function addTarget(props: Partial<RunCommandTargetProps>): () => void {
  const { rule } = ruleStack();
  return () => rule.addTarget(new RunCommandTarget({ ...PATCH, ...props }));
}

describe('RunCommandTarget', () => {
  test('default configuration', () => {
    const { stack, rule } = ruleStack();
    rule.addTarget(new RunCommandTarget(PATCH));
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test("the rule's target is the document, with the nodes as RunCommandParameters and the parameters as input", () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    // WHEN
    rule.addTarget(new RunCommandTarget(PATCH));
    // THEN
    expect(ruleTargets(stack)).toEqual([{
      Id: 'Target0',
      Arn: SHELL_SCRIPT_ARN,
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^NightlyTarget0Role/), 'Arn'] },
      RunCommandParameters: { RunCommandTargets: [{ Key: 'tag:Role', Values: ['web'] }] },
      Input: '{"commands":["yum update -y --security"]}',
    }]);
  });

  test('sends {} to a document given no parameters', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    // WHEN
    rule.addTarget(new RunCommandTarget({ document: AwsManagedDocument.UPDATE_SSM_AGENT, targets: [Target.instanceIds('i-0123456789abcdef0')] }));
    // THEN
    expect(ruleTargets(stack)[0].Input).toEqual('{}');
  });

  test('a role trusted by EventBridge, which may send the command with this document to nodes with the tag only', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    // WHEN
    rule.addTarget(new RunCommandTarget({ ...PATCH, targets: [Target.tag('Role', 'web', 'api'), Target.tag('Env', 'prod')] }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }],
      },
    });
    expect(roleStatements(stack)).toEqual([
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: SHELL_SCRIPT_ARN },
      {
        Action: 'ssm:SendCommand',
        Effect: 'Allow',
        Resource: ALL_NODES,
        Condition: { StringEquals: { 'ssm:resourceTag/Role': ['web', 'api'], 'ssm:resourceTag/Env': ['prod'] } },
      },
    ]);
  });

  test('instance ID targets: SendCommand on those instances, and on hybrid nodes by their managed-instance ARN', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    // WHEN
    rule.addTarget(new RunCommandTarget({ ...PATCH, targets: [Target.instanceIds('i-0123456789abcdef0', 'mi-0123456789abcdef0')] }));
    // THEN
    expect(ruleTargets(stack)[0].RunCommandParameters).toEqual({
      RunCommandTargets: [{ Key: 'InstanceIds', Values: ['i-0123456789abcdef0', 'mi-0123456789abcdef0'] }],
    });
    expect(roleStatements(stack)[1]).toEqual({
      Action: 'ssm:SendCommand',
      Effect: 'Allow',
      Resource: [arn(':ec2:us-east-1:111111111111:instance/i-0123456789abcdef0'), arn(':ssm:us-east-1:111111111111:managed-instance/mi-0123456789abcdef0')],
    });
  });

  test('an instance ID known only at deploy time is allowed as an EC2 instance and as a hybrid node', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const instanceId = new CfnParameter(stack, 'InstanceId').valueAsString;
    const instance = { instanceId } as any;
    // WHEN
    rule.addTarget(new RunCommandTarget({ ...PATCH, targets: [Target.instances(instance)] }));
    // THEN
    expect(ruleTargets(stack)[0].RunCommandParameters).toEqual({ RunCommandTargets: [{ Key: 'InstanceIds', Values: [{ Ref: 'InstanceId' }] }] });
    expect(roleStatements(stack)[1].Resource).toEqual([
      arn(':ec2:us-east-1:111111111111:instance/', { Ref: 'InstanceId' }),
      arn(':ssm:us-east-1:111111111111:managed-instance/', { Ref: 'InstanceId' }),
    ]);
  });

  test('two targets of one rule get a role each, each allowed its own document and nodes', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    // WHEN
    rule.addTarget(new RunCommandTarget(PATCH));
    rule.addTarget(new RunCommandTarget({ document: AwsManagedDocument.UPDATE_SSM_AGENT, targets: [Target.tag('Role', 'db')] }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((policy: any) => policy.Properties);
    expect(policies.map((policy) => policy.Roles)).toEqual([
      [{ Ref: expect.stringMatching(/^NightlyTarget0Role/) }],
      [{ Ref: expect.stringMatching(/^NightlyTarget1Role/) }],
    ]);
    expect(policies[1].PolicyDocument.Statement).toEqual([
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: arn(':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-UpdateSSMAgent') },
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: ALL_NODES, Condition: { StringEquals: { 'ssm:resourceTag/Role': ['db'] } } },
    ]);
  });

  test("the user's role gets the statements, and no role is created", () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    // WHEN
    rule.addTarget(new RunCommandTarget({ ...PATCH, eventRole: role }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(ruleTargets(stack)[0].RoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Mine/), 'Arn'] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Mine') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:SendCommand', Resource: SHELL_SCRIPT_ARN })]) },
    });
  });

  test('an imported role is used as it is', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/run-command', { mutable: false });
    // WHEN
    rule.addTarget(new RunCommandTarget({ ...PATCH, eventRole: role }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(ruleTargets(stack)[0].RoleArn).toEqual('arn:aws:iam::111111111111:role/run-command');
  });

  test('dead-letter queue and retry policy, with the queue allowing the rule to send to it', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const queue = new sqs.Queue(stack, 'Dlq', { enforceSSL: true });
    // WHEN
    rule.addTarget(new RunCommandTarget({ ...PATCH, deadLetterQueue: queue, retryAttempts: 2, maxEventAge: Duration.hours(2) }));
    // THEN
    const [target] = ruleTargets(stack);
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^Dlq/), 'Arn'] } });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nightly'), 'Arn'] } } },
        })]),
      },
    });
  });

  test('retryAttempts 0 turns retries off', () => {
    const { stack, rule } = ruleStack();
    rule.addTarget(new RunCommandTarget({ ...PATCH, retryAttempts: 0 }));
    expect(ruleTargets(stack)[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
  });

  test('an input made from the event is sent as it is, unchecked', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    // WHEN
    rule.addTarget(new RunCommandTarget({
      document: AwsManagedDocument.RUN_SHELL_SCRIPT,
      targets: [Target.tag('Role', 'web')],
      input: events.RuleTargetInput.fromObject({ commands: [`echo ${events.EventField.fromPath('$.detail.reason')}`] }),
    }));
    // THEN
    const [target] = ruleTargets(stack);
    expect(target.Input).toBeUndefined();
    expect(target.InputTransformer).toEqual({
      InputPathsMap: { 'detail-reason': '$.detail.reason' },
      InputTemplate: '{"commands":["echo <detail-reason>"]}',
    });
  });

  test('a Command document of the app: its ARN, and parameters checked against it', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const document = new CommandDocument(stack, 'Harden', {
      parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'] }) },
      steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh {{ level }}'] })],
    });
    // WHEN
    rule.addTarget(new RunCommandTarget({ document, parameters: { level: ['high'] }, targets: [Target.tag('Role', 'web')] }));
    // THEN
    const [target] = ruleTargets(stack);
    expect(target.Arn).toEqual(arn(':ssm:us-east-1:111111111111:document/', { Ref: expect.stringMatching(/^Harden/) }));
    expect(target.Input).toEqual('{"level":["high"]}');
    expect(() => rule.addTarget(new RunCommandTarget({ document, parameters: { level: ['max'] }, targets: [Target.tag('Role', 'web')] })))
      .toThrow("Stack/Nightly: Target1.parameters.level 'max' is not one of allowedValues; use 'low' or 'high'");
  });

  test('an imported document, by name or by ARN shared from another account', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const own = Document.fromDocumentName(stack, 'Own', 'Fleet-Harden');
    const shared = Document.fromDocumentArn(stack, 'Shared', 'arn:aws:ssm:us-east-1:222222222222:document/Shared-Harden');
    // WHEN
    rule.addTarget(new RunCommandTarget({ document: own, targets: [Target.tag('Role', 'web')], parameters: { anything: ['goes'] } }));
    rule.addTarget(new RunCommandTarget({ document: shared, targets: [Target.tag('Role', 'web')] }));
    // THEN
    const [first, second] = ruleTargets(stack);
    expect(first.Arn).toEqual(arn(':ssm:us-east-1:111111111111:document/Fleet-Harden'));
    expect(second.Arn).toEqual('arn:aws:ssm:us-east-1:222222222222:document/Shared-Harden');
    expect(roleStatements(stack)[2]).toEqual({ Action: 'ssm:SendCommand', Effect: 'Allow', Resource: 'arn:aws:ssm:us-east-1:222222222222:document/Shared-Harden' });
  });

  test('tokens are never rejected', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    const ids = new CfnParameter(stack, 'Ids', { type: 'List<AWS::EC2::Instance::Id>' }).valueAsList;
    const value = new CfnParameter(stack, 'Role').valueAsString;
    const key = new CfnParameter(stack, 'Key').valueAsString;
    const retries = new CfnParameter(stack, 'Retries', { type: 'Number' }).valueAsNumber;
    const age = new CfnParameter(stack, 'Age', { type: 'Number' }).valueAsNumber;
    const documentArn = Fn.importValue('DocumentArn');
    // WHEN
    rule.addTarget(new RunCommandTarget({
      document: Document.fromDocumentArn(stack, 'Doc', documentArn),
      targets: [Target.fromKeyValues('InstanceIds', ids), Target.tag('Role', value, value)],
      parameters: { [Lazy.string({ produce: () => 'commands' })]: [value] },
      retryAttempts: retries,
      maxEventAge: Duration.seconds(age),
    }));
    rule.addTarget(new RunCommandTarget({ ...PATCH, targets: [Target.fromKeyValues(`tag:${key}`, ['web']), Target.tag('Env', 'prod')] }));
    rule.addTarget(new RunCommandTarget({ ...PATCH, targets: [Target.fromKeyValues(key, ['web'])] }));
    // THEN
    const [first, second] = ruleTargets(stack);
    expect(first.RunCommandParameters.RunCommandTargets).toEqual([
      { Key: 'InstanceIds', Values: { Ref: 'Ids' } },
      { Key: 'tag:Role', Values: [{ Ref: 'Role' }, { Ref: 'Role' }] },
    ]);
    expect(first.RetryPolicy).toEqual({ MaximumRetryAttempts: { Ref: 'Retries' }, MaximumEventAgeInSeconds: { Ref: 'Age' } });
    expect(second.RunCommandParameters.RunCommandTargets[0]).toEqual({ Key: { 'Fn::Join': ['', ['tag:', { Ref: 'Key' }]] }, Values: ['web'] });
    // Nodes of a list token can't be named: the tag still narrows them. A tag key that is a token can't be a
    // condition key: the other tags still narrow the nodes.
    const statements = roleStatements(stack);
    expect(statements[1]).toEqual({ Action: 'ssm:SendCommand', Effect: 'Allow', Resource: ALL_NODES, Condition: { StringEquals: { 'ssm:resourceTag/Role': [{ Ref: 'Role' }, { Ref: 'Role' }] } } });
    expect(statements[3]).toEqual({ Action: 'ssm:SendCommand', Effect: 'Allow', Resource: ALL_NODES, Condition: { StringEquals: { 'ssm:resourceTag/Env': ['prod'] } } });
    // A key that is a token as a whole may be InstanceIds or a tag: the nodes can't be narrowed.
    expect(ruleTargets(stack)[2].RunCommandParameters.RunCommandTargets).toEqual([{ Key: { Ref: 'Key' }, Values: ['web'] }]);
    expect(statements[5]).toEqual({ Action: 'ssm:SendCommand', Effect: 'Allow', Resource: ALL_NODES });
  });

  test('errors name the target when it is bound without an ID', () => {
    const { rule } = ruleStack();
    expect(() => new RunCommandTarget({ ...PATCH, targets: [Target.tagKey('Role')] }).bind(rule))
      .toThrow("Stack/Nightly: targets[0] 'tag-key' selects tag keys, which a Run Command target does not accept; use instance IDs or tags");
  });

  describe('fails when', () => {
    test('fails when a target is neither instance IDs nor a tag', () => {
      expect(addTarget({ targets: [Target.resourceGroup('web')] }))
        .toThrow("Stack/Nightly: Target0.targets[0] 'resource-groups:Name' selects a resource group, which a Run Command target does not accept; use instance IDs or tags");
      expect(addTarget({ targets: [Target.allManagedNodes()] }))
        .toThrow("Stack/Nightly: Target0.targets[0] 'InstanceIds' selects all managed nodes, which a Run Command target does not accept; use instance IDs or tags");
      expect(addTarget({ targets: [Target.fromKeyValues('Environment', ['prod'])] }))
        .toThrow("Stack/Nightly: Target0.targets[0] 'Environment' selects a custom key, which a Run Command target does not accept; use instance IDs or tags");
    });

    test('fails when there are no targets', () => {
      expect(addTarget({ targets: [] })).toThrow('Stack/Nightly: Target0.targets has 0 targets; use 1 or more (give the nodes the command runs on)');
    });

    test('fails when there are more than 5 targets', () => {
      const targets = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => Target.tag(key, 'x'));
      expect(addTarget({ targets })).toThrow(
        'Stack/Nightly: Target0.targets has 6 targets; use at most 5 (select more nodes with one tag or more values of one target)');
    });

    test('fails when a target has no values or too many', () => {
      expect(addTarget({ targets: [Target.tag('Role')] }))
        .toThrow("Stack/Nightly: Target0.targets[0] ('tag:Role') has 0 values; use 1 to 5 (Run Command takes five values for each tag key)");
      expect(addTarget({ targets: [Target.tag('Role', 'a', 'b', 'c', 'd', 'e', 'f')] }))
        .toThrow("Stack/Nightly: Target0.targets[0] ('tag:Role') has 6 values; use 1 to 5 (Run Command takes five values for each tag key)");
      const ids = Array.from({ length: 51 }, (_, n) => `i-${String(n).padStart(17, '0')}`);
      expect(addTarget({ targets: [Target.instanceIds(...ids)] }))
        .toThrow("Stack/Nightly: Target0.targets[0] ('InstanceIds') has 51 values; use 1 to 50");
    });

    test('fails when an instance ID is not one', () => {
      expect(addTarget({ targets: [Target.instanceIds('web-1')] }))
        .toThrow("Stack/Nightly: Target0.targets[0].values 'web-1' is not an instance ID; use i- and 8 or 17 characters, or mi- and 17 characters");
    });

    test('fails when a tag key is not valid', () => {
      expect(addTarget({ targets: [Target.tag('a'.repeat(125), 'x')] }))
        .toThrow(`Stack/Nightly: Target0.targets[0].key 'tag:${'a'.repeat(73)}...' is not valid; use 1 to 128 letters, digits, spaces or _.:/=-@`);
      expect(addTarget({ targets: [Target.tag('Role!', 'x')] }))
        .toThrow("Stack/Nightly: Target0.targets[0].key 'tag:Role!' is not valid; use 1 to 128 letters, digits, spaces or _.:/=-@");
    });

    test('fails when a value is empty or longer than 256 characters', () => {
      expect(addTarget({ targets: [Target.tag('Role', '')] }))
        .toThrow("Stack/Nightly: Target0.targets[0].values '' has 0 characters; use 1 to 256");
      expect(addTarget({ targets: [Target.tag('Role', '🙂'.repeat(257))] }))
        .toThrow(`Stack/Nightly: Target0.targets[0].values '${'🙂'.repeat(77)}...' has 257 characters; use 1 to 256`);
    });

    test('fails when a value is given twice', () => {
      expect(addTarget({ targets: [Target.tag('Role', 'web', 'web')] }))
        .toThrow("Stack/Nightly: Target0.targets[0].values 'web' is given twice for 'tag:Role'; give each value once");
    });

    test('fails when the document is not a Command document', () => {
      const { stack, rule } = ruleStack();
      const document = Document.fromDocumentAttributes(stack, 'Restart', { documentName: 'AWS-RestartEC2Instance', documentType: DocumentType.AUTOMATION });
      expect(() => rule.addTarget(new RunCommandTarget({ document, targets: [Target.tag('Role', 'web')] })))
        .toThrow("Stack/Nightly: Target0.document 'AWS-RestartEC2Instance' has type Automation; a Run Command target runs Command documents");
    });

    test('fails when a parameter is not one of the document', () => {
      expect(addTarget({ parameters: { command: ['uptime'] } }))
        .toThrow("Stack/Nightly: Target0.parameters 'command' is not a parameter of the document 'AWS-RunShellScript'; use 'commands', 'workingDirectory' or 'executionTimeout'");
    });

    test('fails when a required parameter is missing', () => {
      expect(addTarget({ parameters: undefined }))
        .toThrow("Stack/Nightly: Target0.parameters lacks 'commands', which the document 'AWS-RunShellScript' requires; give it");
    });

    test('fails when both input and parameters are given', () => {
      expect(addTarget({ input: events.RuleTargetInput.fromObject({ commands: ['uptime'] }) }))
        .toThrow('Stack/Nightly: Target0.input and Target0.parameters are both given; give the parameters in the input, or give parameters and no input');
    });

    test('fails when the parameters make an input of more than 8,192 characters', () => {
      expect(addTarget({ parameters: { commands: ['x'.repeat(8180)] } }))
        .toThrow(/^Stack\/Nightly: Target0.parameters \{"commands":\["x+\.\.\. make an input of 8,197 characters; use at most 8,192, EventBridge's limit on a target's input$/);
    });

    test.each([-1, 186, 1.5])('fails when retryAttempts is %p', (retryAttempts) => {
      expect(addTarget({ retryAttempts }))
        .toThrow(`Stack/Nightly: Target0.retryAttempts ${retryAttempts} is not valid; use a whole number from 0 to 185`);
    });

    test.each([
      [Duration.seconds(59), '59 seconds'],
      [Duration.hours(25), '1 day 1 hour'],
      [Duration.millis(60_500), '1 minute 500 millis'],
    ])('fails when maxEventAge is %p', (maxEventAge, shown) => {
      expect(addTarget({ maxEventAge }))
        .toThrow(`Stack/Nightly: Target0.maxEventAge ${shown} is not valid; use whole seconds from 1 minute to 1 day`);
    });

    test('fails when maxEventAge is a token in another unit than seconds', () => {
      const { stack, rule } = ruleStack();
      const hours = new CfnParameter(stack, 'Hours', { type: 'Number' }).valueAsNumber;
      expect(() => rule.addTarget(new RunCommandTarget({ ...PATCH, maxEventAge: Duration.hours(hours) })))
        .toThrow("Stack/Nightly: Target0.maxEventAge (a token, in hours) can't be converted to seconds before deployment; give the token with Duration.seconds()");
    });

    test('fails when the dead-letter queue is in another region than the rule', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
      const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
      const rule = new events.Rule(stack, 'Nightly', { schedule: events.Schedule.cron({ hour: '2', minute: '0' }) });
      const queue = sqs.Queue.fromQueueArn(other, 'Dlq', 'arn:aws:sqs:eu-west-1:111111111111:dlq');
      expect(() => rule.addTarget(new RunCommandTarget({ ...PATCH, deadLetterQueue: queue })))
        .toThrow(/Cannot assign Dead Letter Queue in region eu-west-1 to the rule .* in region us-east-1/);
    });
  });

  test('cdk-nag AwsSolutions finds only the nodes of tag targets, which are known when the command is sent', () => {
    // GIVEN
    const { stack, rule } = ruleStack();
    rule.addTarget(new RunCommandTarget({ ...PATCH, deadLetterQueue: new sqs.Queue(stack, 'Dlq', { enforceSSL: true }), retryAttempts: 2 }));
    rule.addTarget(new RunCommandTarget({ ...PATCH, targets: [Target.instanceIds('i-0123456789abcdef0')] }));
    // WHEN
    const violations = new AwsSolutionsChecks().validateScope(stack).violations;
    // THEN
    const findings = violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`));
    expect(findings.sort()).toEqual([
      // the dead-letter queue of the test: a user's queue, not this library's
      'AwsSolutions-SQS3 Stack/Dlq/Resource',
      // acknowledged in the README's cdk-nag section: tag targets select nodes when the command is sent
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:us-east-1:111111111111:instance/*] Stack/Nightly/Target0Role/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:us-east-1:111111111111:managed-instance/*] Stack/Nightly/Target0Role/DefaultPolicy/Resource',
    ].sort());
  });

  const cfnLint = join(__dirname, '..', '..', '.venv', 'bin', 'cfn-lint');
  (existsSync(cfnLint) ? test : test.skip)('cfn-lint accepts the template', () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'run-command-target-'));
    try {
      const app = new App({ outdir: dir });
      const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
      const rule = new events.Rule(stack, 'Nightly', { schedule: events.Schedule.cron({ hour: '2', minute: '0' }) });
      const document = new CommandDocument(stack, 'Harden', {
        parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'] }) },
        steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh {{ level }}'] })],
      });
      rule.addTarget(new RunCommandTarget({ ...PATCH, deadLetterQueue: new sqs.Queue(stack, 'Dlq'), retryAttempts: 2, maxEventAge: Duration.hours(1) }));
      rule.addTarget(new RunCommandTarget({ document, parameters: { level: ['high'] }, targets: [Target.instanceIds('i-0123456789abcdef0', 'mi-0123456789abcdef0')] }));
      rule.addTarget(new RunCommandTarget({
        document: AwsManagedDocument.RUN_SHELL_SCRIPT,
        targets: [Target.tag('Role', 'web'), Target.tag('Env', 'prod')],
        input: events.RuleTargetInput.fromObject({ commands: [`echo ${events.EventField.fromPath('$.detail.reason')}`] }),
      }));
      // WHEN
      app.synth();
      const template = readdirSync(dir).find((file) => file.endsWith('.template.json'))!;
      expect(JSON.parse(readFileSync(join(dir, template), 'utf8')).Resources).toBeDefined();
      // THEN: no error and no warning, with the options of scripts/cfn-lint.sh (W3005, redundant DependsOn, is on all CDK output)
      expect(() => execFileSync(cfnLint, [join(dir, template), '--regions', 'us-east-1', '--ignore-checks', 'W3005'], { encoding: 'utf8' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
