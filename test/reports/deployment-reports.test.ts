// The Autopilot reports of the Reports Export API, checked against deployments that really ran: device
// preparation deployments that succeed, fail (an app's exit code set through the simulation API), time out
// and are still running, and classic Autopilot deployments that succeed, fail in the Enrollment Status Page
// and are stopped at enrollment. Each report is exported as CSV and JSON through Graph, downloaded without a
// bearer token, unzipped with fflate and parsed with csv-parse, then compared with the deployments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appToken, createTestTenant, json, startTestServer, type TestServer } from '../helpers/server.js';
import { isGraphErrorBody } from '../helpers/errors.js';
import { advance, deployment, devicePreparationTutorial, msiApp, newDevice, newLab, runToEnd, signIn, win32App, assignApp, type Lab, type Tutorial } from '../provisioning/tutorial.js';
import { GRAPH_ENTITIES } from '../../src/graph/schema/entities.generated.js';
import { autopilotGroup, createJob, deploymentProfile, download, eventTime, exportReport, ms, pollJob, registerDevice, reportTime, simulate, statusPage, unzipOne } from './report-lab.js';

let t: TestServer;
let lab: Lab;
let tut: Tutorial;
/** The deployments as the control API shows them at the end of setup, by name. */
const runs: Record<string, any> = {};
let espId: string;

const JOBS = '/beta/deviceManagement/reports/exportJobs';
const V2 = 'AutopilotV2DeploymentStatus';
const V2_APPS = 'AutopilotV2DeploymentStatusDetailedAppInfo';
const V2_SCRIPTS = 'AutopilotV2DeploymentStatusDetailedScriptInfo';
const V1 = 'AutopilotV1DeploymentStatus';
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{7}$/;
/** PolicyInstallStatus as Tarmac numbers it (docs/compatibility.md, Reports). */
const ITEM_STATUS: Record<string, string> = { notStarted: '0', inProgress: '1', installed: '2', failed: '3', skipped: '4' };

beforeAll(async () => {
  t = await startTestServer();
  lab = await newLab(t);
  tut = await devicePreparationTutorial(lab, {
    apps: [{ name: 'Contoso Agent' }, { name: 'Contoso Office', body: msiApp('Contoso Office') }, { name: 'Contoso Extra', select: false }],
    scripts: [{ name: 'Setup script' }],
  });
  await simulate(lab, { defaults: { app: { durationSeconds: 100 }, script: { durationSeconds: 20 } } });
  const run = async (serialNumber: string, extra: Record<string, unknown> = {}) => {
    const device = await newDevice(lab, { serialNumber, manufacturer: 'Contoso', model: 'Laptop 7', ...extra });
    return runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
  };

  // Device preparation: a success, an app that fails with 1603, a script that hangs until the timeout.
  runs.dpOk = await run('DP-OK-1');
  const agent = tut.appIds['Contoso Agent']!;
  await simulate(lab, { apps: { [agent]: { exitCode: 1603 } } });
  runs.dpFail = await run('DP-FAIL-1');
  await simulate(lab, { apps: { [agent]: null } });
  const script = tut.scriptIds['Setup script']!;
  await simulate(lab, { scripts: { [script]: { hang: true } } });
  runs.dpHang = await run('DP-HANG-1');
  await simulate(lab, { scripts: { [script]: null } });

  // Classic Autopilot with a device-targeted ESP: a device app (Device setup) and a user app (Account setup).
  const apGroup = await autopilotGroup(lab);
  await deploymentProfile(lab, 'Contoso Autopilot', apGroup, { template: 'AP-%SERIAL%' });
  espId = await statusPage(lab, 'Contoso ESP', [apGroup]);
  const deviceApp = (await lab.client.api('/deviceAppManagement/mobileApps').post(win32App('Device Agent'))).id;
  const userApp = (await lab.client.api('/deviceAppManagement/mobileApps').post(win32App('User Tool'))).id;
  await assignApp(lab, deviceApp, apGroup);
  await assignApp(lab, userApp, tut.userGroupId);
  const registered = async (serialNumber: string, extra: Record<string, unknown> = {}) => {
    const device = await newDevice(lab, { serialNumber, ...extra });
    await registerDevice(lab, device);
    return runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
  };
  runs.apOk = await registered('AP-OK-1');
  await simulate(lab, { apps: { [deviceApp]: { exitCode: 1603 } } });
  runs.apFail = await registered('AP-FAIL-1');
  await simulate(lab, { apps: { [deviceApp]: null } });
  runs.apHome = await registered('AP-HOME-1', { windowsEdition: 'Home' });

  // Last, so nothing moves it: a device preparation deployment still installing the LOB app.
  const running = await newDevice(lab, { serialNumber: 'DP-RUN-1' });
  const started = await signIn(lab, running.id, tut.user.upn);
  await advance(lab, 200);
  runs.dpRun = await deployment(lab, started.id);
}, 120_000);
afterAll(() => t?.close());

const bySerial = (rows: Record<string, string>[], column: string) => Object.fromEntries(rows.map((r) => [r[column], r]));

describe('the scenario the reports are checked against', () => {
  it('ran as intended', () => {
    expect(runs.dpOk).toMatchObject({ path: 'devicePreparation', status: 'success', stage: 'desktop' });
    expect(runs.dpFail).toMatchObject({ path: 'devicePreparation', status: 'failed', phase: 'appInstallation', error: { code: '0x80070643' } });
    expect(runs.dpHang).toMatchObject({ path: 'devicePreparation', status: 'failed', phase: 'scriptInstallation', error: { code: '0x800705b4' } });
    expect(runs.dpRun).toMatchObject({ path: 'devicePreparation', status: 'inProgress', stage: 'installing', phase: 'policyInstallation' });
    expect(runs.apOk).toMatchObject({ path: 'classicAutopilot', status: 'success', enrollmentStatusPage: { id: espId, showInstallationProgress: true } });
    expect(runs.apFail).toMatchObject({ path: 'classicAutopilot', status: 'failed', phase: 'deviceSetup', error: { code: '0x80070643' } });
    expect(runs.apHome).toMatchObject({ path: 'blocked', intendedPath: 'classicAutopilot', status: 'failed', error: { code: '0x80180022' }, managedDeviceId: null });
  });
});

describe('AutopilotV2DeploymentStatus', () => {
  it('creates a job as Intune does: 201, notStarted, no url, then completed with a url', async () => {
    const created = await createJob(lab.tenant, { reportName: V2, format: 'csv' });
    expect(created).toMatchObject({ reportName: V2, format: 'csv', status: 'notStarted', url: null, filter: null, select: [], snapshotId: null, localizationType: 'localizedValuesAsAdditionalColumn', expirationDateTime: '0001-01-01T00:00:00Z' });
    expect(created.id).toMatch(/^AutopilotV2DeploymentStatus_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created['@odata.context']).toBe(`${t.url}/beta/$metadata#deviceManagement/reports/exportJobs/$entity`);
    expect(created.requestDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    const done = await pollJob(lab.tenant, created.id);
    expect(done).toMatchObject({ id: created.id, status: 'completed', requestDateTime: created.requestDateTime });
    expect(done.url).toMatch(new RegExp(`^${t.url}/.+${created.id}\\.zip\\?`));
    // The link works for six hours of the tenant's clock after completion.
    expect(ms(done.expirationDateTime) - ms(done.requestDateTime)).toBe(6 * 3600 * 1000);
    // Both URL forms of the job reach it.
    expect((await json(lab.tenant.graph('GET', `${JOBS}/${created.id}`))).body.status).toBe('completed');
  });

  it('writes one row per device preparation deployment, with Intune\'s codes', async () => {
    const report = await exportReport(lab.tenant, { reportName: V2, format: 'csv' });
    expect(report.fileName).toBe(`${report.job.id}.csv`);
    expect(report.columns).toEqual(['CurrentProvisioningPhase', 'DeploymentDurationTimeInSeconds', 'DeploymentStatus', 'DeviceId', 'DeviceName', 'EnrollmentTimeInUtc', 'Phase', 'ResultCode', 'SerialNumber', 'UPN']);
    // Classic deployments are not device preparation deployments.
    expect(report.rows.map((r) => r.SerialNumber).sort()).toEqual(['DP-FAIL-1', 'DP-HANG-1', 'DP-OK-1', 'DP-RUN-1']);
    const rows = bySerial(report.rows, 'SerialNumber');
    for (const [name, serial] of [['dpOk', 'DP-OK-1'], ['dpFail', 'DP-FAIL-1'], ['dpHang', 'DP-HANG-1'], ['dpRun', 'DP-RUN-1']] as const) {
      const d = runs[name];
      expect(rows[serial]).toMatchObject({ DeviceId: d.managedDeviceId, DeviceName: d.deviceName, UPN: tut.user.upn, EnrollmentTimeInUtc: reportTime(eventTime(d, 'enrolled')) });
      expect(rows[serial]!.EnrollmentTimeInUtc).toMatch(TIME);
    }
    // Success: Entra join 30 s, enrollment 30 s, preparing 60 s, the LOB app 100 s, the script 20 s, the Win32 app 100 s.
    expect(rows['DP-OK-1']).toMatchObject({ DeploymentStatus: '2', DeploymentDurationTimeInSeconds: '340', ResultCode: '0', CurrentProvisioningPhase: '4', Phase: '6' });
    expect(runs.dpOk.deploymentTimeSeconds).toBe(340);
    // The Win32 app ends with 1603: HRESULT 0x80070643 as a signed decimal, in App installation.
    expect(rows['DP-FAIL-1']).toMatchObject({ DeploymentStatus: '3', DeploymentDurationTimeInSeconds: '340', ResultCode: '-2147023293', CurrentProvisioningPhase: '3', Phase: '1796' });
    // The script hangs until the policy's 60 minutes: ERROR_TIMEOUT in Script installation, Intune's live failed row.
    expect(rows['DP-HANG-1']).toMatchObject({ DeploymentStatus: '3', DeploymentDurationTimeInSeconds: '3600', ResultCode: '-2147023436', CurrentProvisioningPhase: '2', Phase: '1796' });
    expect(rows['DP-RUN-1']).toMatchObject({ DeploymentStatus: '1', DeploymentDurationTimeInSeconds: '0', ResultCode: '0', CurrentProvisioningPhase: '1', Phase: '4' });
  });

  it('writes the same rows as JSON, every value a string', async () => {
    const csv = await exportReport(lab.tenant, { reportName: V2, format: 'csv' });
    const report = await exportReport(lab.tenant, { reportName: V2, format: 'json' });
    expect(report.fileName).toBe(`${report.job.id}.json`);
    expect(report.job.format).toBe('json');
    expect(report.columns).toEqual(csv.columns);
    expect(report.rows).toEqual(csv.rows);
    for (const row of report.rows) for (const value of Object.values(row)) expect(typeof value).toBe('string');
  });

  it('limits and orders columns with select (names matched ignoring case) and rows with filter', async () => {
    const picked = await exportReport(lab.tenant, { reportName: V2, select: ['UPN', 'deploymentstatus', 'SerialNumber'] });
    expect(picked.job.select).toEqual(['UPN', 'deploymentstatus', 'SerialNumber']);
    expect(picked.columns).toEqual(['UPN', 'DeploymentStatus', 'SerialNumber']);
    expect(picked.rows).toHaveLength(4);

    const failed = await exportReport(lab.tenant, { reportName: V2, format: 'json', select: ['SerialNumber'], filter: "(DeploymentStatus eq '3')" });
    expect(failed.job.filter).toBe("(DeploymentStatus eq '3')");
    expect(failed.rows.map((r) => r.SerialNumber).sort()).toEqual(['DP-FAIL-1', 'DP-HANG-1']);
    const one = await exportReport(lab.tenant, { reportName: V2, select: ['SerialNumber'], filter: "(DeploymentStatus eq '3') and (SerialNumber eq 'DP-HANG-1')" });
    expect(one.rows).toEqual([{ SerialNumber: 'DP-HANG-1' }]);
    const either = await exportReport(lab.tenant, { reportName: V2, select: ['SerialNumber'], filter: "(DeploymentStatus eq '2') or ((CurrentProvisioningPhase eq '1'))" });
    expect(either.rows.map((r) => r.SerialNumber).sort()).toEqual(['DP-OK-1', 'DP-RUN-1']);
    const none = await exportReport(lab.tenant, { reportName: V2, filter: "(UPN eq 'nobody@example.com')" });
    expect(none.rows).toEqual([]);
    expect(none.columns).toHaveLength(10);
    const searched = await exportReport(lab.tenant, { reportName: V2, select: ['SerialNumber'], search: 'dp-fail' });
    expect(searched.rows).toEqual([{ SerialNumber: 'DP-FAIL-1' }]);
  });
});

describe('the detail reports of device preparation', () => {
  it('AutopilotV2DeploymentStatusDetailedAppInfo: every app of every deployment, selected or not, with its status', async () => {
    for (const format of ['csv', 'json']) {
      const report = await exportReport(lab.tenant, { reportName: V2_APPS, format });
      expect(report.columns).toEqual(['ApplicationId', 'ApplicationName', 'AppType', 'DeviceId', 'IsAdminSelected', 'PolicyInstallStatus']);
      const expected = ['dpOk', 'dpFail', 'dpHang', 'dpRun'].flatMap((name) =>
        runs[name].apps.map((a: any) => ({
          ApplicationId: a.id,
          ApplicationName: a.displayName,
          AppType: a.type === '#microsoft.graph.win32LobApp' ? 'Win32LobApp' : 'WindowsMobileMSI',
          DeviceId: runs[name].managedDeviceId,
          IsAdminSelected: a.tracked ? 'True' : 'False',
          PolicyInstallStatus: ITEM_STATUS[a.status],
        })),
      );
      const key = (r: Record<string, string>) => `${r.DeviceId}|${r.ApplicationId}`;
      expect([...report.rows].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a: any, b: any) => key(a).localeCompare(key(b))));
    }
    const failing = await exportReport(lab.tenant, { reportName: V2_APPS, filter: `(DeviceId eq '${runs.dpFail.managedDeviceId}')` });
    const status = Object.fromEntries(failing.rows.map((r) => [r.ApplicationName, [r.IsAdminSelected, r.PolicyInstallStatus]]));
    // Office (LOB) installed in Policy installation, the agent failed, the unselected app never started.
    expect(status).toEqual({ 'Contoso Office': ['True', '2'], 'Contoso Agent': ['True', '3'], 'Contoso Extra': ['False', '0'] });
    const ok = await exportReport(lab.tenant, { reportName: V2_APPS, filter: `(DeviceId eq '${runs.dpOk.managedDeviceId}')` });
    // After the desktop, the unselected app installed too.
    expect(ok.rows.map((r) => r.PolicyInstallStatus)).toEqual(['2', '2', '2']);
  });

  it('AutopilotV2DeploymentStatusDetailedScriptInfo: the selected scripts of every deployment', async () => {
    for (const format of ['csv', 'json']) {
      const report = await exportReport(lab.tenant, { reportName: V2_SCRIPTS, format });
      expect(report.columns).toEqual(['DeviceId', 'DisplayName', 'PolicyId', 'PolicyInstallStatus']);
      const rows = Object.fromEntries(report.rows.map((r) => [r.DeviceId, r]));
      expect(report.rows).toHaveLength(4);
      const scriptId = tut.scriptIds['Setup script'];
      expect(rows[runs.dpOk.managedDeviceId]).toEqual({ DeviceId: runs.dpOk.managedDeviceId, DisplayName: 'Setup script', PolicyId: scriptId, PolicyInstallStatus: '2' });
      expect(rows[runs.dpFail.managedDeviceId]!.PolicyInstallStatus).toBe('2');
      expect(rows[runs.dpHang.managedDeviceId]!.PolicyInstallStatus).toBe('3');
      expect(rows[runs.dpRun.managedDeviceId]!.PolicyInstallStatus).toBe('0');
      expect(runs.dpHang.scripts[0]).toMatchObject({ status: 'failed', reasonCode: 'timeout' });
    }
  });
});

describe('AutopilotV1DeploymentStatus', () => {
  it('writes one row per classic Autopilot deployment, stopped ones included', async () => {
    for (const format of ['csv', 'json']) {
      const report = await exportReport(lab.tenant, { reportName: V1, format });
      expect(report.columns).toHaveLength(27);
      expect(report.columns).toEqual(expect.arrayContaining(['DeviceId', 'DeviceName', 'DeviceRegisteredDateTime', 'DeviceSerialNumber', 'DeviceSetupDuration', 'DeviceSetupStatus', 'EnrollmentDateTime', 'EnrollmentMethod', 'EnrollmentStatus', 'ESPPolicyId', 'ESPPolicyName', 'EspDeviceSetupFailureDetails', 'EspUserSetupFailureDetails', 'FailureDetails', 'FailureReason', 'OS', 'OSVersion', 'UPN', 'UserId', 'UserSetupStatus']));
      const rows = bySerial(report.rows, 'DeviceSerialNumber');
      expect(Object.keys(rows).sort()).toEqual(['AP-FAIL-1', 'AP-HOME-1', 'AP-OK-1']);
      const ok = runs.apOk;
      expect(rows['AP-OK-1']).toMatchObject({
        DeviceId: ok.managedDeviceId,
        DeviceName: 'AP-AP-OK-1',
        UPN: tut.user.upn,
        UserId: tut.user.id,
        AutopilotProfileName: 'Contoso Autopilot',
        ESPPolicyId: espId,
        ESPPolicyName: 'Contoso ESP',
        EnrollmentMethod: '1',
        EnrollmentStatus: '1',
        DeploymentState: '1',
        DeviceSetupStatus: '1',
        UserSetupStatus: '1',
        // Device setup: the device app (100 s) and the automatic sign-in (30 s); account setup: the user app.
        DeviceSetupDuration: '130',
        AccountSetupDuration: '100',
        DeploymentDuration: '350',
        DeploymentTotalDuration: '350',
        DeploymentStartDateTime: reportTime(ok.startedDateTime),
        DeploymentEndDateTime: reportTime(ok.completedDateTime),
        EnrollmentDateTime: reportTime(eventTime(ok, 'enrolled')),
        OS: 'Windows',
        OSVersion: '10.0.26100.4061',
        FailureReason: '',
        FailureDetails: '',
      });
      expect(rows['AP-OK-1']!.DeviceRegisteredDateTime).toMatch(TIME);
      expect(rows['AP-FAIL-1']).toMatchObject({ DeploymentState: '3', DeviceSetupStatus: '3', UserSetupStatus: '5', EnrollmentStatus: '1', FailureReason: '0x80070643', EspUserSetupFailureDetails: '' });
      expect(rows['AP-FAIL-1']!.EspDeviceSetupFailureDetails).toContain('Device Agent');
      expect(rows['AP-HOME-1']).toMatchObject({ DeploymentState: '3', EnrollmentStatus: '3', DeviceSetupStatus: '5', UserSetupStatus: '5', DeviceId: '', FailureReason: '0x80180022', EnrollmentDateTime: '', ESPPolicyId: '', EspDeviceSetupFailureDetails: '', EspUserSetupFailureDetails: '' });
      expect(rows['AP-HOME-1']!.FailureDetails).toContain('Home edition');
    }
  });
});

describe('the download', () => {
  it('needs no bearer token, only the URL; a wrong or another tenant\'s secret gets a 403', async () => {
    const job = await pollJob(lab.tenant, (await createJob(lab.tenant, { reportName: V2 })).id);
    const good = await download(job.url);
    expect(good.status).toBe(200);
    expect(good.contentType).toBe('application/zip');
    expect(unzipOne(good.bytes).name).toBe(`${job.id}.csv`);
    const url = new URL(job.url);
    url.searchParams.set('sig', 'x'.repeat(url.searchParams.get('sig')!.length));
    const forged = await fetch(url);
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as any).error.code).toBe('AuthenticationFailed');
    const other = await createTestTenant(t);
    const moved = await fetch(job.url.replace(lab.tenant.tenantId, other.tenantId));
    expect(moved.status).toBe(403);
    expect((await fetch(job.url.replace(/\?.*$/, ''))).status).toBe(403);
  });
});

describe('Autopilot events', () => {
  const schemaProperties = ['@odata.type', 'id', ...GRAPH_ENTITIES.deviceManagementAutopilotEvent.betaOnly].sort();

  it('lists one deviceManagementAutopilotEvent per classic deployment, with the schema\'s properties', async () => {
    const r = await json(lab.tenant.graph('GET', '/beta/deviceManagement/autopilotEvents'));
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toBe(`${t.url}/beta/$metadata#deviceManagement/autopilotEvents`);
    const events = Object.fromEntries(r.body.value.map((e: any) => [e.deviceSerialNumber, e]));
    expect(Object.keys(events).sort()).toEqual(['AP-FAIL-1', 'AP-HOME-1', 'AP-OK-1']);
    for (const e of r.body.value) expect(Object.keys(e).sort()).toEqual(schemaProperties);
    const ok = runs.apOk;
    expect(events['AP-OK-1']).toMatchObject({
      '@odata.type': '#microsoft.graph.deviceManagementAutopilotEvent',
      id: ok.id,
      deviceId: ok.managedDeviceId,
      userId: tut.user.id,
      userPrincipalName: tut.user.upn,
      managedDeviceName: 'AP-AP-OK-1',
      enrollmentType: 'azureADJoinedWithAutopilotProfile',
      enrollmentState: 'enrolled',
      deploymentState: 'success',
      deviceSetupStatus: 'success',
      accountSetupStatus: 'success',
      windowsAutopilotDeploymentProfileDisplayName: 'Contoso Autopilot',
      windows10EnrollmentCompletionPageConfigurationDisplayName: 'Contoso ESP',
      windows10EnrollmentCompletionPageConfigurationId: espId,
      osVersion: '10.0.26100.4061',
      deviceSetupDuration: 'PT2M10S',
      accountSetupDuration: 'PT1M40S',
      deploymentDuration: 'PT5M50S',
      deploymentTotalDuration: 'PT5M50S',
      enrollmentFailureDetails: null,
    });
    const e = events['AP-OK-1'];
    expect(ms(e.deploymentStartDateTime)).toBe(ms(ok.startedDateTime));
    expect(ms(e.enrollmentStartDateTime)).toBe(ms(ok.startedDateTime));
    expect(ms(e.deploymentEndDateTime)).toBe(ms(ok.completedDateTime));
    expect(ms(e.eventDateTime)).toBe(ms(ok.timeline[ok.timeline.length - 1].dateTime));
    expect(ms(e.deviceRegisteredDateTime)).toBeLessThanOrEqual(ms(ok.startedDateTime));
    expect(events['AP-FAIL-1']).toMatchObject({ deploymentState: 'failure', deviceSetupStatus: 'failure', accountSetupStatus: 'notAttempted', enrollmentState: 'enrolled', accountSetupDuration: 'PT0S' });
    expect(events['AP-HOME-1']).toMatchObject({ deploymentState: 'failure', enrollmentState: 'failed', deviceId: null, deviceSetupStatus: 'notAttempted', deploymentEndDateTime: expect.not.stringMatching(/^0001/) });
    expect(events['AP-HOME-1'].enrollmentFailureDetails).toMatch(/^0x80180022: .*Home edition/);
  });

  it('supports $filter, $select, $top with paging, and GET by id', async () => {
    const failed = await json(lab.tenant.graph('GET', "/beta/deviceManagement/autopilotEvents?$filter=enrollmentState eq 'failed'&$select=deviceSerialNumber,enrollmentState"));
    expect(failed.body.value).toEqual([{ '@odata.type': '#microsoft.graph.deviceManagementAutopilotEvent', id: runs.apHome.id, deviceSerialNumber: 'AP-HOME-1', enrollmentState: 'failed' }]);
    const page = await json(lab.tenant.graph('GET', '/beta/deviceManagement/autopilotEvents?$top=2'));
    expect(page.body.value).toHaveLength(2);
    expect(page.body['@odata.nextLink']).toBeTruthy();
    const rest = await json(lab.tenant.graphAs(lab.tenant.token, 'GET', page.body['@odata.nextLink'].replace(t.url, '')));
    expect(rest.body.value).toHaveLength(1);
    const one = await json(lab.tenant.graph('GET', `/beta/deviceManagement/autopilotEvents/${runs.apFail.id}`));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: runs.apFail.id, deviceSerialNumber: 'AP-FAIL-1', '@odata.context': `${t.url}/beta/$metadata#deviceManagement/autopilotEvents/$entity` });
    // A device preparation deployment is not an Autopilot event.
    const dp = await json(lab.tenant.graph('GET', `/beta/deviceManagement/autopilotEvents/${runs.dpOk.id}`));
    expect(dp.status).toBe(404);
    expect(isGraphErrorBody(dp.body)).toBe(true);
    const bad = await json(lab.tenant.graph('GET', "/beta/deviceManagement/autopilotEvents?$filter=nope eq 'x'"));
    expect(bad.status).toBe(400);
  });
});

describe('bad requests', () => {
  it('answer 400 naming the field, and store nothing', async () => {
    const before = (await json(lab.tenant.graph('GET', JOBS))).body.value.length;
    const cases: [unknown, string, RegExp][] = [
      [{ format: 'csv' }, 'reportName', /reportName/],
      [{ reportName: 'Devices' }, 'reportName', /Devices/],
      [{ reportName: V2, format: 'pdf' }, 'format', /pdf/],
      [{ reportName: V2, format: 5 }, 'format', /csv or json/],
      [{ reportName: V2, select: ['UPN', 'Nope'] }, 'select', /'Nope'/],
      [{ reportName: V2, select: 'UPN' }, 'select', /array/],
      [{ reportName: V2, select: ['UPN', 'upn'] }, 'select', /more than once/],
      [{ reportName: V2, filter: "(Nope eq '1')" }, 'filter', /'Nope'/],
      [{ reportName: V2, filter: "(UPN eq 'a'" }, 'filter', /Syntax error|expected/i],
      [{ reportName: V2, filter: 'UPN' }, 'filter', /boolean/],
      [{ reportName: V2, localizationType: 'english' }, 'localizationType', /localizedValuesAsAdditionalColumn/],
      [{ reportName: V2, snapshotId: 'abc' }, 'snapshotId', /snapshotId/],
      [{ reportName: V2, colour: 'red' }, 'colour', /colour/],
      [[{ reportName: V2 }], 'body', /JSON object/],
    ];
    for (const [body, field, message] of cases) {
      const r = await json(lab.tenant.graph('POST', JOBS, body));
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(isGraphErrorBody(r.body)).toBe(true);
      expect(r.body.error.code).toBe('BadRequest');
      expect(r.body.error.target, JSON.stringify(body)).toBe(field);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await json(lab.tenant.graph('GET', JOBS))).body.value).toHaveLength(before);
    const missing = await json(lab.tenant.graph('GET', `${JOBS}('${V2}_00000000-0000-0000-0000-000000000000')`));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NotFound');
  });

  it('accepts the documented PascalCase localization type and the v1.0 endpoint (without the beta-only search)', async () => {
    const created = await createJob(lab.tenant, { reportName: V2, localizationType: 'ReplaceLocalizableValues', format: 'JSON' }, 'v1.0');
    expect(created).toMatchObject({ localizationType: 'replaceLocalizableValues', format: 'json' });
    expect(created).not.toHaveProperty('search');
    const done = await pollJob(lab.tenant, created.id, 'v1.0');
    expect(done.status).toBe('completed');
  });
});

describe('jobs, permissions and tenants', () => {
  it('lists and deletes jobs', async () => {
    const job = await createJob(lab.tenant, { reportName: V2_SCRIPTS });
    const list = await json(lab.tenant.graph('GET', `${JOBS}?$filter=reportName eq '${V2_SCRIPTS}'`));
    expect(list.body.value.map((j: any) => j.id)).toContain(job.id);
    expect((await lab.tenant.graph('DELETE', `${JOBS}('${job.id}')`)).status).toBe(204);
    expect((await lab.tenant.graph('GET', `${JOBS}('${job.id}')`)).status).toBe(404);
  });

  it('needs DeviceManagementManagedDevices permissions', async () => {
    const app = async (permissions: string[]) => {
      const created = await json(t.control('POST', `/tenants/${lab.tenant.tenantId}/applications`, { displayName: permissions.join(' '), permissions }));
      return appToken(t.url, lab.tenant.tenantId, created.body.clientId, created.body.clientSecret);
    };
    const reader = await app(['DeviceManagementManagedDevices.Read.All']);
    const created = await json(lab.tenant.graphAs(reader, 'POST', JOBS, { reportName: V2 }));
    expect(created.status).toBe(201);
    expect((await lab.tenant.graphAs(reader, 'GET', `${JOBS}/${created.body.id}`)).status).toBe(200);
    expect((await lab.tenant.graphAs(reader, 'GET', '/beta/deviceManagement/autopilotEvents')).status).toBe(200);
    const other = await app(['DeviceManagementApps.Read.All']);
    expect((await lab.tenant.graphAs(other, 'POST', JOBS, { reportName: V2 })).status).toBe(403);
    expect((await lab.tenant.graphAs(other, 'GET', `${JOBS}/${created.body.id}`)).status).toBe(403);
    expect((await lab.tenant.graphAs(other, 'GET', '/beta/deviceManagement/autopilotEvents')).status).toBe(403);
  });

  it('keeps tenants apart: another tenant sees none of these rows, jobs or events', async () => {
    const other = await createTestTenant(t);
    for (const reportName of [V2, V2_APPS, V2_SCRIPTS, V1]) expect((await exportReport(other, { reportName })).rows).toEqual([]);
    const mine = await createJob(lab.tenant, { reportName: V2 });
    expect((await other.graph('GET', `${JOBS}('${mine.id}')`)).status).toBe(404);
    expect((await json(other.graph('GET', JOBS))).body.value.map((j: any) => j.id)).not.toContain(mine.id);
    expect((await json(other.graph('GET', '/beta/deviceManagement/autopilotEvents'))).body.value).toEqual([]);
    expect((await other.graph('GET', `/beta/deviceManagement/autopilotEvents/${runs.apOk.id}`)).status).toBe(404);
  });
});
