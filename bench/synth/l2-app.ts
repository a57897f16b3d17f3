import { App, Duration, Stack } from 'aws-cdk-lib';
import { TASKS_PER_WINDOW, stackLayout } from './layout';
import {
  Association, AssociationSchedule, CommandDocument, CommandStep, Concurrency, DocumentParameter, ErrorThreshold,
  MaintenanceWindow, MaintenanceWindowSchedule, MaintenanceWindowTarget, RunCommand, Target, TaskAction,
} from '../../lib';

/**
 * The benchmark's app written with this library: `count` resources, a quarter each of Command documents,
 * associations, maintenance window tasks and RunCommands, in stacks of 25 groups of four (layout.ts).
 */
export function buildL2App(app: App, count: number) {
  for (const { name, groups } of stackLayout(count)) {
    const stack = new Stack(app, name, { env: { account: '111111111111', region: 'us-east-1' } });
    let window: MaintenanceWindow | undefined;
    let windowTarget: MaintenanceWindowTarget | undefined;
    for (let i = 0; i < groups; i++) {
      const document = new CommandDocument(stack, `Doc${i}`, {
        parameters: {
          level: DocumentParameter.string({ allowedValues: ['low', 'high'], default: 'high' }),
          packages: DocumentParameter.stringList({ default: ['aide'] }),
        },
        steps: [CommandStep.runShellScript('apply', { commands: ['yum install -y {{ packages }}', '/opt/apply.sh {{ level }}'] })],
      });
      new Association(stack, `Assoc${i}`, {
        document,
        parameters: { level: ['low'] },
        targets: [Target.tag('Group', `g${i}`)],
        schedule: AssociationSchedule.rate(Duration.hours(12)),
        maxConcurrency: Concurrency.percentage(10),
        maxErrors: ErrorThreshold.count(1),
      });
      if (i % TASKS_PER_WINDOW === 0) {
        window = new MaintenanceWindow(stack, `Window${i / TASKS_PER_WINDOW}`, {
          schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' }),
          duration: Duration.hours(4),
          cutoff: Duration.hours(1),
        });
        windowTarget = window.addTarget('Fleet', { targets: [Target.tag('Window', `w${i / TASKS_PER_WINDOW}`)] });
      }
      window!.addTask(`Task${i}`, {
        task: TaskAction.runCommand({ document, parameters: { level: ['high'] } }),
        targets: [windowTarget!],
        priority: i % TASKS_PER_WINDOW,
        maxConcurrency: Concurrency.count(2),
        maxErrors: ErrorThreshold.count(0),
      });
      new RunCommand(stack, `Run${i}`, {
        document,
        parameters: { level: ['high'] },
        targets: [Target.tag('Group', `g${i}`)],
        timeout: Duration.minutes(20),
      });
    }
  }
}
