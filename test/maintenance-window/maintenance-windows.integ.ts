import { App, Duration, Stack } from 'aws-cdk-lib';
import { AwsManagedDocument, Concurrency, CutoffBehavior, ErrorThreshold, MaintenanceWindow, MaintenanceWindowSchedule, Target, TaskAction } from '../../src';

// Integration app: a maintenance window with a tag target and a Run Command task.
// No stack traces in the assembly's metadata: they hold absolute paths, which would differ between checkouts.
export const app = new App({ context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'CdkSsmOpsMaintenanceWindows');
const window = new MaintenanceWindow(stack, 'Patching', {
  schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }),
  duration: Duration.hours(2),
  cutoff: Duration.hours(1),
});
const web = window.addTarget('Web', { targets: [Target.tag('CdkSsmOpsInteg', 'true')] });
window.addTask('Scan', {
  task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Scan'] } }),
  targets: [web],
  maxConcurrency: Concurrency.count(1),
  maxErrors: ErrorThreshold.count(0),
  cutoffBehavior: CutoffBehavior.CANCEL_TASK,
});
// Synthesized only when the CDK CLI runs this file; the cdk-nag test imports the app and checks its tree.
if (require.main === module) {
  app.synth();
}
