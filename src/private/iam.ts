import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RenderedTarget } from './targets';
import { HandlerPhase } from '../provider/phases';

/** iam:PassRole on a role, to Systems Manager only. */
export function passRoleToSsm(passed: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [passed.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
  });
}

/** Both phases of a request: what onEvent calls, isComplete may call too. */
export const ALL_PHASES: readonly HandlerPhase[] = [HandlerPhase.ON_EVENT, HandlerPhase.IS_COMPLETE];

/** Statements of a resource's role, and the phases of a request whose handler makes their calls. */
export interface PhaseStatements {
  readonly phases: readonly HandlerPhase[];
  readonly statements: iam.PolicyStatement[];
}

/** SendCommand on the targeted nodes: the instances named, or every instance narrowed by the targeted tags. */
export function nodeStatements(stack: Stack, targets: RenderedTarget[]): iam.PolicyStatement[] {
  const instance = (id: string) => id.startsWith('mi-')
    ? stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: id })
    : stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: id });
  const allNodes = [
    stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
    stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
  ];
  // Values from a list token (a List parameter) are known only at deploy time: they can't be named one by one here.
  const listed = ({ values }: RenderedTarget) => !Token.isUnresolved(values);
  const ids = targets.filter(({ key }) => key === 'InstanceIds');
  // An association's Target.allManagedNodes() is the instance ID '*': every node, as below.
  if (ids.length && ids.every(listed) && !ids.some(({ values }) => values.includes('*'))) {
    return [new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: ids.flatMap(({ values }) => values.map(instance)) })];
  }
  const conditions: Record<string, Record<string, unknown>> = {};
  for (const target of targets) {
    const { key, values } = target;
    if (key.startsWith('tag:')) {
      conditions.StringEquals = { ...conditions.StringEquals, [`ssm:resourceTag/${key.slice('tag:'.length)}`]: values };
    } else if (key === 'tag-key' && listed(target)) {
      conditions.Null = { ...conditions.Null, ...Object.fromEntries(values.map((tagKey) => [`ssm:resourceTag/${tagKey}`, 'false'])) };
    }
  }
  // A resource group's nodes are known only when the command runs, so they are not narrowed further.
  const narrowed = targets.every((target) => target.key.startsWith('tag:') || (target.key === 'tag-key' && listed(target)));
  return [new iam.PolicyStatement({
    actions: ['ssm:SendCommand'],
    resources: allNodes,
    conditions: narrowed ? conditions : undefined,
  })];
}
