import * as path from 'path';
import { CfnElement, CfnParameter, Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as YAML from 'yaml';
import {
  CommandDocument, CommandDocumentProps, CommandStep, DocumentFormat, DocumentOwner, DocumentParameter,
  DocumentParameterType, Platform, StepFailureAction,
} from '../../src';
import { show } from '../../src/private/errors';
import { testStack } from '../util';

const FIXTURES = path.join(__dirname, 'fixtures');

function harden(overrides: Partial<CommandDocumentProps> = {}): CommandDocumentProps {
  return {
    parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'high' }) },
    steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh {{ level }}'] })],
    ...overrides,
  };
}

function logicalId(doc: CommandDocument): string {
  return Stack.of(doc).getLogicalId(doc.node.defaultChild as CfnElement);
}

function contentOf(template: Template): any {
  const documents = template.findResources('AWS::SSM::Document');
  return Object.values(documents)[0].Properties.Content;
}

describe('CommandDocument', () => {
  test('default configuration', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript('hello', { commands: ['echo hello'] })] });
    // THEN
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('renders a schemaVersion 2.2 Command document in JSON', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', harden({ description: 'Hardens Linux' }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', {
      DocumentType: 'Command',
      DocumentFormat: 'JSON',
      Content: {
        schemaVersion: '2.2',
        description: 'Hardens Linux',
        parameters: { level: { type: 'String', allowedValues: ['low', 'high'], default: 'high' } },
        mainSteps: [{ action: 'aws:runShellScript', name: 'apply', inputs: { runCommand: ['./harden.sh {{ level }}'] } }],
      },
      Name: Match.absent(),
      UpdateMethod: Match.absent(),
    });
    Template.fromStack(stack).hasResource('AWS::SSM::Document', { Metadata: Match.absent() });
  });

  test('a named document is updated with new versions instead of being replaced', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = new CommandDocument(stack, 'Doc', harden({ documentName: 'Harden-Linux', versionName: 'v1.2' }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', {
      Name: 'Harden-Linux',
      UpdateMethod: 'NewVersion',
      VersionName: 'v1.2',
    });
    expect(stack.resolve(doc.documentName)).toEqual({ Ref: logicalId(doc) });
  });

  test('exposes its name, ARN, owner and parameters', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const doc = new CommandDocument(stack, 'Doc', harden());
    // THEN
    expect(stack.resolve(doc.documentName)).toEqual({ Ref: logicalId(doc) });
    expect(stack.resolve(doc.documentArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111111111111:document/', { Ref: logicalId(doc) }]],
    });
    expect(doc.owner).toBe(DocumentOwner.SELF);
    expect(doc.parameters?.level.type).toBe(DocumentParameterType.STRING);
    expect(doc.parameters?.level.required).toBe(false);
    expect(doc.parameters?.level.allowedValues).toEqual(['low', 'high']);
  });

  test('writes targetType, requires and tags', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', harden({
      targetType: '/AWS::EC2::Instance',
      requires: [{ name: 'MyConfigSchema', version: '$DEFAULT' }, { name: 'Other-Schema' }],
      tags: { team: 'platform' },
    }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', {
      TargetType: '/AWS::EC2::Instance',
      Requires: [{ Name: 'MyConfigSchema', Version: '$DEFAULT' }, { Name: 'Other-Schema' }],
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
  });

  test('writes YAML on request', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', harden({ documentFormat: DocumentFormat.YAML }));
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSM::Document', { DocumentFormat: 'YAML', Content: Match.stringLikeRegexp('^schemaVersion: "2.2"') });
    template.hasResource('AWS::SSM::Document', { Metadata: { 'cfn-lint': { config: { ignore_checks: ['E3051'] } } } });
    expect(YAML.parse(contentOf(template))).toEqual({
      schemaVersion: '2.2',
      parameters: { level: { type: 'String', allowedValues: ['low', 'high'], default: 'high' } },
      mainSteps: [{ action: 'aws:runShellScript', name: 'apply', inputs: { runCommand: ['./harden.sh {{ level }}'] } }],
    });
  });

  test('steps carry platform preconditions, timeouts and flow control', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', {
      steps: [
        CommandStep.runShellScript('linux', { commands: ['uptime'], platform: Platform.LINUX, timeout: Duration.minutes(10), onFailure: StepFailureAction.EXIT }),
        CommandStep.runPowerShellScript('windows', { commands: ['Get-Date'], platform: Platform.WINDOWS, workingDirectory: 'C:\\temp', isEnd: true }),
        CommandStep.runShellScript('cleanup', { commands: ['rm -rf /tmp/x'], finallyStep: true }),
      ],
    });
    // THEN
    expect(contentOf(Template.fromStack(stack)).mainSteps).toEqual([
      {
        action: 'aws:runShellScript',
        name: 'linux',
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: { runCommand: ['uptime'], timeoutSeconds: '600', onFailure: 'exit' },
      },
      {
        action: 'aws:runPowerShellScript',
        name: 'windows',
        precondition: { StringEquals: ['platformType', 'Windows'] },
        inputs: { runCommand: ['Get-Date'], workingDirectory: 'C:\\temp', onFailure: 'exit', onSuccess: 'exit' },
      },
      { action: 'aws:runShellScript', name: 'cleanup', inputs: { runCommand: ['rm -rf /tmp/x'], finallyStep: true } },
    ]);
  });

  test('warns about a declared parameter no step refers to', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', harden({
      parameters: {
        level: DocumentParameter.string({ default: 'high' }),
        unused: DocumentParameter.string({ default: 'x' }),
      },
    }));
    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Doc', Match.stringLikeRegexp(
      "^parameters 'unused' is declared but no step refers to it as \\{\\{ unused \\}\\}; refer to it in a step, or leave it out"));
    expect(annotations.findWarning('/Stack/Doc', Match.stringLikeRegexp("'level'"))).toHaveLength(0);
  });

  test('allows Parameter Store references in steps and defaults', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new CommandDocument(stack, 'Doc', {
      parameters: { region: DocumentParameter.string({ default: '{{ssm:/config/region}}' }) },
      steps: [CommandStep.runShellScript('apply', { commands: ['echo {{ region }} {{ssm:/config/env}} {{ ssm-secure:/token }}'] })],
    });
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Document', 1);
  });

  describe('raw content', () => {
    const raw = {
      schemaVersion: '2.2',
      description: 'Raw',
      parameters: { message: { type: 'String', default: 'hi' } },
      mainSteps: [{ action: 'aws:runShellScript', name: 'echo', inputs: { runCommand: ['echo {{ message }}'] } }],
    };

    test('fromContent takes an object and writes it unchanged', () => {
      // GIVEN
      const stack = testStack();
      // WHEN
      const doc = CommandDocument.fromContent(stack, 'Doc', raw, { documentName: 'Raw-Doc' });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Content: raw, Name: 'Raw-Doc', UpdateMethod: 'NewVersion' });
      expect(doc.parameters?.message.required).toBe(false);
    });

    test('fromContent parses a YAML or JSON string', () => {
      // GIVEN
      const stack = testStack();
      // WHEN
      CommandDocument.fromContent(stack, 'Yaml', YAML.stringify(raw));
      CommandDocument.fromContent(stack, 'Json', JSON.stringify(raw));
      // THEN
      const documents = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Document'));
      expect(documents.map((d) => d.Properties.Content)).toEqual([raw, raw]);
    });

    test('fromFile reads JSON and YAML files', () => {
      // GIVEN
      const stack = testStack();
      // WHEN
      const json = CommandDocument.fromFile(stack, 'Json', path.join(FIXTURES, 'install-agent.json'));
      const yaml = CommandDocument.fromFile(stack, 'Yaml', path.join(FIXTURES, 'install-agent.yaml'), { documentFormat: DocumentFormat.YAML });
      // THEN
      expect(json.content).toEqual(yaml.content);
      expect(json.content.mainSteps[0].name).toBe('install');
      expect(Object.keys(json.parameters ?? {})).toEqual(['version']);
      Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { DocumentFormat: 'YAML', Content: Match.stringLikeRegexp('name: install') });
    });

    test('fails when raw content references an undeclared parameter', () => {
      const stack = testStack();
      expect(() => CommandDocument.fromContent(stack, 'Doc', { ...raw, parameters: {} })).toThrow(
        "Stack/Doc: mainSteps[0] '{{ message }}' refers to no declared parameter; the document declares no parameters");
    });

    test('fails when raw content uses schemaVersion 1.2, saying that 1.2 is not supported and why', () => {
      const stack = testStack();
      const message = "schemaVersion '1.2' is not supported: a 1.2 document can't be updated, only replaced under a new name, and runs its "
        + "plugins in no set order; use '2.2', with runtimeConfig's plugins as mainSteps";
      const runtimeConfig = { 'aws:runShellScript': { properties: [{ id: '0.aws:runShellScript', runCommand: ['uptime'] }] } };
      expect(() => CommandDocument.fromContent(stack, 'Doc', { schemaVersion: '1.2', runtimeConfig })).toThrow(`Stack/Doc: ${message}`);
      expect(() => CommandDocument.fromContent(stack, 'Doc2', { ...raw, schemaVersion: '1.2' })).toThrow(`Stack/Doc2: ${message}`);
    });

    test('fails when a YAML string does not parse, naming the construct', () => {
      const stack = testStack();
      expect(() => CommandDocument.fromContent(stack, 'Doc', 'schemaVersion: "2.2"\n  mainSteps: [')).toThrow(/^Stack\/Doc: content is not valid JSON or YAML: /);
    });

    test('fails when the file is missing or does not parse, naming the construct and the file', () => {
      const stack = testStack();
      expect(() => CommandDocument.fromFile(stack, 'Missing', 'no-such.yaml')).toThrow(/^Stack\/Missing: the document file 'no-such.yaml' can't be read: ENOENT/);
      expect(() => CommandDocument.fromFile(stack, 'Bad', path.join(FIXTURES, 'not-yaml.txt'))).toThrow(
        /^Stack\/Bad: the document file '.*not-yaml.txt' is not valid JSON or YAML: /);
    });

    test('leaves other {{ }} text alone: Go templates and CloudFormation references', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', {
        steps: [CommandStep.runShellScript('list', { commands: ["docker ps --format '{{.Names}}'", 'echo {{resolve:ssm:/x}} {{}}'] })],
      })).not.toThrow();
    });

    test('fails when raw content is not an object', () => {
      const stack = testStack();
      expect(() => CommandDocument.fromContent(stack, 'Doc', '- a\n- b')).toThrow('Stack/Doc: content ["a","b"] is not an object; use a JSON or YAML object with schemaVersion and mainSteps');
    });

    test('fails when a step uses Automation-only keys', () => {
      const stack = testStack();
      const steps = [{ ...raw.mainSteps[0], isEnd: true }];
      expect(() => CommandDocument.fromContent(stack, 'Doc', { ...raw, mainSteps: steps })).toThrow(
        "Stack/Doc: mainSteps[0] 'isEnd' is not a key of Command document steps (isEnd, isCritical, nextStep and maxAttempts belong to Automation runbooks); use 'action', 'name', 'inputs' or 'precondition'");
    });
  });

  describe('validation', () => {
    test('fails when a step references an undeclared parameter', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden({
        steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh {{ levl }}'] })],
      }))).toThrow("Stack/Doc: mainSteps[0] '{{ levl }}' refers to no declared parameter; use 'level'");
    });

    test('fails when a precondition references an undeclared parameter', () => {
      const stack = testStack();
      const step = CommandStep.plugin('aws:runShellScript', 'apply', { runCommand: ['true'] });
      const content = { schemaVersion: '2.2', mainSteps: [{ ...step._render(), precondition: { StringEquals: ['{{ os }}', 'x'] } }] };
      expect(() => CommandDocument.fromContent(stack, 'Doc', content)).toThrow('Stack/Doc: mainSteps[0] \'{{ os }}\' refers to no declared parameter; the document declares no parameters');
    });

    test.each(['AWS-Foo', 'aws-foo', 'Amazon-Baseline', 'amzn-tools', 'AWSEC2-Thing', 'AWSConfigRemediation-Fix', 'AWSSupport-Help'])(
      'fails when documentName is %s, a reserved prefix', (documentName) => {
        const stack = testStack();
        expect(() => new CommandDocument(stack, 'Doc', harden({ documentName }))).toThrow(
          `Stack/Doc: documentName '${documentName}' starts with a prefix reserved for AWS; use a name that doesn't start with aws, amazon or amzn `
          + '(in any case, which includes AWSEC2, AWSConfigRemediation and AWSSupport)');
      });

    test.each(['ab', 'has space', 'x'.repeat(129), 'semi;colon'])('fails when documentName is %s', (documentName) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden({ documentName }))).toThrow(
        /^Stack\/Doc: documentName '.*' is not valid; use 3 to 128 letters, digits, '_', '-' or '.'$/);
    });

    test.each(['abc', 'Harden_Linux-2.0', 'x'.repeat(128), 'Awesome'.replace('Aw', 'Bw')])('accepts documentName %s', (documentName) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden({ documentName }))).not.toThrow();
    });

    test('fails when the content is more than 64 KB', () => {
      const stack = testStack();
      const commands = Array.from({ length: 65 }, () => `echo ${'x'.repeat(1020)}`);
      expect(() => new CommandDocument(stack, 'Doc', harden({ steps: [CommandStep.runShellScript('apply', { commands: ['{{ level }}', ...commands] })] })))
        .toThrow(/^Stack\/Doc: content has 6\d{4} bytes; use at most 65,536 \(64 KB, the most Systems Manager allows for a document\)$/);
    });

    test('accepts content of just under 64 KB', () => {
      const stack = testStack();
      const commands = Array.from({ length: 63 }, () => `echo ${'x'.repeat(1020)}`);
      expect(() => new CommandDocument(stack, 'Doc', harden({ steps: [CommandStep.runShellScript('apply', { commands: ['{{ level }}', ...commands] })] })))
        .not.toThrow();
    });

    test('fails when the YAML content is more than 64 KB', () => {
      const stack = testStack();
      const commands = Array.from({ length: 65 }, () => `echo ${'x'.repeat(1020)}`);
      expect(() => new CommandDocument(stack, 'Doc', harden({
        documentFormat: DocumentFormat.YAML,
        steps: [CommandStep.runShellScript('apply', { commands: ['{{ level }}', ...commands] })],
      }))).toThrow(/content has 6\d{4} bytes; use at most 65,536 \(64 KB/);
    });

    test('fails when there are no steps', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', { steps: [] })).toThrow(
        'Stack/Doc: mainSteps has 0 steps; use 1 or more (the steps of a typed document)');
      expect(() => CommandDocument.fromContent(stack, 'Raw', { schemaVersion: '2.2', mainSteps: [] })).toThrow(
        'Stack/Raw: mainSteps has 0 steps; use 1 or more (the steps of a typed document)');
    });

    test('fails when there are 1,001 tags', () => {
      const stack = testStack();
      const tags = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`key${i}`, 'value']));
      expect(() => new CommandDocument(stack, 'Doc', harden({ tags }))).toThrow('Stack/Doc: tags has 1001 tags; use at most 1,000');
    });

    test('fails when requires is empty', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden({ requires: [] }))).toThrow(
        'Stack/Doc: requires has 0 documents; use 1 or more (leave requires out for none)');
    });

    test('warns when a step of a document of several steps is named with 1 to 3 characters, and not in a document of one step', () => {
      // GIVEN
      const stack = testStack();
      // WHEN
      new CommandDocument(stack, 'Two', {
        steps: [CommandStep.runShellScript('run', { commands: ['a'] }), CommandStep.runShellScript('check', { commands: ['b'] })],
      });
      new CommandDocument(stack, 'One', { steps: [CommandStep.runShellScript('run', { commands: ['a'] })] });
      // THEN
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Stack/Two', Match.stringLikeRegexp(
        "^mainSteps\\[0\\].name 'run' has 3 characters; GetCommandInvocation reads the output of one step of a document of several steps "
        + "by a name of 4 or more, so this step's output can't be read on its own"));
      expect(annotations.findWarning('/Stack/One', Match.anyValue())).toHaveLength(0);
    });

    test('fails with the construct path when a step timeout is a token in minutes', () => {
      const stack = testStack();
      const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
      expect(() => new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript('apply', { commands: ['a'], timeout: Duration.minutes(minutes) })] }))
        .toThrow("Stack/Doc: steps[0].timeout (a token, in minutes) can't be converted to seconds before deployment; give the token with Duration.seconds()");
    });

    test('fails when step names repeat', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', {
        steps: [CommandStep.runShellScript('apply', { commands: ['a'] }), CommandStep.runShellScript('apply', { commands: ['b'] })],
      })).toThrow("Stack/Doc: mainSteps[1].name 'apply' is the name of another step; use a name unique in the document");
    });

    test.each(['', 'has space', 'semi;colon', 'x'.repeat(129)])('fails when a step is named %j', (name) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript(name, { commands: ['a'] })] })).toThrow(
        `Stack/Doc: mainSteps[0].name ${show(name)} is not valid; use 1 to 128 letters, digits, '_', '-' or '.'`);
    });

    test('fails when a step is not a plugin', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', { steps: [CommandStep.plugin('runShellScript', 'apply', {})] })).toThrow(
        "Stack/Doc: mainSteps[0].action 'runShellScript' is not a plugin name; use one such as 'aws:runShellScript'");
    });

    test('fails when a plugin misses a required input', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript('apply', { commands: [] })] })).toThrow(
        "Stack/Doc: mainSteps[0].inputs lacks 'runCommand', which aws:runShellScript needs; give it (commands of CommandStep)");
    });

    test('fails when a plugin input has a value the plugin does not take', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', {
        steps: [CommandStep.plugin('aws:configurePackage', 'install', { name: 'AmazonCloudWatchAgent', action: 'Upgrade' })],
      })).toThrow("Stack/Doc: mainSteps[0].inputs.action 'Upgrade' is not valid; use 'Install' or 'Uninstall'");
    });

    test.each([Duration.seconds(4), Duration.hours(49), Duration.millis(1500)])('fails when a step timeout is %s', (timeout) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript('apply', { commands: ['a'], timeout })] })).toThrow(
        `Stack/Doc: steps[0].timeout ${timeout.toHumanString()} is not valid; use whole seconds from 5 seconds to 2 days`);
    });

    test.each(['4', 172801, '1.5'])('fails when raw content has a step timeout of %j seconds', (timeoutSeconds) => {
      const stack = testStack();
      const content = { schemaVersion: '2.2', mainSteps: [{ action: 'aws:runShellScript', name: 'apply', inputs: { runCommand: ['a'], timeoutSeconds } }] };
      expect(() => CommandDocument.fromContent(stack, 'Doc', content)).toThrow(
        `Stack/Doc: mainSteps[0].inputs.timeoutSeconds ${show(timeoutSeconds)} is not valid; use a whole number of seconds from 5 to 172,800 (48 hours)`);
    });

    test.each([Duration.seconds(5), Duration.hours(48)])('accepts a step timeout of %s', (timeout) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', { steps: [CommandStep.runShellScript('apply', { commands: ['a'], timeout })] })).not.toThrow();
    });

    test('fails when a finally step is not the last step', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', {
        steps: [CommandStep.runShellScript('cleanup', { commands: ['a'], finallyStep: true }), CommandStep.runShellScript('apply', { commands: ['b'] })],
      })).toThrow('Stack/Doc: mainSteps[0].inputs.finallyStep true is not allowed before the last step; only the last step of a document can be a finally step');
    });

    test('fails when a precondition names an invalid platform type', () => {
      const stack = testStack();
      const step = CommandStep.plugin('aws:runShellScript', 'apply', { runCommand: ['true'] })._render();
      expect(() => CommandDocument.fromContent(stack, 'Doc', {
        schemaVersion: '2.2', mainSteps: [{ ...step, precondition: { StringEquals: ['platformType', 'Solaris'] } }],
      })).toThrow("Stack/Doc: mainSteps[0].precondition 'Solaris' is not a platform; use 'Linux', 'Windows' or 'MacOS'");
      expect(() => CommandDocument.fromContent(stack, 'Doc2', {
        schemaVersion: '2.2', mainSteps: [{ ...step, precondition: { StringEquals: ['platformType', 'linux'] } }],
      })).not.toThrow();
    });

    test('fails when a precondition is used with schemaVersion 2.0 or has another operator', () => {
      const stack = testStack();
      const step = { ...CommandStep.plugin('aws:runShellScript', 'apply', { runCommand: ['true'] })._render(), precondition: { StringEquals: ['platformType', 'Linux'] } };
      expect(() => CommandDocument.fromContent(stack, 'Doc', { schemaVersion: '2.0', mainSteps: [step] })).toThrow(
        "Stack/Doc: mainSteps[0].precondition {\"StringEquals\":[\"platformType\",\"Linux\"]} needs schemaVersion '2.2'; the document has '2.0'");
      expect(() => CommandDocument.fromContent(stack, 'Doc2', { schemaVersion: '2.2', mainSteps: [{ ...step, precondition: { StringLike: ['a', 'b'] } }] })).toThrow(
        "Stack/Doc2: mainSteps[0].precondition {\"StringLike\":[\"a\",\"b\"]} is not supported; use { StringEquals: ['platformType', 'Linux'] }");
    });

    test.each([
      ['a default outside allowedValues', DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'medium' }),
        "Stack/Doc: parameters.level.default 'medium' is not one of allowedValues; use 'low' or 'high'"],
      ['a default that does not match allowedPattern', DocumentParameter.string({ allowedPattern: '^[a-z]+$', default: 'High' }),
        "Stack/Doc: parameters.level.default 'High' does not match allowedPattern; use a value that matches '^[a-z]+$'"],
      ['a default shorter than minChars', DocumentParameter.string({ minChars: 3, default: 'hi' }),
        "Stack/Doc: parameters.level.default 'hi' has 2 characters; use 3 or more (minChars)"],
      ['a default longer than maxChars', DocumentParameter.string({ maxChars: 3, default: 'high' }),
        "Stack/Doc: parameters.level.default 'high' has 4 characters; use at most 3 (maxChars)"],
      ['a list default with an item outside allowedValues', DocumentParameter.stringList({ allowedValues: ['a', 'b'], default: ['a', 'c'] }),
        "Stack/Doc: parameters.level.default 'c' is not one of allowedValues; use 'a' or 'b'"],
      ['a list default with fewer items than minItems', DocumentParameter.stringList({ minItems: 2, default: ['a'] }),
        'Stack/Doc: parameters.level.default has 1 items; use 2 or more (minItems)'],
      ['a list default with more items than maxItems', DocumentParameter.stringList({ maxItems: 1, default: ['a', 'b'] }),
        'Stack/Doc: parameters.level.default has 2 items; use at most 1 (maxItems)'],
      ['a map default with more entries than maxItems', DocumentParameter.stringMap({ maxItems: 1, default: { a: '1', b: '2' } }),
        'Stack/Doc: parameters.level.default has 2 items; use at most 1 (maxItems)'],
      ['an integer default outside allowedValues', DocumentParameter.integer({ allowedValues: [1, 2], default: 3 }),
        'Stack/Doc: parameters.level.default 3 is not one of allowedValues; use 1 or 2'],
      ['an integer default that is not whole', DocumentParameter.integer({ default: 1.5 }),
        'Stack/Doc: parameters.level.default 1.5 does not have the parameter\'s type; use a value of type Integer'],
      ['minChars greater than maxChars', DocumentParameter.string({ minChars: 5, maxChars: 2 }),
        'Stack/Doc: parameters.level.minChars 5 is greater than maxChars (2); use at most 2'],
      ['minItems greater than maxItems', DocumentParameter.stringList({ minItems: 5, maxItems: 2 }),
        'Stack/Doc: parameters.level.minItems 5 is greater than maxItems (2); use at most 2'],
      ['a negative maxChars', DocumentParameter.string({ maxChars: -1 }),
        'Stack/Doc: parameters.level.maxChars -1 is not valid; use a whole number of 0 or more'],
      ['a map default that does not match allowedPattern as JSON', DocumentParameter.stringMap({ allowedPattern: '^\\{"SSM_', default: { a: '1' } }),
        'Stack/Doc: parameters.level.default \'{"a":"1"}\' does not match allowedPattern; use a value that matches \'^\\{"SSM_\''],
      ['a map default longer than maxChars as JSON', DocumentParameter.stringMap({ maxChars: 5, default: { a: '1' } }),
        'Stack/Doc: parameters.level.default \'{"a":"1"}\' has 9 characters; use at most 5 (maxChars)'],
      ['an empty allowedValues', DocumentParameter.string({ allowedValues: [] }),
        'Stack/Doc: parameters.level.allowedValues [] is not valid; use a list of at least one value'],
    ])('fails when a parameter has %s', (_, parameter, message) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden({ parameters: { level: parameter } }))).toThrow(message);
    });

    test.each([
      ['a default of the wrong type', { type: 'Boolean', default: 'true' }, "parameters.level.default 'true' does not have the parameter's type; use a value of type Boolean"],
      ['an unknown type', { type: 'Number' }, "parameters.level.type 'Number' is not valid; use 'String', 'StringList', 'Integer', 'Boolean', 'StringMap' or 'MapList'"],
      ['an unknown attribute', { type: 'String', minLength: 2 }, "parameters.level 'minLength' is not an attribute of parameter declarations; use 'type', 'description', "
        + "'default', 'allowedValues', 'allowedPattern', 'displayType', 'minItems', 'maxItems', 'minChars', 'maxChars' or 'interpolationType'"],
      ['an unknown displayType', { type: 'String', displayType: 'textbox' }, "parameters.level.displayType 'textbox' is not valid; use 'textfield' or 'textarea'"],
    ])('fails when a raw parameter has %s', (_, declaration, message) => {
      const stack = testStack();
      const content = { schemaVersion: '2.2', parameters: { level: declaration }, mainSteps: [{ action: 'aws:runShellScript', name: 'apply', inputs: { runCommand: ['{{ level }}'] } }] };
      expect(() => CommandDocument.fromContent(stack, 'Doc', content)).toThrow(`Stack/Doc: ${message}`);
    });

    test.each(['my_param', 'my-param', 'my param'])('fails when a parameter is named %s', (name) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', {
        parameters: { [name]: DocumentParameter.string() },
        steps: [CommandStep.runShellScript('apply', { commands: [`{{ ${name} }}`] })],
      })).toThrow(`Stack/Doc: parameters '${name}' is not a valid parameter name; use letters and digits only (SSM Agent does not substitute others)`);
    });

    test.each([
      ['versionName', { versionName: 'v 1' }, "Stack/Doc: versionName 'v 1' is not valid; use 1 to 128 letters, digits, '_', '-' or '.'"],
      ['targetType', { targetType: 'AWS::EC2::Instance' }, "Stack/Doc: targetType 'AWS::EC2::Instance' is not valid; use '/' or a resource type such as '/AWS::EC2::Instance' (at most 200 characters)"],
      ['requires name', { requires: [{ name: 'x' }] }, "Stack/Doc: requires[0].name 'x' is not valid; use 3 to 128 letters, digits, '_', '-', '.', ':' or '/' (a document shared from another account is named by its ARN)"],
      ['requires version', { requires: [{ name: 'Schema', version: 'latest' }] }, "Stack/Doc: requires[0].version 'latest' is not valid; use '$DEFAULT', '$LATEST' or a version number (at most 8 characters)"],
      ['tag key', { tags: { 'a;b': 'x' } }, "Stack/Doc: tags 'a;b' is not valid; use 1 to 128 letters, digits, spaces or _.:/=+-@"],
      ['tag value', { tags: { team: '' } }, "Stack/Doc: tags.team '' is not valid; use 1 to 256 letters, digits, spaces or _.:/=+-@"],
    ])('fails when %s is invalid', (_, overrides, message) => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden(overrides))).toThrow(message);
    });
  });

  describe('unresolved tokens are not validated', () => {
    test('in YAML content, which is then written as JSON so that CloudFormation resolves each token', () => {
      // GIVEN
      const stack = testStack();
      const packages = new CfnParameter(stack, 'Packages', { type: 'CommaDelimitedList' });
      // WHEN
      new CommandDocument(stack, 'Doc', {
        documentFormat: DocumentFormat.YAML,
        steps: [CommandStep.runShellScript('install', { commands: packages.valueAsList, workingDirectory: Fn.importValue('Dir') })],
      });
      // THEN
      const content = contentOf(Template.fromStack(stack));
      expect(content['Fn::Join'][1]).toEqual(expect.arrayContaining([{ 'Fn::ImportValue': 'Dir' }]));
      expect(JSON.stringify(content)).not.toContain('unresolved');
    });

    test('in allowedValues, which then do not restrict the default', () => {
      const stack = testStack();
      expect(() => new CommandDocument(stack, 'Doc', harden({
        parameters: { level: DocumentParameter.string({ allowedValues: [Lazy.string({ produce: () => 'x' }), 'low'], default: 'high' }) },
      }))).not.toThrow();
    });

    test('in any part of raw content', () => {
      const stack = testStack();
      const token = () => Lazy.any({ produce: () => ({}) });
      const step = { action: 'aws:runShellScript', name: 'apply', inputs: { runCommand: ['echo {{ level }}'] } };
      for (const [id, content] of Object.entries({
        Parameters: { schemaVersion: '2.2', parameters: token(), mainSteps: [step] },
        Declaration: { schemaVersion: '2.2', parameters: { level: token() }, mainSteps: [step] },
        Steps: { schemaVersion: '2.2', parameters: { level: { type: 'String' } }, mainSteps: token() },
        Inputs: { schemaVersion: '2.2', mainSteps: [{ ...step, inputs: token() }] },
        Precondition: { schemaVersion: '2.2', parameters: { level: { type: 'String' } }, mainSteps: [{ ...step, precondition: Fn.getAtt('X', 'Y') }] },
        Version: { schemaVersion: Fn.ref('Version'), parameters: { level: { type: 'String' } }, mainSteps: [{ ...step, action: Fn.ref('Action') }] },
      })) {
        expect(() => CommandDocument.fromContent(stack, id, content)).not.toThrow();
      }
    });

    test('in a raw string, which is written unchanged with a warning', () => {
      // GIVEN
      const stack = testStack();
      // WHEN
      CommandDocument.fromContent(stack, 'Doc', `schemaVersion: '2.2'\nmainSteps:\n  - action: aws:runShellScript\n    name: copy\n    inputs:\n      runCommand: [aws s3 cp s3://${Fn.ref('Bucket')}/x .]\n`);
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::SSM::Document', { DocumentFormat: 'YAML', Content: { 'Fn::Join': Match.anyValue() } });
      Annotations.fromStack(stack).hasWarning('/Stack/Doc', Match.stringLikeRegexp('was not checked at synth time'));
    });


    test('in names, version names, target types, requirements and tags', () => {
      // GIVEN
      const stack = testStack();
      const name = new CfnParameter(stack, 'Name');
      // WHEN
      new CommandDocument(stack, 'Doc', harden({
        documentName: name.valueAsString,
        versionName: Lazy.string({ produce: () => 'v 1' }),
        targetType: Fn.ref('TargetType'),
        requires: [{ name: Lazy.string({ produce: () => 'x' }), version: Lazy.string({ produce: () => 'latest' }) }],
        tags: { team: Lazy.string({ produce: () => '' }) },
      }));
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Name: { Ref: 'Name' }, UpdateMethod: 'NewVersion' });
    });

    test('in parameter constraints, defaults, step names and timeouts', () => {
      // GIVEN
      const stack = testStack();
      const timeout = new CfnParameter(stack, 'Timeout', { type: 'Number' });
      // WHEN
      new CommandDocument(stack, 'Doc', {
        parameters: {
          level: DocumentParameter.string({ allowedValues: ['low'], default: Lazy.string({ produce: () => 'medium' }) }),
          count: DocumentParameter.stringList({ maxItems: timeout.valueAsNumber, default: ['a', 'b'] }),
        },
        steps: [CommandStep.runShellScript(Lazy.string({ produce: () => 'x' }), {
          commands: ['echo {{ level }} {{ count }}', Fn.ref('Extra')],
          timeout: Duration.seconds(timeout.valueAsNumber),
        })],
      });
      // THEN
      expect(contentOf(Template.fromStack(stack)).mainSteps[0].inputs.timeoutSeconds).toEqual({ Ref: 'Timeout' });
    });

    test('in raw content given as a token, which is written unchecked and declares no known parameters', () => {
      // GIVEN
      const stack = testStack();
      // WHEN
      const doc = CommandDocument.fromContent(stack, 'Doc', Lazy.any({ produce: () => ({ schemaVersion: '2.2', mainSteps: [] }) }));
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Content: { schemaVersion: '2.2', mainSteps: [] } });
      expect(doc.parameters).toBeUndefined();
    });
  });
});
