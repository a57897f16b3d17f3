import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What this library's maintenance windows tell the tasks registered with them, beyond `IMaintenanceWindow`. Their
 * base class implements it; a window of another making has neither member, and its tasks run with Systems Manager's
 * service-linked role, whatever targets they give.
 *
 * @internal
 */
export interface WindowInternals {
  /** Whether tasks may target unregistered nodes by instance ID; undefined for an imported window, which can't tell. */
  readonly _allowUnassociatedTargets?: boolean;

  /** The role tasks run with, created with the first task that needs one when the window has none. */
  _taskRole(): iam.IRole | undefined;
}

/** Whether a window is one of this library's, which implement `WindowInternals`. */
export function hasWindowInternals<T extends object>(window: T): window is T & WindowInternals {
  return typeof (window as Partial<WindowInternals>)._taskRole === 'function';
}
