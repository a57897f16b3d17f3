// The EventBridge events that FailureReport subscribes to, shared by the construct (its rules' patterns) and the
// report function. Their shapes follow "Amazon EventBridge event examples for Systems Manager" (AWS Systems Manager
// User Guide, https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html):
// every field of `detail` is a string, with kebab-case names.

/** The source of Systems Manager's events. */
export const SSM_EVENT_SOURCE = 'aws.ssm';

/** An association's status changed: `association-id`, `status`, `association-status-aggregated-count`, ... */
export const ASSOCIATION_STATE_CHANGE = 'EC2 State Manager Association State Change';
/** An association's status on one node changed: `association-id`, `instance-id`, `status`, `detailed-status`, ... */
export const INSTANCE_ASSOCIATION_STATE_CHANGE = 'EC2 State Manager Instance Association State Change';
/** A task of a window execution changed: `window-id`, `window-execution-id`, `task-execution-id`, `status`, ... */
export const TASK_EXECUTION_STATE_CHANGE = 'Maintenance Window Task Execution State-change Notification';
/** A task's run on one target changed: the task execution's IDs, `window-target-id`, `owner-information`, `status`. */
export const TASK_TARGET_INVOCATION_STATE_CHANGE = 'Maintenance Window Task Target Invocation State-change Notification';

/** The association statuses of a run that failed (AssociationStatusName in the SSM API model: Pending, Success, Failed). */
export const ASSOCIATION_FAILED_STATUSES = ['Failed'];
/** The task statuses of a run that failed (MaintenanceWindowExecutionStatus in the SSM API model). */
export const TASK_FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'CANCELLED'];

/** What a report's rules send to the report function: the event, and where to publish. */
export interface ReportRequest {
  /** The topic of the report whose rule matched. */
  readonly topicArn: string;
  /** The EventBridge event, whole. */
  readonly event: SsmEvent;
}

/** An EventBridge event of Systems Manager. */
export interface SsmEvent {
  readonly 'id'?: string;
  readonly 'detail-type': string;
  readonly 'source'?: string;
  readonly 'account'?: string;
  readonly 'time'?: string;
  readonly 'region'?: string;
  readonly 'resources'?: string[];
  readonly 'detail': Record<string, string | undefined>;
}
