import { DocumentOwner, DocumentType, IDocument } from './document';
import { DocumentParameter } from './document-parameter';
import { awsOwnedDocumentArn } from '../private/document-names';

/**
 * Options of a reference to an AWS-owned document.
 */
export interface AwsManagedDocumentOptions {
  /**
   * The parameters the document declares.
   *
   * @default - parameters passed to the document are not checked
   */
  readonly parameters?: Record<string, DocumentParameter>;

  /**
   * The type of the document.
   *
   * @default - unknown
   */
  readonly documentType?: DocumentType;
}

/**
 * Documents owned by AWS, with the parameters they declare so that the values passed to them are checked at synth
 * time.
 *
 * AWS-owned documents take no `documentVersion` in associations, and their ARN has no account:
 * `arn:<partition>:ssm:<region>::document/<name>`. The parameter schemas were read from the documents' content
 * (GetDocument in us-east-1, 2026-08); AWS edits these documents in place, so a newer parameter may be missing here:
 * use `AwsManagedDocument.of(name)` to refer to a document without checking its parameters.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents.html
 *
 * @example
 * new RunCommand(this, 'Patch', {
 *   document: AwsManagedDocument.RUN_PATCH_BASELINE,
 *   parameters: { Operation: ['Scan'] },
 *   targets: [Target.tag('Role', 'web')],
 * });
 * // A document of AWS that has no constant here: its parameters are not checked.
 * const cloudWatch = AwsManagedDocument.of('AWS-ConfigureCloudWatch');
 */
export class AwsManagedDocument implements IDocument {
  /** `AWS-RunShellScript`, a Command document for Linux and MacOS nodes. */
  public static readonly RUN_SHELL_SCRIPT = new AwsManagedDocument('AWS-RunShellScript', {
    commands: DocumentParameter.stringList({ minItems: 1 }),
    workingDirectory: DocumentParameter.string({ default: '', maxChars: 4096 }),
    executionTimeout: DocumentParameter.string({ default: '3600', allowedPattern: '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)' }),
  });

  /** `AWS-RunPowerShellScript`, a Command document for Windows and Linux nodes. */
  public static readonly RUN_POWERSHELL_SCRIPT = new AwsManagedDocument('AWS-RunPowerShellScript', {
    commands: DocumentParameter.stringList({ minItems: 1 }),
    workingDirectory: DocumentParameter.string({ default: '', maxChars: 4096 }),
    executionTimeout: DocumentParameter.string({ default: '3600', allowedPattern: '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)' }),
  });

  /** `AWS-RunPatchBaseline`, a Command document for Windows, Linux and MacOS nodes. */
  public static readonly RUN_PATCH_BASELINE = new AwsManagedDocument('AWS-RunPatchBaseline', {
    AssociationId: DocumentParameter.string({ default: '', allowedPattern: '^((([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}){0,1})$' }),
    BaselineOverride: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^(https|s3)://([^/\'"\\`\\$\\v\\s]+)/(([^/\'"\\`\\$\\v\\s]+)/)*([^/\'"\\`\\$\\v\\s])+$' }),
    InstallOverrideList: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^(https|s3)://([^/\'"\\`\\$\\v\\s]+)/(([^/\'"\\`\\$\\v\\s]+)/)*([^/\'"\\`\\$\\v\\s])+$' }),
    Operation: DocumentParameter.string({ allowedValues: ['Scan', 'Install'] }),
    RebootOption: DocumentParameter.string({ default: 'RebootIfNeeded', allowedValues: ['RebootIfNeeded', 'NoReboot'] }),
    SnapshotId: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
    StepTimeoutSeconds: DocumentParameter.string({ default: '10800', allowedPattern: '^([1-9][0-9]{0,3}|[1-2][0-9]{4}|3[0-5][0-9]{3}|36000)$' }),
  });

  /** `AWS-UpdateSSMAgent`, a Command document for Windows, Linux and MacOS nodes. */
  public static readonly UPDATE_SSM_AGENT = new AwsManagedDocument('AWS-UpdateSSMAgent', {
    version: DocumentParameter.string({ default: '' }),
    allowDowngrade: DocumentParameter.string({ default: 'false', allowedValues: ['true', 'false'] }),
  });

  /** `AWS-ConfigureAWSPackage`, a Command document for Windows, Linux and MacOS nodes. */
  public static readonly CONFIGURE_AWS_PACKAGE = new AwsManagedDocument('AWS-ConfigureAWSPackage', {
    action: DocumentParameter.string({ allowedValues: ['Install', 'Uninstall'] }),
    installationType: DocumentParameter.string({ default: 'Uninstall and reinstall', allowedValues: ['Uninstall and reinstall', 'In-place update'] }),
    name: DocumentParameter.string({ allowedPattern: '^arn:[a-z0-9][-.a-z0-9]{0,62}:[a-z0-9][-.a-z0-9]{0,62}:([a-z0-9][-.a-z0-9]{0,62})?:([a-z0-9][-.a-z0-9]{0,62})?:(package|document)\\/[a-zA-Z0-9/:.\\-_]{1,128}$|^[a-zA-Z0-9/:.\\-_]{1,128}$' }),
    version: DocumentParameter.string({ default: '', allowedPattern: '^[a-zA-Z0-9._-]{0,128}$' }),
    additionalArguments: DocumentParameter.stringMap({ default: {}, maxChars: 4096 }),
  });

  /** `AWS-GatherSoftwareInventory`, a Policy document for Windows, Linux and MacOS nodes. */
  public static readonly GATHER_SOFTWARE_INVENTORY = new AwsManagedDocument('AWS-GatherSoftwareInventory', {
    applications: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    awsComponents: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    files: DocumentParameter.string({ default: '' }),
    networkConfig: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    windowsUpdates: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    instanceDetailedInformation: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    services: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    windowsRegistry: DocumentParameter.string({ default: '' }),
    windowsRoles: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    customInventory: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
    billingInfo: DocumentParameter.string({ default: 'Enabled', allowedValues: ['Enabled', 'Disabled'] }),
  }, DocumentType.POLICY);

  /** `AWS-RunAnsiblePlaybook`, a Command document for Linux and MacOS nodes. */
  public static readonly RUN_ANSIBLE_PLAYBOOK = new AwsManagedDocument('AWS-RunAnsiblePlaybook', {
    playbook: DocumentParameter.string({ default: '' }),
    playbookurl: DocumentParameter.string({ default: '', allowedPattern: '^\\s*$|^(http|https|s3)://[^\']*$' }),
    extravars: DocumentParameter.string({ default: 'SSM=True', allowedPattern: '^$|^\\w+\\=(([^\\s|:();&]+)|(\'[^|:();&]+\'))(\\s+\\w+\\=(([^\\s|:();&]+)|(\'[^|:();&]+\')))*$' }),
    check: DocumentParameter.string({ default: 'False', allowedValues: ['True', 'False'] }),
    timeoutSeconds: DocumentParameter.string({ default: '3600', allowedPattern: '^[1-9][0-9]{0,6}$' }),
  });

  /** `AWS-ApplyAnsiblePlaybooks`, a Command document for Linux nodes. */
  public static readonly APPLY_ANSIBLE_PLAYBOOKS = new AwsManagedDocument('AWS-ApplyAnsiblePlaybooks', {
    SourceType: DocumentParameter.string({ allowedValues: ['GitHub', 'S3'] }),
    SourceInfo: DocumentParameter.stringMap({ default: {} }),
    InstallDependencies: DocumentParameter.string({ default: 'True', allowedValues: ['True', 'False'] }),
    PlaybookFile: DocumentParameter.string({ default: 'hello-world-playbook.yml', allowedPattern: '[(a-z_A-Z0-9\\-\\.)/]+(.yml|.yaml)$' }),
    ExtraVariables: DocumentParameter.string({ default: 'SSM=True', allowedPattern: '^$|^\\w+\\=(([^\\s|:();&]+)|(\'[^|:();&]+\'))(\\s+\\w+\\=(([^\\s|:();&]+)|(\'[^|:();&]+\')))*$' }),
    Check: DocumentParameter.string({ default: 'False', allowedValues: ['True', 'False'] }),
    Verbose: DocumentParameter.string({ default: '-v', allowedValues: ['-v', '-vv', '-vvv', '-vvvv'] }),
    TimeoutSeconds: DocumentParameter.string({ default: '3600', allowedPattern: '^[1-9][0-9]{0,6}$' }),
  });

  /** `AWS-RunRemoteScript`, a Command document for Windows and Linux nodes. */
  public static readonly RUN_REMOTE_SCRIPT = new AwsManagedDocument('AWS-RunRemoteScript', {
    sourceType: DocumentParameter.string({ allowedValues: ['GitHub', 'S3'] }),
    sourceInfo: DocumentParameter.stringMap({ default: {} }),
    commandLine: DocumentParameter.string({ default: '' }),
    workingDirectory: DocumentParameter.string({ default: '', maxChars: 4096 }),
    executionTimeout: DocumentParameter.string({ default: '3600', allowedPattern: '([1-9][0-9]{0,3})|(1[0-9]{1,4})|(2[0-7][0-9]{1,3})|(28[0-7][0-9]{1,2})|(28800)' }),
  });

  /** `AWS-RunDocument`, a Command document for Windows and Linux nodes. */
  public static readonly RUN_DOCUMENT = new AwsManagedDocument('AWS-RunDocument', {
    sourceType: DocumentParameter.string({ allowedValues: ['GitHub', 'S3', 'SSMDocument'] }),
    sourceInfo: DocumentParameter.stringMap({ default: {} }),
    documentParameters: DocumentParameter.stringMap({ default: {} }),
  });

  /** `AWS-ConfigureDocker`, a Command document for Windows and Linux nodes. */
  public static readonly CONFIGURE_DOCKER = new AwsManagedDocument('AWS-ConfigureDocker', {
    action: DocumentParameter.string({ allowedValues: ['Install', 'Uninstall'] }),
  });

  /** `AWS-InstallApplication`, a Command document for Windows nodes. */
  public static readonly INSTALL_APPLICATION = new AwsManagedDocument('AWS-InstallApplication', {
    action: DocumentParameter.string({ default: 'Install', allowedValues: ['Install', 'Repair', 'Uninstall'] }),
    parameters: DocumentParameter.string({ default: '', allowedPattern: '^[^\']*$' }),
    source: DocumentParameter.string({ allowedPattern: '^[^\']*$' }),
    sourceHash: DocumentParameter.string({ default: '', allowedPattern: '^[A-Za-z0-9]*$' }),
  });

  /** `AWS-RunInspecChecks`, a Command document for Windows and Linux nodes. */
  public static readonly RUN_INSPEC_CHECKS = new AwsManagedDocument('AWS-RunInspecChecks', {
    sourceType: DocumentParameter.string({ allowedValues: ['GitHub', 'S3'] }),
    sourceInfo: DocumentParameter.stringMap({ default: {} }),
  });

  /** `AWS-ApplyChefRecipes`, a Command document for Windows and Linux nodes. */
  public static readonly APPLY_CHEF_RECIPES = new AwsManagedDocument('AWS-ApplyChefRecipes', {
    SourceType: DocumentParameter.string({ default: 'S3', allowedValues: ['Git', 'GitHub', 'HTTP', 'S3'] }),
    SourceInfo: DocumentParameter.stringMap({ default: { path: 'https://aws-applychefrecipes-examples.s3.amazonaws.com/apply-chef-recipes-example-cookbook.tar.gz' }, allowedPattern: '^.+$' }),
    RunList: DocumentParameter.string({ default: 'recipe[apply-chef-recipes-example-cookbook::default]', allowedPattern: '^(recipe\\[[^\'";&\\|><\\*\\?`\\$\\(\\)\\{\\}\\[\\]!#\\\\]+\\])(\\,recipe\\[[^\'";&\\|><\\*\\?`\\$\\(\\)\\{\\}\\[\\]!#\\\\]+\\])*$|^\\s*$' }),
    JsonAttributesSources: DocumentParameter.string({ default: '', allowedPattern: '(^$|^.+$)' }),
    JsonAttributesContent: DocumentParameter.string({ default: '{"filepath":"example.txt", "content":"Hello, World!"}', allowedPattern: '(^$|^.+$)' }),
    ChefClientVersion: DocumentParameter.string({ default: '14', allowedValues: ['None', '11', '12', '13', '14', '15', '16', '17', '18'] }),
    ChefClientArguments: DocumentParameter.string({ default: '', allowedPattern: '^[^\'";&\\|><\\*\\?`\\$\\(\\)\\{\\}\\[\\]!#\\\\]*$' }),
    WhyRun: DocumentParameter.string({ default: 'False', allowedValues: ['True', 'False'] }),
    ComplianceSeverity: DocumentParameter.string({ default: 'None', allowedValues: ['None', 'Critical', 'High', 'Medium', 'Low', 'Informational', 'Unspecified'] }),
    ComplianceType: DocumentParameter.string({ default: 'Custom:Chef', allowedPattern: '^$|^Custom\\:[a-zA-Z0-9\\-_\\.]{1,93}$' }),
    ComplianceReportBucket: DocumentParameter.string({ default: '', allowedPattern: '^[^\'";&\\|><\\*\\?`\\$\\(\\)\\{\\}\\[\\]!#\\\\]*$' }),
    ChefExecutionTimeout: DocumentParameter.string({ default: '3600', allowedPattern: '([1-9][0-9]{0,3})|(1[0-9]{1,4})|(2[0-7][0-9]{1,3})|(28[0-7][0-9]{1,2})|(28800)' }),
    ChefLicenseId: DocumentParameter.string({ default: '', allowedPattern: '^[^\'";&\\|><\\*\\?`\\$\\(\\)\\{\\}\\[\\]!#\\\\]*$' }),
  });

  /** `AWS-RefreshAssociation`, a Command document for Windows, Linux and MacOS nodes. */
  public static readonly REFRESH_ASSOCIATION = new AwsManagedDocument('AWS-RefreshAssociation', {
    associationIds: DocumentParameter.stringList({ default: [] }),
  });

  /** `AWS-InstallWindowsUpdates`, a Command document for Windows nodes. */
  public static readonly INSTALL_WINDOWS_UPDATES = new AwsManagedDocument('AWS-InstallWindowsUpdates', {
    Action: DocumentParameter.string({ default: 'Install', allowedValues: ['Install', 'Scan'] }),
    AllowReboot: DocumentParameter.string({ default: 'True', allowedValues: ['True', 'False'] }),
    IncludeKbs: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^((KB){0,1}[0-9]{1,7})(,((KB){0,1}[0-9]{1,7}))*$' }),
    ExcludeKbs: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^((KB){0,1}[0-9]{1,7})(,((KB){0,1}[0-9]{1,7}))*$' }),
    Categories: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^(Application|Connectors|CriticalUpdates|DefinitionUpdates|DeveloperKits|Drivers|FeaturePacks|Guidance|Microsoft|SecurityUpdates|ServicePacks|Tools|UpdateRollups|Updates)(,(Application|Connectors|CriticalUpdates|DefinitionUpdates|DeveloperKits|Drivers|FeaturePacks|Guidance|Microsoft|SecurityUpdates|ServicePacks|Tools|UpdateRollups|Updates))*$' }),
    SeverityLevels: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^(Critical|Important|Low|Moderate|Unspecified)(,(Critical|Important|Low|Moderate|Unspecified))*$' }),
    PublishedDaysOld: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^[0-9]\\d*$' }),
    PublishedDateAfter: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^(0[1-9]|1[012])[- \\/.](0[1-9]|[12][0-9]|3[01])[- \\/.]((?:19|20)\\d\\d)$' }),
    PublishedDateBefore: DocumentParameter.string({ default: '', allowedPattern: '(^$)|^(0[1-9]|1[012])[- \\/.](0[1-9]|[12][0-9]|3[01])[- \\/.]((?:19|20)\\d\\d)$' }),
  });

  /** `AWS-JoinDirectoryServiceDomain`, a Command document for Windows and Linux nodes. */
  public static readonly JOIN_DIRECTORY_SERVICE_DOMAIN = new AwsManagedDocument('AWS-JoinDirectoryServiceDomain', {
    directoryId: DocumentParameter.string(),
    directoryName: DocumentParameter.string(),
    directoryOU: DocumentParameter.string({ default: '' }),
    dnsIpAddresses: DocumentParameter.stringList({ default: [], allowedPattern: '((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)' }),
  });

  /**
   * Refers to another AWS-owned document by name, optionally with the parameters it declares.
   *
   * @param documentName the name of the document, such as `AWS-RunPatchBaselineWithHooks`
   *
   * @example
   * const doc = AwsManagedDocument.of('AWS-ConfigureCloudWatch', {
   *   parameters: { status: DocumentParameter.string({ allowedValues: ['Enabled', 'Disabled'] }) },
   * });
   */
  public static of(documentName: string, options: AwsManagedDocumentOptions = {}): AwsManagedDocument {
    // The type of a document named here is unknown unless given: AWS owns runbooks as well as Command documents.
    return new AwsManagedDocument(documentName, options.parameters, options.documentType ?? null);
  }

  public readonly documentName: string;
  /** The ARN of the document, in the region and partition of the stack that uses it. */
  public readonly documentArn: string;
  public readonly owner?: DocumentOwner = DocumentOwner.AMAZON;
  public readonly documentType?: DocumentType;
  public readonly parameters?: Record<string, DocumentParameter>;

  private constructor(
    documentName: string,
    parameters?: Record<string, DocumentParameter>,
    documentType: DocumentType | null = DocumentType.COMMAND,
  ) {
    this.documentName = documentName;
    this.documentArn = awsOwnedDocumentArn(documentName);
    this.parameters = parameters;
    this.documentType = documentType ?? undefined;
  }
}
