import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { anchoredDocumentVersion, documentVersions } from './common';
import { Subject, checkSubject, countsAround, textAround, textSubject, warningsOf } from './harness';
import { Rule, apiRule, cfnRule, problemsOf } from './rules';
import { Schemas, describeWithSchemas } from './schemas';
import { Maybe, anyStringToken, isToken, made } from './values';
import { CommandDocument, CommandDocumentProps, CommandStep } from '../../src';

// CommandDocument (AWS::SSM::Document of type Command, created with the SSM API's CreateDocument) against the registry
// schema, the API model and cfn-lint's schema of a document's content. Rejections start with Stack/Subject.

const TYPE = 'AWS::SSM::Document';
const PATH = 'Stack/Subject';

function document(stack: Stack, props: Partial<CommandDocumentProps>) {
  new CommandDocument(stack, 'Subject', { steps: [CommandStep.runShellScript('hello', { commands: ['echo hello'] })], ...props });
}

/** The rules of a property in the registry schema and the same member of CreateDocument. */
function rulesOf(schemas: Schemas, property: string, apiMember = property): Rule[] {
  return [cfnRule(schemas, TYPE, property), apiRule(schemas, `CreateDocument.${apiMember}`)];
}

/**
 * The prefixes CreateDocument reserves for AWS, read from the API model's documentation of CreateDocument's Name
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html). The library refuses them
 * in any case (AWS's own names mix cases: AWSEC2, AWS-, Amazon).
 */
function reservedPrefixes(schemas: Schemas): string[] {
  const documentation = schemas.shape('CreateDocumentRequest').members!.Name as unknown as { documentation: string };
  return [...documentation.documentation.matchAll(/<code>([^<]+)<\/code>/g)].map((match) => match[1].trim());
}

describeWithSchemas('CommandDocument agrees with the registry schema, the SSM API model and the content schema', () => {
  checkSubject('CommandDocument.documentName', () => {
    const schemas = Schemas.load();
    const prefixes = reservedPrefixes(schemas);
    return textSubject({
      name: 'CommandDocument.documentName',
      rules: rulesOf(schemas, 'Name'),
      paths: [PATH],
      property: 'documentName',
      build: (stack, documentName) => document(stack, { documentName }),
      stricter: [{
        source: 'SSM API Reference, CreateDocument Name: prefixes reserved by AWS (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html)',
        problems: (name) => typeof name === 'string' && prefixes.some((prefix) => name.toLowerCase().startsWith(prefix.toLowerCase())) ? ['a reserved prefix'] : [],
      }],
      examples: fc.constantFrom(...prefixes.flatMap((prefix) => [`${prefix}-Doc`, `${prefix.toUpperCase()}Doc`, `My-${prefix}`])),
    });
  });

  checkSubject('CommandDocument.versionName', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'CommandDocument.versionName',
      rules: rulesOf(schemas, 'VersionName'),
      paths: [PATH],
      property: 'versionName',
      build: (stack, versionName) => document(stack, { versionName }),
    });
  });

  checkSubject('CommandDocument.targetType', () => {
    const schemas = Schemas.load();
    const rules = rulesOf(schemas, 'TargetType');
    return textSubject({
      name: 'CommandDocument.targetType',
      rules,
      paths: [PATH],
      property: 'targetType',
      build: (stack, targetType) => document(stack, { targetType }),
      // Half of them start with the '/' the pattern needs.
      examples: textAround(rules, { prefix: '/' }),
    });
  });

  checkSubject('CommandDocument.requires', () => {
    const schemas = Schemas.load();
    const list = rulesOf(schemas, 'Requires').map((rule) => ({ ...rule, itemRule: undefined }));
    const name = rulesOf(schemas, 'Requires[].Name');
    const version = rulesOf(schemas, 'Requires[].Version');
    const anchored = anchoredDocumentVersion(schemas);
    type Requirement = { readonly name: Maybe<string>; readonly version?: Maybe<string> };
    const subject: Subject<Requirement[]> = {
      name: 'CommandDocument.requires',
      paths: [PATH],
      property: 'requires',
      build: (stack, requires) => document(stack, {
        requires: requires.map((r) => ({ name: made(stack, r.name), version: r.version && made(stack, r.version) })),
      }),
      schema: (requires) => [
        ...problemsOf(list, requires),
        ...requires.flatMap((r) => [
          ...isToken(r.name) ? [] : problemsOf(name, r.name),
          ...r.version === undefined || isToken(r.version) ? [] : problemsOf(version, r.version),
        ]),
      ],
      stricter: [{
        source: anchored.source,
        problems: (requires) => requires.flatMap((r) => r.version === undefined ? [] : anchored.problems(r.version)),
      }],
    };
    const requirement = fc.record({
      name: fc.oneof({ weight: 8, arbitrary: textAround(name) }, { weight: 1, arbitrary: anyStringToken }),
      version: fc.option(fc.oneof(
        { weight: 4, arbitrary: textAround(version) }, { weight: 4, arbitrary: documentVersions }, { weight: 1, arbitrary: anyStringToken }),
      { nil: undefined }),
    });
    return { subject, values: fc.tuple(countsAround(list), requirement).map(([count, r]) => Array.from({ length: count }, () => r)), numRuns: 80 };
  });

  checkSubject('CommandDocument.tags', () => {
    const schemas = Schemas.load();
    const list = rulesOf(schemas, 'Tags').map((rule) => ({ ...rule, itemRule: undefined }));
    const key = rulesOf(schemas, 'Tags[].Key');
    const value = rulesOf(schemas, 'Tags[].Value');
    type Tag = readonly [Maybe<string>, Maybe<string>];
    const subject: Subject<Tag[]> = {
      name: 'CommandDocument.tags',
      paths: [PATH],
      property: /tags/,
      build: (stack, tags) => document(stack, { tags: Object.fromEntries(tags.map(([k, v]) => [made(stack, k), made(stack, v)])) }),
      schema: (tags) => [
        ...problemsOf(list, tags),
        ...tags.flatMap(([k, v]) => [...isToken(k) ? [] : problemsOf(key, k), ...isToken(v) ? [] : problemsOf(value, v)]),
      ],
    };
    const keys = fc.oneof({ weight: 8, arbitrary: textAround(key) }, { weight: 1, arbitrary: anyStringToken });
    const values = fc.oneof({ weight: 8, arbitrary: textAround(value) }, { weight: 1, arbitrary: anyStringToken });
    // Mostly one or two tags; sometimes as many as the list's limits, with distinct keys.
    const tags = fc.oneof(
      { weight: 8, arbitrary: fc.uniqueArray(fc.tuple(keys, values), { maxLength: 2, selector: ([k]) => String(k) }) },
      { weight: 1, arbitrary: countsAround(list).map((count) => Array.from({ length: count }, (_, i): Tag => [`key${i}`, 'value'])) },
    );
    return { subject, values: tags, numRuns: 80 };
  });

  checkSubject('CommandDocument.steps[].name', () => {
    const schemas = Schemas.load();
    // Neither the registry schema nor cfn-lint's content schema nor CreateDocument limits a step's name. The API
    // asks for a step by that name in GetCommandInvocation's PluginName, which needs a few characters: a shorter name
    // is valid, but its output can't be read step by step, which the library must say in a warning (finding 14).
    const pluginName = apiRule(schemas, 'GetCommandInvocation.PluginName');
    // Names are of the characters of the library's typed steps; their lengths go from none to far beyond the API's
    // minimum, since no schema bounds them.
    const stepNames = textAround([{ source: 'step names', pattern: '^[a-zA-Z0-9_.-]+$' }, pluginName], { limits: [100, 200] })
      .filter((stepName) => stepName !== '' && stepName !== 'second' && !/[^a-zA-Z0-9_.-]/.test(stepName));
    const subject: Subject<string> = {
      name: 'CommandDocument.steps[].name',
      paths: [PATH],
      property: /step|name/,
      build: (stack, stepName) => document(stack, {
        steps: [CommandStep.runShellScript(stepName, { commands: ['echo one'] }), CommandStep.runShellScript('second', { commands: ['echo two'] })],
      }),
      schema: () => [],
      afterAccepted: (stack, stepName) => problemsOf([pluginName], stepName).length
        && !warningsOf(stack).some((warning) => warning.includes(stepName))
        ? [`no warning that step ${JSON.stringify(stepName)} is too short for GetCommandInvocation's PluginName (${pluginName.source})`] : [],
    };
    return { subject, values: stepNames, numRuns: 40 };
  });

  checkSubject('CommandDocument.content.schemaVersion', () => {
    const schemas = Schemas.load();
    const versions = schemas.documentContent.properties!.schemaVersion.enum as string[];
    const subject: Subject<string> = {
      // The message names schemaVersion and the version it got.
      name: 'CommandDocument.content.schemaVersion',
      paths: [PATH],
      property: (line, schemaVersion) => line.includes('schemaVersion') && line.includes(schemaVersion),
      build: (stack, schemaVersion) => CommandDocument.fromContent(stack, 'Subject', contentOf(schemaVersion)),
      schema: (schemaVersion) => problemsOf([{ source: 'cfn-lint\'s SSM document content schema, schemaVersion', enum: versions }], schemaVersion),
      stricter: [{
        source: 'SSM User Guide, Schema features and examples: Command documents use schema 1.2, 2.0 or 2.2 (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-schemas-features.html)',
        problems: (schemaVersion) => ['0.3', '1.0'].includes(schemaVersion) ? ['not a schema version of Command documents'] : [],
      }, {
        // Finding 11 allows two answers: accept schema 1.2 and check it, or reject it with a message that names
        // schemaVersion 1.2 as unsupported. This encodes the second; if the library comes to accept 1.2, remove it.
        source: 'issue 12, finding 11: schema 1.2 (runtimeConfig) is not supported by the library, which must say so',
        problems: (schemaVersion) => schemaVersion === '1.2' ? ['schema 1.2'] : [],
      }],
    };
    return { subject, values: fc.constantFrom(...versions, '3.0', '2.1', '2', ''), numRuns: 20 };
  });
});

/** Content of a Command document of a schema version, in the form that version takes. */
function contentOf(schemaVersion: string): Record<string, unknown> {
  if (schemaVersion === '1.2') {
    return { schemaVersion, runtimeConfig: { 'aws:runShellScript': { properties: [{ id: '0.aws:runShellScript', runCommand: ['echo hello'] }] } } };
  }
  return { schemaVersion, mainSteps: [{ action: 'aws:runShellScript', name: 'hello', inputs: { runCommand: ['echo hello'] } }] };
}
