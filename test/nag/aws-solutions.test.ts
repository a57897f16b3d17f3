import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FleetOpsStack } from '../../examples/fleet-ops-stack';

/** A finding of the AwsSolutions pack that is accepted, where, and why. */
interface Acknowledgement {
  readonly rule: RegExp;
  readonly path: RegExp;
  readonly reason: string;
}

const PROVIDER = /^FleetOps\/CdkSsmOpsProvider\//;

// Every finding in the example app, acknowledged with its reason. A finding not listed here fails the test, and so
// does an acknowledgement that no longer matches anything.
const ACKNOWLEDGED: Acknowledgement[] = [
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    path: /^FleetOps\/(CdkSsmOpsProvider\/.*|DrainFunction\/)ServiceRole\/Resource$/,
    reason: 'Lambda functions write their logs with the AWS managed basic execution policy, as aws-cdk-lib functions do',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<CdkSsmOpsProvider(OnEvent|IsComplete|frameworkisComplete|frameworkonTimeout)[0-9A-F]+\.Arn>:\*\]$/,
    path: PROVIDER,
    reason: 'the Provider framework invokes the handler functions and their versions (Arn:*)',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /^FleetOps\/(AgentRollout\/Resource\/HandlerPolicy|Patching\/ServiceRole\/DefaultPolicy)\/Resource$/,
    reason: 'ListCommands, ListCommandInvocations, GetCommandInvocation and CancelCommand have no resource types in IAM',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:(ec2:us-east-1:111111111111:instance|ssm:us-east-1:111111111111:managed-instance)\/\*\]$/,
    path: /^FleetOps\/(AgentRollout\/Resource\/HandlerPolicy|Patching\/ServiceRole\/DefaultPolicy)\/Resource$/,
    reason: 'tag and window targets resolve to nodes only when the command runs; RunCommand narrows them by ssm:resourceTag',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:ssm:us-east-1:111111111111:automation-(definition\/AWS-RestartEC2Instance:\*|execution\/\*)\]$/,
    path: /^FleetOps\/Patching\/ServiceRole\/DefaultPolicy\/Resource$/,
    reason: 'an Automation task starts any version of its runbook and follows the executions it starts, whose IDs are made at run time',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::(<DrainFunction[0-9A-F]+\.Arn>:\*|arn:.*:execution:.*:\*)\]$/,
    path: /^FleetOps\/Patching\/ServiceRole\/DefaultPolicy\/Resource$/,
    reason: 'a Lambda task may invoke any version of its function, and a Step Functions task follows the executions it starts',
  },
  {
    rule: /^AwsSolutions-L1$/,
    path: /^FleetOps\/(CdkSsmOpsProvider\/.*|DrainFunction\/)Resource$/,
    reason: 'the handlers run on Node.js 22 (DESIGN.md), and the framework functions on aws-cdk-lib\'s choice; cdk-nag wants the newest runtime',
  },
  {
    rule: /^AwsSolutions-SF[12]$/,
    path: /^FleetOps\/(CdkSsmOpsProvider\/Resource\/waiter-state-machine|VerifyFleet)\/Resource$/,
    reason: 'the Provider framework\'s waiter and the example\'s one-step check need no execution logs or X-Ray traces',
  },
  {
    rule: /^AwsSolutions-S1$/,
    path: /^FleetOps\/AssociationOutput\/Resource$/,
    reason: 'the example\'s output bucket holds command output only; access logging is the platform team\'s choice',
  },
];

test('the example app has no AwsSolutions finding that is not acknowledged with a reason', () => {
  // GIVEN
  const app = new App();
  new FleetOpsStack(app, 'FleetOps', { env: { account: '111111111111', region: 'us-east-1' } });
  // WHEN
  const report = new AwsSolutionsChecks().validateScope(app);
  const findings = report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({ rule: violation.ruleName, path: resource.constructPath ?? '' })));
  // THEN
  const unacknowledged = findings.filter((finding) => !ACKNOWLEDGED.some(({ rule, path }) => rule.test(finding.rule) && path.test(finding.path)));
  expect(unacknowledged).toEqual([]);
  const stale = ACKNOWLEDGED.filter(({ rule, path }) => !findings.some((finding) => rule.test(finding.rule) && path.test(finding.path)));
  expect(stale.map(({ reason }) => reason)).toEqual([]);
  expect(findings.length).toBeGreaterThan(0);
});
