// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  AssociationExecution, AssociationExecutionTarget, DescribeAssociationExecutionTargetsCommand, GetCommandInvocationCommand,
  ListCommandInvocationsCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { jsonBytes, truncate } from '../private/handler-errors';
import { AssociationRunAttributes } from '../private/wire';
import { Reads, describe, triggeredAlarmsOf } from '../run-command/nodes-report';

// What an association execution that ended did on its nodes: the counts by status (from the execution itself), and
// for the first few nodes that did not succeed their status, the step that failed and the end of its standard error.
// The nodes are read with DescribeAssociationExecutionTargets filtered by status, and each node's command through its
// OutputSource (the Run Command command ID), so the calls depend on the nodes shown, never on the node count.

/** How many nodes that did not succeed are shown. */
export const RUN_NODES_SHOWN = 3;
/** The most of a node's standard error shown: its end. */
const STDERR_TAIL = 300;
// DescribeAssociationExecutionTargets answers at most 50 targets a page (MaxResults in the SSM API model). Should the
// Status filter also list targets of another status, at most this many pages are read per status.
const PAGE_SIZE = 50;
const MAX_PAGES_PER_STATUS = 3;
// The order in which the statuses of nodes that did not succeed are looked at: those that ran and failed first.
const STATUS_ORDER = ['Failed', 'TimedOut', 'Cancelled', 'Skipped'];

/** The counts by status of an execution: its ResourceCountByStatus, a string such as `{Failed=1, Success=2}`. */
export function countsOf(execution: AssociationExecution): Record<string, number> {
  const counts: Record<string, number> = {};
  const text = (execution.ResourceCountByStatus ?? '').trim().replace(/^\{|\}$/g, '');
  for (const part of text.split(',')) {
    const match = /^\s*([^=:\s]+)\s*[=:]\s*(\d+)\s*$/.exec(part.replace(/"/g, ''));
    if (match) {
      counts[match[1]] = (counts[match[1]] ?? 0) + Number(match[2]);
    }
  }
  return counts;
}

/** `Failed=1, Success=2`, in a stable order. */
export function countsText(counts: Record<string, number>): string {
  return Object.keys(counts).sort().map((status) => `${status}=${counts[status]}`).join(', ');
}

/** The attributes of an execution that ended. */
export function attributesOf(execution: AssociationExecution): AssociationRunAttributes {
  const counts = countsOf(execution);
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const success = counts.Success ?? 0;
  return {
    ExecutionId: execution.ExecutionId ?? '',
    AssociationVersion: execution.AssociationVersion ?? '',
    Status: execution.Status ?? '',
    DetailedStatus: execution.DetailedStatus ?? execution.Status ?? '',
    TargetCount: String(total),
    SuccessCount: String(success),
    FailedCount: String(total - success),
    CountsByStatus: truncate(countsText(counts), 512),
    TriggeredAlarms: triggeredAlarmsOf(execution),
  };
}

/** A node that did not succeed, as the report shows it. */
export interface ShownNode {
  readonly resourceId: string;
  readonly status: string;
  /** The Run Command command of the node's run, when its output source is Run Command. */
  readonly commandId?: string;
  readonly step?: string;
  readonly stderr?: string;
}

/** The nodes that did not succeed: the first RUN_NODES_SHOWN of them with their detail, and the reads that failed. */
export interface FailedRunNodes {
  readonly shown: ShownNode[];
  readonly reads: Reads;
}

/**
 * The first nodes that did not succeed, one DescribeAssociationExecutionTargets call per status that the counts name
 * (until enough are found), then for each node two Run Command reads: its steps (ListCommandInvocations of the one
 * node, with details) and the failed step's standard error (GetCommandInvocation with that step's PluginName, which a
 * document of several steps requires). At most statuses × pages + 2 × RUN_NODES_SHOWN calls.
 */
export async function failedRunNodes(ssm: SSMClient, execution: AssociationExecution, requestAgeMs: number): Promise<FailedRunNodes> {
  const reads = new Reads(requestAgeMs);
  const counts = countsOf(execution);
  const statuses = Object.keys(counts).filter((status) => status !== 'Success' && counts[status] > 0)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const targets: AssociationExecutionTarget[] = [];
  for (const status of statuses) {
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await reads.attempt(() => ssm.send(new DescribeAssociationExecutionTargetsCommand({
        AssociationId: execution.AssociationId,
        ExecutionId: execution.ExecutionId,
        Filters: [{ Key: 'Status', Value: status }],
        MaxResults: pages === 0 ? RUN_NODES_SHOWN - targets.length : PAGE_SIZE,
        NextToken: nextToken,
      })));
      if (page === undefined) {
        break;
      }
      const listed = page?.AssociationExecutionTargets ?? [];
      const matching = listed.filter((target) => target.Status === status || target.DetailedStatus === status);
      targets.push(...matching.slice(0, RUN_NODES_SHOWN - targets.length));
      nextToken = matching.length < listed.length || matching.length === 0 ? page?.NextToken : undefined;
    } while (nextToken && targets.length < RUN_NODES_SHOWN && ++pages < MAX_PAGES_PER_STATUS);
    if (targets.length >= RUN_NODES_SHOWN || reads.error !== undefined) {
      break;
    }
  }
  const shown: ShownNode[] = [];
  for (const target of targets) {
    shown.push(await nodeDetail(ssm, target, reads));
  }
  return { shown, reads };
}

function rank(status: string): number {
  const index = STATUS_ORDER.indexOf(status);
  return index < 0 ? STATUS_ORDER.length : index;
}

/** A node's status, and through its Run Command output source the failed step and the end of its standard error. */
async function nodeDetail(ssm: SSMClient, target: AssociationExecutionTarget, reads: Reads): Promise<ShownNode> {
  const node = { resourceId: target.ResourceId ?? 'unknown', status: target.DetailedStatus || target.Status || 'unknown' };
  const commandId = target.OutputSource?.OutputSourceType === 'RunCommand' ? target.OutputSource.OutputSourceId : undefined;
  if (!commandId || !target.ResourceId) {
    return node;
  }
  const listed = await reads.attempt(() => ssm.send(new ListCommandInvocationsCommand({
    CommandId: commandId, InstanceId: target.ResourceId, Details: true,
  })));
  const steps = listed?.CommandInvocations?.[0]?.CommandPlugins ?? [];
  const step = steps.find((plugin) => plugin.Status !== 'Success') ?? steps[steps.length - 1];
  if (listed === undefined) {
    return { ...node, commandId };
  }
  const invocation = await reads.attempt(() => ssm.send(new GetCommandInvocationCommand({
    CommandId: commandId,
    InstanceId: target.ResourceId,
    // Required when the document has several steps; left out for one, which every document allows.
    PluginName: steps.length > 1 ? step?.Name : undefined,
  })));
  return { ...node, commandId, step: step?.Name, stderr: invocation?.StandardErrorContent ?? undefined };
}

/** `i-0abc: Failed, step runShellScript (command 1a2b…): …the end of its stderr`. */
export function nodeText(node: ShownNode): string {
  const where = [node.step ? `step ${node.step}` : '', node.commandId ? `command ${node.commandId}` : ''].filter(Boolean).join(', ');
  const stderr = node.stderr ? tail(node.stderr, STDERR_TAIL) : '';
  return `${node.resourceId}: ${node.status}${where ? ` (${where})` : ''}${stderr ? `: ${stderr}` : ''}`;
}

/** What could not be read at the end, for the message. */
export function unreadText(reads: Reads): string {
  return reads.error === undefined ? '' : `node details could not all be read (${describe(reads.error)})`;
}

/**
 * The end of a text, on one line, marked when cut: at most `maxBytes` in a JSON document, where quotes, backslashes
 * and control characters take more than one byte, so that three nodes' errors always leave room in the response.
 */
function tail(text: string, maxBytes: number): string {
  const trimmed = text.trim().replace(/\s*\n\s*/g, ' | ');
  if (jsonBytes(trimmed) <= maxBytes) {
    return trimmed;
  }
  let start = trimmed.length;
  while (start > 0 && jsonBytes(`…${trimmed.slice(start - 1)}`) <= maxBytes) {
    start--;
  }
  const code = trimmed.charCodeAt(start);
  // Never begin with the second half of a surrogate pair.
  return `…${trimmed.slice(code >= 0xdc00 && code <= 0xdfff ? start + 1 : start)}`;
}
