// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SSMClient } from '@aws-sdk/client-ssm';
import { deleteParameterRecord, readParameterRecord, recordValue, writeParameterRecord } from '../private/parameter-record';
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

/** The record, or undefined when there is none (or it is not JSON). */
export async function readRunRecord(ssm: SSMClient, name: string): Promise<RunRecord | undefined> {
  return readParameterRecord<RunRecord>(ssm, name);
}

/**
 * Writes the record over the one before. The attributes are short (alarm names, counts by status), far below a
 * standard parameter's 4,096 characters.
 */
export async function writeRunRecord(ssm: SSMClient, name: string, record: RunRecord): Promise<void> {
  await writeParameterRecord(ssm, name, recordValue(record));
}

/** Removes the record; one already gone is fine. */
export const deleteRunRecord = deleteParameterRecord;
