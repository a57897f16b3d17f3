import { IConstruct } from 'constructs';
import { TextRule, checkPattern } from './validate';

/** A document version as every SSM API takes it: `$LATEST`, `$DEFAULT` or a version number (anchored DOC_VERSION). */
export const DOCUMENT_VERSION = /^(?:\$LATEST|\$DEFAULT|[1-9][0-9]*)$/;

const DOCUMENT_VERSION_RULE: TextRule = { pattern: DOCUMENT_VERSION, allowed: "use '$DEFAULT', '$LATEST' or a version number" };

/**
 * Checks a document version; a token passes unchecked.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
 */
export function checkDocumentVersion(scope: IConstruct, property: string, version: string | undefined) {
  checkPattern(scope, property, version, DOCUMENT_VERSION_RULE);
}
