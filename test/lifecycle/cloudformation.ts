import { mockClient } from 'aws-sdk-client-mock';
import { SimulatedSsm, SSM_OPERATIONS } from './simulated-ssm';
import type { IsCompleteResponse, OnEventResponse } from '../../src/private/provider-types';

// CloudFormation and the Provider framework as they drive this library's real onEvent and isComplete entry points
// (src/provider/*.lambda.ts), against a SimulatedSsm on a simulated clock. It follows the framework's runtime in
// aws-cdk-lib (custom-resources/lib/provider-framework/runtime): onEvent once per request (twice when Lambda retries
// it), then isComplete at once and every query interval until it completes, fails, or the total timeout passes; a
// failure's reason is the handler's message, the framework's log line and the handler's stack, and the response
// CloudFormation receives is measured against its 4,096-byte limit.

/** The Provider's poll interval and total timeout, as SsmOpsProvider sets them. */
export const QUERY_INTERVAL_MS = 5_000;
export const TOTAL_TIMEOUT_MS = 60 * 60 * 1000;
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111111111111:stack/LifecycleStack/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const FUNCTION_NAME = 'LifecycleStack-CdkSsmOpsProviderIsComplete0A1B2C3D-AbCdEfGhIjKl';
const CREATE_FAILED_ID = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

type RequestType = 'Create' | 'Update' | 'Delete';

/** The response CloudFormation receives for one request. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, any>;
  /** The size of the whole response body, which CloudFormation takes up to 4,096 bytes. */
  readonly bytes: number;
  /** isComplete polls made, the first one included. */
  readonly polls: number;
  /** When the response was sent, on the simulated clock. */
  readonly at: number;
}

interface Handlers {
  onEvent(event: any): Promise<OnEventResponse>;
  isComplete(event: any): Promise<IsCompleteResponse>;
}

/** A resource as CloudFormation knows it: its properties and physical ID after the last request that succeeded. */
export interface StackResource {
  readonly logicalId: string;
  readonly resourceType: string;
  properties: Record<string, any>;
  physicalId?: string;
  data?: Record<string, any>;
}

/** One request to a custom resource, in flight until `response` is set. */
export class Request {
  public response?: CfnResponse;
  private waiter?: Record<string, any>;
  private polls = 0;
  private readonly startedAt: number;

  constructor(private readonly cfn: SimulatedCloudFormation, public readonly event: Record<string, any>) {
    this.startedAt = cfn.ssm.now;
  }

  /** Whether CloudFormation has its answer. */
  public get done(): boolean {
    return this.response !== undefined;
  }

  /** onEvent, as the framework invokes it; `times: 2` when Lambda retries the asynchronous invocation. */
  public async start(times = 1): Promise<this> {
    if (this.event.RequestType === 'Delete' && this.event.PhysicalResourceId === CREATE_FAILED_ID) {
      // The framework ignores the delete that follows a create that failed before it had a physical ID.
      this.respond('SUCCESS', this.event, 'SUCCESS');
      return this;
    }
    let result: OnEventResponse | undefined;
    for (let attempt = 0; attempt < times; attempt++) {
      try {
        result = await this.cfn.handlers.onEvent(structuredClone(this.event)) ?? {};
      } catch (error) {
        if (attempt === times - 1) {
          this.fail(this.event, error);
          return this;
        }
      }
    }
    const physicalId = result!.PhysicalResourceId ?? (this.event.RequestType === 'Create' ? this.event.RequestId : this.event.PhysicalResourceId);
    if (this.event.RequestType === 'Delete' && physicalId !== this.event.PhysicalResourceId) {
      this.fail(this.event, new Error('DELETE: cannot change the physical resource ID during deletion'));
      return this;
    }
    this.waiter = { ...this.event, ...result, PhysicalResourceId: physicalId };
    await this.poll();
    return this;
  }

  /** One isComplete poll of the waiter, unless CloudFormation has its answer. */
  public async poll(): Promise<void> {
    if (this.done || !this.waiter) {
      return;
    }
    if (this.cfn.ssm.now - this.startedAt >= TOTAL_TIMEOUT_MS) {
      this.respond('FAILED', this.waiter, 'Operation timed out');
      return;
    }
    this.polls++;
    let result: IsCompleteResponse;
    try {
      result = await this.cfn.handlers.isComplete(structuredClone(this.waiter));
    } catch (error) {
      this.fail(this.waiter, error);
      return;
    }
    if (!result.IsComplete) {
      if (result.Data && Object.keys(result.Data).length > 0) {
        this.fail(this.waiter, new Error('"Data" is not allowed if "IsComplete" is "False"'));
      }
      return;
    }
    const response = { ...this.waiter, ...result, Data: { ...this.waiter.Data, ...result.Data } };
    this.respond('SUCCESS', response, 'SUCCESS');
  }

  /** Polls, a query interval apart, until CloudFormation has its answer. */
  public async complete(): Promise<CfnResponse> {
    while (!this.done) {
      this.cfn.ssm.advance(QUERY_INTERVAL_MS);
      await this.poll();
    }
    return this.response!;
  }

  private fail(event: Record<string, any>, error: unknown) {
    // framework.js: the user function's error becomes "<message>\n\nLogs: /aws/lambda/<function>\n" followed by
    // the frames of its stack (the Lambda runtime reports the stack split into lines, the first dropped).
    const { message, stack } = error as Error;
    const trace = (stack ?? '').split('\n').slice(1);
    const reason = [[message, '', `Logs: /aws/lambda/${FUNCTION_NAME}`, ''].join('\n'), ...trace].join('\n');
    const physicalId = event.PhysicalResourceId ?? (event.RequestType === 'Create' ? CREATE_FAILED_ID : undefined);
    this.respond('FAILED', { ...event, PhysicalResourceId: physicalId }, reason);
  }

  private respond(status: 'SUCCESS' | 'FAILED', event: Record<string, any>, reason: string) {
    // cfn-response.js: the body CloudFormation receives.
    const body = {
      Status: status,
      Reason: reason,
      StackId: event.StackId,
      RequestId: event.RequestId,
      PhysicalResourceId: event.PhysicalResourceId ?? 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID',
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: event.NoEcho,
      Data: event.Data,
    };
    this.response = {
      Status: status,
      Reason: reason,
      PhysicalResourceId: body.PhysicalResourceId,
      Data: body.Data,
      bytes: Buffer.byteLength(JSON.stringify(body), 'utf8'),
      polls: this.polls,
      at: this.cfn.ssm.now,
    };
    this.cfn.record(this);
  }
}

/**
 * A stack of this library's custom resources, driven request by request. `create`, `update` and `delete` run one
 * request to its end; `start` returns a request in flight, so that tests can interleave requests as CloudFormation
 * does when a deployment fails elsewhere (the rollback's update starts while the update it undoes still runs).
 */
export class SimulatedCloudFormation {
  public readonly resources = new Map<string, StackResource>();
  /** Every request that ended, in order. */
  public readonly history: Request[] = [];
  public readonly handlers: Handlers;
  private requests = 0;

  constructor(public readonly ssm: SimulatedSsm) {
    // The handlers read the clock with Date.now(): they see the simulated one.
    jest.spyOn(Date, 'now').mockImplementation(() => this.ssm.now);
    // Fresh entry points for each stack, so that nothing cached by a warm function (clients, credentials) leaks from
    // one test to another; the SDK clients they load in their own module registry send to the simulator.
    let handlers!: Handlers;
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const ssmSdk = require('@aws-sdk/client-ssm');
      const stsSdk = require('@aws-sdk/client-sts');
      const ssmMock = mockClient(ssmSdk.SSMClient);
      for (const operation of SSM_OPERATIONS) {
        ssmMock.on(ssmSdk[`${operation}Command`]).callsFake(async (input: any) => this.ssm.handle(operation, input));
      }
      mockClient(stsSdk.STSClient).on(stsSdk.AssumeRoleCommand).callsFake(async (input: any) => this.ssm.handle('AssumeRole', input));
      handlers = {
        onEvent: require('../../src/provider/on-event.lambda').handler,
        isComplete: require('../../src/provider/is-complete.lambda').handler,
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    this.handlers = handlers;
  }

  /** A request to a resource, started (onEvent and the first isComplete poll) but not run to its end. */
  public async start(requestType: RequestType, logicalId: string,
    options: { resourceType?: string; properties?: Record<string, any>; onEventTimes?: number } = {}): Promise<Request> {
    const existing = this.resources.get(logicalId);
    const resourceType = options.resourceType ?? existing?.resourceType;
    if (!resourceType) {
      throw new Error(`no resource type for ${logicalId}`);
    }
    const event: Record<string, any> = {
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:LifecycleStack-ProviderframeworkonEvent',
      ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/response',
      StackId: STACK_ID,
      RequestId: `request-${++this.requests}-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9`,
      LogicalResourceId: logicalId,
      ResourceType: resourceType,
      ResourceProperties: { ServiceToken: 'token', ...(requestType === 'Delete' ? existing?.properties : options.properties) },
    };
    if (requestType !== 'Create') {
      event.PhysicalResourceId = existing?.physicalId;
    }
    if (requestType === 'Update') {
      event.OldResourceProperties = { ServiceToken: 'token', ...existing?.properties };
    }
    const request = new Request(this, event);
    if (!this.resources.has(logicalId)) {
      this.resources.set(logicalId, { logicalId, resourceType, properties: options.properties ?? {} });
    }
    return request.start(options.onEventTimes);
  }

  public async create(logicalId: string, resourceType: string, properties: Record<string, any>, onEventTimes?: number): Promise<CfnResponse> {
    return (await this.start('Create', logicalId, { resourceType, properties, onEventTimes })).complete();
  }

  public async update(logicalId: string, properties: Record<string, any>): Promise<CfnResponse> {
    return (await this.start('Update', logicalId, { properties })).complete();
  }

  public async delete(logicalId: string): Promise<CfnResponse> {
    return (await this.start('Delete', logicalId)).complete();
  }

  /** Polls every request in flight once, a query interval from now, until all have ended. */
  public async completeAll(requests: Request[]): Promise<CfnResponse[]> {
    while (requests.some((request) => !request.done)) {
      this.ssm.advance(QUERY_INTERVAL_MS);
      for (const request of requests) {
        await request.poll();
      }
    }
    return requests.map((request) => request.response!);
  }

  /** CloudFormation takes in what a request that succeeded returned. */
  public record(request: Request) {
    this.history.push(request);
    const resource = this.resources.get(request.event.LogicalResourceId)!;
    const { Status, PhysicalResourceId, Data } = request.response!;
    if (request.event.RequestType === 'Delete') {
      if (Status === 'SUCCESS') {
        this.resources.delete(resource.logicalId);
      }
      return;
    }
    if (Status === 'SUCCESS') {
      const { ServiceToken, ...properties } = request.event.ResourceProperties;
      resource.properties = properties;
      resource.physicalId = PhysicalResourceId;
      resource.data = Data;
    } else if (request.event.RequestType === 'Create') {
      // The rollback of a failed create deletes what the failed request named.
      resource.physicalId = PhysicalResourceId;
    }
  }
}
