// What the deployment engine asks of platform scripts: which scripts reach a device through a set of groups,
// exclusions applied, with how each runs. Device preparation runs the scripts assigned to its device group
// and needs them to run as System (behaviour.md §1.7); scripts take no assignment filters.
// Source: memdocs apps/intune-management-extension.md; apps/apps-inc-exl-assignments.md (exclusion wins).
import type { Scope } from '../server/context.js';
import { ALL_DEVICES_TARGET, ALL_USERS_TARGET, EXCLUSION_TARGET } from './assignments.js';
import { getIntuneObject } from './resource.js';
import { PLATFORM_SCRIPTS } from './platform-scripts.js';
import type { TargetOptions } from './app-deployments.js';

export interface ScriptForDevice {
  readonly scriptId: string;
  readonly displayName: string;
  readonly fileName: string;
  /** 'system' unless "Run this script using the logged on credentials" is Yes ('user'). */
  readonly runAsAccount: 'system' | 'user';
  readonly enforceSignatureCheck: boolean;
  readonly runAs32Bit: boolean;
  /** The assignments through which the script reaches the device. */
  readonly via: readonly { readonly assignmentId: string; readonly targetType: string; readonly groupId: string | null }[];
}

export async function scriptsForGroups(scope: Scope, groupIds: readonly string[], options: TargetOptions = {}): Promise<ScriptForDevice[]> {
  const groups = [...new Set(groupIds.map((g) => g.toLowerCase()))];
  const targetTypes = [...(options.allDevices ? [ALL_DEVICES_TARGET] : []), ...(options.allUsers ? [ALL_USERS_TARGET] : [])];
  if (groups.length === 0 && targetTypes.length === 0) return [];
  const rows = await scope.db
    .selectFrom('intune_assignments')
    .select(['object_id', 'id', 'group_id', 'target_type'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', PLATFORM_SCRIPTS)
    .where((eb) => eb.or([...(groups.length > 0 ? [eb('group_id', 'in', groups)] : []), ...(targetTypes.length > 0 ? [eb('target_type', 'in', targetTypes)] : [])]))
    .execute();
  const excluded = new Set(rows.filter((r) => r.target_type === EXCLUSION_TARGET).map((r) => r.object_id));
  const via = new Map<string, ScriptForDevice['via'][number][]>();
  for (const r of rows) {
    if (r.target_type === EXCLUSION_TARGET || excluded.has(r.object_id)) continue;
    via.set(r.object_id, [...(via.get(r.object_id) ?? []), { assignmentId: r.id, targetType: r.target_type, groupId: r.group_id }]);
  }
  const out: ScriptForDevice[] = [];
  for (const [scriptId, routes] of via) {
    const s = await getIntuneObject(scope, { collection: PLATFORM_SCRIPTS }, scriptId);
    out.push({
      scriptId,
      displayName: String(s.displayName ?? ''),
      fileName: String(s.fileName ?? ''),
      runAsAccount: s.runAsAccount === 'user' ? 'user' : 'system',
      enforceSignatureCheck: s.enforceSignatureCheck === true,
      runAs32Bit: s.runAs32Bit === true,
      via: routes,
    });
  }
  return out.sort((x, y) => x.displayName.localeCompare(y.displayName) || x.scriptId.localeCompare(y.scriptId));
}
