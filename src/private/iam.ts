import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RenderedTarget } from './targets';
import { AlarmConfiguration } from '../alarm-configuration';
import { HandlerPhase } from '../provider/phases';

/** iam:PassRole on a role, to Systems Manager only. */
export function passRoleToSsm(passed: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [passed.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
  });
}

/**
 * cloudwatch:DescribeAlarms on the alarms of a configuration: Systems Manager reads their state with the permissions
 * of whoever gives it the configuration (SendCommand, UpdateAssociation, a dispatch).
 */
export function describeAlarms(config: AlarmConfiguration): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: config.alarms.map((alarm) => alarm.alarmArn) });
}

/** Both phases of a request: what onEvent calls, isComplete may call too. */
export const ALL_PHASES: readonly HandlerPhase[] = [HandlerPhase.ON_EVENT, HandlerPhase.IS_COMPLETE];

/** Statements of a resource's role, and the phases of a request whose handler makes their calls. */
export interface PhaseStatements {
  readonly phases: readonly HandlerPhase[];
  readonly statements: iam.PolicyStatement[];
}

/**
 * SendCommand on the targeted nodes. Instance ID targets name their nodes: EC2 instances (`i-…`) by their instance ARN,
 * hybrid nodes (`mi-…`) by their managed-instance ARN, and an ID known only at deploy time by both. Other targets
 * select nodes only when the command runs: every instance and managed instance of the account and region, narrowed
 * by `ssm:resourceTag` conditions. A node must match every target, so each target that can be written as a condition
 * narrows the nodes whatever the others: a tag (`StringEquals`), and a tag-key target of one key (`Null: false`).
 * What can't be written is left out, which widens and never refuses: a tag-key target of several keys (a node needs
 * any of them, and the keys of one condition all apply), a resource group, and keys or value lists that are tokens.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command-setting-up.html
 */
export function nodeStatements(stack: Stack, targets: RenderedTarget[]): iam.PolicyStatement[] {
  const ec2Instance = (id: string) => stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: id });
  const managedInstance = (id: string) => stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: id });
  const node = (id: string) => Token.isUnresolved(id) ? [ec2Instance(id), managedInstance(id)]
    : id.startsWith('mi-') ? [managedInstance(id)] : [ec2Instance(id)];
  // Values from a list token (a List parameter) are known only at deploy time: they can't be named one by one here.
  const listed = ({ values }: RenderedTarget) => !Token.isUnresolved(values);
  const ids = targets.filter(({ key }) => key === 'InstanceIds');
  // An association's Target.allManagedNodes() is the instance ID '*': every node, as below.
  if (ids.length && ids.every(listed) && !ids.some(({ values }) => values.includes('*'))) {
    return [new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [...new Set(ids.flatMap(({ values }) => values.flatMap(node)))] })];
  }
  const conditions: Record<string, Record<string, unknown>> = {};
  for (const target of targets) {
    const { key, values } = target;
    if (key.startsWith('tag:') && !Token.isUnresolved(key)) {
      conditions.StringEquals = { ...conditions.StringEquals, [`ssm:resourceTag/${key.slice('tag:'.length)}`]: values };
    } else if (key === 'tag-key' && listed(target) && values.length === 1 && !Token.isUnresolved(values[0])) {
      conditions.Null = { ...conditions.Null, [`ssm:resourceTag/${values[0]}`]: 'false' };
    }
  }
  return [new iam.PolicyStatement({
    actions: ['ssm:SendCommand'],
    resources: [ec2Instance('*'), managedInstance('*')],
    conditions: Object.keys(conditions).length ? conditions : undefined,
  })];
}
