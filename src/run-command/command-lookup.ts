import { createHash } from 'crypto';
// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  CancelCommandCommand, Command, CommandFilter, DescribeInstanceInformationCommand, ListCommandsCommand, NotificationEvent, NotificationType,
  SendCommandCommand, SendCommandCommandInput, SSMClient,
} from '@aws-sdk/client-ssm';
import { CommandRequest } from '../private/wire';

// How RunCommand's handler finds, sends and cancels the commands of a resource. Every command it sends carries a
// marker in its comment, `[ssm-ops:<resource>:<request>]`, so that the commands of a resource, and of one request,
// can be found again with ListCommands.

/** The statuses of a command that has not ended yet (ListCommands' CommandStatus, AWS Systems Manager API Reference). */
const RUNNING = ['Pending', 'InProgress', 'Delayed', 'Cancelling'];
// ListCommands answers at most 50 commands a page (CommandMaxResults in the SSM API model).
const PAGE_SIZE = 50;
/** A scan reads at most this many pages: 1,000 commands. */
export const MAX_SCAN_PAGES = 20;
// SendCommand takes a comment of at most 100 characters (Comment in the SSM API model).
const MAX_COMMENT = 100;

/** What identifies a request of a resource. */
export interface MarkedRequest {
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId?: string;
}

/** Tags the command with the resource and the request, so that a retried request finds the command it sent. */
export function markerOf(event: MarkedRequest, request = true): string {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);
  const resource = `ssm-ops:${hash(`${event.StackId}/${event.LogicalResourceId}`)}`;
  return request ? `${resource}:${hash(event.RequestId ?? '')}` : resource;
}

/** The request marker in a command's comment, if it has one. */
export function markerIn(comment: string | undefined): string | undefined {
  return /\[(ssm-ops:[0-9a-f]{10}:[0-9a-f]{10})\]/.exec(comment ?? '')?.[1];
}

export function isRunning(command: Command | undefined): boolean {
  return RUNNING.includes(command?.Status ?? '');
}

/**
 * The commands that match the filters and a test, newest first as Systems Manager lists them, page after page until
 * `enough` of them are found or MAX_SCAN_PAGES pages are read. A scan cut at the bound is logged: what it did not
 * read is then treated as not there.
 */
async function scan(ssm: SSMClient, filters: CommandFilter[], test: (command: Command) => boolean, enough = Infinity): Promise<Command[]> {
  const found: Command[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ssm.send(new ListCommandsCommand({ Filters: filters, MaxResults: PAGE_SIZE, NextToken: nextToken }));
    found.push(...(page?.Commands ?? []).filter(test));
    nextToken = page?.NextToken;
    pages++;
  } while (nextToken && found.length < enough && pages < MAX_SCAN_PAGES);
  if (nextToken && found.length < enough) {
    console.log(`ListCommands ${JSON.stringify(filters)}: stopped after ${MAX_SCAN_PAGES} pages of ${PAGE_SIZE} commands`);
  }
  return found.sort((a, b) => (b.RequestedDateTime?.getTime() ?? 0) - (a.RequestedDateTime?.getTime() ?? 0));
}

/**
 * The command a request sent, among the commands of its document sent since `since`. Used where a request cannot
 * know from its own record whether an earlier attempt sent it (Lambda retries an invocation that failed).
 */
export async function findRequestCommand(ssm: SSMClient, marker: string, since: number, documentName: string): Promise<Command | undefined> {
  return (await scan(ssm, recentOf(since, documentName), (command) => command.Comment?.includes(`[${marker}]`) === true, 1))[0];
}

/** The newest command of a resource within Systems Manager's 30 days of history, for resources without a record. */
export async function findNewestOfResource(ssm: SSMClient, resource: string, since: number, documentName: string): Promise<Command | undefined> {
  return (await scan(ssm, recentOf(since, documentName), (command) => command.Comment?.includes(`[${resource}:`) === true, 1))[0];
}

/** ListCommands filters for the commands of a document sent since a time (both filters apply). */
function recentOf(since: number, documentName: string): CommandFilter[] {
  return [{ key: 'InvokedAfter', value: new Date(since).toISOString() }, { key: 'DocumentName', value: documentName }];
}

/**
 * Every command of a resource that still runs, but those of the request `except`. Checked here too, for emulators
 * that ignore the ExecutionStage filter.
 */
export async function findRunningOfResource(ssm: SSMClient, resource: string, except?: string): Promise<Command[]> {
  const ofResource = (command: Command) => command.Comment?.includes(`[${resource}:`) === true
    && (except === undefined || !command.Comment.includes(`[${except}]`));
  return scan(ssm, [{ key: 'ExecutionStage', value: 'Executing' }], (command) => ofResource(command) && isRunning(command));
}

/**
 * A command by its ID, or undefined while Systems Manager does not list it: right after SendCommand, ListCommands may
 * answer none or InvalidCommandId, as the Run Command API is eventually consistent (GetCommandInvocation, AWS CLI
 * Command Reference).
 */
export async function readCommand(ssm: SSMClient, commandId: string): Promise<Command | undefined> {
  try {
    return (await ssm.send(new ListCommandsCommand({ CommandId: commandId })))?.Commands?.[0];
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidCommandId') {
      return undefined;
    }
    throw error;
  }
}

/** Sends a command with the request's marker at the end of its comment; answers its ID. */
export async function sendCommand(ssm: SSMClient, request: CommandRequest, marker: string): Promise<string> {
  const tag = `[${marker}]`;
  const comment = request.Comment ? `${request.Comment.slice(0, MAX_COMMENT - tag.length - 1)} ${tag}` : tag;
  const response = await ssm.send(new SendCommandCommand({ ...commandInput(request), Comment: comment }));
  const commandId = response?.Command?.CommandId;
  if (!commandId) {
    throw new Error('SendCommand answered no command ID');
  }
  return commandId;
}

export async function cancelCommand(ssm: SSMClient, commandId: string): Promise<void> {
  await ssm.send(new CancelCommandCommand({ CommandId: commandId }));
}

/** SendCommand's input with the numbers and Booleans that CloudFormation passes as strings turned back. */
function commandInput(request: CommandRequest): SendCommandCommandInput {
  const bool = (value: string | undefined) => value === undefined ? undefined : value === 'true';
  return {
    ...request,
    TimeoutSeconds: request.TimeoutSeconds !== undefined ? Number(request.TimeoutSeconds) : undefined,
    CloudWatchOutputConfig: request.CloudWatchOutputConfig && {
      ...request.CloudWatchOutputConfig,
      CloudWatchOutputEnabled: bool(request.CloudWatchOutputConfig.CloudWatchOutputEnabled),
    },
    AlarmConfiguration: request.AlarmConfiguration && {
      ...request.AlarmConfiguration,
      IgnorePollAlarmFailure: bool(request.AlarmConfiguration.IgnorePollAlarmFailure),
    },
    NotificationConfig: request.NotificationConfig && {
      ...request.NotificationConfig,
      NotificationEvents: request.NotificationConfig.NotificationEvents as NotificationEvent[] | undefined,
      NotificationType: request.NotificationConfig.NotificationType as NotificationType | undefined,
    },
  };
}

/** Whether every instance the command targets by ID is Online in Systems Manager (DescribeInstanceInformation). */
export async function nodesOnline(ssm: SSMClient, request: CommandRequest): Promise<boolean> {
  const ids = request.InstanceIds ?? request.Targets.find((target) => target.Key === 'InstanceIds')?.Values ?? [];
  if (ids.length === 0) {
    return true;
  }
  const online = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }], NextToken: nextToken }));
    for (const info of page?.InstanceInformationList ?? []) {
      if (info.PingStatus === 'Online') {
        online.add(info.InstanceId!);
      }
    }
    nextToken = page?.NextToken;
  } while (nextToken);
  return ids.every((id) => online.has(id));
}
