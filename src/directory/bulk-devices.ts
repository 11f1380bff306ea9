// Many Entra device objects created at once (an Autopilot import registers up to 500 devices per call), in
// the caller's transaction: the rows written in chunks, then every new device placed in the dynamic device
// groups whose rule selects it, evaluated in memory with the compiled rules. The result is what
// insertDevice would give one device at a time (same defaults, same memberships, same group status),
// at a fraction of the queries, with time-ordered object ids (see ordered-ids.ts). Rules that read memberOf
// settle device by device with reevaluateObject.
import type { Scope } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { orderedId } from '../core/ordered-ids.js';
import { readJson, writeJson } from '../store/db.js';
import { subjectFromGraph } from '../rules/index.js';
import { deviceDefaults } from './devices.js';
import { compiledRule, reevaluateObject } from './dynamic-membership.js';
import type { GraphObject } from './objects.js';

const CHUNK = 200;

/**
 * Inserts device objects (each input must carry a fresh, unique `deviceId`) and settles their dynamic group
 * memberships. Runs in the caller's transaction; returns the devices as stored.
 */
export async function insertDevices(scope: Scope, inputs: readonly Record<string, unknown>[]): Promise<GraphObject[]> {
  const now = isoNow(scope.clock);
  const devices = inputs.map((input) => {
    const data: Record<string, unknown> = { ...deviceDefaults(), ...input, deviceId: String(input.deviceId).toLowerCase(), registrationDateTime: now };
    return { id: orderedId(), ...data } as GraphObject;
  });
  for (let i = 0; i < devices.length; i += CHUNK) {
    await scope.db
      .insertInto('devices')
      .values(
        devices.slice(i, i + CHUNK).map(({ id, ...data }) => ({ tenant_id: scope.tenantId, id, device_id: data.deviceId as string, data: writeJson(data) })),
      )
      .execute();
  }
  await placeInDynamicGroups(scope, devices);
  return devices;
}

/** Adds new devices (members of no group yet) to every active dynamic device group whose rule selects them. */
async function placeInDynamicGroups(scope: Scope, devices: readonly GraphObject[]): Promise<void> {
  const groups = await scope.db
    .selectFrom('groups')
    .select(['id', 'membership_rule'])
    .where('tenant_id', '=', scope.tenantId)
    .where('rule_kind', '=', 'device')
    .where('rule_state', '=', 'On')
    .execute();
  if (groups.length === 0 || devices.length === 0) return;
  const rules = groups.map((g) => ({ id: g.id, ...compiledRule(g.membership_rule!, scope) }));
  if (rules.some((r) => r.rule.special === 'memberOf')) {
    // memberOf rules depend on memberships this change produces: settle each device as insertDevice does.
    for (const device of devices) await reevaluateObject(scope, 'device', device.id);
    return;
  }
  const links: { tenant_id: string; source_id: string; rel: string; target_id: string; target_kind: 'device' }[] = [];
  const changed = new Set<string>();
  for (const device of devices) {
    const subject = subjectFromGraph('device', device, { memberOf: [] });
    for (const r of rules) {
      if (!r.predicate(subject)) continue;
      links.push({ tenant_id: scope.tenantId, source_id: r.id, rel: 'members', target_id: device.id, target_kind: 'device' });
      changed.add(r.id);
    }
  }
  for (let i = 0; i < links.length; i += CHUNK) await scope.db.insertInto('links').values(links.slice(i, i + CHUNK)).execute();
  // As reevaluateObject does: a group whose membership moved records when.
  const status = { status: 'Succeeded', lastMembershipUpdated: isoNow(scope.clock), errorMessage: null };
  for (const groupId of changed) {
    const row = await scope.db.selectFrom('groups').select('data').where('tenant_id', '=', scope.tenantId).where('id', '=', groupId).executeTakeFirst();
    if (!row) continue;
    await scope.db
      .updateTable('groups')
      .set({ data: writeJson({ ...readJson<Record<string, unknown>>(row.data), membershipRuleProcessingStatus: status }) })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', groupId)
      .execute();
  }
}
