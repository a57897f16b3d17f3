import { Arn, ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DocumentParameter } from './document-parameter';
import { awsOwnedDocumentArn, isReservedDocumentName } from '../private/document-names';
import { show } from '../private/errors';
import { RESOURCE_NAME, known, reject, rejectCombination } from '../private/validate';

/**
 * Who owns a document, which decides its ARN and how the Systems Manager APIs refer to it.
 */
export enum DocumentOwner {
  /** A document in the account of the stack that uses it. */
  SELF = 'Self',
  /** A document owned by AWS, such as `AWS-RunShellScript`: its ARN has no account. */
  AMAZON = 'Amazon',
  /** A document shared from another account: the APIs refer to it by its full ARN. */
  OTHER_ACCOUNT = 'OtherAccount',
}

/**
 * The type of a document, which decides where it can be used.
 */
export enum DocumentType {
  /** Run by Run Command, State Manager associations and maintenance window Run Command tasks. */
  COMMAND = 'Command',
  /** An Automation runbook. */
  AUTOMATION = 'Automation',
  /** A policy document, such as the inventory document, used through State Manager associations. */
  POLICY = 'Policy',
}

/**
 * An SSM document: one this app creates, one that exists already, or one of AWS's own.
 */
export interface IDocument {
  /**
   * The name of the document.
   *
   * @attribute
   */
  readonly documentName: string;

  /**
   * The ARN of the document.
   *
   * @attribute
   */
  readonly documentArn: string;

  /**
   * Who owns the document.
   *
   * @default - unknown: the document was imported from an ARN whose account is a token
   */
  readonly owner?: DocumentOwner;

  /**
   * The type of the document.
   *
   * @default - unknown
   */
  readonly documentType?: DocumentType;

  /**
   * The parameters the document declares, by name.
   *
   * Associations, maintenance window tasks and deploy-time commands check the parameters they pass against them.
   *
   * @default - unknown: parameters are not checked
   */
  readonly parameters?: Record<string, DocumentParameter>;
}

/**
 * Attributes of a document defined outside this app.
 */
export interface DocumentAttributes {
  /**
   * The name of the document. Give the name or the ARN.
   *
   * @default - taken from `documentArn`
   */
  readonly documentName?: string;

  /**
   * The ARN of the document. Required for a document shared from another account.
   *
   * @default - a document of this stack's account (or of AWS, for the reserved `AWS-` and `Amazon` prefixes)
   */
  readonly documentArn?: string;

  /**
   * The parameters the document declares, so that the parameters passed to it are checked at synth time.
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

const DOCUMENT_ARN = /^arn:[a-z0-9-]+:ssm:[a-z0-9-]*:(\d{12})?:document\/([a-zA-Z0-9_\-.]{3,128})$/;

/**
 * A document of Systems Manager. Use the static methods to refer to a document that exists already.
 *
 * @example
 * // A document of this account, by name.
 * const mine = Document.fromDocumentName(this, 'Mine', 'Harden-Linux');
 * // A document shared from another account, by ARN.
 * const shared = Document.fromDocumentArn(this, 'Shared', 'arn:aws:ssm:us-east-1:222222222222:document/Baseline');
 */
export abstract class Document extends Resource implements IDocument {
  /**
   * Refers to a document by name: one in this stack's account, or one of AWS's own (names that start with
   * `AWS-`, `Amazon` or `amzn`). For AWS's documents prefer `AwsManagedDocument`, which knows their parameters.
   *
   * @example
   * const doc = Document.fromDocumentName(this, 'Harden', 'Harden-Linux');
   */
  public static fromDocumentName(scope: Construct, id: string, documentName: string): IDocument {
    return Document.fromDocumentAttributes(scope, id, { documentName });
  }

  /**
   * Refers to a document by ARN, such as a document shared from another account.
   *
   * @example
   * const doc = Document.fromDocumentArn(this, 'Baseline', 'arn:aws:ssm:us-east-1:222222222222:document/Baseline');
   */
  public static fromDocumentArn(scope: Construct, id: string, documentArn: string): IDocument {
    return Document.fromDocumentAttributes(scope, id, { documentArn });
  }

  /**
   * Refers to a document defined outside this app, optionally with the parameters it declares.
   *
   * @example
   * // With the parameters it declares, so that the values passed to it are checked at synth time.
   * const doc = Document.fromDocumentAttributes(this, 'RotateLogs', {
   *   documentName: 'Rotate-Logs',
   *   parameters: { days: DocumentParameter.string({ allowedPattern: "^[0-9]+$" }) },
   * });
   */
  public static fromDocumentAttributes(scope: Construct, id: string, attrs: DocumentAttributes): IDocument {
    return new ImportedDocument(scope, id, attrs);
  }

  public abstract readonly documentName: string;
  public abstract readonly documentArn: string;
  public abstract readonly owner?: DocumentOwner;
  public abstract readonly documentType?: DocumentType;
  public abstract readonly parameters?: Record<string, DocumentParameter>;
}

class ImportedDocument extends Document {
  public readonly documentName: string;
  public readonly documentArn: string;
  public readonly owner?: DocumentOwner;
  public readonly documentType?: DocumentType;
  public readonly parameters?: Record<string, DocumentParameter>;

  public constructor(scope: Construct, id: string, attrs: DocumentAttributes) {
    super(scope, id);
    const stack = Stack.of(this);
    const { documentName, documentArn } = attrs;
    if (documentName === undefined && documentArn === undefined) {
      rejectCombination(this, 'documentName and documentArn', 'are both missing', 'give one of them to import a document');
    }

    if (documentArn !== undefined) {
      if (Token.isUnresolved(documentArn)) {
        this.owner = undefined;
        this.documentName = documentName ?? Arn.split(documentArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
      } else {
        const match = DOCUMENT_ARN.exec(documentArn);
        if (!match) {
          reject(this, 'documentArn', documentArn, 'is not a document ARN',
            'use arn:<partition>:ssm:<region>:<account>:document/<name>, with no account for AWS-owned documents');
        }
        const [, account, name] = match;
        if (known(documentName) && documentName !== name) {
          reject(this, 'documentName', documentName, `does not match the name in documentArn ${show(documentArn)}`, `use ${show(name)}, or leave it out`);
        }
        this.documentName = name;
        this.owner = account === undefined ? DocumentOwner.AMAZON
          : Token.isUnresolved(stack.account) ? undefined
            : account === stack.account ? DocumentOwner.SELF : DocumentOwner.OTHER_ACCOUNT;
      }
      this.documentArn = documentArn;
    } else {
      if (known(documentName) && !RESOURCE_NAME.pattern.test(documentName)) {
        reject(this, 'documentName', documentName, 'is not valid', RESOURCE_NAME.allowed
          + (documentName.startsWith('arn:') ? ' (import a document by ARN with Document.fromDocumentArn)' : ''));
      }
      this.documentName = documentName!;
      const awsOwned = !Token.isUnresolved(documentName) && isReservedDocumentName(documentName!);
      this.owner = awsOwned ? DocumentOwner.AMAZON : DocumentOwner.SELF;
      this.documentArn = awsOwned
        ? awsOwnedDocumentArn(documentName!, stack.region, stack.partition)
        : stack.formatArn({ service: 'ssm', resource: 'document', resourceName: documentName });
    }
    this.parameters = attrs.parameters;
    this.documentType = attrs.documentType;
  }
}
