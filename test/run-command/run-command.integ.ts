import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { AwsManagedDocument, RunCommand, RunCommandTarget, Target } from '../../src';

// Integration app: a command run during the deployment. Deployed to an account with an instance tagged
// CdkSsmOpsInteg=true, the assertion reads the command's invocation back.
// No stack traces in the assembly's metadata: they hold absolute paths, which would differ between checkouts.
export const app = new App({ context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'CdkSsmOpsRunCommand');
const run = new RunCommand(stack, 'Hello', {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['echo hello from cdk-ssm-ops'] },
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  timeout: Duration.minutes(10),
});
// The same command from an EventBridge rule, once a day, to the same nodes.
new events.Rule(stack, 'Daily', { schedule: events.Schedule.rate(Duration.days(1)) }).addTarget(new RunCommandTarget({
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['echo hello from an EventBridge rule'] },
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  retryAttempts: 2,
  maxEventAge: Duration.hours(1),
}));
const integ = new IntegTest(app, 'RunCommandTest', { testCases: [stack] });
const listCommands = integ.assertions.awsApiCall('SSM', 'listCommands', { CommandId: run.commandId });
listCommands.expect(ExpectedResult.objectLike({ Commands: [{ Status: 'Success' }] }));
// The assertion's salt is the synth time, which would change the snapshot at every synth; the test stacks are
// deployed afresh, so a fixed salt runs the call just the same.
for (const child of listCommands.node.findAll()) {
  if (child instanceof CfnResource && child.cfnResourceType.startsWith('Custom::DeployAssert')) {
    child.addPropertyOverride('salt', 'cdk-ssm-ops');
  }
}
// Synthesized only when the CDK CLI runs this file; the cdk-nag test imports the app and checks its tree.
if (require.main === module) {
  app.synth();
}
