import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Target, TargetKind } from '../src';
import { testStack } from './util';
import { renderTargets, TargetRules } from '../src/private/targets';

const ALL_KINDS: TargetRules = { accepted: Object.values(TargetKind), maxKeyLength: 163 };

describe('Target', () => {
  test.each([
    [Target.instanceIds('i-1234567890abcdef0', 'mi-0123456789abcdef0'), 'InstanceIds', ['i-1234567890abcdef0', 'mi-0123456789abcdef0'], TargetKind.INSTANCE_IDS],
    [Target.tag('Role', 'web', 'api'), 'tag:Role', ['web', 'api'], TargetKind.TAG],
    [Target.tagKey('Patch', 'Owner'), 'tag-key', ['Patch', 'Owner'], TargetKind.TAG_KEY],
    [Target.resourceGroup('web-servers'), 'resource-groups:Name', ['web-servers'], TargetKind.RESOURCE_GROUP],
    [Target.resourceGroupResourceTypes('AWS::EC2::Instance'), 'resource-groups:ResourceTypeFilters', ['AWS::EC2::Instance'], TargetKind.RESOURCE_GROUP_RESOURCE_TYPES],
    [Target.allManagedNodes(), 'InstanceIds', ['*'], TargetKind.ALL_MANAGED_NODES],
    [Target.fromKeyValues('tag:Env', ['prod']), 'tag:Env', ['prod'], TargetKind.TAG],
    [Target.fromKeyValues('InstanceIds', ['*']), 'InstanceIds', ['*'], TargetKind.ALL_MANAGED_NODES],
    [Target.fromKeyValues('WindowTargetIds', ['12345678-1234-1234-1234-123456789012']), 'WindowTargetIds', ['12345678-1234-1234-1234-123456789012'], TargetKind.WINDOW_TARGET_IDS],
    [Target.fromKeyValues('custom:Key', ['x']), 'custom:Key', ['x'], TargetKind.OTHER],
  ])('%# renders key %s', (target, key, values, kind) => {
    expect(target.kind).toBe(kind);
    expect(renderTargets(testStack(), 'targets', [target], ALL_KINDS)).toEqual([{ key, values }]);
  });

  test('instances takes the IDs of EC2 instances, as tokens', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const instance = new ec2.Instance(stack, 'Web', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const [rendered] = renderTargets(stack, 'targets', [Target.instances(instance)], ALL_KINDS);
    expect(stack.resolve(rendered.values)).toEqual([{ Ref: stack.getLogicalId(instance.node.defaultChild as ec2.CfnInstance) }]);
  });

  test('fails when there are more than 5 targets', () => {
    const targets = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => Target.tag(key, 'x'));
    expect(() => renderTargets(testStack(), 'targets', targets, ALL_KINDS)).toThrow(
      'Stack: targets has 6 targets; use at most 5 (select more nodes with one tag, a resource group or more values of one target)');
  });

  test('fails when a target has more than 50 values or none', () => {
    const values = Array.from({ length: 51 }, (_, i) => `v${i}`);
    expect(() => renderTargets(testStack(), 'targets', [Target.tag('Role', ...values)], ALL_KINDS)).toThrow(
      "Stack: targets[0] ('tag:Role') has 51 values; use 1 to 50");
    expect(() => renderTargets(testStack(), 'targets', [Target.tag('Role')], ALL_KINDS)).toThrow(
      "Stack: targets[0] ('tag:Role') has 0 values; use 1 to 50");
  });

  test.each(['i-123', 'instance-1234567890abcdef0', 'mi-123', '*'])('fails when %s is given as an instance ID', (id) => {
    expect(() => renderTargets(testStack(), 'targets', [Target.instanceIds(id)], ALL_KINDS)).toThrow(
      `Stack: targets[0].values '${id}' is not an instance ID; use i- and 8 or 17 characters, or mi- and 17 characters`);
  });

  test('fails when a key is not valid or too long', () => {
    expect(() => renderTargets(testStack(), 'targets', [Target.fromKeyValues('tag:a+b', ['x'])], ALL_KINDS)).toThrow(
      "Stack: targets[0].key 'tag:a+b' is not valid; use 1 to 163 letters, digits, spaces or _.:/=-@");
    expect(() => renderTargets(testStack(), 'targets', [Target.tag('k'.repeat(125), 'x')], { ...ALL_KINDS, maxKeyLength: 128 })).toThrow(
      /key 'tag:k+\.\.\.' is not valid; use 1 to 128 letters/);
  });

  test('fails when a kind is not accepted by the construct', () => {
    expect(() => renderTargets(testStack(), 'targets', [Target.resourceGroup('web')], { accepted: [TargetKind.INSTANCE_IDS], maxKeyLength: 163 })).toThrow(
      "Stack: targets[0] 'resource-groups:Name' selects a resource group, which this construct does not accept; use instance IDs");
  });

  test('fails when a resource group target names more than one group', () => {
    expect(() => renderTargets(testStack(), 'targets', [Target.fromKeyValues('resource-groups:Name', ['a', 'b'])], ALL_KINDS)).toThrow(
      'Stack: targets[0] (\'resource-groups:Name\') has 2 values; use exactly 1 (a resource group target names one group)');
  });

  test('tokens pass unchecked', () => {
    const stack = testStack();
    expect(() => renderTargets(stack, 'targets', [
      Target.instanceIds(Fn.importValue('InstanceId')),
      Target.fromKeyValues(Fn.ref('Key'), Fn.split(',', Fn.ref('Values'))),
    ], ALL_KINDS)).not.toThrow();
  });
});
