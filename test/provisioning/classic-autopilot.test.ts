// Classic Windows Autopilot (user-driven Entra join) with the Enrollment Status Page, end to end: registration,
// deployment profiles and ESP profiles configured through Graph with the official client, simulated devices
// through the control API, effects read back through Graph (behaviour.md §3.1, §3.2, §5).
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addMember, advance, assignApp, autopilotGroup, createUser, deployment, deploymentProfile, devicePreparationTutorial, ESP, msiApp, newDevice, newGroup, newLab, registerDevice, runToEnd, signIn, statusPage, tenantBasics, win32App, type Lab } from './tutorial.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const ESP_DEFAULT_ERROR = 'Setup could not be completed. Please try again or contact your support person for help.';
/** The engine's fixed step lengths (seconds): Entra join, MDM enrollment, preparing, account sign-in. */
const STEPS = { entraJoin: 30, mdmEnrollment: 30, preparing: 60, accountSignIn: 30 };
const ms = (iso: string) => new Date(iso).getTime();

// ---------------------------------------------------------------------------------------------------------
// Helpers: the admin's Graph calls for classic Autopilot and the ESP

/** A user in a user group, and the basics: what a classic lab starts from. */
async function classicLab(): Promise<{ lab: Lab; user: { id: string; upn: string }; userGroupId: string; autopilotGroupId: string }> {
  const lab = await newLab(t);
  await tenantBasics(lab);
  const user = await createUser(lab, `ap${Math.random().toString(36).slice(2, 8)}`);
  const userGroupId = await newGroup(lab, 'Autopilot users');
  await addMember(lab, userGroupId, user.id);
  return { lab, user, userGroupId, autopilotGroupId: await autopilotGroup(lab) };
}

async function createApp(lab: Lab, body: Record<string, unknown>): Promise<string> {
  return (await lab.client.api('/deviceAppManagement/mobileApps').post(body)).id;
}

async function simulate(lab: Lab, body: Record<string, unknown>): Promise<void> {
  const r = await lab.control('PATCH', '/simulation', body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function act(lab: Lab, deploymentId: string, action: string): Promise<{ status: number; body: any }> {
  return lab.control('POST', `/deployments/${deploymentId}/${action}`);
}

async function graphStatus(work: () => Promise<unknown>): Promise<number> {
  try {
    await work();
    return 200;
  } catch (err) {
    return (err as GraphError).statusCode;
  }
}

const appRows = (d: any) => d.apps.map((a: any) => [a.displayName, a.phase, a.tracked, a.status]);
const eventAt = (d: any, event: string) => ms(d.timeline.find((e: any) => e.event === event).dateTime);

/** A classic lab with a registered device and every app taking a known time (seconds). */
async function registeredDevice(serialNumber: string, appSeconds = 100) {
  const base = await classicLab();
  await simulate(base.lab, { defaults: { app: { durationSeconds: appSeconds } } });
  const device = await newDevice(base.lab, { serialNumber, manufacturer: 'Contoso', model: 'Laptop 7' });
  const registration = await registerDevice(base.lab, device);
  return { ...base, device, ...registration };
}

// ---------------------------------------------------------------------------------------------------------

describe('classic Autopilot takes precedence over device preparation', () => {
  it('runs the assigned profile on a registered device whose user also has a device preparation policy', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const autopilotGroupId = await autopilotGroup(lab);
    const profile = await deploymentProfile(lab, 'Contoso user-driven', autopilotGroupId, { template: 'CON-%SERIAL%', userType: 'administrator' });
    const device = await newDevice(lab, { serialNumber: 'AP1001', manufacturer: 'Contoso', model: 'Laptop 7' });
    const { autopilotId, entraObjectId } = await registerDevice(lab, device);
    const before = await lab.client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${autopilotId}`).get();
    expect(before).toMatchObject({ deploymentProfileAssignmentStatus: 'assignedInSync', enrollmentState: 'notContacted' });

    const started = await signIn(lab, device.id, tut.user.upn);
    expect(started).toMatchObject({ path: 'classicAutopilot', intendedPath: 'classicAutopilot', status: 'inProgress', stage: 'entraJoin', phase: 'devicePreparation', policy: null });
    expect(started.profile).toMatchObject({ id: profile.id, displayName: 'Contoso user-driven', deviceNameTemplate: 'CON-%SERIAL%', userType: 'administrator', autopilotDeviceId: autopilotId });
    expect(started.pathReason).toMatch(/registered with Windows Autopilot/);
    // The profile hides the pages it hides (language stays: the locale is the OS default).
    expect(started.oobePages).toEqual({ shown: ['region', 'signIn'], hidden: ['keyboard', 'licenseTerms', 'personalOrWork', 'changeAccountOptions', 'privacySettings'] });
    expect(started.pathReason).toContain('Contoso user-driven');

    const done = await runToEnd(lab, started.id);
    expect(done).toMatchObject({ path: 'classicAutopilot', status: 'success', stage: 'desktop', ownership: 'company', localAdministrator: true, enrollmentTimeGrouping: null });
    // The default ESP: no progress shown, nothing tracked.
    expect(done.enrollmentStatusPage).toMatchObject({ source: 'default', showInstallationProgress: false });
    // The Entra object created at import is the one that joins, renamed by the profile's template.
    expect(done.entraDeviceObjectId).toBe(entraObjectId);
    expect(done.deviceName).toBe('CON-AP1001');
    const entra = await lab.client.api(`/devices/${entraObjectId}`).get();
    expect(entra).toMatchObject({ displayName: 'CON-AP1001', trustType: 'AzureAd', isManaged: true, enrollmentProfileName: 'Contoso user-driven', deviceOwnership: 'Company' });
    expect(entra.physicalIds).toContain(`[ZTDId]:${autopilotId}`);
    const managed = await lab.client.api(`/deviceManagement/managedDevices/${done.managedDeviceId}`).get();
    expect(managed).toMatchObject({ deviceName: 'CON-AP1001', serialNumber: 'AP1001', autopilotEnrolled: true, enrollmentProfileName: 'Contoso user-driven', managedDeviceOwnerType: 'company', userPrincipalName: tut.user.upn });
    const after = await lab.client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${autopilotId}`).get();
    expect(after).toMatchObject({ enrollmentState: 'enrolled', managedDeviceId: done.managedDeviceId });
    // Device preparation did not run: its device group stays empty and its app is not tracked.
    const members = await lab.client.api(`/groups/${tut.deviceGroupId}/members`).version('v1.0').get();
    expect(members.value).toEqual([]);
    expect(done.apps).toEqual([]);
  });

  it('names the device from %RAND:x% and makes a standard user when the profile says so', async () => {
    const { lab, user, autopilotGroupId } = await classicLab();
    const profile = await deploymentProfile(lab, 'Standard users', autopilotGroupId, { template: 'LAB-%RAND:4%', userType: 'standard' });
    const device = await newDevice(lab, { serialNumber: 'AP1002' });
    const { entraObjectId } = await registerDevice(lab, device);
    const done = await runToEnd(lab, (await signIn(lab, device.id, user.upn)).id);
    expect(done).toMatchObject({ path: 'classicAutopilot', status: 'success', profile: { id: profile.id, userType: 'standard' }, localAdministrator: false, entraDeviceObjectId: entraObjectId });
    expect(done.deviceName).toMatch(/^LAB-\d{4}$/);
    expect((await lab.client.api(`/devices/${entraObjectId}`).get()).displayName).toBe(done.deviceName);
  });

  it('gives a registered device with no profile assigned the default behaviour, still classic', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab, { serialNumber: 'AP1003' });
    const { autopilotId, entraObjectId } = await registerDevice(lab, device);
    const started = await signIn(lab, device.id, tut.user.upn);
    expect(started).toMatchObject({ path: 'classicAutopilot', policy: null, profile: { id: null, displayName: null, deviceNameTemplate: null, autopilotDeviceId: autopilotId } });
    expect(started.pathReason).toMatch(/registered with Windows Autopilot with no profile assigned/);
    const done = await runToEnd(lab, started.id);
    expect(done).toMatchObject({ status: 'success', stage: 'desktop', entraDeviceObjectId: entraObjectId });
    expect(done.deviceName).toMatch(/^DESKTOP-[A-Z0-9]{7}$/);
    const managed = await lab.client.api(`/deviceManagement/managedDevices/${done.managedDeviceId}`).get();
    expect(managed.autopilotEnrolled).toBe(true);
    const record = await lab.client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${autopilotId}`).get();
    expect(record).toMatchObject({ enrollmentState: 'enrolled', managedDeviceId: done.managedDeviceId });
  });
});

describe('the Enrollment Status Page in classic Autopilot', () => {
  it('with the default ESP goes straight to the desktop and installs required apps afterwards', async () => {
    const { lab, user, autopilotGroupId, device } = await registeredDevice('AP2001');
    const appId = await createApp(lab, win32App('Contoso Agent'));
    await assignApp(lab, appId, autopilotGroupId);
    const started = await signIn(lab, device.id, user.upn);
    await advance(lab, STEPS.entraJoin + STEPS.mdmEnrollment);
    const enrolled = await deployment(lab, started.id);
    expect(enrolled).toMatchObject({ stage: 'preparing', status: 'inProgress', screen: { kind: 'working' } });
    await advance(lab, STEPS.preparing);
    const desk = await deployment(lab, started.id);
    expect(desk).toMatchObject({ status: 'success', stage: 'desktop', screen: { kind: 'desktop' }, enrollmentStatusPage: { source: 'default', showInstallationProgress: false } });
    expect(desk.enrollmentStatusPage.id).toMatch(/_DefaultWindows10EnrollmentCompletionPageConfiguration$/);
    expect(desk.timeline.map((e: any) => e.event)).toContain('noStatusPage');
    expect(appRows(desk)).toEqual([['Contoso Agent', null, false, 'inProgress']]);
    expect(desk.apps[0].reasonCode).toBe('installsAfterSetup');
    const done = await runToEnd(lab, started.id);
    expect(appRows(done)).toEqual([['Contoso Agent', null, false, 'installed']]);
    expect(ms(done.apps[0].completedDateTime) - ms(done.apps[0].startedDateTime)).toBe(100_000);
  });

  it('runs device preparation, device setup and account setup with the device-targeted ESP', async () => {
    const { lab, user, userGroupId, autopilotGroupId, device } = await registeredDevice('AP2002');
    const deviceApp = await createApp(lab, win32App('Device Agent'));
    const userApp = await createApp(lab, win32App('User Tool'));
    const availableApp = await createApp(lab, win32App('Optional Tool'));
    const userContextApp = await createApp(lab, win32App('Per-user Helper', { installExperience: { runAsAccount: 'user', deviceRestartBehavior: 'suppress' } }));
    await assignApp(lab, deviceApp, autopilotGroupId);
    await assignApp(lab, userContextApp, autopilotGroupId);
    await assignApp(lab, userApp, userGroupId);
    await assignApp(lab, availableApp, userGroupId, 'available');
    await statusPage(lab, 'User ESP', [userGroupId]);
    const deviceEsp = await statusPage(lab, 'Device ESP', [autopilotGroupId], { installProgressTimeoutInMinutes: 45 });

    const started = await signIn(lab, device.id, user.upn);
    expect(started.screen.kind).toBe('working');
    await advance(lab, STEPS.entraJoin + STEPS.mdmEnrollment);
    const preparing = await deployment(lab, started.id);
    // Device-targeted beats user-targeted (behaviour.md §5.5).
    expect(preparing.enrollmentStatusPage).toMatchObject({ id: deviceEsp, displayName: 'Device ESP', source: 'device', showInstallationProgress: true, timeoutMinutes: 45 });
    expect(preparing).toMatchObject({ stage: 'preparing', phase: 'devicePreparation' });
    expect(preparing.screen).toMatchObject({ kind: 'enrollmentStatusPage', title: 'Setting up your device for work' });
    expect(preparing.screen.categories.map((c: any) => [c.name, c.status])).toEqual([
      ['Device preparation', 'inProgress'],
      ['Device setup', 'waiting'],
      ['Account setup', 'waiting'],
    ]);

    await advance(lab, STEPS.preparing);
    const deviceSetup = await deployment(lab, started.id);
    expect(deviceSetup).toMatchObject({ stage: 'installing', phase: 'deviceSetup' });
    // Device setup tracks device-targeted apps in system context only; Available apps are never installed.
    expect(appRows(deviceSetup)).toEqual([
      ['Device Agent', 'deviceSetup', true, 'inProgress'],
      ['User Tool', 'accountSetup', true, 'notStarted'],
      ['Per-user Helper', null, false, 'notStarted'],
    ]);
    expect(deviceSetup.screen.categories).toEqual([
      { name: 'Device preparation', status: 'complete' },
      { name: 'Device setup', status: 'inProgress', detail: 'Apps (0 of 1 installed)' },
      { name: 'Account setup', status: 'waiting', detail: 'Apps (0 of 1 installed)' },
    ]);

    await advance(lab, 100);
    const signingIn = await deployment(lab, started.id);
    expect(signingIn.stage).toBe('accountSignIn');
    await advance(lab, STEPS.accountSignIn);
    const accountSetup = await deployment(lab, started.id);
    expect(accountSetup).toMatchObject({ stage: 'installing', phase: 'accountSetup' });
    expect(accountSetup.screen.categories.map((c: any) => c.status)).toEqual(['complete', 'complete', 'inProgress']);

    await advance(lab, 100);
    const done = await deployment(lab, started.id);
    expect(done).toMatchObject({ status: 'success', stage: 'desktop', screen: { kind: 'desktop' } });
    expect(appRows(done)).toEqual([
      ['Device Agent', 'deviceSetup', true, 'installed'],
      ['User Tool', 'accountSetup', true, 'installed'],
      ['Per-user Helper', null, false, 'inProgress'],
    ]);
    const events = done.timeline.map((e: any) => e.event);
    expect(events.indexOf('accountSetupStarted')).toBeGreaterThan(events.indexOf('itemInstalled'));
    expect(events.at(-1)).toBe('desktop');
    // Start of sign-in to the desktop: join, enrollment, preparing, two apps and the automatic sign-in.
    expect(done.deploymentTimeSeconds).toBe(STEPS.entraJoin + STEPS.mdmEnrollment + STEPS.preparing + 100 + STEPS.accountSignIn + 100);
  });

  it('uses the user-targeted ESP when no device-targeted one applies', async () => {
    const { lab, user, userGroupId, device } = await registeredDevice('AP2003');
    const otherDevices = await newGroup(lab, 'Other devices');
    await statusPage(lab, 'Kiosk ESP', [otherDevices]);
    // Progress tracked for Autopilot devices only: a registered device still gets the page.
    const userEsp = await statusPage(lab, 'User ESP', [userGroupId], { installProgressTimeoutInMinutes: 30, trackInstallProgressForAutopilotOnly: true });
    const done = await runToEnd(lab, (await signIn(lab, device.id, user.upn)).id);
    expect(done).toMatchObject({ status: 'success', enrollmentStatusPage: { id: userEsp, source: 'user', timeoutMinutes: 30, showInstallationProgress: true } });
    expect(done.timeline.map((e: any) => e.event)).toContain('accountSetupStarted');
  });

  it('tracks only the selected blocking apps; the others install after the desktop appears', async () => {
    const { lab, user, userGroupId, autopilotGroupId, device } = await registeredDevice('AP2004');
    const blocking = await createApp(lab, win32App('Blocking Agent'));
    const other = await createApp(lab, win32App('Other Agent'));
    const userOther = await createApp(lab, win32App('User Extra'));
    await assignApp(lab, blocking, autopilotGroupId);
    await assignApp(lab, other, autopilotGroupId);
    await assignApp(lab, userOther, userGroupId);
    await statusPage(lab, 'Selected apps', [autopilotGroupId], { selectedMobileAppIds: [blocking] });
    const started = await signIn(lab, device.id, user.upn);
    await advance(lab, STEPS.entraJoin + STEPS.mdmEnrollment + STEPS.preparing + 100 + STEPS.accountSignIn);
    const desk = await deployment(lab, started.id);
    expect(desk).toMatchObject({ status: 'success', stage: 'desktop' });
    expect(appRows(desk)).toEqual([
      ['Blocking Agent', 'deviceSetup', true, 'installed'],
      ['Other Agent', null, false, 'inProgress'],
      ['User Extra', null, false, 'notStarted'],
    ]);
    // Untracked apps start only once the desktop is there.
    expect(ms(desk.apps[1].startedDateTime)).toBe(eventAt(desk, 'desktop'));
    const done = await runToEnd(lab, started.id);
    expect(appRows(done)).toEqual([
      ['Blocking Agent', 'deviceSetup', true, 'installed'],
      ['Other Agent', null, false, 'installed'],
      ['User Extra', null, false, 'installed'],
    ]);
    expect(done.status).toBe('success');
  });
});

describe('ESP failures', () => {
  /** A registered device with one device-targeted blocking app and a custom ESP. */
  async function failingSetup(serialNumber: string, espSettings: Record<string, unknown>) {
    const base = await registeredDevice(serialNumber);
    const appId = await createApp(base.lab, win32App('Contoso Agent'));
    await assignApp(base.lab, appId, base.autopilotGroupId);
    const espId = await statusPage(base.lab, 'Failing ESP', [base.autopilotGroupId], espSettings);
    await simulate(base.lab, { apps: { [appId]: { exitCode: 1603 } } });
    const started = await signIn(base.lab, base.device.id, base.user.upn);
    const failed = await runToEnd(base.lab, started.id);
    return { ...base, appId, espId, started, failed };
  }

  it('shows the custom message and lets the user reset the device, which leaves Intune', async () => {
    const { lab, user, device, appId, espId, entraObjectId, failed } = await failingSetup('AP3001', { customErrorMessage: 'Call the Contoso help desk on 555-0100.', allowDeviceResetOnInstallFailure: true, blockDeviceSetupRetryByUser: true });
    expect(failed).toMatchObject({ status: 'failed', stage: 'failed', phase: 'deviceSetup', error: { reason: 'appFailed', code: '0x80070643', stage: 'installing' } });
    expect(failed.apps[0]).toMatchObject({ status: 'failed', exitCode: 1603, reasonCode: 'exitCode' });
    expect(failed.screen).toMatchObject({ kind: 'failure', message: 'Call the Contoso help desk on 555-0100.', actions: ['resetDevice'], diagnosticsLink: false });
    expect(failed.screen.categories.map((c: any) => c.status)).toEqual(['complete', 'failed', 'waiting']);
    // Retry is blocked by blockDeviceSetupRetryByUser; use is not allowed.
    for (const action of ['retry', 'continue-anyway', 'collect-logs']) {
      const refused = await act(lab, failed.id, action);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('ActionNotAvailable');
    }
    expect(await graphStatus(() => lab.client.api(`/deviceManagement/managedDevices/${failed.managedDeviceId}`).get())).toBe(200);
    const reset = await act(lab, failed.id, 'reset-device');
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ status: 'failed', stage: 'stopped', screen: { kind: 'oobe' } });
    expect((await lab.control('GET', `/devices/${device.id}`)).body.state).toBe('oobe');
    expect(await graphStatus(() => lab.client.api(`/deviceManagement/managedDevices/${failed.managedDeviceId}`).get())).toBe(404);
    // Set up again once the app is fixed: the Autopilot Entra object stays, Intune gets a new managed device.
    await simulate(lab, { apps: { [appId]: null } });
    const again = await runToEnd(lab, (await signIn(lab, device.id, user.upn)).id);
    expect(again).toMatchObject({ status: 'success', stage: 'desktop', entraDeviceObjectId: entraObjectId, enrollmentStatusPage: { id: espId } });
    expect(again.managedDeviceId).not.toBe(failed.managedDeviceId);
    expect(await graphStatus(() => lab.client.api(`/deviceManagement/managedDevices/${again.managedDeviceId}`).get())).toBe(200);
  });

  it('shows the default message; use the device anyway, collect logs, and retry after the fix', async () => {
    const { lab, user, device, appId, failed } = await failingSetup('AP3002', { allowDeviceUseOnInstallFailure: true, allowLogCollectionOnInstallFailure: true });
    expect(failed.screen).toMatchObject({ kind: 'failure', message: ESP_DEFAULT_ERROR, actions: ['retry', 'continueAnyway', 'collectLogs'], diagnosticsLink: true });

    const logs = await act(lab, failed.id, 'collect-logs');
    expect(logs.body).toMatchObject({ logsCollected: true, stage: 'failed', status: 'failed' });
    const anyway = await act(lab, failed.id, 'continue-anyway');
    expect(anyway.status).toBe(200);
    expect(anyway.body).toMatchObject({ stage: 'desktop', status: 'failed', continuedAnyway: true, screen: { kind: 'desktop' } });
    expect((await lab.control('GET', `/devices/${device.id}`)).body.state).toBe('desktop');

    // A second device fails the same way, then succeeds on retry once the installer is fixed.
    const second = await newDevice(lab, { serialNumber: 'AP3003', manufacturer: 'Contoso', model: 'Laptop 7' });
    await registerDevice(lab, second);
    const again = await runToEnd(lab, (await signIn(lab, second.id, user.upn)).id);
    expect(again).toMatchObject({ status: 'failed', stage: 'failed', attempt: 1, failures: 1 });
    const stillBroken = await act(lab, again.id, 'retry');
    expect(stillBroken.body).toMatchObject({ status: 'inProgress', attempt: 2 });
    expect(await runToEnd(lab, again.id)).toMatchObject({ status: 'failed', failures: 2 });
    await simulate(lab, { apps: { [appId]: null } });
    expect((await act(lab, again.id, 'retry')).body).toMatchObject({ status: 'inProgress', attempt: 3, error: null });
    const fixed = await runToEnd(lab, again.id);
    expect(fixed).toMatchObject({ status: 'success', stage: 'desktop', attempt: 3, failures: 2, error: null });
    expect(fixed.apps[0]).toMatchObject({ status: 'installed', exitCode: 0, reasonCode: null });
  });

  it('times out a hanging app exactly when the ESP timeout runs out', async () => {
    const base = await registeredDevice('AP3004');
    const { lab, user, autopilotGroupId, device } = base;
    const appId = await createApp(lab, win32App('Hanging Agent'));
    await assignApp(lab, appId, autopilotGroupId);
    await statusPage(lab, 'Short ESP', [autopilotGroupId], { installProgressTimeoutInMinutes: 5, customErrorMessage: 'Too slow.' });
    await simulate(lab, { apps: { [appId]: { hang: true } } });
    const started = await signIn(lab, device.id, user.upn);
    const failed = await runToEnd(lab, started.id);
    // The device ESP's timer starts at enrollment (the span the page tracks).
    const spanStart = eventAt(failed, 'enrolled');
    expect(spanStart).toBe(ms(started.startedDateTime) + (STEPS.entraJoin + STEPS.mdmEnrollment) * 1000);
    expect(failed).toMatchObject({ status: 'failed', stage: 'failed', error: { reason: 'timeout', code: '0x800705b4' }, screen: { kind: 'failure', message: 'Too slow.' } });
    expect(ms(failed.completedDateTime)).toBe(spanStart + 5 * 60_000);
    expect(failed.apps[0]).toMatchObject({ status: 'failed', reasonCode: 'timeout', exitCode: null });
    expect(ms(failed.apps[0].completedDateTime)).toBe(spanStart + 5 * 60_000);
  });

  it('times out a slow user-targeted app in account setup, timed from the start of account setup', async () => {
    const { lab, user, userGroupId, autopilotGroupId, device } = await registeredDevice('AP3005');
    const appId = await createApp(lab, win32App('Slow Tool'));
    await assignApp(lab, appId, userGroupId);
    await statusPage(lab, 'Short ESP', [autopilotGroupId], { installProgressTimeoutInMinutes: 10 });
    await simulate(lab, { apps: { [appId]: { durationSeconds: 11 * 60 } } });
    const failed = await runToEnd(lab, (await signIn(lab, device.id, user.upn)).id);
    const spanStart = eventAt(failed, 'accountSetupStarted');
    expect(failed).toMatchObject({ status: 'failed', phase: 'accountSetup', error: { reason: 'timeout' }, screen: { kind: 'failure', message: ESP_DEFAULT_ERROR } });
    expect(ms(failed.completedDateTime)).toBe(spanStart + 10 * 60_000);
    expect(failed.screen.categories.map((c: any) => c.status)).toEqual(['complete', 'complete', 'failed']);
  });

  it('fails the Win32 app with 1618 when a LOB MSI and a Win32 app are both tracked in device setup', async () => {
    const { lab, user, autopilotGroupId, device } = await registeredDevice('AP3006');
    const win32 = await createApp(lab, win32App('Contoso Win32'));
    const msi = await createApp(lab, msiApp('Contoso MSI'));
    await assignApp(lab, win32, autopilotGroupId);
    await assignApp(lab, msi, autopilotGroupId);
    await statusPage(lab, 'Mixed ESP', [autopilotGroupId]);
    const failed = await runToEnd(lab, (await signIn(lab, device.id, user.upn)).id);
    expect(appRows(failed)).toEqual([
      ['Contoso MSI', 'deviceSetup', true, 'installed'],
      ['Contoso Win32', 'deviceSetup', true, 'failed'],
    ]);
    expect(failed.apps[1]).toMatchObject({ exitCode: 1618, reasonCode: 'installerConflict' });
    expect(failed.apps[1].reason).toMatch(/Another installation is in progress/);
    expect(failed).toMatchObject({ status: 'failed', stage: 'failed', error: { reason: 'appFailed', code: '0x80070652' } });
  });
});

describe('plain Microsoft Entra join (not registered, no device preparation policy)', () => {
  it('skips an ESP that tracks Autopilot devices only', async () => {
    const { lab, user, userGroupId } = await classicLab();
    await simulate(lab, { defaults: { app: { durationSeconds: 100 } } });
    const appId = await createApp(lab, win32App('Contoso Agent'));
    await assignApp(lab, appId, userGroupId);
    const espId = await statusPage(lab, 'Autopilot only', [userGroupId], { trackInstallProgressForAutopilotOnly: true });
    const device = await newDevice(lab, { serialNumber: 'EJ4001' });
    const started = await signIn(lab, device.id, user.upn);
    expect(started).toMatchObject({ path: 'entraJoin', profile: null, policy: null });
    expect(started.pathReason).toMatch(/not registered with Windows Autopilot and no device preparation policy/);
    await advance(lab, STEPS.entraJoin + STEPS.mdmEnrollment + STEPS.preparing);
    const desk = await deployment(lab, started.id);
    expect(desk).toMatchObject({ status: 'success', stage: 'desktop', enrollmentStatusPage: { id: espId, source: 'user', showInstallationProgress: false } });
    expect(appRows(desk)).toEqual([['Contoso Agent', null, false, 'inProgress']]);
    const managed = await lab.client.api(`/deviceManagement/managedDevices/${desk.managedDeviceId}`).get();
    expect(managed).toMatchObject({ autopilotEnrolled: false, enrollmentProfileName: null });
  });

  it('uses an ESP that shows to every device', async () => {
    const { lab, user, userGroupId } = await classicLab();
    await simulate(lab, { defaults: { app: { durationSeconds: 100 } } });
    const appId = await createApp(lab, win32App('Contoso Agent'));
    await assignApp(lab, appId, userGroupId);
    const espId = await statusPage(lab, 'Everyone', [userGroupId]);
    const device = await newDevice(lab, { serialNumber: 'EJ4002' });
    const started = await signIn(lab, device.id, user.upn);
    await advance(lab, STEPS.entraJoin + STEPS.mdmEnrollment + STEPS.preparing);
    const setup = await deployment(lab, started.id);
    expect(setup).toMatchObject({ path: 'entraJoin', status: 'inProgress', enrollmentStatusPage: { id: espId, source: 'user', showInstallationProgress: true }, screen: { kind: 'enrollmentStatusPage' } });
    const done = await runToEnd(lab, started.id);
    expect(done).toMatchObject({ status: 'success', stage: 'desktop' });
    expect(appRows(done)).toEqual([['Contoso Agent', 'accountSetup', true, 'installed']]);
    // No Autopilot record: a fresh Entra device, not marked as Autopilot-enrolled.
    const entra = await lab.client.api(`/devices/${done.entraDeviceObjectId}`).get();
    expect(entra.physicalIds.some((p: string) => p.startsWith('[ZTDId]'))).toBe(false);
  });
});
