import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FleetOpsStack } from '../../examples/fleet-ops-stack';
import { app as alarmConfigurationApp } from '../alarm-configuration.integ';
import { app as associationsApp } from '../association/associations.integ';
import { app as documentsApp } from '../document/documents.integ';
import { app as failureReportApp } from '../failure-report/failure-report.integ';
import { app as maintenanceWindowsApp } from '../maintenance-window/maintenance-windows.integ';
import { app as runCommandApp } from '../run-command/run-command.integ';

/** A finding of the AwsSolutions pack that is accepted, where, and why. */
interface Acknowledgement {
  readonly rule: RegExp;
  readonly path: RegExp;
  readonly reason: string;
  /** Why the finding is there at some aws-cdk-lib versions only (the tests run at the floor and the newest 2.x). */
  readonly someVersionsOnly?: string;
}

/** A finding: the rule, with what it found (e.g. the wildcard resource), and the construct path of the resource. */
interface Finding {
  readonly rule: string;
  readonly path: string;
}

// The stack names differ between the apps; the same constructs get the same findings in each.
const PROVIDER = /^[^/]+\/CdkSsmOpsProvider\//;
// A RunCommand's own role and an association run wait's (their statements inline), and the window role of Run Command
// tasks.
const COMMAND_POLICIES = /^[^/]+\/((AgentRollout|Hello)\/Resource\/HandlerRole|(Inventory|PatchScan)\/Run\/Resource\/HandlerRole|Patching\/ServiceRole\/DefaultPolicy)\/Resource$/;
// The policies of the shared handler functions' roles.
const SHARED_HANDLER_POLICIES = /^[^/]+\/CdkSsmOpsProvider\/(OnEvent|IsComplete)\/ServiceRole\/DefaultPolicy\/Resource$/;
// The FailureReport function of a stack, and its role.
const REPORT_FUNCTION = /^[^/]+\/CdkSsmOpsFailureReport\/(ServiceRole\/DefaultPolicy\/|ServiceRole\/)?Resource$/;
// integ-tests-alpha's assertion handler and its role, in the DeployAssert stack of an IntegTest.
const DEPLOY_ASSERT = /^[^/]+\/DefaultTest\/DeployAssert\/SingletonFunction[0-9a-f]{32}\/(Role|Handler)$/;

// Every finding in the checked apps, acknowledged with its reason. A finding not listed here fails the test, and so
// does an acknowledgement that no longer matches anything in any app.
const ACKNOWLEDGED: Acknowledgement[] = [
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    path: /^([^/]+\/CdkSsmOpsProvider\/.*|FleetOps\/DrainFunction\/)ServiceRole\/Resource$/,
    reason: 'Lambda functions write their logs with the AWS managed basic execution policy, as aws-cdk-lib functions do',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<CdkSsmOpsProvider(OnEvent|IsComplete|frameworkisComplete|frameworkonTimeout)[0-9A-F]+\.Arn>:\*\]$/,
    path: PROVIDER,
    reason: 'the Provider framework invokes the handler functions and their versions (Arn:*)',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:iam::(111111111111|<AWS::AccountId>):role\/cdk-ssm-ops\/\*\]$/,
    path: SHARED_HANDLER_POLICIES,
    reason: 'the shared handlers assume the role of the custom resource they act for; every such role is on the /cdk-ssm-ops/ path and '
      + 'trusts only the functions of its own stack, so this one statement serves any number of resources',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: COMMAND_POLICIES,
    reason: 'ListCommands, CancelCommand, ListCommandInvocations, GetCommandInvocation and DescribeInstanceInformation have no resource types in IAM',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:(ec2|ssm):(us-east-1|<AWS::Region>):(111111111111|<AWS::AccountId>):(instance|managed-instance)\/\*\]$/,
    path: COMMAND_POLICIES,
    reason: 'tag and window targets resolve to nodes only when the command runs; RunCommand narrows them by ssm:resourceTag',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:(ec2|ssm):(us-east-1|<AWS::Region>):(111111111111|<AWS::AccountId>):(instance|managed-instance)\/\*\]$/,
    path: /^[^/]+\/(Daily|FleetErrorsRaised)\/Target0Role\/DefaultPolicy\/Resource$/,
    reason: 'a RunCommandTarget\'s tag target selects nodes only when the command is sent; its role narrows them by ssm:resourceTag',
  },
  {
    rule: /^AwsSolutions-SQS3$/,
    path: /^FleetOps\/UndeliveredCommands\/Resource$/,
    reason: 'the queue is the dead-letter queue of a RunCommandTarget (EventBridge); cdk-nag counts only an SQS redrive policy as dead-letter use',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:(ec2|ssm):(us-east-1|<AWS::Region>):(111111111111|<AWS::AccountId>):(instance|managed-instance)\/\*\]$/,
    path: /^[^/]+\/(AgentUpdate|NightlyHarden)\/DispatchRole\/DefaultPolicy\/Resource$/,
    reason: 'an association\'s tag targets resolve to nodes only when it runs; its generated dispatch role narrows them by ssm:resourceTag',
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
    path: /^([^/]+\/CdkSsmOpsProvider\/.*|FleetOps\/DrainFunction\/)Resource$/,
    reason: 'the handlers run on Node.js 22 (docs/architecture.md), and the framework functions on aws-cdk-lib\'s choice; cdk-nag wants the newest runtime',
  },
  {
    rule: /^AwsSolutions-SF[12]$/,
    path: /^([^/]+\/CdkSsmOpsProvider\/Resource\/waiter-state-machine|FleetOps\/VerifyFleet)\/Resource$/,
    reason: 'the Provider framework\'s waiter and the example\'s one-step check need no execution logs or X-Ray traces',
  },
  {
    rule: /^AwsSolutions-S1$/,
    path: /^FleetOps\/AssociationOutput\/Resource$/,
    reason: 'the example\'s output bucket holds command output only; access logging is the platform team\'s choice',
  },
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    path: DEPLOY_ASSERT,
    reason: 'integ-tests-alpha\'s assertion handler, deployed only by the integration tests, logs with the AWS managed basic execution policy',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: DEPLOY_ASSERT,
    reason: 'integ-tests-alpha grants the assertion\'s API call (ssm:ListCommands, which has no resource type) on *; deployed only by the integration tests',
  },
  {
    rule: /^AwsSolutions-L1$/,
    path: DEPLOY_ASSERT,
    reason: 'integ-tests-alpha picks its assertion handler\'s runtime; the handler is deployed only by the integration tests',
    someVersionsOnly: 'the handler takes aws-cdk-lib\'s latest runtime: Node.js 22 at the 2.257 floor, which cdk-nag flags, and the newest at 2.276',
  },
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    path: REPORT_FUNCTION,
    reason: 'the FailureReport function writes its logs with the AWS managed basic execution policy, as aws-cdk-lib functions do',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: REPORT_FUNCTION,
    reason: 'ListCommandInvocations and GetCommandInvocation have no resource types in IAM, and GetMaintenanceWindowExecutionTask and '
      + 'DescribeMaintenanceWindowExecutionTaskInvocations name a window execution, which is no resource type either; the association reads are scoped to the associations',
  },
  {
    rule: /^AwsSolutions-IAM5\[Action::kms:GenerateDataKey\*\]$/,
    path: REPORT_FUNCTION,
    reason: 'publishing to a KMS-encrypted topic needs kms:GenerateDataKey* and kms:Decrypt on the topic\'s key, and on that key only',
  },
  {
    rule: /^AwsSolutions-L1$/,
    path: REPORT_FUNCTION,
    reason: 'the FailureReport function runs on Node.js 22, as this library\'s handlers do; cdk-nag wants the newest runtime',
  },
];

function exampleApp(): App {
  const app = new App();
  new FleetOpsStack(app, 'FleetOps', { env: { account: '111111111111', region: 'us-east-1' } });
  return app;
}

const APPS: Array<[string, App]> = [
  ['the example app (examples/fleet-ops-stack.ts)', exampleApp()],
  ['the documents integration app', documentsApp],
  ['the associations integration app', associationsApp],
  ['the maintenance windows integration app', maintenanceWindowsApp],
  ['the RunCommand integration app (with integ-tests-alpha\'s DeployAssert stack)', runCommandApp],
  ['the alarm configuration integration app', alarmConfigurationApp],
  ['the failure report integration app', failureReportApp],
];

/** The AwsSolutions pack, recording the resources its rules were run on. */
class RecordingChecks extends AwsSolutionsChecks {
  public readonly checked: CfnResource[] = [];
  protected checkResource(node: CfnResource): void {
    this.checked.push(node);
    super.checkResource(node);
  }
}

/** An L1 of aws-cdk-lib (CfnRole, CfnFunction...): cdk-nag's rules match on these classes only. */
function isL1(resource: CfnResource): boolean {
  return Object.getPrototypeOf(resource) !== CfnResource.prototype;
}

/** A plain CfnResource of an AWS type, which the rules pass by silently; integ-tests-alpha builds its handler so. */
function isUntyped(resource: CfnResource): boolean {
  return !isL1(resource) && resource.cfnResourceType.startsWith('AWS::');
}

interface Checked {
  readonly findings: Finding[];
  /** Paths of the resources the rules ran on as L1s. */
  readonly checked: Set<string>;
  /** Paths of the AWS resources no rule could see. */
  readonly unchecked: string[];
}

function runChecks(pack: RecordingChecks, scope: CfnInclude | App): Finding[] {
  return pack.validateScope(scope).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({ rule: violation.ruleName, path: resource.constructPath ?? '' })));
}

const results = new Map<App, Checked>();

function check(app: App): Checked {
  const cached = results.get(app);
  if (cached) {
    return cached;
  }
  // After synthesis, as cdk-nag's validation plugin runs, so the tree is the deployed one (and the templates exist).
  const assembly = app.synth();
  const pack = new RecordingChecks();
  const findings = runChecks(pack, app);
  const checked = new Set(pack.checked.filter(isL1).map((resource) => resource.node.path));
  // Untyped resources are checked in their synthesized template, read back as L1s by cloudformation-include, and
  // reported at their own construct paths.
  const untyped = app.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && isUntyped(c));
  for (const stack of new Set(untyped.map((resource) => Stack.of(resource)))) {
    const included = new CfnInclude(new Stack(new App(), 'Included'), 'Template', {
      templateFile: assembly.getStackArtifact(stack.artifactId).templateFullPath,
    });
    const originalPath = new Map(untyped.filter((resource) => Stack.of(resource) === stack)
      .map((resource) => [included.getResource(stack.resolve(resource.logicalId)).node.path, resource.node.path]));
    const includedPack = new RecordingChecks();
    for (const finding of runChecks(includedPack, included)) {
      const path = originalPath.get(finding.path);
      if (path) {
        findings.push({ rule: finding.rule, path });
      }
    }
    for (const resource of includedPack.checked) {
      const path = originalPath.get(resource.node.path);
      if (path && isL1(resource)) {
        checked.add(path);
      }
    }
  }
  const result = { findings, checked, unchecked: untyped.map((resource) => resource.node.path).filter((path) => !checked.has(path)) };
  results.set(app, result);
  return result;
}

const isAcknowledged = (finding: Finding) => ACKNOWLEDGED.some(({ rule, path }) => rule.test(finding.rule) && path.test(finding.path));

test.each(APPS)('%s has no AwsSolutions finding that is not acknowledged with a reason', (_name, app) => {
  // WHEN
  const { findings, checked, unchecked } = check(app);
  // THEN
  expect(findings.filter((finding) => !isAcknowledged(finding))).toEqual([]);
  // The rules ran on every AWS resource, those of integ-tests-alpha included.
  expect(unchecked).toEqual([]);
  expect(checked.size).toBeGreaterThan(0);
});

test('every acknowledgement still matches a finding in at least one app', () => {
  // WHEN
  const findings = APPS.flatMap(([, app]) => check(app).findings);
  // THEN
  const stale = ACKNOWLEDGED.filter(({ rule, path, someVersionsOnly }) =>
    someVersionsOnly === undefined && !findings.some((finding) => rule.test(finding.rule) && path.test(finding.path)));
  expect(stale.map(({ rule, path, reason }) => `${rule} at ${path}: ${reason}`)).toEqual([]);
});
