// The deployment engine (issue "deployment engine"): 10,000 simulated devices deploying concurrently under
// the tenant's virtual clock on a SQLite file, each with the tutorial's device preparation policy tracking
// 5 Win32 apps and 2 scripts. The tenant is configured through Graph (not timed); then every device signs in
// and the clock jumps until all deployments are done. Each deployment joins Entra, enrolls in Intune, joins
// the device group at enrollment time and installs its 7 items: all of it is in the figure.
// Beside it, the same number of bare better-sqlite3 transactions (one insert each) on the same kind of file.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '../dist/server/start.js';
import { tenantScopeNow } from '../dist/server/context.js';
import { signIn, processDue } from '../dist/provisioning/engine.js';
import { changeClock } from '../dist/provisioning/simulation.js';
import { userDrivenPolicyBody } from '../dist/intune/device-preparation-templates.js';
import { minimalWin32AppBody } from '../dist/intune/mobile-app-types.js';
import { removeDir, tempDir } from './lib/proc.js';
import { inProcessTenant } from './lib/in-process.js';
import { QUICK, detail, envInt, fixed2, int, line, mb, seconds } from './lib/report.js';

const DEVICES = envInt('BENCH_DEPLOYMENT_DEVICES', 10_000, 1_000);
const APPS = 5;
const SCRIPTS = 2;
const PASSWORD = 'Bench-Passw0rd!';
const PROVISIONING_CLIENT = 'f1346770-5b25-470b-88bd-d5744ab7952c';

const dir = tempDir('deployments');
const controlKey = 'bench-deployments';
const server = await startServer({ data: dir, port: 0, demo: false, controlKey });
try {
  const { tenant, token, control, graph } = await inProcessTenant(server, controlKey);

  // The tutorial, steps 1-6, through Graph.
  await graph('PATCH', '/beta/policies/mobileDeviceManagementPolicies/0000000a-0000-0000-c000-000000000000', { appliesTo: 'all' });
  // New tenants have the first-party service principals, the Intune Provisioning Client among them.
  const sp = (await graph('GET', `/v1.0/servicePrincipals?$filter=appId eq '${PROVISIONING_CLIENT}'`)).value[0];
  const group = (name, extra = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });
  const deviceGroup = await graph('POST', '/v1.0/groups', group('DPP devices', { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`] }));
  const userGroup = await graph('POST', '/v1.0/groups', group('DPP users'));
  const upn = `bench.user@${tenant.domain}`;
  const user = await graph('POST', '/v1.0/users', { accountEnabled: true, displayName: 'Bench User', mailNickname: 'bench.user', userPrincipalName: upn, passwordProfile: { password: PASSWORD } });
  // Every device belongs to one user here; Entra's per-user quota would stop at 50 otherwise.
  const registration = await graph('GET', '/beta/policies/deviceRegistrationPolicy');
  await graph('PUT', '/beta/policies/deviceRegistrationPolicy', { ...registration, userDeviceQuota: 2_147_483_647 });
  await graph('POST', `/v1.0/groups/${userGroup.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
  const apps = [];
  for (let i = 0; i < APPS; i++) {
    const app = await graph('POST', '/beta/deviceAppManagement/mobileApps', minimalWin32AppBody(`Bench app ${i}`));
    await graph('POST', `/beta/deviceAppManagement/mobileApps/${app.id}/assign`, {
      mobileAppAssignments: [{ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: deviceGroup.id } }],
    });
    apps.push({ id: app.id, type: '#microsoft.graph.win32LobApp' });
  }
  const scripts = [];
  for (let i = 0; i < SCRIPTS; i++) {
    const script = await graph('POST', '/beta/deviceManagement/deviceManagementScripts', {
      '@odata.type': '#microsoft.graph.deviceManagementScript',
      displayName: `Bench script ${i}`,
      scriptContent: Buffer.from('exit 0').toString('base64'),
      runAsAccount: 'system',
      fileName: `script${i}.ps1`,
    });
    await graph('POST', `/beta/deviceManagement/deviceManagementScripts/${script.id}/assign`, {
      deviceManagementScriptAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: deviceGroup.id } }],
    });
    scripts.push(script.id);
  }
  const policy = await graph('POST', '/beta/deviceManagement/configurationPolicies', userDrivenPolicyBody({ name: 'Bench policy', accountType: 'administrator', timeoutMinutes: 120, apps, scripts }));
  await graph('POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/setEnrollmentTimeDeviceMembershipTarget`, {
    enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroup.id }],
  });
  await graph('POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/assign`, { assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: userGroup.id } }] });
  await control('POST', `/tenants/${tenant.tenantId}/clock`, { rate: 0 });
  await control('PATCH', `/tenants/${tenant.tenantId}/simulation`, { defaults: { app: { durationSeconds: { min: 60, max: 180 } }, script: { durationSeconds: 20 } } });
  const devices = [];
  for (let i = 0; i < DEVICES; i += 5_000) {
    const body = Array.from({ length: Math.min(5_000, DEVICES - i) }, (_, k) => ({ serialNumber: `BENCH-${i + k}` }));
    devices.push(...(await control('POST', `/tenants/${tenant.tenantId}/devices`, body)).value);
  }

  // Timed: every device signs in, then the virtual clock runs the deployments to their end.
  const ctx = server.ctx;
  const started = process.hrtime.bigint();
  let scope = await tenantScopeNow(ctx, tenant.tenantId);
  for (const d of devices) await signIn(scope, d.id, { userPrincipalName: upn, password: PASSWORD });
  const signedIn = process.hrtime.bigint();
  await changeClock(ctx, tenant.tenantId, { advanceSeconds: 3 * 3600 });
  scope = await tenantScopeNow(ctx, tenant.tenantId);
  while ((await processDue(scope, 500)) > 0);
  const finished = process.hrtime.bigint();
  const counts = await ctx.db.kysely.selectFrom('deployments').select(['status', (eb) => eb.fn.countAll().as('n')]).where('tenant_id', '=', tenant.tenantId).groupBy('status').execute();
  const succeeded = Number(counts.find((c) => c.status === 'success')?.n ?? 0);
  if (succeeded !== DEVICES) throw new Error(`expected ${DEVICES} successful deployments, got ${JSON.stringify(counts)}`);
  const total = Number(finished - started) / 1e9;
  const rate = DEVICES / total;

  // Baseline: the same number of bare transactions on a SQLite file with Tarmac's settings.
  const bareDir = tempDir('deployments-bare');
  const bare = new Database(join(bareDir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('create table t (id text primary key, data text not null)');
  const insert = bare.prepare('insert into t (id, data) values (?, ?)');
  const doc = JSON.stringify({ status: 'success', items: Array.from({ length: APPS + SCRIPTS }, (_, i) => ({ i, status: 'installed' })) });
  const one = bare.transaction((id) => insert.run(id, doc));
  const bareStart = process.hrtime.bigint();
  for (let i = 0; i < DEVICES; i++) one(String(i));
  const bareSeconds = Number(process.hrtime.bigint() - bareStart) / 1e9;
  bare.close();
  removeDir(bareDir);

  const peak = process.resourceUsage().maxRSS * 1024;
  line(`${int(DEVICES)} deployments (${APPS} apps, ${SCRIPTS} scripts each), sign-in to desktop`, [
    `${int(rate)} completed/s (${seconds(total)})`,
    `bare SQLite: ${int(DEVICES / bareSeconds)} transactions/s (${seconds(bareSeconds)})`,
    `ratio ${fixed2(total / bareSeconds)}x the bare time`,
    'target >= 500/s',
  ], QUICK ? undefined : rate >= 500);
  detail(`sign-in ${seconds(Number(signedIn - started) / 1e9)}, running to the end ${seconds(Number(finished - signedIn) / 1e9)}`);
  line('peak memory (RSS of the bench process, server included)', [mb(peak), 'target <= 1 GB'], peak <= 1024 ** 3);
} finally {
  await server.close();
  removeDir(dir);
}
