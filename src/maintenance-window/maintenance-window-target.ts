import { IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnMaintenanceWindowTarget } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { IMaintenanceWindow } from './maintenance-window';
import { SsmOpsValidationError, show } from '../private/errors';
import { renderTargets } from '../private/targets';
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
   * The nodes: instance IDs, tags and tag keys, or a resource group (with its resource type filters); not both kinds.
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

const INSTANCE_KINDS = [TargetKind.INSTANCE_IDS, TargetKind.TAG, TargetKind.TAG_KEY];
const RESOURCE_GROUP_KINDS = [TargetKind.RESOURCE_GROUP, TargetKind.RESOURCE_GROUP_RESOURCE_TYPES];
const NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;

/**
 * Targets registered with a maintenance window (`AWS::SSM::MaintenanceWindowTarget`). Its resource type, `INSTANCE`
 * or `RESOURCE_GROUP`, follows from the targets.
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
    const fail = (message: string): never => {
      throw new SsmOpsValidationError(this, message);
    };
    if (props.targets.length === 0) {
      fail('targets is empty; register at least one target');
    }
    const isResourceGroup = props.targets.some((target) => RESOURCE_GROUP_KINDS.includes(target.kind));
    if (isResourceGroup && props.targets.some((target) => !RESOURCE_GROUP_KINDS.includes(target.kind))) {
      fail('targets mix a resource group with instance IDs or tags; a window target is either INSTANCE or RESOURCE_GROUP, '
        + 'so register them as two window targets');
    }
    const rendered = renderTargets(this, 'targets', props.targets, {
      accepted: isResourceGroup ? RESOURCE_GROUP_KINDS : [...INSTANCE_KINDS, TargetKind.OTHER],
      maxKeyLength: 163,
    });
    if (isResourceGroup && !props.targets.some((target) => target.kind === TargetKind.RESOURCE_GROUP)) {
      fail('targets filter resource types but name no resource group; add Target.resourceGroup(name)');
    }
    const { ownerInformation, windowTargetName, description } = props;
    for (const [property, value] of [['ownerInformation', ownerInformation], ['description', description]] as const) {
      if (value !== undefined && !Token.isUnresolved(value) && (value.length < 1 || value.length > 128)) {
        fail(`${property} has ${value.length} characters; use 1 to 128`);
      }
    }
    if (windowTargetName !== undefined && !Token.isUnresolved(windowTargetName) && !NAME.test(windowTargetName)) {
      fail(`windowTargetName ${show(windowTargetName)} is not valid; use 3 to 128 letters, digits, '_', '-' or '.'`);
    }

    const resource = new CfnMaintenanceWindowTarget(this, 'Resource', {
      windowId: props.window.maintenanceWindowId,
      resourceType: isResourceGroup ? 'RESOURCE_GROUP' : 'INSTANCE',
      targets: rendered,
      ownerInformation,
      name: windowTargetName,
      description,
    });
    // Ref gives the window target ID; GetAtt WindowTargetId is too new for older tooling (ssm-constraints.md §13).
    this.windowTargetId = resource.ref;
  }

  /** The target as a task gives it: `WindowTargetIds` with this target's ID. */
  public toTaskTarget(): Target {
    return Target.fromKeyValues('WindowTargetIds', [this.windowTargetId]);
  }
}
