import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { show } from './errors';
import { TAG_KEY, chars, checkCount, known, reject, rejectCount, span } from './validate';
import { Target, TargetKind } from '../target';

/** A quota on the values of the targets of one kind. */
export interface TargetQuota {
  /** The kind whose values are counted. */
  readonly kind: TargetKind;
  /** The most values allowed. */
  readonly max: number;
  /** What the values are, in the message (`tag keys`). */
  readonly noun: string;
  /** Why, in the message. */
  readonly note?: string;
}

/** Rules a construct applies to the targets it accepts. */
export interface TargetRules {
  /** The kinds the construct accepts. */
  readonly accepted: TargetKind[];
  /** The longest key the construct's API takes (associations 128, the other APIs 163). */
  readonly maxKeyLength: number;
  /** Quotas on the values of each target of a kind, stricter than the API's 50. */
  readonly perTarget?: TargetQuota[];
  /** Quotas on the values of all targets of a kind together. */
  readonly total?: TargetQuota[];
}

/** A target as CloudFormation writes it. */
export interface RenderedTarget {
  readonly key: string;
  readonly values: string[];
}

// The API's list limits (API Target): 5 targets of 0 to 50 values, keys of 1 to 163 characters.
const MAX_TARGETS = 5;
const MAX_VALUES = 50;
const TARGET_KEY = /^[\p{L}\p{Z}\p{N}_.:/=\-@]+$/u;
const INSTANCE_ID = /^(i-(\w{8}|\w{17})|mi-\w{17})$/;

// Every construct that takes resource groups takes one (SSM User Guide: "Understanding targets and rate controls in
// State Manager associations", "Run commands at scale", and the maintenance window target examples).
const ONE_RESOURCE_GROUP: TargetQuota = { kind: TargetKind.RESOURCE_GROUP, max: 1, noun: 'resource groups' };

/** What each kind of target selects, in messages. */
export const KIND_NAMES: Record<TargetKind, string> = {
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
 * Checks targets against a construct's rules and renders them for CloudFormation.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html
 */
export function renderTargets(scope: IConstruct, property: string, targets: Target[], rules: TargetRules): RenderedTarget[] {
  const byGroup = rules.accepted.includes(TargetKind.RESOURCE_GROUP) ? ', a resource group' : '';
  checkCount(scope, property, targets, 0, MAX_TARGETS, 'targets', `select more nodes with one tag${byGroup} or more values of one target`);
  targets.forEach((target, index) => checkTarget(scope, `${property}[${index}]`, target, rules));
  for (const { kind, max, noun, note } of [ONE_RESOURCE_GROUP, ...rules.total ?? []]) {
    const ofKind = targets.filter((target) => target.kind === kind);
    if (ofKind.every((target) => known(target.values))) {
      const count = ofKind.reduce((sum, target) => sum + target.values.length, 0);
      if (count > max) {
        rejectCount(scope, property, count, noun, `use ${span(0, max)}${note ? ` (${note})` : ''}`);
      }
    }
  }
  return targets.map(({ key, values }) => ({ key, values }));
}

function checkTarget(scope: IConstruct, where: string, target: Target, rules: TargetRules) {
  const { key, values, kind } = target;
  if (!rules.accepted.includes(kind)) {
    reject(scope, where, key, `selects ${KIND_NAMES[kind]}, which this construct does not accept`,
      `use ${inWords(rules.accepted.map((accepted) => KIND_NAMES[accepted]))}`);
  }
  if (known(key) && !(TARGET_KEY.test(key) && chars(key) <= rules.maxKeyLength)) {
    reject(scope, `${where}.key`, key, 'is not valid', `use 1 to ${rules.maxKeyLength} letters, digits, spaces or _.:/=-@`);
  }
  if (kind === TargetKind.TAG && known(key) && !TAG_KEY.pattern.test(key.slice('tag:'.length))) {
    reject(scope, `${where}.key`, key, 'is not valid', `after tag:, ${TAG_KEY.allowed}`);
  }
  if (Token.isUnresolved(values)) {
    return;
  }
  const quota = rules.perTarget?.find((candidate) => candidate.kind === kind);
  const max = kind === TargetKind.RESOURCE_GROUP ? 1 : quota?.max ?? MAX_VALUES;
  if (values.length === 0 || values.length > max) {
    const note = kind === TargetKind.RESOURCE_GROUP ? 'a resource group target names one group' : quota?.note;
    rejectCount(scope, `${where} (${show(key)})`, values.length, 'values', `use ${span(1, max)}${note ? ` (${note})` : ''}`);
  }
  if (kind === TargetKind.INSTANCE_IDS) {
    for (const id of values) {
      if (known(id) && !INSTANCE_ID.test(id)) {
        reject(scope, `${where}.values`, id, 'is not an instance ID', 'use i- and 8 or 17 characters, or mi- and 17 characters'
          + (id === '*' ? ' (Target.allManagedNodes() selects every node)' : ''));
      }
    }
  }
}

/** `a, b or c`. */
function inWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
