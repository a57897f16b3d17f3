import { CustomResource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { DOCUMENT_SHARING_RESOURCE_TYPE } from '../private/resource-types';
import { TextRule, checkCount, checkPattern, known, reject, rejectCombination } from '../private/validate';
import { DocumentSharingProperties } from '../private/wire';
import { HandlerPhase } from '../provider/phases';
import { SsmOpsProvider } from '../provider/ssm-ops-provider';

// The construct side of a Command document's sharing (sharedWithAccounts): the rules, and the companion custom
// resource that shares the document through ModifyDocumentPermission, which AWS::SSM::Document has no property for.

/**
 * The most accounts Systems Manager shares a document with, unless AWS Support raises the quota.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-ssm-sharing.html
 */
export const MAX_SHARED_ACCOUNTS = 1000;

// SSM API AccountId: `(?i)all|[0-9]{12}`; `all` (a public share) is refused on its own, before this rule.
const ACCOUNT_ID: TextRule = { pattern: /^[0-9]{12}$/, allowed: 'use a 12-digit AWS account ID' };

/**
 * The rules of `sharedWithAccounts`: a named document (an unnamed one is replaced, under a new name, at each change of
 * its content), at most 1,000 accounts, each a 12-digit account ID listed once, and never `All`, which would share the
 * document publicly. A list token, and tokens among the IDs, are left to deploy time.
 */
export function checkSharedWithAccounts(scope: IConstruct, accounts: string[] | undefined, documentName: string | undefined): void {
  if (accounts === undefined || (known(accounts) && accounts.length === 0)) {
    return;
  }
  if (documentName === undefined) {
    rejectCombination(scope, 'sharedWithAccounts', 'needs a documentName: a document without one is replaced, under a new name, at each '
      + 'change of its content, and the accounts it is shared with would lose it', 'give the document a documentName, so that its changes '
      + 'are new versions of the one document they share');
  }
  if (!known(accounts)) {
    return;
  }
  checkCount(scope, 'sharedWithAccounts', accounts, 0, MAX_SHARED_ACCOUNTS, 'accounts',
    'the most Systems Manager shares a document with, unless AWS Support raises the quota');
  const seen = new Map<string, number>();
  accounts.forEach((id, index) => {
    const property = `sharedWithAccounts[${index}]`;
    if (!known(id)) {
      return;
    }
    if (id.toLowerCase() === 'all') {
      reject(scope, property, id, 'would share the document publicly, which this library does not offer',
        'list the 12-digit IDs of the accounts to share it with');
    }
    checkPattern(scope, property, id, ACCOUNT_ID);
    if (seen.has(id)) {
      reject(scope, property, id, `is listed already, as sharedWithAccounts[${seen.get(id)}]`, 'list each account once');
    }
    seen.set(id, index);
  });
}

/**
 * The accounts as the template carries them: sorted, so that a reordered list writes the same template and
 * CloudFormation sends no update; IDs that are tokens follow, in their order. A list token is passed unchanged.
 */
export function renderAccounts(accounts: string[]): string[] {
  if (Token.isUnresolved(accounts)) {
    return accounts;
  }
  return [...accounts.filter((id) => !Token.isUnresolved(id)).sort(), ...accounts.filter((id) => Token.isUnresolved(id))];
}

/**
 * Adds the companion that shares a Command document with other accounts (`Custom::SsmDocumentSharing`, child
 * `Sharing` of the document, with its role `Sharing/HandlerRole`). It refers to the document by name, so it is
 * created after the document and deleted before it: Systems Manager refuses to delete a document that is still
 * shared. Its handler calls Systems Manager from isComplete only (where a refused call is tried again), so its role
 * trusts the isComplete function only, and may read and change the sharing of this document only.
 */
export function addDocumentSharing(document: Construct, resource: CfnDocument, documentArn: string, accounts: string[]): CustomResource {
  const provider = SsmOpsProvider.getOrCreate(document);
  return provider.addResource<DocumentSharingProperties>(document, 'Sharing', {
    resourceType: DOCUMENT_SHARING_RESOURCE_TYPE,
    properties: {
      DocumentName: resource.ref,
      AccountIds: renderAccounts(accounts),
      SharedDocumentVersion: '$DEFAULT',
    },
    permissions: [{
      phases: [HandlerPhase.IS_COMPLETE],
      statements: [new iam.PolicyStatement({
        actions: ['ssm:DescribeDocumentPermission', 'ssm:ModifyDocumentPermission'],
        resources: [documentArn],
      })],
    }],
  });
}
