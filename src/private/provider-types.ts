// The Provider framework's handler types, copied because aws-cdk-lib does not export them
// (custom-resources/lib/provider-framework/types.d.ts).

/** What onEvent receives. */
export interface OnEventRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
}

/** What onEvent returns. */
export interface OnEventResponse {
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, any>;
  readonly NoEcho?: boolean;
}

/** What isComplete receives: the onEvent request with onEvent's response merged in. */
export interface IsCompleteRequest extends OnEventRequest {
  readonly Data?: Record<string, any>;
}

/** What isComplete returns. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, any>;
}
