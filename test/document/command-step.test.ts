import { CommandStep, InventoryCollection, PackageAction, PackageInstallationType, Platform, RunDocumentType, StepFailureAction } from '../../src';

describe('CommandStep', () => {
  test('runDocument runs an SSM document by default', () => {
    expect(CommandStep.runDocument('nested', { documentPath: 'Harden-Linux', documentParameters: { level: 'high' } })._render()).toEqual({
      action: 'aws:runDocument',
      name: 'nested',
      inputs: { documentType: 'SSMDocument', documentPath: 'Harden-Linux', documentParameters: { level: 'high' } },
    });
    expect(CommandStep.runDocument('local', { documentPath: 'ssmdocument', documentType: RunDocumentType.LOCAL_PATH })._render().inputs)
      .toEqual({ documentType: 'LocalPath', documentPath: 'ssmdocument' });
  });

  test('configurePackage writes additionalArguments as the JSON string the agent reads', () => {
    expect(CommandStep.configurePackage('install', {
      packageName: 'AmazonCloudWatchAgent',
      action: PackageAction.INSTALL,
      installationType: PackageInstallationType.IN_PLACE_UPDATE,
      version: '1.300',
      additionalArguments: { SSM_CONFIG: 'default' },
      platform: Platform.LINUX,
    })._render()).toEqual({
      action: 'aws:configurePackage',
      name: 'install',
      precondition: { StringEquals: ['platformType', 'Linux'] },
      inputs: {
        name: 'AmazonCloudWatchAgent',
        action: 'Install',
        installationType: 'In-place update',
        version: '1.300',
        additionalArguments: '{"SSM_CONFIG":"default"}',
      },
    });
  });

  test('updateSsmAgent fills in the agent, its manifest and allowDowngrade as a string', () => {
    expect(CommandStep.updateSsmAgent('update')._render().inputs).toEqual({
      agentName: 'amazon-ssm-agent',
      source: 'https://s3.{Region}.amazonaws.com/amazon-ssm-{Region}/ssm-agent-manifest.json',
      allowDowngrade: 'false',
    });
    expect(CommandStep.updateSsmAgent('update', { allowDowngrade: true, targetVersion: '3.3.0.0' })._render().inputs)
      .toMatchObject({ allowDowngrade: 'true', targetVersion: '3.3.0.0' });
  });

  test('softwareInventory writes only the collections given', () => {
    expect(CommandStep.softwareInventory('inventory', {
      applications: InventoryCollection.ENABLED,
      windowsUpdates: InventoryCollection.DISABLED,
      files: '[{"Path":"/etc","Pattern":["*.conf"],"Recursive":false}]',
    })._render()).toEqual({
      action: 'aws:softwareInventory',
      name: 'inventory',
      inputs: { applications: 'Enabled', windowsUpdates: 'Disabled', files: '[{"Path":"/etc","Pattern":["*.conf"],"Recursive":false}]' },
    });
  });

  test('plugin keeps its own inputs and adds flow control', () => {
    expect(CommandStep.plugin('aws:downloadContent', 'download', { sourceType: 'S3', sourceInfo: { path: 's3://b/k' }, onFailure: 'exit' }, {
      finallyStep: true,
    })._render()).toEqual({
      action: 'aws:downloadContent',
      name: 'download',
      inputs: { sourceType: 'S3', sourceInfo: { path: 's3://b/k' }, onFailure: 'exit', finallyStep: true },
    });
    expect(CommandStep.plugin('aws:runShellScript', 'stop', { runCommand: ['a'] }, { onFailure: StepFailureAction.SUCCESS_AND_EXIT })._render().inputs)
      .toEqual({ runCommand: ['a'], onFailure: 'successAndExit' });
  });
});
