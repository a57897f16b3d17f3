import * as iam from 'aws-cdk-lib/aws-iam';

/** iam:PassRole on a role, to Systems Manager only. */
export function passRoleToSsm(passed: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [passed.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
  });
}
