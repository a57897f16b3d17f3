// The stack that test/java, test/go and scripts/polyglot/app.py build, written in TypeScript: the template the other
// languages must give. scripts/polyglot/compare.js compares them. Keep the four apps in step: same construct IDs,
// same props, same order.
// It uses the compiled library (lib/, what the npm package ships) and writes into $CDK_OUTDIR.
import { App, CfnOutput, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  Association, AssociationSchedule, AwsManagedDocument, CommandDocument, CommandStep, Concurrency, CutoffBehavior,
  DocumentParameter, ErrorThreshold, MaintenanceWindow, MaintenanceWindowSchedule, Platform, RunCommand, Target, TaskAction,
} from '../../lib';

// The CDKMetadata resource is left out in every language: it records the jsii runtime's language and version.
const app = new App({ analyticsReporting: false });
const stack = new Stack(app, 'CdkSsmOpsPolyglot', { env: { account: '111111111111', region: 'us-east-1' } });

const health = cloudwatch.Alarm.fromAlarmArn(stack, 'Health', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health');

const harden = new CommandDocument(stack, 'Harden', {
  documentName: 'Harden-Linux',
  parameters: {
    level: DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'high' }),
    reboot: DocumentParameter.boolean({ default: false }),
  },
  steps: [
    CommandStep.runShellScript('apply', {
      commands: ['./harden.sh {{ level }} {{ reboot }}'],
      platform: Platform.LINUX,
      timeout: Duration.minutes(10),
    }),
  ],
});

new Association(stack, 'HardenWeb', {
  document: harden,
  parameters: { level: ['high'] },
  targets: [Target.tag('Role', 'web')],
  schedule: AssociationSchedule.cron({ hour: '2', minute: '0', weekDay: 'SUN' }),
  maxConcurrency: Concurrency.percentage(10),
  maxErrors: ErrorThreshold.count(1),
  alarmConfiguration: { alarms: [health] },
});

const window = new MaintenanceWindow(stack, 'Patching', {
  schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' }),
  duration: Duration.hours(4),
  cutoff: Duration.hours(1),
  timeZone: TimeZone.EUROPE_LONDON,
});
const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
window.addTask('Patch', {
  task: TaskAction.runCommand({
    document: AwsManagedDocument.RUN_PATCH_BASELINE,
    parameters: { Operation: ['Install'] },
  }),
  targets: [web],
  priority: 1,
  maxConcurrency: Concurrency.count(2),
  maxErrors: ErrorThreshold.count(0),
  cutoffBehavior: CutoffBehavior.CANCEL_TASK,
  alarmConfiguration: { alarms: [health], ignorePollAlarmFailure: true },
});

const install = new RunCommand(stack, 'InstallAgent', {
  document: AwsManagedDocument.RUN_SHELL_SCRIPT,
  parameters: { commands: ['yum install -y my-agent'] },
  targets: [Target.tag('Role', 'web'), Target.tag('Env', 'prod')],
  maxConcurrency: Concurrency.percentage(25),
  maxErrors: ErrorThreshold.count(0),
  timeout: Duration.minutes(20),
  triggers: { version: '1.4.2' },
  alarmConfiguration: { alarms: [health] },
});
new CfnOutput(stack, 'CommandId', { value: install.commandId });

app.synth();
