// The device preparation tutorial end to end: configured through Graph with the official client, a simulated
// device deploys through the control API, and the effects are read back through Graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { deployment, devicePreparationTutorial, newDevice, newLab, runToEnd, signIn, advance, type Lab } from './tutorial.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('device preparation, from the tutorial to the desktop', () => {
  it('runs steps 1-6 through Graph, then deploys a device that reaches the desktop', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Contoso Agent' }, { name: 'Contoso VPN' }], scripts: [{ name: 'Set-Wallpaper' }] });
    const device = await newDevice(lab, { serialNumber: 'SN-0001', manufacturer: 'Contoso', model: 'Laptop 7' });
    expect(device).toMatchObject({ serialNumber: 'SN-0001', state: 'oobe', windowsEdition: 'Enterprise' });

    const started = await signIn(lab, device.id, tut.user.upn);
    expect(started).toMatchObject({ path: 'devicePreparation', status: 'inProgress', stage: 'entraJoin', phase: 'policyInstallation', policy: { id: tut.policyId } });
    expect(started.screen).toMatchObject({ kind: 'settingUp', title: 'Setting up for work or school', progressPercentage: 0 });

    await advance(lab, 45);
    const joined = await deployment(lab, started.id);
    expect(joined.stage).toBe('mdmEnrollment');
    expect(joined.entraDeviceObjectId).toBeTruthy();

    const done = await runToEnd(lab, started.id);
    expect(done).toMatchObject({ status: 'success', stage: 'desktop', progressPercentage: 100, screen: { kind: 'desktop' }, enrollmentTimeGrouping: { groupId: tut.deviceGroupId, status: 'added' } });
    expect(done.apps.map((a: any) => [a.displayName, a.status, a.tracked])).toEqual([
      ['Contoso Agent', 'installed', true],
      ['Contoso VPN', 'installed', true],
    ]);
    expect(done.scripts.map((s: any) => [s.displayName, s.status])).toEqual([['Set-Wallpaper', 'installed']]);
    const events = done.timeline.map((e: any) => e.event);
    expect(events.indexOf('itemInstalled')).toBeGreaterThan(events.indexOf('enrolled'));
    expect(events).toContain('requiredSetupComplete');

    // Effects, read through Graph.
    const entra = await lab.client.api(`/devices/${done.entraDeviceObjectId}`).get();
    expect(entra).toMatchObject({ trustType: 'AzureAd', isManaged: true, enrollmentProfileName: 'Windows Autopilot device preparation - User Driven', deviceOwnership: 'Company', displayName: done.deviceName });
    const members = await lab.client.api(`/groups/${tut.deviceGroupId}/members`).version('v1.0').get();
    expect(members.value.map((m: any) => m.id)).toEqual([done.entraDeviceObjectId]);
    const managed = await lab.client.api(`/deviceManagement/managedDevices/${done.managedDeviceId}`).get();
    expect(managed).toMatchObject({ deviceEnrollmentType: 'windowsAzureADJoin', joinType: 'azureADJoined', managedDeviceOwnerType: 'company', serialNumber: 'SN-0001', userPrincipalName: tut.user.upn, enrollmentProfileName: 'Windows Autopilot device preparation - User Driven' });
    const owners = await lab.client.api(`/devices/${done.entraDeviceObjectId}/registeredOwners`).version('v1.0').get();
    expect(owners.value.map((o: any) => o.id)).toEqual([tut.user.id]);
    expect((await lab.control('GET', `/devices/${device.id}`)).body.state).toBe('desktop');
  });
});
