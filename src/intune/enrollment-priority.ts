// Priority of enrollment configurations. Defaults have priority 0 and keep it; custom configurations of one family
// (see priorityFamily) are numbered 1..n without gaps, 1 being the highest. A new one is added "just above the
// default" (n + 1); setPriority moves one to another position among them and the others shift.
// Sources: memdocs intune/enrollment/enrollment-restrictions-set.md ("When you create a restriction, it's added to
// the list just above the default"; "You can change the priority of any non-default restriction");
// windows-enrollment-status.md ("The profile set to 1 has the highest priority"); Graph beta
// intune-onboarding-deviceenrollmentconfiguration-setpriority.md (POST {"priority": n}, 204).
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { intuneBadRequest } from './errors.js';
import { getIntuneObject, listIntuneObjects, saveIntuneObject, type IntuneObject } from './resource.js';
import { ENROLLMENT_CONFIGURATIONS, isDefaultConfiguration, kindOf, priorityFamily } from './enrollment-configuration-types.js';

const collection = { collection: ENROLLMENT_CONFIGURATIONS };

const byPriority = (a: IntuneObject, b: IntuneObject) => Number(a.priority ?? 0) - Number(b.priority ?? 0);

/** The custom configurations of a family, highest priority (1) first. */
export async function familyMembers(scope: Scope, family: string): Promise<IntuneObject[]> {
  const all = await listIntuneObjects(scope, ENROLLMENT_CONFIGURATIONS);
  return all.filter((o) => !isDefaultConfiguration(scope.tenantId, o.id) && priorityFamily(o) === family).sort(byPriority);
}

/** Saves priorities 1..n in the given order, writing only the objects whose priority changes. */
export async function renumber(scope: Scope, ordered: readonly IntuneObject[]): Promise<void> {
  for (const [i, obj] of ordered.entries()) {
    if (obj.priority === i + 1) continue;
    await saveIntuneObject(scope, collection, obj.id, { ...obj, priority: i + 1 });
  }
}

/** Closes the gap a deleted configuration leaves in its family. */
export async function closeGap(scope: Scope, family: string): Promise<void> {
  await renumber(scope, await familyMembers(scope, family));
}

/** `setPriority`: moves a custom configuration to position `priority` (1..n) of its family. */
export async function setPriority(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const priority = body.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority)) throw intuneBadRequest("'priority' must be a whole number.", 'priority');
  await inTransaction(scope, async (tx) => {
    const target = await getIntuneObject(tx, collection, id);
    if (isDefaultConfiguration(tx.tenantId, id)) {
      throw intuneBadRequest('The default configuration always has priority 0 (lowest); only custom configurations can be reordered.', 'priority');
    }
    const members = await familyMembers(tx, priorityFamily(target));
    if (priority < 1 || priority > members.length) {
      const what = kindOf(target['@odata.type'])?.configurationType ?? 'configuration';
      throw intuneBadRequest(
        members.length === 1
          ? `This is the only custom ${what} configuration of its kind; its priority is 1.`
          : `'priority' must be from 1 to ${members.length}, the number of custom ${what} configurations of this kind.`,
        'priority',
      );
    }
    const others = members.filter((m) => m.id !== id);
    await renumber(tx, [...others.slice(0, priority - 1), target, ...others.slice(priority - 1)]);
  });
}
