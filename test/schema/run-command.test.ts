import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { alarmSubject, anchoredDocumentVersion, documentReferenceSubject, documentVersions, parametersSubject, rateControlSubject } from './common';
import { Subject, checkSubject, durationSubject, textSubject } from './harness';
import { Rule, apiRule, chars, problemsOf } from './rules';
import { Schemas, describeWithSchemas } from './schemas';
import {
  TargetSpec, acceptedKeys, atLeastOneTarget, atMostInAll, atMostValues, makeTarget, nodeIdValues, tagKeys, targetProblems, targetRules,
  targetsAround,
} from './targets';
import { DurationValue, isToken } from './values';
import { Concurrency, Document, ErrorThreshold, RunCommand, RunCommandProps, Target } from '../../src';
import { markerOf } from '../../src/run-command/handler';

// RunCommand (Custom::SsmRunCommand, whose handler calls the SSM API's SendCommand with the resource's Command)
// against the API model: CloudFormation checks nothing of a custom resource's properties, so SendCommand's shapes are
// the schema. Rejections start with Stack/Subject.

const PATH = 'Stack/Subject';
const SEND_COMMAND = 'SSM API Reference, SendCommand (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html)';
const RUN_AT_SCALE = 'SSM User Guide, Run commands at scale: at most one resource group name per command, five tag keys and five values of a tag (https://docs.aws.amazon.com/systems-manager/latest/userguide/send-commands-multiple.html)';

function run(stack: Stack, props: Partial<RunCommandProps>) {
  new RunCommand(stack, 'Subject', {
    document: props.document ?? Document.fromDocumentName(stack, 'Doc', 'My-Document'),
    targets: [Target.tag('Role', 'web')],
    ...props,
  });
}

// A RunCommand brings the stack's provider (its functions, roles and waiter), about 25 ms a build: its properties run
// fewer times than other constructs' (SCHEMA_TEST_RUNS scales them all).
const RUNS = 25;
function fewer<T extends { numRuns: number }>(spec: T): T {
  return { ...spec, numRuns: RUNS };
}

function rulesOf(schemas: Schemas, member: string): Rule[] {
  return [apiRule(schemas, `SendCommand.${member}`)];
}

describeWithSchemas('RunCommand agrees with the SSM API model', () => {
  checkSubject('RunCommand.documentVersion', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'RunCommand.documentVersion',
      rules: rulesOf(schemas, 'DocumentVersion'),
      paths: [PATH],
      property: 'documentVersion',
      numRuns: RUNS,
      build: (stack, documentVersion) => run(stack, { documentVersion }),
      stricter: [anchoredDocumentVersion(schemas)],
      examples: documentVersions,
    });
  });

  checkSubject('RunCommand.comment', () => {
    const schemas = Schemas.load();
    const [comment] = rulesOf(schemas, 'Comment');
    // The handler adds a marker of the request to the comment (` [<marker>]`), so that a retried request finds the
    // command it sent: the comment and the marker together must fit SendCommand's Comment.
    const marker = ` [${markerOf({ StackId: 'stack', LogicalResourceId: 'Subject', RequestId: 'request' })}]`;
    return textSubject({
      name: 'RunCommand.comment',
      rules: [comment],
      paths: [PATH],
      property: 'comment',
      numRuns: RUNS,
      build: (stack, value) => run(stack, { comment: value }),
      text: { limits: [comment.maxLength! - chars(marker)] },
      stricter: [{
        source: `${SEND_COMMAND} Comment, with the library's marker (README, "Run Command at deploy time")`,
        problems: (value) => typeof value === 'string' ? problemsOf([comment], value + marker) : [],
      }],
    });
  });

  checkSubject('RunCommand.deliveryTimeout', () => {
    const schemas = Schemas.load();
    return durationSubject({
      name: 'RunCommand.deliveryTimeout',
      rules: rulesOf(schemas, 'TimeoutSeconds'),
      unit: 'seconds',
      paths: [PATH],
      property: 'deliveryTimeout',
      numRuns: RUNS,
      build: (stack, deliveryTimeout) => run(stack, { deliveryTimeout }),
    });
  });

  checkSubject('RunCommand.timeout', () => {
    // No schema holds this one: it is how long CloudFormation waits for the custom resource, at most an hour.
    const serviceTimeout: Rule = {
      source: 'AWS CloudFormation User Guide, custom resources: ServiceTimeout, 1 to 3,600 seconds (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html)',
      minimum: 1,
      maximum: 3600,
    };
    return durationSubject({
      name: 'RunCommand.timeout',
      rules: [serviceTimeout],
      unit: 'seconds',
      paths: [PATH],
      property: 'timeout',
      numRuns: RUNS,
      build: (stack, timeout) => run(stack, { timeout }),
      // The resource carries it to its handler in whole seconds (WaitSeconds in src/private/wire.ts).
      stricter: [{ source: 'the wire contract, RunCommandProperties.WaitSeconds', problems: (timeout) => timeout instanceof DurationValue && !isToken(timeout) && !Number.isInteger(timeout.seconds) ? ['not whole seconds'] : [] }],
    });
  });

  checkSubject('RunCommand.outputS3.keyPrefix', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'RunCommand.outputS3.keyPrefix',
      rules: rulesOf(schemas, 'OutputS3KeyPrefix'),
      paths: [PATH],
      property: 'keyPrefix',
      numRuns: RUNS,
      build: (stack, keyPrefix) => run(stack, { outputS3: { bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'my-bucket'), keyPrefix } }),
    });
  });

  for (const [property, kind] of [['maxConcurrency', Concurrency], ['maxErrors', ErrorThreshold]] as const) {
    checkSubject(`RunCommand.${property}`, () => {
      const schemas = Schemas.load();
      return fewer(rateControlSubject({
        name: `RunCommand.${property}`,
        rules: rulesOf(schemas, property === 'maxConcurrency' ? 'MaxConcurrency' : 'MaxErrors'),
        path: PATH,
        property,
        kind,
        build: (stack, value) => run(stack, { [property]: value }),
      }));
    });
  }

  checkSubject('RunCommand.document', () => {
    const schemas = Schemas.load();
    return fewer(documentReferenceSubject({
      name: 'RunCommand.document',
      rules: rulesOf(schemas, 'DocumentName'),
      path: PATH,
      build: (stack, document) => run(stack, { document }),
    }));
  });

  checkSubject('RunCommand.parameters', () => {
    const schemas = Schemas.load();
    return fewer(parametersSubject({
      name: 'RunCommand.parameters',
      path: PATH,
      rules: rulesOf(schemas, 'Parameters'),
      build: (stack, parameters) => run(stack, { parameters }),
    }));
  });

  checkSubject('RunCommand.alarmConfiguration', () => fewer(alarmSubject({
    name: 'RunCommand.alarmConfiguration', path: PATH, build: (stack, alarmConfiguration) => run(stack, { alarmConfiguration }),
  })));

  checkSubject('RunCommand.targets', () => {
    const schemas = Schemas.load();
    const rules = targetRules(schemas, 'command');
    const subject: Subject<TargetSpec[]> = {
      name: 'RunCommand.targets',
      paths: [PATH],
      property: 'targets',
      build: (stack, specs) => run(stack, { targets: specs.map((spec) => makeTarget(stack, spec)) }),
      schema: (specs) => targetProblems(rules, specs),
      stricter: [
        // The library sends Targets only (never InstanceIds), and SendCommand needs one or the other.
        atLeastOneTarget(`${SEND_COMMAND}: InstanceIds or Targets`),
        nodeIdValues(schemas, false),
        tagKeys(schemas),
        acceptedKeys([/^(?!resource-groups:ResourceTypeFilters$)/],
          'SSM API Reference, Target: resource-groups:ResourceTypeFilters is for maintenance windows (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)'),
        atMostValues('resource-groups:Name', 1, 'SSM API Reference, Target: Key=resource-groups:Name,Values=resource-group-name (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)'),
        // One group name in all (a list token's names are unknown, so it is never counted against it).
        atMostInAll(/^resource-groups:Name$/, 1, RUN_AT_SCALE),
        atMostValues(/^tag:/, 5, RUN_AT_SCALE),
        atMostValues('tag-key', 5, RUN_AT_SCALE),
      ],
    };
    return {
      subject,
      numRuns: 2 * RUNS,
      values: targetsAround(rules, ['instanceIds', 'instanceIdsSpread', 'tag', 'tagKey', 'resourceGroup', 'resourceTypes', 'allManagedNodes', 'keyValues']),
    };
  });
});
