import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SsmOpsValidationError, show } from './errors';

/** A document version as every SSM API takes it: `$LATEST`, `$DEFAULT` or a version number (anchored DOC_VERSION). */
export const DOCUMENT_VERSION = /^(?:\$LATEST|\$DEFAULT|[1-9][0-9]*)$/;

/** Checks a document version; a token passes unchecked. */
export function checkDocumentVersion(scope: IConstruct, property: string, version: string | undefined) {
  if (version !== undefined && !Token.isUnresolved(version) && !DOCUMENT_VERSION.test(version)) {
    throw new SsmOpsValidationError(scope, `${property} ${show(version)} is not valid; use '$DEFAULT', '$LATEST' or a version number`);
  }
}
