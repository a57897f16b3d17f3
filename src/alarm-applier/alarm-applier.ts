import { CfnResource, CustomResource, Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AlarmConfiguration } from '../alarm-configuration';
import { renderAlarmConfiguration } from '../private/alarms';
import { describeAlarms } from '../private/iam';
import { AlarmApplierProperties, WireAlarmConfiguration } from '../private/wire';
import { HandlerPhase } from '../provider/phases';
import { SsmOpsProvider } from '../provider/ssm-ops-provider';

/** What the companion applies the alarm to, and the permissions it needs for that. */
export interface AlarmApplierTarget {
  /** The custom resource type of the companion. */
  readonly resourceType: string;
  /** The L1 whose alarm configuration the companion applies; CloudFormation's updates of it wipe the alarm. */
  readonly resource: CfnResource;
  /** The IDs the handler needs (AssociationId, or WindowId and WindowTaskId). */
  readonly ids: Pick<AlarmApplierProperties, 'AssociationId' | 'WindowId' | 'WindowTaskId'>;
  /** What the handler may do to read and update the resource. */
  readonly statements: iam.PolicyStatement[];
}

/**
 * Adds the companion custom resource that applies an alarm configuration through the SSM API, which CloudFormation's
 * AWS::SSM::Association and AWS::SSM::MaintenanceWindowTask lack. It runs after the L1, and again after every change
 * of the L1: its properties carry the L1's as the template renders them.
 *
 * Its handler calls Systems Manager from isComplete only (where a refused call is tried again), so its role trusts
 * the isComplete function only.
 */
export function addAlarmApplier(scope: Construct, config: AlarmConfiguration, target: AlarmApplierTarget): CustomResource {
  const provider = SsmOpsProvider.getOrCreate(scope);
  const companion = provider.addResource<AlarmApplierProperties>(scope, 'AlarmConfiguration', {
    resourceType: target.resourceType,
    properties: {
      ...target.ids,
      AlarmConfiguration: wireAlarmConfiguration(scope, config),
      WatchedProperties: renderedProperties(target.resource),
    },
    permissions: [{
      phases: [HandlerPhase.IS_COMPLETE],
      statements: [
        ...target.statements,
        describeAlarms(config),
      ],
    }],
  });
  companion.node.addDependency(target.resource);
  return companion;
}

/** An alarm configuration as a custom resource carries it: its Boolean as a string, as CloudFormation passes it. */
export function wireAlarmConfiguration(scope: Construct, config: AlarmConfiguration): WireAlarmConfiguration {
  const rendered = renderAlarmConfiguration(scope, 'alarmConfiguration', config);
  return { Alarms: rendered.Alarms, IgnorePollAlarmFailure: String(rendered.IgnorePollAlarmFailure) };
}

/**
 * The L1's properties as the template gives them to CloudFormation: after escape hatches (`addPropertyOverride`,
 * `addOverride`) and tags, with references (`Ref`, `Fn::GetAtt`) left for CloudFormation to resolve at deploy
 * time. Any change of the L1 that CloudFormation applies, and that wipes the alarm, changes them too.
 */
export function renderedProperties(resource: CfnResource): unknown {
  // Uncached: produced again at each synthesis, after every override made since.
  return Lazy.uncachedAny({
    produce: (context) => {
      // The L1's own rendering, the one the stack's template takes (CfnResource applies its overrides in it).
      const rendered = context.resolve(resource._toCloudFormation()) as { Resources?: Record<string, { Properties?: unknown }> };
      return Object.values(rendered.Resources ?? {})[0]?.Properties ?? {};
    },
  });
}
