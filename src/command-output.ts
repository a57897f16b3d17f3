import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { ITopic } from 'aws-cdk-lib/aws-sns';

/**
 * An S3 location for the output of commands and associations. The nodes write it with their instance profiles, so
 * those need write access to it (for example `bucket.grantPut(instanceRole)`).
 */
export interface S3OutputLocation {
  /** The bucket. */
  readonly bucket: IBucket;

  /**
   * The key prefix: at most 500 characters.
   *
   * @default - the bucket's root
   */
  readonly keyPrefix?: string;
}

/**
 * The command statuses a notification is sent for.
 */
export enum NotificationEvent {
  /** Every status change. */
  ALL = 'All',
  /** The command started running. */
  IN_PROGRESS = 'InProgress',
  /** The command succeeded. */
  SUCCESS = 'Success',
  /** The command timed out. */
  TIMED_OUT = 'TimedOut',
  /** The command was cancelled. */
  CANCELLED = 'Cancelled',
  /** The command failed. */
  FAILED = 'Failed',
}

/**
 * What a notification reports on.
 */
export enum NotificationType {
  /** The command as a whole. */
  COMMAND = 'Command',
  /** Each node's invocation of the command. */
  INVOCATION = 'Invocation',
}

/**
 * Amazon SNS notifications of a command's status.
 */
export interface CommandNotification {
  /** The topic the notifications are published to. */
  readonly topic: ITopic;

  /**
   * The statuses notified.
   *
   * @default [NotificationEvent.ALL]
   */
  readonly events?: NotificationEvent[];

  /**
   * Whether the command or each invocation is reported.
   *
   * @default NotificationType.COMMAND
   */
  readonly type?: NotificationType;

  /**
   * The role Systems Manager publishes with.
   *
   * @default - a role trusted by Systems Manager, allowed to publish to the topic
   */
  readonly role?: iam.IRole;
}
