import * as fs from 'fs';
import { Annotations, Stack, Tags, Token } from 'aws-cdk-lib';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import * as yaml from 'yaml';
import { MAX_CONTENT_BYTES, checkCommandContent, contentBytes } from './command-content-validation';
import { CommandStep } from './command-step';
import { Document, DocumentOwner, DocumentType } from './document';
import { DocumentParameter } from './document-parameter';
import { isReservedDocumentName } from '../private/document-names';
import { DOCUMENT_VERSION } from '../private/document-versions';
import { SsmOpsValidationError, show } from '../private/errors';
import { containsToken } from '../private/tokens';

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

const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const VERSION_NAME = /^[a-zA-Z0-9_\-.]{1,128}$/;
const TARGET_TYPE = /^\/[\w.\-:/]{0,199}$/;
const REQUIRED_NAME = /^[a-zA-Z0-9_\-.:/]{3,128}$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

// Set by fromContent and fromFile: the content or file the constructor reads instead of typed steps. Other jsii
// languages cannot set it; they reach raw content through those two methods, which run in JavaScript.
const RAW_CONTENT = Symbol.for('cdk-ssm-ops.CommandDocument.rawContent');

/** The content given to fromContent, or the file given to fromFile. */
interface RawContent {
  readonly content?: any;
  readonly file?: string;
}

/**
 * A Command document (`AWS::SSM::Document`, schemaVersion 2.2): the commands that Run Command, State Manager and
 * maintenance windows run on managed nodes.
 *
 * The content is checked at synth time: parameter declarations and their defaults, step names and plugins,
 * every `{{ name }}` reference, and the 64 KB size quota.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-schemas-features.html
 */
export class CommandDocument extends Document {
  /**
   * A Command document from its content: an object, or a JSON or YAML string. The content is checked like that of
   * a typed document.
   */
  public static fromContent(scope: Construct, id: string, content: any, options: CommandDocumentOptions = {}): CommandDocument {
    return CommandDocument.fromRaw(scope, id, { content }, options);
  }

  /**
   * A Command document from a JSON or YAML file, read at synth time. The content is checked like that of a typed
   * document.
   */
  public static fromFile(scope: Construct, id: string, path: string, options: CommandDocumentOptions = {}): CommandDocument {
    return CommandDocument.fromRaw(scope, id, { file: path }, options);
  }

  private static fromRaw(scope: Construct, id: string, raw: RawContent, options: CommandDocumentOptions): CommandDocument {
    return new CommandDocument(scope, id, { ...options, steps: [], [RAW_CONTENT]: raw } as CommandDocumentProps);
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

    const raw: RawContent | undefined = (props as any)[RAW_CONTENT];
    this.content = raw !== undefined ? this.readRaw(raw) : renderContent(props);
    if (Token.isUnresolved(this.content) || typeof this.content === 'string') {
      // Content that is a token, or a string with tokens in it, is known only at deploy time.
      Annotations.of(this).addWarningV2('cdk-ssm-ops:contentNotChecked',
        'the content holds unresolved tokens as a whole or inside a string, so it was not checked at synth time');
    } else {
      const findings = checkCommandContent(this, this.content);
      for (const name of findings.unusedParameters) {
        Annotations.of(this).addWarningV2('cdk-ssm-ops:unusedDocumentParameter',
          `parameter ${show(name)} is declared but no step refers to it as {{ ${name} }}`);
      }
      this.parameters = findings.parameters;
    }

    const format = props.documentFormat ?? (typeof this.content === 'string' && !this.content.trimStart().startsWith('{')
      ? DocumentFormat.YAML : DocumentFormat.JSON);
    const serialized = typeof this.content === 'string' ? this.content
      : format === DocumentFormat.YAML ? toYaml(this, this.content) : undefined;
    const size = contentBytes(serialized !== undefined && !Token.isUnresolved(serialized) ? serialized
      : typeof this.content === 'string' ? this.content : JSON.stringify(this.content) ?? '');
    if (size > MAX_CONTENT_BYTES) {
      throw new SsmOpsValidationError(this, `content is ${size} bytes, more than the 64 KB (${MAX_CONTENT_BYTES} bytes) Systems Manager allows for a document`);
    }

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

  private checkOptions(props: CommandDocumentProps) {
    const fail = (message: string) => {
      throw new SsmOpsValidationError(this, message);
    };
    const { documentName, versionName, targetType } = props;
    if (documentName !== undefined && !Token.isUnresolved(documentName)) {
      if (!DOCUMENT_NAME.test(documentName)) {
        fail(`documentName ${show(documentName)} is not valid; use 3 to 128 letters, digits, '_', '-' or '.'`);
      }
      if (isReservedDocumentName(documentName)) {
        fail(`documentName ${show(documentName)} starts with a prefix reserved for AWS; names can't start with `
          + 'aws, amazon or amzn (in any case, which includes AWSEC2, AWSConfigRemediation and AWSSupport)');
      }
    }
    if (versionName !== undefined && !Token.isUnresolved(versionName) && !VERSION_NAME.test(versionName)) {
      fail(`versionName ${show(versionName)} is not valid; use 1 to 128 letters, digits, '_', '-' or '.'`);
    }
    if (targetType !== undefined && !Token.isUnresolved(targetType) && !TARGET_TYPE.test(targetType)) {
      fail(`targetType ${show(targetType)} is not valid; use '/' or a resource type such as '/AWS::EC2::Instance' (at most 200 characters)`);
    }
    props.requires?.forEach(({ name, version }, index) => {
      if (!Token.isUnresolved(name) && !REQUIRED_NAME.test(name)) {
        fail(`requires[${index}].name ${show(name)} is not a document name or ARN of 3 to 128 characters`);
      }
      if (version !== undefined && !Token.isUnresolved(version) && !(DOCUMENT_VERSION.test(version) && version.length <= 8)) {
        fail(`requires[${index}].version ${show(version)} is not valid; use '$DEFAULT', '$LATEST' or a version number (at most 8 characters)`);
      }
    });
    for (const [key, value] of Object.entries(props.tags ?? {})) {
      if (!Token.isUnresolved(key) && !(TAG_TEXT.test(key) && key.length >= 1 && key.length <= 128)) {
        fail(`tags: key ${show(key)} is not valid; use 1 to 128 letters, digits, spaces or _.:/=+-@`);
      }
      if (!Token.isUnresolved(value) && !(TAG_TEXT.test(value) && value.length >= 1 && value.length <= 256)) {
        fail(`tags: value ${show(value)} of ${show(key)} is not valid; use 1 to 256 letters, digits, spaces or _.:/=+-@`);
      }
    }
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
