import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { IsCompleteFunction } from './is-complete-function';
import { OnEventFunction } from './on-event-function';

/**
 * The one custom resource provider per stack that all of this library's custom resources share: an onEvent and an
 * isComplete handler, bundled at build time, behind the Provider framework's waiter.
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
  private readonly handlers: lambda.IFunction[];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const onEvent = new OnEventFunction(this, 'OnEvent', { timeout: Duration.minutes(2), description: 'cdk-ssm-ops custom resources: onEvent' });
    const isComplete = new IsCompleteFunction(this, 'IsComplete', { timeout: Duration.minutes(2), description: 'cdk-ssm-ops custom resources: isComplete' });
    const provider = new cr.Provider(this, 'Resource', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(15),
      // CloudFormation waits at most an hour for a custom resource; each resource keeps its own, shorter, deadline.
      totalTimeout: Duration.hours(1),
    });
    this.serviceToken = provider.serviceToken;
    this.handlers = [onEvent, isComplete];
  }

  /**
   * Allows the handlers what one custom resource needs, in a policy of that resource's own, which the resource
   * depends on. The handlers' functions don't depend on it, so a resource that refers to others creates no cycle.
   */
  public grantForResource(resource: Construct, statements: iam.PolicyStatement[]) {
    const policy = new iam.Policy(resource, 'HandlerPolicy', { statements });
    for (const handler of this.handlers) {
      policy.attachToRole(handler.role!);
    }
    resource.node.addDependency(policy);
  }
}
