// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { Command } from '@aws-sdk/client-ssm';
import { findNewestOfResource, isRunning, markerIn, readCommand } from './command-lookup';
import { Context, Failure, requestAge, waitFor } from './context';
import {
  MAX_OUTPUT_BYTES, NodesNotRun, Reads, describe, failedNodes, nodesNotRun, notRunCount, notRunText, outputOf, triggeredAlarmsOf,
} from './nodes-report';
import { ResultRecord, readRecord, writeRecord } from './result-record';
import { MAX_RESPONSE_BYTES, isRetryable, jsonBytes, truncate } from '../private/handler-errors';
import { IsCompleteResponse } from '../private/provider-types';
import { RunCommandAttributes, RunCommandProperties } from '../private/wire';

// The end of a command: its attributes, or the failure of the deployment, and its record.

/** How long reads that failed at the end are retried, from the first poll that met the failure. */
const READ_GRACE_MS = 2 * 60_000;
/** Systems Manager keeps 30 days of command history (AWS Systems Manager User Guide, Run Command). */
const HISTORY_MS = 30 * 24 * 60 * 60_000;

/**
 * The attributes of a finished command, or a Failure that explains why it failed. With `failing` false (an update
 * that sends nothing, reporting an earlier command), nothing fails: history does not fail an update.
 */
export async function finish(ctx: Context, command: Command, failing: boolean): Promise<IsCompleteResponse> {
  const { ssm, props } = ctx;
  const commandId = command.CommandId!;
  const targetCount = command.TargetCount ?? 0;
  if (targetCount === 0) {
    if (failing && props.FailOnNoTargets !== 'false') {
      throw new Failure(`command ${commandId} matched no nodes (${command.StatusDetails ?? command.Status}): check the targets, or set failOnNoTargets to false`);
    }
    return complete(ctx, command, attributesOf(command, { count: 0, atLeast: false, unread: false, shown: [] }, ''));
  }
  const reads = new Reads(requestAge(ctx));
  const commandFails = failing && command.Status !== 'Success' && props.FailOnCommandFailure !== 'false';
  const failed = commandFails ? await failedNodes(ssm, command, reads) : undefined;
  const notRun = await nodesNotRun(ssm, command, reads);
  const notRunFails = failing && props.FailOnNodesNotRun === 'true' && (notRun.count > 0 || notRun.unread);
  const output = commandFails || notRunFails ? '' : await outputOf(ssm, command, reads);
  if (reads.retryable && await withinReadGrace(ctx, command)) {
    return { IsComplete: false };
  }
  const alarm = triggeredAlarmsOf(command);
  const summary = `command ${commandId} ended ${command.Status} (${command.StatusDetails ?? command.Status})`
    + (alarm ? `, stopped by the alarm ${alarm}` : '');
  if (failed) {
    const parts = [
      ...failed.count > 0 ? [`${failed.count} of ${targetCount} nodes failed${failed.details.map((detail) => `; ${detail}`).join('')}`
        + (failed.details.length > 0 && failed.count > failed.details.length ? `; and ${failed.count - failed.details.length} more` : '')] : [],
      ...notRun.count > 0 ? [notRunText(notRun, targetCount)] : [],
      ...reads.error !== undefined ? [`node details ${reads.note}`] : [],
    ];
    throw new Failure(parts.length > 0 ? `${summary}: ${parts.join('; ')}` : summary);
  }
  if (notRunFails) {
    const which = notRun.count > 0 ? notRunText(notRun, targetCount, 'did not run it') : `whether every node ran it was ${reads.note}`;
    throw new Failure(`${summary}, but ${which}; set failOnNodesNotRun to false to allow this`);
  }
  return complete(ctx, command, attributesOf(command, notRun, output ?? `[output ${reads.note}]`, reads));
}

function attributesOf(command: Command, notRun: NodesNotRun, output: string, reads?: Reads): RunCommandAttributes {
  const unread = notRun.unread && reads ? [`[${reads.note}]`] : [];
  return {
    CommandId: command.CommandId!,
    Status: command.Status!,
    StatusDetails: command.StatusDetails ?? command.Status!,
    TargetCount: String(command.TargetCount ?? 0),
    CompletedCount: String(command.CompletedCount ?? 0),
    ErrorCount: String(command.ErrorCount ?? 0),
    NotRunCount: notRunCount(notRun),
    NodesNotRun: truncate([...notRun.shown, ...unread].join('; '), 512),
    Output: output,
    TriggeredAlarms: triggeredAlarmsOf(command),
  };
}

/**
 * Whether reads that failed at the end are retried at the next poll: for READ_GRACE_MS from the poll that first met
 * the failure (kept in the record), and never past the deadline. After that, the command's attributes are returned
 * with what could not be read noted in them (decision: a command that succeeded on its nodes does not fail the
 * deployment because Systems Manager would not show its output).
 */
async function withinReadGrace(ctx: Context, command: Command): Promise<boolean> {
  if (ctx.now >= ctx.deadline) {
    return false;
  }
  const record = await readRecord(ctx.ssm, ctx.props.ResultParameter).catch(() => undefined);
  if (record !== undefined && record.CommandId === command.CommandId && record.UnreadSince !== undefined) {
    return ctx.now < record.UnreadSince + READ_GRACE_MS;
  }
  if (ownsRecord(ctx, record, command)) {
    await writeRecord(ctx.ssm, ctx.props.ResultParameter, { ...recordOf(ctx, record, command), UnreadSince: ctx.now })
      .catch((error) => console.log(`the first failed read at the end is not recorded: ${describe(error)}`));
  }
  return true;
}

/**
 * Whether this request may write the record: no other request recorded a command since this request started (a
 * request superseded by a newer one, such as an update whose rollback started, leaves the newer record alone).
 */
function ownsRecord(ctx: Context, record: ResultRecord | undefined, command: Command): boolean {
  return record === undefined || record.CommandId === command.CommandId || record.SentAt < ctx.started;
}

function recordOf(ctx: Context, record: ResultRecord | undefined, command: Command): ResultRecord {
  return record !== undefined && record.CommandId === command.CommandId ? record : {
    Marker: markerIn(command.Comment) ?? ctx.marker,
    CommandId: command.CommandId!,
    SentAt: command.RequestedDateTime?.getTime() ?? ctx.started,
  };
}

/** Records the attributes (a write that fails for now is retried at the next poll) and returns them. */
async function complete(ctx: Context, command: Command, attributes: RunCommandAttributes): Promise<IsCompleteResponse> {
  try {
    const record = await readRecord(ctx.ssm, ctx.props.ResultParameter);
    if (ownsRecord(ctx, record, command)) {
      const { UnreadSince: _, ...kept } = recordOf(ctx, record, command);
      await writeRecord(ctx.ssm, ctx.props.ResultParameter, { ...kept, Attributes: attributes });
    }
  } catch (error) {
    if (isRetryable(error, requestAge(ctx)) && ctx.now < ctx.deadline) {
      throw error;
    }
    // The command's result stands; an update that sends nothing then reports the command without its record.
    console.log(`${ctx.event.LogicalResourceId}: the attributes of ${command.CommandId} are not recorded: ${describe(error)}`);
  }
  return { IsComplete: true, Data: fitted(ctx, attributes) };
}

/**
 * The attributes with the output cut so that the SUCCESS response fits CloudFormation's 4,096 bytes: the Provider
 * framework sends onEvent's data and isComplete's attributes together, beside the request's IDs (aws-cdk-lib
 * custom-resources provider-framework runtime, framework.js and cfn-response.js).
 */
function fitted(ctx: Context, attributes: RunCommandAttributes): RunCommandAttributes {
  const { event } = ctx;
  const envelope = {
    Status: 'SUCCESS',
    Reason: 'SUCCESS',
    StackId: event.StackId,
    RequestId: event.RequestId,
    PhysicalResourceId: event.PhysicalResourceId,
    LogicalResourceId: event.LogicalResourceId,
    Data: { ...ctx.data, ...attributes, Output: '' },
  };
  const room = MAX_RESPONSE_BYTES - jsonBytes(envelope) + jsonBytes('');
  return { ...attributes, Output: truncate(attributes.Output, Math.min(MAX_OUTPUT_BYTES, room)) };
}

/**
 * An update that sends nothing: the recorded attributes. A resource of an earlier version has no record; its newest
 * command within Systems Manager's history is reported, and recorded, or else NotRerun.
 */
export async function reportRecorded(ctx: Context): Promise<IsCompleteResponse> {
  const { ssm, props } = ctx;
  const record = await readRecord(ssm, props.ResultParameter);
  if (record?.Attributes) {
    return { IsComplete: true, Data: fitted(ctx, record.Attributes) };
  }
  const documentName = (ctx.event.OldResourceProperties as RunCommandProperties | undefined)?.Command?.DocumentName ?? props.Command.DocumentName;
  const command = record?.CommandId ? await readCommand(ssm, record.CommandId)
    : await findNewestOfResource(ssm, ctx.resource, ctx.now - HISTORY_MS, documentName);
  if (command === undefined) {
    const attributes = notRerun();
    await writeRecord(ssm, props.ResultParameter, { Marker: '', CommandId: '', SentAt: 0, Attributes: attributes });
    return { IsComplete: true, Data: fitted(ctx, attributes) };
  }
  if (isRunning(command)) {
    return waitFor(ctx, `command ${command.CommandId} of this resource to finish`);
  }
  return finish(ctx, command, false);
}

function notRerun(): RunCommandAttributes {
  return {
    CommandId: '',
    Status: 'NotRerun',
    StatusDetails: 'the triggers did not change',
    TargetCount: '0',
    CompletedCount: '0',
    ErrorCount: '0',
    NotRunCount: '0',
    NodesNotRun: '',
    Output: '',
    TriggeredAlarms: '',
  };
}
