import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Association, AssociationSchedule, AwsManagedDocument, FailureReport, MaintenanceWindow, MaintenanceWindowSchedule, Target, TaskAction } from '../../src';

// Integration app: failure reports of an association and of a maintenance window's task to a KMS-encrypted topic,
// and a second report of the same association to another topic (one report function for both).
// No stack traces in the assembly's metadata: they hold absolute paths, which would differ between checkouts.
export const app = new App({ context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'CdkSsmOpsFailureReport');
const association = new Association(stack, 'NightlyCheck', {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['test -f /etc/os-release'] },
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  schedule: AssociationSchedule.rate(Duration.days(1)),
});
const window = new MaintenanceWindow(stack, 'Patching', {
  schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }),
  duration: Duration.hours(2),
  cutoff: Duration.hours(1),
});
const web = window.addTarget('Web', { targets: [Target.tag('CdkSsmOpsInteg', 'true')] });
window.addTask('Scan', {
  task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] } }),
  targets: [web],
});
const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
const report = new FailureReport(stack, 'Failures', { topic: new sns.Topic(stack, 'FailureTopic', { masterKey: key, enforceSSL: true }) });
report.addAssociation(association);
report.addMaintenanceWindow(window);
const security = new FailureReport(stack, 'SecurityFailures', { topic: new sns.Topic(stack, 'SecurityTopic', { enforceSSL: true }) });
security.addAssociation(association);
// Synthesized only when the CDK CLI runs this file; the cdk-nag test imports the app and checks its tree.
if (require.main === module) {
  app.synth();
}
