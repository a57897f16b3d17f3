// How this library's handlers classify AWS errors, and the errors they throw to fail a deployment.

/** The response CloudFormation accepts from a custom resource: at most 4,096 bytes (AWS CloudFormation User Guide, custom resources). */
export const MAX_RESPONSE_BYTES = 4096;
// The Provider framework names the user function's log group after the message: "\n\nLogs: /aws/lambda/<name>\n",
// where a function name has at most 64 characters.
const LOGS_LINE = `\n\nLogs: /aws/lambda/${'x'.repeat(64)}\n`;
// What the framework answers for a create that failed before a physical ID was known.
const CREATE_FAILED_ID = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const TRUNCATED = '…[truncated]';

function nameOf(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

/** Systems Manager or STS asked the caller to slow down. */
export function isThrottling(error: unknown): boolean {
  return ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'TooManyUpdates', 'RequestLimitExceeded'].includes(nameOf(error));
}

/** An error that the same call may not meet again: throttling, a server error or a network failure. */
export function isTransient(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ?? 0;
  return isThrottling(error) || status >= 500
    || ['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(nameOf(error))
    || ['ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes((error as { code?: string })?.code ?? '');
}

/**
 * The caller was refused. Right after a deployment creates a role or a policy, IAM may refuse it for a while
 * (IAM is eventually consistent: AWS IAM User Guide, "Changes that I make are not always immediately visible").
 */
export function isAccessDenied(error: unknown): boolean {
  return ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException'].includes(nameOf(error));
}

/** How long after a request starts an AccessDenied is taken for IAM propagation and retried. */
export const IAM_PROPAGATION_MS = 2 * 60 * 1000;

/** Whether an error is worth another try now: transient, or refused while new IAM permissions may still propagate. */
export function isRetryable(error: unknown, requestAgeMs: number): boolean {
  return isTransient(error) || (isAccessDenied(error) && requestAgeMs < IAM_PROPAGATION_MS);
}

/** The size of a value in a JSON document, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * A text cut so that it takes at most a number of bytes in a JSON document, where newlines, quotes and control
 * characters take more than one; marked when cut. Never cuts a surrogate pair in two.
 */
export function truncate(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) {
    return text;
  }
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, middle) + TRUNCATED) <= maxBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const code = text.charCodeAt(low - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? low - 1 : low;
  return text.slice(0, cut) + TRUNCATED;
}

/** The parts of a request that the Provider framework puts in its FAILED response beside the reason. */
export interface FailedRequest {
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, unknown>;
}

/**
 * An error that fails the deployment with a message that CloudFormation shows whole: one line, cut so that the
 * Provider framework's FAILED response (the reason, the request's IDs, the data it carries and the framework's own
 * log line) fits CloudFormation's 4,096 bytes. Its stack is the message alone, which the framework would add again.
 */
export function deploymentFailure(request: FailedRequest, message: string): Error {
  const envelope = {
    Status: 'FAILED',
    Reason: '',
    StackId: request.StackId,
    RequestId: request.RequestId,
    PhysicalResourceId: request.PhysicalResourceId ?? CREATE_FAILED_ID,
    LogicalResourceId: request.LogicalResourceId,
    Data: request.Data,
  };
  // The reason is "<name>: <message>" followed by the log line, inside a JSON string.
  const budget = MAX_RESPONSE_BYTES - jsonBytes(envelope) - (jsonBytes(`Error: ${LOGS_LINE}`) - 2);
  const error = new Error(truncate(message.replace(/\s*\n\s*/g, ' '), budget));
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
