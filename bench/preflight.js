// The pre-flight check (issue "preflight check"): one tenant with 100,000 Autopilot devices (each with its
// Entra device), 20,000 users, 1,000 groups (user groups, nested groups, device groups owned by the Intune
// Provisioning Client, dynamic group-tag groups) and 50 device preparation policies, plus apps, scripts,
// deployment profiles and an Enrollment Status Page. The tenant is set up with the services and bulk SQL
// (not timed); then `preflight` runs on it: the median of several runs is the figure, target <= 2 s.
// Beside it, one `select count(*)` pass over the same tables of the same tenant (the cost of merely touching
// them), on SQLite (a file) and, when reachable, on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../dist/store/db.js';
import { systemClock } from '../dist/core/clock.js';
import { createTenant } from '../dist/control/tenants.js';
import { tenantScope } from '../dist/server/context.js';
import { createGroup } from '../dist/directory/groups.js';
import { updateMobilityPolicy, INTUNE_MDM_APP_ID } from '../dist/directory/mobility-policies.js';
import { findServicePrincipalByAppId, INTUNE_PROVISIONING_CLIENT_APP_ID } from '../dist/identity/service-principals.js';
import { createIntuneObject } from '../dist/intune/resource.js';
import { addAssignment } from '../dist/intune/assignments.js';
import { mobileApps } from '../dist/intune/mobile-apps.js';
import { minimalWin32AppBody } from '../dist/intune/mobile-app-types.js';
import { assignMobileApp } from '../dist/intune/mobile-app-assignments.js';
import { platformScripts, assignPlatformScript } from '../dist/intune/platform-scripts.js';
import { createConfigurationPolicy } from '../dist/intune/configuration-policy-service.js';
import { assignPolicy } from '../dist/intune/configuration-policy-assignments.js';
import { setEnrollmentTimeDeviceMembershipTarget } from '../dist/intune/enrollment-time-device-membership.js';
import { userDrivenPolicyBody } from '../dist/intune/device-preparation-templates.js';
import { registerAutopilotDevices } from '../dist/intune/autopilot-registration.js';
import { autopilotProfiles } from '../dist/intune/autopilot-profiles.js';
import { profileAssignmentKind } from '../dist/intune/autopilot-profile-routes.js';
import { createEnrollmentConfiguration, assignEnrollmentConfiguration } from '../dist/intune/enrollment-configurations.js';
import { preflight } from '../dist/provisioning/preflight.js';
import { QUICK, detail, envInt, fixed2, int, line, median, ms } from './lib/report.js';

const DEVICES = envInt('BENCH_PREFLIGHT_DEVICES', 100_000, 5_000);
const USERS = envInt('BENCH_PREFLIGHT_USERS', 20_000, 2_000);
const GROUPS = envInt('BENCH_PREFLIGHT_GROUPS', 1_000, 200);
const POLICIES = envInt('BENCH_PREFLIGHT_POLICIES', 50, 10);
const RUNS = envInt('BENCH_PREFLIGHT_RUNS', 5, 2);
const PG_URL = process.env.TARMAC_BENCH_DATABASE_URL ?? process.env.TARMAC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TAGS = 10;
const PROFILES = TAGS + 1;

const group = (name, extra = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, '').slice(0, 60), securityEnabled: true, ...extra });
const toGroup = (groupId) => ({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId });

/** Rows written straight into a table, in chunks. */
async function insertRows(db, table, rows) {
  for (let i = 0; i < rows.length; i += 500) await db.kysely.insertInto(table).values(rows.slice(i, i + 500)).execute();
}

/** The big tenant. Returns its id and what was built, for the report. */
async function buildTenant(db) {
  const ctx = { db, clock: systemClock, tokens: undefined, controlKey: '' };
  const tenant = await createTenant(ctx, { seed: 'empty', displayName: `Preflight bench ${randomUUID().slice(0, 8)}` });
  const tenantId = tenant.tenantId;
  const scope = tenantScope(ctx, tenantId);
  const sp = await findServicePrincipalByAppId(scope, INTUNE_PROVISIONING_CLIENT_APP_ID);
  const owned = { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`] };
  await updateMobilityPolicy(scope, INTUNE_MDM_APP_ID, { appliesTo: 'all' });

  // Users, by bulk SQL (the directory's own row shape).
  const users = Array.from({ length: USERS }, (_, i) => {
    const upn = `user${i}@${tenant.domain}`;
    return { tenant_id: tenantId, id: randomUUID(), upn_key: upn.toLowerCase(), data: JSON.stringify({ accountEnabled: true, displayName: `User ${i}`, userPrincipalName: upn, mailNickname: `user${i}` }), password_hash: null };
  });
  await insertRows(db, 'users', users);

  // Groups: per policy a user group and a device group; dynamic group-tag groups and the [ZTDId] group; the
  // rest nested in the user groups or holding a few users.
  const userGroups = [];
  const deviceGroups = [];
  for (let p = 0; p < POLICIES; p++) {
    userGroups.push((await createGroup(scope, group(`DP users ${p}`))).id);
    deviceGroups.push((await createGroup(scope, group(`DP devices ${p}`, owned))).id);
  }
  const tagGroups = [];
  for (let t = 0; t < TAGS; t++) {
    tagGroups.push((await createGroup(scope, group(`Tag ${t} devices`, { groupTypes: ['DynamicMembership'], membershipRule: `(device.devicePhysicalIds -any (_ -eq "[OrderID]:Tag${t}"))` }))).id);
  }
  const ztdGroup = (await createGroup(scope, group('All Autopilot devices', { groupTypes: ['DynamicMembership'], membershipRule: '(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))' }))).id;
  const others = [];
  for (let g = userGroups.length + deviceGroups.length + tagGroups.length + 1; g < GROUPS; g++) others.push((await createGroup(scope, group(`Team ${g}`))).id);

  // Memberships: each user in one policy's group, directly or through a team nested in it; one in seven also
  // in the next policy's group (so policies shadow each other for some users).
  const links = [];
  const link = (source, target, kind) => links.push({ tenant_id: tenantId, source_id: source, rel: 'members', target_id: target, target_kind: kind });
  const nestedTeams = others.slice(0, Math.min(others.length, POLICIES * 4));
  nestedTeams.forEach((team, i) => link(userGroups[i % POLICIES], team, 'group'));
  users.forEach((u, i) => {
    const p = i % POLICIES;
    if (i % 3 === 0 && nestedTeams.length > 0) link(nestedTeams[(i / 3) % nestedTeams.length | 0], u.id, 'user');
    else link(userGroups[p], u.id, 'user');
    if (i % 7 === 0) link(userGroups[(p + 1) % POLICIES], u.id, 'user');
  });
  others.slice(nestedTeams.length).forEach((team, i) => {
    for (let k = 0; k < 5; k++) link(team, users[(i * 5 + k) % users.length].id, 'user');
  });
  await insertRows(db, 'links', links);

  // Apps and scripts, assigned to the device groups; 50 policies, each selecting three apps and a script.
  const apps = [];
  for (let a = 0; a < POLICIES * 2; a++) {
    const app = await createIntuneObject(scope, mobileApps, minimalWin32AppBody(`App ${a}`));
    apps.push(app.id);
  }
  const chosenOf = (p) => [apps[(2 * p) % apps.length], apps[(2 * p + 1) % apps.length], apps[(2 * p + 2) % apps.length]];
  // Each app assigned once (assign replaces): Required to the device groups of the policies that select it;
  // the last one also to the Autopilot devices.
  const targetsOf = new Map(apps.map((id) => [id, []]));
  for (let p = 0; p < POLICIES; p++) for (const appId of chosenOf(p)) targetsOf.get(appId).push(deviceGroups[p]);
  targetsOf.get(apps[apps.length - 1]).push(ztdGroup);
  for (const [appId, groups] of targetsOf) {
    if (groups.length === 0) continue;
    await assignMobileApp(scope, appId, groups.map((g) => ({ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: toGroup(g) })));
  }
  for (let p = 0; p < POLICIES; p++) {
    const chosen = chosenOf(p);
    const script = await createIntuneObject(scope, platformScripts, {
      '@odata.type': '#microsoft.graph.deviceManagementScript',
      displayName: `Script ${p}`,
      scriptContent: Buffer.from('exit 0').toString('base64'),
      runAsAccount: 'system',
      fileName: `script${p}.ps1`,
    });
    await assignPlatformScript(scope, script.id, { deviceManagementScriptAssignments: [{ target: toGroup(deviceGroups[p]) }] });
    const policy = await createConfigurationPolicy(
      scope,
      userDrivenPolicyBody({ name: `DP policy ${p}`, accountType: 'administrator', timeoutMinutes: 120, apps: chosen.map((id) => ({ id, type: '#microsoft.graph.win32LobApp' })), scripts: [script.id] }),
    );
    await setEnrollmentTimeDeviceMembershipTarget(scope, policy, { enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroups[p] }] });
    await assignPolicy(scope, policy.id, [{ target: toGroup(userGroups[p]) }]);
  }

  // Classic Autopilot: a profile per group tag and one for all Autopilot devices (so devices get two), an ESP.
  for (let t = 0; t < PROFILES; t++) {
    const profile = await createIntuneObject(scope, autopilotProfiles, {
      '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
      displayName: t < TAGS ? `Tag ${t} profile` : 'All Autopilot devices profile',
      description: '',
      locale: 'os-default',
      preprovisioningAllowed: false,
      deviceType: 'windowsPc',
      hardwareHashExtractionEnabled: false,
      roleScopeTagIds: ['0'],
      deviceNameTemplate: 'CON-%SERIAL%',
      outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: 'administrator', keyboardSelectionPageSkipped: true },
    });
    await addAssignment(scope, profileAssignmentKind, profile.id, { target: toGroup(t < TAGS ? tagGroups[t] : ztdGroup) });
  }
  const esp = await createEnrollmentConfiguration(scope, {
    '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
    displayName: 'Autopilot ESP',
    showInstallationProgress: true,
    installProgressTimeoutInMinutes: 60,
    selectedMobileAppIds: [],
  });
  await assignEnrollmentConfiguration(scope, esp.id, [{ target: toGroup(ztdGroup) }]);

  // Autopilot devices (their Entra devices join the dynamic groups as they are inserted); one in fifty is
  // assigned to a user, so some device preparation users have registered devices.
  for (let i = 0; i < DEVICES; i += 2_000) {
    const batch = Array.from({ length: Math.min(2_000, DEVICES - i) }, (_, k) => {
      const n = i + k;
      return {
        serialNumber: `PF-${n}`,
        hardwareIdentifier: Buffer.from(`bench-hash-${n}`).toString('base64'),
        groupTag: `Tag${n % TAGS}`,
        userPrincipalName: n % 50 === 0 ? users[n % users.length].upn_key : '',
      };
    });
    const outcomes = await registerAutopilotDevices(scope, batch);
    if (outcomes.some((o) => !o.ok)) throw new Error(`registration failed: ${JSON.stringify(outcomes.find((o) => !o.ok))}`);
  }
  if (db.dialect === 'postgres') await sql`analyze`.execute(db.kysely);
  return { tenantId, scope };
}

/** One `select count(*)` over each table the check reads, for this tenant. */
async function countPass(db, tenantId) {
  const t0 = performance.now();
  let rows = 0;
  for (const table of ['users', 'groups', 'devices', 'links', 'intune_objects', 'intune_assignments', 'policies']) {
    const r = await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    rows += Number(r.n);
  }
  return { ms: performance.now() - t0, rows };
}

async function measure(db) {
  const { tenantId, scope } = await buildTenant(db);
  const first = await preflight(scope);
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await preflight(scope);
    times.push(performance.now() - t0);
  }
  const counts = [];
  for (let r = 0; r < RUNS; r++) counts.push(await countPass(db, tenantId));
  return { report: first, ms: median(times), count: median(counts.map((c) => c.ms)), rows: counts[0].rows };
}

function print(name, m) {
  line(`preflight of ${int(DEVICES)} Autopilot devices, ${int(USERS)} users, ${int(GROUPS)} groups, ${POLICIES} policies, ${name} (median of ${RUNS})`, [
    ms(m.ms),
    `count(*) pass over the same tables (${int(m.rows)} rows): ${ms(m.count)}`,
    `ratio ${fixed2(m.ms / Math.max(m.count, 0.001))}x`,
    `target <= 2 s${QUICK ? ' (quick mode: smaller tenant)' : ''}`,
  ], m.ms <= 2000);
  const byId = {};
  for (const f of m.report.findings) byId[f.id] = (byId[f.id] ?? 0) + 1;
  detail(`findings: ${Object.entries(byId).map(([id, n]) => `${id} ${n}`).join(', ')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'tarmac-bench-preflight-'));
try {
  const sqlite = await openDatabase({ file: join(dir, 'tarmac.db') });
  print('SQLite', await measure(sqlite));
  await sqlite.close();
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let pg;
  try {
    pg = await openDatabase({ url: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}` });
  } catch (err) {
    line('preflight on PostgreSQL', [`not measured (${err.message})`]);
  }
  if (pg) {
    try {
      print('PostgreSQL', await measure(pg));
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(pg.kysely);
      await pg.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
