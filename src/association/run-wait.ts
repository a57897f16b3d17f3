import { CfnResource, CustomResource, Duration, Lazy, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnAssociation } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AssociationRunWait, IAssociationRun } from './association-run-wait';
import { renderedProperties, wireAlarmConfiguration } from '../alarm-applier/alarm-applier';
import { AlarmConfiguration } from '../alarm-configuration';
import { SsmOpsValidationError, show } from '../private/errors';
import { ASSOCIATION_RUN_RESOURCE_TYPE } from '../private/resource-types';
import { AssociationRunProperties } from '../private/wire';
import { HandlerPhase } from '../provider/phases';
import { SsmOpsProvider } from '../provider/ssm-ops-provider';

// The construct side of an association's run wait (waitForRun): its custom resource, its role, and its attributes.

/** What the run wait needs from its association. */
export interface RunWaitTarget {
  readonly associationId: string;
  readonly associationArn: string;
  readonly applyOnlyAtCronInterval?: boolean;
  readonly waitForSuccessTimeout?: Duration;
  readonly alarmConfiguration?: AlarmConfiguration;
}

class AssociationRun extends Construct implements IAssociationRun {
  public readonly executionId: string;
  public readonly associationVersion: string;
  public readonly status: string;
  public readonly detailedStatus: string;
  public readonly targetCount: string;
  public readonly successCount: string;
  public readonly failedCount: string;
  public readonly countsByStatus: string;
  public readonly triggeredAlarms: string;

  public constructor(scope: Construct, id: string, build: (scope: Construct) => CustomResource) {
    super(scope, id);
    const resource = build(this);
    this.executionId = resource.getAttString('ExecutionId');
    this.associationVersion = resource.getAttString('AssociationVersion');
    this.status = resource.getAttString('Status');
    this.detailedStatus = resource.getAttString('DetailedStatus');
    this.targetCount = resource.getAttString('TargetCount');
    this.successCount = resource.getAttString('SuccessCount');
    this.failedCount = resource.getAttString('FailedCount');
    this.countsByStatus = resource.getAttString('CountsByStatus');
    this.triggeredAlarms = resource.getAttString('TriggeredAlarms');
  }
}

/**
 * Adds the run wait of an association (`Custom::SsmAssociationRun`, child `Run` of the association, with its custom
 * resource as `Run/Resource`). It runs after the association, and after the alarm companion (child
 * `AlarmConfiguration`) when there is one, since the companion writes the association back and so starts the
 * execution that runs with the alarm. Its properties carry the association's rendered properties and the alarm
 * configuration, so that it runs again exactly when they change.
 */
export function addAssociationRunWait(
  association: Construct, resource: CfnAssociation, wait: AssociationRunWait, target: RunWaitTarget,
): IAssociationRun {
  checkRunWait(association, resource, wait, target);
  const stack = Stack.of(association);
  const seconds = timeoutSeconds(association, wait.timeout ?? Duration.minutes(30));
  const instanceIds = wait.waitForOnline ? instanceIdsOf(association, resource) : undefined;
  // The record follows the custom resource's logical ID, as RunCommand's does (run-command.ts).
  let custom: CustomResource | undefined;
  const logicalId = Lazy.string({ produce: () => stack.resolve((custom!.node.defaultChild as CfnResource).logicalId) });
  const resultParameter = `/cdk-ssm-ops/association-run/${stack.stackName}/${logicalId}`;
  const parameterArn = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: resultParameter.slice(1) });
  const companion = association.node.tryFindChild('AlarmConfiguration') as CustomResource | undefined;
  return new AssociationRun(association, 'Run', (scope) => {
    custom = SsmOpsProvider.getOrCreate(association).addResource<AssociationRunProperties>(scope, 'Resource', {
      resourceType: ASSOCIATION_RUN_RESOURCE_TYPE,
      properties: {
        AssociationId: target.associationId,
        WatchedProperties: {
          Association: renderedProperties(resource),
          AlarmConfiguration: target.alarmConfiguration && wireAlarmConfiguration(association, target.alarmConfiguration),
        },
        WaitSeconds: Tokenization.stringifyNumber(seconds),
        ResultParameter: resultParameter,
        FailOnNoTargets: wait.failOnNoTargets === false ? 'false' : undefined,
        WaitForOnline: instanceIds,
      },
      permissions: [
        {
        // onEvent reads the association's version, which identifies the execution to wait for.
          phases: [HandlerPhase.ON_EVENT],
          statements: [new iam.PolicyStatement({ actions: ['ssm:DescribeAssociation'], resources: [target.associationArn] })],
        },
        {
          phases: [HandlerPhase.IS_COMPLETE],
          statements: [
            new iam.PolicyStatement({
              actions: ['ssm:DescribeAssociationExecutions', 'ssm:DescribeAssociationExecutionTargets'],
              resources: [target.associationArn],
            }),
            // The nodes' Run Command output, read through each failed node's output source: no resource types in IAM.
            new iam.PolicyStatement({
              actions: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation', ...(wait.waitForOnline ? ['ssm:DescribeInstanceInformation'] : [])],
              resources: ['*'],
            }),
            new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'], resources: [parameterArn] }),
          ],
        },
      ],
    });
    custom.node.addDependency(resource);
    if (companion) {
      custom.node.addDependency(companion);
    }
    return custom;
  });
}

/** The rules between waitForRun and the association's other props. */
function checkRunWait(association: Construct, resource: CfnAssociation, wait: AssociationRunWait, target: RunWaitTarget) {
  if (target.applyOnlyAtCronInterval === true) {
    throw new SsmOpsValidationError(association, 'waitForRun is not allowed with applyOnlyAtCronInterval: true, which runs the association only at '
      + 'its cron schedule and never when a deployment creates or changes it, so there is no run to wait for; leave out one of them');
  }
  if (target.waitForSuccessTimeout !== undefined) {
    throw new SsmOpsValidationError(association, 'waitForRun is not allowed with waitForSuccessTimeout: both wait for the same run. '
      + "waitForSuccessTimeout is CloudFormation's own wait (WaitForSuccessTimeoutSeconds), on the association's overall status, and fails "
      + 'without saying which node failed or why; waitForRun waits for the execution that this deployment started and fails naming its '
      + 'failed nodes, steps and errors and the alarm that stopped it. Use waitForRun (at most 1 hour), or waitForSuccessTimeout for runs '
      + 'longer than an hour (up to 48 hours)');
  }
  const targets = resource.targets;
  const instanceIds = Array.isArray(targets) && targets.some((t) => !Token.isUnresolved(t) && (t as CfnAssociation.TargetProperty).key === 'InstanceIds');
  if (wait.waitForOnline && !instanceIds) {
    throw new SsmOpsValidationError(association, 'waitForRun.waitForOnline needs instance ID targets (Target.instanceIds); Systems Manager reports '
      + 'Online per instance');
  }
}

/** The instance IDs the association targets, as the template gives them. */
function instanceIdsOf(association: Construct, resource: CfnAssociation): string[] {
  const targets = (resource.targets ?? []) as CfnAssociation.TargetProperty[];
  const ids = targets.filter((t) => t.key === 'InstanceIds').flatMap((t) => t.values);
  if (ids.length > 50) {
    throw new SsmOpsValidationError(association, `waitForRun.waitForOnline waits for at most 50 instances; the targets name ${ids.length}`);
  }
  return ids;
}

/** The wait in whole seconds: 1 second to 1 hour, the longest CloudFormation waits for a custom resource. */
function timeoutSeconds(association: Construct, timeout: Duration): number {
  if (timeout.isUnresolved()) {
    return timeout.toSeconds();
  }
  const seconds = timeout.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new SsmOpsValidationError(association, `waitForRun.timeout ${show(timeout)} is not valid; use whole seconds from 1 second to 1 hour `
      + '(the longest CloudFormation waits for a custom resource)');
  }
  return seconds;
}
