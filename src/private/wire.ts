// The wire contract between this library's constructs and its handlers: what each custom resource's properties
// hold and what it returns. The constructs build their properties with these types and the handlers read them, so
// the two cannot drift apart. CloudFormation passes every scalar to a handler as a string, so numbers and Booleans
// are declared as strings here, and the constructs render them so.

/** What every custom resource of this library gives its handler. */
export interface HandlerRoleProperties {
  /**
   * The resource's own role, which the shared handlers assume to act for it: its permissions are those of this one
   * resource only, so the shared functions' roles do not grow with the number of resources.
   */
  readonly RoleArn: string;
}

/** A SendCommand request as a RunCommand resource carries it (SendCommand's input, scalars as strings). */
export interface CommandRequest {
  readonly DocumentName: string;
  readonly DocumentVersion?: string;
  readonly Parameters?: Record<string, string[]>;
  readonly Targets: { readonly Key: string; readonly Values: string[] }[];
  readonly MaxConcurrency?: string;
  readonly MaxErrors?: string;
  readonly AlarmConfiguration?: WireAlarmConfiguration;
  readonly Comment?: string;
  readonly TimeoutSeconds?: string;
  readonly CloudWatchOutputConfig?: { readonly CloudWatchLogGroupName?: string; readonly CloudWatchOutputEnabled?: string };
  readonly OutputS3BucketName?: string;
  readonly OutputS3KeyPrefix?: string;
  readonly ServiceRoleArn?: string;
  readonly NotificationConfig?: { readonly NotificationArn?: string; readonly NotificationEvents?: string[]; readonly NotificationType?: string };
  /** Set by the handler only, for instance ID targets given as InstanceIds. */
  readonly InstanceIds?: string[];
}

/** An alarm configuration as the SSM API takes it, its Boolean as a string. */
export interface WireAlarmConfiguration {
  readonly Alarms: { readonly Name: string }[];
  readonly IgnorePollAlarmFailure?: string;
}

/** The properties of a RunCommand resource (`Custom::SsmRunCommand`). */
export interface RunCommandProperties extends HandlerRoleProperties {
  /** SendCommand's input, without the comment marker the handler adds. */
  readonly Command: CommandRequest;
  /** Re-run the command on update only when these change (compared key by key, in any order). */
  readonly Triggers?: Record<string, string>;
  /** Seconds to wait for the command, from when the request starts. */
  readonly WaitSeconds: string;
  /**
   * The SSM parameter that keeps the resource's last result (its command ID and attributes), so that an update that
   * sends nothing returns the same attributes, however old the command or busy the account.
   */
  readonly ResultParameter: string;
  /** 'true': wait until the targeted instances are Online in Systems Manager before sending. */
  readonly WaitForOnline?: string;
  /** 'false' lets a command that did not succeed complete the deployment. */
  readonly FailOnCommandFailure?: string;
  /** 'false' lets a command that matched no nodes complete the deployment. */
  readonly FailOnNoTargets?: string;
  /** 'true' fails the deployment when a targeted node did not run the command (Undeliverable, Terminated, ...). */
  readonly FailOnNodesNotRun?: string;
  /** A command sent, without waiting, when the resource is deleted. */
  readonly OnDelete?: CommandRequest;
}

/** The attributes a RunCommand resource returns; the whole response fits CloudFormation's 4,096 bytes. */
export interface RunCommandAttributes {
  readonly CommandId: string;
  readonly Status: string;
  readonly StatusDetails: string;
  readonly TargetCount: string;
  readonly CompletedCount: string;
  readonly ErrorCount: string;
  /** How many targeted nodes did not run the command (Undeliverable, Terminated, InvalidPlatform, AccessDenied, delivery timed out). */
  readonly NotRunCount: string;
  /** The first of those nodes with their status, such as `i-0abc: Undeliverable`, separated by `; `. */
  readonly NodesNotRun: string;
  readonly Output: string;
  /** The alarm that stopped the command (ListCommands' TriggeredAlarms), such as `deploy-health: ALARM`; '' when none did. */
  readonly TriggeredAlarms: string;
}

/** The properties of an alarm companion (`Custom::SsmAssociationAlarm`, `Custom::SsmMaintenanceWindowTaskAlarm`). */
export interface AlarmApplierProperties extends HandlerRoleProperties {
  readonly AssociationId?: string;
  readonly WindowId?: string;
  readonly WindowTaskId?: string;
  readonly AlarmConfiguration: WireAlarmConfiguration;
  /**
   * The L1's final properties, overrides included, resolved by CloudFormation at deploy time: any change of the L1
   * changes them, so the companion is updated and applies the alarm again.
   */
  readonly WatchedProperties: unknown;
}

/** The properties of an association's run wait (`Custom::SsmAssociationRun`). */
export interface AssociationRunProperties extends HandlerRoleProperties {
  readonly AssociationId: string;
  /**
   * The association L1's final properties, overrides included, and the alarm configuration its companion writes:
   * the run is waited for only when these change (compared as values), as each such change starts a new execution.
   */
  readonly WatchedProperties: unknown;
  /** Seconds to wait for the execution, from when the request starts. */
  readonly WaitSeconds: string;
  /** The SSM parameter that keeps the last result, returned again by an update that waits for nothing. */
  readonly ResultParameter: string;
  /** 'false' lets a run that matched no nodes complete the deployment. */
  readonly FailOnNoTargets?: string;
  /** The instance IDs to wait for until they are Online in Systems Manager (waitForOnline). */
  readonly WaitForOnline?: string[];
}

/** The attributes of an association's run wait; the whole response fits CloudFormation's 4,096 bytes. */
export interface AssociationRunAttributes {
  /** The execution waited for; '' when none ran (no nodes matched, with failOnNoTargets false). */
  readonly ExecutionId: string;
  /** The association version the execution ran. */
  readonly AssociationVersion: string;
  /** Its status, such as `Success`; `NoTargets` when no node matched. */
  readonly Status: string;
  readonly DetailedStatus: string;
  /** How many nodes the execution counted, of every status. */
  readonly TargetCount: string;
  readonly SuccessCount: string;
  /** Nodes that ended in any other status than Success. */
  readonly FailedCount: string;
  /** The counts by status, as Systems Manager gives them, such as `Failed=1, Success=49`. */
  readonly CountsByStatus: string;
  /** The alarm that stopped the execution, such as `deploy-health: ALARM`; '' when none did. */
  readonly TriggeredAlarms: string;
}

/** The properties of a document's sharing companion (`Custom::SsmDocumentSharing`). */
export interface DocumentSharingProperties extends HandlerRoleProperties {
  /** The document's name (its `Ref`): a new name is a new document, and the companion gets a new physical ID. */
  readonly DocumentName: string;
  /**
   * The accounts to share the document with, each once and sorted, so that a reordered list writes the same
   * template; a list token resolves at deploy time, and the handler sorts and deduplicates it then.
   */
  readonly AccountIds: string[];
  /** The version each account is given, `$DEFAULT`. */
  readonly SharedDocumentVersion: string;
}
