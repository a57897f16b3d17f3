import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Stricter, countsAround, textAround } from './harness';
import { Rule, apiRule, cfnRule, compile, problemsOf } from './rules';
import { Schemas } from './schemas';
import { Maybe, TokenValue, anyListToken, anyStringToken, isToken, made } from './values';
import { Target } from '../../src';

// Targets as the property-based tests generate them: which factory makes them, with what, and the key and values
// the API gets from them (the key forms of the API Reference's `Target`: InstanceIds, tag:<key>, tag-key,
// resource-groups:Name, resource-groups:ResourceTypeFilters).

/** A target, as a recipe of the factory that makes it. */
export type TargetSpec =
  | { readonly factory: 'instanceIds'; readonly values: readonly Maybe<string>[] }
  /** `Target.instanceIds(...param.valueAsList)`: a list token spread into the factory. */
  | { readonly factory: 'instanceIdsSpread'; readonly list: TokenValue<string[]> }
  | { readonly factory: 'tag'; readonly key: Maybe<string>; readonly values: readonly Maybe<string>[] }
  | { readonly factory: 'tagKey'; readonly values: readonly Maybe<string>[] }
  | { readonly factory: 'resourceGroup'; readonly name: Maybe<string> }
  | { readonly factory: 'resourceTypes'; readonly values: readonly string[] }
  | { readonly factory: 'allManagedNodes' }
  | { readonly factory: 'keyValues'; readonly key: Maybe<string>; readonly values: readonly Maybe<string>[] | TokenValue<string[]> };

/** The target a recipe stands for, in the stack. */
export function makeTarget(stack: Stack, spec: TargetSpec): Target {
  const all = (values: readonly Maybe<string>[]) => values.map((value) => made(stack, value));
  switch (spec.factory) {
    case 'instanceIds': return Target.instanceIds(...all(spec.values));
    case 'instanceIdsSpread': return Target.instanceIds(...spec.list.make(stack));
    case 'tag': return Target.tag(made(stack, spec.key), ...all(spec.values));
    case 'tagKey': return Target.tagKey(...all(spec.values));
    case 'resourceGroup': return Target.resourceGroup(made(stack, spec.name));
    case 'resourceTypes': return Target.resourceGroupResourceTypes(...spec.values);
    case 'allManagedNodes': return Target.allManagedNodes();
    case 'keyValues': return Target.fromKeyValues(made(stack, spec.key), spec.values instanceof TokenValue ? spec.values.make(stack) : all(spec.values));
  }
}

/** The key the API gets, or undefined when it is a token. */
export function keyOf(spec: TargetSpec): string | undefined {
  switch (spec.factory) {
    case 'instanceIds':
    case 'instanceIdsSpread':
    case 'allManagedNodes': return 'InstanceIds';
    case 'tag': return isToken(spec.key) ? undefined : `tag:${spec.key as string}`;
    case 'tagKey': return 'tag-key';
    case 'resourceGroup': return 'resource-groups:Name';
    case 'resourceTypes': return 'resource-groups:ResourceTypeFilters';
    case 'keyValues': return isToken(spec.key) ? undefined : spec.key as string;
  }
}

/** Which family of keys a target's key belongs to, even when the key is partly a token: `tag:` for any tag. */
export function familyOf(spec: TargetSpec): string | undefined {
  return spec.factory === 'tag' ? 'tag:' : keyOf(spec);
}

/** The values the API gets, with undefined for each token among them, or undefined when the list is a token. */
export function valuesOf(spec: TargetSpec): (string | undefined)[] | undefined {
  switch (spec.factory) {
    case 'instanceIdsSpread': return undefined;
    case 'allManagedNodes': return ['*'];
    case 'resourceGroup': return [isToken(spec.name) ? undefined : spec.name as string];
    case 'keyValues': return spec.values instanceof TokenValue ? undefined : spec.values.map((value) => isToken(value) ? undefined : value as string);
    default: return spec.values.map((value) => isToken(value) ? undefined : value as string);
  }
}

/** The rules of a targets list, its keys and its values, at one position of the schemas. */
export interface TargetRules {
  readonly list: Rule[];
  readonly key: Rule[];
  readonly values: Rule[];
}

/** Where targets go in the registry schema and the API model, by construct. */
export function targetRules(schemas: Schemas, construct: 'association' | 'command' | 'windowTarget' | 'task'): TargetRules {
  const places = {
    association: { cfn: 'AWS::SSM::Association', api: 'CreateAssociation' },
    command: { cfn: undefined, api: 'SendCommand' },
    windowTarget: { cfn: 'AWS::SSM::MaintenanceWindowTarget', api: 'RegisterTargetWithMaintenanceWindow' },
    task: { cfn: 'AWS::SSM::MaintenanceWindowTask', api: 'RegisterTaskWithMaintenanceWindow' },
  } as const;
  const { cfn, api } = places[construct];
  const both = (path: string) => [
    ...cfn ? [cfnRule(schemas, cfn, path)] : [],
    apiRule(schemas, `${api}.${path}`),
  ];
  return { list: both('Targets'), key: both('Targets[].Key'), values: both('Targets[].Values') };
}

/** What a list of targets breaks of the schemas. */
export function targetProblems(rules: TargetRules, specs: readonly TargetSpec[]): string[] {
  const found = problemsOf(rules.list.map((rule) => ({ ...rule, itemRule: undefined })), specs);
  for (const spec of specs) {
    const key = keyOf(spec);
    if (key !== undefined) {
      found.push(...problemsOf(rules.key, key));
    }
    const values = valuesOf(spec);
    if (values !== undefined) {
      found.push(...problemsOf(rules.values.map((rule) => ({ ...rule, itemRule: undefined })), values));
    }
  }
  return found;
}

const HEX = '0123456789abcdef';
/** Node IDs, mostly valid: `i-` and 8 or 17 characters, `mi-` and 17. */
export const nodeIds: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(fc.constantFrom('i-', 'mi-'), fc.constantFrom(8, 17), fc.array(fc.constantFrom(...HEX), { minLength: 17, maxLength: 17 }))
      .map(([prefix, length, digits]) => prefix + digits.slice(0, prefix === 'mi-' ? 17 : length).join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom('i-123', 'i-0123456789abcdef', 'mi-0123456789abcdef', '*', 'web-1', '') },
);

/** Short texts for tag values, group names and the like, in several scripts. */
const words = fc.constantFrom('web', 'prod', 'Web Servers', 'é-ß', '中文', 'a+b', 'x@y.z', '𝒜𝟘', '😀', 'with,comma', '');

/** What the generator may make, by factory. */
export type Factory = TargetSpec['factory'];

/** Lists of targets near the limits of the rules: counts of targets and of values, keys near their limits, tokens. */
export function targetsAround(rules: TargetRules, factories: readonly Factory[]): fc.Arbitrary<TargetSpec[]> {
  const valueCounts = countsAround(rules.values);
  const values = (item: fc.Arbitrary<Maybe<string>>) => fc.tuple(valueCounts, item, fc.array(item, { maxLength: 4 }))
    .map(([count, first, others]) => Array.from({ length: count }, (_, i) => i === 0 ? first : others[i % Math.max(others.length, 1)] ?? first));
  const maybeWord = fc.oneof({ weight: 9, arbitrary: words }, { weight: 1, arbitrary: anyStringToken });
  const maybeId = fc.oneof({ weight: 9, arbitrary: nodeIds }, { weight: 1, arbitrary: anyStringToken });
  const tagKeyTexts = textAround(rules.key, { prefix: 'tag:' }).map((key) => key.slice('tag:'.length));
  const keys = textAround(rules.key);
  const byFactory: Record<Factory, fc.Arbitrary<TargetSpec>> = {
    instanceIds: values(maybeId).map((ids) => ({ factory: 'instanceIds', values: ids })),
    instanceIdsSpread: anyListToken.map((list) => ({ factory: 'instanceIdsSpread', list })),
    tag: fc.tuple(fc.oneof({ weight: 9, arbitrary: tagKeyTexts }, { weight: 1, arbitrary: anyStringToken }), values(maybeWord))
      .map(([key, tagValues]) => ({ factory: 'tag', key, values: tagValues })),
    tagKey: values(maybeWord).map((tagKeyValues) => ({ factory: 'tagKey', values: tagKeyValues })),
    resourceGroup: maybeWord.map((name) => ({ factory: 'resourceGroup', name })),
    resourceTypes: values(fc.constantFrom('AWS::EC2::Instance', 'AWS::EC2::VPC')).map((types) => ({ factory: 'resourceTypes', values: types as string[] })),
    allManagedNodes: fc.constant({ factory: 'allManagedNodes' }),
    keyValues: fc.tuple(fc.oneof({ weight: 4, arbitrary: keys }, { weight: 4, arbitrary: fc.constantFrom('InstanceIds', 'resource-groups:Name', 'tag-key') },
      { weight: 1, arbitrary: anyStringToken }), fc.oneof({ weight: 9, arbitrary: values(maybeWord) }, { weight: 1, arbitrary: anyListToken }))
      .map(([key, keyValues]) => ({ factory: 'keyValues', key, values: keyValues })),
  };
  const target = fc.oneof(...factories.map((factory) => byFactory[factory]));
  return fc.tuple(countsAround(rules.list), fc.array(target, { minLength: 1, maxLength: 3 }))
    .map(([count, pool]) => Array.from({ length: count }, (_, i) => pool[i % pool.length]));
}

// Rules of the User Guide and the API Reference that the schemas don't hold, which the constructs follow.
const API_TARGET = 'SSM API Reference, Target (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)';

/** The values of the InstanceIds key are node IDs (the model's InstanceId shape), or `*` alone where allowed. */
export function nodeIdValues(schemas: Schemas, star: boolean): Stricter<TargetSpec[]> {
  const pattern = compile(schemas.shape('InstanceId').pattern!);
  return {
    source: `${API_TARGET}: Key=InstanceIds,Values=instance-id-1,instance-id-2${star ? ', and Values=* for all nodes' : ''}`,
    problems: (specs) => specs.filter((spec) => keyOf(spec) === 'InstanceIds').flatMap((spec) => {
      const values = valuesOf(spec) ?? [];
      if (star && values.length === 1 && values[0] === '*' && specs.length === 1) {
        return [];
      }
      return values.filter((value): value is string => value !== undefined && !pattern.test(value)).map((value) => `${JSON.stringify(value)} is not a node ID`);
    }),
  };
}

/** The kinds of keys a construct's API takes. */
export function acceptedKeys(keys: readonly (string | RegExp)[], source: string): Stricter<TargetSpec[]> {
  return {
    source,
    problems: (specs) => specs.map(keyOf).filter((key): key is string => key !== undefined
      && !keys.some((accepted) => typeof accepted === 'string' ? key === accepted : accepted.test(key))).map((key) => `key ${JSON.stringify(key)} is not taken here`),
  };
}


/** At most this many values for targets of some keys (such as 5 values of a tag). */
export function atMostValues(key: string | RegExp, most: number, source: string): Stricter<TargetSpec[]> {
  return {
    source,
    problems: (specs) => specs.filter((spec) => {
      const key_ = keyOf(spec);
      return key_ !== undefined && (typeof key === 'string' ? key_ === key : key.test(key_)) && (valuesOf(spec)?.length ?? 0) > most;
    }).map((spec) => `${keyOf(spec)} has more than ${most} values`),
  };
}

/** At least one target. */
export function atLeastOneTarget(source: string): Stricter<TargetSpec[]> {
  return { source, problems: (specs) => specs.length === 0 ? ['no target'] : [] };
}

/** The key of a tag:<key> target is a tag key: the API's TagKey shape (read from the model). */
export function tagKeys(schemas: Schemas): Stricter<TargetSpec[]> {
  const shape = schemas.shape('TagKey');
  const rule: Rule = { source: 'TagKey', minLength: shape.min, maxLength: shape.max, pattern: shape.pattern };
  return {
    source: 'SSM API Reference, Tag: a tag key (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Tag.html)',
    problems: (specs) => specs.map(keyOf).filter((key): key is string => key !== undefined && key.startsWith('tag:'))
      .flatMap((key) => problemsOf([rule], key.slice('tag:'.length)).map((problem) => `tag key ${JSON.stringify(key)}: ${problem}`)),
  };
}

/** At most this many values over all the targets of some keys together (such as five tag keys per window target). */
export function atMostInAll(key: RegExp, most: number, source: string): Stricter<TargetSpec[]> {
  return {
    source,
    problems: (specs) => {
      const ofKey = specs.filter((spec) => key.test(familyOf(spec) ?? ''));
      const counts = ofKey.map((spec) => valuesOf(spec)?.length);
      // A list token has any length: the total is unknown then.
      const total = counts.every((count) => count !== undefined) ? counts.reduce<number>((sum, count) => sum + count!, 0) : 0;
      return total > most ? [`${total} values of ${key.source} in all`] : [];
    },
  };
}
