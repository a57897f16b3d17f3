import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import {
  Association, AssociationDispatchRole, AssociationSchedule, AwsManagedDocument, Concurrency, ErrorThreshold, Target,
} from '../../src';

// Integration app: State Manager associations with typed targets, rate controls and schedules.
// No stack traces in the assembly's metadata: they hold absolute paths, which would differ between checkouts.
export const app = new App({ context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'CdkSsmOpsAssociations');
new Association(stack, 'PatchScan', {
  document: AwsManagedDocument.RUN_PATCH_BASELINE,
  parameters: { Operation: ['Scan'] },
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  schedule: AssociationSchedule.cron({ hour: '2', minute: '0', weekDay: 'SUN' }),
  applyOnlyAtCronInterval: true,
  maxConcurrency: Concurrency.percentage(10),
  maxErrors: ErrorThreshold.count(1),
});
new Association(stack, 'Inventory', {
  document: AwsManagedDocument.GATHER_SOFTWARE_INVENTORY,
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  schedule: AssociationSchedule.rate(Duration.days(1)),
});
// Tagged, and dispatched with a generated role allowed SendCommand on the document and on the nodes with the tag only.
const agentUpdate = new Association(stack, 'AgentUpdate', {
  document: AwsManagedDocument.UPDATE_SSM_AGENT,
  targets: [Target.tag('CdkSsmOpsInteg', 'true')],
  schedule: AssociationSchedule.rate(Duration.days(7)),
  dispatchRole: AssociationDispatchRole.generate(),
});
Tags.of(agentUpdate).add('CdkSsmOpsInteg', 'dispatch-role');
// Synthesized only when the CDK CLI runs this file; the cdk-nag test imports the app and checks its tree.
if (require.main === module) {
  app.synth();
}
