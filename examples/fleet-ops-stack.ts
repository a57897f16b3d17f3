import * as path from 'path';
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CommandDocument, CommandStep, DocumentFormat, DocumentParameter, PackageAction, Platform, StepFailureAction,
} from '../src';

/**
 * A platform team's fleet operations: the documents that hardening, agent installation and patching run.
 * It grows with each construct of the library.
 */
export class FleetOpsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A typed document: parameters and steps are checked at synth time.
    new CommandDocument(this, 'Harden', {
      documentName: 'Harden-Linux',
      description: 'Applies the CIS hardening level to Linux nodes',
      parameters: {
        level: DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'high', description: 'Hardening level' }),
        packages: DocumentParameter.stringList({ default: ['aide', 'auditd'], minItems: 1, description: 'Packages to install first' }),
      },
      steps: [
        CommandStep.runShellScript('install-packages', {
          commands: ['yum install -y {{ packages }}'],
          platform: Platform.LINUX,
          timeout: Duration.minutes(10),
          onFailure: StepFailureAction.EXIT,
        }),
        CommandStep.runShellScript('apply', {
          commands: ['/opt/harden/harden.sh --level {{ level }}'],
          platform: Platform.LINUX,
          timeout: Duration.minutes(20),
        }),
      ],
      tags: { team: 'platform' },
    });

    // A document kept as a YAML file, checked the same way and written as YAML.
    CommandDocument.fromFile(this, 'InstallAgent', path.join(__dirname, 'documents', 'install-agent.yaml'), {
      documentFormat: DocumentFormat.YAML,
    });

    // The CloudWatch agent on every platform through Distributor.
    new CommandDocument(this, 'CloudWatchAgent', {
      steps: [
        CommandStep.configurePackage('install-cloudwatch-agent', {
          packageName: 'AmazonCloudWatchAgent',
          action: PackageAction.INSTALL,
        }),
        CommandStep.updateSsmAgent('update-ssm-agent'),
      ],
    });
  }
}
