import { Aws } from 'aws-cdk-lib';

// Names that only AWS may use: no customer document can start with them, in any case.
const RESERVED_PREFIXES = ['aws', 'amazon', 'amzn'];

/** Whether a document name is in AWS's reserved namespace, so the document must be AWS-owned. */
export function isReservedDocumentName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** The ARN of an AWS-owned document: it has no account. */
export function awsOwnedDocumentArn(documentName: string, region: string = Aws.REGION, partition: string = Aws.PARTITION): string {
  return `arn:${partition}:ssm:${region}::document/${documentName}`;
}
