// Limits of Command documents that more than one check needs.

/**
 * Systems Manager's quota on the size of a document's content: 64 KB, which includes the parameter values given at
 * run time (SSM API CreateDocument, `Content`).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html
 */
export const MAX_CONTENT_BYTES = 64 * 1024;

/**
 * A script step's execution timeout (`timeoutSeconds`), in seconds: SSM Agent silently replaces one outside this range
 * with 3,600.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html
 */
export const STEP_TIMEOUT_SECONDS = { min: 5, max: 172_800 };
