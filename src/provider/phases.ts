// What the constructs and the handlers agree on about each custom resource's own role. No imports: the handlers'
// bundles and the construct library both load this file.

/**
 * The phase of a request in which a shared handler acts for a resource: the onEvent function, or the isComplete
 * function that polls until the request is done. The handler tags its role session with it, and each statement of a
 * resource's role allows only the phases whose code makes its calls.
 */
export enum HandlerPhase {
  /** The onEvent function, invoked once per request. */
  ON_EVENT = 'onEvent',
  /** The isComplete function, invoked at every poll of a request. */
  IS_COMPLETE = 'isComplete',
}

/**
 * The session tag that carries the phase. Session tags become the session's principal tags, which the resource
 * role's statements test with `aws:PrincipalTag` (AWS IAM User Guide, "Passing session tags in AWS STS").
 */
export const PHASE_TAG_KEY = 'cdk-ssm-ops:phase';

/** The IAM path of every resource role, which the shared functions may assume, and nothing else. */
export const RESOURCE_ROLE_PATH = '/cdk-ssm-ops/';
