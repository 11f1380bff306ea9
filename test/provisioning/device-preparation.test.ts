// The device preparation tutorial end to end: configured through Graph with the official client, a simulated
// device deploys through the control API, and the effects are read back through Graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { advance, deployment, devicePreparationTutorial, msiApp, newDevice, newLab, runToEnd, signIn, win32App } from './tutorial.js';

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
    // Not registered with Autopilot: Windows shows its consumer pages (the work-or-personal page only on Pro).
    expect(started.oobePages).toEqual({ shown: ['region', 'keyboard', 'licenseTerms', 'signIn', 'privacySettings'], hidden: ['personalOrWork'] });

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

describe('what device preparation tracks, skips and installs later', () => {
  it('tracks only items selected in the policy and assigned Required in System context to the device group, in phase order', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, {
      apps: [
        { name: 'Win32 tracked' },
        { name: 'LOB tracked', body: msiApp('LOB tracked') },
        { name: 'Not assigned', assign: false },
        { name: 'Available only', intent: 'available' },
        { name: 'User context', body: win32App('User context', { installExperience: { runAsAccount: 'user', deviceRestartBehavior: 'suppress' } }) },
        { name: 'Not selected', select: false },
      ],
      scripts: [{ name: 'Script tracked' }, { name: 'Script as user', runAs: 'user' }, { name: 'Script not assigned', assign: false }],
    });
    const device = await newDevice(lab);
    const done = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    expect(done.status).toBe('success');
    const view = (items: any[]) => Object.fromEntries(items.map((i) => [i.displayName, [i.tracked, i.status, i.reasonCode, i.phase]]));
    expect(view(done.apps)).toEqual({
      'LOB tracked': [true, 'installed', null, 'policyInstallation'],
      'Win32 tracked': [true, 'installed', null, 'appInstallation'],
      'Not assigned': [true, 'skipped', 'notAssignedToDeviceGroup', 'appInstallation'],
      'Available only': [true, 'skipped', 'notRequired', 'appInstallation'],
      'User context': [true, 'skipped', 'userContext', 'appInstallation'],
      'Not selected': [false, 'installed', 'installsAfterSetup', null],
    });
    expect(view(done.scripts)).toEqual({
      'Script tracked': [true, 'installed', null, 'scriptInstallation'],
      'Script as user': [true, 'skipped', 'runsAsUser', 'scriptInstallation'],
      'Script not assigned': [true, 'skipped', 'notAssignedToDeviceGroup', 'scriptInstallation'],
    });
    // LOB, then scripts, then Win32 (behaviour.md §1.2 steps 5-7); the untracked app after the desktop.
    const at = (name: string) => Date.parse([...done.apps, ...done.scripts].find((i: any) => i.displayName === name).completedDateTime);
    expect(at('LOB tracked')).toBeLessThanOrEqual(at('Script tracked'));
    expect(at('Script tracked')).toBeLessThanOrEqual(at('Win32 tracked'));
    const desktop = Date.parse(done.timeline.find((e: any) => e.event === 'desktop').dateTime);
    expect(Date.parse(done.apps.find((a: any) => a.displayName === 'Not selected').startedDateTime)).toBeGreaterThanOrEqual(desktop);
    expect(done.apps.find((a: any) => a.displayName === 'Not assigned').reason).toContain('not assigned to its device group');
  });

  it('skips every item when enrollment-time grouping fails (device group not owned by the Intune Provisioning Client)', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { scripts: [{ name: 'Script' }] });
    // The owner is removed after the policy was saved (known issue, behaviour.md §1.6).
    const sp = (await lab.client.api('/servicePrincipals').version('v1.0').filter(`appId eq 'f1346770-5b25-470b-88bd-d5744ab7952c'`).get()).value[0];
    await lab.client.api(`/groups/${tut.deviceGroupId}/owners/${sp.id}/$ref`).version('v1.0').delete();
    const done = await runToEnd(lab, (await signIn(lab, (await newDevice(lab)).id, tut.user.upn)).id);
    expect(done.enrollmentTimeGrouping).toMatchObject({ groupId: tut.deviceGroupId, status: 'failed' });
    expect(done.enrollmentTimeGrouping.reason).toContain('Intune Provisioning Client');
    expect([...done.apps, ...done.scripts].map((i: any) => [i.status, i.reasonCode])).toEqual([
      ['skipped', 'deviceNotInDeviceGroup'],
      ['skipped', 'deviceNotInDeviceGroup'],
    ]);
    expect(done.status).toBe('success');
    const members = await lab.client.api(`/groups/${tut.deviceGroupId}/members`).version('v1.0').get();
    expect(members.value).toEqual([]);
  });

  it('reproduces the account type vs Entra local administrator combinations (behaviour.md §1.9)', async () => {
    const cases: [string, 'administrator' | 'standardUser', boolean, boolean][] = [
      // Entra registering users, DP account type → local admin, provisioning skipped
      ['all', 'administrator', true, false],
      ['all', 'standardUser', false, false],
      ['none', 'administrator', false, false],
      ['none', 'standardUser', false, true],
    ];
    for (const [entra, accountType, admin, skipped] of cases) {
      const lab = await newLab(t);
      const tut = await devicePreparationTutorial(lab, { accountType });
      const policy = await lab.client.api('/policies/deviceRegistrationPolicy').get();
      const registeringUsers = { '@odata.type': entra === 'all' ? '#microsoft.graph.allDeviceRegistrationMembership' : '#microsoft.graph.noDeviceRegistrationMembership' };
      await lab.client.api('/policies/deviceRegistrationPolicy').put({ ...policy, azureADJoin: { ...policy.azureADJoin, localAdmins: { ...policy.azureADJoin.localAdmins, registeringUsers } } });
      const done = await runToEnd(lab, (await signIn(lab, (await newDevice(lab)).id, tut.user.upn)).id);
      expect([entra, accountType, done.localAdministrator, done.provisioningSkipped], JSON.stringify(done.timeline)).toEqual([entra, accountType, admin, skipped]);
      expect(done.status).toBe('success');
      if (skipped) expect(done.apps[0]).toMatchObject({ status: 'skipped', reasonCode: 'provisioningSkipped' });
      else expect(done.apps[0].status).toBe('installed');
    }
  });
});

describe("time, failures and the user's choices", () => {
  it('times out the whole deployment at the policy timeout, with progress as elapsed time over the timeout', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { timeoutMinutes: 15, apps: [{ name: 'Slow app' }] });
    await lab.control('PATCH', '/simulation', { apps: { [tut.appIds['Slow app']!]: { hang: true } } });
    const started = await signIn(lab, (await newDevice(lab)).id, tut.user.upn);
    await advance(lab, 9 * 60);
    const midway = await deployment(lab, started.id);
    expect(midway).toMatchObject({ status: 'inProgress', stage: 'installing', progressPercentage: 60 });
    expect(midway.apps[0].status).toBe('inProgress');
    const done = await runToEnd(lab, started.id);
    expect(done).toMatchObject({ status: 'failed', stage: 'failed', error: { reason: 'timeout' }, screen: { kind: 'failure' } });
    expect(Date.parse(done.completedDateTime) - Date.parse(done.startedDateTime)).toBe(15 * 60_000);
    expect(done.apps[0]).toMatchObject({ status: 'failed', reasonCode: 'timeout' });
  });

  it('shows the custom message, Retry, Continue anyway after repeated failures, and the diagnostics link', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Good app' }, { name: 'Bad app' }], customErrorMessage: 'Call the Contoso help desk on 555-0100.' });
    const bad = tut.appIds['Bad app']!;
    await lab.control('PATCH', '/simulation', { apps: { [bad]: { exitCode: 1603 } } });
    const started = await signIn(lab, (await newDevice(lab)).id, tut.user.upn);
    const failed = await runToEnd(lab, started.id);
    expect(failed).toMatchObject({ status: 'failed', error: { reason: 'appFailed', code: '0x80070643' } });
    expect(failed.screen).toMatchObject({ kind: 'failure', message: 'Call the Contoso help desk on 555-0100.', actions: ['retry', 'collectLogs'], diagnosticsLink: true });
    expect(failed.apps.map((a: any) => a.status)).toEqual(['installed', 'failed']);
    expect((await lab.control('POST', `/deployments/${started.id}/continue-anyway`)).status).toBe(409);

    // Retry with the app still failing: a second failure, and now Continue anyway is offered.
    const retried = (await lab.control('POST', `/deployments/${started.id}/retry`)).body;
    expect(retried).toMatchObject({ status: 'inProgress', attempt: 2, error: null });
    const again = await runToEnd(lab, started.id);
    expect(again).toMatchObject({ status: 'failed', failures: 2 });
    expect(again.screen.actions).toEqual(['retry', 'continueAnyway', 'collectLogs']);
    // Installed items stay installed across retries.
    expect(again.apps.map((a: any) => a.status)).toEqual(['installed', 'failed']);

    const skipped = (await lab.control('POST', `/deployments/${started.id}/continue-anyway`)).body;
    expect(skipped).toMatchObject({ status: 'failed', stage: 'desktop', continuedAnyway: true, screen: { kind: 'desktop' } });
  });

  it('retries to success once the app is fixed, and the timeout starts again', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Flaky app' }], allowSkip: false, allowDiagnostics: false });
    const app = tut.appIds['Flaky app']!;
    await lab.control('PATCH', '/simulation', { apps: { [app]: { exitCode: 1 } } });
    const started = await signIn(lab, (await newDevice(lab)).id, tut.user.upn);
    const failed = await runToEnd(lab, started.id);
    expect(failed.screen).toMatchObject({ actions: ['retry'], diagnosticsLink: false });
    await lab.control('PATCH', '/simulation', { apps: { [app]: null } });
    const retried = (await lab.control('POST', `/deployments/${started.id}/retry`)).body;
    expect(retried.progressPercentage).toBe(0);
    const done = await runToEnd(lab, started.id);
    expect(done).toMatchObject({ status: 'success', attempt: 2, stage: 'desktop' });
    expect(done.timeline.map((e: any) => e.event)).toEqual(expect.arrayContaining(['failed', 'retry', 'requiredSetupComplete', 'desktop']));
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const run = async (seed: string) => {
      const lab = await newLab(t);
      await lab.control('PATCH', '/simulation', { seed, defaults: { app: { durationSeconds: { min: 10, max: 600 }, failureRate: 0.3 } } });
      const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] });
      const device = await newDevice(lab, { serialNumber: 'REPEAT-1' });
      const done = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
      return { status: done.status, apps: done.apps.map((a: any) => [a.displayName, a.status, a.durationSeconds, a.exitCode]), name: done.deviceName };
    };
    const first = await run('lab-seed-1');
    expect(await run('lab-seed-1')).toEqual(first);
    expect(await run('lab-seed-2')).not.toEqual(first);
  });

  it('shows "Required setup complete" until the user continues or is signed in automatically', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Agent' }] });
    await lab.control('PATCH', '/simulation', { apps: { [tut.appIds.Agent!]: { durationSeconds: 60 } } });
    const started = await signIn(lab, (await newDevice(lab)).id, tut.user.upn);
    // join 30 s + enrollment 30 s + preparing 60 s + the app's 60 s
    await advance(lab, 180);
    const complete = await deployment(lab, started.id);
    expect(complete).toMatchObject({ status: 'success', stage: 'setupComplete', progressPercentage: 100, screen: { kind: 'requiredSetupComplete', title: 'Required setup complete', actions: ['continue'] } });
    const desktop = (await lab.control('POST', `/deployments/${started.id}/continue`)).body;
    expect(desktop.screen.kind).toBe('desktop');
  });
});
