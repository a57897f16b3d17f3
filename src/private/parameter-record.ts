// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

// A custom resource's record, kept as JSON in an SSM String parameter of its own (its ResultParameter property), so
// that a request knows what an earlier one did and an update that does nothing returns the same attributes.

/** A standard parameter's value takes at most 4,096 characters (AWS Systems Manager User Guide, "Managing parameter tiers"). */
export const MAX_RECORD_CHARACTERS = 4096;

/** The record, or undefined when there is none (or it is not JSON). */
export async function readParameterRecord<T>(ssm: SSMClient, name: string): Promise<T | undefined> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name })))?.Parameter?.Value;
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterNotFound') {
      return undefined;
    }
    throw error;
  }
  if (value === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(value) as T;
  } catch {
    console.log(`the record in ${name} is not JSON; it is ignored`);
    return undefined;
  }
}

/**
 * A record as a parameter value: JSON in which `{{` is written `{\u007b`, because Parameter Store refuses a value
 * that looks like a reference to another parameter (AWS CDK, aws-ssm StringParameterProps: "{{}} cannot be used in
 * the value").
 */
export function recordValue(record: object): string {
  return JSON.stringify(record).replace(/\{(?=\{)/g, '\\u007b');
}

/** Writes a value (see recordValue) over the record before. */
export async function writeParameterRecord(ssm: SSMClient, name: string, value: string): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Tier: 'Standard', Overwrite: true }));
}

/** Removes the record; one already gone is fine. */
export async function deleteParameterRecord(ssm: SSMClient, name: string): Promise<void> {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ParameterNotFound') {
      throw error;
    }
  }
}
