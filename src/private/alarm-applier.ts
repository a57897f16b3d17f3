import { createHash } from 'crypto';
import { CfnResource, CustomResource, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { renderAlarmConfiguration } from './alarms';
import { AlarmConfiguration } from '../alarm-configuration';
import { SsmOpsProvider } from '../provider/ssm-ops-provider';

/** What the companion applies the alarm to, and the permissions it needs for that. */
export interface AlarmApplierTarget {
  /** The custom resource type of the companion. */
  readonly resourceType: string;
  /** The L1 whose alarm configuration the companion applies; CloudFormation's updates of it wipe the alarm. */
  readonly resource: CfnResource;
  /** The IDs the handler needs (AssociationId, or WindowId and WindowTaskId). */
  readonly ids: Record<string, string>;
  /** What the handlers may do to read and update the resource. */
  readonly statements: iam.PolicyStatement[];
}

/**
 * Adds the companion custom resource that applies an alarm configuration through the SSM API, which CloudFormation's
 * AWS::SSM::Association and AWS::SSM::MaintenanceWindowTask lack. It runs after the L1, and again after every change
 * of the L1: its properties carry a fingerprint of the L1's properties.
 */
export function addAlarmApplier(scope: Construct, config: AlarmConfiguration, target: AlarmApplierTarget): CustomResource {
  const provider = SsmOpsProvider.getOrCreate(scope);
  const stack = Stack.of(scope);
  for (const statement of target.statements) {
    provider.addToHandlerPolicies(statement);
  }
  // Systems Manager reads the alarm's state with the caller's permissions when it checks the configuration.
  provider.addToHandlerPolicies(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: config.alarms.map((alarm) => alarm.alarmArn) }));

  const companion = new CustomResource(scope, 'AlarmConfiguration', {
    serviceToken: provider.serviceToken,
    resourceType: target.resourceType,
    properties: {
      ...target.ids,
      AlarmConfiguration: renderAlarmConfiguration(scope, 'alarmConfiguration', config),
      Fingerprint: Lazy.string({ produce: () => fingerprint(stack, target.resource) }),
    },
  });
  companion.node.addDependency(target.resource);
  return companion;
}

/** A hash of the L1's properties as they are written to the template. */
export function fingerprint(stack: Stack, resource: CfnResource): string {
  // _toCloudFormation is how aws-cdk-lib itself renders a resource; its properties are what CloudFormation sees.
  const rendered = stack.resolve((resource as any)._toCloudFormation());
  const properties = Object.values<any>(rendered.Resources)[0].Properties ?? {};
  return createHash('sha256').update(JSON.stringify(properties)).digest('hex').slice(0, 16);
}
