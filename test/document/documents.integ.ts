import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { CommandDocument, CommandStep, DocumentFormat, DocumentParameter, Platform, StepFailureAction } from '../../src';

// Integration app: Command documents, typed and from a file, JSON and YAML.
// No stack traces in the assembly's metadata: they hold absolute paths, which would differ between checkouts.
export const app = new App({ context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'CdkSsmOpsDocuments');
new CommandDocument(stack, 'Harden', {
  documentName: 'CdkSsmOps-Integ-Harden',
  parameters: { level: DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'high' }) },
  steps: [
    CommandStep.runShellScript('apply', { commands: ['echo hardening {{ level }}'], platform: Platform.LINUX, timeout: Duration.minutes(5), onFailure: StepFailureAction.EXIT }),
    CommandStep.updateSsmAgent('update-agent'),
  ],
  // Shared by a companion custom resource, which stops sharing it before the document is deleted.
  sharedWithAccounts: ['222222222222', '333333333333'],
});
CommandDocument.fromFile(stack, 'InstallAgent', path.join(__dirname, 'fixtures', 'install-agent.yaml'), { documentFormat: DocumentFormat.YAML });
// Synthesized only when the CDK CLI runs this file; the cdk-nag test imports the app and checks its tree.
if (require.main === module) {
  app.synth();
}
