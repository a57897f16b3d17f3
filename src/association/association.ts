import { Duration, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnAssociation, CfnAssociationProps } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AssociationRunWait, IAssociationRun } from './association-run-wait';
import { AssociationSchedule } from './association-schedule';
import { addAssociationRunWait } from './run-wait';
import { addAlarmApplier } from '../alarm-applier/alarm-applier';
import { AlarmConfiguration } from '../alarm-configuration';
import { S3OutputLocation } from '../command-output';
import { DocumentOwner, DocumentType, IDocument } from '../document/document';
import { checkDocumentParameters } from '../private/document-parameters';
import { documentReference } from '../private/document-reference';
import { checkDocumentVersion } from '../private/document-versions';
import { SsmOpsValidationError, show } from '../private/errors';
import { ASSOCIATION_ALARM_RESOURCE_TYPE } from '../private/resource-types';
import { renderTargets } from '../private/targets';
import { Concurrency, ErrorThreshold } from '../rate-control';
import { Target, TargetKind } from '../target';

/**
 * The severity of an association's compliance findings.
 */
export enum ComplianceSeverity {
  /** Critical. */
  CRITICAL = 'CRITICAL',
  /** High. */
  HIGH = 'HIGH',
  /** Medium. */
  MEDIUM = 'MEDIUM',
  /** Low. */
  LOW = 'LOW',
  /** Unspecified. */
  UNSPECIFIED = 'UNSPECIFIED',
}

/**
 * How compliance of an association is reported.
 */
export enum SyncCompliance {
  /** State Manager reports compliance from each run of the association. */
  AUTO = 'AUTO',
  /** Compliance is reported by calling PutComplianceItems. */
  MANUAL = 'MANUAL',
}

/**
 * A State Manager association.
 */
export interface IAssociation extends IResource {
  /**
   * The ID of the association.
   *
   * @attribute
   */
  readonly associationId: string;

  /**
   * The ARN of the association.
   *
   * @attribute
   */
  readonly associationArn: string;

  /**
   * An EventBridge rule that matches the association's state changes (`EC2 State Manager Association State Change`).
   */
  onStateChange(id: string, options?: events.OnEventOptions): events.Rule;
}

/**
 * Properties of an association.
 */
export interface AssociationProps {
  /** The document the association applies. */
  readonly document: IDocument;

  /**
   * The nodes the association applies to: 1 to 5 targets. Several targets select the nodes that match all of them.
   */
  readonly targets: Target[];

  /**
   * The parameters passed to the document, as lists of strings. Checked against the document's parameters when
   * they are known.
   *
   * @default - no parameters; the document's defaults apply
   */
  readonly parameters?: Record<string, string[]>;

  /**
   * The document version: `$DEFAULT`, `$LATEST` or a version number. Not for AWS-owned documents; documents shared
   * from another account always run their default version.
   *
   * @default - the default version
   */
  readonly documentVersion?: string;

  /**
   * When the association runs. Unless `applyOnlyAtCronInterval` is set, it also runs when it is created, each time
   * a deployment changes it, and on nodes that newly match its targets.
   *
   * @default - the association runs once, when it is created
   */
  readonly schedule?: AssociationSchedule;

  /**
   * Days to wait after the scheduled day before running: 1 to 6. Needs a cron schedule and
   * `applyOnlyAtCronInterval`.
   *
   * @default - no offset
   */
  readonly scheduleOffset?: number;

  /**
   * Run only at the cron schedule, not right after the association is created or updated. Not with rate schedules.
   *
   * @default false
   */
  readonly applyOnlyAtCronInterval?: boolean;

  /**
   * How many nodes run the association at the same time.
   *
   * @default - Systems Manager's default: all targeted nodes (at most 50 at a time with targets)
   */
  readonly maxConcurrency?: Concurrency;

  /**
   * How many errors stop the association from running on more nodes.
   *
   * @default - Systems Manager's default: no limit
   */
  readonly maxErrors?: ErrorThreshold;

  /**
   * The severity of compliance findings.
   *
   * @default - unspecified
   */
  readonly complianceSeverity?: ComplianceSeverity;

  /**
   * How compliance is reported.
   *
   * @default SyncCompliance.AUTO
   */
  readonly syncCompliance?: SyncCompliance;

  /**
   * Change Calendar documents: the association runs only while they are open.
   *
   * @default - no calendars
   */
  readonly changeCalendars?: IDocument[];

  /**
   * Where the output of the runs is written.
   *
   * @default - output is not stored
   */
  readonly outputLocation?: S3OutputLocation;

  /**
   * How long CloudFormation waits for the association to succeed on its nodes: 15 seconds to 48 hours. The
   * deployment fails if it doesn't. CloudFormation's drift detection may then report the association inaccurately.
   *
   * @default - CloudFormation does not wait
   */
  readonly waitForSuccessTimeout?: Duration;

  /**
   * The runbook parameter the targets fill in. Required for an Automation runbook with targets and rate controls.
   *
   * @default - none
   */
  readonly automationTargetParameterName?: string;

  /**
   * The name of the association.
   *
   * @default - no name
   */
  readonly associationName?: string;

  /**
   * A CloudWatch alarm that stops the association from running on more nodes while it is in ALARM.
   *
   * CloudFormation's AWS::SSM::Association has no AlarmConfiguration, so a companion custom resource applies it
   * through UpdateAssociation after the association is created and after every change of it. Each application
   * creates a new association version and, unless `applyOnlyAtCronInterval` is set, runs the association; between a
   * CloudFormation update and the re-application, the alarm does not gate the association.
   *
   * @default - no alarm
   */
  readonly alarmConfiguration?: AlarmConfiguration;

  /**
   * Wait, during the deployment, for the run that the deployment starts by creating or changing the association
   * (after the alarm companion has applied `alarmConfiguration`, when there is one), and fail the deployment unless
   * it ends in Success, naming the failed nodes, their failed step and the end of its standard error, and the alarm
   * that stopped the run. A deployment that leaves the association as it was does not wait. Its result is `run`.
   *
   * Not with `applyOnlyAtCronInterval` (nothing runs at deploy time) nor `waitForSuccessTimeout` (CloudFormation's
   * own wait for the same run).
   *
   * @default - the deployment does not wait for the association to run
   */
  readonly waitForRun?: AssociationRunWait;
}

abstract class AssociationBase extends Resource implements IAssociation {
  public abstract readonly associationId: string;

  public get associationArn(): string {
    return Stack.of(this).formatArn({ service: 'ssm', resource: 'association', resourceName: this.associationId });
  }

  public onStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, options);
    rule.addEventPattern({
      source: ['aws.ssm'],
      detailType: ['EC2 State Manager Association State Change'],
      detail: { 'association-id': [this.associationId] },
    });
    rule.addTarget(options.target);
    return rule;
  }
}

const ASSOCIATION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ASSOCIATION_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
// Resource type filters are for maintenance windows only (API Target docs).
const ACCEPTED_TARGETS = [TargetKind.INSTANCE_IDS, TargetKind.ALL_MANAGED_NODES, TargetKind.TAG, TargetKind.TAG_KEY,
  TargetKind.RESOURCE_GROUP, TargetKind.OTHER];

/**
 * A State Manager association (`AWS::SSM::Association`): applies a document to a set of nodes, on a schedule.
 *
 * Every property is checked at synth time, including the rules between them: a schedule offset needs a cron
 * schedule and `applyOnlyAtCronInterval`, rate schedules take no `applyOnlyAtCronInterval`, AWS-owned documents
 * take no `documentVersion`, and the parameters must match the document's.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-state.html
 */
export class Association extends AssociationBase {
  /**
   * Refers to an association that exists already.
   */
  public static fromAssociationId(scope: Construct, id: string, associationId: string): IAssociation {
    class Import extends AssociationBase {
      public readonly associationId = associationId;
    }
    const association = new Import(scope, id);
    if (!Token.isUnresolved(associationId) && !ASSOCIATION_ID.test(associationId)) {
      throw new SsmOpsValidationError(association, `associationId ${show(associationId)} is not an association ID; expected a UUID such as 12345678-1234-1234-1234-123456789012`);
    }
    return association;
  }

  public readonly associationId: string;

  /**
   * The run this deployment waited for: its execution ID, status and counts by status. Defined only with
   * `waitForRun`.
   */
  public readonly run?: IAssociationRun;

  public constructor(scope: Construct, id: string, props: AssociationProps) {
    super(scope, id);
    this.checkProps(props);
    const { document, schedule } = props;
    checkDocumentParameters(this, 'parameters', document, props.parameters, props.automationTargetParameterName);

    const resourceProperties: CfnAssociationProps = {
      name: documentReference(document),
      associationName: props.associationName,
      documentVersion: props.documentVersion,
      parameters: props.parameters,
      targets: renderTargets(this, 'targets', props.targets, { accepted: ACCEPTED_TARGETS, maxKeyLength: 128 }),
      scheduleExpression: schedule?.expressionString,
      scheduleOffset: props.scheduleOffset,
      applyOnlyAtCronInterval: props.applyOnlyAtCronInterval,
      maxConcurrency: props.maxConcurrency?._render(this, 'maxConcurrency'),
      maxErrors: props.maxErrors?._render(this, 'maxErrors'),
      complianceSeverity: props.complianceSeverity,
      syncCompliance: props.syncCompliance,
      calendarNames: props.changeCalendars?.map(documentReference),
      outputLocation: props.outputLocation && {
        s3Location: {
          outputS3BucketName: props.outputLocation.bucket.bucketName,
          outputS3KeyPrefix: props.outputLocation.keyPrefix,
          // The region of a bucket of this app is known; an imported bucket's is not, and SSM finds it itself.
          outputS3Region: Resource.isOwnedResource(props.outputLocation.bucket) ? props.outputLocation.bucket.env.region : undefined,
        },
      },
      waitForSuccessTimeoutSeconds: props.waitForSuccessTimeout && this.timeoutSeconds(props.waitForSuccessTimeout),
      automationTargetParameterName: props.automationTargetParameterName,
    };
    const resource = new CfnAssociation(this, 'Resource', resourceProperties);
    this.associationId = resource.attrAssociationId;

    if (props.alarmConfiguration) {
      const associationArn = Stack.of(this).formatArn({ service: 'ssm', resource: 'association', resourceName: this.associationId });
      addAlarmApplier(this, props.alarmConfiguration, {
        resourceType: ASSOCIATION_ALARM_RESOURCE_TYPE,
        resource,
        ids: { AssociationId: this.associationId },
        statements: [
          // UpdateAssociation is authorized on the association and on its document, and needs DescribeAssociation.
          new iam.PolicyStatement({ actions: ['ssm:DescribeAssociation'], resources: [associationArn] }),
          new iam.PolicyStatement({ actions: ['ssm:UpdateAssociation'], resources: [associationArn, document.documentArn] }),
        ],
      });
    }
    if (props.waitForRun) {
      this.run = addAssociationRunWait(this, resource, props.waitForRun, { ...props, associationId: this.associationId, associationArn: this.associationArn });
    }
  }

  /** waitForSuccessTimeout in whole seconds, 15 seconds to 48 hours; a token must be given in seconds. */
  private timeoutSeconds(timeout: Duration): number {
    if (timeout.isUnresolved()) {
      if (timeout.unitLabel() !== 'seconds') {
        throw new SsmOpsValidationError(this, `waitForSuccessTimeout from a token must be given with Duration.seconds(), got ${timeout.unitLabel()}`);
      }
      return timeout.toSeconds();
    }
    const seconds = timeout.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 15 || seconds > 172_800) {
      throw new SsmOpsValidationError(this, `waitForSuccessTimeout ${timeout.toHumanString()} is not allowed; use whole seconds from 15 seconds to 48 hours`);
    }
    return seconds;
  }

  private checkProps(props: AssociationProps) {
    const fail = (message: string): never => {
      throw new SsmOpsValidationError(this, message);
    };
    const known = (value: unknown) => value !== undefined && !Token.isUnresolved(value);
    const { document, documentVersion, schedule, scheduleOffset, applyOnlyAtCronInterval } = props;

    if (props.targets.length === 0) {
      fail('targets is empty; an association needs at least one target (Target.allManagedNodes() selects every node)');
    }
    if (props.targets.filter((target) => target.kind === TargetKind.RESOURCE_GROUP).length > 1) {
      fail('targets has more than one resource group; an association takes at most one');
    }
    if (known(props.associationName) && !ASSOCIATION_NAME.test(props.associationName!)) {
      fail(`associationName ${show(props.associationName)} is not valid; use 3 to 128 letters, digits, '_', '-' or '.'`);
    }
    if (known(documentVersion)) {
      checkDocumentVersion(this, 'documentVersion', documentVersion);
      if (document.owner === DocumentOwner.AMAZON) {
        fail(`documentVersion ${show(documentVersion)} is not allowed for the AWS-owned document ${show(document.documentName)}; `
          + 'leave it out to run the current version');
      }
      if (document.owner === DocumentOwner.OTHER_ACCOUNT && documentVersion !== '$DEFAULT') {
        fail(`documentVersion ${show(documentVersion)} is not allowed for a document shared from another account, `
          + "which always runs its default version; leave it out or use '$DEFAULT'");
      }
    }
    schedule?._check(this, 'schedule');
    const scheduleKind = schedule?._kind;
    if (scheduleOffset !== undefined) {
      if (known(scheduleOffset) && (!Number.isInteger(scheduleOffset) || scheduleOffset < 1 || scheduleOffset > 6)) {
        fail(`scheduleOffset ${scheduleOffset} is not allowed; use a whole number of days from 1 to 6`);
      }
      const shownOffset = known(scheduleOffset) ? scheduleOffset : '(a token)';
      if (schedule === undefined) {
        fail(`scheduleOffset ${shownOffset} needs a cron schedule, and there is no schedule`);
      }
      if (scheduleKind !== 'cron' && scheduleKind !== 'unknown') {
        fail(`scheduleOffset ${shownOffset} needs a cron schedule, and the schedule is ${show(schedule!.expressionString)}`);
      }
      if (applyOnlyAtCronInterval !== true && !Token.isUnresolved(applyOnlyAtCronInterval)) {
        fail(`scheduleOffset ${shownOffset} needs applyOnlyAtCronInterval: true, and applyOnlyAtCronInterval is ${applyOnlyAtCronInterval ?? 'not set'}`);
      }
    }
    if (applyOnlyAtCronInterval === true && scheduleKind === 'rate') {
      fail(`applyOnlyAtCronInterval is not allowed with the rate schedule ${show(schedule!.expressionString)}; use a cron schedule or leave it out`);
    }
    if (applyOnlyAtCronInterval === true && schedule === undefined) {
      fail('applyOnlyAtCronInterval needs a cron schedule, and there is no schedule');
    }
    if (props.targets.some((target) => target.kind === TargetKind.ALL_MANAGED_NODES) && props.targets.length > 1) {
      fail('targets has Target.allManagedNodes() beside other targets, which it makes meaningless; give it alone');
    }
    if (props.waitForSuccessTimeout !== undefined) {
      this.timeoutSeconds(props.waitForSuccessTimeout);
    }
    const keyPrefix = props.outputLocation?.keyPrefix;
    if (known(keyPrefix) && keyPrefix!.length > 500) {
      fail(`outputLocation.keyPrefix has ${keyPrefix!.length} characters; at most 500 are allowed`);
    }
    const targetParameter = props.automationTargetParameterName;
    if (known(targetParameter) && (targetParameter!.length < 1 || targetParameter!.length > 50)) {
      fail(`automationTargetParameterName ${show(targetParameter)} is not valid; use 1 to 50 characters`);
    }
    const rateControlled = props.maxConcurrency !== undefined || props.maxErrors !== undefined;
    if (document.documentType === DocumentType.AUTOMATION && rateControlled && targetParameter === undefined) {
      fail('automationTargetParameterName is required for an Automation runbook with targets and maxConcurrency or maxErrors; '
        + 'name the runbook parameter that takes the target IDs, such as InstanceId');
    }
    if (targetParameter !== undefined && document.documentType !== undefined && document.documentType !== DocumentType.AUTOMATION) {
      fail(`automationTargetParameterName is only for Automation runbooks, and ${show(document.documentName)} is a ${document.documentType} document`);
    }
  }
}
