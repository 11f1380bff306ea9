// Which enrollment configuration applies: the Enrollment Status Page a device gets, and the Windows platform
// restriction and device limit a user enrolls under, for the deployment engine, explain and pre-flight checks.
// Sources: memdocs intune/enrollment/windows-enrollment-status.md "Prioritize profiles" (device-targeted profile
// first, then user-targeted "only in scenarios where there is a user", then the default; 1 is the highest
// priority); enrollment-restrictions-set.md ("Users are subject only to the highest priority restriction assigned
// to a group that they are in"; non-user-driven enrollments get only the default; "Windows 10 does not provide the
// rev number during enrollment"); behaviour.md §1.4 and §5.5.
import type { Scope } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { readJson } from '../store/db.js';
import { ALL_DEVICES_TARGET, ALL_USERS_TARGET, EXCLUSION_TARGET, GROUP_TARGET, type Assignment } from './assignments.js';
import { getIntuneObject, type IntuneObject } from './resource.js';
import { GraphError } from '../graph/errors.js';
import { ENROLLMENT_CONFIGURATIONS, ESP_TYPE, LIMIT_TYPE, PLATFORMS_TYPE, SINGLE_PLATFORM_TYPE, priorityFamily } from './enrollment-configuration-types.js';
import { familyMembers } from './enrollment-priority.js';
import { builtInDefault } from './enrollment-defaults.js';
import { compareVersions, type PlatformRestriction } from './enrollment-restrictions.js';

/**
 * Says whether a device matches an assignment filter (by the filter's id). Without one, assignment filters are
 * not evaluated and every assignment counts as matching.
 */
export type FilterMatcher = (filterId: string) => boolean | Promise<boolean>;

export interface EffectiveConfiguration {
  readonly configuration: IntuneObject;
  /** How it was chosen: assigned to the device's groups, to the user's groups, or the tenant default. */
  readonly source: 'device' | 'user' | 'default';
}

export interface StatusPageTargets {
  /** Every group the device is a member of (transitively). */
  readonly deviceGroupIds: readonly string[];
  /** Every group the user is a member of; omit when there is no user (self-deploying, pre-provisioning). */
  readonly userGroupIds?: readonly string[];
  readonly matchesFilter?: FilterMatcher;
}

export interface UserTargets {
  readonly userGroupIds: readonly string[];
  /** False for enrollments without a user (self-deploying, pre-provisioning): only the default applies. */
  readonly userDriven?: boolean;
  readonly matchesFilter?: FilterMatcher;
}

/** The Enrollment Status Page profile a device gets. */
export async function effectiveEnrollmentStatusPage(scope: Scope, targets: StatusPageTargets): Promise<EffectiveConfiguration> {
  const candidates = await rankedWithAssignments(scope, priorityFamily({ '@odata.type': ESP_TYPE }));
  const device = await firstApplying(candidates, targets.deviceGroupIds, ALL_DEVICES_TARGET, targets.matchesFilter);
  if (device) return { configuration: device, source: 'device' };
  if (targets.userGroupIds) {
    const user = await firstApplying(candidates, targets.userGroupIds, ALL_USERS_TARGET, targets.matchesFilter);
    if (user) return { configuration: user, source: 'user' };
  }
  return { configuration: await defaultOf(scope, ESP_TYPE), source: 'default' };
}

export interface EffectiveRestriction extends EffectiveConfiguration {
  /** The Windows settings of the chosen configuration (platformRestriction, or the default's windowsRestriction). */
  readonly restriction: PlatformRestriction;
}

/** The Windows device platform restriction a user's enrollment is checked against. */
export async function effectiveWindowsRestriction(scope: Scope, targets: UserTargets): Promise<EffectiveRestriction> {
  if (targets.userDriven !== false) {
    const candidates = await rankedWithAssignments(scope, priorityFamily({ '@odata.type': SINGLE_PLATFORM_TYPE, platformType: 'windows' }));
    const user = await firstApplying(candidates, targets.userGroupIds, ALL_USERS_TARGET, targets.matchesFilter);
    if (user) return { configuration: user, source: 'user', restriction: user.platformRestriction as PlatformRestriction };
  }
  const fallback = await defaultOf(scope, PLATFORMS_TYPE);
  return { configuration: fallback, source: 'default', restriction: fallback.windowsRestriction as PlatformRestriction };
}

/**
 * The device limit restriction a user enrolls under. Intune does not apply it to Microsoft Entra join, Autopilot
 * or bulk enrollments (behaviour.md §1.4); the caller decides whether the enrollment is one it counts for.
 */
export async function effectiveDeviceLimit(scope: Scope, targets: UserTargets): Promise<EffectiveConfiguration & { readonly limit: number }> {
  if (targets.userDriven !== false) {
    const candidates = await rankedWithAssignments(scope, priorityFamily({ '@odata.type': LIMIT_TYPE }));
    const user = await firstApplying(candidates, targets.userGroupIds, ALL_USERS_TARGET, targets.matchesFilter);
    if (user) return { configuration: user, source: 'user', limit: Number(user.limit) };
  }
  const fallback = await defaultOf(scope, LIMIT_TYPE);
  return { configuration: fallback, source: 'default', limit: Number(fallback.limit) };
}

export type WindowsEnrollmentVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: 'platformBlocked' | 'personalBlocked' | 'osBelowMinimum' | 'osAboveMaximum' | 'skuBlocked'; readonly message: string };

/**
 * Whether a Windows enrollment passes a platform restriction. `personal` is the ownership Intune gives the
 * enrollment (Autopilot, bulk, GPO/co-management and DEM enrollments count as corporate; see behaviour.md §3.4).
 * Windows reports major.minor.build without the rev, so a rev in the minimum is compared against 0.
 */
export function windowsEnrollmentVerdict(restriction: PlatformRestriction, device: { osVersion?: string; personal: boolean; sku?: string }): WindowsEnrollmentVerdict {
  if (restriction.platformBlocked) return { allowed: false, reason: 'platformBlocked', message: 'Windows (MDM) enrollment is blocked by the device platform restriction.' };
  if (device.personal && restriction.personalDeviceEnrollmentBlocked) {
    return { allowed: false, reason: 'personalBlocked', message: 'Personally owned Windows devices are blocked from enrolling, and this enrollment is not authorised as corporate.' };
  }
  const reported = device.osVersion?.split('.').slice(0, 3).join('.');
  if (reported && restriction.osMinimumVersion && compareVersions(reported, restriction.osMinimumVersion) < 0) {
    return { allowed: false, reason: 'osBelowMinimum', message: `Windows ${reported} is below the minimum version ${restriction.osMinimumVersion}.` };
  }
  if (reported && restriction.osMaximumVersion && compareVersions(reported, restriction.osMaximumVersion) > 0) {
    return { allowed: false, reason: 'osAboveMaximum', message: `Windows ${reported} is above the maximum version ${restriction.osMaximumVersion}.` };
  }
  if (device.sku && restriction.blockedSkus.some((s) => s.toLowerCase() === device.sku!.toLowerCase())) {
    return { allowed: false, reason: 'skuBlocked', message: `The Windows edition ${device.sku} is blocked from enrolling.` };
  }
  return { allowed: true };
}

type Ranked = IntuneObject & { readonly assignments: readonly Assignment[] };

/** A family's custom configurations, highest priority first, each with its assignments (one query for all). */
async function rankedWithAssignments(scope: Scope, family: string): Promise<Ranked[]> {
  const members = await familyMembers(scope, family);
  if (members.length === 0) return [];
  const rows = await scope.db
    .selectFrom('intune_assignments')
    .select(['object_id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', ENROLLMENT_CONFIGURATIONS)
    .where('object_id', 'in', members.map((m) => m.id))
    .execute();
  const byObject = new Map<string, Assignment[]>();
  for (const r of rows) byObject.set(r.object_id, [...(byObject.get(r.object_id) ?? []), readJson<Assignment>(r.data)]);
  return members.map((m) => ({ ...m, assignments: byObject.get(m.id) ?? [] }));
}

/** The first configuration (by priority) with an included target among the groups, not excluded by them. */
async function firstApplying(candidates: readonly Ranked[], groupIds: readonly string[], allTarget: string, matches?: FilterMatcher): Promise<Ranked | undefined> {
  const groups = new Set(groupIds.map((g) => g.toLowerCase()));
  for (const c of candidates) {
    const excluded = c.assignments.some((a) => a.target['@odata.type'] === EXCLUSION_TARGET && groups.has(String(a.target.groupId)));
    if (excluded) continue;
    for (const a of c.assignments) {
      const type = a.target['@odata.type'];
      const included = type === allTarget || (type === GROUP_TARGET && groups.has(String(a.target.groupId)));
      if (included && (await passesFilter(a, matches))) return c;
    }
  }
  return undefined;
}

async function passesFilter(a: Assignment, matches?: FilterMatcher): Promise<boolean> {
  const type = a.target.deviceAndAppManagementAssignmentFilterType;
  const id = a.target.deviceAndAppManagementAssignmentFilterId;
  if (!matches || typeof id !== 'string' || (type !== 'include' && type !== 'exclude')) return true;
  const hit = await matches(id);
  return type === 'include' ? hit : !hit;
}

/** The tenant's default of a kind; a tenant created before defaults existed gets the built-in values. */
async function defaultOf(scope: Scope, odataType: string): Promise<IntuneObject> {
  const fallback = builtInDefault(scope.tenantId, odataType, isoNow(scope.clock));
  try {
    return await getIntuneObject(scope, { collection: ENROLLMENT_CONFIGURATIONS }, fallback.id);
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return fallback;
    throw err;
  }
}
