import { IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnMaintenanceWindowTask, CfnMaintenanceWindowTaskProps } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { IMaintenanceWindow } from './maintenance-window';
import { MaintenanceWindowTarget } from './maintenance-window-target';
import { TaskAction } from './task-action';
import { addAlarmApplier } from '../alarm-applier/alarm-applier';
import { AlarmConfiguration } from '../alarm-configuration';
import { SsmOpsValidationError, show } from '../private/errors';
import { passRoleToSsm } from '../private/iam';
import { WINDOW_TASK_ALARM_RESOURCE_TYPE } from '../private/resource-types';
import { renderTargets } from '../private/targets';
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

/** What this library's windows know about themselves beyond IMaintenanceWindow. */
interface WindowInternals {
  readonly _allowUnassociatedTargets?: boolean;
  _taskRole?(): iam.IRole | undefined;
}

const NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;

/**
 * A task registered with a maintenance window (`AWS::SSM::MaintenanceWindowTask`).
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
    const fail = (message: string): never => {
      throw new SsmOpsValidationError(this, message);
    };
    const window = props.window as IMaintenanceWindow & WindowInternals;
    const targets = mergeByKey((props.targets ?? []).map((target) => target.toTaskTarget()));

    targets.forEach((target) => {
      if (target.kind !== TargetKind.INSTANCE_IDS && target.kind !== TargetKind.WINDOW_TARGET_IDS) {
        fail(`targets (${show(target.key)}) can't be given to a task directly; a task takes window targets or `
          + 'instance IDs: register the nodes with window.addTarget() and pass the window target');
      }
    });
    if (targets.length > 1) {
      fail('targets mix window targets and instance IDs; a task takes one or the other');
    }
    (props.targets ?? []).forEach((target, index) => {
      if (target instanceof MaintenanceWindowTarget && target.window !== props.window) {
        fail(`targets[${index}] is registered with another window (${target.window.node.path})`);
      }
    });
    if (window._allowUnassociatedTargets === false && targets.some((target) => target.kind === TargetKind.INSTANCE_IDS)) {
      fail('targets name instance IDs, but the window does not allow unassociated targets; register the instances '
        + 'with window.addTarget(), or set allowUnassociatedTargets on the window');
    }
    const { priority = 1, maxConcurrency, maxErrors, taskName, description } = props;
    if (!Token.isUnresolved(priority) && !(Number.isInteger(priority) && priority >= 0)) {
      fail(`priority ${priority} is not allowed; use a whole number of 0 or more (lower runs first)`);
    }
    if (taskName !== undefined && !Token.isUnresolved(taskName) && !NAME.test(taskName)) {
      fail(`taskName ${show(taskName)} is not valid; use 3 to 128 letters, digits, '_', '-' or '.'`);
    }
    if (description !== undefined && !Token.isUnresolved(description) && (description.length < 1 || description.length > 128)) {
      fail(`description has ${description.length} characters; use 1 to 128`);
    }

    const role = window._taskRole?.();
    const action = props.task._bind(this, role, targets);
    if (action.requiresTargets && targets.length === 0) {
      fail(`a ${action.taskType} task needs targets: give window targets or instance IDs`);
    }
    if (targets.length === 0 && (maxConcurrency !== undefined || maxErrors !== undefined)) {
      fail('maxConcurrency and maxErrors apply to tasks with targets, and this task has none; leave them out');
    }
    const hasTargets = targets.length > 0;

    const resourceProperties: CfnMaintenanceWindowTaskProps = {
      windowId: props.window.maintenanceWindowId,
      taskType: action.taskType,
      taskArn: action.taskArn,
      taskInvocationParameters: action.invocationParameters,
      serviceRoleArn: role?.roleArn,
      targets: hasTargets ? renderTargets(this, 'targets', targets, {
        accepted: [TargetKind.INSTANCE_IDS, TargetKind.WINDOW_TARGET_IDS],
        maxKeyLength: 163,
      }) : undefined,
      priority,
      // The API needs both for a task with targets and refuses them for a task without.
      maxConcurrency: hasTargets ? (maxConcurrency ?? Concurrency.count(1))._render(this, 'maxConcurrency') : undefined,
      maxErrors: hasTargets ? (maxErrors ?? ErrorThreshold.count(0))._render(this, 'maxErrors') : undefined,
      cutoffBehavior: props.cutoffBehavior,
      name: taskName,
      description,
    };
    const resource = new CfnMaintenanceWindowTask(this, 'Resource', resourceProperties);
    if (role) {
      // The task can't run before the window's role has the permissions the task's action needs.
      resource.node.addDependency(role);
    }
    this.windowTaskId = resource.ref;

    if (props.alarmConfiguration) {
      const stack = Stack.of(this);
      const windowArn = stack.formatArn({ service: 'ssm', resource: 'maintenancewindow', resourceName: props.window.maintenanceWindowId });
      addAlarmApplier(this, props.alarmConfiguration, {
        resourceType: WINDOW_TASK_ALARM_RESOURCE_TYPE,
        resource,
        // Ref of a window task is its task ID.
        ids: { WindowId: props.window.maintenanceWindowId, WindowTaskId: resource.ref },
        statements: [
          new iam.PolicyStatement({ actions: ['ssm:GetMaintenanceWindowTask', 'ssm:UpdateMaintenanceWindowTask'], resources: [windowArn] }),
          // Writing the task back passes its service role, and the notification role of a Run Command task, again.
          ...[...(role ? [role] : []), ...action.passedRoles ?? []].map(passRoleToSsm),
        ],
      });
    }
  }
}
