import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnMaintenanceWindowTask } from 'aws-cdk-lib/aws-ssm';

/** What a task action gives the maintenance window task it is bound to. */
export interface TaskActionConfig {
  /** RUN_COMMAND, AUTOMATION, LAMBDA or STEP_FUNCTIONS. */
  readonly taskType: string;
  /** The document name or ARN, the function ARN or the state machine ARN. */
  readonly taskArn: string;
  /** The block of TaskInvocationParameters that matches the task type. */
  readonly invocationParameters: CfnMaintenanceWindowTask.TaskInvocationParametersProperty;
  /** Whether the task needs targets (Run Command does; the others may run without). */
  readonly requiresTargets: boolean;
  /** Roles the invocation parameters name, besides the window's: whoever registers or updates the task passes them. */
  readonly passedRoles?: iam.IRole[];
}
