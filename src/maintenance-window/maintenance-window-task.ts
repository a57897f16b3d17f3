import { CfnResource, IResource, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnMaintenanceWindowTask, CfnMaintenanceWindowTaskProps } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { IMaintenanceWindow } from './maintenance-window';
import { MaintenanceWindowTarget } from './maintenance-window-target';
import { TaskAction } from './task-action';
import { addAlarmApplier } from '../alarm-applier/alarm-applier';
import { AlarmConfiguration } from '../alarm-configuration';
import { passRoleToSsm } from '../private/iam';
import { WINDOW_TASK_ALARM_RESOURCE_TYPE } from '../private/resource-types';
import { TargetRules, renderTargets } from '../private/targets';
import { TaskActionConfig } from '../private/task-action-config';
import { checkDescription, checkResourceName, checkWholeNumber, reject, rejectCombination, rejectCount, warn } from '../private/validate';
import { hasWindowInternals } from '../private/window-internals';
import { Concurrency, ErrorThreshold } from '../rate-control';
import { ITaskTarget, Target, TargetKind } from '../target';

/**
 * What happens to a task still running when the window reaches its cutoff.
 */
export enum CutoffBehavior {
  /** Let it run to the end. */
  CONTINUE_TASK = 'CONTINUE_TASK',
  /** Cancel it. */
  CANCEL_TASK = 'CANCEL_TASK',
}

/**
 * A task registered with a maintenance window.
 */
export interface IMaintenanceWindowTask extends IResource {
  /**
   * The ID of the window task.
   *
   * @attribute
   */
  readonly windowTaskId: string;
}

/**
 * Options of a task registered with a window through `window.addTask()`.
 */
export interface MaintenanceWindowTaskOptions {
  /** What the task does. */
  readonly task: TaskAction;

  /**
   * The targets: window targets, or instance IDs (`Target.instanceIds`, `Target.instances`) when the window allows
   * unassociated targets. Run Command tasks need targets; the other tasks may run without.
   *
   * @default - no targets
   */
  readonly targets?: ITaskTarget[];

  /**
   * The order of the task in the window: lower runs first, equal priorities run in parallel. 0 or more.
   *
   * @default 1
   */
  readonly priority?: number;

  /**
   * How many targets run the task at the same time. Only for tasks with targets.
   *
   * @default - Concurrency.count(1) for a task with targets
   */
  readonly maxConcurrency?: Concurrency;

  /**
   * How many errors stop the task from running on more targets. Only for tasks with targets.
   *
   * @default - ErrorThreshold.count(0) for a task with targets
   */
  readonly maxErrors?: ErrorThreshold;

  /**
   * What happens to the task when the window reaches its cutoff.
   *
   * @default CutoffBehavior.CONTINUE_TASK
   */
  readonly cutoffBehavior?: CutoffBehavior;

  /**
   * The name of the task.
   *
   * @default - no name
   */
  readonly taskName?: string;

  /**
   * What the task does: 1 to 128 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * A CloudWatch alarm that stops the task from running on more targets while it is in ALARM.
   *
   * CloudFormation's AWS::SSM::MaintenanceWindowTask has no AlarmConfiguration, so a companion custom resource
   * applies it through UpdateMaintenanceWindowTask after the task is created and after every change of it; between
   * a CloudFormation update and the re-application, the alarm does not gate the task.
   *
   * @default - no alarm
   */
  readonly alarmConfiguration?: AlarmConfiguration;
}

/**
 * Properties of a task registered with a maintenance window.
 */
export interface MaintenanceWindowTaskProps extends MaintenanceWindowTaskOptions {
  /** The window the task is registered with. */
  readonly window: IMaintenanceWindow;
}

/** One target per key: a task gives SSM one `WindowTargetIds` (or `InstanceIds`) entry with all the IDs. */
function mergeByKey(targets: Target[]): Target[] {
  const byKey = new Map<string, string[]>();
  for (const target of targets) {
    byKey.set(target.key, [...(byKey.get(target.key) ?? []), ...target.values]);
  }
  return [...byKey].map(([key, values]) => Target.fromKeyValues(key, values));
}

// Tasks take window targets or instance IDs (CloudFormation AWS::SSM::MaintenanceWindowTask Targets).
const TASK_TARGETS: TargetRules = { accepted: [TargetKind.INSTANCE_IDS, TargetKind.WINDOW_TARGET_IDS], maxKeyLength: 163 };

/**
 * A task registered with a maintenance window (`AWS::SSM::MaintenanceWindowTask`).
 *
 * `window.addTask(id, options)` makes one too.
 *
 * @example
 * declare const patching: IMaintenanceWindow;
 * declare const web: IMaintenanceWindowTarget;
 *
 * new MaintenanceWindowTask(this, 'Patch', {
 *   window: patching,
 *   task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Install'] } }),
 *   targets: [web],
 *   priority: 1,
 *   cutoffBehavior: CutoffBehavior.CANCEL_TASK,
 * });
 */
export class MaintenanceWindowTask extends Resource implements IMaintenanceWindowTask {
  /** Refers to a window task that exists already. */
  public static fromWindowTaskId(scope: Construct, id: string, windowTaskId: string): IMaintenanceWindowTask {
    class Import extends Resource implements IMaintenanceWindowTask {
      public readonly windowTaskId = windowTaskId;
    }
    return new Import(scope, id);
  }

  public readonly windowTaskId: string;

  public constructor(scope: Construct, id: string, props: MaintenanceWindowTaskProps) {
    super(scope, id);
    const targets = this.checkTargets(props);
    // Priority is an integer of the SSM API, 32 bits, with no other maximum.
    checkWholeNumber(this, 'priority', props.priority, { min: 0, max: 2_147_483_647, note: 'lower runs first' });
    checkResourceName(this, 'taskName', props.taskName);
    checkDescription(this, 'description', props.description);
    const role = hasWindowInternals(props.window) ? props.window._taskRole() : undefined;
    const action = props.task._bind(this, role, targets);
    this.checkAction(props, action, targets);

    const resource = new CfnMaintenanceWindowTask(this, 'Resource', this.render(props, action, targets, role));
    if (role) {
      // The task can't run before the window's role has the permissions the task's action needs.
      resource.node.addDependency(role);
    }

    this.windowTaskId = resource.ref;
    if (props.alarmConfiguration) {
      // Writing the task back passes its service role, and the notification role of a Run Command task, again.
      this.addAlarmApplier(props, resource, [...(role ? [role] : []), ...action.passedRoles ?? []]);
    }
  }

  /** The task's targets, one per key: window targets of this window, or instance IDs where the window allows them. */
  private checkTargets(props: MaintenanceWindowTaskProps): Target[] {
    const given = props.targets ?? [];
    const targets = mergeByKey(given.map((target) => target.toTaskTarget()));
    for (const target of targets) {
      if (target.kind !== TargetKind.INSTANCE_IDS && target.kind !== TargetKind.WINDOW_TARGET_IDS) {
        reject(this, 'targets', target.key, "can't be given to a task directly", 'a task takes window targets or instance IDs: register the nodes '
          + 'with window.addTarget() and pass the window target');
      }
    }
    if (targets.length > 1) {
      rejectCombination(this, 'targets', 'mix window targets and instance IDs', 'a task takes one or the other');
    }
    given.forEach((target, index) => {
      if (target instanceof MaintenanceWindowTarget && target.window !== props.window) {
        reject(this, `targets[${index}]`, target.node.path, `is registered with another window, ${target.window.node.path}`,
          'give a target of this window');
      }
    });
    const allowsUnassociated = hasWindowInternals(props.window) ? props.window._allowUnassociatedTargets : undefined;
    if (allowsUnassociated === false && targets.some((target) => target.kind === TargetKind.INSTANCE_IDS)) {
      rejectCombination(this, 'targets', 'name instance IDs, but the window does not allow unassociated targets',
        'register the instances with window.addTarget(), or set allowUnassociatedTargets on the window');
    }
    return targets;
  }

  /** The rules between the action and the targets (SSM User Guide, "Registering maintenance window tasks without targets"). */
  private checkAction(props: MaintenanceWindowTaskProps, action: TaskActionConfig, targets: Target[]) {
    if (action.requiresTargets && targets.length === 0) {
      rejectCount(this, 'targets', 0, 'targets', `use 1 or more (a ${action.taskType} task needs window targets or instance IDs)`);
    }
    if (targets.length === 0 && (props.maxConcurrency !== undefined || props.maxErrors !== undefined)) {
      rejectCombination(this, 'maxConcurrency and maxErrors', 'apply to tasks with targets, and this task has none', 'leave them out');
    }
    if (!action.requiresTargets && targets.length > 0) {
      const concurrency = (props.maxConcurrency ?? Concurrency.count(1))._render(this, 'maxConcurrency');
      warn(this, 'taskRunsPerTarget', 'targets', targets.map((target) => target.key),
        `make a ${action.taskType} task run once for each targeted node, ${concurrency} at a time (maxConcurrency)`,
        'leave targets out to run it once per window execution');
    }
  }

  private render(props: MaintenanceWindowTaskProps, action: TaskActionConfig, targets: Target[], role?: iam.IRole): CfnMaintenanceWindowTaskProps {
    // The API needs rate controls for a task with targets and refuses them for a task without.
    const hasTargets = targets.length > 0;
    return {
      windowId: props.window.maintenanceWindowId,
      taskType: action.taskType,
      taskArn: action.taskArn,
      taskInvocationParameters: action.invocationParameters,
      serviceRoleArn: role?.roleArn,
      targets: hasTargets ? renderTargets(this, 'targets', targets, TASK_TARGETS) : undefined,
      priority: props.priority ?? 1,
      maxConcurrency: hasTargets ? (props.maxConcurrency ?? Concurrency.count(1))._render(this, 'maxConcurrency') : undefined,
      maxErrors: hasTargets ? (props.maxErrors ?? ErrorThreshold.count(0))._render(this, 'maxErrors') : undefined,
      cutoffBehavior: props.cutoffBehavior,
      name: props.taskName,
      description: props.description,
    };
  }

  private addAlarmApplier(props: MaintenanceWindowTaskProps, resource: CfnResource, passedRoles: iam.IRole[]) {
    const windowId = props.window.maintenanceWindowId;
    const windowArn = Stack.of(this).formatArn({ service: 'ssm', resource: 'maintenancewindow', resourceName: windowId });
    addAlarmApplier(this, props.alarmConfiguration!, {
      resourceType: WINDOW_TASK_ALARM_RESOURCE_TYPE,
      resource,
      // Ref of a window task is its task ID.
      ids: { WindowId: windowId, WindowTaskId: resource.ref },
      statements: [
        new iam.PolicyStatement({ actions: ['ssm:GetMaintenanceWindowTask', 'ssm:UpdateMaintenanceWindowTask'], resources: [windowArn] }),
        ...passedRoles.map(passRoleToSsm),
      ],
    });
  }
}
