import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { KNOWN_DISAGREEMENTS, KnownDisagreement } from './known-disagreements';
import { Rule, apiViolations, cfnViolations, chars, compile, isIntrinsic, limitsOf, problemsOf } from './rules';
import { RESOURCE_TYPES, ResourceType, Schemas } from './schemas';
import { DurationValue, Maybe, TokenValue, anyNumberToken, anyStringToken, isToken, made, shown } from './values';

// The property-based harness: a subject is one property of one construct (or a rule between properties); the
// harness generates values for it, builds the construct with each value in a new stack, and compares the library's
// verdict with the verdict of the schemas:
//
// - the schemas accept the value, and the library's documented stricter rules (each named with its source) too:
//   the library must accept it, and what it writes must meet every schema;
// - otherwise the library must reject it with an Error whose message starts with the construct's path and names the
//   property.
//
// Values that KNOWN_DISAGREEMENTS covers are left out of the properties, and each of those entries has a test of its
// own that fails once the library agrees with the schemas on its example (then remove the entry).

/** The seed of every property; SCHEMA_TEST_SEED overrides it, and fast-check prints it with any failure. */
export const SEED = Number(process.env.SCHEMA_TEST_SEED ?? 20261122);
/** SCHEMA_TEST_RUNS multiplies every property's number of runs (for a longer search: SCHEMA_TEST_RUNS=20). */
const RUNS_FACTOR = Number(process.env.SCHEMA_TEST_RUNS ?? 1);
/** Time for one subject's property, far above what it needs on an idle machine. */
const SUBJECT_TIMEOUT_MS = 60_000;

/** A number of runs, scaled by SCHEMA_TEST_RUNS. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * RUNS_FACTOR));
}

// ---------------------------------------------------------------------------------------------------------------
// Generators of values near the limits a rule names.

/** The characters strings are made of: ASCII, letters, digits and spaces of other scripts, astral characters. */
export const UNIVERSE: readonly string[] = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  'é', 'ß', 'Ж', '中', '٣', '\u00a0', '\u2003', '\t', '\n',
  // Astral characters: one character each, two UTF-16 code units. A letter, a digit and an emoji.
  '𝒜', '𝟘', '😀',
];

/** How a text is generated. */
export interface TextOptions {
  /** Text every value starts with (counted in its length). */
  readonly prefix?: string;
  /** Text every value ends with (counted in its length). */
  readonly suffix?: string;
  /** Lengths to try besides the rules' limits. */
  readonly limits?: readonly number[];
  /** The characters to use instead of UNIVERSE. */
  readonly alphabet?: readonly string[];
}

/**
 * Texts whose lengths are at and around every limit the rules name (in characters), made of characters the rules'
 * patterns accept, sometimes with one character they don't.
 */
export function textAround(rules: readonly Rule[], options: TextOptions = {}): fc.Arbitrary<string> {
  const { prefix = '', suffix = '', alphabet = UNIVERSE } = options;
  const fixed = chars(prefix) + chars(suffix);
  const limits = [...new Set([...rules.flatMap(limitsOf), ...options.limits ?? []])];
  const lengths = [...new Set([0, 1, ...limits.flatMap((limit) => [limit - 1, limit, limit + 1])])]
    .map((length) => length - fixed).filter((length) => length >= 0).sort((a, b) => a - b);
  const longest = Math.max(...lengths, 4);
  const patterns = rules.map((rule) => rule.pattern).filter((pattern): pattern is string => pattern !== undefined).map(compile);
  const tries = [...new Set([1, 2, 3, ...lengths.filter((length) => length > 0)])];
  const accepted = (c: string) => patterns.every((pattern) => tries.some((n) => pattern.test(prefix + c.repeat(n) + suffix)));
  const good = alphabet.filter(accepted);
  const bad = alphabet.filter((c) => !accepted(c));
  const fill = good.length ? good : ['a'];
  return fc.record({
    length: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...lengths) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: longest + 2 }) }),
    cycle: fc.array(fc.constantFrom(...fill), { minLength: 1, maxLength: 3 }),
    wrong: bad.length ? fc.option(fc.record({ at: fc.nat(), char: fc.constantFrom(...bad) }), { freq: 3 }) : fc.constant(null),
  }).map(({ length, cycle, wrong }) => {
    const body = Array.from({ length }, (_, i) => cycle[i % cycle.length]);
    if (wrong && length > 0) {
      body[wrong.at % length] = wrong.char;
    }
    return prefix + body.join('') + suffix;
  });
}

/** Numbers at and around every limit the rules name, fractions and numbers outside 32 bits among them. */
export function numbersAround(rules: readonly Rule[], options: { readonly limits?: readonly number[] } = {}): fc.Arbitrary<number> {
  const limits = [...new Set([0, ...rules.flatMap(limitsOf), ...options.limits ?? []])];
  const near = [...new Set(limits.flatMap((limit) => [limit - 1, limit, limit + 1, limit + 0.5]))].sort((a, b) => a - b);
  const top = Math.max(...limits) + 2;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...near) },
    { weight: 2, arbitrary: fc.integer({ min: -2, max: top }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 1e21, Number.NaN) },
  );
}

/** How many of something, at and around the limits of a rule's item counts. */
export function countsAround(rules: readonly Rule[], options: { readonly limits?: readonly number[] } = {}): fc.Arbitrary<number> {
  const limits = [...new Set([0, 1, ...rules.flatMap((rule) => [rule.minItems, rule.maxItems]), ...options.limits ?? []])]
    .filter((limit): limit is number => limit !== undefined);
  return fc.constantFrom(...[...new Set(limits.flatMap((limit) => [limit - 1, limit, limit + 1]))].filter((n) => n >= 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Subjects and their verdicts.

/** A documented rule by which the library is deliberately stricter than the schemas. */
export interface Stricter<T> {
  /** The AWS documentation that states the rule. */
  readonly source: string;
  /** What the value breaks of the rule, in words; empty (or false) when it meets it. */
  readonly problems: (value: T) => string[] | boolean;
}

/** One property of one construct, or one rule between properties, as the harness tests it. */
export interface Subject<T> {
  /** `Construct.property`: the key of KNOWN_DISAGREEMENTS. */
  readonly name: string;
  /** Builds the construct with the value in a stack of its own. */
  readonly build: (stack: Stack, value: T) => void;
  /** The paths of the constructs that may reject the value (the first line of the message starts with one). */
  readonly paths: readonly string[];
  /** What a rejection must name: a text, a pattern, or a test of the message's first line and the value. */
  readonly property: string | RegExp | ((firstLine: string, value: T) => boolean);
  /** What the value breaks of the schemas and the API model; empty when they accept it (always, for tokens). */
  readonly schema: (value: T) => string[];
  /** The library's documented stricter rules. */
  readonly stricter?: readonly Stricter<T>[];
  /**
   * What a value that is or holds a token can't be, though it is a token (such as a Duration token in a unit the
   * template can't take); tokens are otherwise never rejected.
   */
  readonly tokenProblems?: (value: T) => string[];
  /** Checks of an accepted value besides the rendered template's, such as a warning the library must give. */
  readonly afterAccepted?: (stack: Stack, value: T) => string[];
}

/** The library's verdict on a value, and what the schemas say of it. */
export interface Judgement {
  /** What the schemas and the stricter rules find wrong with the value (empty: it must be accepted). */
  readonly expected: string[];
  /** The error the library threw, if any. */
  readonly error?: unknown;
  /** Why the library disagrees with the schemas, or undefined when it agrees. */
  readonly disagreement?: string;
}

/** Builds the subject with the value and compares the library's verdict with the schemas'. */
export function judge<T>(subject: Subject<T>, value: T): Judgement {
  const stricter = (subject.stricter ?? []).flatMap((rule) => {
    const found = rule.problems(value);
    return (found === true ? ['breaks the rule'] : found === false ? [] : found).map((problem) => `${problem} (${rule.source})`);
  });
  // A value that is a token as a whole is never rejected (but for what tokenProblems says); a composite value that
  // holds tokens in some parts is judged by the subject, part by part.
  const whollyToken = value instanceof TokenValue || (value instanceof DurationValue && value.amount instanceof TokenValue);
  const tokenProblems = subject.tokenProblems?.(value) ?? [];
  const expected = [...new Set(whollyToken ? tokenProblems : [...subject.schema(value), ...stricter, ...tokenProblems])];
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  let error: unknown;
  let violations: string[] = [];
  try {
    subject.build(stack, value);
    violations = renderedViolations(stack);
  } catch (thrown) {
    error = thrown;
  }
  const what = `${subject.name} = ${shown(value)}`;
  if (error === undefined) {
    if (expected.length) {
      return { expected, disagreement: `${what}: the library accepts it; the schemas reject it: ${expected.join('; ')}` };
    }
    const after = [...violations, ...subject.afterAccepted?.(stack, value) ?? []];
    return after.length ? { expected, disagreement: `${what}: the library accepts it but writes: ${after.join('; ')}` } : { expected };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!expected.length) {
    return { expected, error, disagreement: `${what}: the schemas accept it; the library rejects it: ${message}` };
  }
  const firstLine = message.split('\n')[0];
  const scoped = error instanceof Error && subject.paths.some((path) => firstLine.startsWith(`${path}: `));
  const named = typeof subject.property === 'string' ? firstLine.includes(subject.property)
    : subject.property instanceof RegExp ? subject.property.test(firstLine) : subject.property(firstLine, value);
  if (!scoped || !named) {
    return {
      expected,
      error,
      disagreement: `${what}: rejected, but the message ${!scoped ? `does not start with the construct path (${subject.paths.join(' or ')})` : ''}`
        + `${!scoped && !named ? ' and ' : ''}${!named ? `does not name ${typeof subject.property === 'function' ? 'the property' : String(subject.property)}` : ''}`
        + `: ${error instanceof Error ? error.constructor.name : typeof error}: ${firstLine}`,
    };
  }
  return { expected, error };
}

/**
 * SCHEMA_TEST_SURVEY=1 runs each property without stopping at the first disagreement and without shrinking, and
 * prints every disagreement found, grouped by its message with the values' text taken out: a survey, for updating
 * KNOWN_DISAGREEMENTS. The tests pass in this mode.
 */
const SURVEY = process.env.SCHEMA_TEST_SURVEY === '1';

function survey<T>(subject: Subject<T>, values: fc.Arbitrary<T>, numRuns: number, known: readonly KnownDisagreement[]) {
  const groups = new Map<string, { count: number; smallest: string }>();
  for (const value of fc.sample(values, { seed: SEED, numRuns })) {
    if (known.some((entry) => entry.covers(value))) {
      continue;
    }
    const { disagreement } = judge(subject, value);
    if (disagreement) {
      const key = disagreement.replace(/^[^:]*= .*?: (the|rejected)/, '$1').replace(/'[^']*'|"[^"]*"|\d+/g, '…').slice(0, 200);
      const group = groups.get(key) ?? { count: 0, smallest: disagreement };
      group.count++;
      if (disagreement.length < group.smallest.length) {
        group.smallest = disagreement;
      }
      groups.set(key, group);
    }
  }
  if (groups.size) {
    // eslint-disable-next-line no-console
    console.log([...groups.values()].map(({ count, smallest }) => `${count} × ${smallest}`).join('\n\n'));
  }
}

/** A subject, the values to try, and how many. */
export interface SubjectSpec<T> {
  readonly subject: Subject<T>;
  readonly values: fc.Arbitrary<T>;
  readonly numRuns: number;
}

/** The entries of KNOWN_DISAGREEMENTS about a subject. */
export function knownFor(name: string): KnownDisagreement[] {
  return KNOWN_DISAGREEMENTS.filter((entry) => entry.subject === name);
}

/**
 * Registers the tests of a subject: the property over generated values, and one test per known disagreement that
 * fails once the disagreement is gone. The subject is made inside the tests, so that a missing .venv skips them.
 */
export function checkSubject<T>(name: string, make: () => SubjectSpec<T>) {
  const known = knownFor(name);
  test(`${name} agrees with the schemas`, () => {
    const { subject, values, numRuns } = make();
    expect(subject.name).toEqual(name);
    if (SURVEY) {
      survey(subject, values, runs(numRuns), known);
      return;
    }
    fc.assert(fc.property(values, (value) => {
      if (known.some((entry) => entry.covers(value))) {
        return;
      }
      const { disagreement } = judge(subject, value);
      if (disagreement) {
        throw new Error(disagreement);
      }
    }), { seed: SEED, numRuns: runs(numRuns) });
  }, SUBJECT_TIMEOUT_MS);
  for (const entry of known) {
    test(`${name} still disagrees (finding ${entry.finding}): ${entry.summary}`, () => {
      const { subject } = make();
      const example = entry.example();
      expect(entry.covers(example)).toBe(true);
      const { disagreement } = judge(subject, example);
      if (!disagreement) {
        throw new Error(`the library now agrees with the schemas on ${shown(example)}: remove this entry from KNOWN_DISAGREEMENTS`);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The rendered template, checked against every schema.

const API_INPUTS: Record<ResourceType, string> = {
  'AWS::SSM::Association': 'CreateAssociation',
  'AWS::SSM::Document': 'CreateDocument',
  'AWS::SSM::MaintenanceWindow': 'CreateMaintenanceWindow',
  'AWS::SSM::MaintenanceWindowTarget': 'RegisterTargetWithMaintenanceWindow',
  'AWS::SSM::MaintenanceWindowTask': 'RegisterTaskWithMaintenanceWindow',
};
// CloudFormation names the blocks of TaskInvocationParameters differently from the API.
const INVOCATION_BLOCKS: Record<string, string> = {
  MaintenanceWindowRunCommandParameters: 'RunCommand',
  MaintenanceWindowAutomationParameters: 'Automation',
  MaintenanceWindowLambdaParameters: 'Lambda',
  MaintenanceWindowStepFunctionsParameters: 'StepFunctions',
};

/** What the SSM resources of a stack, as the template gives them, break of the registry schemas and the API model. */
export function renderedViolations(stack: Stack): string[] {
  const schemas = Schemas.load();
  const found: string[] = [];
  for (const resource of stack.node.findAll().filter((c: IConstruct): c is CfnResource => CfnResource.isCfnResource(c))) {
    const rendered = stack.resolve(resource._toCloudFormation()) as { Resources: Record<string, { Properties?: any }> };
    const properties = Object.values(rendered.Resources)[0]?.Properties ?? {};
    const type = resource.cfnResourceType;
    if ((RESOURCE_TYPES as readonly string[]).includes(type)) {
      const typeName = type as ResourceType;
      found.push(...cfnViolations(schemas, typeName, properties));
      const input = { ...properties };
      if (typeName === 'AWS::SSM::Document') {
        // The API takes the content as text; CloudFormation names a document that has no Name.
        input.Content = typeof input.Content === 'string' || isIntrinsic(input.Content) ? input.Content : JSON.stringify(input.Content);
        input.Name ??= 'NamedByCloudFormation';
      }
      if (input.TaskInvocationParameters) {
        input.TaskInvocationParameters = Object.fromEntries(Object.entries(input.TaskInvocationParameters)
          .map(([block, value]) => [INVOCATION_BLOCKS[block] ?? block, value]));
      }
      found.push(...apiViolations(schemas, schemas.api.operations[API_INPUTS[typeName]].input!.shape, input, API_INPUTS[typeName]));
    } else if (type === 'Custom::SsmRunCommand') {
      for (const key of ['Command', 'OnDelete']) {
        if (properties[key]) {
          found.push(...apiViolations(schemas, schemas.api.operations.SendCommand.input!.shape, properties[key], `SendCommand (${key})`));
        }
      }
    } else if (type === 'Custom::SsmAssociationAlarm' || type === 'Custom::SsmMaintenanceWindowTaskAlarm') {
      found.push(...apiViolations(schemas, 'AlarmConfiguration', properties.AlarmConfiguration, 'AlarmConfiguration'));
    }
  }
  return found;
}

/** The warnings the library attached to the constructs of a stack. */
export function warningsOf(stack: Stack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata).filter((entry) => entry.type === 'aws:cdk:warning').map((entry) => String(entry.data));
}

// ---------------------------------------------------------------------------------------------------------------
// Subjects of one scalar property: a text, a number or a Duration.

/** What every scalar subject needs. */
interface ScalarOptions<T> {
  readonly name: string;
  /** The rules of the schemas at the property's position. */
  readonly rules: readonly Rule[];
  readonly paths: readonly string[];
  readonly property: string | RegExp;
  /** Builds the construct with the value (tokens already made). */
  readonly build: (stack: Stack, value: T) => void;
  readonly stricter?: readonly Stricter<Maybe<T>>[];
  /** More values to mix in, such as examples of a format. */
  readonly examples?: fc.Arbitrary<T>;
  readonly numRuns?: number;
}

/** A text property: texts around the rules' limits, examples, and string tokens. */
export function textSubject(options: ScalarOptions<string> & { readonly text?: TextOptions }) {
  const values: fc.Arbitrary<Maybe<string>> = fc.oneof(
    { weight: 8, arbitrary: textAround(options.rules, options.text) },
    ...options.examples ? [{ weight: 3, arbitrary: options.examples }] : [],
    { weight: 1, arbitrary: anyStringToken },
  );
  return scalar(options, values);
}

/** A number property: numbers around the rules' limits, fractions, numbers beyond 32 bits, and number tokens. */
export function numberSubject(options: ScalarOptions<number> & { readonly limits?: readonly number[] }) {
  const values: fc.Arbitrary<Maybe<number>> = fc.oneof(
    { weight: 8, arbitrary: numbersAround(options.rules, { limits: options.limits }) },
    ...options.examples ? [{ weight: 3, arbitrary: options.examples }] : [],
    { weight: 1, arbitrary: anyNumberToken },
  );
  return scalar(options, values);
}

function scalar<T>(options: ScalarOptions<T>, values: fc.Arbitrary<Maybe<T>>) {
  const subject: Subject<Maybe<T>> = {
    name: options.name,
    paths: options.paths,
    property: options.property,
    build: (stack, value) => options.build(stack, made(stack, value)),
    schema: (value) => problemsOf(options.rules, value),
    stricter: options.stricter,
  };
  return { subject, values, numRuns: options.numRuns ?? 60 };
}

/**
 * A Duration property written to the template in whole `unit`s: durations in every unit near the rules' limits
 * (given in `unit`s), fractions among them, and tokens. A token can only be written in the unit the template takes
 * (CloudFormation has no arithmetic), so a token Duration in another unit must be rejected, by a message that names
 * the construct and the property.
 */
export function durationSubject(options: Omit<ScalarOptions<Duration>, 'examples'> & { readonly unit: 'seconds' | 'hours' }) {
  const perUnit = options.unit === 'hours' ? 3600 : 1;
  const limits = [...new Set([0, ...options.rules.flatMap(limitsOf)])];
  const amountsInUnit = [...new Set(limits.flatMap((limit) => [limit - 1, limit, limit + 1, limit + 0.5]))].filter((n) => n >= 0);
  const literal = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...amountsInUnit).map((n) => new DurationValue(n * perUnit, 'seconds')) },
    { weight: 2, arbitrary: fc.constantFrom(...amountsInUnit).map((n) => new DurationValue(n * perUnit / 60, 'minutes')) },
    { weight: 2, arbitrary: fc.constantFrom(...amountsInUnit).map((n) => new DurationValue(n * perUnit / 3600, 'hours')) },
    { weight: 1, arbitrary: fc.constantFrom(...amountsInUnit).map((n) => new DurationValue(n * perUnit * 1000 + 1, 'millis')) },
  );
  const token = fc.tuple(anyNumberToken, fc.constantFrom<DurationValue['unit']>('seconds', 'minutes', 'hours', 'days'))
    .map(([amount, unit]) => new DurationValue(amount, unit));
  const inUnits = (value: DurationValue) => value.seconds / perUnit;
  const subject: Subject<DurationValue> = {
    name: options.name,
    paths: options.paths,
    property: options.property,
    build: (stack, value) => options.build(stack, value.make(stack)),
    schema: (value) => isToken(value) ? [] : problemsOf(options.rules, inUnits(value)),
    tokenProblems: (value) => isToken(value) && value.unit !== options.unit ? [`a token in ${value.unit} can't be written as ${options.unit} in a template`] : [],
    stricter: options.stricter as readonly Stricter<DurationValue>[] | undefined,
  };
  return { subject, values: fc.oneof({ weight: 5, arbitrary: literal }, { weight: 2, arbitrary: token }), numRuns: options.numRuns ?? 60 };
}
