// Explain: what setup will do for a user and a device, and why, as data; then the engine proves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { devicePreparationTutorial, newDevice, newLab, runToEnd, signIn } from './tutorial.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('explain', () => {
  it('predicts a device preparation deployment, item by item, and the engine then does exactly that', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Agent' }, { name: 'Not assigned', assign: false }, { name: 'Bad app' }], scripts: [{ name: 'Script' }] });
    await lab.control('PATCH', '/simulation', { apps: { [tut.appIds['Bad app']!]: { exitCode: 1603 } } });
    const device = await newDevice(lab, { serialNumber: 'EXPLAIN-1' });
    const before = await lab.control('GET', `/explain?user=${encodeURIComponent(tut.user.upn)}&device=EXPLAIN-1`);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    const p = before.body.prediction;
    expect(p).toMatchObject({ path: 'devicePreparation', status: 'failed', error: { reason: 'appFailed', code: '0x80070643' }, policy: { id: tut.policyId }, enrollmentTimeGrouping: { status: 'added' } });
    expect(p.apps.map((a: any) => [a.displayName, a.status, a.reasonCode])).toEqual([
      ['Agent', 'installed', null],
      ['Not assigned', 'skipped', 'notAssignedToDeviceGroup'],
      ['Bad app', 'failed', 'exitCode'],
    ]);
    expect(before.body.checks.map((c: any) => [c.id, c.result])).toEqual([
      ['userExists', 'pass'],
      ['userEnabled', 'pass'],
      ['password', 'notChecked'],
      ['windowsVersion', 'pass'],
      ['usersMayJoin', 'pass'],
      ['deviceQuota', 'pass'],
      ['windowsEdition', 'pass'],
      ['mdmUserScope', 'pass'],
      ['enrollmentRestriction', 'pass'],
      ['enrollmentTimeGrouping', 'pass'],
      ['accountType', 'pass'],
    ]);
    expect(before.body.policies).toEqual([expect.objectContaining({ id: tut.policyId, targetsUser: true, chosen: true })]);
    // Nothing was written by the prediction.
    expect((await lab.control('GET', '/deployments')).body.value).toEqual([]);
    expect((await lab.client.api('/devices').version('v1.0').get()).value).toEqual([]);
    expect((await lab.control('GET', '/devices/EXPLAIN-1')).body.state).toBe('oobe');

    const done = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    expect(done.apps.map((a: any) => [a.displayName, a.status, a.reasonCode, a.durationSeconds])).toEqual(p.apps.map((a: any) => [a.displayName, a.status, a.reasonCode, a.durationSeconds]));
    expect(done.deviceName).toBe(p.deviceName);
    expect(done.deploymentTimeSeconds).toBe(p.deploymentTimeSeconds);
    const after = await lab.control('GET', `/explain?user=${tut.user.id}&device=${device.id}`);
    expect(after.body.lastDeployment).toMatchObject({ deploymentId: done.id, matchesPrediction: true, differences: [] });
  });

  it('names the failing check and the setting behind it', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api('/policies/mobileDeviceManagementPolicies/0000000a-0000-0000-c000-000000000000').patch({ appliesTo: 'none' });
    await newDevice(lab, { serialNumber: 'EXPLAIN-2' });
    const r = (await lab.control('GET', `/explain?user=${encodeURIComponent(tut.user.upn)}&device=EXPLAIN-2`)).body;
    expect(r.prediction).toMatchObject({ path: 'blocked', intendedPath: 'devicePreparation', error: { code: '0x8018002b', reason: 'mdmUserScope' } });
    expect(r.checks.find((c: any) => c.id === 'mdmUserScope')).toMatchObject({ result: 'fail', setting: 'MDM user scope (Microsoft Intune)', value: 'None', errorCode: '0x8018002b' });
  });

  it('explains a device before anyone signs in, and refuses bad queries', async () => {
    const lab = await newLab(t);
    await newDevice(lab, { serialNumber: 'EXPLAIN-3', osVersion: '10.0.19045.4598' });
    const r = (await lab.control('GET', '/explain?device=EXPLAIN-3')).body;
    expect(r.prediction).toMatchObject({ path: 'dependsOnUser' });
    expect(r.checks.find((c: any) => c.id === 'windowsVersion')).toMatchObject({ result: 'fail', errorCode: 'DevicePreparationNotSupported' });
    expect((await lab.control('GET', '/explain')).status).toBe(400);
    expect((await lab.control('GET', '/explain?user=nobody@nowhere.example')).status).toBe(404);
    expect((await lab.control('GET', '/explain?device=NOPE')).status).toBe(404);
  });
});
