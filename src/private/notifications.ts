import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CommandNotification, NotificationEvent, NotificationType } from '../command-output';

/** A command's notifications, ready to render: the role Systems Manager publishes with, and the settings' defaults. */
export interface BoundNotification {
  readonly role: iam.IRole;
  readonly topicArn: string;
  readonly events: NotificationEvent[];
  readonly type: NotificationType;
}

/**
 * Gives a command's notifications their role (the one given, or a new `NotificationRole` trusted by Systems Manager
 * for this account) and allows it to publish to the topic.
 */
export function bindNotification(
  scope: Construct, notification: CommandNotification | undefined, roleDescription: string,
): BoundNotification | undefined {
  if (!notification) {
    return undefined;
  }
  const role = notification.role ?? new iam.Role(scope, 'NotificationRole', {
    description: roleDescription,
    assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } }),
  });
  notification.topic.grantPublish(role);
  return {
    role,
    topicArn: notification.topic.topicArn,
    events: notification.events ?? [NotificationEvent.ALL],
    type: notification.type ?? NotificationType.COMMAND,
  };
}
