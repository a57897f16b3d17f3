import { CfnParameter, Fn, Lazy } from 'aws-cdk-lib';
import { AwsManagedDocument, CommandDocument, CommandStep, Document, DocumentParameter } from '../../src';
import { checkDocumentParameters } from '../../src/private/document-parameters';
import { show } from '../../src/private/errors';
import { testStack } from '../util';

const PATCH = AwsManagedDocument.RUN_PATCH_BASELINE;

function check(parameters: any, document = PATCH) {
  checkDocumentParameters(testStack(), 'parameters', document, parameters);
}

describe('checkDocumentParameters', () => {
  test('accepts parameters that match the schema', () => {
    expect(() => check({ Operation: ['Install'], RebootOption: ['NoReboot'] })).not.toThrow();
    expect(() => check({ commands: ['echo a', 'echo b'] }, AwsManagedDocument.RUN_SHELL_SCRIPT)).not.toThrow();
  });

  test('fails when a parameter is not declared by the document', () => {
    expect(() => check({ Operation: ['Install'], Reboot: ['NoReboot'] })).toThrow(
      "Stack: parameters 'Reboot' is not a parameter of the document 'AWS-RunPatchBaseline'; use 'AssociationId', "
      + "'BaselineOverride', 'InstallOverrideList', 'Operation', 'RebootOption', 'SnapshotId' or 'StepTimeoutSeconds'");
  });

  test('fails when a required parameter is left out', () => {
    expect(() => check({ RebootOption: ['NoReboot'] })).toThrow(
      "Stack: parameters lacks 'Operation', which the document 'AWS-RunPatchBaseline' requires; give it one of 'Scan' or 'Install'");
    expect(() => check(undefined)).toThrow("Stack: parameters lacks 'Operation', which the document 'AWS-RunPatchBaseline' requires; give it one of 'Scan' or 'Install'");
  });

  test('fails when a value is not one of the allowed values', () => {
    expect(() => check({ Operation: ['Patch'] })).toThrow("Stack: parameters.Operation 'Patch' is not one of allowedValues; use 'Scan' or 'Install'");
  });

  test('fails when a value does not match the allowed pattern', () => {
    expect(() => check({ Operation: ['Scan'], SnapshotId: ['not-a-uuid'] })).toThrow(
      "Stack: parameters.SnapshotId 'not-a-uuid' does not match allowedPattern; use a value that matches '(^$)|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]...'");
  });

  test('fails when a list is given where one value is expected, and the reverse', () => {
    expect(() => check({ Operation: ['Scan', 'Install'] })).toThrow(
      'Stack: parameters.Operation has 2 values; use exactly 1 (a String parameter takes one value)');
    expect(() => check({ commands: 'echo a' }, AwsManagedDocument.RUN_SHELL_SCRIPT)).toThrow(
      "Stack: parameters.commands 'echo a' is not a list of strings; write ['echo a']");
  });

  test('checks minItems and maxChars of the declaration', () => {
    expect(() => check({ commands: [] }, AwsManagedDocument.RUN_SHELL_SCRIPT)).toThrow(
      'Stack: parameters.commands has 0 items; use 1 or more (minItems)');
    expect(() => check({ commands: ['x'], workingDirectory: ['d'.repeat(4097)] }, AwsManagedDocument.RUN_SHELL_SCRIPT)).toThrow(
      `Stack: parameters.workingDirectory ${show('d'.repeat(4097))} has 4097 characters; use at most 4,096 (maxChars)`);
  });

  test('checks against the parameters of a CommandDocument of this app', () => {
    const stack = testStack();
    const doc = new CommandDocument(stack, 'Doc', {
      parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'] }) },
      steps: [CommandStep.runShellScript('apply', { commands: ['harden {{ level }}'] })],
    });
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { level: ['medium'] })).toThrow(
      "Stack: parameters.level 'medium' is not one of allowedValues; use 'low' or 'high'");
  });

  test('constraints and names that are tokens are not checked', () => {
    const stack = testStack();
    const limit = new CfnParameter(stack, 'Limit', { type: 'Number' }).valueAsNumber;
    const doc = Document.fromDocumentAttributes(stack, 'D', {
      documentName: 'Mine',
      parameters: {
        items: DocumentParameter.stringList({ maxItems: limit, maxChars: limit }),
        level: DocumentParameter.string({ allowedValues: [Lazy.string({ produce: () => 'x' }), 'low'] }),
      },
    });
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { items: ['a', 'b'], level: ['high'] })).not.toThrow();
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { [Fn.ref('Name')]: ['x'] })).not.toThrow();
  });

  test('checks Integer and Boolean values, and names every missing parameter', () => {
    const stack = testStack();
    const doc = Document.fromDocumentAttributes(stack, 'D', {
      documentName: 'Mine',
      parameters: { count: DocumentParameter.integer(), reboot: DocumentParameter.boolean(), other: DocumentParameter.string() },
    });
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { count: ['two'], reboot: ['true'], other: ['x'] })).toThrow(
      "Stack: parameters.count 'two' is not an integer; use a whole number such as '2'");
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { count: ['2'], reboot: ['yes'], other: ['x'] })).toThrow(
      "Stack: parameters.reboot 'yes' is not a Boolean; use 'true' or 'false'");
    expect(() => checkDocumentParameters(stack, 'parameters', doc, {})).toThrow(
      "Stack: parameters lacks 'count', which the document 'Mine' requires; give it; also missing: 'reboot', 'other'");
  });

  test('nothing is checked when the document parameters are unknown', () => {
    const stack = testStack();
    expect(() => checkDocumentParameters(stack, 'parameters', Document.fromDocumentName(stack, 'D', 'Mine'), { anything: ['x'] })).not.toThrow();
  });

  test('tokens and Parameter Store references pass unchecked', () => {
    expect(() => check({ Operation: [Fn.ref('Operation')] })).not.toThrow();
    expect(() => check({ Operation: Fn.split(',', Fn.ref('Operations')) })).not.toThrow();
    expect(() => check({ Operation: ['{{ssm:/patching/operation}}'] })).not.toThrow();
    expect(() => check(Lazy.any({ produce: () => ({}) }))).not.toThrow();
  });
});
