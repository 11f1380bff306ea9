// The apps and scripts a device preparation policy tracks during OOBE ("Allowed Applications" / "Allowed
// Scripts"): each app entry is a JSON string {"id","type"} naming a mobile app of a supported type, each script
// entry the id of a platform script; both must exist in the tenant.
// Source: memdocs autopilot/device-preparation/tutorial/user-driven/entra-join-autopilot-policy.md (supported app
// types: LOB, Win32, Microsoft Store (WinGet), Microsoft 365, Enterprise App Catalog); graph-api.md §4.2, §8.
import type { Scope } from '../server/context.js';
import { intuneBadRequest } from './errors.js';
import { MOBILE_APPS } from './mobile-app-assignments.js';
import { PLATFORM_SCRIPTS } from './platform-scripts.js';

/** App types device preparation installs: Win32, LOB (MSI, MSIX/AppX), WinGet Store apps, Microsoft 365, Enterprise App Catalog. */
export const ALLOWED_APP_TYPES: readonly string[] = [
  '#microsoft.graph.win32LobApp',
  '#microsoft.graph.windowsMobileMSI',
  '#microsoft.graph.windowsUniversalAppX',
  '#microsoft.graph.winGetApp',
  '#microsoft.graph.officeSuiteApp',
  '#microsoft.graph.win32CatalogApp',
];

export interface AllowedApp {
  readonly id: string;
  readonly type: string;
}

/** A blank entry (the WADP demo script sends " ") selects nothing; Tarmac keeps it and ignores it. */
export const isBlankEntry = (value: string) => value.trim() === '';

const canonicalType = (type: string) => ALLOWED_APP_TYPES.find((t) => t.toLowerCase() === `#${type.replace(/^#/, '')}`.toLowerCase());

/** Parses one allowed-app entry; undefined when it is not the documented JSON string. */
export function parseAllowedApp(value: string): AllowedApp | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { id, type } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || typeof type !== 'string') return undefined;
  return { id, type };
}

/** The stored @odata.type of each id found in the collection, keyed by lower-cased id (Intune ids are GUIDs). */
async function storedTypes(scope: Scope, collection: string, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await scope.db
    .selectFrom('intune_objects')
    .select(['id', 'odata_type'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', collection)
    .where('id', 'in', ids.map((id) => id.toLowerCase()))
    .execute();
  return new Map(rows.map((r) => [r.id.toLowerCase(), r.odata_type]));
}

/** Checks the allowed-app entries of `settingId` (already counted): shape, supported type, existence, no repeats. */
export async function checkAllowedApps(scope: Scope, settingId: string, values: readonly string[]): Promise<void> {
  const apps: AllowedApp[] = [];
  for (const [i, value] of values.entries()) {
    if (isBlankEntry(value)) continue;
    const app = parseAllowedApp(value);
    if (!app) {
      throw intuneBadRequest(`Entry ${i} of '${settingId}' must be a JSON string {"id":"<mobileAppId>","type":"#microsoft.graph.<appType>"}, not '${value}'.`, settingId);
    }
    if (!canonicalType(app.type)) {
      throw intuneBadRequest(
        `Entry ${i} of '${settingId}': '${app.type}' is not an app type Windows Autopilot device preparation can install; use one of ${ALLOWED_APP_TYPES.join(', ')}.`,
        settingId,
      );
    }
    if (apps.some((a) => a.id.toLowerCase() === app.id.toLowerCase())) throw intuneBadRequest(`App '${app.id}' is listed twice in '${settingId}'.`, settingId);
    apps.push(app);
  }
  const found = await storedTypes(scope, MOBILE_APPS, apps.map((a) => a.id));
  for (const app of apps) {
    if (!found.has(app.id.toLowerCase())) throw intuneBadRequest(`'${settingId}' names app '${app.id}', which does not exist in this tenant.`, settingId);
    const actual = found.get(app.id.toLowerCase()) ?? '';
    if (actual.toLowerCase() !== canonicalType(app.type)!.toLowerCase()) {
      throw intuneBadRequest(`'${settingId}' says app '${app.id}' is a ${app.type}, but it is a ${actual || 'app of unknown type'}.`, settingId);
    }
  }
}

/** Checks the allowed-script entries of `settingId`: each one the id of an existing platform script, no repeats. */
export async function checkAllowedScripts(scope: Scope, settingId: string, values: readonly string[]): Promise<void> {
  const ids = values.filter((v) => !isBlankEntry(v));
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id.toLowerCase())) throw intuneBadRequest(`Script '${id}' is listed twice in '${settingId}'.`, settingId);
    seen.add(id.toLowerCase());
  }
  const found = await storedTypes(scope, PLATFORM_SCRIPTS, ids);
  const missing = ids.find((id) => !found.has(id.toLowerCase()));
  if (missing !== undefined) throw intuneBadRequest(`'${settingId}' names platform script '${missing}', which does not exist in this tenant.`, settingId);
}
