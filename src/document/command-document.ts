import * as fs from 'fs';
import { Stack, Tags, Token } from 'aws-cdk-lib';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import * as yaml from 'yaml';
import { checkCommandContent, contentBytes } from './command-content-validation';
import { CommandStep } from './command-step';
import { Document, DocumentOwner, DocumentType } from './document';
import { DocumentParameter } from './document-parameter';
import { addDocumentSharing, checkSharedWithAccounts } from './document-sharing';
import { MAX_CONTENT_BYTES } from '../private/document-limits';
import { isReservedDocumentName } from '../private/document-names';
import { DOCUMENT_VERSION } from '../private/document-versions';
import { SsmOpsValidationError, show } from '../private/errors';
import { containsToken } from '../private/tokens';
import {
  DOCUMENT_ARN, TAG_KEY, TextRule, checkCount, checkPattern, checkResourceName, known, reject, rejectCount, warn,
} from '../private/validate';

/**
 * The format a document's content is written in.
 */
export enum DocumentFormat {
  /** JSON. */
  JSON = 'JSON',
  /** YAML. */
  YAML = 'YAML',
}

/**
 * A document this document needs, such as an `ApplicationConfigurationSchema`.
 */
export interface DocumentRequirement {
  /** The name or ARN of the required document. */
  readonly name: string;

  /**
   * The version of the required document.
   *
   * @default - the default version
   */
  readonly version?: string;
}

/**
 * Properties of a Command document that apply however its content is given.
 */
export interface CommandDocumentOptions {
  /**
   * The name of the document. When set, a change of content creates a new version of the document (and makes it
   * the default) instead of replacing it, which CloudFormation cannot do for a named resource.
   *
   * @default - CloudFormation generates a name
   */
  readonly documentName?: string;

  /**
   * A name for this version of the document, unique across its versions.
   *
   * @default - no version name
   */
  readonly versionName?: string;

  /**
   * The kind of resource the document runs on, such as `/AWS::EC2::Instance`, or `/` for every kind.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
   * @default - no target type
   */
  readonly targetType?: string;

  /**
   * Documents this document needs. They can't be changed by a new version of a named document.
   *
   * @default - none
   */
  readonly requires?: DocumentRequirement[];

  /**
   * Tags for the document.
   *
   * @default - none
   */
  readonly tags?: Record<string, string>;

  /**
   * The format the content is written to the template in.
   *
   * @default DocumentFormat.JSON
   */
  readonly documentFormat?: DocumentFormat;

  /**
   * The AWS accounts to share the document with, by their 12-digit IDs: at most 1,000, in the document's Region.
   *
   * A companion custom resource shares the document's default version through the SSM API (CloudFormation has no
   * property for it), adds and removes accounts when the list changes, and stops sharing the document before
   * CloudFormation deletes it, as Systems Manager requires. The order of the list does not matter. Public sharing is
   * not offered. The document needs a `documentName`: an unnamed one is replaced under a new name at each change of
   * its content, which the other accounts would lose.
   *
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-ssm-sharing.html
   * @default - the document is not shared
   * @example
   * new CommandDocument(this, 'Harden', {
   *   documentName: 'Harden-Linux',
   *   steps: [CommandStep.runShellScript('apply', { commands: ['./harden.sh'] })],
   *   sharedWithAccounts: ['222222222222', '333333333333'],
   * });
   */
  readonly sharedWithAccounts?: string[];
}

/**
 * Properties of a Command document built from typed parameters and steps.
 */
export interface CommandDocumentProps extends CommandDocumentOptions {
  /**
   * The steps the document runs, in order.
   */
  readonly steps: CommandStep[];

  /**
   * The parameters the document declares, by name. Steps refer to them as `{{ name }}`.
   *
   * @default - no parameters
   */
  readonly parameters?: Record<string, DocumentParameter>;

  /**
   * What the document does.
   *
   * @default - no description
   */
  readonly description?: string;
}

// The CloudFormation AWS::SSM::Document patterns of VersionName, TargetType, Requires[].Version and tag values.
const VERSION_NAME: TextRule = { pattern: /^[a-zA-Z0-9_\-.]{1,128}$/, allowed: "use 1 to 128 letters, digits, '_', '-' or '.'" };
const TARGET_TYPE: TextRule = {
  pattern: /^\/[\w.\-:/]{0,199}$/,
  allowed: "use '/' or a resource type such as '/AWS::EC2::Instance' (at most 200 characters)",
};
const REQUIRED_VERSION: TextRule = {
  pattern: new RegExp(`(?=^.{1,8}$)${DOCUMENT_VERSION.source}`),
  allowed: "use '$DEFAULT', '$LATEST' or a version number (at most 8 characters)",
};
const TAG_VALUE: TextRule = { pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u, allowed: 'use 1 to 256 letters, digits, spaces or _.:/=+-@' };

/** The content given to fromContent, or the file given to fromFile. */
interface RawContent {
  readonly content?: any;
  readonly file?: string;
}

/**
 * The props fromContent and fromFile give the constructor: raw content instead of typed steps. Other jsii languages
 * cannot give it; they reach raw content through those two methods, which run in JavaScript.
 */
interface RawCommandDocumentProps extends CommandDocumentProps {
  readonly rawContent: RawContent;
}

function isRaw(props: CommandDocumentProps): props is RawCommandDocumentProps {
  return (props as Partial<RawCommandDocumentProps>).rawContent !== undefined;
}

/**
 * A Command document (`AWS::SSM::Document`, schemaVersion 2.2): the commands that Run Command, State Manager and
 * maintenance windows run on managed nodes.
 *
 * The content is checked at synth time: parameter declarations and their defaults, step names and plugins,
 * every `{{ name }}` reference, and the 64 KB size quota.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-schemas-features.html
 *
 * @example
 * const harden = new CommandDocument(this, 'Harden', {
 *   documentName: 'Harden-Linux',
 *   parameters: {
 *     level: DocumentParameter.string({ allowedValues: ['low', 'high'], description: 'How strict' }),
 *   },
 *   steps: [
 *     CommandStep.runShellScript('apply', {
 *       commands: ['./harden.sh {{ level }}'],
 *       platform: Platform.LINUX,
 *       timeout: Duration.minutes(10),
 *     }),
 *   ],
 * });
 */
export class CommandDocument extends Document {
  /**
   * A Command document from its content: an object, or a JSON or YAML string. The content is checked like that of
   * a typed document.
   *
   * @example
   * // YAML or JSON text, or an object with the document's own keys (in Python too: schemaVersion, mainSteps).
   * CommandDocument.fromContent(this, 'Hello', `
   * schemaVersion: '2.2'
   * mainSteps:
   *   - action: aws:runShellScript
   *     name: hello
   *     inputs:
   *       runCommand: [echo hello]
   * `);
   */
  public static fromContent(scope: Construct, id: string, content: any, options: CommandDocumentOptions = {}): CommandDocument {
    return CommandDocument.fromRaw(scope, id, { content }, options);
  }

  /**
   * A Command document from a JSON or YAML file, read at synth time. The content is checked like that of a typed
   * document.
   *
   * @example
   * CommandDocument.fromFile(this, 'InstallAgent', 'documents/install-agent.yaml', { documentName: 'Install-Agent' });
   */
  public static fromFile(scope: Construct, id: string, path: string, options: CommandDocumentOptions = {}): CommandDocument {
    return CommandDocument.fromRaw(scope, id, { file: path }, options);
  }

  private static fromRaw(scope: Construct, id: string, raw: RawContent, options: CommandDocumentOptions): CommandDocument {
    const props: RawCommandDocumentProps = { ...options, steps: [], rawContent: raw };
    return new CommandDocument(scope, id, props);
  }

  public readonly documentName: string;
  public readonly documentArn: string;
  public readonly owner?: DocumentOwner = DocumentOwner.SELF;
  public readonly documentType?: DocumentType = DocumentType.COMMAND;
  public readonly parameters?: Record<string, DocumentParameter>;

  /** The content of the document, as written to the template (before the format is applied). */
  public readonly content: any;

  public constructor(scope: Construct, id: string, props: CommandDocumentProps) {
    super(scope, id, { physicalName: props.documentName });
    this.checkOptions(props);
    props.steps.forEach((step, index) => step._check(this, `steps[${index}]`));

    this.content = isRaw(props) ? this.readRaw(props.rawContent) : renderContent(props);
    if (Token.isUnresolved(this.content) || typeof this.content === 'string') {
      // Content that is a token, or a string with tokens in it, is known only at deploy time.
      warn(this, 'contentNotChecked', 'content', this.content, 'holds unresolved tokens, as a whole or inside a string',
        'it was not checked at synth time; CloudFormation and Systems Manager check it when it deploys');
    } else {
      const findings = checkCommandContent(this, this.content);
      for (const name of findings.unusedParameters) {
        warn(this, 'unusedDocumentParameter', 'parameters', name, `is declared but no step refers to it as {{ ${name} }}`,
          'refer to it in a step, or leave it out');
      }
      this.parameters = findings.parameters;
    }
    const format = props.documentFormat ?? (typeof this.content === 'string' && !this.content.trimStart().startsWith('{')
      ? DocumentFormat.YAML : DocumentFormat.JSON);
    const serialized = this.serialize(format);

    const resource = new CfnDocument(this, 'Resource', {
      documentType: DocumentType.COMMAND,
      content: typeof this.content === 'string' ? {} : this.content,
      documentFormat: format,
      name: props.documentName,
      // A named document can't be replaced, so a change of content must become a new version.
      updateMethod: props.documentName !== undefined ? 'NewVersion' : undefined,
      versionName: props.versionName,
      targetType: props.targetType,
      requires: props.requires?.map((requirement) => ({ name: requirement.name, version: requirement.version })),
    });
    if (serialized !== undefined) {
      // CloudFormation takes content as a string too, which the L1's type (an object) does not allow.
      resource.addPropertyOverride('Content', serialized);
      // cfn-lint's E3051 fails on every string content (1.51 to 1.58: 'a string or stream input is required');
      // the content was checked above, so the false finding is silenced on this resource only.
      resource.addMetadata('cfn-lint', { config: { ignore_checks: ['E3051'] } });
    }
    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(resource).add(key, value);
    }

    this.documentName = this.getResourceNameAttribute(resource.ref);
    this.documentArn = this.getResourceArnAttribute(
      Stack.of(this).formatArn({ service: 'ssm', resource: 'document', resourceName: resource.ref }),
      { service: 'ssm', resource: 'document', resourceName: this.physicalName },
    );
    if (props.sharedWithAccounts !== undefined && (Token.isUnresolved(props.sharedWithAccounts) || props.sharedWithAccounts.length > 0)) {
      addDocumentSharing(this, resource, this.documentArn, props.sharedWithAccounts);
    }
  }

  /**
   * The content as a string in its format, when it is written as one (YAML, or a string given), after checking its
   * size: at most 64 KB as written, leaving out the tokens, whose values are known only at deploy time.
   */
  private serialize(format: DocumentFormat): string | undefined {
    const serialized = typeof this.content === 'string' ? this.content
      : format === DocumentFormat.YAML ? toYaml(this, this.content) : undefined;
    const size = contentBytes(serialized !== undefined && !Token.isUnresolved(serialized) ? serialized
      : typeof this.content === 'string' ? this.content : JSON.stringify(this.content) ?? '');
    if (size > MAX_CONTENT_BYTES) {
      rejectCount(this, 'content', size, 'bytes', `use at most ${MAX_CONTENT_BYTES.toLocaleString('en-US')} (64 KB, the most Systems Manager `
        + 'allows for a document)');
    }
    return serialized;
  }

  /** Reads and parses the content given to fromContent or fromFile, naming this construct in any error. */
  private readRaw(raw: RawContent): any {
    let content = raw.content;
    if (raw.file !== undefined) {
      try {
        content = fs.readFileSync(raw.file, 'utf8');
      } catch (error) {
        throw new SsmOpsValidationError(this, `the document file ${show(raw.file)} can't be read: ${(error as Error).message}`);
      }
    }
    if (typeof content !== 'string' || Token.isUnresolved(content)) {
      return content;
    }
    try {
      return yaml.parse(content);
    } catch (error) {
      const source = raw.file !== undefined ? `the document file ${show(raw.file)}` : 'content';
      throw new SsmOpsValidationError(this, `${source} is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** The options of every Command document, however its content is given (CloudFormation AWS::SSM::Document). */
  private checkOptions(props: CommandDocumentProps) {
    const { documentName } = props;
    checkResourceName(this, 'documentName', documentName);
    if (known(documentName) && isReservedDocumentName(documentName)) {
      reject(this, 'documentName', documentName, 'starts with a prefix reserved for AWS', "use a name that doesn't start with aws, amazon or amzn "
        + '(in any case, which includes AWSEC2, AWSConfigRemediation and AWSSupport)');
    }
    checkPattern(this, 'versionName', props.versionName, VERSION_NAME);
    checkPattern(this, 'targetType', props.targetType, TARGET_TYPE);
    checkCount(this, 'requires', props.requires, 1, undefined, 'documents', 'leave requires out for none');
    props.requires?.forEach(({ name, version }, index) => {
      checkPattern(this, `requires[${index}].name`, name, DOCUMENT_ARN);
      checkPattern(this, `requires[${index}].version`, version, REQUIRED_VERSION);
    });
    checkCount(this, 'tags', props.tags && Object.keys(props.tags), 0, 1000, 'tags');
    for (const [key, value] of Object.entries(props.tags ?? {})) {
      checkPattern(this, 'tags', key, TAG_KEY);
      checkPattern(this, `tags.${key}`, value, TAG_VALUE);
    }
    checkSharedWithAccounts(this, props.sharedWithAccounts, props.documentName);
  }
}

function renderContent(props: CommandDocumentProps): Record<string, any> {
  const parameters = Object.entries(props.parameters ?? {});
  return {
    schemaVersion: '2.2',
    ...(props.description !== undefined ? { description: props.description } : {}),
    ...(parameters.length ? { parameters: Object.fromEntries(parameters.map(([name, parameter]) => [name, parameter._render()])) } : {}),
    mainSteps: props.steps.map((step) => step._render()),
  };
}

/**
 * The content as a YAML string. Content that holds tokens is written as JSON, which is valid YAML, so that
 * CloudFormation resolves and quotes each token correctly.
 */
function toYaml(scope: Construct, content: any): string {
  return containsToken(content) ? Stack.of(scope).toJsonString(content) : yaml.stringify(content, { lineWidth: 0 });
}
