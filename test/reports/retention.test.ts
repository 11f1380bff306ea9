// Retention and expiry on the tenant's virtual clock (behaviour.md §4): device preparation deployment records
// leave the reports after 28 days, classic Autopilot ones (report and events) after 30; a download URL works
// for six hours after its job completes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { json, startTestServer, type TestServer } from '../helpers/server.js';
import { advance, devicePreparationTutorial, newDevice, newLab, runToEnd, signIn, type Lab } from '../provisioning/tutorial.js';
import { autopilotGroup, createJob, deploymentProfile, download, exportReport, pollJob, registerDevice } from './report-lab.js';

let t: TestServer;
let lab: Lab;
const runs: Record<string, any> = {};
const DAY = 24 * 3600;

beforeAll(async () => {
  t = await startTestServer();
  lab = await newLab(t);
  const tut = await devicePreparationTutorial(lab, { scripts: [{ name: 'Setup script' }] });
  const dp = await newDevice(lab, { serialNumber: 'RET-DP-1' });
  runs.dp = await runToEnd(lab, (await signIn(lab, dp.id, tut.user.upn)).id);
  await deploymentProfile(lab, 'Retention profile', await autopilotGroup(lab));
  const ap = await newDevice(lab, { serialNumber: 'RET-AP-1' });
  await registerDevice(lab, ap);
  runs.ap = await runToEnd(lab, (await signIn(lab, ap.id, tut.user.upn)).id);
}, 60_000);
afterAll(() => t?.close());

const rowsOf = async (reportName: string) => (await exportReport(lab.tenant, { reportName, format: 'json' })).rows;
const events = async () => (await json(lab.tenant.graph('GET', '/beta/deviceManagement/autopilotEvents'))).body.value as any[];

it('keeps a download URL for six hours of the tenant clock after the job completes', async () => {
  expect(runs.dp).toMatchObject({ path: 'devicePreparation', status: 'success' });
  expect(runs.ap).toMatchObject({ path: 'classicAutopilot', status: 'success' });
  const job = await pollJob(lab.tenant, (await createJob(lab.tenant, { reportName: 'AutopilotV2DeploymentStatus' })).id);
  await advance(lab, 6 * 3600 - 1);
  expect((await download(job.url)).status).toBe(200);
  await advance(lab, 1);
  const expired = await fetch(job.url);
  expect(expired.status).toBe(403);
  const refused = (await expired.json()) as any;
  expect(refused.error).toMatchObject({ code: 'AuthenticationFailed', message: expect.stringContaining('Expiry') });
  // The job itself still answers, completed, until the tenant creates another job.
  expect((await json(lab.tenant.graph('GET', `/beta/deviceManagement/reports/exportJobs('${job.id}')`))).body.status).toBe('completed');
  await createJob(lab.tenant, { reportName: 'AutopilotV2DeploymentStatus' });
  expect((await lab.tenant.graph('GET', `/beta/deviceManagement/reports/exportJobs('${job.id}')`)).status).toBe(404);
});

it('drops device preparation records after 28 days and classic ones after 30', async () => {
  // Day 27: everything is still reported.
  await advance(lab, 27 * DAY - 6 * 3600);
  expect((await rowsOf('AutopilotV2DeploymentStatus')).map((r) => r.SerialNumber)).toEqual(['RET-DP-1']);
  expect(await rowsOf('AutopilotV2DeploymentStatusDetailedScriptInfo')).toHaveLength(1);
  expect((await events()).map((e) => e.deviceSerialNumber)).toEqual(['RET-AP-1']);

  // Day 29: the device preparation deployment is gone from new exports; the classic one stays.
  await advance(lab, 2 * DAY);
  expect(await rowsOf('AutopilotV2DeploymentStatus')).toEqual([]);
  expect(await rowsOf('AutopilotV2DeploymentStatusDetailedAppInfo')).toEqual([]);
  expect(await rowsOf('AutopilotV2DeploymentStatusDetailedScriptInfo')).toEqual([]);
  expect((await rowsOf('AutopilotV1DeploymentStatus')).map((r) => r.DeviceSerialNumber)).toEqual(['RET-AP-1']);
  expect((await events()).map((e) => e.deviceSerialNumber)).toEqual(['RET-AP-1']);
  expect((await lab.tenant.graph('GET', `/beta/deviceManagement/autopilotEvents/${runs.ap.id}`)).status).toBe(200);

  // Day 31: the classic records are gone too.
  await advance(lab, 2 * DAY);
  expect(await rowsOf('AutopilotV1DeploymentStatus')).toEqual([]);
  expect(await events()).toEqual([]);
  expect((await lab.tenant.graph('GET', `/beta/deviceManagement/autopilotEvents/${runs.ap.id}`)).status).toBe(404);
  // The deployments themselves stay in the control API: retention is what the reports show.
  expect((await lab.control('GET', `/deployments/${runs.dp.id}`)).status).toBe(200);
});
