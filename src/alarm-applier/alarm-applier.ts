import { CfnResource, CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { renderAlarmConfiguration } from '../private/alarms';
import { AlarmConfiguration } from '../alarm-configuration';
import { SsmOpsProvider } from '../provider/ssm-ops-provider';

/** What the companion applies the alarm to, and the permissions it needs for that. */
export interface AlarmApplierTarget {
  /** The custom resource type of the companion. */
  readonly resourceType: string;
  /** The L1 whose alarm configuration the companion applies; CloudFormation's updates of it wipe the alarm. */
  readonly resource: CfnResource;
  /** The properties the L2 gave the L1: the companion carries them, so that every change of the L1 reaches it. */
  readonly resourceProperties: object;
  /** The IDs the handler needs (AssociationId, or WindowId and WindowTaskId). */
  readonly ids: Record<string, string>;
  /** What the handlers may do to read and update the resource. */
  readonly statements: iam.PolicyStatement[];
}

/**
 * Adds the companion custom resource that applies an alarm configuration through the SSM API, which CloudFormation's
 * AWS::SSM::Association and AWS::SSM::MaintenanceWindowTask lack. It runs after the L1, and again after every change
 * of the L1: its properties carry the L1's.
 */
export function addAlarmApplier(scope: Construct, config: AlarmConfiguration, target: AlarmApplierTarget): CustomResource {
  const provider = SsmOpsProvider.getOrCreate(scope);
  const companion = new CustomResource(scope, 'AlarmConfiguration', {
    serviceToken: provider.serviceToken,
    resourceType: target.resourceType,
    properties: {
      ...target.ids,
      AlarmConfiguration: renderAlarmConfiguration(scope, 'alarmConfiguration', config),
      // CloudFormation resolves these at deploy time, so a change of a value known only then (a Ref, a GetAtt) also
      // updates the companion, which then applies the alarm again.
      WatchedProperties: target.resourceProperties,
    },
  });
  companion.node.addDependency(target.resource);
  provider.grantForResource(companion, [
    ...target.statements,
    // Systems Manager reads the alarm's state with the caller's permissions when it checks the configuration.
    new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: config.alarms.map((alarm) => alarm.alarmArn) }),
  ]);
  return companion;
}
