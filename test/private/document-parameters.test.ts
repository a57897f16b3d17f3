import { CfnParameter, Fn, Lazy } from 'aws-cdk-lib';
import { AwsManagedDocument, CommandDocument, CommandStep, Document, DocumentParameter } from '../../src';
import { checkDocumentParameters } from '../../src/private/document-parameters';
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
      "Stack: parameters.Reboot: the document 'AWS-RunPatchBaseline' declares no parameter 'Reboot'; declared: 'AssociationId', "
      + "'BaselineOverride', 'InstallOverrideList', 'Operation', 'RebootOption', 'SnapshotId' or 'StepTimeoutSeconds'");
  });

  test('fails when a required parameter is left out', () => {
    expect(() => check({ RebootOption: ['NoReboot'] })).toThrow(
      "Stack: parameters: the document 'AWS-RunPatchBaseline' requires the parameter 'Operation', which is missing (allowed values: 'Scan' or 'Install')");
    expect(() => check(undefined)).toThrow("requires the parameter 'Operation'");
  });

  test('fails when a value is not one of the allowed values', () => {
    expect(() => check({ Operation: ['Patch'] })).toThrow("Stack: parameters.Operation: 'Patch' is not one of the allowed values: 'Scan' or 'Install'");
  });

  test('fails when a value does not match the allowed pattern', () => {
    expect(() => check({ Operation: ['Scan'], SnapshotId: ['not-a-uuid'] })).toThrow(
      "Stack: parameters.SnapshotId: 'not-a-uuid' does not match the allowed pattern");
  });

  test('fails when a list is given where one value is expected, and the reverse', () => {
    expect(() => check({ Operation: ['Scan', 'Install'] })).toThrow(
      'Stack: parameters.Operation is a String parameter and takes one value, got a list of 2: ["Scan","Install"]');
    expect(() => check({ commands: 'echo a' }, AwsManagedDocument.RUN_SHELL_SCRIPT)).toThrow(
      "Stack: parameters.commands must be a list of strings, got 'echo a'; write ['echo a']");
  });

  test('checks minItems and maxChars of the declaration', () => {
    expect(() => check({ commands: [] }, AwsManagedDocument.RUN_SHELL_SCRIPT)).toThrow(
      "Stack: parameters.commands has 0 items; the document 'AWS-RunShellScript' needs at least 1 (minItems)");
    expect(() => check({ commands: ['x'], workingDirectory: ['d'.repeat(4097)] }, AwsManagedDocument.RUN_SHELL_SCRIPT)).toThrow(
      /parameters.workingDirectory: '.*' has 4097 characters; at most 4096 are allowed \(maxChars\)/);
  });

  test('checks against the parameters of a CommandDocument of this app', () => {
    const stack = testStack();
    const doc = new CommandDocument(stack, 'Doc', {
      parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'] }) },
      steps: [CommandStep.runShellScript('apply', { commands: ['harden {{ level }}'] })],
    });
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { level: ['medium'] })).toThrow(
      "Stack: parameters.level: 'medium' is not one of the allowed values: 'low' or 'high'");
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
      "Stack: parameters.count: 'two' is not an integer");
    expect(() => checkDocumentParameters(stack, 'parameters', doc, { count: ['2'], reboot: ['yes'], other: ['x'] })).toThrow(
      "Stack: parameters.reboot: 'yes' is not a Boolean; allowed: 'true' or 'false'");
    expect(() => checkDocumentParameters(stack, 'parameters', doc, {})).toThrow(
      "Stack: parameters: the document 'Mine' requires the parameter 'count', which is missing; also missing: 'reboot', 'other'");
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
