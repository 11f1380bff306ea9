// What the deployment engine (and explain/preflight) asks of apps: which apps reach a device through a set
// of groups, with their intent, install context and assignment filters, exclusions applied. Device
// preparation installs the apps assigned Required to its device group in System context (behaviour.md §1.7).
// Source: memdocs apps/apps-inc-exl-assignments.md (exclusion takes precedence over inclusion).
import type { Scope } from '../server/context.js';
import { readJson } from '../store/db.js';
import { ALL_DEVICES_TARGET, ALL_USERS_TARGET, EXCLUSION_TARGET, type Assignment } from './assignments.js';
import { getIntuneObject, type IntuneObject } from './resource.js';
import { appType, type InstallContext } from './mobile-app-types.js';
import { MOBILE_APPS } from './mobile-app-assignments.js';

/** One assignment through which an app reaches the device. */
export interface AppAssignmentRoute {
  readonly assignmentId: string;
  /** The target's @odata.type: a group, all devices or all licensed users. */
  readonly targetType: string;
  readonly groupId: string | null;
  /** The assignment filter narrowing it, if any (evaluated against the device by the caller). */
  readonly filter: { readonly id: string; readonly type: 'include' | 'exclude' } | null;
  readonly settings: Record<string, unknown> | null;
}

export interface AppForDevice {
  readonly appId: string;
  readonly odataType: string;
  readonly displayName: string;
  readonly intent: string;
  /** Where the app installs; device preparation needs 'system'. */
  readonly installContext: InstallContext;
  readonly publishingState: string;
  /** Every assignment with this intent that reaches the device (any one whose filter passes is enough). */
  readonly via: readonly AppAssignmentRoute[];
}

export interface TargetOptions {
  /** Count "All devices" assignments (every enrolled device is in it). */
  readonly allDevices?: boolean;
  /** Count "All users" assignments (the device has a licensed user). */
  readonly allUsers?: boolean;
}

/** Every app assignment that reaches a device in `groupIds`, by app and intent, minus excluded apps. */
export async function appAssignmentsForGroups(scope: Scope, groupIds: readonly string[], options: TargetOptions = {}): Promise<AppForDevice[]> {
  const groups = new Set(groupIds.map((g) => g.toLowerCase()));
  const targetTypes = [...(options.allDevices ? [ALL_DEVICES_TARGET] : []), ...(options.allUsers ? [ALL_USERS_TARGET] : [])];
  if (groups.size === 0 && targetTypes.length === 0) return [];
  const rows = await scope.db
    .selectFrom('intune_assignments')
    .select(['object_id', 'data', 'group_id', 'target_type'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', MOBILE_APPS)
    .where((eb) => {
      const terms = [];
      if (groups.size > 0) terms.push(eb('group_id', 'in', [...groups]));
      if (targetTypes.length > 0) terms.push(eb('target_type', 'in', targetTypes));
      return eb.or(terms);
    })
    .execute();
  const excluded = new Set(rows.filter((r) => r.target_type === EXCLUSION_TARGET).map((r) => r.object_id));
  const byKey = new Map<string, { appId: string; intent: string; via: AppAssignmentRoute[] }>();
  for (const row of rows) {
    if (row.target_type === EXCLUSION_TARGET || excluded.has(row.object_id)) continue;
    const a = readJson<Assignment>(row.data);
    const intent = String(a.intent);
    const key = `${row.object_id}|${intent}`;
    const entry = byKey.get(key) ?? { appId: row.object_id, intent, via: [] };
    const filterType = a.target.deviceAndAppManagementAssignmentFilterType;
    entry.via.push({
      assignmentId: a.id,
      targetType: row.target_type,
      groupId: row.group_id,
      filter: filterType === 'include' || filterType === 'exclude' ? { id: String(a.target.deviceAndAppManagementAssignmentFilterId), type: filterType } : null,
      settings: (a.settings as Record<string, unknown> | null | undefined) ?? null,
    });
    byKey.set(key, entry);
  }
  const apps = new Map<string, IntuneObject>();
  const out: AppForDevice[] = [];
  for (const entry of byKey.values()) {
    const app = apps.get(entry.appId) ?? (await getIntuneObject(scope, { collection: MOBILE_APPS }, entry.appId));
    apps.set(entry.appId, app);
    out.push({
      appId: app.id,
      odataType: String(app['@odata.type']),
      displayName: String(app.displayName ?? ''),
      intent: entry.intent,
      installContext: appType(app['@odata.type']).installContext(app),
      publishingState: String(app.publishingState ?? 'published'),
      via: entry.via,
    });
  }
  return out.sort((x, y) => x.displayName.localeCompare(y.displayName) || x.appId.localeCompare(y.appId) || x.intent.localeCompare(y.intent));
}

/** The apps assigned Required to a device through `groupIds` (device preparation's "assigned to the device group"). */
export async function requiredAppsForGroups(scope: Scope, groupIds: readonly string[], options: TargetOptions = {}): Promise<AppForDevice[]> {
  return (await appAssignmentsForGroups(scope, groupIds, options)).filter((a) => a.intent === 'required');
}
