import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fc from 'fast-check';
import { Stricter, Subject, countsAround, numbersAround, textAround } from './harness';
import { Rule, apiRule, compile, limitsOf, problemsOf } from './rules';
import { Schemas } from './schemas';
import { Maybe, anyListToken, anyNumberToken, anyStringToken, isToken, made } from './values';
import { Concurrency, Document, ErrorThreshold, IDocument } from '../../src';

// Subjects and rules that several constructs share: document versions, rate controls, document references and alarm
// configurations.

export const API_DOCUMENT_VERSION = 'SSM API Reference, SendCommand DocumentVersion: "You can specify $DEFAULT, $LATEST, or a specific version number" (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html)';

/**
 * The schemas' DocumentVersion pattern leaves its first alternatives unanchored, so it matches `x$LATESTx`; the API
 * Reference says the value is one of the three, and the library takes only those (the pattern, anchored as a whole).
 */
export function anchoredDocumentVersion(schemas: Schemas) {
  const pattern = schemas.shape('DocumentVersion').pattern!;
  const anchored = compile(`^(?:${pattern})$`);
  return { source: API_DOCUMENT_VERSION, problems: (value: Maybe<string>) => typeof value === 'string' && !anchored.test(value) ? ['not $DEFAULT, $LATEST or a version number'] : [] };
}

/** Examples of document versions: the three forms, and the same with something around them. */
export const documentVersions = fc.constantFrom('$LATEST', '$DEFAULT', '1', '42', '0', '01', 'x$LATESTx', '$DEFAULTS', ' 1', '1.0', '$latest');

export const STATE_MANAGER_TARGETS = 'SSM User Guide, Understanding targets and rate controls in State Manager associations: one resource group per association (https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-state-manager-targets-and-rate-controls.html)';

/** A rate control: a count or a percentage, of a literal amount or a token, rendered as the API's string. */
export interface RateControl {
  readonly percentage: boolean;
  readonly amount: Maybe<number>;
}

/** MaxConcurrency or MaxErrors: amounts near the limits that the rules' lengths and patterns give, of both kinds. */
export function rateControlSubject(options: {
  readonly name: string;
  readonly rules: readonly Rule[];
  readonly path: string;
  readonly property: string;
  readonly kind: typeof Concurrency | typeof ErrorThreshold;
  readonly build: (stack: Stack, value: Concurrency | ErrorThreshold) => void;
}) {
  const { name, rules, path, property, kind, build } = options;
  // The longest count the rules allow, from their length (a count of that many digits), and a percentage's 100.
  const digits = Math.min(...rules.map((rule) => rule.maxLength ?? 20));
  const amounts = fc.oneof(
    { weight: 6, arbitrary: numbersAround(rules, { limits: [100, 10 ** digits - 1, 10 ** digits] }) },
    { weight: 1, arbitrary: anyNumberToken },
  );
  const subject: Subject<RateControl> = {
    name,
    paths: [path],
    property,
    build: (stack, { percentage, amount }) => build(stack, percentage ? kind.percentage(made(stack, amount)) : kind.count(made(stack, amount))),
    schema: ({ percentage, amount }) => isToken(amount) ? [] : problemsOf(rules, `${amount}${percentage ? '%' : ''}`),
  };
  return { subject, values: fc.record({ percentage: fc.boolean(), amount: amounts }), numRuns: 80 };
}

/** How a document is referred to: by name in this account, or by the ARN of a document of another account. */
export interface DocumentRef {
  readonly owner: 'self' | 'shared';
  readonly name: string;
}

export const sharedArn = (documentName: string) => `arn:aws:ssm:us-east-1:222222222222:document/${documentName}`;

/**
 * A document given to a construct, named near the limits of the rules. The API refers to a document of another
 * account by its ARN (README, "Existing documents and AWS's documents"), so then the ARN is what must meet them.
 * Names are of the characters a document name takes, so that the length is what is tested.
 */
export function documentReferenceSubject(options: {
  readonly name: string;
  readonly rules: readonly Rule[];
  readonly path: string;
  readonly build: (stack: Stack, document: IDocument) => void;
  /** Rules of the API that the document reference meets later, such as SendCommand's when a window task runs it. */
  readonly later?: readonly Stricter<DocumentRef>[];
}) {
  const { name, rules, path, build } = options;
  const prefix = sharedArn('').length;
  const limits = rules.flatMap(limitsOf).flatMap((limit) => [limit, limit - prefix]).filter((limit) => limit > 0);
  const names = textAround([{ source: 'document name', pattern: '^[a-zA-Z0-9_.-]+$' }], { limits })
    .filter((documentName) => documentName.length >= 3 && !/^(aws|amazon|amzn)/i.test(documentName));
  const documentName = Schemas.load().shape('DocumentName');
  const subject: Subject<DocumentRef> = {
    // The import may reject a name or ARN that no API takes.
    name,
    paths: [path, 'Stack/Doc'],
    property: /document/i,
    build: (stack, { owner, name: docName }) => build(stack, owner === 'self'
      ? Document.fromDocumentName(stack, 'Doc', docName) : Document.fromDocumentArn(stack, 'Doc', sharedArn(docName))),
    schema: ({ owner, name: docName }) => problemsOf(rules, owner === 'self' ? docName : sharedArn(docName)),
    // A document's name, alone or at the end of its ARN, is a name CreateDocument takes (the model's DocumentName).
    stricter: [{
      source: 'SSM API Reference, CreateDocument Name (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html)',
      problems: ({ name: docName }) => problemsOf([{ source: 'DocumentName', pattern: documentName.pattern, minLength: documentName.min, maxLength: documentName.max }], docName),
    }, ...options.later ?? []],
  };
  return { subject, values: fc.record({ owner: fc.constantFrom<'self' | 'shared'>('self', 'shared'), name: names }), numRuns: 60 };
}

/** An alarm configuration, as the names of its alarms. */
export type AlarmSpec = readonly Maybe<string>[];

/** alarmConfiguration: how many alarms (the API's AlarmList), and their names near the limits of its AlarmName. */
export function alarmSubject(options: {
  readonly name: string;
  readonly path: string;
  readonly build: (stack: Stack, config: { alarms: cloudwatch.IAlarm[] }) => void;
}) {
  const schemas = Schemas.load();
  const list = apiRule(schemas, 'CreateAssociation.AlarmConfiguration.Alarms');
  const alarmName = apiRule(schemas, 'CreateAssociation.AlarmConfiguration.Alarms[].Name');
  const names = fc.oneof({ weight: 6, arbitrary: textAround([alarmName]) }, { weight: 2, arbitrary: fc.constantFrom(' ', '   ', '\t', '\n', 'a b', ' a') },
    { weight: 1, arbitrary: anyStringToken });
  const subject: Subject<AlarmSpec> = {
    name: options.name,
    paths: [options.path],
    property: /alarm/i,
    build: (stack, alarmNames) => options.build(stack, { alarms: alarmNames.map((alarm, i) => cloudwatch.Alarm.fromAlarmName(stack, `Alarm${i}`, made(stack, alarm))) }),
    schema: (alarmNames) => [
      ...problemsOf([{ ...list, itemRule: undefined }], alarmNames),
      ...alarmNames.filter((alarm) => !isToken(alarm)).flatMap((alarm) => problemsOf([alarmName], alarm)),
    ],
  };
  // Each alarm configuration brings a companion custom resource and the stack's provider: fewer runs.
  return { subject, values: fc.tuple(countsAround([list]), names).map(([count, alarm]) => Array.from({ length: count }, () => alarm)), numRuns: 30 };
}

/** Parameters as a list of entries (a name and its values), each of which may be a token. */
export type ParameterEntries = [Maybe<string>, Maybe<string[]>][];

/**
 * The parameters passed to a document, as lists of strings by name: names, counts of names, counts of values and
 * values near the limits of the rules of the map (patterns of its keys in the registry schema, or the API's map, key
 * and value shapes), with tokens among them. A token as a name can't be written in a template (CloudFormation's map
 * keys are literal), so it must be rejected, by a message that names parameters.
 */
export function parametersSubject(options: {
  readonly name: string;
  readonly path: string;
  readonly rules: readonly Rule[];
  readonly build: (stack: Stack, parameters: Record<string, string[]>) => void;
  /** The construct writes no parameters for an empty map. */
  readonly omitsEmpty?: boolean;
}) {
  const { name, path, rules, build, omitsEmpty } = options;
  const subject: Subject<ParameterEntries> = {
    name,
    paths: [path],
    property: 'parameters',
    build: (stack, entries) => build(stack, Object.fromEntries(entries.map(([key, values]) => [made(stack, key), made(stack, values)]))),
    schema: (entries) => {
      const known = entries.filter(([key]) => !isToken(key)).map(([key, values]) => [key as string, isToken(values) ? undefined : values] as const);
      const map = Object.fromEntries(known.map(([key, values]) => [key, values ?? []]));
      return [
        ...entries.filter(([key]) => isToken(key)).map(() => 'a parameter name that is a token (CloudFormation map keys are literal)'),
        // A list token has any length: only the names are judged then.
        ...omitsEmpty && entries.length === 0 ? [] : problemsOf(rules.map((rule) => ({ ...rule, itemRule: undefined })), map),
        ...known.flatMap(([, values]) => values === undefined ? []
          : rules.flatMap((rule) => rule.itemRule ? problemsOf([rule.itemRule], values) : [])),
      ];
    },
  };
  const keyRules: Rule[] = rules.flatMap((rule) => [
    ...rule.keyRule ? [rule.keyRule] : [],
    ...(rule.keyPatterns ?? []).map((pattern) => ({ source: rule.source, pattern })),
  ]);
  const listRules = rules.flatMap((rule) => rule.itemRule ? [{ ...rule.itemRule, itemRule: undefined }] : []);
  const valueRules = rules.flatMap((rule) => rule.itemRule?.itemRule ? [rule.itemRule.itemRule] : []);
  const key = fc.oneof({ weight: 8, arbitrary: textAround(keyRules, { limits: [1] }) }, { weight: 1, arbitrary: anyStringToken });
  const value = textAround(valueRules, { limits: [1] });
  const values = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(countsAround(listRules, { limits: [0, 1, 2] }), value).map(([count, v]) => Array.from({ length: count }, () => v)),
    },
    { weight: 1, arbitrary: anyListToken },
  );
  const entries = fc.uniqueArray(fc.tuple(key, values), { maxLength: 3, selector: ([k]) => String(k) });
  // Many names, near the limits of the map's count of names.
  const many = countsAround(rules.map((rule) => ({ ...rule, itemRule: undefined })))
    .map((count): ParameterEntries => Array.from({ length: count }, (_, i) => [`p${i}`, ['x']]));
  return { subject, values: fc.oneof({ weight: 6, arbitrary: entries }, { weight: 1, arbitrary: many }), numRuns: 60 };
}
