/**
 * The benchmark's app written by hand with CloudFormation L1 classes: the same resources as l2-app.ts, with the same
 * properties, IAM roles and policies, so that comparing the two measures what this library's constructs cost at synth
 * time. Both apps synthesize byte-identical templates: the construct ids below reproduce the L2 constructs' paths
 * (hence logical IDs), each resource is created in the order the L2 constructs create theirs, and the keys of the
 * literal objects (policy statements, document content, custom resource properties) are in the order the template has.
 *
 * The one custom resource provider per stack is shared: it is built, as the library builds it, from aws-cdk-lib's
 * Provider and the library's bundled handlers.
 */
import * as path from 'path';
import { App, CfnResource, Duration, Lazy, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { TASKS_PER_WINDOW, stackLayout } from './layout';

/** The same app as buildL2App, written with L1s. */
export function buildL1App(app: App, count: number) {
  for (const { name, groups } of stackLayout(count)) {
    const stack = new Stack(app, name, { env: { account: '111111111111', region: 'us-east-1' } });
    let window: Window | undefined;
    let windowTarget: ssm.CfnMaintenanceWindowTarget | undefined;
    for (let i = 0; i < groups; i++) {
      const document = commandDocument(stack, `Doc${i}`);
      association(stack, `Assoc${i}`, document, `g${i}`);
      if (i % TASKS_PER_WINDOW === 0) {
        window = maintenanceWindow(stack, `Window${i / TASKS_PER_WINDOW}`);
        windowTarget = maintenanceWindowTarget(window, 'Fleet', `w${i / TASKS_PER_WINDOW}`);
      }
      maintenanceWindowTask(window!, `Task${i}`, document, windowTarget!, i % TASKS_PER_WINDOW);
      runCommand(stack, `Run${i}`, document, `g${i}`);
    }
  }
}

const POLICY_VERSION = '2012-10-17';

/** What every command sender needs besides SendCommand: these actions have no resource types. */
const FOLLOW_COMMANDS = {
  Action: ['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation', 'ssm:CancelCommand'],
  Effect: 'Allow',
  Resource: '*',
};

function documentArn(document: ssm.CfnDocument): string {
  return Stack.of(document).formatArn({ service: 'ssm', resource: 'document', resourceName: document.ref });
}

/** Every EC2 instance and every managed (hybrid) node of the stack's account and region. */
function allNodeArns(stack: Stack): string[] {
  return [
    stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
    stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
  ];
}

/** An inline policy at `<scope>/<id>/Resource`, named after its own logical ID as iam.Policy names it. */
function inlinePolicy(scope: Construct, id: string, roles: string[], statements: object[]): iam.CfnPolicy {
  const policy: iam.CfnPolicy = new iam.CfnPolicy(new Construct(scope, id), 'Resource', {
    policyName: Lazy.string({ produce: () => policy.logicalId }),
    policyDocument: { Statement: statements, Version: POLICY_VERSION },
    roles,
  });
  return policy;
}

function commandDocument(stack: Stack, id: string): ssm.CfnDocument {
  return new ssm.CfnDocument(new Construct(stack, id), 'Resource', {
    documentType: 'Command',
    documentFormat: 'JSON',
    content: {
      schemaVersion: '2.2',
      parameters: {
        level: { type: 'String', allowedValues: ['low', 'high'], default: 'high' },
        packages: { type: 'StringList', default: ['aide'] },
      },
      mainSteps: [{
        action: 'aws:runShellScript',
        name: 'apply',
        inputs: { runCommand: ['yum install -y {{ packages }}', '/opt/apply.sh {{ level }}'] },
      }],
    },
  });
}

function association(stack: Stack, id: string, document: ssm.CfnDocument, group: string): ssm.CfnAssociation {
  return new ssm.CfnAssociation(new Construct(stack, id), 'Resource', {
    name: document.ref,
    parameters: { level: ['low'] },
    targets: [{ key: 'tag:Group', values: [group] }],
    scheduleExpression: 'rate(12 hours)',
    maxConcurrency: '10%',
    maxErrors: '1',
  });
}

/** A maintenance window, and the role its tasks run with once it has tasks. */
interface Window {
  readonly scope: Construct;
  readonly resource: ssm.CfnMaintenanceWindow;
  role?: { readonly resource: iam.CfnRole; readonly policy: iam.CfnPolicy; readonly statements: object[] };
}

function maintenanceWindow(stack: Stack, id: string): Window {
  const scope = new Construct(stack, id);
  const resource = new ssm.CfnMaintenanceWindow(scope, 'Resource', {
    name: Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' }),
    schedule: 'cron(0 3 ? * SUN *)',
    duration: 4,
    cutoff: 1,
    allowUnassociatedTargets: false,
  });
  return { scope, resource };
}

function maintenanceWindowTarget(window: Window, id: string, windowTag: string): ssm.CfnMaintenanceWindowTarget {
  return new ssm.CfnMaintenanceWindowTarget(new Construct(window.scope, id), 'Resource', {
    windowId: window.resource.ref,
    resourceType: 'INSTANCE',
    targets: [{ key: 'tag:Window', values: [windowTag] }],
  });
}

/** The window's role, created with its first task: Systems Manager may assume it for this account only. */
function windowRole(window: Window): NonNullable<Window['role']> {
  if (!window.role) {
    const scope = new Construct(window.scope, 'ServiceRole');
    const resource = new iam.CfnRole(scope, 'Resource', {
      assumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
        }],
        Version: POLICY_VERSION,
      },
      description: 'Runs the tasks of a maintenance window',
    });
    // Each task adds its statements; the policy is rendered at synth time.
    const statements: object[] = [];
    window.role = { resource, policy: inlinePolicy(scope, 'DefaultPolicy', [resource.ref], statements), statements };
  }
  return window.role;
}

function maintenanceWindowTask(
  window: Window, id: string, document: ssm.CfnDocument, windowTarget: ssm.CfnMaintenanceWindowTarget, priority: number,
): ssm.CfnMaintenanceWindowTask {
  const scope = new Construct(window.scope, id);
  const role = windowRole(window);
  const sendCommand = { Action: 'ssm:SendCommand', Effect: 'Allow', Resource: [documentArn(document), ...allNodeArns(Stack.of(scope))] };
  role.statements.push(...(role.statements.length ? [sendCommand] : [sendCommand, FOLLOW_COMMANDS]));

  const task = new ssm.CfnMaintenanceWindowTask(scope, 'Resource', {
    windowId: window.resource.ref,
    taskType: 'RUN_COMMAND',
    taskArn: document.ref,
    taskInvocationParameters: { maintenanceWindowRunCommandParameters: { parameters: { level: ['high'] } } },
    serviceRoleArn: role.resource.attrArn,
    targets: [{ key: 'WindowTargetIds', values: [windowTarget.ref] }],
    priority,
    maxConcurrency: '2',
    maxErrors: '0',
  });
  // The task can't run before the role has its permissions.
  task.addDependency(role.resource);
  task.addDependency(role.policy);
  return task;
}

/** The stack's custom resource provider (one per stack, created with the first RunCommand) and its functions' roles. */
function ssmOpsProvider(stack: Stack): { serviceToken: string; functionRoleArns: { onEvent: string; isComplete: string } } {
  const id = 'CdkSsmOpsProvider';
  let scope = stack.node.tryFindChild(id);
  if (!scope) {
    scope = new Construct(stack, id);
    const handler = (handlerId: string, asset: string, description: string) => {
      const fn = new lambda.Function(scope!, handlerId, {
        description,
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromAsset(path.join(__dirname, '../../assets/provider', asset)),
        timeout: Duration.minutes(2),
        environment: { AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' },
      });
      // The functions may assume the resources' own roles, on their path, and nothing else.
      fn.addToRolePolicy(new iam.PolicyStatement({
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'cdk-ssm-ops/*' })],
      }));
      return fn;
    };
    new cr.Provider(scope, 'Resource', {
      onEventHandler: handler('OnEvent', 'on-event.lambda', 'cdk-ssm-ops custom resources: onEvent'),
      isCompleteHandler: handler('IsComplete', 'is-complete.lambda', 'cdk-ssm-ops custom resources: isComplete'),
      queryInterval: Duration.seconds(5),
      totalTimeout: Duration.hours(1),
    });
  }
  const roleArn = (handlerId: string) => ((scope!.node.findChild(handlerId) as lambda.Function).role!.node.defaultChild as iam.CfnRole).attrArn;
  return {
    serviceToken: (scope.node.findChild('Resource') as cr.Provider).serviceToken,
    functionRoleArns: { onEvent: roleArn('OnEvent'), isComplete: roleArn('IsComplete') },
  };
}

/** A Custom::SsmRunCommand, with a role of its own that the shared functions assume, per phase, to act for it. */
function runCommand(stack: Stack, id: string, document: ssm.CfnDocument, group: string): CfnResource {
  const run = new Construct(stack, id);
  const provider = ssmOpsProvider(stack);
  // The library's CustomResource is `<id>/Resource`, which puts its L1 at Resource/Default and its role beside it.
  const scope = new Construct(run, 'Resource');
  let resource: CfnResource | undefined;
  const resultParameter = Lazy.string({ produce: () => `/cdk-ssm-ops/run-command/${stack.stackName}/${stack.resolve(resource!.logicalId)}` });
  const both = { 'aws:PrincipalTag/cdk-ssm-ops:phase': ['onEvent', 'isComplete'] };
  const isComplete = { 'aws:PrincipalTag/cdk-ssm-ops:phase': 'isComplete' };
  const parameterArn = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: Lazy.string({ produce: () => stack.resolve(resultParameter).slice(1) }) });
  const trust = (phase: string, roleArn: string) => ({
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: { StringEquals: { 'aws:RequestTag/cdk-ssm-ops:phase': phase } },
    Effect: 'Allow',
    Principal: { AWS: roleArn },
  });
  resource = new CfnResource(scope, 'Default', {
    type: 'Custom::SsmRunCommand',
    properties: {
      ServiceToken: provider.serviceToken,
      Command: {
        DocumentName: document.ref,
        Parameters: { level: ['high'] },
        Targets: [{ Key: 'tag:Group', Values: [group] }],
      },
      WaitSeconds: '1200',
      ResultParameter: resultParameter,
      // The role is made after the resource, as the library makes it.
      RoleArn: Lazy.any({ produce: () => role.attrArn }),
    },
  });
  const role = new iam.CfnRole(new Construct(scope, 'HandlerRole'), 'Resource', {
    assumeRolePolicyDocument: {
      Statement: [trust('onEvent', provider.functionRoleArns.onEvent), trust('isComplete', provider.functionRoleArns.isComplete)],
      Version: POLICY_VERSION,
    },
    path: '/cdk-ssm-ops/',
    policies: [{
      policyDocument: {
        Statement: [
          { Action: 'ssm:SendCommand', Condition: { StringEquals: both }, Effect: 'Allow', Resource: documentArn(document) },
          {
            Action: 'ssm:SendCommand',
            Condition: { StringEquals: { 'ssm:resourceTag/Group': [group], ...both } },
            Effect: 'Allow',
            Resource: allNodeArns(stack),
          },
          { Action: ['ssm:ListCommands', 'ssm:CancelCommand'], Condition: { StringEquals: both }, Effect: 'Allow', Resource: '*' },
          { Action: ['ssm:GetParameter', 'ssm:PutParameter'], Condition: { StringEquals: both }, Effect: 'Allow', Resource: parameterArn },
          { Action: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'], Condition: { StringEquals: isComplete }, Effect: 'Allow', Resource: '*' },
          { Action: 'ssm:DeleteParameter', Condition: { StringEquals: isComplete }, Effect: 'Allow', Resource: parameterArn },
        ],
        Version: POLICY_VERSION,
      },
      policyName: 'Handler',
    }],
  });
  resource.applyRemovalPolicy(RemovalPolicy.DESTROY);
  return resource;
}
