import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { STATE_MANAGER_TARGETS, alarmSubject, anchoredDocumentVersion, documentReferenceSubject, documentVersions, parametersSubject, rateControlSubject } from './common';
import { Subject, checkSubject, durationSubject, numberSubject, textSubject } from './harness';
import { apiRule, cfnRule, problemsOf } from './rules';
import { CRON_AND_RATE, ScheduleSpec, expressionOf, makeSchedule, rateTokenProblems, scheduleGrammar, schedulesAround } from './schedules';
import { Schemas, describeWithSchemas } from './schemas';
import { TargetSpec, acceptedKeys, atLeastOneTarget, atMostInAll, atMostValues, makeTarget, nodeIdValues, tagKeys, targetProblems, targetRules, targetsAround } from './targets';
import {
  Association, AssociationDispatchRole, AssociationProps, AwsManagedDocument, ComplianceSeverity, Concurrency, Document, DocumentType,
  ErrorThreshold, IDocument, SyncCompliance, Target,
} from '../../src';

// Association (AWS::SSM::Association, created with the SSM API's CreateAssociation) against the registry schema and
// the API model. Every rejection must start with the association's path, Stack/Subject.

const TYPE = 'AWS::SSM::Association';
const PATH = 'Stack/Subject';

/** An association with a document of this account whose parameters are unknown, on one tag. */
function associate(stack: Stack, props: Partial<AssociationProps>, document?: IDocument) {
  new Association(stack, 'Subject', {
    document: document ?? Document.fromDocumentName(stack, 'Doc', 'My-Document'),
    targets: [Target.tag('Role', 'web')],
    ...props,
  });
}

/** The rules of a property in the registry schema and the same member of CreateAssociation. */
function rulesOf(schemas: Schemas, property: string, apiMember = property) {
  return [cfnRule(schemas, TYPE, property), apiRule(schemas, `CreateAssociation.${apiMember}`)];
}

describeWithSchemas('Association agrees with the registry schema and the SSM API model', () => {
  checkSubject('Association.associationName', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'Association.associationName',
      rules: rulesOf(schemas, 'AssociationName'),
      paths: [PATH],
      property: 'associationName',
      build: (stack, associationName) => associate(stack, { associationName }),
    });
  });

  checkSubject('Association.documentVersion', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'Association.documentVersion',
      rules: rulesOf(schemas, 'DocumentVersion'),
      paths: [PATH],
      property: 'documentVersion',
      build: (stack, documentVersion) => associate(stack, { documentVersion }),
      stricter: [anchoredDocumentVersion(schemas)],
      examples: documentVersions,
    });
  });

  checkSubject('Association.automationTargetParameterName', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'Association.automationTargetParameterName',
      rules: rulesOf(schemas, 'AutomationTargetParameterName'),
      paths: [PATH],
      property: 'automationTargetParameterName',
      build: (stack, automationTargetParameterName) => associate(stack, { automationTargetParameterName },
        Document.fromDocumentAttributes(stack, 'Doc', { documentName: 'My-Runbook', documentType: DocumentType.AUTOMATION })),
    });
  });

  checkSubject('Association.outputLocation.keyPrefix', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'Association.outputLocation.keyPrefix',
      rules: [cfnRule(schemas, TYPE, 'OutputLocation.S3Location.OutputS3KeyPrefix'), apiRule(schemas, 'CreateAssociation.OutputLocation.S3Location.OutputS3KeyPrefix')],
      paths: [PATH],
      property: 'keyPrefix',
      build: (stack, keyPrefix) => associate(stack, { outputLocation: { bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'my-bucket'), keyPrefix } }),
    });
  });

  checkSubject('Association.scheduleOffset', () => {
    const schemas = Schemas.load();
    return numberSubject({
      name: 'Association.scheduleOffset',
      rules: rulesOf(schemas, 'ScheduleOffset'),
      paths: [PATH],
      property: 'scheduleOffset',
      // ScheduleOffset needs a cron schedule and ApplyOnlyAtCronInterval (API Reference, CreateAssociation ScheduleOffset).
      build: (stack, scheduleOffset) => associate(stack, {
        scheduleOffset, applyOnlyAtCronInterval: true, schedule: makeSchedule(stack, 'association', { factory: 'cron', options: { hour: '2', weekDay: 'SUN' }, grammar: [] }),
      }),
    });
  });

  checkSubject('Association.waitForSuccessTimeout', () => {
    const schemas = Schemas.load();
    return durationSubject({
      name: 'Association.waitForSuccessTimeout',
      rules: [cfnRule(schemas, TYPE, 'WaitForSuccessTimeoutSeconds')],
      unit: 'seconds',
      paths: [PATH],
      property: 'waitForSuccessTimeout',
      build: (stack, waitForSuccessTimeout) => associate(stack, { waitForSuccessTimeout }),
    });
  });

  for (const [property, factories] of [['maxConcurrency', Concurrency], ['maxErrors', ErrorThreshold]] as const) {
    checkSubject(`Association.${property}`, () => {
      const schemas = Schemas.load();
      const rules = rulesOf(schemas, property === 'maxConcurrency' ? 'MaxConcurrency' : 'MaxErrors');
      return rateControlSubject({
        name: `Association.${property}`,
        rules,
        path: PATH,
        property,
        kind: factories,
        build: (stack, value) => associate(stack, { [property]: value }),
      });
    });
  }

  checkSubject('Association.schedule', () => {
    const schemas = Schemas.load();
    const rules = rulesOf(schemas, 'ScheduleExpression');
    const subject: Subject<ScheduleSpec> = {
      name: 'Association.schedule',
      paths: [PATH],
      property: 'schedule',
      build: (stack, spec) => associate(stack, { schedule: makeSchedule(stack, 'association', spec) }),
      schema: (spec) => {
        const expression = expressionOf(spec, 'association');
        return expression === undefined ? [] : problemsOf(rules, expression);
      },
      // The schemas take any text of the right length; State Manager takes its own cron and rate grammar.
      stricter: [{ source: CRON_AND_RATE, problems: (spec) => scheduleGrammar('association', spec) }],
      tokenProblems: rateTokenProblems,
    };
    return { subject, values: schedulesAround('association', rules), numRuns: 150 };
  });

  checkSubject('Association.parameters', () => {
    const schemas = Schemas.load();
    return parametersSubject({
      name: 'Association.parameters',
      path: PATH,
      rules: rulesOf(schemas, 'Parameters'),
      build: (stack, parameters) => associate(stack, { parameters }),
    });
  });

  checkSubject('Association.targets', () => {
    const schemas = Schemas.load();
    const rules = targetRules(schemas, 'association');
    const subject: Subject<TargetSpec[]> = {
      name: 'Association.targets',
      paths: [PATH],
      property: 'targets',
      build: (stack, specs) => associate(stack, { targets: specs.map((spec) => makeTarget(stack, spec)) }),
      schema: (specs) => targetProblems(rules, specs),
      stricter: [
        // The library writes no InstanceId, and CloudFormation needs InstanceId or Targets.
        atLeastOneTarget('AWS CloudFormation User Guide, AWS::SSM::Association Targets: "InstanceId or Targets" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-association.html)'),
        nodeIdValues(schemas, true),
        tagKeys(schemas),
        acceptedKeys(['InstanceIds', 'tag-key', 'resource-groups:Name', /^tag:/, /^(?!resource-groups:ResourceTypeFilters$)/],
          'SSM API Reference, Target: resource-groups:ResourceTypeFilters is for maintenance windows (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)'),
        atMostValues('resource-groups:Name', 1, 'SSM API Reference, Target: Key=resource-groups:Name,Values=resource-group-name (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)'),
        // One group name in all (a list token's names are unknown, so it is never counted against it).
        atMostInAll(/^resource-groups:Name$/, 1, STATE_MANAGER_TARGETS),
        {
          source: 'SSM API Reference, CreateAssociation Targets: all managed nodes are InstanceIds with the value * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html)',
          problems: (specs) => specs.some((spec) => spec.factory === 'allManagedNodes') && specs.length > 1 ? ['all managed nodes beside other targets'] : [],
        },
      ],
    };
    return {
      subject,
      numRuns: 150,
      values: targetsAround(rules, ['instanceIds', 'instanceIdsSpread', 'tag', 'tagKey', 'resourceGroup', 'resourceTypes', 'allManagedNodes', 'keyValues']),
    };
  });

  checkSubject('Association.document', () => {
    const schemas = Schemas.load();
    return documentReferenceSubject({
      name: 'Association.document',
      rules: rulesOf(schemas, 'Name'),
      path: PATH,
      build: (stack, document) => associate(stack, {}, document),
    });
  });

  checkSubject('Association.document (AwsManagedDocument.of)', () => {
    const schemas = Schemas.load();
    const rules = rulesOf(schemas, 'Name');
    const documentName = schemas.shape('DocumentName');
    // AWS's documents are named like others (CreateDocument's DocumentName); the API takes them by name.
    return textSubject({
      name: 'Association.document (AwsManagedDocument.of)',
      rules,
      paths: [PATH],
      property: /document/i,
      build: (stack, name) => associate(stack, {}, AwsManagedDocument.of(name)),
      stricter: [{
        source: 'SSM API Reference, CreateDocument Name (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html)',
        problems: (name) => typeof name === 'string' ? problemsOf([{ source: 'DocumentName', pattern: documentName.pattern, minLength: documentName.min, maxLength: documentName.max }], name) : [],
      }],
      examples: fc.constantFrom('AWS-RunShellScript', 'AWS-', 'AWS-Run Shell Script', 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript', ''),
    });
  });

  checkSubject('Association.dispatchRole', () => {
    const schemas = Schemas.load();
    const rules = rulesOf(schemas, 'AssociationDispatchAssumeRole');
    // The schemas' pattern is not anchored: it matches text around a role ARN too.
    const anchored = rules.map((rule) => new RegExp(`^(?:${rule.pattern})$`, 'u'));
    return textSubject({
      name: 'Association.dispatchRole',
      rules,
      paths: [PATH],
      property: 'dispatchRole',
      // An imported role: iam.Role.fromRoleArn takes only text that starts as an ARN does.
      text: { prefix: 'arn:aws:iam::111111111111:role/' },
      build: (stack, arn) => associate(stack, { dispatchRole: AssociationDispatchRole.fromRole(iam.Role.fromRoleArn(stack, 'Role', arn)) }),
      stricter: [{
        source: 'SSM API model AssociationDispatchAssumeRoleArn, as one whole role ARN',
        problems: (arn) => typeof arn === 'string' && !anchored.every((pattern) => pattern.test(arn)) ? ['not one whole role ARN'] : [],
      }],
      examples: fc.constantFrom('arn:aws:iam::111111111111:role/Dispatch', 'arn:aws-cn:iam::111111111111:role/service-role/Dispatch',
        'arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::11111111111:role/Dispatch', 'arn:aws:iam::111111111111:role/'),
    });
  });

  checkSubject('Association.alarmConfiguration', () => {
    return alarmSubject({ name: 'Association.alarmConfiguration', path: PATH, build: (stack, alarmConfiguration) => associate(stack, { alarmConfiguration }) });
  });

  test.each([
    ['ComplianceSeverity', 'ComplianceSeverity', Object.values(ComplianceSeverity)],
    ['SyncCompliance', 'SyncCompliance', Object.values(SyncCompliance)],
  ])('the %s enum has exactly the values of the schemas', (_, property, values) => {
    const schemas = Schemas.load();
    for (const rule of rulesOf(schemas, property)) {
      expect([...values].sort()).toEqual([...rule.enum as string[]].sort());
    }
  });
});

