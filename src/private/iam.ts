import * as iam from 'aws-cdk-lib/aws-iam';
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
