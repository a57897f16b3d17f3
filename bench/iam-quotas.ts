import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

// How many of this library's custom resources (RunCommands and alarm companions) one stack can hold before an IAM
// quota is reached: every role of a synthesized stack is measured against the quotas of the IAM User Guide ("IAM
// and AWS STS quotas"), and the stack against CloudFormation's ("CloudFormation quotas").

/** IAM and CloudFormation quotas, at their defaults. */
export const QUOTAS = {
  /** Inline policies of a role, all together, in characters without whitespace. */
  inlinePolicyCharacters: 10_240,
  /** A role's trust policy, in characters without whitespace (default; can be raised to 4,096). */
  trustPolicyCharacters: 2_048,
  /** Managed policies attached to a role (default; can be raised to 20). */
  managedPoliciesPerRole: 10,
  /** Roles in an account (default; can be raised to 5,000). */
  rolesPerAccount: 1_000,
  /** Resources in a CloudFormation stack. */
  resourcesPerStack: 500,
};

/** What one synthesized stack takes of each quota. */
export interface QuotaUse {
  readonly customResources: number;
  readonly resources: number;
  readonly roles: number;
  /** The largest inline policy total of the shared provider's function roles. */
  readonly sharedRoleInlineCharacters: number;
  /** The largest inline policy total of any other role of the stack (the per-resource roles, window roles). */
  readonly otherRoleInlineCharacters: number;
  readonly largestTrustPolicyCharacters: number;
  readonly mostManagedPolicies: number;
}

// A deployed value stands in for each intrinsic function, as long as a real one would be.
function deployed(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(deployed);
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0];
      if (key === 'Ref') {
        return ({ 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '111111111111', 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>)[argument as string]
          ?? 'a'.repeat(64);
      }
      if (key === 'Fn::GetAtt') {
        // A role's ARN with its path and a generated name, about the longest attribute a policy refers to.
        return `arn:aws:iam::111111111111:role/cdk-ssm-ops/${'a'.repeat(64)}`;
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        return parts.map((part) => String(deployed(part))).join(separator);
      }
      if (key === 'Fn::Sub' || key === 'Fn::Select' || key === 'Fn::Split' || key === 'Fn::ImportValue') {
        return 'a'.repeat(64);
      }
    }
    return Object.fromEntries(entries.map(([key, entry]) => [key, deployed(entry)]));
  }
  return value;
}

/** A policy's size as IAM counts it: its JSON without whitespace. */
const characters = (document: unknown) => JSON.stringify(deployed(document)).length;

/**
 * A stack of `count` of the library's custom resources in a mix: a third each RunCommands, associations with an
 * alarm companion and maintenance window tasks with an alarm companion, on AWS-managed documents (documents make no
 * roles).
 */
function buildStack(lib: any, count: number): Stack {
  // CloudFormation's limit of 500 resources is reported beside the IAM quotas, not enforced at synth.
  const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Quotas', { env: { account: '111111111111', region: 'us-east-1' } });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health');
  const document = lib.AwsManagedDocument.RUN_SHELL_SCRIPT;
  let window: any;
  let windowTarget: any;
  let tasks = 0;
  for (let i = 0; i < count; i++) {
    const group = `g${i}`;
    if (i % 3 === 0) {
      new lib.RunCommand(stack, `Run${i}`, {
        document, parameters: { commands: ['true'] }, targets: [lib.Target.tag('Group', group)], alarmConfiguration: { alarms: [alarm] },
      });
    } else if (i % 3 === 1) {
      new lib.Association(stack, `Assoc${i}`, {
        document,
        parameters: { commands: ['true'] },
        targets: [lib.Target.tag('Group', group)],
        schedule: lib.AssociationSchedule.rate(Duration.hours(12)),
        alarmConfiguration: { alarms: [alarm] },
      });
    } else {
      if (tasks % 20 === 0) {
        // A maintenance window holds at most 20 tasks.
        window = new lib.MaintenanceWindow(stack, `Window${tasks / 20}`, {
          schedule: lib.MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' }), duration: Duration.hours(4), cutoff: Duration.hours(1),
        });
        windowTarget = window.addTarget('Fleet', { targets: [lib.Target.tag('Window', `w${tasks / 20}`)] });
      }
      window.addTask(`Task${i}`, {
        task: lib.TaskAction.runCommand({ document, parameters: { commands: ['true'] } }),
        targets: [windowTarget],
        priority: tasks % 20,
        alarmConfiguration: { alarms: [alarm] },
      });
      tasks++;
    }
  }
  return stack;
}

/** Synthesizes a stack of `count` custom resources and measures what it takes of each quota. */
export function measureQuotas(count: number): QuotaUse {
  // Loaded here, so that the benchmark's other parts run without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../src');
  const stack = buildStack(lib, count);
  const template = App.of(stack)!.synth().getStackByName(stack.stackName).template;
  const resources = Object.entries(template.Resources as Record<string, any>);
  const roles = resources.filter(([, resource]) => resource.Type === 'AWS::IAM::Role');
  const inline = new Map<string, number>(roles.map(([id, role]) => [id,
    (role.Properties.Policies ?? []).reduce((sum: number, policy: any) => sum + characters(policy.PolicyDocument), 0)]));
  // Policies of their own count towards the inline policy quota of each role they are attached to.
  for (const [, resource] of resources.filter(([, candidate]) => candidate.Type === 'AWS::IAM::Policy')) {
    for (const role of resource.Properties.Roles ?? []) {
      const id = role.Ref as string;
      inline.set(id, (inline.get(id) ?? 0) + characters(resource.Properties.PolicyDocument));
    }
  }
  const shared = roles.filter(([id]) => /CdkSsmOpsProvider(OnEvent|IsComplete)/.test(id)).map(([id]) => id);
  return {
    customResources: resources.filter(([, resource]) => resource.Type.startsWith('Custom::')).length,
    resources: resources.length,
    roles: roles.length,
    sharedRoleInlineCharacters: Math.max(0, ...shared.map((id) => inline.get(id) ?? 0)),
    otherRoleInlineCharacters: Math.max(0, ...[...inline].filter(([id]) => !shared.includes(id)).map(([, size]) => size)),
    largestTrustPolicyCharacters: Math.max(...roles.map(([, role]) => characters(role.Properties.AssumeRolePolicyDocument))),
    mostManagedPolicies: Math.max(...roles.map(([, role]) => (role.Properties.ManagedPolicyArns ?? []).length)),
  };
}
