// Priority of user-driven device preparation policies (priorityMetaData.priority): 1-based, the smallest
// number wins, new policies go last, `reorder` moves one and renumbers the rest, deleting one closes the gap.
// Automatic-mode policies "don't honor priority" and carry none.
// Source: memdocs autopilot/device-preparation (Priority column, "the policy with the highest priority … has the
// smallest number"); Graph beta deviceManagementConfigurationPolicy reorder action.
import type { Scope } from '../server/context.js';
import { intuneBadRequest } from './errors.js';
import { listIntuneObjects, saveIntuneObject, type IntuneObject } from './resource.js';
import { CONFIGURATION_POLICIES } from './configuration-policies.js';
import { templateOfPolicy } from './device-preparation-templates.js';

export const hasPriority = (policy: Readonly<Record<string, unknown>>) => templateOfPolicy(policy)?.mode === 'userDriven';

export const priorityOf = (policy: Readonly<Record<string, unknown>>): number | null => {
  const p = (policy.priorityMetaData as { priority?: unknown } | null | undefined)?.priority;
  return typeof p === 'number' ? p : null;
};

/** The ranked policies, highest priority (smallest number) first; ties by age. */
async function ranked(scope: Scope, excludeId?: string): Promise<IntuneObject[]> {
  const all = (await listIntuneObjects(scope, CONFIGURATION_POLICIES)).filter((p) => hasPriority(p) && p.id !== excludeId);
  return all.sort((a, b) => (priorityOf(a) ?? Infinity) - (priorityOf(b) ?? Infinity));
}

/** The priority a new policy (already inserted, with id `newId`) gets: after every other one. */
export async function nextPriority(scope: Scope, newId: string): Promise<number> {
  return (await ranked(scope, newId)).length + 1;
}

/** Writes priorities 1…n in the given order, saving only the policies whose number changes. */
async function renumber(scope: Scope, order: readonly IntuneObject[]): Promise<void> {
  for (const [i, policy] of order.entries()) {
    if (priorityOf(policy) === i + 1) continue;
    await saveIntuneObject(scope, { collection: CONFIGURATION_POLICIES }, policy.id, { ...policy, priorityMetaData: { priority: i + 1 } });
  }
}

/** After a delete: the remaining policies keep their order without gaps. */
export const closePriorityGaps = async (scope: Scope) => renumber(scope, await ranked(scope));

/** `reorder {"priority": n}`: a number past the last moves the policy last (call inside a transaction). */
export async function reorderPolicy(scope: Scope, policy: IntuneObject, body: Record<string, unknown>): Promise<void> {
  if (!hasPriority(policy)) throw intuneBadRequest('Only user-driven device preparation policies have a priority; automatic-mode policies do not honor priority.', 'priority');
  const priority = body.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 2 ** 31 - 1) {
    throw intuneBadRequest("'priority' must be a whole number from 1 (the highest priority).", 'priority');
  }
  const others = await ranked(scope, policy.id);
  const at = Math.min(priority, others.length + 1) - 1;
  await renumber(scope, [...others.slice(0, at), policy, ...others.slice(at)]);
}
