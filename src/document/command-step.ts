import { Duration, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { STEP_TIMEOUT_SECONDS } from '../private/document-limits';
import { wholeUnits } from '../private/validate';

/**
 * An operating system a step can be limited to with a precondition.
 */
export enum Platform {
  /** Linux nodes. */
  LINUX = 'Linux',
  /** Windows Server nodes. */
  WINDOWS = 'Windows',
  /** macOS nodes. */
  MAC_OS = 'MacOS',
}

/**
 * What the document does when a step fails.
 */
export enum StepFailureAction {
  /** Stop the document, and the command fails. */
  EXIT = 'exit',
  /** Stop the document, and the command succeeds. */
  SUCCESS_AND_EXIT = 'successAndExit',
}

/**
 * Options every step accepts.
 *
 * `onFailure`, `isEnd` and `finallyStep` need SSM Agent 3.0.502 or later.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html#shared-inputs
 */
export interface CommandStepOptions {
  /**
   * Run the step only on nodes of this platform, and skip it on the others.
   *
   * @default - the step runs on every platform its plugin supports
   */
  readonly platform?: Platform;

  /**
   * What to do when the step fails.
   *
   * @default - the next step runs
   */
  readonly onFailure?: StepFailureAction;

  /**
   * Stop the document after this step. Command documents have no `isEnd`: this sets the step's `onSuccess` input
   * to `exit`, and its `onFailure` to `exit` unless `onFailure` is given.
   *
   * @default false
   */
  readonly isEnd?: boolean;

  /**
   * Run this step even when an earlier step exits the document. Only the last step of a document may be a
   * finally step.
   *
   * @default false
   */
  readonly finallyStep?: boolean;
}

/**
 * Options of the script steps, `aws:runShellScript` and `aws:runPowerShellScript`.
 */
export interface RunScriptStepOptions extends CommandStepOptions {
  /**
   * The commands to run, or the path of a script on the node. `{{ name }}` refers to a document parameter.
   */
  readonly commands: string[];

  /**
   * The folder the commands run in.
   *
   * @default - the agent's working folder for the command
   */
  readonly workingDirectory?: string;

  /**
   * How long the commands may run: whole seconds, 5 seconds to 48 hours.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
}

/**
 * Where `aws:runDocument` finds the document it runs.
 */
export enum RunDocumentType {
  /** A document of Systems Manager, by name or ARN. */
  SSM_DOCUMENT = 'SSMDocument',
  /** A document file on the node, such as one `aws:downloadContent` fetched. */
  LOCAL_PATH = 'LocalPath',
}

/**
 * Options of an `aws:runDocument` step.
 */
export interface RunDocumentStepOptions extends CommandStepOptions {
  /**
   * The document to run: its name or ARN, or the path of a document file on the node.
   */
  readonly documentPath: string;

  /**
   * Where the document is.
   *
   * @default RunDocumentType.SSM_DOCUMENT
   */
  readonly documentType?: RunDocumentType;

  /**
   * The parameters passed to the document.
   *
   * @default - none
   */
  readonly documentParameters?: Record<string, string>;
}

/**
 * What `aws:configurePackage` does with a package.
 */
export enum PackageAction {
  /** Install the package. */
  INSTALL = 'Install',
  /** Uninstall the package. */
  UNINSTALL = 'Uninstall',
}

/**
 * How `aws:configurePackage` updates an installed package.
 */
export enum PackageInstallationType {
  /** Uninstall the package, then install the new version. */
  UNINSTALL_AND_REINSTALL = 'Uninstall and reinstall',
  /** Update the package in place (not for packages published by AWS). */
  IN_PLACE_UPDATE = 'In-place update',
}

/**
 * Options of an `aws:configurePackage` step.
 */
export interface ConfigurePackageStepOptions extends CommandStepOptions {
  /** The name or ARN of the Distributor package, such as `AmazonCloudWatchAgent`. */
  readonly packageName: string;

  /** Install or uninstall. */
  readonly action: PackageAction;

  /**
   * How an installed package is updated.
   *
   * @default PackageInstallationType.UNINSTALL_AND_REINSTALL
   */
  readonly installationType?: PackageInstallationType;

  /**
   * The version to install or uninstall.
   *
   * @default - the latest version to install, the installed version to uninstall
   */
  readonly version?: string;

  /**
   * Values passed to the package's scripts. Keys start with `SSM_`; at most 4,096 characters in all.
   *
   * @default - none
   */
  readonly additionalArguments?: Record<string, string>;
}

/**
 * Options of an `aws:updateSsmAgent` step.
 */
export interface UpdateSsmAgentStepOptions extends CommandStepOptions {
  /**
   * The agent version to install.
   *
   * @default - the latest version
   */
  readonly targetVersion?: string;

  /**
   * Allow installing a version older than the one installed.
   *
   * @default false
   */
  readonly allowDowngrade?: boolean;
}

/**
 * Whether an inventory type is collected.
 */
export enum InventoryCollection {
  /** Collect it. */
  ENABLED = 'Enabled',
  /** Do not collect it. */
  DISABLED = 'Disabled',
}

/**
 * Options of an `aws:softwareInventory` step. The plugin runs only through State Manager associations.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/inventory-schema.html
 */
export interface SoftwareInventoryStepOptions extends CommandStepOptions {
  /**
   * Installed applications.
   *
   * @default - the agent's default
   */
  readonly applications?: InventoryCollection;
  /**
   * AWS components such as the EC2 drivers and the SSM Agent.
   *
   * @default - the agent's default
   */
  readonly awsComponents?: InventoryCollection;
  /**
   * Network configuration.
   *
   * @default - the agent's default
   */
  readonly networkConfig?: InventoryCollection;
  /**
   * Windows updates.
   *
   * @default - the agent's default
   */
  readonly windowsUpdates?: InventoryCollection;
  /**
   * Detailed instance information (CPU, cores, hyper-threading).
   *
   * @default - the agent's default
   */
  readonly instanceDetailedInformation?: InventoryCollection;
  /**
   * Windows services.
   *
   * @default - the agent's default
   */
  readonly services?: InventoryCollection;
  /**
   * Windows roles.
   *
   * @default - the agent's default
   */
  readonly windowsRoles?: InventoryCollection;
  /**
   * Custom inventory.
   *
   * @default - the agent's default
   */
  readonly customInventory?: InventoryCollection;
  /**
   * Billing information.
   *
   * @default - the agent's default
   */
  readonly billingInfo?: InventoryCollection;
  /**
   * Files to collect, as the JSON filter of the inventory documentation.
   *
   * @default - no files
   */
  readonly files?: string;
  /**
   * Windows registry keys to collect, as the JSON filter of the inventory documentation.
   *
   * @default - no registry keys
   */
  readonly windowsRegistry?: string;
}

/**
 * A step of a Command document: one plugin run on the node.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html
 */
export class CommandStep {
  /**
   * Runs shell commands on Linux and macOS (`aws:runShellScript`).
   *
   * @example
   * const step = CommandStep.runShellScript('install', {
   *   commands: ['yum install -y nginx', 'systemctl enable --now nginx'],
   *   platform: Platform.LINUX,
   *   timeout: Duration.minutes(5),
   * });
   */
  public static runShellScript(name: string, options: RunScriptStepOptions): CommandStep {
    return CommandStep.script('aws:runShellScript', name, options);
  }

  /**
   * Runs PowerShell commands (`aws:runPowerShellScript`).
   *
   * @example
   * const step = CommandStep.runPowerShellScript('install', {
   *   commands: ['Install-WindowsFeature Web-Server'],
   *   platform: Platform.WINDOWS,
   *   onFailure: StepFailureAction.EXIT,
   * });
   */
  public static runPowerShellScript(name: string, options: RunScriptStepOptions): CommandStep {
    return CommandStep.script('aws:runPowerShellScript', name, options);
  }

  /** Runs another document, from Systems Manager or from a file on the node (`aws:runDocument`). */
  public static runDocument(name: string, options: RunDocumentStepOptions): CommandStep {
    return new CommandStep('aws:runDocument', name, {
      documentType: options.documentType ?? RunDocumentType.SSM_DOCUMENT,
      documentPath: options.documentPath,
      documentParameters: options.documentParameters,
    }, options);
  }

  /**
   * Installs or uninstalls a Distributor package (`aws:configurePackage`).
   *
   * @example
   * const step = CommandStep.configurePackage('cloudwatch-agent', {
   *   packageName: 'AmazonCloudWatchAgent',
   *   action: PackageAction.INSTALL,
   * });
   */
  public static configurePackage(name: string, options: ConfigurePackageStepOptions): CommandStep {
    return new CommandStep('aws:configurePackage', name, {
      name: options.packageName,
      action: options.action,
      installationType: options.installationType,
      version: options.version,
      // The agent reads additionalArguments only as a JSON string; a map is dropped.
      additionalArguments: options.additionalArguments && JSON.stringify(options.additionalArguments),
    }, options);
  }

  /** Updates the SSM Agent (`aws:updateSsmAgent`). */
  public static updateSsmAgent(name: string, options: UpdateSsmAgentStepOptions = {}): CommandStep {
    return new CommandStep('aws:updateSsmAgent', name, {
      agentName: 'amazon-ssm-agent',
      // The agent fills in {Region} itself.
      source: 'https://s3.{Region}.amazonaws.com/amazon-ssm-{Region}/ssm-agent-manifest.json',
      // The agent parses this input as a string.
      allowDowngrade: String(options.allowDowngrade ?? false),
      targetVersion: options.targetVersion,
    }, options);
  }

  /** Collects inventory metadata (`aws:softwareInventory`), which runs only through State Manager associations. */
  public static softwareInventory(name: string, options: SoftwareInventoryStepOptions = {}): CommandStep {
    return new CommandStep('aws:softwareInventory', name, {
      applications: options.applications,
      awsComponents: options.awsComponents,
      networkConfig: options.networkConfig,
      windowsUpdates: options.windowsUpdates,
      instanceDetailedInformation: options.instanceDetailedInformation,
      services: options.services,
      windowsRoles: options.windowsRoles,
      customInventory: options.customInventory,
      billingInfo: options.billingInfo,
      files: options.files,
      windowsRegistry: options.windowsRegistry,
    }, options);
  }

  /**
   * Runs any plugin, with its inputs as the plugin reference gives them. The step is validated like the others.
   *
   * @param action the plugin, such as `aws:downloadContent`
   *
   * @example
   * // A plugin without a factory of its own, with its inputs named as the plugin reference gives them (quoted, so
   * // that no language renames them).
   * const step = CommandStep.plugin('aws:downloadContent', 'download', {
   *   'sourceType': 'S3',
   *   'sourceInfo': '{"path":"https://amzn-s3-demo-bucket.s3.amazonaws.com/scripts/"}',
   *   'destinationPath': '/opt/scripts',
   * });
   */
  public static plugin(action: string, name: string, inputs: Record<string, any>, options: CommandStepOptions = {}): CommandStep {
    return new CommandStep(action, name, inputs, options);
  }

  private static script(action: string, name: string, options: RunScriptStepOptions): CommandStep {
    const { timeout } = options;
    return new CommandStep(action, name, {
      runCommand: options.commands,
      workingDirectory: options.workingDirectory,
      // A token in another unit than seconds can't be converted; _check reports it, naming the document.
      timeoutSeconds: timeout && (!timeout.isUnresolved() || timeout.unitLabel() === 'seconds')
        ? Tokenization.stringifyNumber(timeout.toSeconds({ integral: false })) : undefined,
    }, options, timeout);
  }

  /** The plugin the step runs, such as `aws:runShellScript`. */
  public readonly action: string;

  /** The name of the step, unique in its document. */
  public readonly name: string;

  private readonly inputs: Record<string, any>;
  private readonly options: CommandStepOptions;
  private readonly timeout?: Duration;

  private constructor(action: string, name: string, inputs: Record<string, any>, options: CommandStepOptions, timeout?: Duration) {
    this.action = action;
    this.name = name;
    this.inputs = inputs;
    this.options = options;
    this.timeout = timeout;
  }

  /**
   * Checks what only the typed step knows: a timeout in whole seconds, as the plugin's timeoutSeconds takes it. The
   * rendered step is checked with the document's content.
   *
   * @param scope the document, named in errors
   * @param property the step, such as `steps[0]`
   * @internal
   */
  public _check(scope: IConstruct, property: string): void {
    if (this.timeout !== undefined) {
      wholeUnits(scope, `${property}.timeout`, this.timeout, 'seconds', STEP_TIMEOUT_SECONDS.min, STEP_TIMEOUT_SECONDS.max);
    }
  }

  /**
   * The step as it appears in a document's `mainSteps`.
   *
   * @internal
   */
  public _render(): Record<string, any> {
    const { platform, onFailure, isEnd, finallyStep } = this.options;
    // The agent reads the flow-control settings from the step's inputs, not from the step itself.
    const flowControl = withoutUndefined({
      onFailure: onFailure ?? (isEnd ? StepFailureAction.EXIT : undefined),
      onSuccess: isEnd ? 'exit' : undefined,
      finallyStep: finallyStep || undefined,
    });
    const inputs = { ...withoutUndefined(this.inputs), ...flowControl };
    return withoutUndefined({
      action: this.action,
      name: this.name,
      precondition: platform && { StringEquals: ['platformType', platform] },
      inputs,
    });
  }
}

function withoutUndefined(object: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
