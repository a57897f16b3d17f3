import { sendCommand } from './command-lookup';
import { Context, requestAge } from './context';
import { describe } from './nodes-report';
import { deleteRecord, readRecord, writeRecord } from './result-record';
import { cancelRunning, stillRunningOf } from './running';
import { isRetryable } from '../private/handler-errors';
import { IsCompleteResponse } from '../private/provider-types';

/**
 * Delete: cancels every running command of the resource, sends the delete command once they have stopped, and
 * removes the record. What Systems Manager refuses for now is retried at the next poll until the deadline onEvent
 * set (five minutes after the request); after that, and for any other error, the delete goes on with a log line: a
 * delete never fails because of Systems Manager.
 */
export async function completeDelete(ctx: Context): Promise<IsCompleteResponse> {
  const { ssm, props, event } = ctx;
  let retry: unknown;
  const step = async <T>(what: string, action: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await action();
    } catch (error) {
      if (isRetryable(error, requestAge(ctx))) {
        retry ??= error;
      } else {
        console.log(`delete of ${event.LogicalResourceId}: ${what} failed, and the delete goes on: ${describe(error)}`);
      }
      return undefined;
    }
  };
  const record = await step('reading the record', () => readRecord(ssm, props.ResultParameter));
  // Without the record, a poll cannot tell whether an earlier poll sent the delete command.
  const recordKnown = retry === undefined;
  const cancelling = await step('cancelling its commands', () => cancelRunning(ctx, record)) ?? [];
  const pastDeadline = ctx.now >= ctx.deadline;
  const sendOnDelete = props.OnDelete !== undefined && recordKnown && record?.Marker !== ctx.marker && (retry === undefined || pastDeadline);
  if (sendOnDelete && cancelling.length > 0 && !pastDeadline) {
    // The delete command does not run beside a command of the resource that is still being cancelled.
    const stillRunning = await step('waiting for its commands to stop', () => stillRunningOf(ctx, cancelling)) ?? (retry !== undefined ? cancelling : []);
    if (stillRunning.length > 0) {
      return { IsComplete: false };
    }
  }
  let sentUnrecorded = false;
  if (sendOnDelete) {
    const commandId = await step('sending the delete command', () => sendCommand(ssm, props.OnDelete!, ctx.marker));
    if (commandId) {
      // Recorded so that a poll retried after this one does not send it again; without its record, none is retried.
      const recorded = await step('recording the delete command',
        () => writeRecord(ssm, props.ResultParameter, { Marker: ctx.marker, CommandId: commandId, SentAt: ctx.now }).then(() => true));
      sentUnrecorded = recorded !== true;
    }
  }
  await step('removing the record', () => deleteRecord(ssm, props.ResultParameter));
  if (retry !== undefined && !pastDeadline && !sentUnrecorded) {
    return { IsComplete: false };
  }
  if (retry !== undefined) {
    console.log(`delete of ${event.LogicalResourceId}: gave up retrying after ${Math.round(requestAge(ctx) / 1000)} s, and the delete goes on`
      + `${props.OnDelete && !sendOnDelete ? ' without sending the delete command' : ''}: ${describe(retry)}`);
  }
  return { IsComplete: true };
}
