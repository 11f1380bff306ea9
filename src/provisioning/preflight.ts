// Pre-flight check of a whole tenant: reads the configuration the deployment engine reads and reports what
// would make device preparation or classic Autopilot fail, skip work or behave unexpectedly, before a device
// tries (behaviour.md §6). Pure reads; the rules are the engine's own: the device group check
// (validateDeviceGroup), the policy a user gets (policyTargetsUser), what a deployment tracks and why it skips
// an item (planDevicePreparation, planStatusPage), the join, MDM scope and restriction checks (checks.ts,
// effective-enrollment.ts), simulated durations (itemOutcome). What each finding says is in
// preflight-findings.ts.
// Scale: the work is per policy, per group, per profile and per distinct combination of the groups the
// checks read; users and Autopilot devices are read in a few bulk queries, never one query each.
import { sql } from 'kysely';
import type { AppContext, Scope } from '../server/context.js';
import { tenantScopeNow } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { readJson } from '../store/db.js';
import { getTenant } from '../control/tenants.js';
import { checkRule } from '../rules/index.js';
import { getDeviceRegistrationPolicy, ALL, ENUMERATED, type Membership } from '../directory/device-registration-policy.js';
import { includedGroups, INTUNE_MDM_APP_ID } from '../directory/mobility-policies.js';
import { isDynamic, isUnified } from '../directory/group-types.js';
import { findServicePrincipalByAppId, INTUNE_PROVISIONING_CLIENT_APP_ID } from '../identity/service-principals.js';
import { ALL_DEVICES_TARGET, ALL_USERS_TARGET, EXCLUSION_TARGET, GROUP_TARGET } from '../intune/assignments.js';
import { appAssignmentsForGroups } from '../intune/app-deployments.js';
import { devicePreparationPolicies, type DevicePreparationPolicy } from '../intune/device-preparation-policy.js';
import { ALLOWED_APP_TYPES } from '../intune/device-preparation-allowed-items.js';
import { DPP_SETTING, MAX_ALLOWED_APPS, MAX_ALLOWED_SCRIPTS, devicePreparationTemplate, settingDefinition } from '../intune/device-preparation-templates.js';
import { effectiveWindowsRestriction, windowsEnrollmentVerdict } from '../intune/effective-enrollment.js';
import { hasWindowsCorporateIdentifiers } from '../intune/corporate-identifiers.js';
import { listIntuneObjects, getIntuneObject, type IntuneObject } from '../intune/resource.js';
import { AUTOPILOT_DEVICES, AUTOPILOT_PROFILES } from '../intune/autopilot-collections.js';
import { deviceNameTemplateProblem } from '../intune/device-name-template.js';
import { ENROLLMENT_CONFIGURATIONS, ESP_TYPE, defaultId, kindOf, priorityFamily } from '../intune/enrollment-configuration-types.js';
import { familyMembers } from '../intune/enrollment-priority.js';
import { builtInDefault } from '../intune/enrollment-defaults.js';
import { MAX_SELECTED_APPS } from '../intune/enrollment-status-page.js';
import { MOBILE_APPS } from '../intune/mobile-app-assignments.js';
import { PLATFORM_SCRIPTS } from '../intune/platform-scripts.js';
import { OFFICE_SUITE_APP, WIN32_LOB_APP, WINDOWS_MSI_APP } from '../intune/mobile-app-types.js';
import { GraphError } from '../graph/errors.js';
import { joinSettingsFor, mdmScopeBlocker, type JoinSettings } from './checks.js';
import { policyTargetsUser } from './path.js';
import { planDevicePreparation, planStatusPage, type Cached, type OutcomeOf } from './plan.js';
import { itemOutcome, loadSimulation } from './simulation.js';
import { STEP_SECONDS, TransactionMemo, statusPageRef } from './engine.js';
import type { DeploymentItem, StatusPageRef } from './deployment.js';
import { byWorstFirst, finding, type Finding, type FindingId, type FindingObject } from './preflight-findings.js';

export type { Finding, FindingObject, Severity } from './preflight-findings.js';

export interface PreflightReport {
  readonly summary: { readonly errors: number; readonly warnings: number; readonly info: number };
  readonly findings: readonly Finding[];
  readonly checkedDateTime: string;
}

/** `GET /_tarmac/tenants/{id}/preflight`: 404 for an unknown tenant, else the report on the tenant's clock. */
export async function preflightForTenant(ctx: AppContext, tenantId: string): Promise<PreflightReport> {
  const tenant = await getTenant(ctx, tenantId);
  return preflight(await tenantScopeNow(ctx, tenant.id));
}

/** Checks the whole tenant; findings worst first. */
export async function preflight(scope: Scope): Promise<PreflightReport> {
  const c = await context(scope);
  const winnerOf = await checkDevicePreparation(c);
  const autopilot = await checkClassicAutopilot(c, winnerOf);
  await checkStatusPages(c, autopilot);
  const findings = [...c.findings].sort(byWorstFirst);
  return {
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      info: findings.filter((f) => f.severity === 'info').length,
    },
    findings,
    checkedDateTime: isoNow(scope.clock),
  };
}

// ---------------------------------------------------------------------------------------------------------
// What every check shares

interface GroupInfo {
  readonly id: string;
  readonly displayName: string;
  readonly security: boolean;
  readonly dynamic: boolean;
  readonly roleAssignable: boolean;
  readonly rule: string | null;
}

interface Ctx {
  readonly scope: Scope;
  readonly cached: Cached;
  readonly findings: Finding[];
  /** The simulated worst case of each app and script (the tenant's simulation settings, no per-device behaviour). */
  readonly worst: OutcomeOf;
  group(id: string): GroupInfo | undefined;
  loadGroups(ids: Iterable<string>): Promise<void>;
  /** Child group → parent groups and back (group-in-group `members` links). */
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  add<K extends FindingId>(id: K, object: FindingObject, params: Parameters<typeof finding<K>>[2]): void;
}

const CHUNK = 500;
const EMPTY: ReadonlySet<string> = new Set();
/** A draw just below 1: the longest duration of a range, and no random failure. */
const WORST_DRAW = { next: () => 1 - 2 ** -32, int: (_min: number, max: number) => max };

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) for (const row of await load(ids.slice(i, i + CHUNK))) out.push(row);
  return out;
}

async function context(scope: Scope): Promise<Ctx> {
  const simulation = await loadSimulation(scope);
  const groups = new Map<string, GroupInfo | null>();
  // Group-in-group links, found from the groups side (an index lookup per group, not a scan of every member).
  const nesting = await scope.db
    .selectFrom('groups as g')
    .innerJoin('links as l', (j) => j.onRef('l.tenant_id', '=', 'g.tenant_id').onRef('l.target_id', '=', 'g.id').on('l.rel', '=', 'members'))
    .select(['l.source_id', 'l.target_id'])
    .where('g.tenant_id', '=', scope.tenantId)
    .execute();
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const l of nesting) {
    push(parents, l.target_id, l.source_id);
    push(children, l.source_id, l.target_id);
  }
  const findings: Finding[] = [];
  return {
    scope,
    cached: new TransactionMemo().get,
    findings,
    worst: (kind, id) => itemOutcome(simulation, undefined, kind, id, WORST_DRAW),
    group: (id) => groups.get(id.toLowerCase()) ?? undefined,
    async loadGroups(ids) {
      const wanted = [...new Set([...ids].map((i) => i.toLowerCase()))].filter((id) => !groups.has(id));
      const rows = await inChunks(wanted, (chunk) =>
        scope.db.selectFrom('groups').select(['id', 'data', 'membership_rule']).where('tenant_id', '=', scope.tenantId).where('id', 'in', chunk).execute(),
      );
      for (const id of wanted) groups.set(id, null);
      for (const r of rows) {
        const data = readJson(r.data);
        groups.set(r.id, {
          id: r.id,
          displayName: String(data.displayName ?? r.id),
          security: data.securityEnabled === true && !isUnified(data),
          dynamic: isDynamic(data),
          roleAssignable: data.isAssignableToRole === true,
          rule: r.membership_rule,
        });
      }
    },
    parents,
    children,
    add: (id, object, params) => findings.push(finding(id, object, params)),
  };
}

/** The groups reachable from `roots` through nesting (the roots included): where their members can sit. */
function descendants(c: Ctx, roots: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (out.has(g)) continue;
    out.add(g);
    stack.push(...(c.children.get(g) ?? []));
  }
  return out;
}

/** For each group, which of the `relevant` groups hold its members (itself, and the groups it is nested in). */
function ancestorsWithin(c: Ctx, relevant: ReadonlySet<string>): (groupId: string) => readonly string[] {
  const known = new Map<string, string[]>();
  return (groupId) => {
    let found = known.get(groupId);
    if (found) return found;
    const seen = new Set<string>();
    const stack = [groupId];
    while (stack.length > 0) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...(c.parents.get(g) ?? []));
    }
    found = [...seen].filter((g) => relevant.has(g));
    known.set(groupId, found);
    return found;
  };
}

/** Direct members of a kind in these groups, as (group, member) pairs. */
function membersOfKind(c: Ctx, groupIds: Iterable<string>, kind: 'user' | 'device') {
  return inChunks([...groupIds], (chunk) =>
    c.scope.db
      .selectFrom('links')
      .select(['source_id', 'target_id'])
      .where('tenant_id', '=', c.scope.tenantId)
      .where('rel', '=', 'members')
      .where('target_kind', '=', kind)
      .where('source_id', 'in', chunk)
      .execute(),
  );
}

const policyObject = (p: DevicePreparationPolicy): FindingObject => ({ type: 'deviceManagementConfigurationPolicy', id: p.id, displayName: p.name });
const groupObject = (g: GroupInfo): FindingObject => ({ type: 'group', id: g.id, displayName: g.displayName });
const intuneObject = (o: IntuneObject): FindingObject => ({ type: String(o['@odata.type'] ?? '').replace('#microsoft.graph.', ''), id: o.id, displayName: String(o.displayName ?? o.id) });
const groupName = (c: Ctx, id: string) => c.group(id)?.displayName ?? id;

/** Intune objects of a collection by id (one query per 500), for names. */
async function intuneObjects(c: Ctx, collection: string, ids: Iterable<string>): Promise<Map<string, IntuneObject>> {
  const rows = await inChunks([...new Set(ids)], (chunk) =>
    c.scope.db.selectFrom('intune_objects').select(['id', 'data']).where('tenant_id', '=', c.scope.tenantId).where('collection', '=', collection).where('id', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.id, { ...readJson(r.data), id: r.id }]));
}

// ---------------------------------------------------------------------------------------------------------
// Device preparation

/** The device preparation checks; returns which policy each targeted user gets (for the precedence check). */
async function checkDevicePreparation(c: Ctx): Promise<Map<string, DevicePreparationPolicy>> {
  const scope = c.scope;
  const policies = await devicePreparationPolicies(scope);
  if (policies.length === 0) return new Map();
  const provisioningClient = await findServicePrincipalByAppId(scope, INTUNE_PROVISIONING_CLIENT_APP_ID);
  if (!provisioningClient) {
    c.add('dpProvisioningClientMissing', { type: 'servicePrincipal', id: INTUNE_PROVISIONING_CLIENT_APP_ID, displayName: 'Intune Provisioning Client' }, { policies: policies.map((p) => p.name), appId: INTUNE_PROVISIONING_CLIENT_APP_ID });
  }
  await checkDeviceGroups(c, policies, provisioningClient !== undefined);
  for (const policy of policies) await checkPolicySettingsAndItems(c, policy);
  return checkUsers(c, policies.filter((p) => p.mode === 'userDriven'));
}

async function checkDeviceGroups(c: Ctx, policies: readonly DevicePreparationPolicy[], provisioningClientExists: boolean): Promise<void> {
  const byGroup = new Map<string, DevicePreparationPolicy[]>();
  for (const p of policies) {
    if (p.deviceGroupId === null) c.add('dpNoDeviceGroup', policyObject(p), { policy: p.name });
    else byGroup.set(p.deviceGroupId.toLowerCase(), [...(byGroup.get(p.deviceGroupId.toLowerCase()) ?? []), p]);
  }
  if (byGroup.size === 0) return;
  await c.loadGroups(byGroup.keys());
  const classicTargets = await classicTargetsOf(c, [...byGroup.keys()]);
  for (const [groupId, users] of byGroup) {
    const names = users.map((p) => p.name);
    const group = c.group(groupId);
    // The engine's own validation of the group (validateDeviceGroup), as the policy reads it today.
    const status = users[0]!.deviceGroupStatus;
    if (!group || status === 'securityGroupNotFound') {
      for (const p of users) c.add('dpDeviceGroupDeleted', policyObject(p), { policy: p.name, group: groupId });
      continue;
    }
    const object = groupObject(group);
    if (status === 'notSecurityGroup') c.add('dpDeviceGroupNotSecurity', object, { group: group.displayName, policies: names });
    if (status === 'notStaticSecurityGroup') c.add('dpDeviceGroupDynamic', object, { group: group.displayName, policies: names });
    if (status === 'firstPartyAppNotAnOwner' && provisioningClientExists) c.add('dpDeviceGroupNotOwned', object, { group: group.displayName, policies: names, appId: INTUNE_PROVISIONING_CLIENT_APP_ID });
    if (group.roleAssignable) c.add('dpDeviceGroupRoleAssignable', object, { group: group.displayName, policies: names });
    const targets = classicTargets.get(groupId);
    if (targets) c.add('dpDeviceGroupUsedByAutopilot', object, { group: group.displayName, policies: names, targets });
    if (users.length > 1) c.add('dpDeviceGroupShared', object, { group: group.displayName, policies: names });
  }
}

/** Deployment profiles and Enrollment Status Pages assigned to these groups, by group. */
async function classicTargetsOf(c: Ctx, groupIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await inChunks(groupIds, (chunk) =>
    c.scope.db
      .selectFrom('intune_assignments as a')
      .innerJoin('intune_objects as o', (j) => j.onRef('o.tenant_id', '=', 'a.tenant_id').onRef('o.collection', '=', 'a.collection').onRef('o.id', '=', 'a.object_id'))
      .select(['a.group_id', 'a.collection', 'o.data', 'o.odata_type'])
      .where('a.tenant_id', '=', c.scope.tenantId)
      .where('a.collection', 'in', [AUTOPILOT_PROFILES, ENROLLMENT_CONFIGURATIONS])
      .where('a.target_type', '=', GROUP_TARGET)
      .where('a.group_id', 'in', chunk)
      .execute(),
  );
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (r.collection === ENROLLMENT_CONFIGURATIONS && r.odata_type !== ESP_TYPE) continue;
    const what = r.collection === AUTOPILOT_PROFILES ? 'the deployment profile' : 'the Enrollment Status Page';
    const name = `${what} '${String(readJson(r.data).displayName ?? '')}'`;
    out.set(r.group_id!, [...(out.get(r.group_id!) ?? []), name]);
  }
  return out;
}

async function checkPolicySettingsAndItems(c: Ctx, policy: DevicePreparationPolicy): Promise<void> {
  const object = policyObject(policy);
  if (policy.allowedApps.length > MAX_ALLOWED_APPS) c.add('dpTooManyApps', object, { policy: policy.name, count: policy.allowedApps.length });
  if (policy.allowedScriptIds.length > MAX_ALLOWED_SCRIPTS) c.add('dpTooManyScripts', object, { policy: policy.name, count: policy.allowedScriptIds.length });
  const template = devicePreparationTemplate(policy.templateId);
  const timeout = template ? settingDefinition(template, DPP_SETTING.timeout) : undefined;
  const inRange = !timeout || (policy.timeoutMinutes >= timeout.min! && policy.timeoutMinutes <= timeout.max!);
  if (!inRange) c.add('dpTimeoutOutOfRange', object, { policy: policy.name, minutes: policy.timeoutMinutes });

  // What a deployment of this policy would track, as the engine plans it (as if the device joined the group).
  const group = policy.deviceGroupId?.toLowerCase() ?? null;
  const items = (
    await planDevicePreparation(c.scope, {
      policy,
      inDeviceGroup: group !== null,
      deviceGroupReason: null,
      deviceGroupIds: [],
      userGroupIds: [],
      provisioningSkipped: false,
      outcomeOf: c.worst,
      cached: c.cached,
    })
  ).filter((i) => i.phase !== null);
  const excluded = group ? await excludedFrom(c, group) : EMPTY;
  const routes = group ? await c.cached(`apps|${group}`, () => appAssignmentsForGroups(c.scope, [group])) : [];
  const groupLabel = group ? groupName(c, group) : '';
  const missing = items.filter((i) => i.reasonCode === 'notFound');
  if (missing.length > 0) c.add('dpSelectedItemMissing', object, { policy: policy.name, items: missing.map((i) => `${i.kind} ${i.id}`), count: missing.length });
  for (const item of items) {
    const itemObject: FindingObject = { type: item.kind === 'app' ? 'mobileApp' : 'deviceManagementScript', id: item.id, displayName: item.displayName };
    const base = { policy: policy.name, item: item.displayName };
    if (item.reasonCode === 'notFound') continue;
    if (item.kind === 'app' && !ALLOWED_APP_TYPES.some((t) => t.toLowerCase() === (item.odataType ?? '').toLowerCase())) {
      c.add('dpAppUnsupportedType', itemObject, { ...base, type: (item.odataType ?? 'app of unknown type').replace('#microsoft.graph.', '') });
    }
    const isExcluded = excluded.has(`${item.kind === 'app' ? MOBILE_APPS : PLATFORM_SCRIPTS}|${item.id}`);
    switch (item.reasonCode) {
      case 'notAssignedToDeviceGroup':
        if (item.kind === 'app') c.add(isExcluded ? 'dpAppExcluded' : 'dpAppNotAssigned', itemObject, { ...base, group: groupLabel });
        else c.add(isExcluded ? 'dpScriptExcluded' : 'dpScriptNotAssigned', itemObject, { ...base, group: groupLabel });
        break;
      case 'notRequired': {
        const intent = routes.find((r) => r.appId === item.id)?.intent ?? 'not Required';
        c.add('dpAppNotRequired', itemObject, { ...base, group: groupLabel, intent });
        break;
      }
      case 'userContext':
        c.add('dpAppUserContext', itemObject, base);
        break;
      case 'runsAsUser':
        c.add('dpScriptRunsAsUser', itemObject, base);
        break;
    }
  }
  // "Minutes allowed before showing installation error" covers the whole deployment, from sign-in (§1.8).
  const tracked = items.filter((i) => i.status !== 'skipped' && i.durationSeconds !== null);
  const seconds = STEP_SECONDS.entraJoin + STEP_SECONDS.mdmEnrollment + STEP_SECONDS.preparing + tracked.reduce((sum, i) => sum + (i.durationSeconds ?? 0), 0);
  if (inRange && tracked.length > 0 && seconds > policy.timeoutMinutes * 60) {
    c.add('dpTimeoutTooShort', object, { policy: policy.name, minutes: policy.timeoutMinutes, needed: Math.ceil(seconds / 60), items: tracked.length });
  }
}

/** Apps and scripts whose assignments exclude the group, as `collection|id`. */
async function excludedFrom(c: Ctx, groupId: string): Promise<ReadonlySet<string>> {
  return c.cached(`excluded|${groupId}`, async () => {
    const rows = await c.scope.db
      .selectFrom('intune_assignments')
      .select(['collection', 'object_id'])
      .where('tenant_id', '=', c.scope.tenantId)
      .where('group_id', '=', groupId)
      .where('target_type', '=', EXCLUSION_TARGET)
      .execute();
    return new Set(rows.map((r) => `${r.collection}|${r.object_id}`));
  });
}

/** What the tenant's settings say about users who share one combination of the groups the checks read. */
interface UserVerdict {
  readonly join: JoinSettings;
  readonly mdmScope: boolean;
  readonly restriction: { readonly object: FindingObject; readonly name: string; readonly platformBlocked: boolean; readonly personalBlocked: boolean };
}

type UserFinding = 'dpUsersNotAllowedToJoin' | 'dpUserDeviceQuotaReached' | 'dpUsersOutsideMdmScope' | 'dpWindowsPlatformBlocked' | 'dpPersonalBlockedNoIdentifiers' | 'dpStandardUserLocalAdmin';

/**
 * Who gets which user-driven policy, and what the tenant's Entra and Intune settings do to those users. Users
 * are grouped by the combination of relevant groups they are in (plus their id when a setting names them), so
 * the engine's checks run once per combination.
 */
async function checkUsers(c: Ctx, policies: readonly DevicePreparationPolicy[]): Promise<Map<string, DevicePreparationPolicy>> {
  const scope = c.scope;
  const winnerOf = new Map<string, DevicePreparationPolicy>();
  if (policies.length === 0) return winnerOf;
  for (const p of policies) {
    if (!p.assignments.allUsers && p.assignments.includedGroupIds.length === 0) c.add('dpPolicyNotAssigned', policyObject(p), { policy: p.name });
  }
  await checkUserGroups(c, policies);

  // The groups any check reads: the policies' assignments, the Entra join and local admin settings, the MDM
  // user scope, the enrollment configurations' assignments.
  const registration = await getDeviceRegistrationPolicy(scope);
  const join = (registration.azureADJoin ?? {}) as { allowedToJoin?: Membership; localAdmins?: { registeringUsers?: Membership } };
  const memberships = [join.allowedToJoin, join.localAdmins?.registeringUsers].filter((m): m is Membership => m?.['@odata.type'] === ENUMERATED);
  const namedUsers = new Set(memberships.flatMap((m) => m.users ?? []).map((u) => u.toLowerCase()));
  const enrollmentGroups = await scope.db
    .selectFrom('intune_assignments')
    .select('group_id')
    .distinct()
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', ENROLLMENT_CONFIGURATIONS)
    .where('group_id', 'is not', null)
    .execute();
  // The groups the join, MDM scope and restriction checks read: users who share them share the verdicts.
  const verdictGroups = new Set(
    [...memberships.flatMap((m) => m.groups ?? []), ...(await includedGroups(scope, INTUNE_MDM_APP_ID)).map((g) => g.id), ...enrollmentGroups.map((r) => r.group_id!)].map((g) => g.toLowerCase()),
  );
  const relevant = new Set([...policies.flatMap((p) => [...p.assignments.includedGroupIds, ...p.assignments.excludedGroupIds]).map((g) => g.toLowerCase()), ...verdictGroups]);
  const holders = ancestorsWithin(c, relevant);
  const groupsOfUser = new Map<string, Set<string>>();
  for (const row of await membersOfKind(c, descendants(c, relevant), 'user')) {
    let set = groupsOfUser.get(row.target_id);
    if (!set) groupsOfUser.set(row.target_id, (set = new Set()));
    for (const g of holders(row.source_id)) set.add(g);
  }
  const everyone = policies.some((p) => p.assignments.allUsers);
  const candidates = everyone
    ? (await scope.db.selectFrom('users').select('id').where('tenant_id', '=', scope.tenantId).execute()).map((r) => r.id)
    : [...groupsOfUser.keys()];
  candidates.sort();

  // A policy can target a user only through one of its included groups or All users (policyTargetsUser
  // decides): index the candidates by group so each user is checked against few policies.
  const rank = new Map(policies.map((p, i) => [p.id, i]));
  const toEveryone = policies.filter((p) => p.assignments.allUsers);
  const byIncludedGroup = new Map<string, DevicePreparationPolicy[]>();
  for (const p of policies) {
    for (const g of p.assignments.includedGroupIds) {
      const list = byIncludedGroup.get(g.toLowerCase());
      if (list) list.push(p);
      else byIncludedGroup.set(g.toLowerCase(), [p]);
    }
  }
  const candidatesOf = (groups: ReadonlySet<string>): DevicePreparationPolicy[] => {
    const found = new Set<DevicePreparationPolicy>(toEveryone);
    for (const g of groups) for (const p of byIncludedGroup.get(g) ?? []) found.add(p);
    return [...found].sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  };

  const targeted = new Map<string, number>();
  const shadowedBy = new Map<string, Map<string, number>>();
  const usersBySignature = new Map<string, { groups: ReadonlySet<string>; representative: string; byPolicy: Map<string, string[]> }>();
  for (const userId of candidates) {
    const groups = groupsOfUser.get(userId) ?? EMPTY;
    const policiesOfUser = candidatesOf(groups).filter((p) => policyTargetsUser(p, groups));
    const [winner, ...outranked] = policiesOfUser;
    if (!winner) continue;
    winnerOf.set(userId, winner);
    for (const p of policiesOfUser) targeted.set(p.id, (targeted.get(p.id) ?? 0) + 1);
    for (const p of outranked) {
      const by = shadowedBy.get(p.id) ?? new Map<string, number>();
      by.set(winner.id, (by.get(winner.id) ?? 0) + 1);
      shadowedBy.set(p.id, by);
    }
    const checked = [...groups].filter((g) => verdictGroups.has(g)).sort();
    const signature = `${checked.join(',')}${namedUsers.has(userId) ? `|${userId}` : ''}`;
    let entry = usersBySignature.get(signature);
    if (!entry) usersBySignature.set(signature, (entry = { groups: new Set(checked), representative: userId, byPolicy: new Map() }));
    const list = entry.byPolicy.get(winner.id);
    if (list) list.push(userId);
    else entry.byPolicy.set(winner.id, [userId]);
  }

  for (const p of policies) {
    const total = targeted.get(p.id) ?? 0;
    const assigned = p.assignments.allUsers || p.assignments.includedGroupIds.length > 0;
    if (assigned && total === 0) c.add('dpPolicyNoUsers', policyObject(p), { policy: p.name });
    const by = shadowedBy.get(p.id);
    if (by) {
      const count = [...by.values()].reduce((a, b) => a + b, 0);
      const winners = [...by.keys()].map((id) => policies.find((x) => x.id === id)!).map((w) => `'${w.name}' (priority ${w.priority})`).join(', ');
      c.add('dpPolicyShadowed', policyObject(p), { policy: p.name, count, total, winners });
    }
  }

  // The engine's checks, once per combination of groups.
  const identifiersExist = await hasWindowsCorporateIdentifiers(scope);
  const pending = new Map<string, { id: UserFinding; object: FindingObject; policy: DevicePreparationPolicy; users: string[]; extra: Record<string, string | number> }>();
  const flag = (id: UserFinding, object: FindingObject, policy: DevicePreparationPolicy, users: readonly string[], extra: Record<string, string | number> = {}) => {
    const key = `${id}|${object.id}|${policy.id}`;
    const entry = pending.get(key) ?? { id, object, policy, users: [], extra };
    for (const u of users) entry.users.push(u);
    pending.set(key, entry);
  };
  const registrationObject: FindingObject = { type: 'deviceRegistrationPolicy', id: 'deviceRegistrationPolicy', displayName: String(registration.displayName ?? 'Device Registration Policy') };
  const mdmObject: FindingObject = { type: 'mobileDeviceManagementPolicy', id: INTUNE_MDM_APP_ID, displayName: 'Microsoft Intune' };
  const quota = typeof registration.userDeviceQuota === 'number' ? registration.userDeviceQuota : 50;
  const atQuota = await usersAtQuota(c, quota);
  for (const { groups, representative, byPolicy } of usersBySignature.values()) {
    const verdict = await userVerdict(c, representative, groups);
    for (const [policyId, users] of byPolicy) {
      const policy = policies.find((p) => p.id === policyId)!;
      if (!verdict.join.allowedToJoin) flag('dpUsersNotAllowedToJoin', registrationObject, policy, users);
      const full = users.filter((u) => atQuota.has(u));
      if (verdict.join.allowedToJoin && full.length > 0) flag('dpUserDeviceQuotaReached', registrationObject, policy, full, { quota });
      if (!verdict.mdmScope) flag('dpUsersOutsideMdmScope', mdmObject, policy, users);
      const r = verdict.restriction;
      if (r.platformBlocked) flag('dpWindowsPlatformBlocked', r.object, policy, users, { restriction: r.name });
      else if (r.personalBlocked && !identifiersExist) flag('dpPersonalBlockedNoIdentifiers', r.object, policy, users, { restriction: r.name });
      if (policy.userAccountType === 'standardUser' && verdict.join.localAdmins !== 'all') {
        flag('dpStandardUserLocalAdmin', policyObject(policy), policy, users, { setting: verdict.join.localAdmins === 'none' ? 'None' : 'Selected' });
      }
    }
  }
  if (pending.size > 0) {
    const mdmPolicy = await scope.db.selectFrom('policies').select('data').where('tenant_id', '=', scope.tenantId).where('id', '=', INTUNE_MDM_APP_ID).executeTakeFirst();
    const scopeText = String((mdmPolicy ? readJson(mdmPolicy.data) : {}).appliesTo ?? 'none') === 'none' ? 'None' : 'Some';
    const examples = new Set([...pending.values()].flatMap((e) => [...e.users].sort().slice(0, 3)));
    const upns = await userPrincipalNames(c, examples);
    for (const e of pending.values()) {
      const sorted = [...e.users].sort();
      const users = sorted.slice(0, 3).map((u) => upns.get(u) ?? u);
      const params = { policy: e.policy.name, count: sorted.length, users, scope: scopeText, ...e.extra } as never;
      c.add(e.id, e.object, params);
    }
  }
  return winnerOf;
}

/** The verdict of the engine's checks for a user in these groups (one per combination, memoised). */
function userVerdict(c: Ctx, userId: string, groups: ReadonlySet<string>): Promise<UserVerdict> {
  return c.cached(`verdict|${[...groups].sort().join(',')}|${userId}`, async () => {
    const join = await joinSettingsFor(c.scope, userId, groups);
    const mdmScope = (await mdmScopeBlocker(c.scope, groups)) === undefined;
    const effective = await effectiveWindowsRestriction(c.scope, { userGroupIds: [...groups] });
    const corporate = windowsEnrollmentVerdict(effective.restriction, { personal: false });
    const personal = windowsEnrollmentVerdict(effective.restriction, { personal: true });
    return {
      join,
      mdmScope,
      restriction: {
        object: intuneObject(effective.configuration),
        name: String(effective.configuration.displayName ?? effective.configuration.id),
        platformBlocked: !corporate.allowed && corporate.reason === 'platformBlocked',
        personalBlocked: !personal.allowed && personal.reason === 'personalBlocked',
      },
    };
  });
}

/** Users who already registered `quota` devices or more (the registeredOwners links the join check counts). */
async function usersAtQuota(c: Ctx, quota: number): Promise<Set<string>> {
  const rows = await c.scope.db
    .selectFrom('links')
    .select(['target_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', c.scope.tenantId)
    .where('rel', '=', 'registeredOwners')
    .groupBy('target_id')
    .having((eb) => eb(eb.fn.countAll(), '>=', quota))
    .execute();
  return new Set(rows.map((r) => r.target_id));
}

async function userPrincipalNames(c: Ctx, ids: Iterable<string>): Promise<Map<string, string>> {
  const rows = await inChunks([...ids], (chunk) => c.scope.db.selectFrom('users').select(['id', 'data']).where('tenant_id', '=', c.scope.tenantId).where('id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.id, String(readJson(r.data).userPrincipalName ?? r.id)]));
}

/** The user groups of the policies: deleted, not security groups, or holding devices and other non-users. */
async function checkUserGroups(c: Ctx, policies: readonly DevicePreparationPolicy[]): Promise<void> {
  const byGroup = new Map<string, DevicePreparationPolicy[]>();
  for (const p of policies) for (const g of p.assignments.includedGroupIds) byGroup.set(g.toLowerCase(), [...(byGroup.get(g.toLowerCase()) ?? []), p]);
  if (byGroup.size === 0) return;
  await c.loadGroups(byGroup.keys());
  const nonUsers = await inChunks([...byGroup.keys()], (chunk) =>
    c.scope.db
      .selectFrom('links')
      .select(['source_id', 'target_kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', c.scope.tenantId)
      .where('rel', '=', 'members')
      .where('target_kind', 'not in', ['user', 'group'])
      .where('source_id', 'in', chunk)
      .groupBy(['source_id', 'target_kind'])
      .execute(),
  );
  for (const [groupId, users] of byGroup) {
    const group = c.group(groupId);
    const names = users.map((p) => p.name);
    if (!group) {
      for (const p of users) c.add('dpUserGroupDeleted', policyObject(p), { policy: p.name, group: groupId });
      continue;
    }
    if (!group.security) c.add('dpUserGroupNotSecurity', groupObject(group), { group: group.displayName, policies: names });
    const counts = nonUsers.filter((r) => r.source_id === groupId).map((r) => `${Number(r.n)} ${r.target_kind === 'device' ? 'device' : r.target_kind}${Number(r.n) === 1 ? '' : 's'}`);
    if (counts.length > 0) c.add('dpUserGroupHasNonUsers', groupObject(group), { group: group.displayName, policies: names, counts: counts.join(' and ') });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Classic Autopilot

/** What the Enrollment Status Page checks need to know about the classic Autopilot setup. */
interface AutopilotSetup {
  /** Groups that deployment profiles are assigned to (included). */
  readonly profileGroups: ReadonlyMap<string, readonly string[]>;
  /** Whether a profile is assigned to All devices. */
  readonly allDevices: boolean;
}

/** Devices with one problem: how many, and the first few (by id) to name. */
interface DeviceSummary {
  count: number;
  examples: string[];
}

const addDevice = (map: Map<string, DeviceSummary>, key: string, id: string) => {
  const s = map.get(key);
  if (!s) map.set(key, { count: 1, examples: [id] });
  else {
    s.count++;
    if (s.examples.length < 3) s.examples.push(id);
  }
};

async function checkClassicAutopilot(c: Ctx, winnerOf: ReadonlyMap<string, DevicePreparationPolicy>): Promise<AutopilotSetup> {
  const scope = c.scope;
  // Oldest first: the first applicable profile in this order wins (autopilot-profile-status.ts).
  const profiles = await listIntuneObjects(scope, AUTOPILOT_PROFILES);
  const targets = await scope.db
    .selectFrom('intune_assignments')
    .select(['object_id', 'target_type', 'group_id'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', AUTOPILOT_PROFILES)
    .execute();
  const profileGroups = new Map<string, string[]>();
  for (const profile of profiles) {
    const mine = targets.filter((t) => t.object_id === profile.id);
    const name = String(profile.displayName ?? profile.id);
    const template = typeof profile.deviceNameTemplate === 'string' ? profile.deviceNameTemplate : '';
    const problem = deviceNameTemplateProblem(template);
    if (problem) c.add('apNameTemplateInvalid', intuneObject(profile), { profile: name, template, problem });
    if (mine.some((t) => t.target_type === ALL_DEVICES_TARGET) && mine.some((t) => t.target_type === EXCLUSION_TARGET)) c.add('apProfileExcludeWithAllDevices', intuneObject(profile), { profile: name });
    for (const t of mine) if (t.target_type === GROUP_TARGET && t.group_id) profileGroups.set(t.group_id, [...(profileGroups.get(t.group_id) ?? []), name]);
  }
  const setup: AutopilotSetup = { profileGroups, allDevices: targets.some((t) => t.target_type === ALL_DEVICES_TARGET) };

  // Dynamic groups targeted by profiles: Autopilot attributes only (behaviour.md §5.1).
  await c.loadGroups(profileGroups.keys());
  for (const [groupId, names] of profileGroups) {
    const group = c.group(groupId);
    if (!group?.dynamic || !group.rule) continue;
    const reason = ruleProblem(group.rule);
    if (reason) c.add('apDynamicGroupRule', groupObject(group), { group: group.displayName, profiles: names, rule: group.rule, reason });
  }

  const devices = await autopilotDevices(c);
  if (devices.length === 0) return setup;

  // The profile each device gets, computed as autopilot-profile-status.ts does, from bulk reads.
  const relevant = new Set(targets.filter((t) => t.group_id).map((t) => t.group_id!));
  const holders = ancestorsWithin(c, relevant);
  const groupsOfDevice = new Map<string, Set<string>>();
  const nonEmpty = new Set<string>();
  for (const row of await membersOfKind(c, descendants(c, relevant), 'device')) {
    let set = groupsOfDevice.get(row.target_id);
    if (!set) groupsOfDevice.set(row.target_id, (set = new Set()));
    for (const g of holders(row.source_id)) {
      set.add(g);
      nonEmpty.add(g);
    }
  }
  for (const [groupId, names] of profileGroups) {
    const group = c.group(groupId);
    if (group && !nonEmpty.has(groupId)) c.add('apProfileGroupEmpty', groupObject(group), { group: group.displayName, profiles: names });
  }
  const byProfile = new Map(profiles.map((p) => [p.id, p]));
  const order = new Map(profiles.map((p, i) => [p.id, i]));
  const includesOf = new Map<string, string[]>();
  const excludesOf = new Map<string, string[]>();
  for (const t of targets) {
    if (!t.group_id) continue;
    const map = t.target_type === EXCLUSION_TARGET ? excludesOf : t.target_type === GROUP_TARGET ? includesOf : undefined;
    map?.set(t.group_id, [...(map.get(t.group_id) ?? []), t.object_id]);
  }
  const toAllDevices = [...new Set(targets.filter((t) => t.target_type === ALL_DEVICES_TARGET && byProfile.has(t.object_id)).map((t) => t.object_id))].sort((a, b) => order.get(a)! - order.get(b)!);

  const owners = await registeredOwners(c);
  const upns = [...new Set(devices.map((d) => d.upn.toLowerCase()).filter((u) => u !== ''))];
  const userByUpn = new Map(
    (await inChunks(upns, (chunk) => scope.db.selectFrom('users').select(['id', 'upn_key']).where('tenant_id', '=', scope.tenantId).where('upn_key', 'in', chunk).execute())).map((r) => [r.upn_key, r.id]),
  );

  // The profile a combination of groups gets (devices share few combinations).
  const resolved = new Map<string, { winner: string | undefined; byGroup: string[] }>();
  const resolve = (groups: ReadonlySet<string>) => {
    const key = groups.size === 0 ? '' : groups.size === 1 ? groups.values().next().value! : [...groups].sort().join(',');
    let r = resolved.get(key);
    if (!r) {
      const excluded = new Set([...groups].flatMap((g) => excludesOf.get(g) ?? []));
      const byGroup = [...new Set([...groups].flatMap((g) => includesOf.get(g) ?? []))].filter((p) => !excluded.has(p) && byProfile.has(p)).sort((a, b) => order.get(a)! - order.get(b)!);
      resolved.set(key, (r = { winner: byGroup[0] ?? toAllDevices.find((p) => !excluded.has(p)), byGroup }));
    }
    return r;
  };
  const noProfile = new Map<string, DeviceSummary>();
  const multiple = new Map<string, DeviceSummary>();
  const precedence = new Map<string, DeviceSummary>();
  const unknownUser = new Map<string, DeviceSummary>();
  for (const d of devices) {
    const { winner, byGroup } = resolve((d.objectId ? groupsOfDevice.get(d.objectId) : undefined) ?? EMPTY);
    if (!winner) addDevice(noProfile, '', d.id);
    for (let i = 1; i < byGroup.length; i++) addDevice(multiple, `${byGroup[i]}|${byGroup[0]}`, d.id);
    const deviceOwners = d.objectId ? owners.get(d.objectId) : undefined;
    if (d.upn === '' && !deviceOwners) continue;
    const users = new Set<string>(deviceOwners);
    if (d.upn !== '') {
      const user = userByUpn.get(d.upn.toLowerCase());
      if (user) users.add(user);
      else addDevice(unknownUser, d.upn, d.id);
    }
    for (const u of users) {
      const policy = winnerOf.get(u);
      if (policy) addDevice(precedence, `${winner ?? ''}|${policy.id}`, d.id);
    }
  }
  const summaries = [...noProfile.values(), ...multiple.values(), ...precedence.values(), ...unknownUser.values()];
  const serials = await serialsOf(c, summaries.flatMap((s) => s.examples));
  const named = (s: DeviceSummary) => ({ count: s.count, serials: s.examples.map((id) => serials.get(id) ?? id) });
  const deviceObject = (s: DeviceSummary): FindingObject => ({ type: 'windowsAutopilotDeviceIdentity', id: s.examples[0]!, displayName: serials.get(s.examples[0]!) ?? s.examples[0]! });
  const noneFound = noProfile.get('');
  if (noneFound) c.add('apDeviceNoProfile', deviceObject(noneFound), named(noneFound));
  for (const [key, s] of multiple) {
    const [loser, winner] = key.split('|').map((id) => byProfile.get(id)!);
    c.add('apDeviceMultipleProfiles', intuneObject(loser!), { ...named(s), loser: String(loser!.displayName), winner: String(winner!.displayName) });
  }
  const policies = new Map([...winnerOf.values()].map((p) => [p.id, p]));
  for (const [key, s] of precedence) {
    const [profileId, policyId] = key.split('|');
    const profile = profileId ? byProfile.get(profileId) : undefined;
    c.add('apRegistrationOverridesDevicePreparation', profile ? intuneObject(profile) : deviceObject(s), {
      ...named(s),
      policy: policies.get(policyId!)!.name,
      profile: profile ? String(profile.displayName) : null,
    });
  }
  for (const [upn, s] of unknownUser) c.add('apAssignedUserUnknown', deviceObject(s), { ...named(s), upn });
  return setup;
}

/** Why a profile group's rule does not guarantee membership before the out-of-box experience, if it does not. */
function ruleProblem(text: string): string | undefined {
  let rule;
  try {
    rule = checkRule(text);
  } catch {
    return 'cannot be read';
  }
  if (rule.kind !== 'device') return 'selects users, not devices';
  const other = rule.properties.filter((p) => p !== 'devicePhysicalIds');
  if (other.length > 0) return `reads ${other.map((p) => `device.${p}`).join(', ')}`;
  if (!/\[(ZTDId|OrderID|PurchaseOrderId)\]/i.test(text)) return 'reads no Autopilot attribute';
  return undefined;
}

interface AutopilotDeviceRow {
  readonly id: string;
  readonly upn: string;
  /** Its Entra device object, or null when that object is gone. */
  readonly objectId: string | null;
}

/** Every Autopilot device with its serial, assigned user and Entra object, in one query. */
async function autopilotDevices(c: Ctx): Promise<AutopilotDeviceRow[]> {
  const json = (field: string) =>
    c.scope.dialect === 'sqlite' ? sql<string | null>`json_extract(o.data, ${`$.${field}`})` : sql<string | null>`(o.data ->> ${sql.lit(field)})`;
  const rows = await c.scope.db
    .selectFrom('intune_objects as o')
    .leftJoin('devices as d', (j) => j.onRef('d.tenant_id', '=', 'o.tenant_id').on('d.device_id', '=', sql<string>`lower(${json('azureAdDeviceId')})`))
    .select(['o.id', 'd.id as objectId', json('userPrincipalName').as('upn')])
    .where('o.tenant_id', '=', c.scope.tenantId)
    .where('o.collection', '=', AUTOPILOT_DEVICES)
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({ id: r.id, upn: r.upn ?? '', objectId: r.objectId ?? null }));
}

/** The serial numbers of a few Autopilot devices (the examples findings name). */
async function serialsOf(c: Ctx, ids: Iterable<string>): Promise<Map<string, string>> {
  const found = await intuneObjects(c, AUTOPILOT_DEVICES, ids);
  return new Map([...found].map(([id, o]) => [id, String(o.serialNumber ?? id)]));
}

/** Registered owners of every device (the users who joined them), by device object id. */
async function registeredOwners(c: Ctx): Promise<Map<string, string[]>> {
  const rows = await c.scope.db
    .selectFrom('links')
    .select(['source_id', 'target_id'])
    .where('tenant_id', '=', c.scope.tenantId)
    .where('rel', '=', 'registeredOwners')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.source_id);
    if (list) list.push(r.target_id);
    else out.set(r.source_id, [r.target_id]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Enrollment Status Page

const selectedOf = (esp: IntuneObject): string[] => (Array.isArray(esp.selectedMobileAppIds) ? (esp.selectedMobileAppIds as unknown[]).map(String) : []);

async function defaultStatusPage(scope: Scope): Promise<IntuneObject> {
  const id = defaultId(scope.tenantId, kindOf(ESP_TYPE)!);
  try {
    return await getIntuneObject(scope, { collection: ENROLLMENT_CONFIGURATIONS }, id);
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return builtInDefault(scope.tenantId, ESP_TYPE, isoNow(scope.clock));
    throw err;
  }
}

async function checkStatusPages(c: Ctx, autopilot: AutopilotSetup): Promise<void> {
  const scope = c.scope;
  const custom = await familyMembers(scope, priorityFamily({ '@odata.type': ESP_TYPE }));
  const fallback = await defaultStatusPage(scope);
  const assignments = await inChunks(
    custom.map((e) => e.id),
    (chunk) =>
      scope.db
        .selectFrom('intune_assignments')
        .select(['object_id', 'target_type', 'group_id'])
        .where('tenant_id', '=', scope.tenantId)
        .where('collection', '=', ENROLLMENT_CONFIGURATIONS)
        .where('object_id', 'in', chunk)
        .execute(),
  );
  const targetsOf = (espId: string) => assignments.filter((a) => a.object_id === espId);
  const pages: { esp: IntuneObject; source: StatusPageRef['source']; groups: string[] }[] = [
    { esp: fallback, source: 'default', groups: [...autopilot.profileGroups.keys()] },
    ...custom
      .filter((esp) => targetsOf(esp.id).some((t) => t.target_type !== EXCLUSION_TARGET))
      .map((esp) => ({ esp, source: 'device' as const, groups: targetsOf(esp.id).filter((t) => t.target_type === GROUP_TARGET && t.group_id).map((t) => t.group_id!) })),
  ];

  // Blocking apps: at most 100, each assigned Required somewhere.
  const selected = [...new Set([fallback, ...custom].flatMap(selectedOf).map((s) => s.toLowerCase()))];
  const required = new Set(
    (
      await inChunks(selected, (chunk) =>
        scope.db
          .selectFrom('intune_assignments')
          .select('object_id')
          .distinct()
          .where('tenant_id', '=', scope.tenantId)
          .where('collection', '=', MOBILE_APPS)
          .where('intent', '=', 'required')
          .where('object_id', 'in', chunk)
          .execute(),
      )
    ).map((r) => r.object_id),
  );
  const apps = await intuneObjects(c, MOBILE_APPS, selected.filter((s) => !required.has(s)));
  for (const esp of [fallback, ...custom]) {
    const ids = selectedOf(esp).map((s) => s.toLowerCase());
    const name = String(esp.displayName ?? esp.id);
    if (ids.length > MAX_SELECTED_APPS) c.add('espTooManySelectedApps', intuneObject(esp), { esp: name, count: ids.length });
    const notRequired = ids.filter((id) => !required.has(id)).map((id) => String(apps.get(id)?.displayName ?? id));
    if (notRequired.length > 0) c.add('espSelectedAppNotRequired', intuneObject(esp), { esp: name, apps: notRequired, count: notRequired.length });
  }

  // Each page that shows progress: what it would track, as the engine plans it, for the groups it reaches.
  for (const { esp, source, groups } of pages) {
    const ref = statusPageRef(esp, source, true);
    if (!ref.showInstallationProgress) continue;
    const items = await planStatusPage(scope, { statusPage: ref, deviceGroupIds: groups, userGroupIds: groups, outcomeOf: c.worst, cached: c.cached });
    const deviceSetup = items.filter((i) => i.phase === 'deviceSetup');
    const accountSetup = items.filter((i) => i.phase === 'accountSetup');
    const seconds = (list: readonly DeploymentItem[]) => list.reduce((sum, i) => sum + (i.durationSeconds ?? 0), 0);
    // Device preparation and Device setup share one timer from enrollment; Account setup has its own.
    const phases = [
      { phase: 'Device setup', items: deviceSetup.length, seconds: STEP_SECONDS.preparing + seconds(deviceSetup) },
      { phase: 'Account setup', items: accountSetup.length, seconds: seconds(accountSetup) },
    ].filter((p) => p.items > 0 && p.seconds > ref.timeoutMinutes * 60);
    const worst = phases.sort((a, b) => b.seconds - a.seconds)[0];
    if (worst) c.add('espTimeoutTooShort', intuneObject(esp), { esp: ref.displayName, minutes: ref.timeoutMinutes, needed: Math.ceil(worst.seconds / 60), phase: worst.phase, items: worst.items });
    const names = (type: string) => deviceSetup.filter((i) => i.odataType === type).map((i) => i.displayName);
    if (deviceSetup.some((i) => i.reasonCode === 'installerConflict')) c.add('espMsiWin32Conflict', intuneObject(esp), { esp: ref.displayName, msi: names(WINDOWS_MSI_APP), win32: names(WIN32_LOB_APP) });
    if (names(OFFICE_SUITE_APP).length > 0 && names(WIN32_LOB_APP).length > 0) c.add('espOfficeWithWin32', intuneObject(esp), { esp: ref.displayName, office: names(OFFICE_SUITE_APP), win32: names(WIN32_LOB_APP) });
  }

  // The default page without progress while Autopilot devices have Required apps that should block (§5.5).
  if (fallback.showInstallationProgress === true || (autopilot.profileGroups.size === 0 && !autopilot.allDevices)) return;
  const showing = custom.filter((e) => e.showInstallationProgress === true);
  const coveredAll = showing.some((e) => targetsOf(e.id).some((t) => t.target_type === ALL_DEVICES_TARGET || t.target_type === ALL_USERS_TARGET));
  if (coveredAll) return;
  const covered = new Set(showing.flatMap((e) => targetsOf(e.id).filter((t) => t.target_type === GROUP_TARGET).map((t) => t.group_id!)));
  const blocking = async (groupIds: string[], allDevices: boolean) =>
    (await appAssignmentsForGroups(scope, groupIds, { allDevices })).some((a) => a.intent === 'required' && a.installContext === 'system');
  const uncovered: string[] = [];
  for (const groupId of autopilot.profileGroups.keys()) {
    if (!covered.has(groupId) && (await blocking([groupId], true))) uncovered.push(groupName(c, groupId));
  }
  if (autopilot.allDevices && (await blocking([], true))) uncovered.push('All devices');
  if (uncovered.length > 0 || selectedOf(fallback).length > 0) {
    c.add('espDefaultNoProgress', intuneObject(fallback), { esp: String(fallback.displayName ?? fallback.id), groups: uncovered.length > 0 ? uncovered.sort() : ['the devices of the deployment profiles'] });
  }
}
