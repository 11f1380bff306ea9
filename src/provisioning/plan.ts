// What a deployment installs, and why: the tracked items in the order setup installs them, the selected items
// it skips (with the reason), and what installs after the desktop appears.
// Device preparation (behaviour.md §1.2, §1.7): an item is tracked only when it is selected in the policy AND
// assigned to the device group (apps Required, in System context; scripts run as System). LOB and Microsoft
// 365 apps install first (Policy installation), then scripts (Script installation), then Win32, Store and
// Enterprise App Catalog apps (App installation).
// Enrollment Status Page (§5.4, §5.5): blocking Required apps targeted at the device install in Device setup,
// those targeted at the user in Account setup; other Required apps wait until after the ESP.
import type { Scope } from '../server/context.js';
import { appAssignmentsForGroups, type AppForDevice } from '../intune/app-deployments.js';
import { scriptsForGroups, type ScriptForDevice } from '../intune/script-deployments.js';
import { getIntuneObject } from '../intune/resource.js';
import { MOBILE_APPS } from '../intune/mobile-app-assignments.js';
import { PLATFORM_SCRIPTS } from '../intune/platform-scripts.js';
import { OFFICE_SUITE_APP, WIN32_LOB_APP, WINDOWS_MSI_APP } from '../intune/mobile-app-types.js';
import { GraphError } from '../graph/errors.js';
import type { DevicePreparationPolicy } from '../intune/device-preparation-policy.js';
import type { DeploymentItem, Phase, StatusPageRef } from './deployment.js';
import type { ItemKind, ItemOutcome } from './simulation.js';

/** Memoises a read by key (for one transaction); `uncached` reads every time. */
export type Cached = <T>(key: string, load: () => Promise<T>) => Promise<T>;
export const uncached: Cached = (_key, load) => load();

/** Decides how long an item takes and how it ends (seeded per device, deployment and item). */
export type OutcomeOf = (kind: ItemKind, id: string, displayName: string) => ItemOutcome;

/** Types that install in device preparation's first phase with the initial policy (LOB and Microsoft 365). */
const POLICY_PHASE_TYPES = new Set([WINDOWS_MSI_APP, '#microsoft.graph.windowsUniversalAppX', OFFICE_SUITE_APP]);

function item(kind: ItemKind, id: string, displayName: string, odataType: string | null, phase: Phase | null, outcome: ItemOutcome | null): DeploymentItem {
  return {
    kind,
    id,
    displayName,
    odataType,
    phase,
    tracked: phase !== null && outcome !== null,
    status: 'notStarted',
    reasonCode: null,
    reason: null,
    // null is a hanging item: only a missing outcome means no time at all.
    durationSeconds: outcome ? outcome.durationSeconds : 0,
    exitCode: outcome?.exitCode ?? 0,
    startedAt: null,
    completedAt: null,
  };
}

const skipped = (base: DeploymentItem, reasonCode: string, reason: string): DeploymentItem => ({ ...base, tracked: true, status: 'skipped', reasonCode, reason, durationSeconds: 0 });
const afterSetup = (base: DeploymentItem, reason: string): DeploymentItem => ({ ...base, phase: null, tracked: false, reasonCode: 'installsAfterSetup', reason });

function nameOf(scope: Scope, collection: string, id: string, cached: Cached): Promise<{ displayName: string; odataType: string | null } | null> {
  return cached(`name|${collection}|${id}`, () => readName(scope, collection, id));
}

async function readName(scope: Scope, collection: string, id: string): Promise<{ displayName: string; odataType: string | null } | null> {
  try {
    const o = await getIntuneObject(scope, { collection }, id);
    return { displayName: String(o.displayName ?? id), odataType: typeof o['@odata.type'] === 'string' ? o['@odata.type'] : null };
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return null;
    throw err;
  }
}

export interface DevicePreparationPlanInput {
  readonly policy: DevicePreparationPolicy;
  /** Whether the device is in the policy's device group (enrollment-time grouping worked). */
  readonly inDeviceGroup: boolean;
  readonly deviceGroupReason: string | null;
  /** Every group the device and the user are in, for what installs after setup. */
  readonly deviceGroupIds: readonly string[];
  readonly userGroupIds: readonly string[];
  /** Standard user with the Entra local administrator setting not All: provisioning is skipped (§1.9). */
  readonly provisioningSkipped: boolean;
  readonly outcomeOf: OutcomeOf;
  readonly cached?: Cached;
}

export async function planDevicePreparation(scope: Scope, input: DevicePreparationPlanInput): Promise<DeploymentItem[]> {
  const { policy } = input;
  const cached = input.cached ?? uncached;
  const group = policy.deviceGroupId && input.inDeviceGroup ? policy.deviceGroupId : null;
  const groupApps = group ? await cached(`apps|${group}`, () => appAssignmentsForGroups(scope, [group])) : [];
  const groupScripts = group ? await cached(`scripts|${group}`, () => scriptsForGroups(scope, [group])) : [];
  const notInGroup = (): [string, string] =>
    policy.deviceGroupId === null
      ? ['noDeviceGroup', `The policy '${policy.name}' has no device group, so nothing is assigned to the device at enrollment.`]
      : ['deviceNotInDeviceGroup', `The device was not added to the policy's device group at enrollment (${input.deviceGroupReason ?? 'enrollment-time grouping failed'}), so the item does not apply to it.`];
  const lobApps: DeploymentItem[] = [];
  const win32Apps: DeploymentItem[] = [];
  const scripts: DeploymentItem[] = [];
  const chosen = new Set<string>();

  for (const selected of policy.allowedApps) {
    const id = selected.id.toLowerCase();
    chosen.add(`app|${id}`);
    const found = await nameOf(scope, MOBILE_APPS, id, cached);
    const odataType = found?.odataType ?? selected.type;
    const phase: Phase = POLICY_PHASE_TYPES.has(odataType) ? 'policyInstallation' : 'appInstallation';
    const name = found?.displayName ?? id;
    const base = item('app', id, name, odataType, phase, input.outcomeOf('app', id, name));
    const list = phase === 'policyInstallation' ? lobApps : win32Apps;
    if (!found) list.push(skipped(base, 'notFound', 'The app selected in the policy no longer exists.'));
    else if (input.provisioningSkipped) list.push(skipped(base, 'provisioningSkipped', PROVISIONING_SKIPPED));
    else if (!input.inDeviceGroup) list.push(skipped(base, ...notInGroup()));
    else list.push(appVerdict(base, groupApps.filter((a) => a.appId === id), policy));
  }
  for (const scriptId of policy.allowedScriptIds) {
    const id = scriptId.toLowerCase();
    chosen.add(`script|${id}`);
    const found = await nameOf(scope, PLATFORM_SCRIPTS, id, cached);
    const name = found?.displayName ?? id;
    const base = item('script', id, name, null, 'scriptInstallation', input.outcomeOf('script', id, name));
    if (!found) scripts.push(skipped(base, 'notFound', 'The script selected in the policy no longer exists.'));
    else if (input.provisioningSkipped) scripts.push(skipped(base, 'provisioningSkipped', PROVISIONING_SKIPPED));
    else if (!input.inDeviceGroup) scripts.push(skipped(base, ...notInGroup()));
    else scripts.push(scriptVerdict(base, groupScripts.find((s) => s.scriptId === id), policy));
  }
  const later = await installedAfterSetup(scope, input.deviceGroupIds, input.userGroupIds, chosen, input.outcomeOf, 'Not selected in the device preparation policy: installs after the desktop appears.', cached);
  return [...lobApps, ...scripts, ...win32Apps, ...later];
}

const PROVISIONING_SKIPPED =
  "Provisioning was skipped: the policy's user account type is Standard user while the Entra setting 'Registering user is added as local administrator' is not All (known issue, behaviour.md §1.9).";

function appVerdict(base: DeploymentItem, routes: readonly AppForDevice[], policy: DevicePreparationPolicy): DeploymentItem {
  const required = routes.find((r) => r.intent === 'required');
  if (!required) {
    const other = routes[0];
    if (other) return skipped(base, 'notRequired', `Assigned to the device group as ${other.intent}, not Required.`);
    return skipped(base, 'notAssignedToDeviceGroup', `Selected in the policy '${policy.name}' but not assigned to its device group, so it is not applicable to the device.`);
  }
  if (required.installContext !== 'system') return skipped(base, 'userContext', 'Installs in user context; during device preparation no user is signed in, so apps must install in System (device) context.');
  return base;
}

function scriptVerdict(base: DeploymentItem, script: ScriptForDevice | undefined, policy: DevicePreparationPolicy): DeploymentItem {
  if (!script) return skipped(base, 'notAssignedToDeviceGroup', `Selected in the policy '${policy.name}' but not assigned to its device group, so it does not run on the device.`);
  if (script.runAsAccount === 'user') return skipped(base, 'runsAsUser', "'Run this script using the logged on credentials' is Yes; during device preparation scripts must run as System.");
  return base;
}

/** Required apps and scripts that reach the device or the user and are not tracked: they install after setup. */
async function installedAfterSetup(
  scope: Scope,
  deviceGroupIds: readonly string[],
  userGroupIds: readonly string[],
  exclude: ReadonlySet<string>,
  outcomeOf: OutcomeOf,
  reason: string,
  cached: Cached,
): Promise<DeploymentItem[]> {
  const key = `${[...deviceGroupIds].sort().join(',')}|${[...userGroupIds].sort().join(',')}`;
  const apps = await cached(`requiredApps|${key}`, () => requiredAppsFor(scope, deviceGroupIds, userGroupIds));
  const scripts = await cached(`allScripts|${key}`, () => scriptsFor(scope, deviceGroupIds, userGroupIds));
  const out: DeploymentItem[] = [];
  for (const a of apps) if (!exclude.has(`app|${a.appId}`)) out.push(afterSetup(item('app', a.appId, a.displayName, a.odataType, null, outcomeOf('app', a.appId, a.displayName)), reason));
  for (const s of scripts) if (!exclude.has(`script|${s.scriptId}`)) out.push(afterSetup(item('script', s.scriptId, s.displayName, null, null, outcomeOf('script', s.scriptId, s.displayName)), reason));
  return out;
}

async function requiredAppsFor(scope: Scope, deviceGroupIds: readonly string[], userGroupIds: readonly string[]): Promise<AppForDevice[]> {
  const byId = new Map<string, AppForDevice>();
  const device = await appAssignmentsForGroups(scope, deviceGroupIds, { allDevices: true });
  const user = await appAssignmentsForGroups(scope, userGroupIds, { allUsers: true });
  for (const a of [...device, ...user]) if (a.intent === 'required' && !byId.has(a.appId)) byId.set(a.appId, a);
  return [...byId.values()];
}

async function scriptsFor(scope: Scope, deviceGroupIds: readonly string[], userGroupIds: readonly string[]): Promise<ScriptForDevice[]> {
  const byId = new Map<string, ScriptForDevice>();
  for (const s of [...(await scriptsForGroups(scope, deviceGroupIds, { allDevices: true })), ...(await scriptsForGroups(scope, userGroupIds, { allUsers: true }))]) {
    if (!byId.has(s.scriptId)) byId.set(s.scriptId, s);
  }
  return [...byId.values()];
}

export interface StatusPagePlanInput {
  readonly statusPage: StatusPageRef;
  readonly deviceGroupIds: readonly string[];
  readonly userGroupIds: readonly string[];
  readonly outcomeOf: OutcomeOf;
  readonly cached?: Cached;
}

/** The Enrollment Status Page's tracked apps (Device setup, then Account setup) and what installs after it. */
export async function planStatusPage(scope: Scope, input: StatusPagePlanInput): Promise<DeploymentItem[]> {
  const esp = input.statusPage;
  const cached = input.cached ?? uncached;
  const chosen = new Set<string>();
  const deviceSetup: DeploymentItem[] = [];
  const accountSetup: DeploymentItem[] = [];
  if (esp.showInstallationProgress) {
    const blocking = (appId: string) => esp.selectedAppIds.length === 0 || esp.selectedAppIds.some((s) => s.toLowerCase() === appId);
    const deviceApps = (await appAssignmentsForGroups(scope, input.deviceGroupIds, { allDevices: true })).filter((a) => a.intent === 'required');
    // LOB MSIs first: Windows installs them through MDM while the IME installs Win32 apps (see the conflict below).
    const order = (a: AppForDevice) => (a.odataType === WINDOWS_MSI_APP ? 0 : 1);
    for (const a of [...deviceApps].sort((x, y) => order(x) - order(y))) {
      if (!blocking(a.appId) || a.installContext !== 'system') continue;
      chosen.add(`app|${a.appId}`);
      deviceSetup.push(item('app', a.appId, a.displayName, a.odataType, 'deviceSetup', input.outcomeOf('app', a.appId, a.displayName)));
    }
    const userApps = (await appAssignmentsForGroups(scope, input.userGroupIds, { allUsers: true })).filter((a) => a.intent === 'required');
    for (const a of userApps) {
      if (!blocking(a.appId) || chosen.has(`app|${a.appId}`)) continue;
      chosen.add(`app|${a.appId}`);
      accountSetup.push(item('app', a.appId, a.displayName, a.odataType, 'accountSetup', input.outcomeOf('app', a.appId, a.displayName)));
    }
    markInstallerConflict(deviceSetup);
  }
  const reason = esp.showInstallationProgress
    ? 'Not a blocking app of the Enrollment Status Page (or a script, which the ESP does not track): installs after setup.'
    : `The Enrollment Status Page '${esp.displayName}' does not show app and profile progress, so nothing is tracked: installs after the desktop appears.`;
  const later = await installedAfterSetup(scope, input.deviceGroupIds, input.userGroupIds, chosen, input.outcomeOf, reason, cached);
  return [...deviceSetup, ...accountSetup, ...later];
}

/**
 * Under the ESP, LOB MSI and Win32 apps both use TrustedInstaller: the Win32 install fails with "Another
 * installation is in progress, please try again later" (behaviour.md §3.2), exit code 1618.
 */
function markInstallerConflict(deviceSetup: DeploymentItem[]): void {
  if (!deviceSetup.some((i) => i.odataType === WINDOWS_MSI_APP)) return;
  const index = deviceSetup.findIndex((i) => i.odataType === WIN32_LOB_APP);
  if (index < 0) return;
  const victim = deviceSetup[index]!;
  deviceSetup[index] = { ...victim, exitCode: 1618, reasonCode: 'installerConflict', reason: 'Another installation is in progress, please try again later. (LOB MSI and Win32 apps tracked together by the ESP both use TrustedInstaller.)' };
}
