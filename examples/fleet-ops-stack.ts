import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps, Tags, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  Association, AssociationDispatchRole, AssociationSchedule, AwsManagedDocument, CommandDocument, CommandStep, ComplianceSeverity, Concurrency,
  CutoffBehavior, DocumentFormat, DocumentParameter, DocumentType, ErrorThreshold, FailureReport, MaintenanceWindow, MaintenanceWindowSchedule,
  NotificationEvent, PackageAction, Platform, RunCommand, RunCommandTarget, StepFailureAction, Target, TaskAction,
} from '../src';

/**
 * A platform team's fleet operations: the documents that hardening, agent installation and patching run.
 * It grows with each construct of the library.
 */
export class FleetOpsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A typed document: parameters and steps are checked at synth time.
    const harden = new CommandDocument(this, 'Harden', {
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
      // The security team's account runs the same hardening on its own nodes.
      sharedWithAccounts: ['210987654321'],
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

    // State Manager keeps the web fleet hardened: every Sunday at 02:00 UTC, 10% of the nodes at a time.
    const output = new s3.Bucket(this, 'AssociationOutput', {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    // State Manager dispatches it with a role of its own, allowed only this document on these nodes.
    const nightlyHarden = new Association(this, 'NightlyHarden', {
      document: harden,
      parameters: { level: ['high'] },
      targets: [Target.tag('Env', 'prod'), Target.tag('Role', 'web')],
      schedule: AssociationSchedule.cron({ hour: '2', minute: '0', weekDay: 'SUN' }),
      applyOnlyAtCronInterval: true,
      maxConcurrency: Concurrency.percentage(10),
      maxErrors: ErrorThreshold.count(1),
      complianceSeverity: ComplianceSeverity.HIGH,
      outputLocation: { bucket: output, keyPrefix: 'harden/' },
      dispatchRole: AssociationDispatchRole.generate(),
    });
    Tags.of(nightlyHarden).add('CostCenter', 'platform-security');

    // Patch installs on the web fleet stop while the fleet's error alarm is in ALARM.
    const fleetErrors = new cloudwatch.Alarm(this, 'FleetErrors', {
      metric: new cloudwatch.Metric({ namespace: 'FleetOps', metricName: 'Errors', statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 10,
      evaluationPeriods: 1,
    });
    new Association(this, 'WebPatching', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: ['Install'] },
      targets: [Target.tag('Role', 'web')],
      schedule: AssociationSchedule.cron({ hour: '4', minute: '0', weekDay: 'SAT' }),
      applyOnlyAtCronInterval: true,
      maxConcurrency: Concurrency.percentage(10),
      maxErrors: ErrorThreshold.count(1),
      alarmConfiguration: { alarms: [fleetErrors] },
    });

    // When the fleet's error alarm goes off, the web nodes' recent logs are gathered by Run Command; an event that
    // EventBridge could not deliver waits in a queue.
    const errorsRaised = new events.Rule(this, 'FleetErrorsRaised', {
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [fleetErrors.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    errorsRaised.addTarget(new RunCommandTarget({
      document: AwsManagedDocument.RUN_SHELL_SCRIPT,
      parameters: { commands: ['journalctl --since "-15 min" --no-pager | tail -n 500'] },
      targets: [Target.tag('Role', 'web')],
      retryAttempts: 3,
      deadLetterQueue: new sqs.Queue(this, 'UndeliveredCommands', { enforceSSL: true, retentionPeriod: Duration.days(14) }),
    }));

    // Patch scans on every managed node, twice a day; the deployment waits for the first scan and fails with the nodes
    // that failed it.
    const patchScan = new Association(this, 'PatchScan', {
      document: AwsManagedDocument.RUN_PATCH_BASELINE,
      parameters: { Operation: ['Scan'] },
      targets: [Target.allManagedNodes()],
      schedule: AssociationSchedule.rate(Duration.hours(12)),
      maxConcurrency: Concurrency.percentage(25),
      maxErrors: ErrorThreshold.percentage(5),
      waitForRun: { timeout: Duration.minutes(30) },
    });
    new CfnOutput(this, 'PatchScanRun', { value: patchScan.run!.executionId });

    // Weekly patching of the web fleet: drain, patch, restart, verify.
    const window = new MaintenanceWindow(this, 'Patching', {
      schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' }),
      duration: Duration.hours(4),
      cutoff: Duration.hours(1),
      timeZone: TimeZone.EUROPE_LONDON,
      description: 'Weekly patching of the web fleet',
    });
    const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web'), Target.tag('Env', 'prod')] });
    const drain = new lambda.Function(this, 'DrainFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event) => ({ drained: event.targets ?? [] });'),
    });
    window.addTask('Drain', {
      task: TaskAction.lambda(drain, { payload: JSON.stringify({ pool: 'web' }) }),
      priority: 0,
    });
    const patchTopic = new sns.Topic(this, 'PatchNotifications', { enforceSSL: true });
    window.addTask('Patch', {
      task: TaskAction.runCommand({
        document: AwsManagedDocument.RUN_PATCH_BASELINE,
        parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
        cloudWatchOutput: new logs.LogGroup(this, 'PatchOutput', { retention: logs.RetentionDays.ONE_MONTH }),
        notification: { topic: patchTopic, events: [NotificationEvent.FAILED, NotificationEvent.TIMED_OUT] },
      }),
      targets: [web],
      priority: 1,
      maxConcurrency: Concurrency.count(2),
      maxErrors: ErrorThreshold.count(0),
      cutoffBehavior: CutoffBehavior.CANCEL_TASK,
      alarmConfiguration: { alarms: [fleetErrors] },
    });
    window.addTask('Restart', {
      task: TaskAction.automation({
        document: AwsManagedDocument.of('AWS-RestartEC2Instance', { documentType: DocumentType.AUTOMATION }),
        parameters: { InstanceId: ['i-0123456789abcdef0'] },
      }),
      priority: 2,
    });
    const verify = new sfn.StateMachine(this, 'VerifyFleet', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(this, 'HealthCheck')),
    });
    window.addTask('Verify', { task: TaskAction.stepFunctions(verify, { input: JSON.stringify({ pool: 'web' }) }), priority: 3 });

    // Install the monitoring agent on the web fleet during the deployment, and wait for it; again when the version changes.
    const agentVersion = '1.4.2';
    const install = new RunCommand(this, 'AgentRollout', {
      document: AwsManagedDocument.RUN_SHELL_SCRIPT,
      parameters: { commands: [`yum install -y my-agent-${agentVersion}`, 'my-agent --version'] },
      targets: [Target.tag('Role', 'web'), Target.tag('Env', 'prod')],
      maxConcurrency: Concurrency.percentage(25),
      maxErrors: ErrorThreshold.count(0),
      timeout: Duration.minutes(20),
      triggers: { version: agentVersion },
      onDelete: { document: AwsManagedDocument.RUN_SHELL_SCRIPT, parameters: { commands: ['yum remove -y my-agent'] } },
    });
    new CfnOutput(this, 'AgentInstallCommand', { value: install.commandId });

    // Inventory of every managed node.
    new Association(this, 'Inventory', {
      document: AwsManagedDocument.GATHER_SOFTWARE_INVENTORY,
      targets: [Target.allManagedNodes()],
      schedule: AssociationSchedule.rate(Duration.days(1)),
    });

    // One message per failed run of the patching, with the failed nodes, their failed steps and errors.
    const failures = new FailureReport(this, 'PatchFailures', { topic: new sns.Topic(this, 'PatchFailureTopic', { enforceSSL: true }) });
    failures.addAssociation(patchScan);
    failures.addMaintenanceWindow(window);
  }
}
