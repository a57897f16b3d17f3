import { CustomResource, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { IsCompleteFunction } from './is-complete-function';
import { OnEventFunction } from './on-event-function';
import { HandlerPhase, PHASE_TAG_KEY, RESOURCE_ROLE_PATH } from './phases';
import { ALL_PHASES, PhaseStatements } from '../private/iam';
import { HandlerRoleProperties } from '../private/wire';

/** A custom resource of this library: its type, its properties but the role, and what its handlers may do. */
export interface SsmOpsResourceOptions<P extends HandlerRoleProperties> {
  /** The custom resource type, such as `Custom::SsmRunCommand`. */
  readonly resourceType: string;
  /** The resource's properties; the provider adds `RoleArn`. */
  readonly properties: Omit<P, 'RoleArn'>;
  /** What the handlers may do for this resource, by phase; the resource's role trusts only the phases named here. */
  readonly permissions: PhaseStatements[];
}

/**
 * The one custom resource provider per stack that all of this library's custom resources share: an onEvent and an
 * isComplete handler, bundled at build time, behind the Provider framework's waiter.
 *
 * Each custom resource has a role of its own, which the handlers assume to act for it (its ARN is the resource's
 * `RoleArn` property). The functions' own roles hold only the right to assume these roles, so they stay the same
 * size whatever the number of resources, and each resource's role holds only what its own requests call.
 */
export class SsmOpsProvider extends Construct {
  /** The stack's provider, created the first time a construct asks for it. */
  public static getOrCreate(scope: Construct): SsmOpsProvider {
    const stack = Stack.of(scope);
    const id = 'CdkSsmOpsProvider';
    return (stack.node.tryFindChild(id) as SsmOpsProvider | undefined) ?? new SsmOpsProvider(stack, id);
  }

  /** What the custom resources use as their service token. */
  public readonly serviceToken: string;
  /** The role of the function that runs each phase. */
  private readonly functionRoles: Record<HandlerPhase, iam.IRole>;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const onEvent = new OnEventFunction(this, 'OnEvent', { timeout: Duration.minutes(2), description: 'cdk-ssm-ops custom resources: onEvent' });
    const isComplete = new IsCompleteFunction(this, 'IsComplete', { timeout: Duration.minutes(2), description: 'cdk-ssm-ops custom resources: isComplete' });
    for (const handler of [onEvent, isComplete]) {
      // The resources' roles, on their own path; each trusts the functions of its own stack only.
      handler.addToRolePolicy(new iam.PolicyStatement({
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${RESOURCE_ROLE_PATH.slice(1)}*` })],
      }));
    }
    const provider = new cr.Provider(this, 'Resource', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      // A poll costs one Systems Manager call; at 5 seconds the deployment goes on at most 5 seconds after the
      // command ends.
      queryInterval: Duration.seconds(5),
      // CloudFormation waits at most an hour for a custom resource; each resource keeps its own, shorter, deadline.
      totalTimeout: Duration.hours(1),
    });
    this.serviceToken = provider.serviceToken;
    this.functionRoles = { [HandlerPhase.ON_EVENT]: onEvent.role!, [HandlerPhase.IS_COMPLETE]: isComplete.role! };
  }

  /**
   * Adds a custom resource served by this provider, with a role of its own (its child `HandlerRole`) that holds the
   * given statements as an inline policy, each allowed only in the phases that call it (`aws:PrincipalTag` of the
   * session), and that trusts the function of each of those phases, with the session tagged with its phase.
   *
   * The resource refers to its role, and the role to the functions' roles only: a resource that refers to another
   * creates no cycle.
   */
  public addResource<P extends HandlerRoleProperties>(scope: Construct, id: string, options: SsmOpsResourceOptions<P>): CustomResource {
    let role: iam.Role | undefined;
    const resource = new CustomResource(scope, id, {
      serviceToken: this.serviceToken,
      resourceType: options.resourceType,
      // The role is a child of the resource, so it is made once the resource is; the ARN is rendered at synthesis.
      properties: { ...options.properties, RoleArn: Lazy.string({ produce: () => role!.roleArn }) },
    });
    role = this.resourceRole(resource, options.permissions);
    return resource;
  }

  private resourceRole(resource: Construct, permissions: PhaseStatements[]): iam.Role {
    const phases = ALL_PHASES.filter((phase) => permissions.some((permission) => permission.phases.includes(phase)));
    // One trust statement per phase: the phase's function may assume the role with a session tagged with that phase.
    const trusted = phases.map((phase) => new iam.ArnPrincipal(this.functionRoles[phase].roleArn)
      .withConditions({ StringEquals: { [`aws:RequestTag/${PHASE_TAG_KEY}`]: phase } })
      .withSessionTags());
    const statements = permissions.flatMap((permission) => permission.statements.map((statement) => {
      const phased = statement.copy();
      phased.addCondition('StringEquals', { [`aws:PrincipalTag/${PHASE_TAG_KEY}`]: permission.phases.length === 1 ? permission.phases[0] : [...permission.phases] });
      return phased;
    }));
    return new iam.Role(resource, 'HandlerRole', {
      path: RESOURCE_ROLE_PATH,
      assumedBy: trusted.length === 1 ? trusted[0] : new iam.CompositePrincipal(...trusted),
      // Inline, so that the role is the resource's only addition to the stack, and is complete when it exists.
      inlinePolicies: { Handler: new iam.PolicyDocument({ statements }) },
    });
  }
}
