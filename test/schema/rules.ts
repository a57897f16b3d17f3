import { ApiShape, JsonSchema, ResourceType, Schemas } from './schemas';

// The constraints of one position of the CloudFormation schema or the SSM API model, and the checks that decide
// whether a value meets them, the way the schemas mean them:
// - lengths count characters (Unicode code points), as JSON Schema's minLength/maxLength and Smithy's length do, not
//   UTF-16 code units;
// - patterns match anywhere in the value unless they are anchored (JSON Schema's `pattern`, cfn-lint's and the
//   SDKs' regular expressions all search), and they are compiled with the `u` flag, which `\p{L}` needs (a pattern
//   that the `u` flag refuses, such as `\:` outside a class, has no such escapes and is compiled without it);
// - an API `integer` is a 32-bit signed integer (Smithy's integer type), whatever its min and max.

/** The constraints at one position, and where they come from. */
export interface Rule {
  /** Where the rule comes from, such as `registry AWS::SSM::Association ScheduleExpression`. */
  readonly source: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly integer?: boolean;
  readonly int32?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Patterns a map's keys must match, one of them each (`patternProperties` with `additionalProperties: false`). */
  readonly keyPatterns?: readonly string[];
  /** Rules of a map's keys (the API's map key shape). */
  readonly keyRule?: Rule;
  /** Rules of each item of a list, or each value of a map. */
  readonly itemRule?: Rule;
}

const compiled = new Map<string, RegExp>();

/** A schema pattern as JavaScript runs it: with the `u` flag when the pattern allows it. */
export function compile(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = new RegExp(pattern);
    }
    compiled.set(pattern, regex);
  }
  return regex;
}

/** The length of a text in characters (code points), as the schemas count it. */
export function chars(text: string): number {
  return [...text].length;
}

/** The rules of a resource schema's property, by the dotted path of `Schemas.property`. */
export function cfnRule(schemas: Schemas, typeName: ResourceType, dotted: string): Rule {
  return ruleOfNode(schemas, typeName, schemas.property(typeName, dotted), `registry schema (cfn-lint ${schemas.files.cfnLintVersion}) ${typeName} ${dotted}`);
}

function ruleOfNode(schemas: Schemas, typeName: ResourceType, node: JsonSchema, source: string): Rule {
  const items = node.items ? schemas.deref(typeName, node.items) : undefined;
  const integer = node.type === 'integer' || (Array.isArray(node.type) && node.type.includes('integer'));
  return {
    source,
    minLength: node.minLength,
    maxLength: node.maxLength,
    pattern: node.pattern,
    enum: node.enum,
    integer: integer || undefined,
    minimum: node.minimum,
    maximum: node.maximum,
    minItems: node.minItems,
    maxItems: node.maxItems,
    keyPatterns: node.patternProperties && node.additionalProperties === false ? Object.keys(node.patternProperties) : undefined,
    itemRule: items ? ruleOfNode(schemas, typeName, items, `${source}[]`) : undefined,
  };
}

/** The rules of an API member, by the dotted path of `Schemas.member`: `CreateAssociation.Targets[].Key`. */
export function apiRule(schemas: Schemas, dotted: string): Rule {
  const { name, shape } = schemas.member(dotted);
  return ruleOfShape(schemas, shape, `SSM API model ${dotted} (${name})`);
}

function ruleOfShape(schemas: Schemas, shape: ApiShape, source: string): Rule {
  const isString = shape.type === 'string';
  const isNumber = shape.type === 'integer' || shape.type === 'long';
  const isList = shape.type === 'list' || shape.type === 'map';
  return {
    source,
    minLength: isString ? shape.min : undefined,
    maxLength: isString ? shape.max : undefined,
    pattern: shape.pattern,
    enum: shape.enum,
    integer: isNumber || undefined,
    int32: shape.type === 'integer' || undefined,
    minimum: isNumber ? shape.min : undefined,
    maximum: isNumber ? shape.max : undefined,
    minItems: isList ? shape.min : undefined,
    maxItems: isList ? shape.max : undefined,
    keyRule: shape.type === 'map' && shape.key ? ruleOfShape(schemas, schemas.shape(shape.key.shape), `${source}{key}`) : undefined,
    itemRule: shape.type === 'list' && shape.member ? ruleOfShape(schemas, schemas.shape(shape.member.shape), `${source}[]`)
      : shape.type === 'map' && shape.value ? ruleOfShape(schemas, schemas.shape(shape.value.shape), `${source}{}`) : undefined,
  };
}

/** Every number a rule names as a limit, including the counts in its pattern's quantifiers (`{3,128}`). */
export function limitsOf(rule: Rule): number[] {
  const limits = [rule.minLength, rule.maxLength, rule.minimum, rule.maximum, rule.minItems, rule.maxItems]
    .filter((limit): limit is number => limit !== undefined);
  for (const match of (rule.pattern ?? '').matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    limits.push(Number(match[1]));
    if (match[2]) {
      limits.push(Number(match[2]));
    }
  }
  return [...new Set(limits)].sort((a, b) => a - b);
}

/** What a value breaks of a rule, in words; empty when the rule accepts the value. */
export function problems(rule: Rule, value: unknown): string[] {
  const found: string[] = [];
  const say = (what: string) => found.push(`${what} (${rule.source})`);
  if (rule.enum && !rule.enum.includes(value)) {
    say(`${JSON.stringify(value)} is not one of ${JSON.stringify(rule.enum)}`);
  }
  if (typeof value === 'string') {
    const length = chars(value);
    if (rule.minLength !== undefined && length < rule.minLength) {
      say(`${length} characters, fewer than ${rule.minLength}`);
    }
    if (rule.maxLength !== undefined && length > rule.maxLength) {
      say(`${length} characters, more than ${rule.maxLength}`);
    }
    if (rule.pattern !== undefined && !compile(rule.pattern).test(value)) {
      say(`does not match ${rule.pattern}`);
    }
  }
  if (typeof value === 'number') {
    if ((rule.integer || rule.int32) && !Number.isInteger(value)) {
      say(`${value} is not an integer`);
    }
    if (rule.int32 && Number.isInteger(value) && (value < -(2 ** 31) || value >= 2 ** 31)) {
      say(`${value} is not a 32-bit integer`);
    }
    if (rule.minimum !== undefined && !(value >= rule.minimum)) {
      say(`${value} is less than ${rule.minimum}`);
    }
    if (rule.maximum !== undefined && !(value <= rule.maximum)) {
      say(`${value} is more than ${rule.maximum}`);
    }
  }
  const entries = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (entries) {
    if (rule.minItems !== undefined && entries.length < rule.minItems) {
      say(`${entries.length} items, fewer than ${rule.minItems}`);
    }
    if (rule.maxItems !== undefined && entries.length > rule.maxItems) {
      say(`${entries.length} items, more than ${rule.maxItems}`);
    }
    if (rule.itemRule) {
      entries.forEach((entry) => found.push(...problems(rule.itemRule!, entry)));
    }
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (rule.keyPatterns && !rule.keyPatterns.some((pattern) => compile(pattern).test(key))) {
        say(`key ${JSON.stringify(key)} matches none of ${rule.keyPatterns.join(', ')}`);
      }
      if (rule.keyRule) {
        found.push(...problems(rule.keyRule, key));
      }
    }
  }
  return found;
}

/** What a value breaks of several rules. */
export function problemsOf(rules: readonly Rule[], value: unknown): string[] {
  return rules.flatMap((rule) => problems(rule, value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A CloudFormation intrinsic function or reference, which the schemas can't judge at synth time. */
export function isIntrinsic(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 1 && /^(Ref|Fn::.+)$/.test(Object.keys(value)[0]);
}

/**
 * What a resource's rendered properties break of its registry schema, walking the whole schema: every property,
 * item and map value, `required` and `additionalProperties: false`. Intrinsics are skipped.
 */
export function cfnViolations(schemas: Schemas, typeName: ResourceType, properties: unknown): string[] {
  const found: string[] = [];
  const visit = (node: JsonSchema, value: unknown, where: string) => {
    node = schemas.deref(typeName, node);
    if (value === undefined || isIntrinsic(value)) {
      return;
    }
    const rule = ruleOfNode(schemas, typeName, { ...node, items: undefined }, `registry schema ${typeName} ${where}`);
    found.push(...problems(rule, value));
    if (Array.isArray(value) && node.items) {
      value.forEach((item, index) => visit(node.items!, item, `${where}[${index}]`));
    }
    if (isPlainObject(value) && (node.properties || node.patternProperties)) {
      for (const name of node.required ?? []) {
        if (value[name] === undefined) {
          found.push(`${where}.${name} is required (registry schema ${typeName})`);
        }
      }
      for (const [key, item] of Object.entries(value)) {
        const child = node.properties?.[key]
          ?? Object.entries(node.patternProperties ?? {}).find(([pattern]) => compile(pattern).test(key))?.[1];
        if (child) {
          visit(child, item, `${where}.${key}`);
        } else if (node.additionalProperties === false) {
          found.push(`${where}.${key} is not a property (registry schema ${typeName})`);
        }
      }
    }
  };
  visit(schemas.resources[typeName], properties, typeName.split('::')[2]);
  return found;
}

/**
 * What a value breaks of an API shape, walking structures, lists and maps. Scalars given as strings (as custom
 * resources carry them) are read as numbers or Booleans where the shape says so. Members the shape does not have are
 * left alone (CloudFormation names some of them differently), and so are intrinsics.
 */
export function apiViolations(schemas: Schemas, shapeName: string, value: unknown, where = shapeName): string[] {
  const shape = schemas.shape(shapeName);
  if (value === undefined || value === null || isIntrinsic(value)) {
    return [];
  }
  const rule = ruleOfShape(schemas, shape, `SSM API model ${where} (${shapeName})`);
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) {
        return [`${where} is not a structure (SSM API model ${shapeName})`];
      }
      const found = (shape.required ?? []).filter((name) => value[name] === undefined)
        .map((name) => `${where}.${name} is required (SSM API model ${shapeName})`);
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        found.push(...apiViolations(schemas, member.shape, value[name], `${where}.${name}`));
      }
      return found;
    }
    case 'list': {
      const found = problems({ ...rule, itemRule: undefined }, value);
      if (Array.isArray(value)) {
        value.forEach((item, index) => found.push(...apiViolations(schemas, shape.member!.shape, item, `${where}[${index}]`)));
      }
      return found;
    }
    case 'map': {
      const found = problems({ ...rule, itemRule: undefined, keyRule: undefined }, value);
      if (isPlainObject(value)) {
        for (const [key, item] of Object.entries(value)) {
          found.push(...apiViolations(schemas, shape.key!.shape, key, `${where}{key}`));
          found.push(...apiViolations(schemas, shape.value!.shape, item, `${where}.${key}`));
        }
      }
      return found;
    }
    case 'integer':
    case 'long':
      return problems(rule, typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
    case 'string':
      return typeof value === 'string' ? problems(rule, value) : [`${where} is not a string (SSM API model ${shapeName})`];
    default:
      return [];
  }
}
