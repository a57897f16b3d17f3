import { createHash } from 'crypto';
// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  CancelCommandCommand, Command, DescribeInstanceInformationCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand,
  ListCommandsCommand, SendCommandCommand, SendCommandCommandInput, SSMClient,
} from '@aws-sdk/client-ssm';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../private/provider-types';


/**
 * The properties RunCommand gives its custom resource. CloudFormation passes every scalar as a string.
 */
export interface RunCommandProperties {
  /** SendCommand's input, without the comment marker. */
  readonly Command: Omit<SendCommandCommandInput, 'TimeoutSeconds'> & { TimeoutSeconds?: string | number };
  /** Re-run the command on update only when these change. */
  readonly Triggers?: Record<string, string>;
  /** Seconds to wait for the command, from when it is sent. */
  readonly WaitSeconds: string;
  /** Wait until these nodes are Online in Systems Manager before sending. */
  readonly WaitForOnline?: string;
  /** 'false' lets a command that did not succeed complete the deployment. */
  readonly FailOnCommandFailure?: string;
  /** 'false' lets a command that matched no nodes complete the deployment. */
  readonly FailOnNoTargets?: string;
  /** A command sent, without waiting, when the resource is deleted. */
  readonly OnDelete?: RunCommandProperties['Command'];
}

/** The attributes RunCommand returns; the whole response must fit CloudFormation's 4,096 bytes. */
export interface RunCommandAttributes {
  readonly CommandId: string;
  readonly Status: string;
  readonly StatusDetails: string;
  readonly TargetCount: string;
  readonly CompletedCount: string;
  readonly ErrorCount: string;
  readonly Output: string;
}

const RUNNING = ['Pending', 'InProgress', 'Delayed', 'Cancelling'];
// Room for the attributes other than Output and the response envelope (ids, reason, status) within 4,096 bytes.
export const MAX_OUTPUT_BYTES = 2048;
const TRUNCATED = '…[truncated]';
export const FAILED_NODES_SHOWN = 3;
// A node's own statuses that count as failed (ListCommandInvocations' Status filter).
const NODE_FAILURES = ['Failed', 'TimedOut', 'Cancelled'];
const STDERR_TAIL = 300;
// A retried create looks back this far for the command it may have sent already.
const LOOKBACK_MS = 2 * 60 * 60 * 1000;

/** Tags the command with the resource and the request, so that a retried request finds the command it sent. */
export function markerOf(event: { StackId: string; LogicalResourceId: string; RequestId?: string }, request = true): string {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);
  const resource = `ssm-ops:${hash(`${event.StackId}/${event.LogicalResourceId}`)}`;
  return request ? `${resource}:${hash(event.RequestId ?? '')}` : resource;
}

/**
 * onEvent: sends the command on create, and on update when the triggers changed; cancels it on delete.
 */
export async function onRunCommandEvent(ssm: SSMClient, event: OnEventRequest, now = Date.now()): Promise<OnEventResponse> {
  const props = event.ResourceProperties as unknown as RunCommandProperties;
  const physicalResourceId = event.PhysicalResourceId ?? `${event.LogicalResourceId}-${markerOf(event, false).slice('ssm-ops:'.length)}`;

  if (event.RequestType === 'Delete') {
    await deleteQuietly(ssm, event, props);
    return { PhysicalResourceId: physicalResourceId };
  }

  if (event.RequestType === 'Update') {
    const old = event.OldResourceProperties as unknown as RunCommandProperties;
    if (JSON.stringify(old.Triggers ?? {}) === JSON.stringify(props.Triggers ?? {})) {
      // Nothing to run again: isComplete reports the last command of this resource.
      return { PhysicalResourceId: physicalResourceId, Data: { Rerun: 'false' } };
    }
  }

  const marker = markerOf(event);
  const data: Record<string, string> = {
    Marker: marker,
    SentAfter: String(now - LOOKBACK_MS),
    Deadline: String(now + Number(props.WaitSeconds) * 1000),
  };
  if (props.WaitForOnline === 'true') {
    // isComplete sends the command once the nodes are Online.
    return { PhysicalResourceId: physicalResourceId, Data: data };
  }
  const commandId = (await findCommand(ssm, marker, Number(data.SentAfter)))?.CommandId ?? await send(ssm, props, marker);
  return { PhysicalResourceId: physicalResourceId, Data: { ...data, CommandId: commandId } };
}

/**
 * isComplete: one ListCommands per poll while the command runs; per-node detail once, at the end.
 */
export async function isRunCommandComplete(ssm: SSMClient, event: IsCompleteRequest, now = Date.now()): Promise<IsCompleteResponse> {
  const props = event.ResourceProperties as unknown as RunCommandProperties;
  const data = (event.Data ?? {}) as Record<string, string>;
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }

  let command: Command | undefined;
  try {
    if (data.Rerun === 'false') {
      // Systems Manager keeps 30 days of command history; an older command is reported as not run again.
      command = await findCommand(ssm, markerOf(event, false), 0);
      if (command === undefined) {
        return { IsComplete: true, Data: notRerun() };
      }
    } else if (data.CommandId) {
      command = (await ssm.send(new ListCommandsCommand({ CommandId: data.CommandId }))).Commands?.[0];
    } else {
      // Waiting for the nodes: the marker finds the command once it is sent.
      command = await findCommand(ssm, data.Marker, Number(data.SentAfter));
      if (command === undefined) {
        if (Number(data.Deadline) > now && await nodesOnline(ssm, props)) {
          await send(ssm, props, data.Marker);
        }
        return deadlineCheck(data, now, 'the nodes to be Online in Systems Manager');
      }
    }
  } catch (error) {
    if (isTransient(error)) {
      return deadlineCheck(data, now, 'Systems Manager to answer');
    }
    throw error;
  }

  if (command === undefined || RUNNING.includes(command.Status ?? 'Pending')) {
    if (command?.CommandId && Number(data.Deadline) <= now) {
      await cancelQuietly(ssm, command.CommandId);
      throw new Error(`command ${command.CommandId} was still ${command.Status} when the RunCommand timeout passed; it was cancelled`);
    }
    return deadlineCheck(data, now, `command ${data.CommandId ?? ''} to finish`);
  }
  return { IsComplete: true, Data: await finish(ssm, command, props) };
}

/** The attributes of a finished command, or an error that explains why it failed. */
async function finish(ssm: SSMClient, command: Command, props: RunCommandProperties): Promise<RunCommandAttributes> {
  const commandId = command.CommandId!;
  const status = command.Status!;
  const targetCount = command.TargetCount ?? 0;
  if (targetCount === 0 && props.FailOnNoTargets !== 'false') {
    throw new Error(`command ${commandId} matched no nodes (${command.StatusDetails ?? status}): check the targets, or set failOnNoTargets to false`);
  }
  if (status !== 'Success' && props.FailOnCommandFailure !== 'false') {
    // Failed and timed-out nodes, as the command counts them; cancelled nodes are not counted, so they are looked for.
    const counted = (command.ErrorCount ?? 0) + (command.DeliveryTimedOutCount ?? 0);
    const shown = await nodesWithStatus(ssm, command, NODE_FAILURES, counted > 0 ? Math.min(counted, FAILED_NODES_SHOWN) : FAILED_NODES_SHOWN);
    const details = await Promise.all(shown.map(async (node) => {
      const stderr = await readInvocation(ssm, commandId, node, 'StandardErrorContent');
      return `${node.instanceId}: ${node.statusDetails ?? node.status}${stderr ? `: ${tail(stderr, STDERR_TAIL)}` : ''}`;
    }));
    const failedCount = Math.max(shown.length, counted);
    throw new Error(`command ${commandId} ended ${status} (${command.StatusDetails ?? status}): `
      + `${failedCount} of ${targetCount} nodes failed`
      + (details.length ? `; ${details.join('; ')}` : '')
      + (failedCount > shown.length ? `; and ${failedCount - shown.length} more` : ''));
  }
  // The output of a node that succeeded, or else of one that failed.
  const node = targetCount === 0 ? undefined
    : (await nodesWithStatus(ssm, command, ['Success'], 1))[0] ?? (await nodesWithStatus(ssm, command, NODE_FAILURES, 1))[0];
  const output = node ? await readInvocation(ssm, commandId, node, 'StandardOutputContent') : '';
  return {
    CommandId: commandId,
    Status: status,
    StatusDetails: command.StatusDetails ?? status,
    TargetCount: String(targetCount),
    CompletedCount: String(command.CompletedCount ?? 0),
    ErrorCount: String(command.ErrorCount ?? 0),
    Output: truncate(output ?? '', MAX_OUTPUT_BYTES),
  };
}

interface Invocation {
  readonly instanceId: string;
  readonly status?: string;
  readonly statusDetails?: string;
  /** The document's steps on this node, with their status; known when the API returned them. */
  readonly steps: { readonly name: string; readonly status?: string }[];
}

function notRerun(): RunCommandAttributes {
  return { CommandId: '', Status: 'NotRerun', StatusDetails: 'the triggers did not change', TargetCount: '0', CompletedCount: '0', ErrorCount: '0', Output: '' };
}

/**
 * Up to `limit` nodes of a command in one of the statuses, one call per status filtered by Systems Manager, so that
 * the calls depend on the nodes shown and not on how many nodes the command ran on. Falls back to the command's
 * instance IDs where the API is missing.
 */
async function nodesWithStatus(ssm: SSMClient, command: Command, statuses: string[], limit: number): Promise<Invocation[]> {
  const found: Invocation[] = [];
  try {
    for (const status of statuses) {
      const page = await ssm.send(new ListCommandInvocationsCommand({
        CommandId: command.CommandId,
        Filters: [{ key: 'Status', value: status }],
        MaxResults: limit - found.length,
        // The step names: a document of several steps needs one to read a node's output.
        Details: true,
      }));
      for (const invocation of page.CommandInvocations ?? []) {
        // Checked here too, for emulators that ignore the filter.
        if (invocation.Status === status && found.length < limit) {
          found.push({
            instanceId: invocation.InstanceId!,
            status: invocation.Status,
            statusDetails: invocation.StatusDetails,
            steps: (invocation.CommandPlugins ?? []).map((plugin) => ({ name: plugin.Name!, status: plugin.Status })),
          });
        }
      }
      if (found.length === limit) {
        break;
      }
    }
    return found;
  } catch {
    // Some SSM emulators lack ListCommandInvocations; the command's own instance IDs still name its nodes.
    return statuses.includes(command.Status ?? '')
      ? (command.InstanceIds ?? []).slice(0, limit).map((instanceId) => ({ instanceId, status: command.Status, steps: [] }))
      : [];
  }
}

/** One node's output or errors: of its first step that did not succeed, or else its last step. */
async function readInvocation(ssm: SSMClient, commandId: string, node: Invocation, field: 'StandardOutputContent' | 'StandardErrorContent') {
  const step = node.steps.find((candidate) => candidate.status !== 'Success') ?? node.steps[node.steps.length - 1];
  try {
    const invocation = await ssm.send(new GetCommandInvocationCommand({
      CommandId: commandId,
      InstanceId: node.instanceId,
      // Required when the document has several steps; left out for one, which every document allows.
      PluginName: node.steps.length > 1 ? step?.name : undefined,
    }));
    return invocation[field] ?? '';
  } catch {
    // The output is then left out rather than failing the deployment.
    return '';
  }
}

/** Finds a command of this resource (or request) by the marker in its comment, newest first. */
async function findCommand(ssm: SSMClient, marker: string, sentAfter: number): Promise<Command | undefined> {
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ssm.send(new ListCommandsCommand({
      Filters: [{ key: 'InvokedAfter', value: new Date(sentAfter).toISOString() }],
      MaxResults: 50,
      NextToken: nextToken,
    }));
    const found = (page.Commands ?? []).filter((command) => command.Comment?.includes(`[${marker}`))
      .sort((a, b) => (b.RequestedDateTime?.getTime() ?? 0) - (a.RequestedDateTime?.getTime() ?? 0))[0];
    if (found) {
      return found;
    }
    nextToken = page.NextToken;
  } while (nextToken && ++pages < 20);
  return undefined;
}

async function send(ssm: SSMClient, props: RunCommandProperties, marker: string): Promise<string> {
  const input = props.Command;
  const response = await ssm.send(new SendCommandCommand({
    ...commandInput(input),
    Comment: `${input.Comment ? `${input.Comment} ` : ''}[${marker}]`,
  }));
  return response.Command!.CommandId!;
}

/** SendCommand's input with the numbers and Booleans that CloudFormation passes as strings turned back. */
function commandInput(input: RunCommandProperties['Command']): SendCommandCommandInput {
  const bool = (value: unknown) => value === undefined ? undefined : String(value) === 'true';
  return {
    ...input,
    TimeoutSeconds: input.TimeoutSeconds !== undefined ? Number(input.TimeoutSeconds) : undefined,
    CloudWatchOutputConfig: input.CloudWatchOutputConfig && {
      ...input.CloudWatchOutputConfig,
      CloudWatchOutputEnabled: bool(input.CloudWatchOutputConfig.CloudWatchOutputEnabled),
    },
    AlarmConfiguration: input.AlarmConfiguration && {
      ...input.AlarmConfiguration,
      IgnorePollAlarmFailure: bool(input.AlarmConfiguration.IgnorePollAlarmFailure),
    },
  };
}

async function nodesOnline(ssm: SSMClient, props: RunCommandProperties): Promise<boolean> {
  const ids = props.Command.InstanceIds ?? props.Command.Targets?.find((target) => target.Key === 'InstanceIds')?.Values ?? [];
  if (ids.length === 0) {
    return true;
  }
  const online = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }], NextToken: nextToken }));
    for (const info of page.InstanceInformationList ?? []) {
      if (info.PingStatus === 'Online') {
        online.add(info.InstanceId!);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return ids.every((id) => online.has(id));
}

async function deleteQuietly(ssm: SSMClient, event: OnEventRequest, props: RunCommandProperties) {
  // A delete never fails the stack because of Systems Manager: errors are logged and the delete goes on.
  try {
    const running = await findCommand(ssm, markerOf(event, false), Date.now() - LOOKBACK_MS);
    if (running?.CommandId && RUNNING.includes(running.Status ?? '')) {
      await cancelQuietly(ssm, running.CommandId);
    }
    if (props.OnDelete) {
      await ssm.send(new SendCommandCommand(commandInput(props.OnDelete)));
    }
  } catch (error) {
    console.log(`delete of ${event.LogicalResourceId} went on despite: ${(error as Error).message}`);
  }
}

async function cancelQuietly(ssm: SSMClient, commandId: string) {
  try {
    await ssm.send(new CancelCommandCommand({ CommandId: commandId }));
  } catch (error) {
    console.log(`could not cancel ${commandId}: ${(error as Error).message}`);
  }
}

function deadlineCheck(data: Record<string, string>, now: number, waitingFor: string): IsCompleteResponse {
  if (data.Deadline && Number(data.Deadline) <= now) {
    throw new Error(`the RunCommand timeout passed while waiting for ${waitingFor}`);
  }
  return { IsComplete: false };
}

function isTransient(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  return ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'InternalServerError', 'InvocationDoesNotExist',
    'ServiceUnavailable', 'RequestLimitExceeded'].includes(name) || status >= 500;
}

/** The last characters of a text, marked when cut. */
function tail(text: string, length: number): string {
  const trimmed = text.trim();
  return trimmed.length > length ? `…${trimmed.slice(-length)}` : trimmed;
}

/**
 * A text cut so that it takes at most a number of bytes in the JSON response, where newlines, quotes and control
 * characters take more than one; marked when cut.
 */
export function truncate(text: string, maxBytes: number): string {
  const size = (value: string) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (size(text) <= maxBytes) {
    return text;
  }
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (size(text.slice(0, middle) + TRUNCATED) <= maxBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return text.slice(0, low) + TRUNCATED;
}
