import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Association, AssociationDispatchRole, AssociationProps, AwsManagedDocument, Document, DocumentType, Target,
} from '../../src';
import { testStack } from '../util';

const PATCH: AssociationProps = {
  document: AwsManagedDocument.RUN_PATCH_BASELINE,
  parameters: { Operation: ['Scan'] },
  targets: [Target.tag('Env', 'prod'), Target.tag('Role', 'web', 'api')],
};

function associate(stack: Stack, overrides: Partial<AssociationProps> = {}): Association {
  return new Association(stack, 'Assoc', { ...PATCH, ...overrides });
}

/** The logical ID of the only resource of a type. */
function logicalId(stack: Stack, type: string): string {
  const ids = Object.keys(Template.fromStack(stack).findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The statements of the generated dispatch role's policy. */
function dispatchStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(stack, 'AWS::IAM::Role') }] },
  });
  return Object.values(policies).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

const ALL_INSTANCES = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:instance/*']] };
const ALL_MANAGED_NODES = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:managed-instance/*']] };
// AWS's documents are named in the deploying region.
const PATCH_DOCUMENT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-RunPatchBaseline']] };

describe('Association dispatch role', () => {
  test('without dispatchRole, the association has no AssociationDispatchAssumeRole and no role is created', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const association = associate(stack);
    // THEN
    expect(association.dispatchRole).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', { AssociationDispatchAssumeRole: Match.absent() });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
  });

  test('generate() creates a role trusted by Systems Manager of this account and region only', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    associate(stack, { dispatchRole: AssociationDispatchRole.generate() });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:*']] } },
          },
        }],
      },
    });
  });

  test('generate() with tag targets: SendCommand on the document, and on the nodes that carry every targeted tag', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    associate(stack, { dispatchRole: AssociationDispatchRole.generate() });
    // THEN
    expect(dispatchStatements(stack)).toEqual([
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: PATCH_DOCUMENT },
      {
        Action: 'ssm:SendCommand',
        Effect: 'Allow',
        Resource: [ALL_INSTANCES, ALL_MANAGED_NODES],
        Condition: { StringEquals: { 'ssm:resourceTag/Env': ['prod'], 'ssm:resourceTag/Role': ['web', 'api'] } },
      },
    ]);
  });

  test('generate() with a tag-key target of one key narrows the nodes to those that have the key', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    associate(stack, { targets: [Target.tagKey('Patch'), Target.tag('Env', 'prod')], dispatchRole: AssociationDispatchRole.generate() });
    // THEN
    expect(dispatchStatements(stack)[1].Condition).toEqual({
      StringEquals: { 'ssm:resourceTag/Env': ['prod'] },
      Null: { 'ssm:resourceTag/Patch': 'false' },
    });
  });

  test('generate() with a tag-key target of several keys does not require every key: a node needs any of them', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    associate(stack, { targets: [Target.tagKey('Patch', 'PatchGroup'), Target.tag('Env', 'prod')], dispatchRole: AssociationDispatchRole.generate() });
    // THEN: the keys of one Null condition would all apply, refusing a node that has only one of them
    expect(dispatchStatements(stack)[1].Condition).toEqual({ StringEquals: { 'ssm:resourceTag/Env': ['prod'] } });
  });

  test('generate() with tag keys known only at deploy time synthesizes, narrowed by the tags whose keys are known', () => {
    // GIVEN
    const stack = testStack();
    const key = new CfnParameter(stack, 'TagKey').valueAsString;
    // WHEN
    associate(stack, {
      targets: [Target.tag(key, 'prod'), Target.tagKey(new CfnParameter(stack, 'OtherKey').valueAsString), Target.tag('Role', 'web')],
      dispatchRole: AssociationDispatchRole.generate(),
    });
    // THEN
    expect(dispatchStatements(stack)[1].Condition).toEqual({ StringEquals: { 'ssm:resourceTag/Role': ['web'] } });
  });

  test('the association takes the generated role\'s ARN and depends on the role and its policy', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const association = associate(stack, { dispatchRole: AssociationDispatchRole.generate() });
    // THEN
    const roleId = logicalId(stack, 'AWS::IAM::Role');
    const policyId = logicalId(stack, 'AWS::IAM::Policy');
    Template.fromStack(stack).hasResource('AWS::SSM::Association', {
      Properties: { AssociationDispatchAssumeRole: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      DependsOn: [policyId, roleId],
    });
    expect(association.dispatchRole).toBe(association.node.findChild('DispatchRole'));
  });

  test('generate() with instance IDs: SendCommand on those instances and managed nodes only', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    associate(stack, { targets: [Target.instanceIds('i-0123456789abcdef0', 'mi-0123456789abcdef0')], dispatchRole: AssociationDispatchRole.generate() });
    // THEN
    expect(dispatchStatements(stack)[1]).toEqual({
      Action: 'ssm:SendCommand',
      Effect: 'Allow',
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:instance/i-0123456789abcdef0']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:managed-instance/mi-0123456789abcdef0']] },
      ],
    });
  });

  test('generate() with all managed nodes: SendCommand on every instance and managed node, without conditions', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    associate(stack, { targets: [Target.allManagedNodes()], dispatchRole: AssociationDispatchRole.generate() });
    // THEN
    expect(dispatchStatements(stack)[1]).toEqual({ Action: 'ssm:SendCommand', Effect: 'Allow', Resource: [ALL_INSTANCES, ALL_MANAGED_NODES] });
  });

  test('generate() with a resource group, calendars, an output bucket and an alarm: only what each needs', () => {
    // GIVEN
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Output');
    const calendar = Document.fromDocumentName(stack, 'Calendar', 'Business-Hours');
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health');
    // WHEN
    associate(stack, {
      targets: [Target.resourceGroup('web-servers')],
      changeCalendars: [calendar],
      outputLocation: { bucket, keyPrefix: 'ssm/' },
      alarmConfiguration: { alarms: [alarm] },
      dispatchRole: AssociationDispatchRole.generate(),
    });
    // THEN
    const bucketId = logicalId(stack, 'AWS::S3::Bucket');
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('State Manager assumes') } });
    const [roleId] = Object.keys(roles);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = Object.values(policies).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: [PATCH_DOCUMENT, { 'Fn::GetAtt': [bucketId, 'Arn'] }] },
      // A resource group's nodes are known only when the association runs.
      { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: [ALL_INSTANCES, ALL_MANAGED_NODES] },
      {
        Action: 'ssm:GetCalendarState',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:document/Business-Hours']] },
      },
      { Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health' },
      {
        Action: 'resource-groups:ListGroupResources',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':resource-groups:us-east-1:111111111111:group/web-servers']] },
      },
      { Action: 'tag:GetResources', Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('fromRole takes a role of this app: its ARN, and a dependency on its policy', () => {
    // GIVEN
    const stack = testStack();
    const role = new iam.Role(stack, 'Dispatch', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: ['*'] }));
    // WHEN
    const association = associate(stack, { dispatchRole: AssociationDispatchRole.fromRole(role) });
    // THEN
    expect(association.dispatchRole).toBe(role);
    const roleId = logicalId(stack, 'AWS::IAM::Role');
    Template.fromStack(stack).hasResource('AWS::SSM::Association', {
      Properties: { AssociationDispatchAssumeRole: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      DependsOn: [logicalId(stack, 'AWS::IAM::Policy'), roleId],
    });
    // and nothing is added to the user's role
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')[logicalId(stack, 'AWS::IAM::Policy')].Properties.PolicyDocument.Statement)
      .toHaveLength(1);
  });

  test('fromRole takes an imported role by its ARN', () => {
    // GIVEN
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Dispatch', 'arn:aws:iam::111111111111:role/service-role/StateManagerDispatch');
    // WHEN
    associate(stack, { dispatchRole: AssociationDispatchRole.fromRole(role) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', {
      AssociationDispatchAssumeRole: 'arn:aws:iam::111111111111:role/service-role/StateManagerDispatch',
    });
  });

  test('association.dispatchRole takes more grants', () => {
    // GIVEN
    const stack = testStack();
    const association = associate(stack, { dispatchRole: AssociationDispatchRole.generate() });
    // WHEN
    association.dispatchRole!.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:DescribeInstanceInformation'], resources: ['*'] }));
    // THEN
    expect(dispatchStatements(stack)).toContainEqual({ Action: 'ssm:DescribeInstanceInformation', Effect: 'Allow', Resource: '*' });
  });

  test('the alarm companion may pass the dispatch role back to Systems Manager, as UpdateAssociation writes it back', () => {
    // GIVEN
    const stack = testStack();
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health');
    const role = iam.Role.fromRoleArn(stack, 'Dispatch', 'arn:aws:iam::111111111111:role/StateManagerDispatch');
    // WHEN
    associate(stack, { alarmConfiguration: { alarms: [alarm] }, dispatchRole: AssociationDispatchRole.fromRole(role) });
    // THEN
    const companionRoles = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Role'))
      .filter(([id]) => id.startsWith('AssocAlarmConfigurationHandlerRole'));
    expect(companionRoles).toHaveLength(1);
    const statements = (companionRoles[0][1] as any).Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: 'arn:aws:iam::111111111111:role/StateManagerDispatch',
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com', 'aws:PrincipalTag/cdk-ssm-ops:phase': 'isComplete' } },
    });
  });

  test('a role ARN known only at deploy time is not checked', () => {
    // GIVEN
    const stack = testStack();
    const arn = new CfnParameter(stack, 'DispatchRoleArn').valueAsString;
    // WHEN
    associate(stack, { dispatchRole: AssociationDispatchRole.fromRole(iam.Role.fromRoleArn(stack, 'Dispatch', arn)) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', { AssociationDispatchAssumeRole: { Ref: 'DispatchRoleArn' } });
  });

  describe('validation', () => {
    test('fails when the imported dispatch role\'s ARN is not a role\'s', () => {
      const stack = testStack();
      const user = iam.Role.fromRoleArn(stack, 'Dispatch', 'arn:aws:iam::111111111111:user/alice');
      expect(() => associate(stack, { dispatchRole: AssociationDispatchRole.fromRole(user) })).toThrow(
        "Stack/Assoc: dispatchRole 'arn:aws:iam::111111111111:user/alice' is not valid; "
        + 'use the ARN of an IAM role, arn:<partition>:iam::<12-digit account>:role/<name>');
    });

    test('fails when the imported dispatch role\'s ARN is longer than 512 characters', () => {
      const stack = testStack();
      const long = iam.Role.fromRoleArn(stack, 'Dispatch', `arn:aws:iam::111111111111:role/${'p/'.repeat(240)}name`);
      expect(() => associate(stack, { dispatchRole: AssociationDispatchRole.fromRole(long) }))
        .toThrow(/^Stack\/Assoc: dispatchRole 'arn:aws:iam::111111111111:role\/p\/.*' has 515 characters; use 1 to 512$/);
    });

    test('fails when a dispatch role is generated for an Automation runbook', () => {
      const stack = testStack();
      const runbook = Document.fromDocumentAttributes(stack, 'Runbook', { documentName: 'My-Runbook', documentType: DocumentType.AUTOMATION });
      expect(() => associate(stack, { document: runbook, parameters: undefined, dispatchRole: AssociationDispatchRole.generate() })).toThrow(
        "Stack/Assoc: dispatchRole can't be generated for the Automation runbook 'My-Runbook'; give a role of your own with AssociationDispatchRole.fromRole(role)");
    });
  });
});

describe('Association tags', () => {
  test('Tags.of(association) tags the association, and its generated dispatch role', () => {
    // GIVEN
    const stack = testStack();
    const association = associate(stack, { dispatchRole: AssociationDispatchRole.generate() });
    // WHEN
    Tags.of(association).add('CostCenter', 'fleet');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', { Tags: [{ Key: 'CostCenter', Value: 'fleet' }] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'CostCenter', Value: 'fleet' }] });
  });

  test('Tags.of(stack) reaches the association, beside its own tags, in key order', () => {
    // GIVEN
    const stack = testStack();
    const association = associate(stack);
    // WHEN
    Tags.of(stack).add('Team', 'ops');
    Tags.of(association).add('CostCenter', 'fleet');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', {
      Tags: [{ Key: 'CostCenter', Value: 'fleet' }, { Key: 'Team', Value: 'ops' }],
    });
  });

  test('an association without tags has no Tags property', () => {
    const stack = testStack();
    associate(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', { Tags: Match.absent() });
  });

  test('the alarm companion watches the tags, so a tag change applies the alarm again', () => {
    // GIVEN
    const watched = (tags: Record<string, string>) => {
      const stack = testStack();
      const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health');
      const association = associate(stack, { alarmConfiguration: { alarms: [alarm] } });
      Object.entries(tags).forEach(([key, value]) => Tags.of(association).add(key, value));
      const [companion] = Object.values(Template.fromStack(stack).findResources('Custom::SsmAssociationAlarm')) as any[];
      return companion.Properties.WatchedProperties;
    };
    // THEN
    expect(watched({ CostCenter: 'fleet' }).Tags).toEqual([{ Key: 'CostCenter', Value: 'fleet' }]);
    expect(watched({ CostCenter: 'fleet' })).toEqual(watched({ CostCenter: 'fleet' }));
    expect(watched({ CostCenter: 'fleet' })).not.toEqual(watched({ CostCenter: 'ops' }));
  });

  test('tag values known only at deploy time are not checked', () => {
    const stack = testStack();
    const association = associate(stack);
    Tags.of(association).add('Owner', new CfnParameter(stack, 'Owner').valueAsString);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  describe('validation', () => {
    function synthWithTags(tags: Record<string, string>) {
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
      const association = associate(stack);
      Object.entries(tags).forEach(([key, value]) => Tags.of(association).add(key, value));
      return () => app.synth();
    }

    test('fails when a tag key has a character tags can\'t have', () => {
      expect(synthWithTags({ 'cost*center': 'fleet' }))
        .toThrow("Stack/Assoc: tags 'cost*center' is not valid; use 1 to 128 letters, digits, spaces or _.:/=+-@");
    });

    test('fails when a tag key is longer than 128 characters', () => {
      expect(synthWithTags({ ['k'.repeat(129)]: 'fleet' })).toThrow(/Stack\/Assoc: tags 'k{77}\.\.\.' is not valid; use 1 to 128 letters/);
    });

    test('fails when a tag value is longer than 256 characters', () => {
      expect(synthWithTags({ Owner: 'v'.repeat(257) }))
        .toThrow(/Stack\/Assoc: tags\.Owner 'v{77}\.\.\.' is not valid; use at most 256 letters, digits, spaces or _\.:\/=\+-@/);
    });

    test('fails when there are more than 1,000 tags', () => {
      const tags = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']));
      expect(synthWithTags(tags)).toThrow('Stack/Assoc: tags has 1001 tags; use at most 1,000');
    });

    test('takes an empty tag value, which associations allow', () => {
      expect(synthWithTags({ Owner: '' })).not.toThrow();
    });
  });
});
