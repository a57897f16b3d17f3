import { Duration, IResource, Names, Resource, Stack, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnMaintenanceWindow } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { MaintenanceWindowSchedule } from './maintenance-window-schedule';
import { MaintenanceWindowTarget, MaintenanceWindowTargetOptions } from './maintenance-window-target';
import { MaintenanceWindowTask, MaintenanceWindowTaskOptions } from './maintenance-window-task';
import { show } from '../private/errors';
import { checkDescription, checkResourceName, checkScheduleOffset, known, reject, wholeUnits } from '../private/validate';
import { WindowInternals } from '../private/window-internals';

/**
 * A maintenance window.
 */
export interface IMaintenanceWindow extends IResource {
  /**
   * The ID of the window, such as `mw-0123456789abcdef0`.
   *
   * @attribute
   */
  readonly maintenanceWindowId: string;

  /**
   * The ARN of the window.
   *
   * @attribute
   */
  readonly maintenanceWindowArn: string;

  /**
   * The role the window's tasks run with, when the window has one of this library's making or was given one.
   */
  readonly serviceRole?: iam.IRole;

  /** Registers targets with the window. */
  addTarget(id: string, options: MaintenanceWindowTargetOptions): MaintenanceWindowTarget;

  /** Registers a task with the window. */
  addTask(id: string, options: MaintenanceWindowTaskOptions): MaintenanceWindowTask;

  /** An EventBridge rule for the window's executions (`Maintenance Window Execution State-change Notification`). */
  onExecutionStateChange(id: string, options?: events.OnEventOptions): events.Rule;

  /** An EventBridge rule for its tasks' executions (`Maintenance Window Task Execution State-change Notification`). */
  onTaskExecutionStateChange(id: string, options?: events.OnEventOptions): events.Rule;
}

/**
 * Properties of a maintenance window.
 */
export interface MaintenanceWindowProps {
  /** When the window opens. */
  readonly schedule: MaintenanceWindowSchedule;

  /** How long the window stays open: whole hours, 1 to 24. */
  readonly duration: Duration;

  /**
   * How long before the window closes no new task starts: whole hours, 0 to 23, less than the duration.
   *
   * @default Duration.hours(0)
   */
  readonly cutoff?: Duration;

  /**
   * The time zone of the schedule.
   *
   * @default - UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * Days to wait after the cron schedule's day before opening: 1 to 6. Cron schedules only.
   *
   * @default - no offset
   */
  readonly scheduleOffset?: number;

  /**
   * When the window becomes active.
   *
   * @default - at once
   */
  readonly startDate?: Date;

  /**
   * When the window stops being active.
   *
   * @default - never
   */
  readonly endDate?: Date;

  /**
   * Let tasks target nodes by instance ID that are not registered with the window as targets.
   *
   * @default false
   */
  readonly allowUnassociatedTargets?: boolean;

  /**
   * The role the window's tasks run with.
   *
   * @default - a role trusted by Systems Manager is created with the first task, and each task grants it what it needs
   */
  readonly serviceRole?: iam.IRole;

  /**
   * The name of the window.
   *
   * @default - a name generated from the construct path
   */
  readonly maintenanceWindowName?: string;

  /**
   * What the window is for: 1 to 128 characters.
   *
   * @default - no description
   */
  readonly description?: string;
}

abstract class MaintenanceWindowBase extends Resource implements IMaintenanceWindow, WindowInternals {
  public abstract readonly maintenanceWindowId: string;
  public abstract readonly serviceRole?: iam.IRole;

  /**
   * Whether tasks may target unregistered nodes by instance ID; undefined for an imported window.
   *
   * @internal
   */
  public abstract readonly _allowUnassociatedTargets?: boolean;

  public get maintenanceWindowArn(): string {
    return Stack.of(this).formatArn({ service: 'ssm', resource: 'maintenancewindow', resourceName: this.maintenanceWindowId });
  }

  public addTarget(id: string, options: MaintenanceWindowTargetOptions): MaintenanceWindowTarget {
    return new MaintenanceWindowTarget(this, id, { ...options, window: this });
  }

  public addTask(id: string, options: MaintenanceWindowTaskOptions): MaintenanceWindowTask {
    return new MaintenanceWindowTask(this, id, { ...options, window: this });
  }

  public onExecutionStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.rule(id, 'Maintenance Window Execution State-change Notification', options);
  }

  public onTaskExecutionStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.rule(id, 'Maintenance Window Task Execution State-change Notification', options);
  }

  /**
   * The role tasks run with, created with the first task that needs one when the window has none.
   *
   * @internal
   */
  public abstract _taskRole(): iam.IRole | undefined;

  private rule(id: string, detailType: string, options: events.OnEventOptions): events.Rule {
    const rule = new events.Rule(this, id, options);
    rule.addEventPattern({ source: ['aws.ssm'], detailType: [detailType], detail: { 'window-id': [this.maintenanceWindowId] } });
    rule.addTarget(options.target);
    return rule;
  }
}

/** What an imported window may be given. */
export interface MaintenanceWindowAttributes {
  /** The ID of the window, such as `mw-0123456789abcdef0`. */
  readonly maintenanceWindowId: string;

  /**
   * The role the window's tasks run with.
   *
   * @default - tasks added to the imported window run with Systems Manager's service-linked role
   */
  readonly serviceRole?: iam.IRole;
}

const WINDOW_ID = /^mw-[0-9a-f]{17}$/;

/**
 * A maintenance window (`AWS::SSM::MaintenanceWindow`): a recurring time in which tasks run on registered targets.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows.html
 *
 * @example
 * const window = new MaintenanceWindow(this, 'Patching', {
 *   schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3', minute: '0' }),
 *   duration: Duration.hours(4),
 *   cutoff: Duration.hours(1),
 *   timeZone: TimeZone.EUROPE_LONDON,
 * });
 * const web = window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
 * window.addTask('Patch', {
 *   task: TaskAction.runCommand({ document: AwsManagedDocument.RUN_PATCH_BASELINE, parameters: { Operation: ['Install'] } }),
 *   targets: [web],
 *   priority: 1,
 *   maxConcurrency: Concurrency.count(2),
 *   maxErrors: ErrorThreshold.count(0),
 * });
 */
export class MaintenanceWindow extends MaintenanceWindowBase {
  /**
   * Refers to a window that exists already.
   *
   * @example
   * const window = MaintenanceWindow.fromMaintenanceWindowId(this, 'Imported', 'mw-0123456789abcdef0');
   * window.addTarget('Web', { targets: [Target.tag('Role', 'web')] });
   */
  public static fromMaintenanceWindowId(scope: Construct, id: string, maintenanceWindowId: string): IMaintenanceWindow {
    return MaintenanceWindow.fromMaintenanceWindowAttributes(scope, id, { maintenanceWindowId });
  }

  /** Refers to a window that exists already, with the role its tasks run with. */
  public static fromMaintenanceWindowAttributes(scope: Construct, id: string, attrs: MaintenanceWindowAttributes): IMaintenanceWindow {
    class Import extends MaintenanceWindowBase {
      public readonly maintenanceWindowId = attrs.maintenanceWindowId;
      public readonly serviceRole = attrs.serviceRole;
      public readonly _allowUnassociatedTargets = undefined;
      public _taskRole() {
        return attrs.serviceRole;
      }
    }
    const window = new Import(scope, id);
    if (known(attrs.maintenanceWindowId) && !WINDOW_ID.test(attrs.maintenanceWindowId)) {
      reject(window, 'maintenanceWindowId', attrs.maintenanceWindowId, 'is not a window ID', 'use mw- and 17 hexadecimal digits');
    }
    return window;
  }

  public readonly maintenanceWindowId: string;
  /** @internal */
  public readonly _allowUnassociatedTargets?: boolean;
  private role?: iam.IRole;

  public constructor(scope: Construct, id: string, props: MaintenanceWindowProps) {
    super(scope, id, { physicalName: props.maintenanceWindowName });
    const cutoffDuration = props.cutoff ?? Duration.hours(0);
    const duration = wholeUnits(this, 'duration', props.duration, 'hours', 1, 24);
    const cutoff = wholeUnits(this, 'cutoff', cutoffDuration, 'hours', 0, 23);
    if (known(duration) && known(cutoff) && cutoff >= duration) {
      reject(this, 'cutoff', cutoffDuration, `is not less than duration ${show(props.duration)}`,
        'use a shorter cutoff: no task could start in a window whose cutoff is its whole length');
    }
    props.schedule._check(this, 'schedule');
    checkScheduleOffset(this, props.scheduleOffset, props.schedule);
    this.checkDates(props.startDate, props.endDate);
    checkResourceName(this, 'maintenanceWindowName', props.maintenanceWindowName);
    checkDescription(this, 'description', props.description);

    this._allowUnassociatedTargets = props.allowUnassociatedTargets ?? false;
    this.role = props.serviceRole;
    const resource = new CfnMaintenanceWindow(this, 'Resource', {
      name: props.maintenanceWindowName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: props.description,
      schedule: props.schedule.expressionString,
      scheduleTimezone: props.timeZone?.timezoneName,
      scheduleOffset: props.scheduleOffset,
      duration,
      cutoff,
      startDate: props.startDate?.toISOString(),
      endDate: props.endDate?.toISOString(),
      allowUnassociatedTargets: this._allowUnassociatedTargets,
    });
    this.maintenanceWindowId = resource.ref;
  }

  /** The role tasks run with: the one given, or the one created for the first task. */
  public get serviceRole(): iam.IRole | undefined {
    return this.role;
  }

  /** @internal */
  public _taskRole(): iam.IRole {
    if (this.role === undefined) {
      const account = Stack.of(this).account;
      this.role = new iam.Role(this, 'ServiceRole', {
        description: 'Runs the tasks of a maintenance window',
        // Confused-deputy protection: only Systems Manager acting for this account may assume the role.
        assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      });
    }
    return this.role;
  }

  /** StartDate and EndDate: ISO 8601 dates and times, the end after the start (API CreateMaintenanceWindow). */
  private checkDates(startDate?: Date, endDate?: Date) {
    for (const [property, date] of [['startDate', startDate], ['endDate', endDate]] as const) {
      if (date !== undefined && Number.isNaN(date.getTime())) {
        reject(this, property, date, 'is not a valid date', "use a date and time such as new Date('2027-01-01T00:00:00Z')");
      }
    }
    if (startDate && endDate && endDate.getTime() <= startDate.getTime()) {
      reject(this, 'endDate', endDate, 'is not after startDate', `use a date after ${show(startDate)}`);
    }
  }
}
