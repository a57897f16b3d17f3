import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Document, DocumentOwner, DocumentParameter } from '../../src';
import { testStack } from '../util';

describe('Document imports', () => {
  test('fromDocumentName refers to a document of this account and creates nothing', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = Document.fromDocumentName(stack, 'Doc', 'Harden-Linux');
    // THEN
    expect(doc.documentName).toBe('Harden-Linux');
    expect(stack.resolve(doc.documentArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:document/Harden-Linux']],
    });
    expect(doc.owner).toBe(DocumentOwner.SELF);
    expect(doc.parameters).toBeUndefined();
    expect(Template.fromStack(stack).toJSON().Resources).toBeUndefined();
  });

  test.each(['AWS-RunShellScript', 'AmazonCloudWatch-ManageAgent', 'amzn-tool'])('fromDocumentName knows %s is AWS-owned: its ARN has no account', (name) => {
    const stack = testStack();
    const doc = Document.fromDocumentName(stack, 'Doc', name);
    expect(doc.owner).toBe(DocumentOwner.AMAZON);
    expect(stack.resolve(doc.documentArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1::document/${name}`]],
    });
  });

  test.each([
    ['arn:aws:ssm:us-east-1:111111111111:document/Mine', 'Mine', DocumentOwner.SELF],
    ['arn:aws:ssm:us-east-1:222222222222:document/Shared-Doc', 'Shared-Doc', DocumentOwner.OTHER_ACCOUNT],
    ['arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline', 'AWS-RunPatchBaseline', DocumentOwner.AMAZON],
    ['arn:aws-cn:ssm:cn-north-1:222222222222:document/China.Doc', 'China.Doc', DocumentOwner.OTHER_ACCOUNT],
  ])('fromDocumentArn parses %s', (arn, name, owner) => {
    const stack = testStack();
    const doc = Document.fromDocumentArn(stack, 'Doc', arn);
    expect(doc.documentName).toBe(name);
    expect(doc.documentArn).toBe(arn);
    expect(doc.owner).toBe(owner);
  });

  test('fromDocumentArn leaves the owner unknown in a stack without an account', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const doc = Document.fromDocumentArn(stack, 'Doc', 'arn:aws:ssm:us-east-1:222222222222:document/Shared-Doc');
    expect(doc.owner).toBeUndefined();
  });

  test('fromDocumentArn takes an unresolved ARN and derives the name with CloudFormation functions', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = Document.fromDocumentArn(stack, 'Doc', Fn.importValue('SharedDocArn'));
    // THEN
    expect(doc.owner).toBeUndefined();
    expect(stack.resolve(doc.documentName)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::ImportValue': 'SharedDocArn' }] }] }] }],
    });
  });

  test.each(['arn:aws:ssm:us-east-1:111111111111:parameter/x', 'Harden-Linux', 'arn:aws:ssm:us-east-1:1111:document/Doc'])(
    'fails when documentArn is %s', (arn) => {
      const stack = testStack();
      expect(() => Document.fromDocumentArn(stack, 'Doc', arn)).toThrow(
        `Stack/Doc: documentArn '${arn}' is not a document ARN; use arn:<partition>:ssm:<region>:<account>:document/<name>, with no account for AWS-owned documents`);
    });

  test.each([
    ['a b', "Stack/Doc: documentName 'a b' is not valid; use 3 to 128 letters, digits, '_', '-' or '.'"],
    ['arn:aws:ssm:us-east-1:222222222222:document/X', "Stack/Doc: documentName 'arn:aws:ssm:us-east-1:222222222222:document/X' is not valid; use 3 to 128 letters, digits, '_', '-' or '.' (import a document by ARN with Document.fromDocumentArn)"],
  ])('fails when fromDocumentName is given %s', (name, message) => {
    const stack = testStack();
    expect(() => Document.fromDocumentName(stack, 'Doc', name)).toThrow(message);
  });

  test('fails when documentName and documentArn disagree', () => {
    const stack = testStack();
    expect(() => Document.fromDocumentAttributes(stack, 'Doc', {
      documentName: 'Other', documentArn: 'arn:aws:ssm:us-east-1:111111111111:document/Mine',
    })).toThrow("Stack/Doc: documentName 'Other' does not match the name in documentArn 'arn:aws:ssm:us-east-1:111111111111:document/Mine'");
  });

  test('fails when neither documentName nor documentArn is given', () => {
    const stack = testStack();
    expect(() => Document.fromDocumentAttributes(stack, 'Doc', {})).toThrow('Stack/Doc: documentName and documentArn are both missing; give one of them to import a document');
  });

  test('fromDocumentAttributes carries the declared parameters for later checks', () => {
    const stack = testStack();
    const doc = Document.fromDocumentAttributes(stack, 'Doc', {
      documentArn: 'arn:aws:ssm:us-east-1:222222222222:document/Shared-Doc',
      parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'] }) },
    });
    expect(doc.parameters?.level.required).toBe(true);
    expect(doc.parameters?.level.allowedValues).toEqual(['low', 'high']);
  });
});
