import { AwsManagedDocument, DocumentOwner, DocumentParameter, DocumentParameterType, DocumentType, RunCommand, Target } from '../../src';
import { testStack } from '../util';

describe('AwsManagedDocument', () => {
  test('has an ARN without an account, in the stack that uses it', () => {
    const stack = testStack();
    expect(AwsManagedDocument.RUN_SHELL_SCRIPT.documentName).toBe('AWS-RunShellScript');
    expect(stack.resolve(AwsManagedDocument.RUN_SHELL_SCRIPT.documentArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, '::document/AWS-RunShellScript']],
    });
    expect(AwsManagedDocument.RUN_SHELL_SCRIPT.owner).toBe(DocumentOwner.AMAZON);
  });

  test.each([
    ['RUN_SHELL_SCRIPT', 'AWS-RunShellScript', ['commands']],
    ['RUN_POWERSHELL_SCRIPT', 'AWS-RunPowerShellScript', ['commands']],
    ['RUN_PATCH_BASELINE', 'AWS-RunPatchBaseline', ['Operation']],
    ['UPDATE_SSM_AGENT', 'AWS-UpdateSSMAgent', []],
    ['CONFIGURE_AWS_PACKAGE', 'AWS-ConfigureAWSPackage', ['action', 'name']],
    ['GATHER_SOFTWARE_INVENTORY', 'AWS-GatherSoftwareInventory', []],
    ['RUN_ANSIBLE_PLAYBOOK', 'AWS-RunAnsiblePlaybook', []],
    ['APPLY_ANSIBLE_PLAYBOOKS', 'AWS-ApplyAnsiblePlaybooks', ['SourceType']],
    ['RUN_REMOTE_SCRIPT', 'AWS-RunRemoteScript', ['sourceType']],
    ['RUN_DOCUMENT', 'AWS-RunDocument', ['sourceType']],
    ['CONFIGURE_DOCKER', 'AWS-ConfigureDocker', ['action']],
    ['INSTALL_APPLICATION', 'AWS-InstallApplication', ['source']],
    ['RUN_INSPEC_CHECKS', 'AWS-RunInspecChecks', ['sourceType']],
    ['APPLY_CHEF_RECIPES', 'AWS-ApplyChefRecipes', []],
    ['REFRESH_ASSOCIATION', 'AWS-RefreshAssociation', []],
    ['INSTALL_WINDOWS_UPDATES', 'AWS-InstallWindowsUpdates', []],
    ['JOIN_DIRECTORY_SERVICE_DOMAIN', 'AWS-JoinDirectoryServiceDomain', ['directoryId', 'directoryName']],
  ])('%s is %s and requires %j', (constant, name, required) => {
    const doc = (AwsManagedDocument as any)[constant] as AwsManagedDocument;
    expect(doc.documentName).toBe(name);
    const requiredNames = Object.entries(doc.parameters ?? {}).filter(([, p]) => p.required).map(([n]) => n);
    expect(requiredNames.sort()).toEqual([...required].sort());
  });

  test('knows the allowed values and types of the patching parameters', () => {
    const { Operation, RebootOption } = AwsManagedDocument.RUN_PATCH_BASELINE.parameters!;
    expect(Operation.allowedValues).toEqual(['Scan', 'Install']);
    expect(RebootOption.allowedValues).toEqual(['RebootIfNeeded', 'NoReboot']);
    expect(AwsManagedDocument.RUN_SHELL_SCRIPT.parameters!.commands.type).toBe(DocumentParameterType.STRING_LIST);
  });

  test('of refers to another AWS-owned document, with or without its parameters', () => {
    const hooks = AwsManagedDocument.of('AWS-RunPatchBaselineWithHooks');
    expect(hooks.parameters).toBeUndefined();
    expect(hooks.owner).toBe(DocumentOwner.AMAZON);
    const withSchema = AwsManagedDocument.of('AWS-Custom', { parameters: { x: DocumentParameter.string() } });
    expect(withSchema.parameters?.x.required).toBe(true);
    expect(withSchema.documentType).toBeUndefined();
    expect(AwsManagedDocument.RUN_SHELL_SCRIPT.documentType).toBe(DocumentType.COMMAND);
    expect(AwsManagedDocument.of('AWS-RunbookX', { documentType: DocumentType.AUTOMATION }).documentType).toBe(DocumentType.AUTOMATION);
    expect(AwsManagedDocument.GATHER_SOFTWARE_INVENTORY.documentType).toBe(DocumentType.POLICY);
  });

  test('fails when a construct uses a document named by of() with a name Systems Manager does not take', () => {
    const stack = testStack();
    const document = AwsManagedDocument.of('AWS RunShellScript');
    expect(() => new RunCommand(stack, 'Run', { document, targets: [Target.tag('Role', 'web')] })).toThrow(
      "Stack/Run: document 'AWS RunShellScript' is not valid; use 3 to 128 letters, digits, '_', '-' or '.'");
  });
});
