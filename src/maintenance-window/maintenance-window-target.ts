import { IResource, Resource } from 'aws-cdk-lib';
import { CfnMaintenanceWindowTarget } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { IMaintenanceWindow } from './maintenance-window';
import { TargetRules, renderTargets } from '../private/targets';
import { checkDescription, checkResourceName, rejectCombination, rejectCount } from '../private/validate';
import { ITaskTarget, Target, TargetKind } from '../target';

/**
 * Targets registered with a maintenance window.
 */
export interface IMaintenanceWindowTarget extends IResource, ITaskTarget {
  /**
   * The ID of the window target.
   *
   * @attribute
   */
  readonly windowTargetId: string;
}

/**
 * Options of targets registered with a window through `window.addTarget()`.
 */
export interface MaintenanceWindowTargetOptions {
  /**
   * The nodes: instance IDs, tags and tag keys, or a resource group (with its resource type filters), but not both kinds.
   */
  readonly targets: Target[];

  /**
   * Information passed to the tasks with each target, such as an owner: 1 to 128 characters.
   *
   * @default - none
   */
  readonly ownerInformation?: string;

  /**
   * The name of the window target.
   *
   * @default - no name
   */
  readonly windowTargetName?: string;

  /**
   * What the targets are: 1 to 128 characters.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Properties of targets registered with a maintenance window.
 */
export interface MaintenanceWindowTargetProps extends MaintenanceWindowTargetOptions {
  /** The window the targets are registered with. */
  readonly window: IMaintenanceWindow;
}

const RESOURCE_GROUP_KINDS = [TargetKind.RESOURCE_GROUP, TargetKind.RESOURCE_GROUP_RESOURCE_TYPES];
// A window target takes at most 50 instances, five tag key-value pairs and five tag keys (SSM User Guide, "Examples:
// Register targets with a maintenance window").
const INSTANCE_RULES: TargetRules = {
  accepted: [TargetKind.INSTANCE_IDS, TargetKind.TAG, TargetKind.TAG_KEY, TargetKind.OTHER],
  maxKeyLength: 163,
  total: [
    { kind: TargetKind.INSTANCE_IDS, max: 50, noun: 'instance IDs', note: 'a window target takes 50 instances' },
    { kind: TargetKind.TAG, max: 5, noun: 'tag key-value pairs', note: 'a window target takes five key-value pairs' },
    { kind: TargetKind.TAG_KEY, max: 5, noun: 'tag keys', note: 'a window target takes five tag keys' },
  ],
};
const RESOURCE_GROUP_RULES: TargetRules = { accepted: RESOURCE_GROUP_KINDS, maxKeyLength: 163 };

/**
 * Targets registered with a maintenance window (`AWS::SSM::MaintenanceWindowTarget`). Its resource type, `INSTANCE`
 * or `RESOURCE_GROUP`, follows from the targets. `window.addTarget(id, options)` makes one too.
 *
 * @example
 * declare const patching: IMaintenanceWindow;
 *
 * new MaintenanceWindowTarget(this, 'Web', {
 *   window: patching,
 *   targets: [Target.tag('Role', 'web'), Target.tag('Env', 'prod')],
 *   ownerInformation: 'web-team',
 * });
 */
export class MaintenanceWindowTarget extends Resource implements IMaintenanceWindowTarget {
  /** Refers to a window target that exists already. */
  public static fromWindowTargetId(scope: Construct, id: string, windowTargetId: string): IMaintenanceWindowTarget {
    class Import extends Resource implements IMaintenanceWindowTarget {
      public readonly windowTargetId = windowTargetId;
      public toTaskTarget(): Target {
        return Target.fromKeyValues('WindowTargetIds', [this.windowTargetId]);
      }
    }
    return new Import(scope, id);
  }

  public readonly windowTargetId: string;
  /** The window the targets are registered with. */
  public readonly window: IMaintenanceWindow;

  public constructor(scope: Construct, id: string, props: MaintenanceWindowTargetProps) {
    super(scope, id);
    this.window = props.window;
    const { targets, ownerInformation, windowTargetName, description } = props;
    if (targets.length === 0) {
      rejectCount(this, 'targets', 0, 'targets', 'use 1 or more');
    }
    const isResourceGroup = targets.some((target) => RESOURCE_GROUP_KINDS.includes(target.kind));
    if (isResourceGroup && targets.some((target) => !RESOURCE_GROUP_KINDS.includes(target.kind))) {
      rejectCombination(this, 'targets', 'mix a resource group with instance IDs or tags',
        'a window target is either INSTANCE or RESOURCE_GROUP, so register them as two window targets');
    }
    const rendered = renderTargets(this, 'targets', targets, isResourceGroup ? RESOURCE_GROUP_RULES : INSTANCE_RULES);
    if (isResourceGroup && !targets.some((target) => target.kind === TargetKind.RESOURCE_GROUP)) {
      rejectCombination(this, 'targets', 'filter resource types but name no resource group', 'add Target.resourceGroup(name)');
    }
    checkDescription(this, 'ownerInformation', ownerInformation);
    checkDescription(this, 'description', description);
    checkResourceName(this, 'windowTargetName', windowTargetName);

    const resource = new CfnMaintenanceWindowTarget(this, 'Resource', {
      windowId: props.window.maintenanceWindowId,
      resourceType: isResourceGroup ? 'RESOURCE_GROUP' : 'INSTANCE',
      targets: rendered,
      ownerInformation,
      name: windowTargetName,
      description,
    });
    // Ref gives the window target ID; GetAtt WindowTargetId is newer than much of the tooling that reads templates.
    this.windowTargetId = resource.ref;
  }

  /** The target as a task gives it: `WindowTargetIds` with this target's ID. */
  public toTaskTarget(): Target {
    return Target.fromKeyValues('WindowTargetIds', [this.windowTargetId]);
  }
}
