// Deployment reports (issue "Deployment reports"): exporting 100,000 rows of AutopilotV2DeploymentStatus
// through the Reports Export API, from the POST of the job to the downloaded zip, target <= 10 s. The
// deployments are written straight into the database (not timed) in the stored document format of
// src/provisioning/deployment.ts: each a device preparation deployment with 5 Win32 apps, 2 scripts and its
// timeline, as the engine leaves it. The server runs in the bench process (the setup writes to its database);
// the export goes over HTTP as a client would do it.
// Beside it, the baseline: csv-stringify of the same 100,000 rows, already in memory (no database, no zip).
// Parts: `sqlite` (a data folder) and `pg` (TARMAC_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test,
// skipped when it cannot be reached); both by default.
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { startServer } from '../dist/server/start.js';
import { removeDir, tempDir } from './lib/proc.js';
import { inProcessTenant } from './lib/in-process.js';
import { QUICK, detail, envInt, fixed2, int, line, mb, seconds } from './lib/report.js';

const ROWS = envInt('BENCH_REPORT_ROWS', 100_000, 5_000);
const PG_URL = process.env.TARMAC_BENCH_DATABASE_URL ?? process.env.TARMAC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const parts = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = (part) => parts.length === 0 || parts.includes(part);
const APPS = 5;
const SCRIPTS = 2;
const DAY = 24 * 3600 * 1000;

/** One deployment as the engine stores it after a run: success for most, a failed app for one in ten. */
function deploymentDocument(i, now, upn, policyId, apps, scripts) {
  const failed = i % 10 === 0;
  const startedAt = now - (i % (20 * 24 * 60)) * 60_000 - 3_600_000;
  const enrolledAt = startedAt + 60_000;
  let at = enrolledAt + 60_000;
  const timeline = [
    { at: startedAt, event: 'signIn', detail: `${upn} signed in on the out-of-box experience.` },
    { at: startedAt, event: 'pathChosen', detail: "The user is assigned the device preparation policy 'Bench policy'." },
    { at: startedAt + 30_000, event: 'entraJoined', detail: `Joined Microsoft Entra ID as 'DESKTOP-${String(i).padStart(7, '0')}'.` },
    { at: enrolledAt, event: 'enrolled', detail: 'Enrolled in Intune as a corporate device.' },
    { at: enrolledAt, event: 'addedToDeviceGroup', detail: 'Added to the device group.' },
    { at, event: 'tracking', detail: `${APPS + SCRIPTS} tracked item(s), 0 skipped, 0 after setup.` },
  ];
  const items = [];
  const add = (kind, id, displayName, odataType, phase, seconds, exitCode) => {
    const startedItem = at;
    at += seconds * 1000;
    const ok = exitCode === 0;
    items.push({ kind, id, displayName, odataType, phase, tracked: true, status: ok ? 'installed' : 'failed', reasonCode: ok ? null : 'exitCode', reason: ok ? null : `The installer ended with exit code ${exitCode}.`, durationSeconds: seconds, exitCode, startedAt: startedItem, completedAt: at });
    timeline.push({ at: startedItem, event: 'itemStarted', detail: `${kind} '${displayName}'` }, { at, event: ok ? 'itemInstalled' : 'failed', detail: `${kind} '${displayName}'` });
  };
  scripts.forEach((s, k) => add('script', s, `Bench script ${k}`, null, 'scriptInstallation', 20, 0));
  apps.forEach((a, k) => add('app', a, `Bench app ${k}`, '#microsoft.graph.win32LobApp', 'appInstallation', 60 + ((i + k) % 120), failed && k === APPS - 1 ? 1603 : 0));
  const completedAt = at;
  return {
    deviceId: randomUUID(),
    serialNumber: `BENCH-${String(i).padStart(7, '0')}`,
    sequence: 1,
    userId: randomUUID(),
    userPrincipalName: upn,
    path: 'devicePreparation',
    intendedPath: 'devicePreparation',
    pathReason: "The user is assigned the device preparation policy 'Bench policy'.",
    status: failed ? 'failed' : 'success',
    stage: failed ? 'failed' : 'desktop',
    phase: 'appInstallation',
    startedAt,
    completedAt,
    attempt: 1,
    failures: failed ? 1 : 0,
    spanStartedAt: startedAt,
    deadlineAt: null,
    policy: { id: policyId, name: 'Bench policy', priority: 1, userAccountType: 'administrator', timeoutMinutes: 120, customErrorMessage: 'Contact IT.', allowSkip: true, allowDiagnostics: true, deviceGroupId: randomUUID() },
    profile: null,
    oobePages: { shown: ['region', 'keyboard', 'licenseTerms', 'signIn', 'privacySettings'], hidden: ['personalOrWork'] },
    statusPage: null,
    items,
    error: failed ? { code: '0x80070643', reason: 'appFailed', message: `App 'Bench app ${APPS - 1}' failed: The installer ended with exit code 1603.`, stage: 'installing' } : null,
    entraObjectId: randomUUID(),
    azureADDeviceId: randomUUID(),
    managedDeviceId: randomUUID(),
    deviceName: `DESKTOP-${String(i).padStart(7, '0')}`,
    ownership: 'company',
    corporateIdentifierId: null,
    localAdministrator: true,
    provisioningSkipped: false,
    enrollmentTimeGrouping: { groupId: randomUUID(), status: 'added', reason: null },
    continuedAnyway: false,
    logsCollected: false,
    timeline: [...timeline, ...(failed ? [] : [{ at: completedAt, event: 'requiredSetupComplete', detail: 'Required setup complete.' }, { at: completedAt + 10_000, event: 'desktop', detail: 'The user is signed in and reaches the desktop.' }])],
  };
}

/** The row the report writes for a document (the baseline's input, built without the server's code). */
const reportRow = (d) => ({
  CurrentProvisioningPhase: d.status === 'success' ? '4' : '3',
  DeploymentDurationTimeInSeconds: String(Math.round((d.completedAt - d.startedAt) / 1000)),
  DeploymentStatus: d.status === 'success' ? '2' : '3',
  DeviceId: d.managedDeviceId,
  DeviceName: d.deviceName,
  EnrollmentTimeInUtc: `${new Date(d.startedAt + 60_000).toISOString().replace('T', ' ').slice(0, 23)}0000`,
  Phase: d.status === 'success' ? '6' : '1796',
  ResultCode: d.status === 'success' ? '0' : '-2147023293',
  SerialNumber: d.serialNumber,
  UPN: d.userPrincipalName,
});

async function run(label, options) {
  const controlKey = 'bench-reports';
  const server = await startServer({ ...options, port: 0, demo: false, controlKey });
  try {
    const { tenant, token, control, graph } = await inProcessTenant(server, controlKey);

    // Setup (not timed): the deployments, straight into the table, in the engine's stored format.
    const db = server.ctx.db.kysely;
    const now = Date.now();
    const upn = `bench.user@${tenant.domain}`;
    const policyId = randomUUID();
    const apps = Array.from({ length: APPS }, () => randomUUID());
    const scripts = Array.from({ length: SCRIPTS }, () => randomUUID());
    const rows = [];
    let storedBytes = 0;
    for (let i = 0; i < ROWS; i += 1000) {
      const batch = [];
      for (let k = i; k < Math.min(ROWS, i + 1000); k++) {
        const d = deploymentDocument(k, now, upn, policyId, apps, scripts);
        rows.push(reportRow(d));
        const data = JSON.stringify(d);
        storedBytes += data.length;
        batch.push({ tenant_id: tenant.tenantId, id: randomUUID(), device_id: d.deviceId, status: d.status, wake_at: null, started_at: new Date(d.startedAt).toISOString(), data, version: 5 });
      }
      await db.transaction().execute(async (trx) => {
        for (let k = 0; k < batch.length; k += 250) await trx.insertInto('deployments').values(batch.slice(k, k + 250)).execute();
      });
    }

    // Timed: POST the job, poll it as a client does, download the zip.
    const started = process.hrtime.bigint();
    const job = await graph('POST', '/beta/deviceManagement/reports/exportJobs', { reportName: 'AutopilotV2DeploymentStatus', format: 'csv' });
    let state = job;
    let polls = 0;
    while (state.status !== 'completed') {
      if (state.status === 'failed') throw new Error('the export job failed');
      await new Promise((r) => setTimeout(r, 50));
      state = await graph('GET', `/beta/deviceManagement/reports/exportJobs('${job.id}')`);
      polls++;
    }
    const completed = process.hrtime.bigint();
    const zip = Buffer.from(await (await fetch(state.url)).arrayBuffer());
    const finished = process.hrtime.bigint();
    const total = Number(finished - started) / 1e9;

    // Baseline: csv-stringify of the same rows in memory.
    const columns = Object.keys(rows[0]);
    const baseStart = process.hrtime.bigint();
    const csv = stringify(rows.map((r) => columns.map((c) => r[c])), { header: true, columns, bom: true, record_delimiter: 'windows' });
    const baseline = Number(process.hrtime.bigint() - baseStart) / 1e9;

    line(`${label}: export of ${int(ROWS)} AutopilotV2DeploymentStatus rows, POST to downloaded zip`, [
      seconds(total),
      `csv-stringify of the same rows in memory: ${seconds(baseline)}`,
      `ratio ${fixed2(total / baseline)}x`,
      'target <= 10 s',
    ], QUICK ? undefined : total <= 10);
    detail(`generated in ${seconds(Number(completed - started) / 1e9)} (${polls} polls), download ${seconds(Number(finished - completed) / 1e9)}; zip ${mb(zip.length)} of a ${mb(csv.length)} CSV; ${mb(storedBytes)} of stored deployment documents`);
  } finally {
    await server.close();
  }
}

if (wanted('sqlite')) {
  const dir = tempDir('reports');
  try {
    await run('SQLite', { data: dir });
  } finally {
    removeDir(dir);
  }
}
if (wanted('pg')) {
  const schema = `bench_reports_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  const reachable = await client.connect().then(
    () => true,
    () => false,
  );
  if (!reachable) console.log(`PostgreSQL: skipped (${PG_URL} cannot be reached; set TARMAC_BENCH_DATABASE_URL)`);
  else {
    try {
      await run('PostgreSQL', { databaseUrl: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}` });
    } finally {
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
}
