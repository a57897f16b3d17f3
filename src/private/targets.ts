import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SsmOpsValidationError, show } from './errors';
import { Target, TargetKind } from '../target';

/** Rules a construct applies to the targets it accepts. */
export interface TargetRules {
  /** The kinds the construct accepts. */
  readonly accepted: TargetKind[];
  /** The longest key the construct's API takes (associations 128, the other APIs 163). */
  readonly maxKeyLength: number;
}

/** A target as CloudFormation writes it. */
export interface RenderedTarget {
  readonly key: string;
  readonly values: string[];
}

const MAX_TARGETS = 5;
const MAX_VALUES = 50;
const TARGET_KEY = /^[\p{L}\p{Z}\p{N}_.:/=\-@]+$/u;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const INSTANCE_ID = /^(i-(\w{8}|\w{17})|mi-\w{17})$/;

const KIND_NAMES: Record<TargetKind, string> = {
  [TargetKind.INSTANCE_IDS]: 'instance IDs',
  [TargetKind.ALL_MANAGED_NODES]: 'all managed nodes',
  [TargetKind.TAG]: 'tags',
  [TargetKind.TAG_KEY]: 'tag keys',
  [TargetKind.RESOURCE_GROUP]: 'a resource group',
  [TargetKind.RESOURCE_GROUP_RESOURCE_TYPES]: 'resource group resource types',
  [TargetKind.WINDOW_TARGET_IDS]: 'window targets',
  [TargetKind.OTHER]: 'a custom key',
};

/**
 * Checks targets against a construct's rules (ssm-constraints.md §2, §4, §5) and renders them for CloudFormation.
 */
export function renderTargets(scope: IConstruct, property: string, targets: Target[], rules: TargetRules): RenderedTarget[] {
  const fail = (message: string): never => {
    throw new SsmOpsValidationError(scope, message);
  };
  if (targets.length > MAX_TARGETS) {
    fail(`${property} has ${targets.length} targets; at most ${MAX_TARGETS} are allowed `
      + '(select more nodes with one tag, a resource group or more values of one target)');
  }
  targets.forEach((target, index) => checkTarget(`${property}[${index}]`, target, rules, fail));
  return targets.map(({ key, values }) => ({ key, values }));
}

function checkTarget(where: string, target: Target, rules: TargetRules, fail: (message: string) => never) {
  const { key, values, kind } = target;
  if (!rules.accepted.includes(kind)) {
    fail(`${where} (${show(key)}) selects ${KIND_NAMES[kind]}, which this construct does not accept; `
      + `accepted: ${rules.accepted.map((accepted) => KIND_NAMES[accepted]).join(', ')}`);
  }
  if (!Token.isUnresolved(key) && !(TARGET_KEY.test(key) && key.length <= rules.maxKeyLength)) {
    fail(`${where}: key ${show(key)} is not valid; use 1 to ${rules.maxKeyLength} letters, digits, spaces or _.:/=-@`);
  }
  if (kind === TargetKind.TAG && !Token.isUnresolved(key) && !TAG_KEY.test(key.slice('tag:'.length))) {
    fail(`${where}: tag key ${show(key.slice('tag:'.length))} is not valid; use 1 to 128 letters, digits, spaces or _.:/=+-@`);
  }
  if (Token.isUnresolved(values)) {
    return;
  }
  if (values.length === 0 || values.length > MAX_VALUES) {
    fail(`${where} (${show(key)}) has ${values.length} values; give 1 to ${MAX_VALUES}`);
  }
  if (kind === TargetKind.INSTANCE_IDS) {
    for (const id of values) {
      if (!Token.isUnresolved(id) && !INSTANCE_ID.test(id)) {
        fail(`${where}: ${show(id)} is not an instance ID; expected i- and 8 or 17 characters, or mi- and 17 characters`
          + (id === '*' ? ' (Target.allManagedNodes() selects every node)' : ''));
      }
    }
  }
  if (kind === TargetKind.RESOURCE_GROUP && values.length !== 1) {
    fail(`${where}: a resource group target names exactly one group, got ${values.length}`);
  }
}
