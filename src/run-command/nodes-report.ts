// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { Command, CommandInvocation, GetCommandInvocationCommand, ListCommandInvocationsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isRetryable } from '../private/handler-errors';

// What a finished command did on its nodes: the nodes that failed, the nodes that never ran it, and one node's
// output. Each is read with ListCommandInvocations filtered by status, so the calls depend on the nodes shown and
// the statuses looked for, never on how many nodes the command targeted.

export const FAILED_NODES_SHOWN = 3;
/** The most a node's output takes in the attributes; less when the rest of the response leaves less room. */
export const MAX_OUTPUT_BYTES = 2048;
// A node's statuses that count as failed: it ran the command, and the command did not succeed (the ListCommandInvocations
// Status filter values, ListCommands in the AWS SDK for Python reference).
const FAILED = ['Failed', 'ExecutionTimedOut', 'Cancelled'];
// A node's statuses that mean it never ran the command: refused by the service role (AccessDenied), of another
// platform than the document's (InvalidPlatform), not reachable (Undeliverable), not sent after the command passed
// MaxErrors (Terminated), or not delivered in time (DeliveryTimedOut). Systems Manager does not count Undeliverable
// nodes at all when it decides a command's status (GetCommandInvocation, AWS CLI Command Reference), so a command can
// end in Success with nodes that never ran it.
const NOT_RUN = ['AccessDenied', 'InvalidPlatform', 'Undeliverable', 'Terminated', 'DeliveryTimedOut'];
// ListCommandInvocations answers at most 50 nodes a page (CommandMaxResults in the SSM API model). One page of the
// nodes that did not run, per status, counts them; more are counted as "at least".
const PAGE_SIZE = 50;
const MAX_PAGES_PER_STATUS = 3;
const STDERR_TAIL = 300;

/** A node of a command, as ListCommandInvocations lists it. */
export interface Node {
  readonly instanceId: string;
  /** Its detailed status, such as `Undeliverable` or `Execution Timed Out`. */
  readonly status: string;
  /** The document's steps on this node, with their status; known when the API returned them. */
  readonly steps: { readonly name: string; readonly status?: string }[];
}

/**
 * The reads of one poll. The first that fails is kept, and the reads after it are skipped: under throttling, more
 * calls make it worse. The caller retries at the next poll, or reports what could not be read.
 */
export class Reads {
  public error?: unknown;

  constructor(private readonly requestAgeMs: number) {}

  public async attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
    if (this.error !== undefined) {
      return undefined;
    }
    try {
      return await read();
    } catch (error) {
      this.error = error;
      return undefined;
    }
  }

  /** Whether the failed read may succeed at the next poll; InvocationDoesNotExist too (eventual consistency). */
  public get retryable(): boolean {
    return this.error !== undefined
      && (isRetryable(this.error, this.requestAgeMs) || (this.error as { name?: string }).name === 'InvocationDoesNotExist');
  }

  /** What was not read, and why. */
  public get note(): string {
    return `not read: ${describe(this.error)}`;
  }
}

/** An error as a message says it: its name and its text. */
export function describe(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  const text = (message ?? String(error)).slice(0, 300);
  return name && name !== 'Error' && !text.startsWith(name) ? `${name}: ${text}` : text;
}

/** Whether an invocation has a status, as its detailed status says it, with the spaces left out (`Delivery Timed Out`). */
function hasStatus(invocation: CommandInvocation, status: string): boolean {
  const details = invocation.StatusDetails?.replace(/ /g, '');
  if (details) {
    return details === status;
  }
  return invocation.Status === status || (invocation.Status === 'TimedOut' && status.endsWith('TimedOut'));
}

function nodeOf(invocation: CommandInvocation): Node {
  return {
    instanceId: invocation.InstanceId!,
    status: invocation.StatusDetails || invocation.Status || 'unknown',
    steps: (invocation.CommandPlugins ?? []).map((plugin) => ({ name: plugin.Name!, status: plugin.Status })),
  };
}

/**
 * Up to `limit` nodes in one of the statuses, one call per status, in order, until there are enough. Should the
 * Status filter also match nodes whose detailed status differs (an Undeliverable node's Status is Failed), the nodes
 * sought may come on later pages: at most MAX_PAGES_PER_STATUS are read then, of up to 50 nodes each.
 */
async function nodesWithStatus(ssm: SSMClient, command: Command, statuses: string[], limit: number, reads: Reads): Promise<Node[]> {
  const found: Node[] = [];
  for (const status of statuses) {
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await reads.attempt(() => ssm.send(new ListCommandInvocationsCommand({
        CommandId: command.CommandId,
        Filters: [{ key: 'Status', value: status }],
        MaxResults: pages === 0 ? limit - found.length : PAGE_SIZE,
        NextToken: nextToken,
        // The step names: a document of several steps needs one to read a node's output.
        Details: true,
      })));
      if (page === undefined) {
        return found;
      }
      const listed = page?.CommandInvocations ?? [];
      const matching = listed.filter((invocation) => hasStatus(invocation, status));
      found.push(...matching.slice(0, limit - found.length).map(nodeOf));
      nextToken = matching.length < listed.length ? page?.NextToken : undefined;
    } while (nextToken && found.length < limit && ++pages < MAX_PAGES_PER_STATUS);
    if (found.length >= limit) {
      break;
    }
  }
  return found;
}

/** One node's output or errors: of its first step that did not succeed, or else its last step; undefined if not read. */
async function readInvocation(ssm: SSMClient, command: Command, node: Node, field: 'StandardOutputContent' | 'StandardErrorContent', reads: Reads) {
  const step = node.steps.find((candidate) => candidate.status !== 'Success') ?? node.steps[node.steps.length - 1];
  const invocation = await reads.attempt(() => ssm.send(new GetCommandInvocationCommand({
    CommandId: command.CommandId,
    InstanceId: node.instanceId,
    // Required when the document has several steps; left out for one, which every document allows.
    PluginName: node.steps.length > 1 ? step?.name : undefined,
  })));
  return invocation === undefined ? undefined : invocation?.[field] ?? '';
}

/** The nodes that failed, as many as the command counts (ErrorCount: Failed and Execution Timed Out). */
export interface FailedNodes {
  readonly count: number;
  /** The first of them with their status and the end of their errors. */
  readonly details: string[];
}

export async function failedNodes(ssm: SSMClient, command: Command, reads: Reads): Promise<FailedNodes> {
  const counted = command.ErrorCount ?? 0;
  // Cancelled nodes are not counted, so a command that counts none is looked at for as many as are shown.
  const shown = await nodesWithStatus(ssm, command, FAILED, counted > 0 ? Math.min(counted, FAILED_NODES_SHOWN) : FAILED_NODES_SHOWN, reads);
  const details = await Promise.all(shown.map(async (node) => {
    const stderr = await readInvocation(ssm, command, node, 'StandardErrorContent', reads);
    return `${node.instanceId}: ${node.status}${stderr ? `: ${tail(stderr, STDERR_TAIL)}` : ''}`;
  }));
  return { count: Math.max(shown.length, counted), details };
}

/** The nodes that never ran the command. */
export interface NodesNotRun {
  readonly count: number;
  /** Whether there are more than counted: a status had more than one page of them. */
  readonly atLeast: boolean;
  /** Whether some statuses could not be read. */
  readonly unread: boolean;
  /** The first of them, such as `i-0abc: Undeliverable`. */
  readonly shown: string[];
}

export async function nodesNotRun(ssm: SSMClient, command: Command, reads: Reads): Promise<NodesNotRun> {
  const deliveryTimedOut = command.DeliveryTimedOutCount ?? 0;
  // Terminated follows a command that passed MaxErrors, so it needs failed nodes; delivery timeouts are counted.
  const statuses = NOT_RUN.filter((status) => (status !== 'Terminated' || (command.ErrorCount ?? 0) > 0)
    && (status !== 'DeliveryTimedOut' || deliveryTimedOut > 0));
  let count = 0;
  let atLeast = false;
  let unread = false;
  const shown: string[] = [];
  for (const status of statuses) {
    if (status === 'DeliveryTimedOut') {
      count += deliveryTimedOut;
      if (shown.length >= FAILED_NODES_SHOWN) {
        continue;
      }
    }
    const page = await reads.attempt(() => ssm.send(new ListCommandInvocationsCommand({
      CommandId: command.CommandId,
      Filters: [{ key: 'Status', value: status }],
      MaxResults: status === 'DeliveryTimedOut' ? FAILED_NODES_SHOWN - shown.length : PAGE_SIZE,
    })));
    if (page === undefined) {
      unread = true;
      continue;
    }
    const nodes = (page?.CommandInvocations ?? []).filter((invocation) => hasStatus(invocation, status)).map(nodeOf);
    if (status !== 'DeliveryTimedOut') {
      count += nodes.length;
      atLeast ||= page?.NextToken !== undefined;
    }
    shown.push(...nodes.slice(0, FAILED_NODES_SHOWN - shown.length).map((node) => `${node.instanceId}: ${node.status}`));
  }
  return { count, atLeast, unread, shown };
}

/** The output of a node that succeeded, or else of one that failed; '' when there is none, undefined if not read. */
export async function outputOf(ssm: SSMClient, command: Command, reads: Reads): Promise<string | undefined> {
  const node = (await nodesWithStatus(ssm, command, ['Success'], 1, reads))[0]
    ?? (reads.error === undefined ? (await nodesWithStatus(ssm, command, FAILED, 1, reads))[0] : undefined);
  if (node === undefined) {
    return reads.error === undefined ? '' : undefined;
  }
  return readInvocation(ssm, command, node, 'StandardOutputContent', reads);
}

/** How many did not run, as the NotRunCount attribute says it: `4`, `50+` past a page, `unknown` if not read. */
export function notRunCount(notRun: NodesNotRun): string {
  if (notRun.unread && notRun.count === 0) {
    return 'unknown';
  }
  return `${notRun.count}${notRun.atLeast || notRun.unread ? '+' : ''}`;
}

/** `4 of 6 nodes did not run: i-4: Access Denied; …; and 1 more` (the verb given). */
export function notRunText(notRun: NodesNotRun, targetCount: number, verb = 'did not run'): string {
  const more = notRun.count - notRun.shown.length;
  return `${notRunCount(notRun)} of ${targetCount} nodes ${verb}: ${notRun.shown.join('; ')}`
    + (more > 0 ? `; and ${more}${notRun.atLeast ? '+' : ''} more` : '');
}

/**
 * The alarms that stopped a command, as ListCommands gives them in `TriggeredAlarms` (added with alarm
 * configurations: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Command.html), such as
 * `deploy-health: ALARM`; '' when none did. The API lists at most one (AlarmStateInformationList); names are kept short.
 */
export function triggeredAlarmsOf(run: { TriggeredAlarms?: { Name?: string; State?: string }[] }): string {
  return (run.TriggeredAlarms ?? []).map((alarm) => `${alarm.Name}: ${alarm.State}`.slice(0, 300)).join('; ');
}

/** The end of a text, marked when cut. */
function tail(text: string, length: number): string {
  const trimmed = text.trim();
  return trimmed.length > length ? `…${trimmed.slice(-length)}` : trimmed;
}
