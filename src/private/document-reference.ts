import { DocumentOwner, IDocument } from '../document/document';

/**
 * How the SSM APIs refer to a document: by name for a document of this account or of AWS, by ARN for a document
 * shared from another account (and for one whose owner is unknown, which the ARN also reaches).
 */
export function documentReference(document: IDocument): string {
  return document.owner === DocumentOwner.SELF || document.owner === DocumentOwner.AMAZON ? document.documentName : document.documentArn;
}
