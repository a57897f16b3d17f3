import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  ASSOCIATION_FAILED_STATUSES, ASSOCIATION_STATE_CHANGE, INSTANCE_ASSOCIATION_STATE_CHANGE, SSM_EVENT_SOURCE, TASK_EXECUTION_STATE_CHANGE,
  TASK_FAILED_STATUSES, TASK_TARGET_INVOCATION_STATE_CHANGE,
} from './events';
import { ReportFunction } from './report-function';
import { IAssociation } from '../association/association';
import { IMaintenanceWindow } from '../maintenance-window/maintenance-window';

/**
 * Properties of a failure report.
 */
export interface FailureReportProps {
  /**
   * The topic that receives one message per failed run. A topic encrypted with a customer managed KMS key
   * (`masterKey`) is supported: the report function is granted the use of the key.
   */
  readonly topic: sns.ITopic;
}

/**
 * Reports each failed run of associations and maintenance window tasks to an SNS topic.
 *
 * A report tells which run failed and when, the counts by status, the first failed nodes with their status, failed
 * step and the end of their standard error, the alarm that stopped the run, and console links, then the same as JSON,
 * for machines.
 *
 * EventBridge rules match the failures (`EC2 State Manager Association State Change`, `EC2 State Manager Instance
 * Association State Change`, `Maintenance Window Task Execution State-change Notification` and `Maintenance Window
 * Task Target Invocation State-change Notification`) of the associations and windows added, and invoke one function
 * per stack, whatever the number of reports, which publishes to the topic of the report whose rule matched.
 *
 * @exampleMetadata fixture=failure-report
 * @example
 * const report = new FailureReport(this, 'Report', { topic: new sns.Topic(this, 'Failures') });
 * report.addAssociation(association);
 * report.addMaintenanceWindow(window);
 */
export class FailureReport extends Construct {
  /** The topic that receives the reports. */
  public readonly topic: sns.ITopic;
  private readonly associationIds: string[] = [];
  private readonly windowIds: string[] = [];
  private readonly function: ReportFunction;
  private associationRules?: events.Rule[];
  private windowRules?: events.Rule[];

  constructor(scope: Construct, id: string, props: FailureReportProps) {
    super(scope, id);
    this.topic = props.topic;
    this.function = reportFunction(this);
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.topic.topicArn] }));
    // SNS encrypts with the topic's key on behalf of the publisher (Amazon SNS Developer Guide, "Encryption at rest").
    props.topic.masterKey?.grant(this.function, 'kms:Decrypt', 'kms:GenerateDataKey*');
  }

  /** Reports the failed runs of an association, of this stack or imported. */
  public addAssociation(association: IAssociation): void {
    this.associationIds.push(association.associationId);
    const arn = Stack.of(this).formatArn({ service: 'ssm', resource: 'association', resourceName: association.associationId });
    // DescribeAssociation, DescribeAssociationExecutions and DescribeAssociationExecutionTargets take the association
    // as their resource (Service Authorization Reference, "Actions defined by AWS Systems Manager").
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ssm:DescribeAssociation', 'ssm:DescribeAssociationExecutions', 'ssm:DescribeAssociationExecutionTargets'],
      resources: [arn],
    }));
    this.allowCommandReads();
    this.associationRules ??= [ASSOCIATION_STATE_CHANGE, INSTANCE_ASSOCIATION_STATE_CHANGE].map((detailType, index) => this.rule(
      `Association${index === 0 ? '' : 'Node'}Failed`, detailType,
      { 'association-id': Lazy.list({ produce: () => this.associationIds }), 'status': ASSOCIATION_FAILED_STATUSES },
      index === 0 ? 'a run of an association failed' : 'an association failed on a node'));
  }

  /** Reports the failed task runs of a maintenance window (all of its tasks), of this stack or imported. */
  public addMaintenanceWindow(window: IMaintenanceWindow): void {
    this.windowIds.push(window.maintenanceWindowId);
    // GetMaintenanceWindowExecutionTask and DescribeMaintenanceWindowExecutionTaskInvocations name a window execution,
    // which is no resource type of IAM (Service Authorization Reference): they take `*`.
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ssm:GetMaintenanceWindowExecutionTask', 'ssm:DescribeMaintenanceWindowExecutionTaskInvocations'],
      resources: ['*'],
    }));
    this.allowCommandReads();
    this.windowRules ??= [TASK_EXECUTION_STATE_CHANGE, TASK_TARGET_INVOCATION_STATE_CHANGE].map((detailType, index) => this.rule(
      `WindowTask${index === 0 ? '' : 'Target'}Failed`, detailType,
      { 'window-id': Lazy.list({ produce: () => this.windowIds }), 'status': TASK_FAILED_STATUSES },
      index === 0 ? 'a task of a maintenance window failed' : 'a task of a maintenance window failed on a target'));
  }

  /** The command of a failed node: its steps and the end of its errors. Neither call has a resource type in IAM. */
  private allowCommandReads() {
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'],
      resources: ['*'],
    }));
  }

  private rule(id: string, detailType: string, detail: Record<string, unknown>, what: string): events.Rule {
    const rule = new events.Rule(this, id, {
      description: `cdk-ssm-ops FailureReport: ${what}`,
      eventPattern: { source: [SSM_EVENT_SOURCE], detailType: [detailType], detail },
    });
    rule.addTarget(new targets.LambdaFunction(this.function, {
      // The topic travels with the event, so that reports of several topics share the function.
      event: events.RuleTargetInput.fromObject({ topicArn: this.topic.topicArn, event: events.EventField.fromPath('$') }),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    }));
    return rule;
  }
}

/** The stack's report function, made the first time a report asks for it. */
function reportFunction(scope: Construct): ReportFunction {
  const stack = Stack.of(scope);
  const id = 'CdkSsmOpsFailureReport';
  return (stack.node.tryFindChild(id) as ReportFunction | undefined) ?? new ReportFunction(stack, id, {
    description: 'cdk-ssm-ops FailureReport: publishes the failed runs of associations and maintenance window tasks',
    // A node-level event may wait up to a minute for its run to end.
    timeout: Duration.minutes(2),
    memorySize: 256,
  });
}
