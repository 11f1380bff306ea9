// Autopilot import (issue "classic Autopilot devices"): 100,000 devices registered through the Graph
// `import` action in calls of 500 (the portal's file size), against `tarmac serve` on a SQLite file, with the
// tutorial's dynamic groups in place (all Autopilot devices on [ZTDId], one group per group tag) and a
// deployment profile assigned; each device's Entra device object and group memberships are part of the work.
// Beside it, a raw better-sqlite3 insert of the same rows (upload records, Autopilot devices, Entra devices,
// memberships, with the same time-ordered ids) in one transaction per 500, with no HTTP, validation or rule
// evaluation.
// Hashes are 4,000 base64 characters, the size of a real hardware hash, so the bodies are the real size.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../dist/store/db.js';
import { orderedId } from '../dist/core/ordered-ids.js';
import { buildRequest, openConnections } from './lib/load.js';
import { cpuSecondsOf, removeDir, tempDir } from './lib/proc.js';
import { startTarmac } from './lib/servers.js';
import { createTenantWithToken } from './lib/tarmac-client.js';
import { QUICK, detail, envInt, fixed2, int, line, median, ms, seconds } from './lib/report.js';

const DEVICES = envInt('BENCH_AUTOPILOT_DEVICES', 100_000, 5_000);
const BATCH = 500;
const IN_FLIGHT = envInt('BENCH_AUTOPILOT_IN_FLIGHT', 2, 2);
const TAGS = 5;
/** A second, smaller import into a tenant with many dynamic device groups, to keep an eye on rule evaluation. */
const MANY_GROUPS = 100;
const MANY_GROUPS_DEVICES = envInt('BENCH_AUTOPILOT_GROUPS_DEVICES', 20_000, 2_000);
const IMPORT_PATH = '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/import';

/** 500 distinct hashes, reused call after call (hashes must differ within one call, serial numbers everywhere). */
const HASHES = Array.from({ length: BATCH }, () => randomBytes(3000).toString('base64'));
const serialOf = (n) => `BENCH${String(n).padStart(8, '0')}`;
const tagOf = (n) => `Tag${n % TAGS}`;

function importBody(first, count) {
  const items = [];
  for (let i = 0; i < count; i++) {
    const n = first + i;
    items.push({
      '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
      groupTag: tagOf(n),
      serialNumber: serialOf(n),
      productKey: '',
      hardwareIdentifier: HASHES[i],
      assignedUserPrincipalName: '',
    });
  }
  return JSON.stringify({ importedWindowsAutopilotDeviceIdentities: items });
}

async function graph(server, token, method, path, body) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The tutorial's groups and a profile assigned to all Autopilot devices (and `extraGroups` more tag groups). */
async function setUp(server, token, extraGroups = 0) {
  const group = (name, rule) =>
    graph(server, token, 'POST', '/v1.0/groups', {
      displayName: name,
      mailEnabled: false,
      mailNickname: name.replace(/\W/g, ''),
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: rule,
      membershipRuleProcessingState: 'On',
    });
  const all = await group('All Autopilot devices', '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))');
  const tags = [];
  for (let t = 0; t < TAGS; t++) tags.push(await group(`Autopilot ${tagOf(t)}`, `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${tagOf(t)}"))`));
  for (let g = 0; g < extraGroups; g++) {
    const rule = g % 2 ? `(device.devicePhysicalIds -any (_ -eq "[OrderID]:Other${g}"))` : `(device.devicePhysicalIds -any (_ -eq "[OrderID]:Other${g}")) -and (device.deviceModel -startsWith "Surface")`;
    await group(`Other ${g}`, rule);
  }
  const profile = await graph(server, token, 'POST', '/beta/deviceManagement/windowsAutopilotDeploymentProfiles', {
    '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
    displayName: 'User-driven Entra join',
    deviceNameTemplate: 'CONTOSO-%SERIAL%',
    outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: 'standard', keyboardSelectionPageSkipped: true },
  });
  await graph(server, token, 'POST', `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}/assignments`, {
    target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: all.id },
  });
  return { all: all.id, tags: tags.map((g) => g.id), profile: profile.id };
}

/** Sends every import call over IN_FLIGHT keep-alive connections; checks each device in each answer is complete. */
function importRequests(server, token, first, total) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
  const requests = [];
  for (let n = first; n < first + total; n += BATCH) {
    const count = Math.min(BATCH, first + total - n);
    requests.push({ count, bytes: buildRequest({ port: server.port, method: 'POST', path: IMPORT_PATH, headers, body: importBody(n, count) }) });
  }
  return requests;
}

async function importAll(server, token, requests) {
  const conns = await openConnections(server.port, IN_FLIGHT);
  const callMs = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (next < requests.length) {
          const { bytes, count } = requests[next++];
          const s = process.hrtime.bigint();
          const r = await c.send(bytes, true);
          callMs.push(Number(process.hrtime.bigint() - s) / 1e6);
          if (r.status !== 200) throw new Error(`import answered ${r.status}: ${r.body.toString().slice(0, 500)}`);
          // Counted, not parsed: the load generator must cost little next to the server it measures.
          const complete = r.body.toString('latin1').split('"deviceImportStatus":"complete"').length - 1;
          if (complete !== count) throw new Error(`${count - complete} device(s) of a call were not imported: ${r.body.toString().slice(0, 300)}`);
        }
      }),
    );
    return { secs: Number(process.hrtime.bigint() - t0) / 1e9, callMs };
  } finally {
    for (const c of conns) c.close();
  }
}

/** The rows an import writes, built and inserted by better-sqlite3 alone, one transaction per 500 devices. */
async function rawInsert() {
  const dir = tempDir('autopilot-raw');
  try {
    const file = join(dir, 'tarmac.db');
    const schema = await openDatabase({ file }); // Tarmac's own migrations: the same tables and indexes
    await schema.close();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const tenantId = randomUUID();
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    db.prepare('insert into tenants (id, domain, display_name, created_at) values (?, ?, ?, ?)').run(tenantId, 'raw.onmicrosoft.com', 'Raw', now);
    const groups = [randomUUID(), ...Array.from({ length: TAGS }, () => randomUUID())];
    const insertObject = db.prepare('insert into intune_objects (tenant_id, collection, id, odata_type, unique_key, data, created_at) values (?, ?, ?, ?, ?, ?, ?)');
    const insertDevice = db.prepare('insert into devices (tenant_id, id, device_id, data) values (?, ?, ?, ?)');
    const insertLink = db.prepare("insert into links (tenant_id, source_id, rel, target_id, target_kind) values (?, ?, 'members', ?, 'device')");
    const batch = db.transaction((first, count) => {
      const importId = randomUUID();
      for (let i = 0; i < count; i++) {
        const n = first + i;
        const identityId = orderedId();
        const deviceId = orderedId();
        const objectId = orderedId();
        const serialNumber = serialOf(n);
        const physicalIds = [`[ZTDId]:${identityId}`, `[OrderId]:${tagOf(n)}`];
        insertDevice.run(tenantId, objectId, deviceId, JSON.stringify({ accountEnabled: true, deviceId, displayName: serialNumber, operatingSystem: 'Windows', trustType: 'AzureAd', physicalIds, registrationDateTime: now }));
        insertLink.run(tenantId, groups[0], objectId);
        insertLink.run(tenantId, groups[1 + (n % TAGS)], objectId);
        insertObject.run(tenantId, 'windowsAutopilotDeviceIdentities', identityId, '#microsoft.graph.windowsAutopilotDeviceIdentity', serialNumber, JSON.stringify({ groupTag: tagOf(n), serialNumber, azureAdDeviceId: deviceId, enrollmentState: 'notContacted' }), now);
        insertObject.run(
          tenantId,
          'importedWindowsAutopilotDeviceIdentities',
          orderedId(),
          '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
          null,
          JSON.stringify({ groupTag: tagOf(n), serialNumber, importId, hardwareIdentifier: HASHES[i], state: { deviceImportStatus: 'complete', deviceRegistrationId: identityId } }),
          now,
        );
      }
    });
    let ns = 0n;
    for (let first = 0; first < DEVICES; first += BATCH) {
      const t0 = process.hrtime.bigint();
      batch(first, Math.min(BATCH, DEVICES - first));
      ns += process.hrtime.bigint() - t0;
      await new Promise((r) => setImmediate(r)); // Ctrl+C stays responsive
    }
    db.close();
    return Number(ns) / 1e9;
  } finally {
    removeDir(dir);
  }
}

const tarmac = await startTarmac();
try {
  const tenant = await createTenantWithToken(tarmac);
  const ids = await setUp(tarmac, tenant.token);
  const requests = importRequests(tarmac, tenant.token, 0, DEVICES);
  const cpu0 = cpuSecondsOf(tarmac.child.pid);
  const { secs, callMs } = await importAll(tarmac, tenant.token, requests);
  const cpu = (cpuSecondsOf(tarmac.child.pid) ?? NaN) - (cpu0 ?? NaN);

  // Everything the import promised is there: devices, Entra devices, memberships, profile status.
  const db = new Database(join(tarmac.dataDir, 'tarmac.db'), { readonly: true });
  const count = (sqlText, ...args) => db.prepare(sqlText).get(...args).n;
  const identities = count("select count(*) as n from intune_objects where tenant_id = ? and collection = 'windowsAutopilotDeviceIdentities'", tenant.tenantId);
  const entra = count('select count(*) as n from devices where tenant_id = ?', tenant.tenantId);
  const inAll = count("select count(*) as n from links where tenant_id = ? and rel = 'members' and source_id = ?", tenant.tenantId, ids.all);
  const inTag = count("select count(*) as n from links where tenant_id = ? and rel = 'members' and source_id = ?", tenant.tenantId, ids.tags[0]);
  db.close();
  if (identities !== DEVICES || entra !== DEVICES || inAll !== DEVICES || inTag !== Math.ceil(DEVICES / TAGS)) {
    throw new Error(`after the import: ${identities} Autopilot devices, ${entra} Entra devices, ${inAll} in the [ZTDId] group, ${inTag} in the Tag0 group; expected ${DEVICES}, ${DEVICES}, ${DEVICES}, ${Math.ceil(DEVICES / TAGS)}`);
  }
  const p0 = performance.now();
  const page = await graph(tarmac, tenant.token, 'GET', '/beta/deviceManagement/windowsAutopilotDeviceIdentities?$top=100');
  const pageMs = performance.now() - p0;
  if (!page.value.every((d) => d.deploymentProfileAssignmentStatus === 'assignedInSync')) throw new Error('a listed device has no profile assigned');

  // The same import, smaller, into a tenant with 100 more dynamic device groups.
  const crowded = await createTenantWithToken(tarmac);
  await setUp(tarmac, crowded.token, MANY_GROUPS);
  const many = await importAll(tarmac, crowded.token, importRequests(tarmac, crowded.token, DEVICES, MANY_GROUPS_DEVICES));

  const raw = await rawInsert();
  const full = DEVICES === 100_000;
  line(
    `Autopilot import, ${int(DEVICES)} devices via the Graph import action in ${BATCH}-device calls (${IN_FLIGHT} in flight, SQLite file, ${TAGS + 1} dynamic groups)`,
    [
      `${seconds(secs)} (${int(DEVICES / secs)} devices/s)`,
      `raw better-sqlite3 insert of the same rows: ${seconds(raw)}`,
      `ratio ${fixed2(secs / raw)}x`,
      full ? 'target <= 30 s' : 'target <= 30 s for 100,000 devices (not judged at this size)',
    ],
    full ? secs <= 30 : undefined,
  );
  detail(`per call: median ${ms(median(callMs))}, slowest ${ms(Math.max(...callMs))}; request body ${int(requests[0].bytes.length / 1024)} KB; server CPU ${seconds(cpu)} (${int((cpu / DEVICES) * 1e6)} us per device)`);
  detail(`afterwards: ${int(identities)} Autopilot devices, ${int(entra)} Entra devices, ${int(inAll)} in the [ZTDId] group, ${int(inTag)} in each group-tag group, profile assigned${QUICK ? ' (quick mode)' : ''}`);
  detail(`first page of devices (100, each with its computed profile status) after the import: ${ms(pageMs)}`);
  detail(`with ${TAGS + 1 + MANY_GROUPS} dynamic device groups in the tenant: ${int(MANY_GROUPS_DEVICES)} devices in ${seconds(many.secs)} (${int(MANY_GROUPS_DEVICES / many.secs)} devices/s, against ${int(DEVICES / secs)} with ${TAGS + 1})`);
} finally {
  await tarmac.stop();
  removeDir(tarmac.dataDir);
}
