import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * How a deployment waits for the run of an association that it created or changed.
 */
export interface AssociationRunWait {
  /**
   * How long the deployment waits for the run, from when the wait starts: 1 second to 1 hour, the longest
   * CloudFormation waits for a custom resource. The association goes on running on its nodes after a timeout.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * Fail the deployment when the run matches no nodes: its execution counts none, or no execution appears within
   * 5 minutes (State Manager starts none when no node matches the targets).
   *
   * @default true
   */
  readonly failOnNoTargets?: boolean;

  /**
   * Wait until the targeted instances are Online in Systems Manager, such as instances created in the same
   * deployment, and then for the newest execution of the association's version: State Manager runs the association
   * on nodes when they come Online. Needs instance ID targets.
   *
   * @default false
   */
  readonly waitForOnline?: boolean;
}

/**
 * The run of an association that a deployment waited for (`waitForRun`). Its attributes are those of the execution
 * that the deployment's change of the association started; a deployment that leaves the association as it was keeps
 * the attributes of the run waited for last.
 */
export interface IAssociationRun extends IConstruct {
  /**
   * The ID of the execution, as DescribeAssociationExecutions gives it, or empty when no node matched and
   * `failOnNoTargets` is false.
   *
   * @attribute
   */
  readonly executionId: string;

  /**
   * The association version that the execution ran.
   *
   * @attribute
   */
  readonly associationVersion: string;

  /**
   * The status of the execution: `Success` (any other fails the deployment), or `NoTargets` when no node matched and
   * `failOnNoTargets` is false.
   *
   * @attribute
   */
  readonly status: string;

  /**
   * The detailed status of the execution.
   *
   * @attribute
   */
  readonly detailedStatus: string;

  /**
   * How many nodes the execution counted, of every status.
   *
   * @attribute
   */
  readonly targetCount: string;

  /**
   * How many nodes succeeded.
   *
   * @attribute
   */
  readonly successCount: string;

  /**
   * How many nodes ended in another status than Success.
   *
   * @attribute
   */
  readonly failedCount: string;

  /**
   * The counts of nodes by status, such as `Failed=1, Success=49`.
   *
   * @attribute
   */
  readonly countsByStatus: string;

  /**
   * The CloudWatch alarm that stopped the execution, with its state, such as `deploy-health: ALARM`, or empty when
   * none did.
   *
   * @attribute
   */
  readonly triggeredAlarms: string;
}

