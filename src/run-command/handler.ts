// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { Command, SSMClient } from '@aws-sdk/client-ssm';
import { findRequestCommand, isRunning, nodesOnline, readCommand, sendCommand } from './command-lookup';
import { Context, Failure, contextOf, failure, requestAge, waitFor } from './context';
import { completeDelete } from './delete';
import { finish, reportRecorded } from './finish';
import { describe } from './nodes-report';
import { readRecord, writeRecord } from './result-record';
import { cancelRunning, cancelled, stillRunningOf } from './running';
import { canonicalJson } from '../private/canonical-json';
import { isRetryable } from '../private/handler-errors';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../private/provider-types';

export { markerOf } from './command-lookup';
export { FAILED_NODES_SHOWN, MAX_OUTPUT_BYTES } from './nodes-report';

// RunCommand's deploy-time handler. onEvent sends the command (or leaves the send to isComplete), isComplete follows
// it with one ListCommands call per poll and reads the nodes' results once, at the end. Every command is recorded in
// the resource's result parameter right after it is sent, and its attributes once it ends (result-record.ts).

/** How long a command just sent may be missing from ListCommands: the Run Command API is eventually consistent. */
const VISIBILITY_MS = 2 * 60_000;
/** How long a delete retries what Systems Manager refuses for now; then it gives up, and the delete goes on (delete.ts). */
const DELETE_RETRY_MS = 5 * 60_000;
/**
 * How far back a request looks for a command it may have sent in an earlier attempt: CloudFormation waits at most an
 * hour for a custom resource (AWS CloudFormation User Guide, custom resources, ServiceTimeout), so no attempt of a
 * request is older.
 */
const RETRY_LOOKBACK_MS = 60 * 60_000;
/** At most this many running commands are waited for after cancelling them (a resource has one, two in a rollback). */
const MAX_CANCELLING = 10;

/** What SendCommand's failure left unknown: whether the command went out (no answer, or a server error). */
class UncertainSend extends Error {
  constructor(public readonly cause: unknown) {
    super(describe(cause));
  }
}

/**
 * onEvent: sends the command on create, and on update when the triggers changed, unless something must wait, which
 * isComplete then does. It sends at most once per request, however often Lambda retries it.
 */
export async function onRunCommandEvent(ssm: SSMClient, event: OnEventRequest, now = Date.now()): Promise<OnEventResponse> {
  const ctx = contextOf(ssm, event, now);
  try {
    return await onEvent(ctx);
  } catch (error) {
    throw failure(ctx, error);
  }
}

async function onEvent(ctx: Context): Promise<OnEventResponse> {
  const { event, props, now } = ctx;
  const physicalResourceId = event.PhysicalResourceId ?? `${event.LogicalResourceId}-${ctx.resource.slice('ssm-ops:'.length)}`;
  if (event.RequestType === 'Delete') {
    // isComplete does the work, retrying what Systems Manager refuses for now.
    return { PhysicalResourceId: physicalResourceId, Data: { Started: String(now), Deadline: String(now + DELETE_RETRY_MS) } };
  }
  const data: Record<string, string> = { Started: String(now), Deadline: String(now + Number(props.WaitSeconds) * 1000) };
  if (event.RequestType === 'Update' && sameTriggers(event.OldResourceProperties?.Triggers, props.Triggers)) {
    // Nothing to run again: isComplete returns the resource's recorded attributes.
    return { PhysicalResourceId: physicalResourceId, Data: { Rerun: 'false', ...data } };
  }
  if (props.WaitForOnline === 'true') {
    // isComplete sends the command once the nodes are Online.
    return { PhysicalResourceId: physicalResourceId, Data: data };
  }
  try {
    return { PhysicalResourceId: physicalResourceId, Data: { ...data, ...await startInOnEvent(ctx) } };
  } catch (error) {
    const cause = error instanceof UncertainSend ? error.cause : error;
    if (!isRetryable(cause, requestAge(ctx))) {
      throw cause;
    }
    // isComplete sends it: after waiting for the command to be listed if it may have gone out, before sending again.
    console.log(`${event.LogicalResourceId}: the send is left to isComplete: ${describe(cause)}`);
    return { PhysicalResourceId: physicalResourceId, Data: { ...data, ...(error instanceof UncertainSend ? { SendAttempted: String(now) } : {}) } };
  }
}

/** Triggers compared as values: the same triggers in another key order are the same. */
function sameTriggers(before: unknown, after: unknown): boolean {
  return canonicalJson(before ?? {}) === canonicalJson(after ?? {});
}

/**
 * The command of this request: the one an earlier attempt sent, or else a new one, unless commands of the resource
 * still run (an update rolled back while its command runs, say): they are cancelled, and isComplete sends once they
 * have stopped, so that two commands of a resource never run at once.
 */
async function startInOnEvent(ctx: Context): Promise<Record<string, string>> {
  const record = await readRecord(ctx.ssm, ctx.props.ResultParameter);
  const earlier = record?.Marker === ctx.marker ? record.CommandId
    : (await findRequestCommand(ctx.ssm, ctx.marker, ctx.now - RETRY_LOOKBACK_MS, ctx.props.Command.DocumentName))?.CommandId;
  if (earlier) {
    return { CommandId: earlier };
  }
  if (ctx.event.RequestType === 'Update') {
    const cancelling = await cancelRunning(ctx, record);
    if (cancelling.length > 0) {
      return { Cancelling: cancelling.slice(0, MAX_CANCELLING).join(',') };
    }
  }
  const commandId = await send(ctx);
  // Best effort here: onEvent's data carries the command to isComplete, which records it at the end.
  await writeRecord(ctx.ssm, ctx.props.ResultParameter, { Marker: ctx.marker, CommandId: commandId, SentAt: ctx.now })
    .catch((error) => console.log(`${ctx.event.LogicalResourceId}: command ${commandId} not recorded yet: ${describe(error)}`));
  return { CommandId: commandId };
}

/** Sends this request's command; a failure that leaves unknown whether it went out is an UncertainSend. */
async function send(ctx: Context): Promise<string> {
  try {
    return await sendCommand(ctx.ssm, ctx.props.Command, ctx.marker);
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    throw status !== undefined && status < 500 ? error : new UncertainSend(error);
  }
}

/**
 * isComplete: one ListCommands call per poll while the command runs, and the nodes' results once, at the end.
 */
export async function isRunCommandComplete(ssm: SSMClient, event: IsCompleteRequest, now = Date.now()): Promise<IsCompleteResponse> {
  const ctx = contextOf(ssm, event, now);
  try {
    if (event.RequestType === 'Delete') {
      return await completeDelete(ctx);
    }
    if (ctx.data.Rerun === 'false') {
      return await reportRecorded(ctx);
    }
    if (ctx.data.CommandId) {
      return await follow(ctx, ctx.data.CommandId, ctx.started);
    }
    return await startInIsComplete(ctx);
  } catch (error) {
    if (!(error instanceof Failure) && isRetryable(error, requestAge(ctx))) {
      if (now < ctx.deadline) {
        return { IsComplete: false };
      }
      throw failure(ctx, new Failure(`the RunCommand timeout passed while Systems Manager did not answer (${describe(error)})`));
    }
    throw failure(ctx, error);
  }
}

/**
 * The sends onEvent left to isComplete: after the previous commands stopped, once the nodes are Online, or after
 * onEvent met an error. The command is recorded in the same invocation, so the next polls follow it by its record
 * whether or not ListCommands lists it yet: never a second SendCommand.
 */
async function startInIsComplete(ctx: Context): Promise<IsCompleteResponse> {
  const { ssm, props, data, now } = ctx;
  const record = await readRecord(ssm, props.ResultParameter);
  if (record?.Marker === ctx.marker && record.CommandId) {
    return follow(ctx, record.CommandId, record.SentAt);
  }
  const stillRunning = await stillRunningOf(ctx, (data.Cancelling ?? '').split(',').filter(Boolean));
  if (stillRunning.length > 0) {
    return waitFor(ctx, `command${stillRunning.length > 1 ? 's' : ''} ${stillRunning.join(', ')} to stop`);
  }
  if (props.WaitForOnline === 'true' && (now >= ctx.deadline || !await nodesOnline(ssm, props.Command))) {
    return waitFor(ctx, 'the nodes to be Online in Systems Manager');
  }
  const earlier = await findRequestCommand(ssm, ctx.marker, ctx.started - RETRY_LOOKBACK_MS, props.Command.DocumentName);
  if (earlier) {
    const sentAt = earlier.RequestedDateTime?.getTime() ?? ctx.started;
    await writeRecord(ssm, props.ResultParameter, { Marker: ctx.marker, CommandId: earlier.CommandId!, SentAt: sentAt });
    return follow(ctx, earlier.CommandId!, sentAt);
  }
  // A send that failed without an answer may have gone out: it is looked for until it would be listed.
  const attempted = Math.max(Number(data.SendAttempted) || 0, record?.Marker === ctx.marker ? record.SentAt : 0);
  if (now < attempted + VISIBILITY_MS) {
    return waitFor(ctx, 'the command sent without an answer to be listed');
  }
  if (now >= ctx.deadline) {
    throw new Failure('the RunCommand timeout passed before the command could be sent');
  }
  let commandId: string;
  try {
    commandId = await send(ctx);
  } catch (error) {
    if (!(error instanceof UncertainSend)) {
      throw error;
    }
    // Recorded as an attempt, without a command ID, so that the next polls look for it before sending again.
    await writeRecord(ssm, props.ResultParameter, { Marker: ctx.marker, CommandId: '', SentAt: now })
      .catch((writeError) => console.log(`the send attempt is not recorded: ${describe(writeError)}`));
    throw error.cause;
  }
  try {
    await writeRecord(ssm, props.ResultParameter, { Marker: ctx.marker, CommandId: commandId, SentAt: now });
  } catch (error) {
    // Without its record, the next poll could not know that this command was sent, and would send another.
    throw new Failure(`command ${commandId} was sent but could not be recorded in ${props.ResultParameter} (${describe(error)}); `
      + await cancelled(ctx, commandId, 'it'));
  }
  return { IsComplete: false };
}

/** Follows this request's command to its end: waits while it runs, cancels it at the deadline. */
async function follow(ctx: Context, commandId: string, sentAt: number): Promise<IsCompleteResponse> {
  let command: Command | undefined;
  try {
    command = await readCommand(ctx.ssm, commandId);
  } catch (error) {
    if (!isRetryable(error, requestAge(ctx)) || ctx.now < ctx.deadline) {
      throw error;
    }
    // The deadline passes while Systems Manager throttles: the command is cancelled all the same.
    throw new Failure(`the RunCommand timeout passed while Systems Manager did not answer (${describe(error)}); `
      + await cancelled(ctx, commandId, `command ${commandId}`));
  }
  if (command === undefined) {
    return notListed(ctx, commandId, sentAt);
  }
  if (isRunning(command)) {
    if (ctx.now >= ctx.deadline) {
      throw new Failure(`command ${commandId} was still ${command.Status} when the RunCommand timeout passed; ${await cancelled(ctx, commandId, 'it')}`);
    }
    return { IsComplete: false };
  }
  return finish(ctx, command, true);
}

/** A command not listed yet: waited for, for a while after the send (the API is eventually consistent). */
async function notListed(ctx: Context, commandId: string, sentAt: number): Promise<IsCompleteResponse> {
  if (ctx.now >= ctx.deadline) {
    throw new Failure(`the RunCommand timeout passed while Systems Manager did not list command ${commandId} yet; ${await cancelled(ctx, commandId, 'it')}`);
  }
  if (ctx.now < sentAt + VISIBILITY_MS) {
    return { IsComplete: false };
  }
  throw new Failure(`command ${commandId}, sent at ${new Date(sentAt).toISOString()}, is still not listed by Systems Manager `
    + `${Math.round((ctx.now - sentAt) / 60_000)} minutes later; ${await cancelled(ctx, commandId, 'it')}`);
}
