import * as path from 'path';
import { CfnElement, CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CommandDocument, CommandDocumentProps, CommandStep } from '../../src';
import { testStack } from '../util';

const TYPE = 'Custom::SsmDocumentSharing';

function props(sharedWithAccounts?: string[], overrides: Partial<CommandDocumentProps> = {}): CommandDocumentProps {
  return { documentName: 'Harden-Linux', steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh'] })], sharedWithAccounts, ...overrides };
}

function logicalId(element: unknown): string {
  return Stack.of(element as CfnElement).getLogicalId(element as CfnElement);
}

describe('CommandDocument sharedWithAccounts', () => {
  test('adds a companion that shares the default version with the accounts, sorted, by the document\'s name', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = new CommandDocument(stack, 'Doc', props(['333333333333', '222222222222']));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 1);
    template.hasResourceProperties(TYPE, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkSsmOpsProviderframeworkonEvent'), 'Arn'] },
      DocumentName: { Ref: logicalId(doc.node.defaultChild) },
      AccountIds: ['222222222222', '333333333333'],
      SharedDocumentVersion: '$DEFAULT',
      RoleArn: { 'Fn::GetAtt': [logicalId(doc.node.findChild('Sharing').node.findChild('HandlerRole').node.defaultChild), 'Arn'] },
    });
    // The companion is the document's child `Sharing`.
    expect(doc.node.findChild('Sharing').node.path).toBe('Stack/Doc/Sharing');
  });

  test('the companion depends on the document, so it is created after it and deleted before it', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = new CommandDocument(stack, 'Doc', props(['222222222222']));
    // THEN: its DocumentName refers to the document, which is a dependency CloudFormation orders create and delete by
    const [sharing] = Object.values(Template.fromStack(stack).findResources(TYPE));
    expect(sharing.Properties.DocumentName).toEqual({ Ref: logicalId(doc.node.defaultChild) });
  });

  test('its role may describe and modify the sharing of this document only, in the isComplete phase only', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = new CommandDocument(stack, 'Doc', props(['222222222222'], { documentName: 'Harden-Linux' }));
    // THEN
    const role = doc.node.findChild('Sharing').node.findChild('HandlerRole').node.defaultChild;
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      Path: '/cdk-ssm-ops/',
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkSsmOpsProviderIsCompleteServiceRole'), 'Arn'] } },
          Condition: { StringEquals: { 'aws:RequestTag/cdk-ssm-ops:phase': 'isComplete' } },
        }],
      },
      Policies: [{
        PolicyName: 'Handler',
        PolicyDocument: {
          Statement: [{
            Action: ['ssm:DescribeDocumentPermission', 'ssm:ModifyDocumentPermission'],
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:document/', { Ref: logicalId(doc.node.defaultChild) }]],
            },
            Condition: { StringEquals: { 'aws:PrincipalTag/cdk-ssm-ops:phase': 'isComplete' } },
          }],
        },
      }],
    });
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toContain(logicalId(role));
  });

  test('a reordered list writes the same template', () => {
    const ids = ['444444444444', '222222222222', '333333333333'];
    const a = testStack();
    new CommandDocument(a, 'Doc', props(ids));
    const b = testStack();
    new CommandDocument(b, 'Doc', props([...ids].reverse()));
    expect(Template.fromStack(a).findResources(TYPE)).toEqual(Template.fromStack(b).findResources(TYPE));
  });

  test('documents from content and from files take it too', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    CommandDocument.fromContent(stack, 'Raw', {
      schemaVersion: '2.2',
      mainSteps: [{ action: 'aws:runShellScript', name: 'hello', inputs: { runCommand: ['echo hello'] } }],
    }, { documentName: 'Hello', sharedWithAccounts: ['222222222222'] });
    CommandDocument.fromFile(stack, 'File', path.join(__dirname, 'fixtures', 'install-agent.yaml'), { documentName: 'Install-Agent', sharedWithAccounts: ['333333333333'] });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 2);
    template.hasResourceProperties(TYPE, { AccountIds: ['222222222222'] });
    template.hasResourceProperties(TYPE, { AccountIds: ['333333333333'] });
  });

  test.each([
    ['left out', undefined],
    ['empty', []],
  ])('adds no companion and no provider when the list is %s', (_, accounts) => {
    const stack = testStack();
    new CommandDocument(stack, 'Doc', props(accounts));
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('accepts 1,000 accounts', () => {
    const stack = testStack();
    const ids = Array.from({ length: 1000 }, (_, i) => String(200000000000 + i));
    new CommandDocument(stack, 'Doc', props(ids));
    const [sharing] = Object.values(Template.fromStack(stack).findResources(TYPE));
    expect(sharing.Properties.AccountIds).toHaveLength(1000);
    // About 15 KB of properties; CloudFormation's limits are on the template (1 MB), not on one property.
    expect(JSON.stringify(sharing.Properties).length).toBeLessThan(16_000);
  });

  describe('validation', () => {
    test('fails when there are 1,001 accounts', () => {
      const stack = testStack();
      const ids = Array.from({ length: 1001 }, (_, i) => String(200000000000 + i));
      expect(() => new CommandDocument(stack, 'Doc', props(ids))).toThrow('Stack/Doc: sharedWithAccounts has 1001 accounts; use at most 1,000 '
        + '(the most Systems Manager shares a document with, unless AWS Support raises the quota)');
    });

    test.each(['12345678901', '1234567890123', '12345678901a', 'ab-123456789', '', ' 222222222222'])('fails when an account ID is %j', (id) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', props(['222222222222', id]))).toThrow(
        `Stack/Doc: sharedWithAccounts[1] '${id}' is not valid; use a 12-digit AWS account ID`);
    });

    test.each(['All', 'all', 'ALL'])('fails when an account is %j, saying that public sharing is not offered', (id) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', props([id]))).toThrow(`Stack/Doc: sharedWithAccounts[0] '${id}' would share the document `
        + 'publicly, which this library does not offer; list the 12-digit IDs of the accounts to share it with');
    });

    test('fails when an account is listed twice', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', props(['222222222222', '333333333333', '222222222222']))).toThrow(
        "Stack/Doc: sharedWithAccounts[2] '222222222222' is listed already, as sharedWithAccounts[0]; list each account once");
    });

    test('fails when a document without a documentName is shared, since each change of its content replaces it under a new name', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', props(['222222222222'], { documentName: undefined }))).toThrow(
        'Stack/Doc: sharedWithAccounts needs a documentName: a document without one is replaced, under a new name, at each change of its '
        + 'content, and the accounts it is shared with would lose it; give the document a documentName, so that its changes are new '
        + 'versions of the one document they share');
      // A list known only at deploy time may share it too.
      expect(() => new CommandDocument(stack, 'Listed', props(new CfnParameter(stack, 'Accounts', { type: 'CommaDelimitedList' }).valueAsList,
        { documentName: undefined }))).toThrow(/Stack\/Listed: sharedWithAccounts needs a documentName/);
    });

    test('an unnamed document shared with no account is fine', () => {
      const stack = testStack();
      new CommandDocument(stack, 'Doc', props([], { documentName: undefined }));
      Template.fromStack(stack).resourceCountIs(TYPE, 0);
    });

    test('fails when a document from content is shared with an invalid account', () => {
      const stack = testStack();
      expect(() => CommandDocument.fromContent(stack, 'Raw', {
        schemaVersion: '2.2',
        mainSteps: [{ action: 'aws:runShellScript', name: 'hello', inputs: { runCommand: ['echo hello'] } }],
      }, { documentName: 'Hello', sharedWithAccounts: ['All'] })).toThrow(/^Stack\/Raw: sharedWithAccounts\[0\] 'All' would share the document publicly/);
    });
  });

  describe('unresolved tokens are not validated', () => {
    test('a list token (a CommaDelimitedList parameter) is passed unchanged, for the handler to sort at deploy time', () => {
      // GIVEN
      const stack = testStack();
      const accounts = new CfnParameter(stack, 'Accounts', { type: 'CommaDelimitedList' });
      // WHEN
      new CommandDocument(stack, 'Doc', props(accounts.valueAsList));
      // THEN
      Template.fromStack(stack).hasResourceProperties(TYPE, { AccountIds: { Ref: 'Accounts' } });
    });

    test('IDs that are tokens are written after the known ones, which are checked and sorted', () => {
      // GIVEN
      const stack = testStack();
      const imported = Fn.importValue('audit-account');
      const lazy = Lazy.string({ produce: () => '555555555555' });
      // WHEN
      new CommandDocument(stack, 'Doc', props([imported, '333333333333', lazy, '222222222222']));
      // THEN
      Template.fromStack(stack).hasResourceProperties(TYPE, {
        AccountIds: ['222222222222', '333333333333', { 'Fn::ImportValue': 'audit-account' }, '555555555555'],
      });
    });

    test('a list token of Fn.split is not counted; with an assumed length of 1,001, it is', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', props(Fn.split(',', Fn.importValue('accounts'))))).not.toThrow();
      // Each of the assumed elements is a token, but how many there are is known.
      expect(() => new CommandDocument(stack, 'Split', props(Fn.split(',', Fn.importValue('accounts'), 1001)))).toThrow(
        /^Stack\/Split: sharedWithAccounts has 1001 accounts; use at most 1,000/);
    });
  });
});
