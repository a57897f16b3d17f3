import { IConstruct } from 'constructs';
import { DOCUMENT_ARN, checkLength, checkPattern, checkResourceName } from './validate';
import { DocumentOwner, IDocument } from '../document/document';

/**
 * How the SSM APIs refer to a document: by name for a document of this account or of AWS, by ARN for a document
 * shared from another account (and for one whose owner is unknown, which the ARN also reaches).
 */
export function documentReference(document: IDocument): string {
  return isNamed(document) ? document.documentName : document.documentArn;
}

function isNamed(document: IDocument): boolean {
  return document.owner === DocumentOwner.SELF || document.owner === DocumentOwner.AMAZON;
}

/**
 * Checks a document where a construct refers to it: a name that Systems Manager takes, or an ARN of at most 128
 * characters (SSM API `DocumentARN`, which CreateAssociation, SendCommand and RegisterTaskWithMaintenanceWindow take).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html
 */
export function checkDocumentReference(scope: IConstruct, property: string, document: IDocument): void {
  const reference = documentReference(document);
  if (isNamed(document)) {
    checkResourceName(scope, property, reference);
  } else {
    checkLength(scope, property, reference, 3, 128, 'Systems Manager names a document shared from another account by its ARN');
    checkPattern(scope, property, reference, DOCUMENT_ARN);
  }
}
