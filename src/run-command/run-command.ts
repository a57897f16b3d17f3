import { CfnResource, CustomResource, Duration, Lazy, Stack, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { wireAlarmConfiguration } from '../alarm-applier/alarm-applier';
import { AlarmConfiguration } from '../alarm-configuration';
import { CommandNotification, S3OutputLocation } from '../command-output';
import { IDocument } from '../document/document';
import { checkDocumentParameters } from '../private/document-parameters';
import { checkDocumentReference, documentReference } from '../private/document-reference';
import { checkDocumentVersion } from '../private/document-versions';
import { ALL_PHASES, describeAlarms, nodeStatements, passRoleToSsm, PhaseStatements } from '../private/iam';
import { BoundNotification, bindNotification } from '../private/notifications';
import { RUN_COMMAND_RESOURCE_TYPE } from '../private/resource-types';
import { RenderedTarget, TargetRules, renderTargets } from '../private/targets';
import { checkKeyPrefix, checkLength, reject, rejectCount, wholeUnits } from '../private/validate';
import { CommandRequest, RunCommandProperties } from '../private/wire';
import { HandlerPhase } from '../provider/phases';
import { SsmOpsProvider } from '../provider/ssm-ops-provider';
import { Concurrency, ErrorThreshold } from '../rate-control';
import { Target, TargetKind } from '../target';

/**
 * A command sent, without waiting, when a RunCommand is deleted.
 */
export interface DeleteCommand {
  /** The document to run. */
  readonly document: IDocument;

  /**
   * The parameters passed to the document, checked against the document's when known.
   *
   * @default - none
   */
  readonly parameters?: Record<string, string[]>;
}

/**
 * Properties of a command run during a deployment.
 */
export interface RunCommandProps {
  /** The document to run. */
  readonly document: IDocument;

  /** The nodes, in at most 5 targets: instance IDs (at most 50), tags, tag keys or a resource group. */
  readonly targets: Target[];

  /**
   * The parameters passed to the document, as lists of strings, checked against the document's when known.
   *
   * @default - none
   */
  readonly parameters?: Record<string, string[]>;

  /**
   * The document version: `$DEFAULT`, `$LATEST` or a version number.
   *
   * @default - the default version
   */
  readonly documentVersion?: string;

  /**
   * How many nodes run the command at the same time.
   *
   * @default - Systems Manager's default, 50
   */
  readonly maxConcurrency?: Concurrency;

  /**
   * How many errors stop the command from being sent to more nodes.
   *
   * @default - Systems Manager's default, 0
   */
  readonly maxErrors?: ErrorThreshold;

  /**
   * An alarm that stops the command from being sent to more nodes while it is in ALARM.
   *
   * @default - none
   */
  readonly alarmConfiguration?: AlarmConfiguration;

  /**
   * A comment about the command: at most 68 characters (the library adds a marker of its own).
   *
   * @default - none
   */
  readonly comment?: string;

  /**
   * How long the command may wait to be delivered to a node (SendCommand's TimeoutSeconds): 30 seconds to 30 days.
   *
   * @default - Systems Manager's default, 1 hour
   */
  readonly deliveryTimeout?: Duration;

  /**
   * How long the deployment waits for the command to finish, from when it starts: at most 1 hour, the most
   * CloudFormation waits for a custom resource. A command still running then is cancelled, and the deployment fails.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * A log group the nodes send the command's output to (with their instance profiles).
   *
   * @default - output is not sent to CloudWatch Logs
   */
  readonly cloudWatchOutput?: logs.ILogGroup;

  /**
   * An S3 location the nodes write the command's output to (with their instance profiles).
   *
   * @default - output is not written to S3
   */
  readonly outputS3?: S3OutputLocation;

  /**
   * SNS notifications of the command's status.
   *
   * @default - no notifications
   */
  readonly notification?: CommandNotification;

  /**
   * Values that make the command run again when a deployment changes them. Other changes update the resource
   * without running the command.
   *
   * @default - the command runs only when the resource is created
   */
  readonly triggers?: Record<string, string>;

  /**
   * Wait until the targeted instances are Online in Systems Manager before sending the command. For instance ID
   * targets, such as instances created in the same deployment.
   *
   * @default false
   */
  readonly waitForOnline?: boolean;

  /**
   * Fail the deployment when the command ends in anything but Success.
   *
   * @default true
   */
  readonly failOnCommandFailure?: boolean;

  /**
   * Fail the deployment when the command matches no nodes.
   *
   * @default true
   */
  readonly failOnNoTargets?: boolean;

  /**
   * Fail the deployment when a targeted node did not run the command: it was Undeliverable (offline, or no SSM
   * Agent), Terminated, of another platform than the document's (InvalidPlatform), refused (AccessDenied), or the
   * delivery timed out. Systems Manager counts such nodes as neither succeeded nor failed, so a command can end in
   * Success while some of them never ran it; they are reported in `notRunCount` and `nodesNotRun` either way.
   *
   * @default false - Systems Manager's own verdict on the command decides
   */
  readonly failOnNodesNotRun?: boolean;

  /**
   * A command sent to the same targets when the resource is deleted. The deletion does not wait for it, and never
   * fails because of it.
   *
   * @default - none
   */
  readonly onDelete?: DeleteCommand;
}

// SSM takes 100 characters; the library adds ' [ssm-ops:<resource>:<request>]', 32 of them.
const MAX_COMMENT = 68;
// Run Command takes five values for each tag key and one resource group (SSM User Guide, "Run commands at scale").
const TARGET_RULES: TargetRules = {
  accepted: [TargetKind.INSTANCE_IDS, TargetKind.TAG, TargetKind.TAG_KEY, TargetKind.RESOURCE_GROUP, TargetKind.OTHER],
  maxKeyLength: 163,
  perTarget: [
    { kind: TargetKind.TAG, max: 5, noun: 'values', note: 'Run Command takes five values for each tag key' },
    { kind: TargetKind.TAG_KEY, max: 5, noun: 'values', note: 'Run Command takes five tag keys' },
  ],
};

/** What the checks of a RunCommand's props give the rest of its constructor. */
interface CheckedProps {
  readonly targets: RenderedTarget[];
  /** How long the deployment waits, in seconds. */
  readonly waitSeconds: number;
  /** SendCommand's TimeoutSeconds. */
  readonly deliverySeconds?: number;
}

/**
 * Runs a Systems Manager command during a deployment and waits for its result (`Custom::SsmRunCommand`).
 *
 * The command runs when the resource is created, and again when its `triggers` change. The deployment waits with
 * one ListCommands call per poll, reads the nodes' results once at the end, and fails with the failed nodes' errors
 * unless `failOnCommandFailure` is false. A command still running on deletion is cancelled.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
 *
 * @example
 * const install = new RunCommand(this, 'InstallAgent', {
 *   document: AwsManagedDocument.RUN_SHELL_SCRIPT,
 *   parameters: { commands: ['yum install -y my-agent'] },
 *   targets: [Target.tag('Role', 'web')],
 *   maxConcurrency: Concurrency.percentage(25),
 *   maxErrors: ErrorThreshold.count(0),
 *   timeout: Duration.minutes(20),
 *   triggers: { version: '1.4.2' },
 * });
 * new CfnOutput(this, 'CommandId', { value: install.commandId });
 */
export class RunCommand extends Construct {
  /** The ID of the command. */
  public readonly commandId: string;
  /** The final status of the command, such as `Success`. */
  public readonly status: string;
  /** The detailed final status, such as `Success` or `Incomplete`. */
  public readonly statusDetails: string;
  /** How many nodes the command targeted. */
  public readonly targetCount: string;
  /** How many nodes completed the command. */
  public readonly completedCount: string;
  /** How many nodes failed. */
  public readonly errorCount: string;
  /** The standard output of one node, cut to fit CloudFormation's response limit and marked `…[truncated]` when cut. */
  public readonly output: string;
  /** How many targeted nodes did not run the command (Undeliverable, Terminated, InvalidPlatform, AccessDenied, delivery timed out). */
  public readonly notRunCount: string;
  /**
   * The first of the nodes that did not run the command, each with its status, such as `i-0abc: Undeliverable`.
   *
   * They are separated by a semicolon and a space.
   */
  public readonly nodesNotRun: string;
  /**
   * The CloudWatch alarm that stopped the command, with its state, such as `deploy-health: ALARM` (ListCommands'
   * TriggeredAlarms), or empty when no alarm did.
   */
  public readonly triggeredAlarms: string;

  public constructor(scope: Construct, id: string, props: RunCommandProps) {
    super(scope, id);
    const { targets, waitSeconds, deliverySeconds } = this.checkProps(props);

    const provider = SsmOpsProvider.getOrCreate(this);
    const notifications = bindNotification(this, props.notification, 'Publishes the notifications of a deploy-time command');
    const stack = Stack.of(this);
    // The resource keeps its last result here. The name follows the resource's logical ID, which CloudFormation's
    // requests carry too, so a construct renamed with its logical ID kept (overrideLogicalId) keeps its result. It is
    // unique in the account and region (a stack name is, and a logical ID is in its stack), 4 levels deep, and at
    // most 25 + 128 + 1 + 255 characters: with its ARN, far below the 1,011 characters and 15 levels that Parameter
    // Store allows (AWS Systems Manager User Guide, "Requirements and constraints for parameter names").
    let resource: CustomResource | undefined;
    const logicalId = Lazy.string({ produce: () => stack.resolve((resource!.node.defaultChild as CfnResource).logicalId) });
    const resultParameter = `/cdk-ssm-ops/run-command/${stack.stackName}/${logicalId}`;
    resource = provider.addResource<RunCommandProperties>(this, 'Resource', {
      resourceType: RUN_COMMAND_RESOURCE_TYPE,
      properties: {
        Command: this.renderCommand(props, targets, deliverySeconds, notifications),
        Triggers: props.triggers,
        WaitSeconds: Tokenization.stringifyNumber(waitSeconds),
        ResultParameter: resultParameter,
        WaitForOnline: props.waitForOnline ? 'true' : undefined,
        FailOnCommandFailure: props.failOnCommandFailure === false ? 'false' : undefined,
        FailOnNoTargets: props.failOnNoTargets === false ? 'false' : undefined,
        FailOnNodesNotRun: props.failOnNodesNotRun ? 'true' : undefined,
        OnDelete: props.onDelete && {
          DocumentName: documentReference(props.onDelete.document),
          Parameters: props.onDelete.parameters,
          Targets: targets.map(({ key, values }) => ({ Key: key, Values: values })),
        },
      },
      permissions: this.handlerPermissions(props, targets, resultParameter, notifications?.role),
    });

    this.commandId = resource.getAttString('CommandId');
    this.status = resource.getAttString('Status');
    this.statusDetails = resource.getAttString('StatusDetails');
    this.targetCount = resource.getAttString('TargetCount');
    this.completedCount = resource.getAttString('CompletedCount');
    this.errorCount = resource.getAttString('ErrorCount');
    this.output = resource.getAttString('Output');
    this.notRunCount = resource.getAttString('NotRunCount');
    this.nodesNotRun = resource.getAttString('NodesNotRun');
    this.triggeredAlarms = resource.getAttString('TriggeredAlarms');
  }

  /** Checks the props against SendCommand's limits and the wait's, and gives the targets and timeouts rendered. */
  private checkProps(props: RunCommandProps): CheckedProps {
    if (props.targets.length === 0) {
      rejectCount(this, 'targets', 0, 'targets', 'use 1 or more: give the nodes the command runs on');
    }
    const targets = renderTargets(this, 'targets', props.targets, TARGET_RULES);
    checkDocumentReference(this, 'document', props.document);
    checkDocumentParameters(this, 'parameters', props.document, props.parameters);
    checkDocumentVersion(this, 'documentVersion', props.documentVersion);
    checkLength(this, 'comment', props.comment, 0, MAX_COMMENT, "the library adds a marker to SSM's 100");
    const waitSeconds = wholeUnits(this, 'timeout', props.timeout ?? Duration.minutes(30), 'seconds', 1, 3600,
      'the longest CloudFormation waits for a custom resource');
    const deliverySeconds = props.deliveryTimeout && wholeUnits(this, 'deliveryTimeout', props.deliveryTimeout, 'seconds', 30, 2_592_000);
    checkKeyPrefix(this, 'outputS3.keyPrefix', props.outputS3?.keyPrefix);
    if (props.waitForOnline && !props.targets.some((target) => target.kind === TargetKind.INSTANCE_IDS)) {
      reject(this, 'waitForOnline', true, 'needs instance ID targets', 'Systems Manager reports Online per instance');
    }
    if (props.onDelete) {
      checkDocumentReference(this, 'onDelete.document', props.onDelete.document);
      checkDocumentParameters(this, 'onDelete.parameters', props.onDelete.document, props.onDelete.parameters);
    }
    return { targets, waitSeconds, deliverySeconds };
  }

  /** SendCommand's input, as the resource carries it. */
  private renderCommand(
    props: RunCommandProps, targets: RenderedTarget[], deliverySeconds: number | undefined, notifications: BoundNotification | undefined,
  ): CommandRequest {
    return {
      DocumentName: documentReference(props.document),
      DocumentVersion: props.documentVersion,
      Parameters: props.parameters,
      Targets: targets.map(({ key, values }) => ({ Key: key, Values: values })),
      MaxConcurrency: props.maxConcurrency?._render(this, 'maxConcurrency'),
      MaxErrors: props.maxErrors?._render(this, 'maxErrors'),
      AlarmConfiguration: props.alarmConfiguration && wireAlarmConfiguration(this, props.alarmConfiguration),
      Comment: props.comment,
      TimeoutSeconds: deliverySeconds === undefined ? undefined : Tokenization.stringifyNumber(deliverySeconds),
      CloudWatchOutputConfig: props.cloudWatchOutput && {
        CloudWatchLogGroupName: props.cloudWatchOutput.logGroupName,
        CloudWatchOutputEnabled: 'true',
      },
      OutputS3BucketName: props.outputS3?.bucket.bucketName,
      OutputS3KeyPrefix: props.outputS3?.keyPrefix,
      ServiceRoleArn: notifications?.role.roleArn,
      NotificationConfig: notifications && {
        NotificationArn: notifications.topicArn,
        NotificationEvents: notifications.events,
        NotificationType: notifications.type,
      },
    };
  }

  /**
   * Least privilege for this resource's requests, by phase. onEvent sends the command (or, on delete, cancels it and
   * sends the clean-up command) and keeps the result parameter; isComplete may do all of that too (it sends once
   * the instances are Online with waitForOnline, and cancels at the deadline), and reads the nodes' results.
   */
  private handlerPermissions(
    props: RunCommandProps, targets: RenderedTarget[], resultParameter: string, notificationRole?: iam.IRole,
  ): PhaseStatements[] {
    const stack = Stack.of(this);
    const buckets = props.outputS3 ? [props.outputS3.bucket.bucketArn] : [];
    const parameterArn = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: resultParameter.slice(1) });
    return [
      {
        phases: ALL_PHASES,
        statements: [
          // SendCommand is authorized on the document, on the output bucket and on each node.
          new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [props.document.documentArn, ...buckets] }),
          ...nodeStatements(stack, targets),
          // Listing and cancelling commands have no resource types in IAM, so they take '*'.
          new iam.PolicyStatement({ actions: ['ssm:ListCommands', 'ssm:CancelCommand'], resources: ['*'] }),
          new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [parameterArn] }),
          ...(notificationRole ? [passRoleToSsm(notificationRole)] : []),
          ...(props.alarmConfiguration ? [describeAlarms(props.alarmConfiguration)] : []),
        ],
      },
      {
        phases: [HandlerPhase.IS_COMPLETE],
        statements: [
          // The delete command is sent by isComplete, once the resource's running commands have stopped.
          ...(props.onDelete ? [new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [props.onDelete.document.documentArn] })] : []),
          // Reading the nodes' results and their status in Systems Manager have no resource types in IAM either.
          new iam.PolicyStatement({
            actions: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation', ...(props.waitForOnline ? ['ssm:DescribeInstanceInformation'] : [])],
            resources: ['*'],
          }),
          new iam.PolicyStatement({ actions: ['ssm:DeleteParameter'], resources: [parameterArn] }),
        ],
      },
    ];
  }
}
