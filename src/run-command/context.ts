// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SSMClient } from '@aws-sdk/client-ssm';
import { markerOf } from './command-lookup';
import { describe } from './nodes-report';
import { IAM_PROPAGATION_MS, deploymentFailure, isAccessDenied } from '../private/handler-errors';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest } from '../private/provider-types';
import { RunCommandProperties } from '../private/wire';

// What RunCommand's handler knows of the request it serves, and how it fails a deployment.

/** A failure of the deployment, with a message meant for whoever reads the stack's events. */
export class Failure extends Error {}

/** One request of one resource, at one poll. */
export interface Context {
  readonly ssm: SSMClient;
  readonly event: OnEventRequest | IsCompleteRequest;
  readonly props: RunCommandProperties;
  /** onEvent's data, in isComplete. */
  readonly data: Record<string, string>;
  /** This request's marker, and the resource's. */
  readonly marker: string;
  readonly resource: string;
  /** When the request started (onEvent ran), and when it must end, in milliseconds. */
  readonly started: number;
  readonly deadline: number;
  readonly now: number;
}

export function contextOf(ssm: SSMClient, event: OnEventRequest | IsCompleteRequest, now: number): Context {
  const props = event.ResourceProperties as unknown as RunCommandProperties;
  const data = ((event as IsCompleteRequest).Data ?? {}) as Record<string, string>;
  const waitMs = Number(props.WaitSeconds) * 1000;
  // onEvent's data of an earlier version has no Started; its Deadline was set from the request's start too.
  const started = Number(data.Started) || (Number(data.Deadline) ? Number(data.Deadline) - waitMs : now);
  const deadline = Number(data.Deadline) || started + waitMs;
  return { ssm, event, props, data, marker: markerOf(event), resource: markerOf(event, false), started, deadline, now };
}

export const requestAge = (ctx: Context) => ctx.now - ctx.started;

/** Not complete, or failed when the timeout has passed. */
export function waitFor(ctx: Context, what: string): IsCompleteResponse {
  if (ctx.now >= ctx.deadline) {
    throw new Failure(`the RunCommand timeout passed while waiting for ${what}`);
  }
  return { IsComplete: false };
}

/**
 * The error that fails the deployment: its message cut so that the Provider framework's FAILED response fits
 * CloudFormation's 4,096 bytes (private/handler-errors.ts).
 */
export function failure(ctx: Context, error: unknown): Error {
  const { event } = ctx;
  let message = error instanceof Failure ? error.message : describe(error);
  if (!(error instanceof Failure) && isAccessDenied(error)) {
    message += ` (still refused ${Math.round(requestAge(ctx) / 1000)} s after the request started, longer than the ${IAM_PROPAGATION_MS / 60_000} minutes `
      + 'IAM may take to apply a new policy: check the permissions of the resource\'s role)';
  }
  return deploymentFailure({
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    PhysicalResourceId: event.PhysicalResourceId,
    Data: (event as IsCompleteRequest).Data,
  }, message);
}
