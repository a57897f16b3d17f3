// The resource types of this library's custom resources, shared by the constructs and the handlers.

/** RunCommand's custom resource. */
export const RUN_COMMAND_RESOURCE_TYPE = 'Custom::SsmRunCommand';
/** The companion that applies an association's alarm configuration. */
export const ASSOCIATION_ALARM_RESOURCE_TYPE = 'Custom::SsmAssociationAlarm';
/** The companion that applies a maintenance window task's alarm configuration. */
export const WINDOW_TASK_ALARM_RESOURCE_TYPE = 'Custom::SsmMaintenanceWindowTaskAlarm';
/** The companion that waits for the run of an association that a deployment started (`waitForRun`). */
export const ASSOCIATION_RUN_RESOURCE_TYPE = 'Custom::SsmAssociationRun';
/** The companion that shares a Command document with other accounts (`sharedWithAccounts`). */
export const DOCUMENT_SHARING_RESOURCE_TYPE = 'Custom::SsmDocumentSharing';
