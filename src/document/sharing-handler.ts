// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { DescribeDocumentPermissionCommand, ModifyDocumentPermissionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { deploymentFailure, IAM_PROPAGATION_MS, isAccessDenied, isRetryable } from '../private/handler-errors';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../private/provider-types';
import { DocumentSharingProperties } from '../private/wire';

// The handler of a document's sharing companion (`Custom::SsmDocumentSharing`). It works in isComplete, as the alarm
// companions do, so that a call refused for a while (throttling, a role still propagating in IAM) is tried again at
// the next poll instead of failing the deployment.
//
// Each poll reads who the document is shared with (DescribeDocumentPermission), then stops sharing it with the
// accounts that are not wanted and shares it with the wanted ones it is not shared with, at most 20 accounts a call
// (ModifyDocumentPermission's AccountIdList). It reads rather than trusting OldResourceProperties, because the state
// may be neither the old nor the new list: an update that failed halfway leaves some of its batches applied, a poll
// that stopped on throttling leaves the rest for the next one, and a document can't be deleted while any account
// (shared outside the stack too) still has it. Reading makes every request converge from wherever it finds the
// document, and a retry repeats nothing that is done. It costs one read per 200 accounts per poll.

/** How long after a request starts the companion keeps trying to share or stop sharing. */
export const SHARING_DEADLINE_MS = 10 * 60 * 1000;
/** The most accounts ModifyDocumentPermission takes in one call (SSM API `AccountIdList`, `DocumentPermissionLimit`). */
export const ACCOUNTS_PER_CALL = 20;
/** The most accounts DescribeDocumentPermission returns in one page (SSM API `DocumentPermissionMaxResults`). */
export const ACCOUNTS_PER_PAGE = 200;
/**
 * How long one poll keeps making calls: the rest is left to the next poll, so that an invocation that the SDK slows
 * down with its own retries ends well within the function's 2-minute timeout.
 */
export const POLL_BUDGET_MS = 60 * 1000;
/** The version the companion shares when its properties name none. */
export const DEFAULT_SHARED_VERSION = '$DEFAULT';
const ACCOUNT_ID = /^[0-9]{12}$/;
// SSM API SharedDocumentVersion.
const SHARED_VERSION = /^\$(DEFAULT|LATEST|ALL)$/;

// The companion's physical ID names its document, so that a new document name replaces the companion.
const PHYSICAL_ID_PREFIX = 'sharing-';

/** The changes that make the document shared with exactly the wanted accounts. */
export interface SharingPlan {
  /** Accounts to stop sharing with (shared outside the stack included, and `all` for a public share). */
  readonly remove: string[];
  /** Accounts to share with: not shared yet, or shared with another version. */
  readonly add: string[];
}

/**
 * onEvent of the sharing companion: answers at once with the physical ID and when the request started; the work is
 * isComplete's. The physical ID names the document, so that a new document (a new name) replaces the companion, and
 * CloudFormation's cleanup then deletes the old companion, which stops sharing the old document.
 */
export async function onDocumentSharingEvent(event: OnEventRequest, now = Date.now()): Promise<OnEventResponse> {
  const props = event.ResourceProperties as unknown as DocumentSharingProperties;
  return {
    PhysicalResourceId: event.RequestType === 'Delete' ? event.PhysicalResourceId : `${PHYSICAL_ID_PREFIX}${props.DocumentName}`,
    Data: { RequestStart: String(now) },
  };
}

/** The document a companion's physical ID names, if it is one this handler made. */
function sharedDocumentOf(physicalResourceId: string | undefined): string | undefined {
  return physicalResourceId?.startsWith(PHYSICAL_ID_PREFIX) && physicalResourceId.length > PHYSICAL_ID_PREFIX.length
    ? physicalResourceId.slice(PHYSICAL_ID_PREFIX.length)
    : undefined;
}

/**
 * isComplete of the sharing companion: shares the document with exactly its accounts after a create or update, and
 * with none on delete (Systems Manager refuses to delete a document that is still shared). A retryable error
 * (throttling, a server error, AccessDenied in the first 2 minutes) is tried again at the next poll, until 10 minutes
 * after the request; a delete whose document is gone has nothing left to do.
 */
export async function isDocumentSharingComplete(ssm: SSMClient, event: IsCompleteRequest, now = Date.now()): Promise<IsCompleteResponse> {
  const props = event.ResourceProperties as unknown as DocumentSharingProperties;
  const start = Number(event.Data?.RequestStart) || now;
  // A delete acts on the document its physical ID names: after a rename rolled back, CloudFormation's cleanup deletes
  // the companion of the new name, whatever properties the request carries.
  const name = event.RequestType === 'Delete' ? sharedDocumentOf(event.PhysicalResourceId) ?? props.DocumentName : props.DocumentName;
  const version = props.SharedDocumentVersion || DEFAULT_SHARED_VERSION;
  const wanted = event.RequestType === 'Delete' ? [] : wantedAccounts(props.AccountIds);
  if (event.RequestType !== 'Delete') {
    checkResolved(event, name, wanted);
  }
  const invoked = Date.now();
  try {
    const shared = await sharedWith(ssm, name);
    // The budget is of this invocation's own time, the reads included, whenever the request started.
    const done = await apply(ssm, name, version, plan(shared, wanted, version), invoked + POLL_BUDGET_MS);
    return { IsComplete: done };
  } catch (error) {
    if (event.RequestType === 'Delete' && (error as Error)?.name === 'InvalidDocument') {
      // The document is gone, and with it every share.
      return { IsComplete: true };
    }
    const age = now - start;
    if (isRetryable(error, age) && age < SHARING_DEADLINE_MS) {
      return { IsComplete: false };
    }
    throw deploymentFailure(event, failureMessage(event, name, props.RoleArn, wanted.length, error, age));
  }
}

/**
 * The accounts as CloudFormation resolved them: each once, sorted (a list token may resolve to any order), without
 * the empty values that an empty `CommaDelimitedList` parameter or `Fn::Split` of an empty text gives.
 */
export function wantedAccounts(accountIds: unknown): string[] {
  const list = Array.isArray(accountIds) ? accountIds.map((id) => String(id).trim()).filter((id) => id !== '') : [];
  return [...new Set(list)].sort();
}

/**
 * Values that were tokens at synth time are checked here, before any call: a 12-digit ID each, and never `All`,
 * which would share the document publicly.
 */
function checkResolved(event: IsCompleteRequest, name: string, wanted: string[]) {
  const invalid = wanted.filter((id) => !ACCOUNT_ID.test(id));
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 5).map((id) => `'${id}'`).join(', ') + (invalid.length > 5 ? ` and ${invalid.length - 5} more` : '');
    throw deploymentFailure(event, `could not share document ${name}: sharedWithAccounts resolved to ${shown}, which ${invalid.length === 1 ? 'is' : 'are'} `
      + 'not 12-digit AWS account IDs; public sharing (All) is not offered. Nothing was shared or unshared by this request.');
  }
}

/** The accounts the document is shared with now, with the version each was given, read page by page. */
export async function sharedWith(ssm: SSMClient, name: string): Promise<Map<string, string | undefined>> {
  const shared = new Map<string, string | undefined>();
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(new DescribeDocumentPermissionCommand({
      Name: name, PermissionType: 'Share', MaxResults: ACCOUNTS_PER_PAGE, NextToken: nextToken,
    }));
    for (const id of page.AccountIds ?? []) {
      shared.set(id, shared.get(id));
    }
    for (const info of page.AccountSharingInfoList ?? []) {
      if (info.AccountId) {
        shared.set(info.AccountId, info.SharedDocumentVersion);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return shared;
}

/**
 * What to remove and add so that the document is shared with exactly the wanted accounts, at the wanted version. An
 * account is shared again only when it is reported with another of the versions the API shares (`$DEFAULT`,
 * `$LATEST`, `$ALL`): a version reported in another form can't be compared, and sharing again at every poll would
 * never end.
 */
export function plan(shared: Map<string, string | undefined>, wanted: string[], version: string): SharingPlan {
  const keep = new Set(wanted);
  const otherVersion = (id: string) => {
    const reported = shared.get(id);
    return reported !== undefined && SHARED_VERSION.test(reported) && reported !== version;
  };
  return {
    remove: [...shared.keys()].filter((id) => !keep.has(id)).sort(),
    add: wanted.filter((id) => !shared.has(id) || otherVersion(id)),
  };
}

/**
 * Removes first, so that a list at the quota can be changed (the count never goes above the larger of the two
 * lists) and a public share is gone before private ones are added (Systems Manager refuses both at once); then adds.
 * Batches of at most 20 accounts. Returns false when the poll's time budget ran out first.
 */
async function apply(ssm: SSMClient, name: string, version: string, changes: SharingPlan, deadline: number): Promise<boolean> {
  const calls = [
    ...batches(changes.remove).map((ids) => ({ Name: name, PermissionType: 'Share' as const, AccountIdsToRemove: ids })),
    ...batches(changes.add).map((ids) => ({ Name: name, PermissionType: 'Share' as const, AccountIdsToAdd: ids, SharedDocumentVersion: version })),
  ];
  for (const input of calls) {
    if (Date.now() >= deadline) {
      return false;
    }
    await ssm.send(new ModifyDocumentPermissionCommand(input));
  }
  return true;
}

function batches(ids: string[]): string[][] {
  const result: string[][] = [];
  for (let i = 0; i < ids.length; i += ACCOUNTS_PER_CALL) {
    result.push(ids.slice(i, i + ACCOUNTS_PER_CALL));
  }
  return result;
}

/** Why the companion failed, and what to do about it. */
function failureMessage(event: IsCompleteRequest, name: string, roleArn: string, wanted: number, error: unknown, age: number): string {
  const errorName = (error as Error)?.name ?? 'Error';
  const cause = `${errorName}: ${(error as Error)?.message ?? String(error)}`;
  // Refused for as long as calls are tried again: throttling or server errors until the deadline.
  const during = isRetryable(error, 0) && !isAccessDenied(error) ? ` for ${Math.round(age / 60_000)} minutes` : '';
  const refused = isAccessDenied(error)
    ? ` The companion's role ${roleArn} is still refused ${IAM_PROPAGATION_MS / 60_000} minutes after the request, longer than IAM `
      + 'takes to propagate a new role: check that no service control policy or permissions boundary denies the call.'
    : '';
  const quota = errorName === 'DocumentPermissionLimit'
    ? ' Systems Manager shares a document with at most 1,000 accounts unless AWS Support raises the quota, and takes at most 20 a call.'
    : '';
  if (event.RequestType === 'Delete') {
    return `could not stop sharing document ${name}${during} (${cause}).${refused} The document may still be shared with some accounts, and `
      + 'Systems Manager refuses to delete a shared document: stop sharing it in the Systems Manager console, or with aws ssm '
      + `modify-document-permission --name ${name} --permission-type Share --account-ids-to-remove <IDs>, or retry the delete, which is safe: `
      + 'it reads which accounts the document is shared with and stops sharing it with each.';
  }
  return `could not share document ${name} with its ${wanted} account${wanted === 1 ? '' : 's'}${during} (${cause}).${refused}${quota} `
    + 'The document may be shared with some of them only; the deployment rolls back, which shares it with the accounts it had before, '
    + 'and deploying again shares it with the rest.';
}
