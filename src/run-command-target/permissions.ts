import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IDocument } from '../document/document';
import { nodeStatements } from '../private/iam';
import { RenderedTarget } from '../private/targets';

/**
 * What EventBridge's role needs to send the command: `ssm:SendCommand` on the document, and on the targeted nodes
 * only (named instances, or every node narrowed by `ssm:resourceTag` conditions for tag targets).
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html
 */
export function sendCommandStatements(stack: Stack, document: IDocument, targets: RenderedTarget[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [document.documentArn] }),
    ...nodeStatements(stack, targets),
  ];
}
