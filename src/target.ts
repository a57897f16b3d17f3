import { IInstance } from 'aws-cdk-lib/aws-ec2';

/**
 * The kind of nodes a target selects.
 */
export enum TargetKind {
  /** Nodes by ID (`InstanceIds`). */
  INSTANCE_IDS = 'InstanceIds',
  /** Every managed node of the account and region (`InstanceIds` = `*`). */
  ALL_MANAGED_NODES = 'AllManagedNodes',
  /** Nodes with a tag of one of the given values (`tag:<key>`). */
  TAG = 'Tag',
  /** Nodes that have a tag key, whatever its value (`tag-key`). */
  TAG_KEY = 'TagKey',
  /** The nodes of a resource group (`resource-groups:Name`). */
  RESOURCE_GROUP = 'ResourceGroup',
  /** The resource types a resource group target is limited to (`resource-groups:ResourceTypeFilters`). */
  RESOURCE_GROUP_RESOURCE_TYPES = 'ResourceGroupResourceTypes',
  /** The targets registered with a maintenance window (`WindowTargetIds`). */
  WINDOW_TARGET_IDS = 'WindowTargetIds',
  /** Any other key, given through `Target.fromKeyValues`. */
  OTHER = 'Other',
}

/**
 * A target of a maintenance window task: a `Target` of instance IDs, or a `MaintenanceWindowTarget`.
 */
export interface ITaskTarget {
  /** The target as the task gives it to Systems Manager. */
  toTaskTarget(): Target;
}

/**
 * The managed nodes a command, association or maintenance window acts on.
 *
 * Up to 5 targets, of up to 50 values each; several targets select the nodes that match all of them.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html
 */
export class Target implements ITaskTarget {
  /**
   * Nodes by ID: EC2 instances (`i-…`) and hybrid nodes (`mi-…`).
   *
   * @example
   * const nodes = Target.instanceIds('i-0123456789abcdef0', 'mi-0123456789abcdef0');
   */
  public static instanceIds(...ids: string[]): Target {
    return new Target('InstanceIds', ids, TargetKind.INSTANCE_IDS);
  }

  /** EC2 instances of this app or imported ones. */
  public static instances(...instances: IInstance[]): Target {
    return new Target('InstanceIds', instances.map((instance) => instance.instanceId), TargetKind.INSTANCE_IDS);
  }

  /**
   * Nodes whose tag `key` has one of the values.
   *
   * @example
   * // Nodes whose tag Role is web or api.
   * const web = Target.tag('Role', 'web', 'api');
   */
  public static tag(key: string, ...values: string[]): Target {
    return new Target(`tag:${key}`, values, TargetKind.TAG);
  }

  /**
   * Nodes that have any of these tag keys.
   *
   * @example
   * const patchable = Target.tagKey('Patch');
   */
  public static tagKey(...keys: string[]): Target {
    return new Target('tag-key', keys, TargetKind.TAG_KEY);
  }

  /**
   * The nodes of a resource group, by name.
   *
   * @example
   * const group = Target.resourceGroup('web-servers');
   */
  public static resourceGroup(name: string): Target {
    return new Target('resource-groups:Name', [name], TargetKind.RESOURCE_GROUP);
  }

  /** Limits a resource group target to these resource types, such as `AWS::EC2::Instance`. */
  public static resourceGroupResourceTypes(...types: string[]): Target {
    return new Target('resource-groups:ResourceTypeFilters', types, TargetKind.RESOURCE_GROUP_RESOURCE_TYPES);
  }

  /** Every managed node of the account and region. */
  public static allManagedNodes(): Target {
    return new Target('InstanceIds', ['*'], TargetKind.ALL_MANAGED_NODES);
  }

  /**
   * Any key and values, as the SSM API takes them. The target is checked like the others, and its kind is read
   * from the key.
   */
  public static fromKeyValues(key: string, values: string[]): Target {
    return new Target(key, values, kindOf(key, values));
  }

  /** The key, such as `tag:Role` or `InstanceIds`. */
  public readonly key: string;
  /** The values of the key. */
  public readonly values: string[];
  /** What kind of nodes the target selects. */
  public readonly kind: TargetKind;

  private constructor(key: string, values: string[], kind: TargetKind) {
    this.key = key;
    this.values = values;
    this.kind = kind;
  }

  /** The target itself. */
  public toTaskTarget(): Target {
    return this;
  }
}

function kindOf(key: string, values: string[]): TargetKind {
  if (key === 'InstanceIds') {
    return values.length === 1 && values[0] === '*' ? TargetKind.ALL_MANAGED_NODES : TargetKind.INSTANCE_IDS;
  }
  if (key.startsWith('tag:')) {
    return TargetKind.TAG;
  }
  const kinds: Record<string, TargetKind> = {
    'tag-key': TargetKind.TAG_KEY,
    'resource-groups:Name': TargetKind.RESOURCE_GROUP,
    'resource-groups:ResourceTypeFilters': TargetKind.RESOURCE_GROUP_RESOURCE_TYPES,
    'WindowTargetIds': TargetKind.WINDOW_TARGET_IDS,
  };
  return kinds[key] ?? TargetKind.OTHER;
}
