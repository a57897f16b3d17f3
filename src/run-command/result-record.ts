// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SSMClient } from '@aws-sdk/client-ssm';
import { jsonBytes, truncate } from '../private/handler-errors';
import { MAX_RECORD_CHARACTERS, deleteParameterRecord, readParameterRecord, recordValue, writeParameterRecord } from '../private/parameter-record';
import { RunCommandAttributes } from '../private/wire';

// A RunCommand resource's record, kept as JSON in an SSM String parameter of its own (its ResultParameter property):
// which request sent the resource's current command, the command, and, once it ended, the attributes returned. A
// request learns from it whether it sent its command already, and an update that sends nothing returns the same
// attributes as before, whatever the command's age: Systems Manager keeps 30 days of command history.

/** What the result parameter keeps. */
export interface ResultRecord {
  /** The marker of the request that sent the command (`ssm-ops:<resource>:<request>`). */
  readonly Marker: string;
  readonly CommandId: string;
  /** When the command was sent, in milliseconds since the epoch. */
  readonly SentAt: number;
  /** The attributes returned once the command ended. */
  readonly Attributes?: RunCommandAttributes;
  /** When the reads at the end first failed, in milliseconds: they are retried for a bounded time from then. */
  readonly UnreadSince?: number;
}

/** The resource's record, or undefined when it has none (a resource of an earlier version, or one not yet sent). */
export async function readRecord(ssm: SSMClient, name: string): Promise<ResultRecord | undefined> {
  return readParameterRecord<ResultRecord>(ssm, name);
}

/** Writes the resource's record over the one before. */
export async function writeRecord(ssm: SSMClient, name: string, record: ResultRecord): Promise<void> {
  await writeParameterRecord(ssm, name, serialize(record));
}

/** Removes the resource's record; one already gone is fine. */
export const deleteRecord = deleteParameterRecord;

/** The record as a parameter value (recordValue), with the output cut further if the whole would pass 4,096 characters. */
export function serialize(record: ResultRecord): string {
  let value = recordValue(record);
  // Each round cuts the output by what is over, and the escapes it held; a few rounds at most.
  for (let round = 0; round < 5 && value.length > MAX_RECORD_CHARACTERS && record.Attributes?.Output; round++) {
    const output = record.Attributes.Output;
    const cut = truncate(output, jsonBytes(output) - (value.length - MAX_RECORD_CHARACTERS) - 16);
    record = { ...record, Attributes: { ...record.Attributes, Output: cut } };
    value = recordValue(record);
  }
  return value;
}
