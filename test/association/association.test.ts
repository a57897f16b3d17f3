import { CfnElement, CfnParameter, Duration, Fn, Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Association, AssociationProps, AssociationSchedule, AwsManagedDocument, CommandDocument, CommandStep, ComplianceSeverity,
  Concurrency, Document, DocumentParameter, DocumentType, ErrorThreshold, SyncCompliance, Target,
} from '../../src';
import { show } from '../../src/private/errors';
import { testStack } from '../util';

const PATCH: Partial<AssociationProps> = {
  document: AwsManagedDocument.RUN_PATCH_BASELINE,
  parameters: { Operation: ['Install'] },
  targets: [Target.tag('Env', 'prod')],
};

function association(overrides: Partial<AssociationProps> = {}) {
  const stack = testStack();
  const props = { ...PATCH, ...overrides } as AssociationProps;
  return { stack, create: () => new Association(stack, 'Assoc', props) };
}

describe('Association', () => {
  test('default configuration', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new Association(stack, 'Assoc', { document: AwsManagedDocument.UPDATE_SSM_AGENT, targets: [Target.allManagedNodes()] });
    // THEN
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('typed targets, rate controls and a cron schedule give the exact CfnAssociation properties', () => {
    // GIVEN
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Output');
    const doc = new CommandDocument(stack, 'Harden', {
      parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'high' }) },
      steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh {{ level }}'] })],
    });
    const calendar = Document.fromDocumentName(stack, 'Calendar', 'Business-Hours');
    // WHEN
    new Association(stack, 'Nightly', {
      document: doc,
      parameters: { level: ['high'] },
      targets: [Target.tag('Env', 'prod'), Target.tag('Role', 'web')],
      schedule: AssociationSchedule.cron({ hour: '2', minute: '0', weekDay: 'SUN' }),
      scheduleOffset: 2,
      applyOnlyAtCronInterval: true,
      maxConcurrency: Concurrency.percentage(10),
      maxErrors: ErrorThreshold.count(1),
      complianceSeverity: ComplianceSeverity.HIGH,
      syncCompliance: SyncCompliance.AUTO,
      changeCalendars: [calendar],
      outputLocation: { bucket, keyPrefix: 'ssm/' },
      waitForSuccessTimeout: Duration.minutes(10),
      associationName: 'Nightly-Harden',
      documentVersion: '$LATEST',
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', {
      Name: { Ref: Match.stringLikeRegexp('^Harden') },
      Parameters: { level: ['high'] },
      Targets: [{ Key: 'tag:Env', Values: ['prod'] }, { Key: 'tag:Role', Values: ['web'] }],
      ScheduleExpression: 'cron(0 2 ? * SUN *)',
      ScheduleOffset: 2,
      ApplyOnlyAtCronInterval: true,
      MaxConcurrency: '10%',
      MaxErrors: '1',
      ComplianceSeverity: 'HIGH',
      SyncCompliance: 'AUTO',
      CalendarNames: ['Business-Hours'],
      OutputLocation: { S3Location: { OutputS3BucketName: { Ref: Match.stringLikeRegexp('^Output') }, OutputS3KeyPrefix: 'ssm/', OutputS3Region: 'us-east-1' } },
      WaitForSuccessTimeoutSeconds: 600,
      AssociationName: 'Nightly-Harden',
      DocumentVersion: '$LATEST',
    });
  });

  test('an AWS-owned document is named by name and a shared one by ARN', () => {
    // GIVEN
    const stack = testStack();
    const shared = Document.fromDocumentArn(stack, 'Shared', 'arn:aws:ssm:us-east-1:222222222222:document/Baseline');
    // WHEN
    new Association(stack, 'Aws', { ...PATCH } as AssociationProps);
    new Association(stack, 'SharedAssoc', { document: shared, targets: [Target.instanceIds('i-1234567890abcdef0')] });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSM::Association', { Name: 'AWS-RunPatchBaseline' });
    template.hasResourceProperties('AWS::SSM::Association', {
      Name: 'arn:aws:ssm:us-east-1:222222222222:document/Baseline',
      Targets: [{ Key: 'InstanceIds', Values: ['i-1234567890abcdef0'] }],
    });
  });

  test('exposes its ID and ARN', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const assoc = new Association(stack, 'Assoc', { ...PATCH } as AssociationProps);
    // THEN
    const logicalId = stack.getLogicalId(assoc.node.defaultChild as CfnElement);
    expect(stack.resolve(assoc.associationId)).toEqual({ 'Fn::GetAtt': [logicalId, 'AssociationId'] });
    expect(stack.resolve(assoc.associationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:association/', { 'Fn::GetAtt': [logicalId, 'AssociationId'] }]],
    });
  });

  test('fromAssociationId imports an association and creates nothing', () => {
    const stack = testStack();
    const assoc = Association.fromAssociationId(stack, 'Imported', '12345678-1234-1234-1234-123456789012');
    expect(assoc.associationId).toBe('12345678-1234-1234-1234-123456789012');
    expect(stack.resolve(assoc.associationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:association/12345678-1234-1234-1234-123456789012']],
    });
    expect(Template.fromStack(stack).toJSON().Resources).toBeUndefined();
  });

  test('fails when fromAssociationId is not given a UUID', () => {
    const stack = testStack();
    expect(() => Association.fromAssociationId(stack, 'Imported', 'assoc-1')).toThrow(
      "Stack/Imported: associationId 'assoc-1' is not an association ID; use a UUID such as 12345678-1234-1234-1234-123456789012");
  });

  test('onStateChange matches the association state change events of this association', () => {
    // GIVEN
    const stack = testStack();
    const assoc = Association.fromAssociationId(stack, 'Imported', '12345678-1234-1234-1234-123456789012');
    // WHEN
    assoc.onStateChange('Changed');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ssm'],
        'detail-type': ['EC2 State Manager Association State Change'],
        'detail': { 'association-id': ['12345678-1234-1234-1234-123456789012'] },
      },
    });
  });

  describe('validation', () => {
    test('fails when the schedule is longer than 256 characters', () => {
      const years = Array.from({ length: 70 }, (_, i) => 2030 + i).join(',');
      const expression = `cron(0 2 ? * SUN ${years})`;
      const { create } = association({ schedule: AssociationSchedule.expression(expression) });
      expect(create).toThrow(`Stack/Assoc: schedule ${show(expression)} has ${expression.length} characters; use 1 to 256`);
    });

    test('fails when a parameter name is empty, although the document\'s parameters are unknown', () => {
      const stack = testStack();
      const mine = Document.fromDocumentName(stack, 'Mine', 'Mine');
      expect(() => new Association(stack, 'A', { document: mine, targets: [Target.allManagedNodes()], parameters: { '': ['x'] } })).toThrow(
        "Stack/A: parameters '' is not a valid parameter name; use 1 to 255 characters");
    });

    test('fails when a shared document\'s ARN is longer than 128 characters', () => {
      const stack = testStack();
      const arn = `arn:aws:ssm:us-east-1:222222222222:document/${'x'.repeat(100)}`;
      const shared = Document.fromDocumentArn(stack, 'Shared', arn);
      expect(() => new Association(stack, 'A', { document: shared, targets: [Target.allManagedNodes()] })).toThrow(
        `Stack/A: document ${show(arn)} has 144 characters; use 3 to 128 (Systems Manager names a document shared from another account by its ARN)`);
    });

    test('fails with the construct path when a rate schedule is a token in seconds', () => {
      const stack = testStack();
      const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' }).valueAsNumber;
      expect(() => new Association(stack, 'A', { ...PATCH, schedule: AssociationSchedule.rate(Duration.seconds(seconds)) } as AssociationProps)).toThrow(
        "Stack/A: schedule (a token, in seconds) can't be written as a rate; give the token with Duration.minutes(), Duration.hours() or Duration.days()");
    });

    test('fails when there are 6 targets', () => {
      const { create } = association({ targets: ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => Target.tag(key, 'x')) });
      expect(create).toThrow('Stack/Assoc: targets has 6 targets; use at most 5 (select more nodes with one tag, a resource group or more values of one target)');
    });

    test('fails when there are no targets', () => {
      const { create } = association({ targets: [] });
      expect(create).toThrow('Stack/Assoc: targets has 0 targets; use 1 or more (Target.allManagedNodes() selects every node)');
    });

    test('fails when there are two resource groups', () => {
      const { create } = association({ targets: [Target.resourceGroup('a'), Target.resourceGroup('b')] });
      expect(create).toThrow('Stack/Assoc: targets has 2 resource groups; use at most 1');
    });

    test('fails when a target key is longer than associations take', () => {
      const { create } = association({ targets: [Target.tag('k'.repeat(125), 'x')] });
      expect(create).toThrow(/^Stack\/Assoc: targets\[0\]\.key 'tag:k+\.\.\.' is not valid; use 1 to 128 letters, digits, spaces or _\.:\/=-@$/);
    });

    test('fails when maxConcurrency is Concurrency.percentage(0)', () => {
      const { create } = association({ maxConcurrency: Concurrency.percentage(0) });
      expect(create).toThrow("Stack/Assoc: maxConcurrency '0%' is not valid; use a whole percentage from 1% to 100% (zero concurrency would never run anything)");
    });

    test('fails when maxErrors is out of range', () => {
      const { create } = association({ maxErrors: ErrorThreshold.percentage(101) });
      expect(create).toThrow("Stack/Assoc: maxErrors '101%' is not valid; use a whole percentage from 0% to 100%");
    });

    test('fails when the schedule is rate(10 minutes)', () => {
      const { create } = association({ schedule: AssociationSchedule.expression('rate(10 minutes)') });
      expect(create).toThrow("Stack/Assoc: schedule 'rate(10 minutes)' is not a valid association schedule; associations take rates from 30 minutes to less than 31 days");
    });

    test('fails when scheduleOffset is set without applyOnlyAtCronInterval', () => {
      const { create } = association({ schedule: AssociationSchedule.cron({ hour: '2' }), scheduleOffset: 2 });
      expect(create).toThrow('Stack/Assoc: scheduleOffset 2 needs applyOnlyAtCronInterval: true; applyOnlyAtCronInterval is not set');
    });

    test('fails when scheduleOffset is used with a rate schedule', () => {
      const { create } = association({ schedule: AssociationSchedule.rate(Duration.hours(1)), scheduleOffset: 2, applyOnlyAtCronInterval: true });
      expect(create).toThrow("Stack/Assoc: scheduleOffset 2 needs a cron schedule; the schedule is 'rate(1 hour)'");
    });

    test.each([0, 7, 1.5])('fails when scheduleOffset is %s', (scheduleOffset) => {
      const { create } = association({ schedule: AssociationSchedule.cron({ hour: '2' }), scheduleOffset, applyOnlyAtCronInterval: true });
      expect(create).toThrow(`Stack/Assoc: scheduleOffset ${scheduleOffset} is not valid; use a whole number of days from 1 to 6`);
    });

    test('fails when applyOnlyAtCronInterval is used with a rate schedule or no schedule', () => {
      expect(association({ schedule: AssociationSchedule.rate(Duration.hours(1)), applyOnlyAtCronInterval: true }).create).toThrow(
        "Stack/Assoc: applyOnlyAtCronInterval true is not allowed with the rate schedule 'rate(1 hour)'; use a cron schedule or leave it out");
      expect(association({ applyOnlyAtCronInterval: true }).create).toThrow(
        'Stack/Assoc: applyOnlyAtCronInterval true needs a cron schedule; there is no schedule');
    });

    test('fails when a parameter is not declared by the document', () => {
      const { create } = association({ parameters: { Operation: ['Install'], Reboot: ['NoReboot'] } });
      expect(create).toThrow("Stack/Assoc: parameters 'Reboot' is not a parameter of the document 'AWS-RunPatchBaseline'; use 'AssociationId', 'BaselineOverride', 'InstallOverrideList', 'Operation', 'RebootOption', 'SnapshotId' or 'StepTimeoutSeconds'");
    });

    test('fails when a required document parameter is left out', () => {
      const { create } = association({ parameters: {} });
      expect(create).toThrow("Stack/Assoc: parameters lacks 'Operation', which the document 'AWS-RunPatchBaseline' requires; give it one of 'Scan' or 'Install'");
    });

    test('fails when documentVersion is set on an AWS-owned document', () => {
      const { create } = association({ documentVersion: '$LATEST' });
      expect(create).toThrow("Stack/Assoc: documentVersion '$LATEST' is not allowed for the AWS-owned document 'AWS-RunPatchBaseline'; leave it out to run the current version");
    });

    test('fails when documentVersion is not $DEFAULT on a shared document, or not a version', () => {
      const stack = testStack();
      const shared = Document.fromDocumentArn(stack, 'Shared', 'arn:aws:ssm:us-east-1:222222222222:document/Baseline');
      expect(() => new Association(stack, 'A', { document: shared, targets: [Target.allManagedNodes()], documentVersion: '2' })).toThrow(
        "Stack/A: documentVersion '2' is not allowed for a document shared from another account, which always runs its default version; leave it out or use '$DEFAULT'");
      const mine = Document.fromDocumentName(stack, 'Mine', 'Mine');
      expect(() => new Association(stack, 'B', { document: mine, targets: [Target.allManagedNodes()], documentVersion: 'latest' })).toThrow(
        "Stack/B: documentVersion 'latest' is not valid; use '$DEFAULT', '$LATEST' or a version number");
    });

    test.each([Duration.seconds(14), Duration.hours(49), Duration.millis(15500)])('fails when waitForSuccessTimeout is %s', (waitForSuccessTimeout) => {
      const { create } = association({ waitForSuccessTimeout });
      expect(create).toThrow(`Stack/Assoc: waitForSuccessTimeout ${waitForSuccessTimeout.toHumanString()} is not valid; use whole seconds from 15 seconds to 2 days`);
    });

    test('fails when associationName or the output key prefix is not valid', () => {
      expect(association({ associationName: 'a b' }).create).toThrow(
        "Stack/Assoc: associationName 'a b' is not valid; use 3 to 128 letters, digits, '_', '-' or '.'");
      const { stack, create } = association();
      const bucket = new s3.Bucket(stack, 'B');
      expect(association({ outputLocation: { bucket, keyPrefix: 'x'.repeat(501) } }).create).toThrow(
        'Stack/Assoc: outputLocation.keyPrefix \'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\' has 501 characters; use at most 500');
      expect(create).not.toThrow();
    });

    test('fails when an Automation runbook with rate controls has no automationTargetParameterName, or a Command document has one', () => {
      const stack = testStack();
      const runbook = Document.fromDocumentAttributes(stack, 'Runbook', { documentName: 'Restart-Service', documentType: DocumentType.AUTOMATION });
      expect(() => new Association(stack, 'A', { document: runbook, targets: [Target.tag('Env', 'prod')], maxConcurrency: Concurrency.count(2) })).toThrow(
        'Stack/A: automationTargetParameterName is required for an Automation runbook with targets and maxConcurrency or maxErrors; '
        + 'name the runbook parameter that takes the target IDs, such as InstanceId');
      expect(() => new Association(stack, 'B', { document: runbook, targets: [Target.tag('Env', 'prod')], maxConcurrency: Concurrency.count(2), automationTargetParameterName: 'InstanceId' }))
        .not.toThrow();
      expect(() => new Association(stack, 'C', { ...PATCH, automationTargetParameterName: 'InstanceId' } as AssociationProps)).toThrow(
        "Stack/C: automationTargetParameterName 'InstanceId' is only for Automation runbooks; 'AWS-RunPatchBaseline' is a Command document");
    });
  });

  test('the runbook parameter the targets fill in is not required in parameters, and must be declared', () => {
    const stack = testStack();
    const runbook = Document.fromDocumentAttributes(stack, 'Runbook', {
      documentName: 'Restart',
      documentType: DocumentType.AUTOMATION,
      parameters: { InstanceId: DocumentParameter.string(), AutomationAssumeRole: DocumentParameter.string({ default: '' }) },
    });
    const props = { document: runbook, targets: [Target.tag('Env', 'prod')], maxConcurrency: Concurrency.count(2) };
    expect(() => new Association(stack, 'A', { ...props, automationTargetParameterName: 'InstanceId' })).not.toThrow();
    expect(() => new Association(stack, 'B', { ...props, automationTargetParameterName: 'Nope' })).toThrow(
      "Stack/B: automationTargetParameterName 'Nope' is not a parameter of the document 'Restart'; use 'InstanceId' or 'AutomationAssumeRole'");
  });

  test('an AWS-owned runbook named with AwsManagedDocument.of has an unknown type and takes automationTargetParameterName', () => {
    const stack = testStack();
    expect(() => new Association(stack, 'A', {
      document: AwsManagedDocument.of('AWS-RestartEC2Instance'),
      targets: [Target.tag('Env', 'prod')],
      automationTargetParameterName: 'InstanceId',
      maxConcurrency: Concurrency.count(2),
    })).not.toThrow();
  });

  test('the output region is written for a bucket of this app only', () => {
    const stack = testStack();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'elsewhere');
    new Association(stack, 'Assoc', { ...PATCH, outputLocation: { bucket: imported } } as AssociationProps);
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', {
      OutputLocation: { S3Location: { OutputS3BucketName: 'elsewhere', OutputS3Region: Match.absent() } },
    });
  });

  test('fails when resource type filters or all managed nodes are combined wrongly', () => {
    expect(association({ targets: [Target.resourceGroupResourceTypes('AWS::EC2::Instance')] }).create).toThrow(
      "Stack/Assoc: targets[0] 'resource-groups:ResourceTypeFilters' selects resource group resource types, which this construct does not accept; use instance IDs, all managed nodes, tags, tag keys, a resource group or a custom key");
    expect(association({ targets: [Target.allManagedNodes(), Target.tag('Env', 'prod')] }).create).toThrow(
      'Stack/Assoc: targets has Target.allManagedNodes() beside other targets, which it makes meaningless; give it alone');
  });

  test('fails when a token scheduleOffset comes with a rate schedule, or without applyOnlyAtCronInterval', () => {
    const stack = testStack();
    const offset = new CfnParameter(stack, 'Offset', { type: 'Number' }).valueAsNumber;
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
    expect(() => new Association(stack, 'A', { ...PATCH, schedule: AssociationSchedule.rate(Duration.minutes(minutes)), scheduleOffset: offset, applyOnlyAtCronInterval: true } as AssociationProps))
      .toThrow(/^Stack\/A: scheduleOffset \(a token\) needs a cron schedule; the schedule is 'rate\(\$\{Token\[TOKEN\.\d+\]\} minutes\)'$/);
    expect(() => new Association(stack, 'B', { ...PATCH, schedule: AssociationSchedule.cron({ hour: '1' }), scheduleOffset: offset } as AssociationProps))
      .toThrow('Stack/B: scheduleOffset (a token) needs applyOnlyAtCronInterval: true; applyOnlyAtCronInterval is not set');
    expect(() => new Association(stack, 'C', { ...PATCH, schedule: AssociationSchedule.rate(Duration.minutes(minutes)), applyOnlyAtCronInterval: true } as AssociationProps))
      .toThrow(/^Stack\/C: applyOnlyAtCronInterval true is not allowed with the rate schedule 'rate\(\$\{Token\[TOKEN\.\d+\]\} minutes\)'; use a cron schedule or leave it out$/);
  });

  test('fails when a waitForSuccessTimeout token is not in seconds, and takes one that is', () => {
    const stack = testStack();
    const value = new CfnParameter(stack, 'Wait', { type: 'Number' }).valueAsNumber;
    expect(() => new Association(stack, 'A', { ...PATCH, waitForSuccessTimeout: Duration.minutes(value) } as AssociationProps)).toThrow(
      'Stack/A: waitForSuccessTimeout (a token, in minutes) can\'t be converted to seconds before deployment; give the token with Duration.seconds()');
    new Association(stack, 'B', { ...PATCH, waitForSuccessTimeout: Duration.seconds(value) } as AssociationProps);
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', { WaitForSuccessTimeoutSeconds: { Ref: 'Wait' } });
  });

  test('unresolved tokens are not validated', () => {
    // GIVEN
    const stack = testStack();
    const offset = new CfnParameter(stack, 'Offset', { type: 'Number' });
    // WHEN
    new Association(stack, 'Assoc', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: [Fn.ref('Operation')] },
      targets: [Target.tag('Env', Fn.ref('Env'))],
      schedule: AssociationSchedule.expression(Fn.ref('Schedule')),
      scheduleOffset: offset.valueAsNumber,
      applyOnlyAtCronInterval: true,
      maxConcurrency: Concurrency.percentage(offset.valueAsNumber),
      associationName: Lazy.string({ produce: () => 'a b' }),
      waitForSuccessTimeout: Duration.seconds(offset.valueAsNumber),
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Association', {
      ScheduleExpression: { Ref: 'Schedule' },
      ScheduleOffset: { Ref: 'Offset' },
      AssociationName: 'a b',
    });
  });
});
