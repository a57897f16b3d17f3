// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssociationRunAttributes } from '../private/wire';

// An association run wait's record: the attributes of the last run it waited for, kept as JSON in an SSM String
// parameter of its own (its ResultParameter property), so that an update that waits for nothing (the association did
// not change) returns the same attributes, however old the execution.

/** What the result parameter keeps. */
export interface RunRecord {
  readonly Attributes: AssociationRunAttributes;
  /** When the execution was waited for, in milliseconds since the epoch. */
  readonly RecordedAt: number;
}

function nameOf(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

/** The record, or undefined when there is none (or it is not JSON). */
export async function readRunRecord(ssm: SSMClient, name: string): Promise<RunRecord | undefined> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name })))?.Parameter?.Value;
  } catch (error) {
    if (nameOf(error) === 'ParameterNotFound') {
      return undefined;
    }
    throw error;
  }
  try {
    return value === undefined ? undefined : JSON.parse(value) as RunRecord;
  } catch {
    console.log(`the record in ${name} is not JSON; it is ignored`);
    return undefined;
  }
}

/**
 * Writes the record over the one before. `{{` is written `{\u007b`: Parameter Store refuses a value that looks like
 * a reference to another parameter. The attributes are short (alarm names, counts by status), far below a standard
 * parameter's 4,096 characters (AWS Systems Manager User Guide, "Managing parameter tiers").
 */
export async function writeRunRecord(ssm: SSMClient, name: string, record: RunRecord): Promise<void> {
  const value = JSON.stringify(record).replace(/\{(?=\{)/g, '\\u007b');
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Tier: 'Standard', Overwrite: true }));
}

/** Removes the record; one already gone is fine. */
export async function deleteRunRecord(ssm: SSMClient, name: string): Promise<void> {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }));
  } catch (error) {
    if (nameOf(error) !== 'ParameterNotFound') {
      throw error;
    }
  }
}
