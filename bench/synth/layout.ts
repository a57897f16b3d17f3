/** Each group is one document, one association, one window task and one RunCommand. */
export const KINDS_PER_GROUP = 4;
/** 25 groups, 100 of the resources counted, keep each stack well under CloudFormation's 500 resources. */
export const GROUPS_PER_STACK = 25;
/** A maintenance window holds at most 20 tasks (Systems Manager quota); the apps put 5 in each. */
export const TASKS_PER_WINDOW = 5;

/** The stacks of an app of `count` resources, and how many groups each holds. */
export function stackLayout(count: number): { name: string; groups: number }[] {
  const groups = Math.ceil(count / KINDS_PER_GROUP);
  const stacks: { name: string; groups: number }[] = [];
  for (let first = 0; first < groups; first += GROUPS_PER_STACK) {
    stacks.push({ name: `Bench${stacks.length}`, groups: Math.min(GROUPS_PER_STACK, groups - first) });
  }
  return stacks;
}
