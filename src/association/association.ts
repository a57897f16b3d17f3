import { Duration, IResource, ITaggableV2, Lazy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnAssociation, CfnAssociationProps } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AssociationDispatchRole } from './association-dispatch-role';
import { AssociationRunWait, IAssociationRun } from './association-run-wait';
import { AssociationSchedule } from './association-schedule';
import { addAssociationRunWait } from './run-wait';
import { addAlarmApplier } from '../alarm-applier/alarm-applier';
import { AlarmConfiguration } from '../alarm-configuration';
import { S3OutputLocation } from '../command-output';
import { DocumentOwner, DocumentType, IDocument } from '../document/document';
import { checkDocumentParameters, checkParameterLimits } from '../private/document-parameters';
import { checkDocumentReference, documentReference } from '../private/document-reference';
import { checkDocumentVersion } from '../private/document-versions';
import { SsmOpsValidationError, show } from '../private/errors';
import { passRoleToSsm } from '../private/iam';
import { ASSOCIATION_ALARM_RESOURCE_TYPE } from '../private/resource-types';
import { RenderedTarget, renderTargets } from '../private/targets';
import {
  TAG_KEY, TextRule, checkCount, checkKeyPrefix, checkLength, checkPattern, checkResourceName, checkScheduleOffset, known, reject,
  rejectCombination, rejectCount, wholeUnits,
} from '../private/validate';
import { Concurrency, ErrorThreshold } from '../rate-control';
import { Target, TargetKind } from '../target';

export { AssociationDispatchRole } from './association-dispatch-role';

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

  /**
   * The role State Manager assumes to dispatch the association to its nodes.
   *
   * `AssociationDispatchRole.fromRole(role)` takes a role of your own; `AssociationDispatchRole.generate()` creates one
   * allowed only what this association needs, on its document and its nodes. The SSM API recommends a role of your
   * own: dispatching with the service-linked role is being phased out. The association depends on the role, so that
   * its policy exists when State Manager first assumes it. Changing it is an update, which runs the association.
   *
   * @example
   * import { Tags } from 'aws-cdk-lib';
   * import { AssociationDispatchRole } from 'cdk-ssm-ops';
   *
   * declare const harden: CommandDocument;
   *
   * const nightly = new Association(this, 'Nightly', {
   *   document: harden,
   *   targets: [Target.tag('Env', 'prod')],
   *   schedule: AssociationSchedule.cron({ hour: '2', minute: '0' }),
   *   dispatchRole: AssociationDispatchRole.generate(),
   * });
   * Tags.of(nightly).add('CostCenter', 'fleet');
   *
   * @default - State Manager dispatches with the Systems Manager service-linked role
   */
  readonly dispatchRole?: AssociationDispatchRole;
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
 *
 * @example
 * declare const harden: CommandDocument;
 *
 * new Association(this, 'Nightly', {
 *   document: harden,
 *   parameters: { level: ['high'] },
 *   targets: [Target.tag('Env', 'prod'), Target.tag('Role', 'web')],
 *   schedule: AssociationSchedule.cron({ hour: '2', minute: '0', weekDay: 'SUN' }),
 *   maxConcurrency: Concurrency.percentage(10),
 *   maxErrors: ErrorThreshold.count(1),
 *   complianceSeverity: ComplianceSeverity.HIGH,
 * });
 */
export class Association extends AssociationBase implements ITaggableV2 {
  /**
   * Refers to an association that exists already.
   *
   * @example
   * const imported = Association.fromAssociationId(this, 'Imported', '8dfe3659-4309-493a-8755-0123456789ab');
   */
  public static fromAssociationId(scope: Construct, id: string, associationId: string): IAssociation {
    class Import extends AssociationBase {
      public readonly associationId = associationId;
    }
    const association = new Import(scope, id);
    if (known(associationId) && !ASSOCIATION_ID.test(associationId)) {
      reject(association, 'associationId', associationId, 'is not an association ID', 'use a UUID such as 12345678-1234-1234-1234-123456789012');
    }
    return association;
  }

  public readonly associationId: string;

  /**
   * The run this deployment waited for: its execution ID, status and counts by status. Defined only with
   * `waitForRun`.
   */
  public readonly run?: IAssociationRun;

  /**
   * The role State Manager assumes to dispatch the association: the one given, or the one generated. Defined only
   * with `dispatchRole`. Grant it more if the document's steps call AWS from Systems Manager's side.
   */
  public readonly dispatchRole?: iam.IRole;

  /**
   * The association's tags, which `Tags.of()` sets.
   */
  public readonly cdkTagManager = new TagManager(TagType.KEY_VALUE, 'AWS::SSM::Association');

  public constructor(scope: Construct, id: string, props: AssociationProps) {
    super(scope, id);
    this.checkTargets(props.targets);
    this.checkDocument(props);
    this.checkSchedule(props);
    checkResourceName(this, 'associationName', props.associationName);
    checkKeyPrefix(this, 'outputLocation.keyPrefix', props.outputLocation?.keyPrefix);

    const targets = renderTargets(this, 'targets', props.targets, { accepted: ACCEPTED_TARGETS, maxKeyLength: 128 });
    this.dispatchRole = props.dispatchRole?._bind(this, { ...props, targets });

    const resource = new CfnAssociation(this, 'Resource', this.render(props, targets));
    // Tags and AssociationDispatchAssumeRole are CloudFormation properties that aws-cdk-lib's CfnAssociation types only
    // from 2.260, whose cloud assemblies the standalone integ-runner can't read: written as raw properties, they keep
    // the floor at 2.257 (README, "Install"). Overrides are part of the rendering the alarm companion watches.
    if (this.dispatchRole) {
      resource.addPropertyOverride('AssociationDispatchAssumeRole', this.dispatchRole.roleArn);
      // State Manager assumes the role as soon as the association exists: its policy must exist by then.
      resource.node.addDependency(this.dispatchRole);
    }
    // Tags come from Tags.of() aspects, applied after construction: rendered and checked when the app synthesizes.
    const tags = () => associationTags(this.cdkTagManager, resource);
    resource.addPropertyOverride('Tags', Lazy.any({
      produce: () => Object.entries(tags()).map(([key, value]) => ({ Key: key, Value: value })),
    }, { omitEmptyArray: true }));
    this.node.addValidation({ validate: () => problemsOf(() => checkTags(this, tags())) });

    this.associationId = resource.attrAssociationId;
    if (props.alarmConfiguration) {
      // The companion watches the L1's properties as rendered, Tags and AssociationDispatchAssumeRole included: a tag
      // change re-applies the alarm too. CloudFormation's tag updates may go through UpdateAssociation, which would
      // drop the alarm (its public handler calls UpdateAssociation for every update), so they are not left out.
      const associationArn = Stack.of(this).formatArn({ service: 'ssm', resource: 'association', resourceName: this.associationId });
      addAlarmApplier(this, props.alarmConfiguration, {
        resourceType: ASSOCIATION_ALARM_RESOURCE_TYPE,
        resource,
        ids: { AssociationId: this.associationId },
        statements: [
          // UpdateAssociation is authorized on the association and on its document, and needs DescribeAssociation.
          new iam.PolicyStatement({ actions: ['ssm:DescribeAssociation'], resources: [associationArn] }),
          new iam.PolicyStatement({ actions: ['ssm:UpdateAssociation'], resources: [associationArn, props.document.documentArn] }),
          // UpdateAssociation writes the dispatch role back, which passes it to Systems Manager again.
          ...this.dispatchRole ? [passRoleToSsm(this.dispatchRole)] : [],
        ],
      });
    }
    if (props.waitForRun) {
      this.run = addAssociationRunWait(this, resource, props.waitForRun, {
        ...props, associationId: this.associationId, associationArn: this.associationArn,
      });
    }
  }

  /** The properties of the CfnAssociation; rate controls and the wait are checked as they are rendered. */
  private render(props: AssociationProps, targets: RenderedTarget[]): CfnAssociationProps {
    const { outputLocation, waitForSuccessTimeout } = props;
    return {
      name: documentReference(props.document),
      associationName: props.associationName,
      documentVersion: props.documentVersion,
      parameters: props.parameters,
      targets,
      scheduleExpression: props.schedule?.expressionString,
      scheduleOffset: props.scheduleOffset,
      applyOnlyAtCronInterval: props.applyOnlyAtCronInterval,
      maxConcurrency: props.maxConcurrency?._render(this, 'maxConcurrency'),
      maxErrors: props.maxErrors?._render(this, 'maxErrors'),
      complianceSeverity: props.complianceSeverity,
      syncCompliance: props.syncCompliance,
      calendarNames: props.changeCalendars?.map(documentReference),
      outputLocation: outputLocation && {
        s3Location: {
          outputS3BucketName: outputLocation.bucket.bucketName,
          outputS3KeyPrefix: outputLocation.keyPrefix,
          // The region of a bucket of this app is known; an imported bucket's is not, and SSM finds it itself.
          outputS3Region: Resource.isOwnedResource(outputLocation.bucket) ? outputLocation.bucket.env.region : undefined,
        },
      },
      // CloudFormation's WaitForSuccessTimeoutSeconds: 15 seconds to 48 hours.
      waitForSuccessTimeoutSeconds: waitForSuccessTimeout && wholeUnits(this, 'waitForSuccessTimeout', waitForSuccessTimeout, 'seconds', 15, 172_800),
      automationTargetParameterName: props.automationTargetParameterName,
    };
  }

  private checkTargets(targets: Target[]) {
    if (targets.length === 0) {
      rejectCount(this, 'targets', 0, 'targets', 'use 1 or more (Target.allManagedNodes() selects every node)');
    }
    if (targets.some((target) => target.kind === TargetKind.ALL_MANAGED_NODES) && targets.length > 1) {
      rejectCombination(this, 'targets', 'has Target.allManagedNodes() beside other targets, which it makes meaningless', 'give it alone');
    }
  }

  /** The document, its version and parameters, and the runbook parameter the targets fill in. */
  private checkDocument(props: AssociationProps) {
    const { document, documentVersion, parameters, automationTargetParameterName: targetParameter } = props;
    checkDocumentReference(this, 'document', document);
    props.changeCalendars?.forEach((calendar, index) => checkDocumentReference(this, `changeCalendars[${index}]`, calendar));
    checkDocumentVersion(this, 'documentVersion', documentVersion);
    if (known(documentVersion) && document.owner === DocumentOwner.AMAZON) {
      reject(this, 'documentVersion', documentVersion, `is not allowed for the AWS-owned document ${show(document.documentName)}`,
        'leave it out to run the current version');
    }
    if (known(documentVersion) && document.owner === DocumentOwner.OTHER_ACCOUNT && documentVersion !== '$DEFAULT') {
      reject(this, 'documentVersion', documentVersion, 'is not allowed for a document shared from another account, which always runs its default version',
        "leave it out or use '$DEFAULT'");
    }
    checkLength(this, 'automationTargetParameterName', targetParameter, 1, 50);
    const rateControlled = props.maxConcurrency !== undefined || props.maxErrors !== undefined;
    if (document.documentType === DocumentType.AUTOMATION && rateControlled && targetParameter === undefined) {
      rejectCombination(this, 'automationTargetParameterName', 'is required for an Automation runbook with targets and maxConcurrency or maxErrors',
        'name the runbook parameter that takes the target IDs, such as InstanceId');
    }
    if (targetParameter !== undefined && document.documentType !== undefined && document.documentType !== DocumentType.AUTOMATION) {
      reject(this, 'automationTargetParameterName', targetParameter, 'is only for Automation runbooks',
        `${show(document.documentName)} is a ${document.documentType} document`);
    }
    // CloudFormation's Parameters take names of 1 to 255 characters, whatever the document declares.
    checkParameterLimits(this, 'parameters', parameters, { maxNameLength: 255 });
    checkDocumentParameters(this, 'parameters', document, parameters, targetParameter);
  }

  /** The schedule, its offset, and applyOnlyAtCronInterval, which need each other. */
  private checkSchedule(props: AssociationProps) {
    const { schedule, scheduleOffset, applyOnlyAtCronInterval } = props;
    schedule?._check(this, 'schedule');
    checkScheduleOffset(this, scheduleOffset, schedule);
    if (scheduleOffset !== undefined && applyOnlyAtCronInterval !== true && !Token.isUnresolved(applyOnlyAtCronInterval)) {
      reject(this, 'scheduleOffset', scheduleOffset, 'needs applyOnlyAtCronInterval: true', `applyOnlyAtCronInterval is ${applyOnlyAtCronInterval ?? 'not set'}`);
    }
    if (applyOnlyAtCronInterval === true && schedule?._kind === 'rate') {
      reject(this, 'applyOnlyAtCronInterval', true, `is not allowed with the rate schedule ${show(schedule.expressionString)}`,
        'use a cron schedule or leave it out');
    }
    if (applyOnlyAtCronInterval === true && schedule === undefined) {
      reject(this, 'applyOnlyAtCronInterval', true, 'needs a cron schedule', 'there is no schedule');
    }
  }
}

// Association tag values: 0 to 256 characters (AWS::SSM::Association Tag, unlike a document's 1 to 256).
const TAG_VALUE: TextRule = { pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, allowed: 'use at most 256 letters, digits, spaces or _.:/=+-@' };

/**
 * The association's tags, sorted by key: its own, and from aws-cdk-lib 2.260 on, those its CfnAssociation (taggable
 * there) received, from the same Tags.of() aspects or given to the L1 itself.
 */
function associationTags(own: TagManager, resource: CfnAssociation): Record<string, string> {
  const l1 = TagManager.isTaggableV2(resource) ? resource.cdkTagManager.tagValues() : {};
  const all: Record<string, string> = { ...l1, ...own.tagValues() };
  return Object.fromEntries(Object.keys(all).sort().map((key) => [key, all[key]]));
}

/** The tags CloudFormation writes on the association: at most 1,000, with keys and values it takes. */
function checkTags(scope: Construct, tags: Record<string, string>): void {
  checkCount(scope, 'tags', Object.keys(tags), 0, 1000, 'tags');
  for (const [key, value] of Object.entries(tags)) {
    checkPattern(scope, 'tags', key, TAG_KEY);
    checkPattern(scope, `tags.${key}`, value, TAG_VALUE);
  }
}

/** The library's error from a check, as a validation of the construct reports it. */
function problemsOf(check: () => void): string[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof SsmOpsValidationError) {
      return [error.message];
    }
    throw error;
  }
}
