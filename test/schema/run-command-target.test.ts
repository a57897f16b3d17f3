import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { Subject, checkSubject, durationSubject, numberSubject } from './harness';
import { Rule, apiRule, problemsOf } from './rules';
import { JsonSchema, Schemas, describeWithSchemas } from './schemas';
import {
  TargetRules, TargetSpec, acceptedKeys, atMostValues, keyOf, makeTarget, nodeIdValues, tagKeys, targetProblems, targetsAround, valuesOf,
} from './targets';
import { Document, RunCommandTarget, RunCommandTargetProps, Target } from '../../src';

// RunCommandTarget (a target of AWS::Events::Rule) against the registry schema of AWS::Events::Rule, as cfn-lint ships
// it, and, since EventBridge sends the command with SendCommand, against the SSM API model's targets. Rejections start
// with Stack/Subject, the rule the target is added to.

const PATH = 'Stack/Subject';
const EVENTBRIDGE_TARGET = 'EventBridge API Reference, RunCommandTarget: the key is tag:<tag-key> or InstanceIds (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RunCommandTarget.html)';
const RUN_AT_SCALE = 'SSM User Guide, Run commands at scale: five values of a tag (https://docs.aws.amazon.com/systems-manager/latest/userguide/send-commands-multiple.html)';

interface EventsRuleSchema {
  readonly definitions: Record<string, JsonSchema>;
}

/** The registry schema of AWS::Events::Rule in cfn-lint's resources, found by its typeName. */
function eventsRuleSchema(schemas: Schemas): EventsRuleSchema {
  const dir = path.join(schemas.files.sitePackages, 'cfnlint', 'data', 'schemas', 'resources');
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (text.includes('"AWS::Events::Rule"')) {
      const schema = JSON.parse(text);
      if (schema.typeName === 'AWS::Events::Rule') {
        return schema;
      }
    }
  }
  throw new Error('no registry schema of AWS::Events::Rule in cfn-lint');
}

function ruleOf(node: any, source: string): Rule {
  return {
    source,
    minLength: node.minLength,
    maxLength: node.maxLength,
    pattern: node.pattern,
    integer: node.type === 'integer' || undefined,
    minimum: node.minimum,
    maximum: node.maximum,
    minItems: node.minItems,
    maxItems: node.maxItems,
    itemRule: node.items && !node.items.$ref ? ruleOf(node.items, `${source}[]`) : undefined,
  };
}

/** The rules of RunCommandParameters.RunCommandTargets, their keys and values, in the registry schema. */
function targetRules(schemas: Schemas): TargetRules & { readonly uniqueValues: boolean } {
  const { definitions } = eventsRuleSchema(schemas);
  const source = (at: string) => `registry schema (cfn-lint ${schemas.files.cfnLintVersion}) AWS::Events::Rule ${at}`;
  const list = (definitions.RunCommandParameters as any).properties.RunCommandTargets;
  const { Key: key, Values: values } = (definitions.RunCommandTarget as any).properties;
  return {
    list: [ruleOf(list, source('Targets[].RunCommandParameters.RunCommandTargets'))],
    key: [ruleOf(key, source('RunCommandTarget.Key'))],
    values: [ruleOf(values, source('RunCommandTarget.Values'))],
    uniqueValues: values.uniqueItems === true,
  };
}

function retryRule(schemas: Schemas, property: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds'): Rule {
  const { definitions } = eventsRuleSchema(schemas);
  return ruleOf((definitions.RetryPolicy as any).properties[property], `registry schema AWS::Events::Rule RetryPolicy.${property}`);
}

function addTarget(stack: Stack, props: Partial<RunCommandTargetProps>) {
  const rule = new events.Rule(stack, 'Subject', { schedule: events.Schedule.rate(Duration.days(1)) });
  rule.addTarget(new RunCommandTarget({
    document: Document.fromDocumentName(stack, 'Doc', 'My-Document'),
    targets: [Target.tag('Role', 'web')],
    ...props,
  }));
}

describeWithSchemas('RunCommandTarget agrees with the registry schema of AWS::Events::Rule', () => {
  checkSubject('RunCommandTarget.targets', () => {
    const schemas = Schemas.load();
    const rules = targetRules(schemas);
    const sendCommandKey = apiRule(schemas, 'SendCommand.Targets[].Key');
    const subject: Subject<TargetSpec[]> = {
      name: 'RunCommandTarget.targets',
      paths: [PATH],
      property: 'targets',
      build: (stack, specs) => addTarget(stack, { targets: specs.map((spec) => makeTarget(stack, spec)) }),
      schema: (specs) => [
        // targetProblems counts the values; EventBridge also bounds each value's length.
        ...targetProblems(rules, specs),
        ...specs.flatMap((spec) => (valuesOf(spec) ?? []).filter((value): value is string => value !== undefined)
          .flatMap((value) => problemsOf(rules.values.map((rule) => rule.itemRule!), value))),
        ...rules.uniqueValues ? specs.flatMap((spec) => {
          const values = (valuesOf(spec) ?? []).filter((value): value is string => value !== undefined);
          return new Set(values).size < values.length ? [`${keyOf(spec)} repeats a value (uniqueItems)`] : [];
        }) : [],
      ],
      stricter: [
        acceptedKeys(['InstanceIds', /^tag:/], EVENTBRIDGE_TARGET),
        nodeIdValues(schemas, false),
        tagKeys(schemas),
        atMostValues(/^tag:/, 5, RUN_AT_SCALE),
        {
          source: 'SSM API model SendCommand.Targets[].Key: EventBridge sends the command with SendCommand, whose target keys have no +',
          problems: (specs) => specs.map(keyOf).filter((key): key is string => key !== undefined).flatMap((key) => problemsOf([sendCommandKey], key)),
        },
      ],
      // What the rule's target writes: the keys and values as they were given, within the schema.
      afterAccepted: (stack) => {
        const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as any[];
        const written = rule.Properties.Targets[0].RunCommandParameters.RunCommandTargets as any[];
        return [
          ...problemsOf(rules.list.map((item) => ({ ...item, itemRule: undefined })), written),
          ...written.flatMap(({ Key, Values }) => [
            ...typeof Key === 'string' ? problemsOf(rules.key, Key) : [],
            // A value resolved from a token ({ Ref }) stands as a valid one.
            ...Array.isArray(Values) ? problemsOf(rules.values, Values.map((value) => (typeof value === 'string' ? value : 'x'))) : [],
          ]),
        ];
      },
    };
    return {
      subject,
      numRuns: 150,
      values: targetsAround(rules, ['instanceIds', 'instanceIdsSpread', 'tag', 'tagKey', 'resourceGroup', 'allManagedNodes', 'keyValues']),
    };
  });

  checkSubject('RunCommandTarget.retryAttempts', () => {
    const schemas = Schemas.load();
    return numberSubject({
      name: 'RunCommandTarget.retryAttempts',
      rules: [retryRule(schemas, 'MaximumRetryAttempts')],
      paths: [PATH],
      property: 'retryAttempts',
      build: (stack, retryAttempts) => addTarget(stack, { retryAttempts }),
    });
  });

  checkSubject('RunCommandTarget.maxEventAge', () => {
    const schemas = Schemas.load();
    return durationSubject({
      name: 'RunCommandTarget.maxEventAge',
      rules: [retryRule(schemas, 'MaximumEventAgeInSeconds')],
      unit: 'seconds',
      paths: [PATH],
      property: 'maxEventAge',
      build: (stack, maxEventAge) => addTarget(stack, { maxEventAge }),
    });
  });

  test('the rules read from the schema are the documented ones', () => {
    const schemas = Schemas.load();
    const rules = targetRules(schemas);
    expect([rules.list[0].minItems, rules.list[0].maxItems, rules.key[0].maxLength, rules.values[0].maxItems, rules.values[0].itemRule?.maxLength])
      .toEqual([1, 5, 128, 50, 256]);
    expect(rules.uniqueValues).toBe(true);
  });
});
