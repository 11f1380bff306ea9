// Explain (issue "reports, explain, preflight"): one user and one device in a tenant of 100,000 devices,
// 1,000 groups and 50 device preparation policies. The directory is written through the services in bulk;
// the policies, apps and scripts through Graph, as an admin would. Explain runs the engine to the end in a
// rolled-back transaction, so its figure includes a whole simulated deployment. Beside it, a Graph
// `GET /v1.0/users/{id}` on the same server: the cheapest authenticated request.
import { randomUUID } from 'node:crypto';
import { startServer } from '../dist/server/start.js';
import { inTransaction, tenantScopeNow } from '../dist/server/context.js';
import { createGroup } from '../dist/directory/groups.js';
import { createUser } from '../dist/directory/users.js';
import { addLink } from '../dist/directory/links.js';
import { insertDevices } from '../dist/directory/bulk-devices.js';
import { userDrivenPolicyBody } from '../dist/intune/device-preparation-templates.js';
import { minimalWin32AppBody } from '../dist/intune/mobile-app-types.js';
import { removeDir, tempDir } from './lib/proc.js';
import { inProcessTenant } from './lib/in-process.js';
import { QUICK, envInt, fixed2, int, line, median, ms } from './lib/report.js';

const DEVICES = envInt('BENCH_EXPLAIN_DEVICES', 100_000, 5_000);
const GROUPS = 1_000;
const DYNAMIC_GROUPS = 50;
const POLICIES = 50;
const USERS = 1_000;
const RUNS = envInt('BENCH_EXPLAIN_RUNS', 40, 10);
const PROVISIONING_CLIENT = 'f1346770-5b25-470b-88bd-d5744ab7952c';

export async function bigTenant(server, controlKey) {
  const { tenant, token, control, graph } = await inProcessTenant(server, controlKey);

  const scope = await tenantScopeNow(server.ctx, tenant.tenantId);
  const sp = (await graph('GET', `/v1.0/servicePrincipals?$filter=appId eq '${PROVISIONING_CLIENT}'`)).value[0];
  const groups = [];
  const deviceGroups = [];
  await inTransaction(scope, async (tx) => {
    for (let i = 0; i < GROUPS; i++) {
      const dynamic = i < DYNAMIC_GROUPS;
      const g = await createGroup(tx, {
        displayName: `Group ${i}`,
        mailEnabled: false,
        mailNickname: `group${i}`,
        securityEnabled: true,
        ...(dynamic ? { groupTypes: ['DynamicMembership'], membershipRule: `(device.displayName -startsWith "DEV-${String(i).padStart(2, '0')}")`, membershipRuleProcessingState: 'On' } : {}),
      });
      groups.push(g.id);
    }
    // One device group per policy, owned by the Intune Provisioning Client.
    for (let p = 0; p < POLICIES; p++) {
      const g = await createGroup(tx, { displayName: `DPP devices ${p}`, mailEnabled: false, mailNickname: `dppdevices${p}`, securityEnabled: true });
      await addLink(tx, 'owners', g.id, { id: sp.id, kind: 'servicePrincipal' });
      deviceGroups.push(g.id);
    }
  });
  const users = [];
  await inTransaction(scope, async (tx) => {
    for (let u = 0; u < USERS; u++) {
      const user = await createUser(tx, { accountEnabled: true, displayName: `User ${u}`, mailNickname: `user${u}`, userPrincipalName: `user${u}@${tenant.domain}`, passwordProfile: { password: 'Bench-Passw0rd!' } });
      users.push(user.id);
      for (let k = 0; k < 3; k++) await addLink(tx, 'members', groups[DYNAMIC_GROUPS + ((u * 7 + k * 13) % (GROUPS - DYNAMIC_GROUPS))], { id: user.id, kind: 'user' });
    }
  });
  for (let i = 0; i < DEVICES; i += 2_000) {
    await inTransaction(scope, async (tx) => {
      const batch = Array.from({ length: Math.min(2_000, DEVICES - i) }, (_, k) => ({
        accountEnabled: true,
        deviceId: randomUUID(),
        displayName: `DEV-${String((i + k) % 100).padStart(2, '0')}-${i + k}`,
        operatingSystem: 'Windows',
        operatingSystemVersion: '10.0.26100.4061',
        trustType: 'AzureAd',
        alternativeSecurityIds: [],
      }));
      await insertDevices(tx, batch);
    });
  }
  await graph('PATCH', '/beta/policies/mobileDeviceManagementPolicies/0000000a-0000-0000-c000-000000000000', { appliesTo: 'all' });
  // 25 apps and 10 scripts shared by the policies, each assigned to every device group.
  const apps = [];
  for (let a = 0; a < 25; a++) {
    const app = await graph('POST', '/beta/deviceAppManagement/mobileApps', minimalWin32AppBody(`App ${a}`));
    await graph('POST', `/beta/deviceAppManagement/mobileApps/${app.id}/assign`, {
      mobileAppAssignments: deviceGroups.slice(0, 10).map((groupId) => ({ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } })),
    });
    apps.push({ id: app.id, type: '#microsoft.graph.win32LobApp' });
  }
  const scripts = [];
  for (let s = 0; s < 10; s++) {
    const script = await graph('POST', '/beta/deviceManagement/deviceManagementScripts', { '@odata.type': '#microsoft.graph.deviceManagementScript', displayName: `Script ${s}`, scriptContent: Buffer.from('exit 0').toString('base64'), runAsAccount: 'system', fileName: `s${s}.ps1` });
    await graph('POST', `/beta/deviceManagement/deviceManagementScripts/${script.id}/assign`, { deviceManagementScriptAssignments: deviceGroups.slice(0, 10).map((groupId) => ({ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } })) });
    scripts.push(script.id);
  }
  const policies = [];
  for (let p = 0; p < POLICIES; p++) {
    const policy = await graph('POST', '/beta/deviceManagement/configurationPolicies', userDrivenPolicyBody({ name: `Policy ${p}`, accountType: 'administrator', apps: apps.slice(0, 5 + (p % 20)), scripts: scripts.slice(0, p % 10) }));
    await graph('POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/setEnrollmentTimeDeviceMembershipTarget`, { enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroups[p] }] });
    await graph('POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/assign`, {
      assignments: [0, 1, 2].map((k) => ({ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: groups[DYNAMIC_GROUPS + ((p * 17 + k * 5) % (GROUPS - DYNAMIC_GROUPS))] } })),
    });
    policies.push(policy.id);
  }
  await control('POST', `/tenants/${tenant.tenantId}/clock`, { rate: 0 });
  return { tenant, token, control, graph, users, groups, policies };
}

// Run as a bench file (not when imported by another bench).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = tempDir('explain');
  const controlKey = 'bench-explain';
  const server = await startServer({ data: dir, port: 0, demo: false, controlKey });
  try {
    const setupStart = Date.now();
    const { tenant, token, control, users } = await bigTenant(server, controlKey);
    const device = await control('POST', `/tenants/${tenant.tenantId}/devices`, { serialNumber: 'EXPLAIN-BENCH' });
    console.log(`    (setup: ${int(DEVICES)} devices, ${int(GROUPS)} groups, ${POLICIES} policies in ${((Date.now() - setupStart) / 1000).toFixed(0)} s)`);
    const timed = async (url, headers) => {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return median(times);
    };
    // A user targeted by several policies (user 0 is in three groups, each assigned to policies).
    const explainMs = await timed(`${server.url}/_tarmac/tenants/${tenant.tenantId}/explain?user=${users[0]}&device=${device.id}`, { authorization: `Bearer ${controlKey}` });
    const baselineMs = await timed(`${server.url}/v1.0/users/${users[0]}`, { authorization: `Bearer ${token}` });
    line(`explain one user and device (${int(DEVICES)} devices, ${int(GROUPS)} groups, ${POLICIES} policies), median of ${RUNS}`, [ms(explainMs), `GET /v1.0/users/{id}: ${fixed2(baselineMs)} ms`, `ratio ${fixed2(explainMs / baselineMs)}x`, 'target <= 20 ms'], QUICK ? undefined : explainMs <= 20);
  } finally {
    await server.close();
    removeDir(dir);
  }
}
