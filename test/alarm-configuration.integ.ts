import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Association, AssociationSchedule, AwsManagedDocument, Target } from '../src';

// Integration app: associations gated by a CloudWatch alarm, applied by the companion custom resource; one of them
// runs at deploy time, and the deployment waits for that run.
// No stack traces in the assembly's metadata: they hold absolute paths, which would differ between checkouts.
export const app = new App({ context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'CdkSsmOpsAlarms');
const alarm = new cloudwatch.Alarm(stack, 'Errors', {
  metric: new cloudwatch.Metric({ namespace: 'CdkSsmOpsInteg', metricName: 'Errors', period: Duration.minutes(5), statistic: 'Sum' }),
  threshold: 1,
  evaluationPeriods: 1,
});
new Association(stack, 'Patch', {
  document: AwsManagedDocument.RUN_PATCH_BASELINE,
  parameters: { Operation: ['Scan'] },
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  schedule: AssociationSchedule.cron({ hour: '4', weekDay: 'SAT' }),
  applyOnlyAtCronInterval: true,
  alarmConfiguration: { alarms: [alarm] },
});
// An association that runs when it is deployed, gated by the alarm, whose run the deployment waits for.
new Association(stack, 'Inventory', {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['rpm -qa | wc -l'] },
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  schedule: AssociationSchedule.rate(Duration.days(1)),
  alarmConfiguration: { alarms: [alarm] },
  waitForRun: { timeout: Duration.minutes(15) },
});
// Synthesized only when the CDK CLI runs this file; the cdk-nag test imports the app and checks its tree.
if (require.main === module) {
  app.synth();
}
