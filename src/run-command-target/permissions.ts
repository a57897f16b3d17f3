import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IDocument } from '../document/document';
import { RenderedTarget } from '../private/targets';

/**
 * What EventBridge's role needs to send the command: `ssm:SendCommand` on the document, and on the targeted nodes
 * only. Instance ID targets name their nodes: EC2 instances (`i-…`) by their instance ARN, hybrid nodes (`mi-…`) by
 * their managed-instance ARN. Tag targets select nodes only when the command is sent, so they get every instance and
 * managed instance of the account and region, narrowed by one `ssm:resourceTag/<key>` condition per targeted tag
 * (several targets select the nodes that match all of them, and so do the conditions of one statement).
 *
 * Values from a list token (a List parameter) and tag keys that are tokens are known only at deploy time: they can't
 * be named or made into condition keys here, so those targets do not narrow the nodes (the other tags still do).
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command-setting-up.html
 */
export function sendCommandStatements(stack: Stack, document: IDocument, targets: RenderedTarget[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [document.documentArn] }),
    nodeStatement(stack, targets),
  ];
}

function nodeStatement(stack: Stack, targets: RenderedTarget[]): iam.PolicyStatement {
  const node = (id: string) => id.startsWith('mi-')
    ? stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: id })
    : stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: id });
  const ids = targets.filter(({ key }) => key === 'InstanceIds');
  if (ids.length && ids.every(({ values }) => !Token.isUnresolved(values))) {
    return new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [...new Set(ids.flatMap(({ values }) => values))].map(node) });
  }
  // A node must match every target, so each tag whose key is known narrows the nodes, whatever the other targets.
  const tags = targets.filter(({ key }) => key.startsWith('tag:') && !Token.isUnresolved(key));
  return new iam.PolicyStatement({
    actions: ['ssm:SendCommand'],
    resources: [
      stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
      stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
    ],
    conditions: tags.length
      ? { StringEquals: Object.fromEntries(tags.map(({ key, values }) => [`ssm:resourceTag/${key.slice('tag:'.length)}`, values])) }
      : undefined,
  });
}
