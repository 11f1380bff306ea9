// Which deployment profile each Autopilot device gets, computed when it is read, from the groups its Entra
// device is in (directly or through nested groups) and the profiles' assignments, so it follows group
// membership the moment it changes. Rules (memdocs autopilot/profiles.md, "Autopilot profile priority"):
// a profile assigned to one of the device's groups wins over one assigned to all devices (the "default
// profile"); among several, the oldest created wins; a profile whose exclusion group holds the device does
// not apply. Tarmac assigns at once: a targeted device is "assigned" (assignedInSync), any other "not
// assigned" (notAssigned); Intune's interim "Assigning" (pending) takes no time here.
import type { Scope } from '../server/context.js';
import { readJson } from '../store/db.js';
import { ALL_DEVICES_TARGET, EXCLUSION_TARGET, GROUP_TARGET } from './assignments.js';
import { listIntuneObjects, type IntuneObject } from './resource.js';
import { AUTOPILOT_PROFILES, NEVER } from './autopilot-collections.js';

export type ProfileAssignmentStatus = 'notAssigned' | 'assignedInSync';

export interface ProfileState {
  readonly status: ProfileAssignmentStatus;
  /** The profile the device gets, or null (then it gets Windows Autopilot's default behaviour). */
  readonly profile: IntuneObject | null;
  /** When the device got the profile: the later of its registration and the profile's creation. */
  readonly assignedDateTime: string | null;
}

/** What profile-status needs of an Autopilot device identity. */
export interface DeviceRef {
  readonly id: string;
  /** Its Entra device's deviceId (`azureAdDeviceId`). */
  readonly azureAdDeviceId: string | null;
  /** When it was registered (the row's creation time). */
  readonly registeredAt: string;
}

const NOT_ASSIGNED: ProfileState = { status: 'notAssigned', profile: null, assignedDateTime: null };

interface TargetRow {
  readonly profileId: string;
  readonly type: string;
  readonly groupId: string | null;
}

/** The profile state of each device, by device id, in a few queries for the whole batch. */
export async function profileStates(scope: Scope, devices: readonly DeviceRef[]): Promise<Map<string, ProfileState>> {
  const states = new Map<string, ProfileState>(devices.map((d) => [d.id, NOT_ASSIGNED]));
  if (devices.length === 0) return states;
  const targets = (
    await scope.db
      .selectFrom('intune_assignments')
      .select(['object_id', 'target_type', 'group_id'])
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', AUTOPILOT_PROFILES)
      .execute()
  ).map((r): TargetRow => ({ profileId: r.object_id, type: r.target_type, groupId: r.group_id }));
  if (targets.length === 0) return states;
  // Oldest first: the first applicable profile in this order wins.
  const profiles = await listIntuneObjects(scope, AUTOPILOT_PROFILES);
  const needsGroups = targets.some((t) => t.groupId !== null);
  const groupsOf = needsGroups ? await transitiveGroups(scope, devices) : new Map<string, Set<string>>();
  for (const device of devices) {
    const groups = groupsOf.get(device.id) ?? new Set<string>();
    const excluded = new Set(targets.filter((t) => t.type === EXCLUSION_TARGET && groups.has(t.groupId!)).map((t) => t.profileId));
    const byGroup = new Set(targets.filter((t) => t.type === GROUP_TARGET && groups.has(t.groupId!)).map((t) => t.profileId));
    const byAll = new Set(targets.filter((t) => t.type === ALL_DEVICES_TARGET).map((t) => t.profileId));
    const winner =
      profiles.find((p) => byGroup.has(p.id) && !excluded.has(p.id)) ?? profiles.find((p) => byAll.has(p.id) && !excluded.has(p.id));
    if (!winner) continue;
    const created = String(winner.createdDateTime ?? device.registeredAt);
    states.set(device.id, { status: 'assignedInSync', profile: winner, assignedDateTime: Date.parse(created) > Date.parse(device.registeredAt) ? created : device.registeredAt });
  }
  return states;
}

/** The groups each device's Entra device object is a member of, directly or through nested groups. */
async function transitiveGroups(scope: Scope, devices: readonly DeviceRef[]): Promise<Map<string, Set<string>>> {
  const entraIds = devices.map((d) => d.azureAdDeviceId).filter((id): id is string => !!id);
  const objectByDeviceId = new Map<string, string>();
  for (let i = 0; i < entraIds.length; i += 500) {
    const rows = await scope.db
      .selectFrom('devices')
      .select(['id', 'device_id'])
      .where('tenant_id', '=', scope.tenantId)
      .where('device_id', 'in', entraIds.slice(i, i + 500).map((id) => id.toLowerCase()))
      .execute();
    for (const r of rows) objectByDeviceId.set(r.device_id, r.id);
  }
  // Parents of every object met so far, walked level by level for the whole batch.
  const parents = new Map<string, string[]>();
  let frontier = [...new Set(objectByDeviceId.values())];
  while (frontier.length > 0) {
    const next = new Set<string>();
    for (let i = 0; i < frontier.length; i += 500) {
      const chunk = frontier.slice(i, i + 500);
      const rows = await scope.db
        .selectFrom('links')
        .select(['source_id', 'target_id'])
        .where('tenant_id', '=', scope.tenantId)
        .where('rel', '=', 'members')
        .where('target_id', 'in', chunk)
        .execute();
      for (const id of chunk) if (!parents.has(id)) parents.set(id, []);
      for (const r of rows) {
        parents.get(r.target_id)!.push(r.source_id);
        if (!parents.has(r.source_id)) next.add(r.source_id);
      }
    }
    frontier = [...next];
  }
  const result = new Map<string, Set<string>>();
  for (const device of devices) {
    const objectId = device.azureAdDeviceId ? objectByDeviceId.get(device.azureAdDeviceId.toLowerCase()) : undefined;
    const groups = new Set<string>();
    const stack = objectId ? [...(parents.get(objectId) ?? [])] : [];
    while (stack.length > 0) {
      const g = stack.pop()!;
      if (groups.has(g)) continue;
      groups.add(g);
      stack.push(...(parents.get(g) ?? []));
    }
    result.set(device.id, groups);
  }
  return result;
}

/** Loads the device references of Autopilot identities by id (for rows whose data a query left out). */
export async function deviceRefs(scope: Scope, collection: string, ids: readonly string[]): Promise<DeviceRef[]> {
  const refs: DeviceRef[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await scope.db
      .selectFrom('intune_objects')
      .select(['id', 'data', 'created_at'])
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', collection)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) refs.push(refOf(r.id, readJson(r.data), r.created_at));
  }
  return refs;
}

export const refOf = (id: string, data: Record<string, unknown>, createdAt: string): DeviceRef => ({
  id,
  azureAdDeviceId: typeof data.azureAdDeviceId === 'string' && data.azureAdDeviceId !== '' ? data.azureAdDeviceId : null,
  registeredAt: createdAt,
});

/** The identity as Graph shows it (beta): with its computed profile status. */
export function withProfileState(identity: Record<string, unknown>, state: ProfileState): Record<string, unknown> {
  return { ...identity, deploymentProfileAssignmentStatus: state.status, deploymentProfileAssignedDateTime: state.assignedDateTime ?? NEVER };
}
