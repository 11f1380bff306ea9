// Every check that can stop a deployment, end to end: the tenant is configured through Graph with the official
// client, devices and sign-in go through the control API, and the effects at the moment of the block are read
// back through Graph. A blocked device stays at the out-of-box experience, so fixing the cause and signing in
// again must work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addMember, createUser, devicePreparationTutorial, newDevice, newLab, PASSWORD, runToEnd, signIn, advance, type Lab, type Tutorial } from './tutorial.js';
import { STEP_SECONDS } from '../../src/provisioning/engine.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const MDM = '0000000a-0000-0000-c000-000000000000';
const CONFIGS = '/deviceManagement/deviceEnrollmentConfigurations';
const IDENTITIES = '/deviceManagement/importedDeviceIdentities';
const POLICY_NAME = 'Windows Autopilot device preparation - User Driven';

interface Expected {
  readonly code: string;
  readonly reason: string;
  readonly stage: string;
  readonly intendedPath: string | null;
}

/** What every blocked deployment shows: the error on the device's screen, nothing left to run. */
function expectBlocked(d: any, e: Expected): void {
  expect(d, JSON.stringify(d.error)).toMatchObject({
    path: 'blocked',
    intendedPath: e.intendedPath,
    status: 'failed',
    stage: 'stopped',
    running: false,
    nextTransitionDateTime: null,
    error: { code: e.code, reason: e.reason, stage: e.stage, message: expect.any(String) },
    screen: { kind: 'error', errorCode: e.code, message: d.error.message, actions: [] },
  });
  expect(d.completedDateTime).not.toBeNull();
  expect(d.timeline.at(-1)).toMatchObject({ event: 'blocked', detail: expect.stringContaining(e.code) });
}

const entraDevices = async (lab: Lab): Promise<any[]> => (await lab.client.api('/devices').version('v1.0').get()).value;
const managedDevices = async (lab: Lab): Promise<any[]> => (await lab.client.api('/deviceManagement/managedDevices').get()).value;
const deviceState = async (lab: Lab, id: string) => (await lab.control('GET', `/devices/${id}`)).body;

/** Signs in and runs the deployment as far as it goes. */
async function deploy(lab: Lab, deviceId: string, upn: string, password = PASSWORD): Promise<any> {
  const started = await signIn(lab, deviceId, upn, password);
  return started.stage === 'stopped' ? started : runToEnd(lab, started.id);
}

/** The device joined Entra, but Intune has nothing: no managed device, the Entra object not managed. */
async function expectJoinedNotEnrolled(lab: Lab, d: any, tut: Tutorial): Promise<void> {
  expect(d.entraDeviceObjectId).toBeTruthy();
  expect(d.managedDeviceId).toBeNull();
  const entra = await lab.client.api(`/devices/${d.entraDeviceObjectId}`).version('v1.0').get();
  expect(entra).toMatchObject({ trustType: 'AzureAd', deviceId: d.azureADDeviceId, displayName: d.deviceName });
  expect(entra.isManaged ?? false).toBe(false);
  const owners = await lab.client.api(`/devices/${d.entraDeviceObjectId}/registeredOwners`).version('v1.0').get();
  expect(owners.value.map((o: any) => o.id)).toEqual([tut.user.id]);
  expect(await managedDevices(lab)).toEqual([]);
  // Enrollment-time grouping happens at enrollment, so the device group is still empty.
  const members = await lab.client.api(`/groups/${tut.deviceGroupId}/members`).version('v1.0').get();
  expect(members.value).toEqual([]);
}

async function expectSucceeded(lab: Lab, d: any): Promise<any> {
  expect(d, JSON.stringify(d.error)).toMatchObject({ path: 'devicePreparation', status: 'success', stage: 'desktop', error: null, screen: { kind: 'desktop' } });
  const managed = await lab.client.api(`/deviceManagement/managedDevices/${d.managedDeviceId}`).get();
  expect(managed.azureADDeviceId).toBe(d.azureADDeviceId);
  expect((await deviceState(lab, d.deviceId)).state).toBe('desktop');
  return managed;
}

describe('sign-in blockers', () => {
  it('refuses a wrong password (AADSTS50126) before anything is created, and accepts the right one', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab);
    const refused = await signIn(lab, device.id, tut.user.upn, 'not-the-password');
    expectBlocked(refused, { code: 'AADSTS50126', reason: 'invalidCredentials', stage: 'signIn', intendedPath: null });
    expect(refused).toMatchObject({ userId: null, entraDeviceObjectId: null, managedDeviceId: null, policy: null, screen: { title: 'Sign in' } });
    expect(await entraDevices(lab)).toEqual([]);
    expect(await managedDevices(lab)).toEqual([]);
    expect(await deviceState(lab, device.id)).toMatchObject({ state: 'oobe', deploymentId: refused.id });
    // The password is never stored with the deployment.
    expect(JSON.stringify(refused)).not.toContain('not-the-password');

    const done = await deploy(lab, device.id, tut.user.upn);
    await expectSucceeded(lab, done);
    expect(done.id).not.toBe(refused.id);
  });

  it('refuses an unknown user (AADSTS50034), then accepts them once they exist', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab);
    const upn = `newhire@${lab.tenant.domain}`;
    const refused = await signIn(lab, device.id, upn);
    expectBlocked(refused, { code: 'AADSTS50034', reason: 'userNotFound', stage: 'signIn', intendedPath: null });
    expect(refused.error.message).toContain(upn);
    expect(refused.screen.title).toBe('Sign in');
    expect(await entraDevices(lab)).toEqual([]);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');

    const user = await createUser(lab, 'newhire');
    await addMember(lab, tut.userGroupId, user.id);
    const done = await deploy(lab, device.id, upn);
    await expectSucceeded(lab, done);
    expect(done.userId).toBe(user.id);
  });

  it('refuses a disabled account (AADSTS50057) with the right password, and accepts it once enabled', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/users/${tut.user.id}`).version('v1.0').patch({ accountEnabled: false });
    const device = await newDevice(lab);
    const refused = await signIn(lab, device.id, tut.user.upn);
    expectBlocked(refused, { code: 'AADSTS50057', reason: 'userDisabled', stage: 'signIn', intendedPath: null });
    expect(await entraDevices(lab)).toEqual([]);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');
    // The password is checked before the account state, as at the token endpoint.
    const wrong = await signIn(lab, device.id, tut.user.upn, 'guess');
    expect(wrong.error.code).toBe('AADSTS50126');

    await lab.client.api(`/users/${tut.user.id}`).version('v1.0').patch({ accountEnabled: true });
    await expectSucceeded(lab, await deploy(lab, device.id, tut.user.upn));
  });
});

describe('device blockers', () => {
  it('blocks Windows Home at MDM enrollment (0x80180022) after the Entra join; Pro then enrolls', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab, { windowsEdition: 'Home' });
    const started = await signIn(lab, device.id, tut.user.upn);
    expect(started).toMatchObject({ path: 'devicePreparation', stage: 'entraJoin' });
    const refused = await runToEnd(lab, started.id);
    expectBlocked(refused, { code: '0x80180022', reason: 'unsupportedEdition', stage: 'mdmEnrollment', intendedPath: 'devicePreparation' });
    expect(refused.screen.title).toBe('Something went wrong');
    expect(refused.policy.id).toBe(tut.policyId);
    await expectJoinedNotEnrolled(lab, refused, tut);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');

    // An edition upgrade, then setup again.
    expect((await lab.control('PATCH', `/devices/${device.id}`, { windowsEdition: 'Pro' })).status).toBe(200);
    const done = await deploy(lab, device.id, tut.user.upn);
    const managed = await expectSucceeded(lab, done);
    expect(managed).toMatchObject({ serialNumber: device.serialNumber, userPrincipalName: tut.user.upn });
  });

  it('blocks builds below the device preparation minimum at sign-in, and lets supported builds through', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const cases: [string, boolean][] = [
      ['10.0.22621.2000', true], // 22H2 without KB5035942
      ['10.0.19045.4598', true], // Windows 10
      ['10.0.22631.3374', false], // 23H2 with KB5035942
      ['10.0.26100.1', false], // 24H2
    ];
    const joined: string[] = [];
    for (const [osVersion, blocked] of cases) {
      const device = await newDevice(lab, { osVersion });
      const started = await signIn(lab, device.id, tut.user.upn);
      if (blocked) {
        expectBlocked(started, { code: 'DevicePreparationNotSupported', reason: 'osBelowMinimum', stage: 'signIn', intendedPath: 'devicePreparation' });
        expect(started.error.message, osVersion).toContain(osVersion);
        expect(started.entraDeviceObjectId).toBeNull();
        expect((await deviceState(lab, device.id)).state).toBe('oobe');
      } else {
        expect(started, osVersion).toMatchObject({ path: 'devicePreparation', status: 'inProgress', stage: 'entraJoin', error: null });
        const done = await runToEnd(lab, started.id);
        await expectSucceeded(lab, done);
        joined.push(done.entraDeviceObjectId);
      }
    }
    // Only the supported builds joined Entra.
    expect((await entraDevices(lab)).map((d) => d.id).sort()).toEqual(joined.sort());
    expect(await managedDevices(lab)).toHaveLength(2);
  });
});

describe('Entra join blockers', () => {
  const putJoin = async (lab: Lab, allowedToJoin: Record<string, unknown>, quota?: number) => {
    const policy = await lab.client.api('/policies/deviceRegistrationPolicy').get();
    await lab.client.api('/policies/deviceRegistrationPolicy').put({ ...policy, ...(quota !== undefined ? { userDeviceQuota: quota } : {}), azureADJoin: { ...policy.azureADJoin, allowedToJoin } });
  };

  it('blocks the join (801c0003) when users may not join, or only others may; joins once the user is selected', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab);
    await putJoin(lab, { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' });
    const none = await deploy(lab, device.id, tut.user.upn);
    expectBlocked(none, { code: '801c0003', reason: 'joinNotAllowed', stage: 'entraJoin', intendedPath: 'devicePreparation' });
    expect(none.userId).toBe(tut.user.id);
    expect(none.entraDeviceObjectId).toBeNull();
    expect(await entraDevices(lab)).toEqual([]);
    expect(await managedDevices(lab)).toEqual([]);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');

    // Selected: another user and a group the user is not in.
    const other = await createUser(lab, 'joiner');
    const joiners = await lab.client.api('/groups').version('v1.0').post({ displayName: 'Joiners', mailEnabled: false, mailNickname: 'joiners', securityEnabled: true });
    await addMember(lab, joiners.id, other.id);
    await putJoin(lab, { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [other.id], groups: [joiners.id] });
    const selected = await deploy(lab, device.id, tut.user.upn);
    expectBlocked(selected, { code: '801c0003', reason: 'joinNotAllowed', stage: 'entraJoin', intendedPath: 'devicePreparation' });
    expect(await entraDevices(lab)).toEqual([]);

    // Selecting the user's group lets the user join.
    await putJoin(lab, { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [other.id], groups: [joiners.id, tut.userGroupId] });
    const done = await deploy(lab, device.id, tut.user.upn);
    await expectSucceeded(lab, done);
    expect((await entraDevices(lab)).map((d) => d.id)).toEqual([done.entraDeviceObjectId]);
  });

  it('blocks the join (801c0003) when the user already owns the maximum number of devices', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const owned: string[] = [];
    for (const name of ['OLD-PC-1', 'OLD-PC-2']) {
      const d = await lab.client.api('/devices').version('v1.0').post({
        accountEnabled: true,
        alternativeSecurityIds: [{ type: 2, key: Buffer.from(name).toString('base64') }],
        deviceId: crypto.randomUUID(),
        displayName: name,
        operatingSystem: 'Windows',
        operatingSystemVersion: '10.0.22631.3447',
      });
      await lab.client.api(`/devices/${d.id}/registeredOwners/$ref`).version('v1.0').post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${tut.user.id}` });
      owned.push(d.id);
    }
    await putJoin(lab, { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' }, 2);
    const device = await newDevice(lab);
    const started = await signIn(lab, device.id, tut.user.upn);
    // The check runs at the join, STEP_SECONDS.entraJoin after sign-in.
    await advance(lab, STEP_SECONDS.entraJoin - 1);
    expect((await lab.control('GET', `/deployments/${started.id}`)).body.stage).toBe('entraJoin');
    await advance(lab, 1);
    const refused = (await lab.control('GET', `/deployments/${started.id}`)).body;
    expectBlocked(refused, { code: '801c0003', reason: 'deviceQuotaReached', stage: 'entraJoin', intendedPath: 'devicePreparation' });
    expect(refused.error.message).toContain('(2)');
    expect((await entraDevices(lab)).map((d) => d.id).sort()).toEqual([...owned].sort());
    expect(await managedDevices(lab)).toEqual([]);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');

    // One more allowed: the join takes the last place.
    await putJoin(lab, { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' }, 3);
    const done = await deploy(lab, device.id, tut.user.upn);
    await expectSucceeded(lab, done);
    const ownedNow = await lab.client.api(`/users/${tut.user.id}/ownedDevices`).version('v1.0').get();
    expect(ownedNow.value.map((d: any) => d.id).sort()).toEqual([...owned, done.entraDeviceObjectId].sort());
  });
});

describe('MDM enrollment blockers', () => {
  it('blocks automatic enrollment (0x8018002b) when the MDM user scope is None or Some without the user', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab);
    await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).patch({ appliesTo: 'none' });
    const none = await deploy(lab, device.id, tut.user.upn);
    expectBlocked(none, { code: '0x8018002b', reason: 'mdmUserScope', stage: 'mdmEnrollment', intendedPath: 'devicePreparation' });
    expect(none.error.message).toContain('None');
    await expectJoinedNotEnrolled(lab, none, tut);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');

    // Some: a group the user is not in.
    const pilot = await lab.client.api('/groups').version('v1.0').post({ displayName: 'MDM pilot', mailEnabled: false, mailNickname: 'mdmpilot', securityEnabled: true });
    const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/beta/groups('${id}')` });
    await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}/includedGroups/$ref`).post(ref(pilot.id));
    expect((await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).get()).appliesTo).toBe('selected');
    const some = await deploy(lab, device.id, tut.user.upn);
    expectBlocked(some, { code: '0x8018002b', reason: 'mdmUserScope', stage: 'mdmEnrollment', intendedPath: 'devicePreparation' });
    expect(some.error.message).toContain('Some');
    await expectJoinedNotEnrolled(lab, some, tut);

    // The user's group in the scope: enrollment works, and the device joins the device group.
    await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}/includedGroups/$ref`).post(ref(tut.userGroupId));
    const done = await deploy(lab, device.id, tut.user.upn);
    const managed = await expectSucceeded(lab, done);
    expect(managed.enrollmentProfileName).toBe(POLICY_NAME);
    const members = await lab.client.api(`/groups/${tut.deviceGroupId}/members`).version('v1.0').get();
    expect(members.value.map((m: any) => m.id)).toEqual([done.entraDeviceObjectId]);
  });
});

describe('enrollment restrictions and corporate identifiers', () => {
  const DEFAULT_RESTRICTIONS = '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration';
  const windowsRestriction = (r: Record<string, unknown>) => ({ platformBlocked: false, personalDeviceEnrollmentBlocked: false, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [], blockedSkus: [], ...r });
  const setDefaultRestriction = async (lab: Lab, r: Record<string, unknown>) =>
    lab.client.api(`${CONFIGS}/${lab.tenant.tenantId}_DefaultPlatformRestrictions`).patch({ '@odata.type': DEFAULT_RESTRICTIONS, windowsRestriction: windowsRestriction(r) });
  const importIdentifiers = async (lab: Lab, identifiers: string[]) => {
    const res = await lab.client.api(`${IDENTITIES}/importDeviceIdentityList`).post({
      importedDeviceIdentities: identifiers.map((i) => ({ '@odata.type': '#microsoft.graph.importedDeviceIdentity', importedDeviceIdentifier: i, importedDeviceIdentityType: 'manufacturerModelSerial', description: '', platform: 'windows' })),
      overwriteImportedDeviceIdentities: false,
    });
    expect(res.value.map((r: any) => r.status)).toEqual(identifiers.map(() => true));
    return (await lab.client.api(IDENTITIES).get()).value as any[];
  };

  it('blocks a personal device (0x80180014) with no corporate identifier; a matching identifier makes it corporate', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await setDefaultRestriction(lab, { personalDeviceEnrollmentBlocked: true });
    const device = await newDevice(lab, { manufacturer: 'Contoso', model: 'Laptop 7', serialNumber: 'CORP0001' });
    const refused = await deploy(lab, device.id, tut.user.upn);
    expectBlocked(refused, { code: '0x80180014', reason: 'personalBlocked', stage: 'mdmEnrollment', intendedPath: 'devicePreparation' });
    expect(refused.error.message).toContain('Your organization does not support this version of Windows');
    await expectJoinedNotEnrolled(lab, refused, tut);
    expect((await deviceState(lab, device.id)).state).toBe('oobe');

    const [identifier] = await importIdentifiers(lab, ['Contoso,Laptop 7,CORP0001']);
    expect(identifier.enrollmentState).toBe('notContacted');
    const done = await deploy(lab, device.id, tut.user.upn);
    const managed = await expectSucceeded(lab, done);
    expect(done).toMatchObject({ ownership: 'company', corporateIdentifierId: identifier.id });
    expect(managed.managedDeviceOwnerType).toBe('company');
    expect((await lab.client.api(`/devices/${done.entraDeviceObjectId}`).version('v1.0').get()).deviceOwnership).toBe('Company');
    expect((await lab.client.api(`${IDENTITIES}/${identifier.id}`).get()).enrollmentState).toBe('enrolled');

    // Every other device is personal now, and still blocked: all three values must match.
    const other = await newDevice(lab, { manufacturer: 'Contoso', model: 'Laptop 7', serialNumber: 'CORP0002' });
    const otherRefused = await deploy(lab, other.id, tut.user.upn);
    expectBlocked(otherRefused, { code: '0x80180014', reason: 'personalBlocked', stage: 'mdmEnrollment', intendedPath: 'devicePreparation' });
    expect((await managedDevices(lab)).map((m) => m.id)).toEqual([done.managedDeviceId]);
  });

  it('enrolls a device no identifier matches as personal when personal devices are allowed', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const [identifier] = await importIdentifiers(lab, ['Contoso,Laptop 7,CORP0001']);
    const device = await newDevice(lab, { manufacturer: 'Contoso', model: 'Laptop 7', serialNumber: 'BYOD0001' });
    const done = await deploy(lab, device.id, tut.user.upn);
    const managed = await expectSucceeded(lab, done);
    expect(done).toMatchObject({ ownership: 'personal', corporateIdentifierId: null });
    expect(managed.managedDeviceOwnerType).toBe('personal');
    expect((await lab.client.api(`/devices/${done.entraDeviceObjectId}`).version('v1.0').get()).deviceOwnership).toBe('Personal');
    expect((await lab.client.api(`${IDENTITIES}/${identifier.id}`).get()).enrollmentState).toBe('notContacted');
  });

  it('blocks a build below the platform restriction minimum (0x80180014); an upgraded device enrolls', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const restriction = await lab.client.api(CONFIGS).post({
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
      displayName: 'Windows 25H2 and later',
      description: '',
      deviceEnrollmentConfigurationType: 'singlePlatformRestriction',
      platformType: 'windows',
      platformRestriction: windowsRestriction({ osMinimumVersion: '10.0.26200', osMaximumVersion: null }),
    });
    await lab.client.api(`${CONFIGS}/${restriction.id}/assign`).post({ enrollmentConfigurationAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: tut.userGroupId } }] });
    const device = await newDevice(lab, { osVersion: '10.0.26100.4061' });
    const refused = await deploy(lab, device.id, tut.user.upn);
    expectBlocked(refused, { code: '0x80180014', reason: 'osBelowMinimum', stage: 'mdmEnrollment', intendedPath: 'devicePreparation' });
    expect(refused.error.message).toContain('10.0.26200');
    expect(refused.error.message).toContain('Windows 25H2 and later');
    await expectJoinedNotEnrolled(lab, refused, tut);

    expect((await lab.control('PATCH', `/devices/${device.id}`, { osVersion: '10.0.26200.5000' })).status).toBe(200);
    const managed = await expectSucceeded(lab, await deploy(lab, device.id, tut.user.upn));
    expect(managed.osVersion).toBe('10.0.26200.5000');
  });
});

describe('tenant isolation', () => {
  it("never shows or touches another tenant's devices and deployments, nor signs in its users", async () => {
    const a = await newLab(t);
    const b = await newLab(t);
    const tutA = await devicePreparationTutorial(a);
    const tutB = await devicePreparationTutorial(b);
    const deviceA = await newDevice(a, { serialNumber: 'SHARED-01' });
    const deploymentA = await signIn(a, deviceA.id, tutA.user.upn);
    // Serial numbers are unique per tenant only.
    const deviceB = await newDevice(b, { serialNumber: 'SHARED-01' });
    expect(deviceB.id).not.toBe(deviceA.id);

    const notFound: [string, string, unknown?][] = [
      ['GET', `/devices/${deviceA.id}`],
      ['PATCH', `/devices/${deviceA.id}`, { windowsEdition: 'Pro' }],
      ['POST', `/devices/${deviceA.id}/reset`],
      ['POST', `/devices/${deviceA.id}/sign-in`, { userPrincipalName: tutB.user.upn, password: PASSWORD }],
      ['DELETE', `/devices/${deviceA.id}`],
      ['GET', `/deployments/${deploymentA.id}`],
      ['POST', `/deployments/${deploymentA.id}/run`],
      ['POST', `/deployments/${deploymentA.id}/retry`],
    ];
    for (const [method, path, body] of notFound) {
      const res = await b.control(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('NotFound');
    }
    const devicesB = (await b.control('GET', '/devices')).body.value;
    expect(devicesB.map((d: any) => d.id)).toEqual([deviceB.id]);
    expect((await b.control('GET', '/deployments')).body.value).toEqual([]);
    expect((await b.control('GET', `/deployments?deviceId=${deviceA.id}`)).body.value).toEqual([]);

    // A's user does not exist in B's directory.
    const refused = await signIn(b, deviceB.id, tutA.user.upn);
    expectBlocked(refused, { code: 'AADSTS50034', reason: 'userNotFound', stage: 'signIn', intendedPath: null });
    expect((await b.control('GET', '/deployments')).body.value.map((d: any) => d.id)).toEqual([refused.id]);

    // A's device and deployment are untouched, and A sees only its own.
    expect(await deviceState(a, deviceA.id)).toMatchObject({ state: 'settingUp', deploymentId: deploymentA.id, windowsEdition: 'Enterprise' });
    expect((await a.control('GET', '/deployments')).body.value.map((d: any) => d.id)).toEqual([deploymentA.id]);
    expect((await a.control('GET', '/devices')).body.value.map((d: any) => d.id)).toEqual([deviceA.id]);
    const doneA = await runToEnd(a, deploymentA.id);
    expect(doneA.status).toBe('success');
    expect(await entraDevices(b)).toEqual([]);
  });
});
