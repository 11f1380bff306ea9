// The pre-flight check (GET /_tarmac/tenants/{id}/preflight): for each finding of the catalogue, a tenant
// configured through Graph (or, for what Graph refuses to store, restored from an edited snapshot) that has the
// fault reports it on the right object; the tutorials done right report no error or warning; where the engine
// can show the consequence, a deployment agrees with the finding (behaviour.md §6).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { insertApp } from '../intune/device-preparation-fixtures.js';
import { FINDINGS, type FindingId } from '../../src/provisioning/preflight-findings.js';
import {
  addMember,
  assignApp,
  createUser,
  devicePreparationTutorial,
  msiApp,
  newDevice,
  newLab,
  runToEnd,
  signIn,
  statusPage,
  win32App,
  type Lab,
} from './tutorial.js';
import { appEntry, userDrivenPolicy, PROVISIONING_CLIENT } from '../intune/device-preparation-fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const MDM = '0000000a-0000-0000-c000-000000000000';
const ESP = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';
const CONFIGS = '/deviceManagement/deviceEnrollmentConfigurations';
const PROFILES = '/deviceManagement/windowsAutopilotDeploymentProfiles';
const POLICIES = '/deviceManagement/configurationPolicies';

interface Finding {
  id: FindingId;
  severity: 'error' | 'warning' | 'info';
  object: { type: string; id: string; displayName: string };
  message: string;
  fix: string;
  source: string;
}
interface Report {
  summary: { errors: number; warnings: number; info: number };
  findings: Finding[];
  checkedDateTime: string;
}

/** Ids a case has shown to be reported: the last test checks every id of the catalogue is among them. */
const shown = new Set<FindingId>();

async function preflight(lab: Lab): Promise<Report> {
  const r = await lab.control('GET', '/preflight');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** The one finding `id` reports about `objectId`, with its catalogue severity and source and a fix. */
function expectFinding(report: Report, id: FindingId, objectId: string): Finding {
  const found = report.findings.filter((f) => f.id === id && f.object.id.toLowerCase() === objectId.toLowerCase());
  expect(found, `${id} on ${objectId} in ${JSON.stringify(report.findings.map((f) => [f.id, f.object.id]))}`).toHaveLength(1);
  const f = found[0]!;
  expect(f.severity).toBe(FINDINGS[id].severity);
  expect(f.source).toBe(FINDINGS[id].source);
  expect(f.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  expect(f.message.length).toBeGreaterThan(20);
  expect(f.fix.length).toBeGreaterThan(10);
  expect(f.object.displayName).not.toBe('');
  shown.add(id);
  return f;
}

const ids = (report: Report) => report.findings.map((f) => f.id);
const problems = (report: Report) => report.findings.filter((f) => f.severity !== 'info');

// ---------------------------------------------------------------------------------------------------------
// Helpers: Graph calls of the tutorials (classic ones as in classic-autopilot.test.ts)

async function newGroup(lab: Lab, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const g = await lab.client.api('/groups').version('v1.0').post({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });
  return g.id;
}

async function provisioningClientId(lab: Lab): Promise<string> {
  return (await lab.client.api('/servicePrincipals').version('v1.0').filter(`appId eq '${PROVISIONING_CLIENT}'`).get()).value[0].id;
}

/** An assigned security group owned by the Intune Provisioning Client. */
async function ownedGroup(lab: Lab, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return newGroup(lab, name, { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${await provisioningClientId(lab)}`], ...extra });
}

async function setDeviceGroup(lab: Lab, policyId: string, groupId: string): Promise<void> {
  const set = await lab.client.api(`${POLICIES}/${policyId}/setEnrollmentTimeDeviceMembershipTarget`).post({ enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: groupId }] });
  expect(set.validationSucceeded).toBe(true);
}

async function assignPolicy(lab: Lab, policyId: string, groupIds: readonly string[]): Promise<void> {
  await lab.client.api(`${POLICIES}('${policyId}')/assign`).post({ assignments: groupIds.map((groupId) => ({ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } })) });
}

/** A second user-driven policy with its own device group, assigned to `userGroupId` (created after, so priority 2+). */
async function secondPolicy(lab: Lab, name: string, userGroupId: string | null, deviceGroupId?: string): Promise<{ id: string; deviceGroupId: string }> {
  const created = await lab.client.api(POLICIES).post(userDrivenPolicy({ name, account: 'enrollment_autopilot_dpp_accountype_0' }));
  const group = deviceGroupId ?? (await ownedGroup(lab, `${name} devices`));
  await setDeviceGroup(lab, created.id, group);
  if (userGroupId) await assignPolicy(lab, created.id, [userGroupId]);
  return { id: created.id, deviceGroupId: group };
}

async function registrationPolicy(lab: Lab, change: (p: any) => any): Promise<void> {
  const policy = await lab.client.api('/policies/deviceRegistrationPolicy').get();
  await lab.client.api('/policies/deviceRegistrationPolicy').put(change(policy));
}

/** Automatic enrollment for all users, and all users may join devices to Microsoft Entra ID. */
async function tenantBasics(lab: Lab): Promise<void> {
  await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).patch({ appliesTo: 'all' });
  await registrationPolicy(lab, (p) => ({ ...p, azureADJoin: { ...p.azureADJoin, allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } } }));
}

const ZTDID_RULE = '(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))';
const dynamicGroup = (lab: Lab, name: string, rule: string) => newGroup(lab, name, { groupTypes: ['DynamicMembership'], membershipRule: rule, membershipRuleProcessingState: 'On' });

async function registerDevice(lab: Lab, serialNumber: string, extra: Record<string, unknown> = {}): Promise<{ autopilotId: string; device: any }> {
  const device = await newDevice(lab, { serialNumber, manufacturer: 'Contoso', model: 'Laptop 7' });
  const upload = await lab.client.api('/deviceManagement/importedWindowsAutopilotDeviceIdentities').post({
    '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
    serialNumber,
    hardwareIdentifier: device.hardwareHash,
    groupTag: '',
    productKey: '',
    assignedUserPrincipalName: '',
    ...extra,
  });
  expect(upload.state.deviceImportStatus).toBe('complete');
  return { autopilotId: upload.state.deviceRegistrationId, device };
}

async function deploymentProfile(lab: Lab, name: string, targets: readonly Record<string, unknown>[], extra: Record<string, unknown> = {}): Promise<string> {
  const profile = await lab.client.api(PROFILES).post({
    '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
    displayName: name,
    description: '',
    locale: 'os-default',
    preprovisioningAllowed: false,
    deviceType: 'windowsPc',
    hardwareHashExtractionEnabled: false,
    roleScopeTagIds: ['0'],
    deviceNameTemplate: '',
    outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: 'administrator', keyboardSelectionPageSkipped: true },
    ...extra,
  });
  for (const target of targets) await lab.client.api(`${PROFILES}/${profile.id}/assignments`).post({ target });
  return profile.id;
}
const toGroup = (groupId: string) => ({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId });
const excludeGroup = (groupId: string) => ({ '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId });
const ALL_DEVICES = { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' };


const createApp = async (lab: Lab, body: Record<string, unknown>): Promise<string> => (await lab.client.api('/deviceAppManagement/mobileApps').post(body)).id;

/** A classic lab: the basics, a user in a user group, the group of all Autopilot devices. */
async function classicLab(): Promise<{ lab: Lab; user: { id: string; upn: string }; autopilotGroupId: string }> {
  const lab = await newLab(t);
  await tenantBasics(lab);
  const user = await createUser(lab, `ap${Math.random().toString(36).slice(2, 8)}`);
  const userGroupId = await newGroup(lab, 'Autopilot users');
  await addMember(lab, userGroupId, user.id);
  return { lab, user, autopilotGroupId: await dynamicGroup(lab, 'All Autopilot devices', ZTDID_RULE) };
}

/** Edits the tenant through its snapshot: how a tenant gets values Graph refuses (restored from another tool's export). */
async function editSnapshot(lab: Lab, edit: (tables: Record<string, any[]>) => void): Promise<void> {
  const snapshot = await lab.control('GET', '/snapshot');
  expect(snapshot.status).toBe(200);
  edit(snapshot.body.tables);
  const put = await lab.control('PUT', '/snapshot', snapshot.body);
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}

function editPolicySetting(tables: Record<string, any[]>, policyId: string, definitionId: string, edit: (instance: any) => void): void {
  const row = tables.intune_objects!.find((r) => r.collection === 'configurationPolicySettings' && r.id === policyId);
  const setting = row.data.settings.find((s: any) => s.settingInstance.settingDefinitionId === definitionId);
  edit(setting.settingInstance);
}

const intuneRow = (tables: Record<string, any[]>, collection: string, id: string) => tables.intune_objects!.find((r) => r.collection === collection && r.id === id);

async function deploy(lab: Lab, upn: string, device: Record<string, unknown> = {}): Promise<any> {
  const d = await newDevice(lab, device);
  const started = await signIn(lab, d.id, upn);
  return runToEnd(lab, started.id);
}

// ---------------------------------------------------------------------------------------------------------

describe('the report', () => {
  it('answers 404 for a tenant that does not exist', async () => {
    for (const id of [randomUUID(), 'not-a-tenant']) {
      const r = await t.control('GET', `/tenants/${id}/preflight`);
      expect(r.status).toBe(404);
      expect((await r.json()).error.code).toBe('NotFound');
    }
  });

  it('reports nothing to fix for the device preparation tutorial done right, and a device deploys as it says', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, {
      apps: [{ name: 'Contoso Agent' }, { name: 'Contoso VPN' }, { name: 'Contoso MSI', body: msiApp('Contoso MSI') }],
      scripts: [{ name: 'Set-Wallpaper' }],
    });
    const report = await preflight(lab);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, info: 0 });
    // On the tenant's (stopped) clock, to the second.
    const now = Date.parse((await lab.control('GET', '/clock')).body.now);
    expect(Date.parse(report.checkedDateTime)).toBe(Math.floor(now / 1000) * 1000);
    const done = await deploy(lab, tut.user.upn);
    expect(done.status).toBe('success');
    expect(done.apps.filter((a: any) => a.status === 'installed')).toHaveLength(3);
    // Enrolled: the user now has a device; still nothing to fix.
    expect(problems(await preflight(lab))).toEqual([]);
  });

  it('reports nothing to fix for classic Autopilot with an Enrollment Status Page done right', async () => {
    const { lab, user, autopilotGroupId } = await classicLab();
    await createApp(lab, win32App('Contoso Agent')).then((id) => assignApp(lab, id, autopilotGroupId));
    await deploymentProfile(lab, 'Autopilot profile', [toGroup(autopilotGroupId)], { deviceNameTemplate: 'CON-%SERIAL%' });
    await statusPage(lab, 'Autopilot ESP', [autopilotGroupId]);
    const { device } = await registerDevice(lab, 'GOOD-0001', { assignedUserPrincipalName: user.upn });
    expect(problems(await preflight(lab))).toEqual([]);
    const done = await runToEnd(lab, (await signIn(lab, device.id, user.upn)).id);
    expect(done).toMatchObject({ path: 'classicAutopilot', status: 'success' });
  });

  it('lists findings worst first, with a summary that counts them', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Unassigned', assign: false }], timeoutMinutes: 15 });
    await secondPolicy(lab, 'Second policy', tut.userGroupId, tut.deviceGroupId);
    await lab.control('PATCH', '/simulation', { defaults: { app: { durationSeconds: 3000 } } });
    await assignApp(lab, tut.appIds.Unassigned!, tut.deviceGroupId);
    await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).patch({ appliesTo: 'none' });
    const report = await preflight(lab);
    const rank = { error: 0, warning: 1, info: 2 };
    const severities = report.findings.map((f) => rank[f.severity]);
    expect(severities).toEqual([...severities].sort());
    expect(new Set(report.findings.map((f) => f.severity))).toEqual(new Set(['error', 'warning', 'info']));
    expect(report.summary).toEqual({
      errors: report.findings.filter((f) => f.severity === 'error').length,
      warnings: report.findings.filter((f) => f.severity === 'warning').length,
      info: report.findings.filter((f) => f.severity === 'info').length,
    });
    // The same tenant gives the same report.
    expect((await preflight(lab)).findings).toEqual(report.findings);
  });
});

describe('device preparation: the device group', () => {
  it('dpDeviceGroupDynamic: the group was changed to dynamic membership after setup', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/groups/${tut.deviceGroupId}`).version('v1.0').patch({ groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")', membershipRuleProcessingState: 'On' });
    const f = expectFinding(await preflight(lab), 'dpDeviceGroupDynamic', tut.deviceGroupId);
    expect(f.message).toContain('Windows Autopilot device preparation - User Driven');
  });

  it('dpDeviceGroupNotSecurity: the group is no longer a security group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/groups/${tut.deviceGroupId}`).version('v1.0').patch({ securityEnabled: false });
    expectFinding(await preflight(lab), 'dpDeviceGroupNotSecurity', tut.deviceGroupId);
  });

  it('dpDeviceGroupNotOwned: the Intune Provisioning Client was removed from the owners, and the deployment skips the apps', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/groups/${tut.deviceGroupId}/owners/${await provisioningClientId(lab)}/$ref`).version('v1.0').delete();
    const report = await preflight(lab);
    expectFinding(report, 'dpDeviceGroupNotOwned', tut.deviceGroupId);
    expect(ids(report)).not.toContain('dpProvisioningClientMissing');
    const done = await deploy(lab, tut.user.upn);
    expect(done.apps.map((a: any) => [a.status, a.reasonCode])).toEqual([['skipped', 'deviceNotInDeviceGroup']]);
  });

  it('dpProvisioningClientMissing: the service principal was deleted', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/servicePrincipals/${await provisioningClientId(lab)}`).version('v1.0').delete();
    const report = await preflight(lab);
    expectFinding(report, 'dpProvisioningClientMissing', PROVISIONING_CLIENT);
    // Not also reported group by group.
    expect(ids(report)).not.toContain('dpDeviceGroupNotOwned');
    expect(report.findings.find((f) => f.id === 'dpProvisioningClientMissing')!.message).toContain(tut.policyId ? 'Windows Autopilot device preparation - User Driven' : '');
  });

  it('dpDeviceGroupRoleAssignable: the device group can be assigned to Entra roles', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const roleGroup = await ownedGroup(lab, 'Role assignable devices', { isAssignableToRole: true });
    await setDeviceGroup(lab, tut.policyId, roleGroup);
    const report = await preflight(lab);
    expectFinding(report, 'dpDeviceGroupRoleAssignable', roleGroup);
    expect(report.findings.filter((f) => f.object.id === tut.deviceGroupId)).toEqual([]);
  });

  it('dpDeviceGroupDeleted: the device group was deleted', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/groups/${tut.deviceGroupId}`).version('v1.0').delete();
    const f = expectFinding(await preflight(lab), 'dpDeviceGroupDeleted', tut.policyId);
    expect(f.message).toContain(tut.deviceGroupId);
  });

  it('dpNoDeviceGroup: the policy was saved without a device group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`${POLICIES}/${tut.policyId}/clearEnrollmentTimeDeviceMembershipTarget`).post({});
    expectFinding(await preflight(lab), 'dpNoDeviceGroup', tut.policyId);
  });

  it('dpDeviceGroupUsedByAutopilot: a deployment profile targets the device group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await deploymentProfile(lab, 'Classic profile', [toGroup(tut.deviceGroupId)]);
    const f = expectFinding(await preflight(lab), 'dpDeviceGroupUsedByAutopilot', tut.deviceGroupId);
    expect(f.message).toContain("'Classic profile'");
  });

  it('dpDeviceGroupShared (info): two policies use the same device group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const otherUsers = await newGroup(lab, 'Other users');
    await addMember(lab, otherUsers, (await createUser(lab, `other${Math.random().toString(36).slice(2, 7)}`)).id);
    await secondPolicy(lab, 'Second policy', otherUsers, tut.deviceGroupId);
    const report = await preflight(lab);
    expectFinding(report, 'dpDeviceGroupShared', tut.deviceGroupId);
    expect(problems(report)).toEqual([]);
  });
});

describe('device preparation: who gets the policy', () => {
  it('dpPolicyNotAssigned: a policy assigned to no group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const unassigned = await secondPolicy(lab, 'Unassigned policy', null);
    const report = await preflight(lab);
    expectFinding(report, 'dpPolicyNotAssigned', unassigned.id);
    expect(report.findings.filter((f) => f.object.id === tut.policyId)).toEqual([]);
  });

  it('dpUserGroupDeleted and dpPolicyNoUsers: the assigned group was deleted', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/groups/${tut.userGroupId}`).version('v1.0').delete();
    const report = await preflight(lab);
    expect(expectFinding(report, 'dpUserGroupDeleted', tut.policyId).message).toContain(tut.userGroupId);
    expectFinding(report, 'dpPolicyNoUsers', tut.policyId);
  });

  it('dpPolicyNoUsers: the policy is assigned to an empty group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await assignPolicy(lab, tut.policyId, [await newGroup(lab, 'Nobody yet')]);
    const report = await preflight(lab);
    expectFinding(report, 'dpPolicyNoUsers', tut.policyId);
    expect(ids(report)).not.toContain('dpUserGroupDeleted');
  });

  it('dpUserGroupNotSecurity: the policy is assigned to a Microsoft 365 group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const m365 = await newGroup(lab, 'Sales team', { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false });
    await addMember(lab, m365, tut.user.id);
    await assignPolicy(lab, tut.policyId, [m365]);
    const report = await preflight(lab);
    expectFinding(report, 'dpUserGroupNotSecurity', m365);
    expect(ids(report)).not.toContain('dpPolicyNoUsers');
  });

  it('dpUserGroupHasNonUsers: a device sits in the user group', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await lab.client.api('/devices').version('v1.0').post({ accountEnabled: true, deviceId: randomUUID(), displayName: 'LAPTOP-1', operatingSystem: 'Windows', operatingSystemVersion: '10.0.26100', alternativeSecurityIds: [{ type: 2, key: Buffer.from('x509').toString('base64') }] });
    await addMember(lab, tut.userGroupId, device.id);
    const f = expectFinding(await preflight(lab), 'dpUserGroupHasNonUsers', tut.userGroupId);
    expect(f.message).toContain('1 device');
  });

  it('dpPolicyShadowed: a higher-priority policy targets the same users', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const second = await secondPolicy(lab, 'Second policy', tut.userGroupId);
    const report = await preflight(lab);
    const f = expectFinding(report, 'dpPolicyShadowed', second.id);
    expect(f.message).toContain("'Windows Autopilot device preparation - User Driven' (priority 1)");
    expect(f.message).toContain('never applies');
    expect(report.findings.filter((x) => x.object.id === tut.policyId)).toEqual([]);
    // The engine agrees: the user's deployment runs the first policy.
    const done = await deploy(lab, tut.user.upn);
    expect(done.policy.id).toBe(tut.policyId);
  });

  it('dpPolicyShadowed: counts users through nested and dynamic groups, minus excluded ones', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const second = await secondPolicy(lab, 'Sales policy', null);
    const nested = await newGroup(lab, 'Sales nested');
    const outer = await newGroup(lab, 'Sales outer');
    await addMember(lab, outer, nested);
    const other = await createUser(lab, `seller${Math.random().toString(36).slice(2, 7)}`);
    const excludedUser = await createUser(lab, `temp${Math.random().toString(36).slice(2, 7)}`);
    for (const u of [tut.user.id, other.id, excludedUser.id]) await addMember(lab, nested, u);
    const dynamicSales = await dynamicGroup(lab, 'Sales by department', '(user.department -eq "Sales")');
    await createUser(lab, `dyn${Math.random().toString(36).slice(2, 7)}`, { department: 'Sales' });
    const temps = await newGroup(lab, 'Temporary staff');
    await addMember(lab, temps, excludedUser.id);
    await lab.client.api(`${POLICIES}('${second.id}')/assign`).post({
      assignments: [{ target: toGroup(outer) }, { target: toGroup(dynamicSales) }, { target: excludeGroup(temps) }],
    });
    // Targeted: the tutorial's user (through the nested group; the first policy wins), the other seller, the
    // dynamic group's user; not the excluded one.
    const f = expectFinding(await preflight(lab), 'dpPolicyShadowed', second.id);
    expect(f.message).toContain("For 1 of the 3 users targeted by the device preparation policy 'Sales policy'");
    expect((await deploy(lab, other.upn)).policy.id).toBe(second.id);
  });
});

describe('device preparation: apps and scripts', () => {
  it('each selected item that would be skipped is reported on the item, and the deployment skips exactly those', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, {
      apps: [
        { name: 'Good app' },
        { name: 'Unassigned app', assign: false },
        { name: 'Available app', intent: 'available' },
        { name: 'User context app', body: win32App('User context app', { installExperience: { runAsAccount: 'user', deviceRestartBehavior: 'suppress' } }) },
        { name: 'Excluded app', assign: false },
        { name: 'Deleted app' },
      ],
      scripts: [{ name: 'Good.ps1' }, { name: 'Unassigned.ps1', assign: false }, { name: 'AsUser.ps1', runAs: 'user' }, { name: 'Excluded.ps1', assign: false }],
    });
    const c = lab.client;
    await c.api(`/deviceAppManagement/mobileApps/${tut.appIds['Excluded app']}/assign`).post({
      mobileAppAssignments: [
        { '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: toGroup(await newGroup(lab, 'Pilot devices')) },
        { '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: excludeGroup(tut.deviceGroupId) },
      ],
    });
    await c.api(`/deviceManagement/deviceManagementScripts/${tut.scriptIds['Excluded.ps1']}/assign`).post({ deviceManagementScriptAssignments: [{ target: excludeGroup(tut.deviceGroupId) }] });
    await c.api(`/deviceAppManagement/mobileApps/${tut.appIds['Deleted app']}`).delete();

    const report = await preflight(lab);
    expectFinding(report, 'dpAppNotAssigned', tut.appIds['Unassigned app']!);
    expect(expectFinding(report, 'dpAppNotRequired', tut.appIds['Available app']!).message).toContain('as available');
    expectFinding(report, 'dpAppUserContext', tut.appIds['User context app']!);
    expectFinding(report, 'dpAppExcluded', tut.appIds['Excluded app']!);
    expect(expectFinding(report, 'dpSelectedItemMissing', tut.policyId).message).toContain(tut.appIds['Deleted app']!);
    expectFinding(report, 'dpScriptNotAssigned', tut.scriptIds['Unassigned.ps1']!);
    expectFinding(report, 'dpScriptRunsAsUser', tut.scriptIds['AsUser.ps1']!);
    expectFinding(report, 'dpScriptExcluded', tut.scriptIds['Excluded.ps1']!);
    for (const good of [tut.appIds['Good app']!, tut.scriptIds['Good.ps1']!]) expect(report.findings.filter((f) => f.object.id === good)).toEqual([]);

    // The engine skips exactly the items the report names.
    const done = await deploy(lab, tut.user.upn);
    const skipped = [...done.apps, ...done.scripts].filter((i: any) => i.status === 'skipped').map((i: any) => i.id).sort();
    const reported = report.findings.filter((f) => f.id.startsWith('dpApp') || f.id.startsWith('dpScript')).map((f) => f.object.id);
    expect(skipped).toEqual([...reported, tut.appIds['Deleted app']!].sort());
  });

  it('dpAppUnsupportedType: the policy selects an iOS app (restored from a snapshot; Graph refuses it)', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const ios = await insertApp(t, lab.tenant, 'iosStoreApp', 'Contoso for iPhone');
    await editSnapshot(lab, (tables) =>
      editPolicySetting(tables, tut.policyId, 'enrollment_autopilot_dpp_allowedappids', (i) => i.simpleSettingCollectionValue.push({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: appEntry(ios, 'iosStoreApp') })),
    );
    const f = expectFinding(await preflight(lab), 'dpAppUnsupportedType', ios);
    expect(f.message).toContain('iosStoreApp');
  });

  it('dpTooManyApps and dpTooManyScripts: more than 25 apps and 10 scripts (restored from a snapshot)', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const value = (v: string) => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: v });
    await editSnapshot(lab, (tables) => {
      editPolicySetting(tables, tut.policyId, 'enrollment_autopilot_dpp_allowedappids', (i) => {
        for (let n = 0; n < 25; n++) i.simpleSettingCollectionValue.push(value(appEntry(randomUUID(), 'win32LobApp')));
      });
      editPolicySetting(tables, tut.policyId, 'enrollment_autopilot_dpp_allowedscriptids', (i) => {
        i.simpleSettingCollectionValue = Array.from({ length: 11 }, () => value(randomUUID()));
      });
    });
    const report = await preflight(lab);
    expect(expectFinding(report, 'dpTooManyApps', tut.policyId).message).toContain('26 apps');
    expect(expectFinding(report, 'dpTooManyScripts', tut.policyId).message).toContain('11 scripts');
  });

  it('dpTimeoutOutOfRange: a timeout below 15 minutes (restored from a snapshot)', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await editSnapshot(lab, (tables) => editPolicySetting(tables, tut.policyId, 'enrollment_autopilot_dpp_timeout', (i) => (i.simpleSettingValue.value = 5)));
    const report = await preflight(lab);
    expect(expectFinding(report, 'dpTimeoutOutOfRange', tut.policyId).message).toContain('5 minutes');
    expect(ids(report)).not.toContain('dpTimeoutTooShort');
  });

  it('dpTimeoutTooShort: the tracked apps take longer than the timeout, and the deployment times out', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { timeoutMinutes: 15 });
    expect(ids(await preflight(lab))).not.toContain('dpTimeoutTooShort');
    expect((await lab.control('PATCH', '/simulation', { apps: { [tut.appIds['Contoso Agent']!]: { durationSeconds: 1000 } } })).status).toBe(200);
    const f = expectFinding(await preflight(lab), 'dpTimeoutTooShort', tut.policyId);
    // 30 s join + 30 s enrollment + 60 s preparing + 1000 s = 1120 s: 19 minutes.
    expect(f.message).toContain('up to 19 minutes');
    const done = await deploy(lab, tut.user.upn);
    expect(done.status).toBe('failed');
    expect(done.error.code).toBe('0x800705b4');
  });
});

describe('device preparation: the tenant settings its users meet', () => {
  it('dpUsersNotAllowedToJoin: users may not join devices to Microsoft Entra ID', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await registrationPolicy(lab, (p) => ({ ...p, azureADJoin: { ...p.azureADJoin, allowedToJoin: { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' } } }));
    const f = expectFinding(await preflight(lab), 'dpUsersNotAllowedToJoin', 'deviceRegistrationPolicy');
    expect(f.message).toContain(tut.user.upn);
    expect((await deploy(lab, tut.user.upn)).error.reason).toBe('joinNotAllowed');
  });

  it('dpUsersNotAllowedToJoin: Selected, with a group that holds other users only', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const allowed = await newGroup(lab, 'Allowed to join');
    const other = await createUser(lab, `joiner${Math.random().toString(36).slice(2, 7)}`);
    await addMember(lab, allowed, other.id);
    await addMember(lab, tut.userGroupId, other.id);
    await registrationPolicy(lab, (p) => ({ ...p, azureADJoin: { ...p.azureADJoin, allowedToJoin: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [], groups: [allowed] } } }));
    const f = expectFinding(await preflight(lab), 'dpUsersNotAllowedToJoin', 'deviceRegistrationPolicy');
    expect(f.message).toContain(`1 user of`);
    expect(f.message).toContain(tut.user.upn);
    expect(f.message).not.toContain(other.upn);
  });

  it('dpUserDeviceQuotaReached: the user already has the maximum number of devices', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    expect((await deploy(lab, tut.user.upn)).status).toBe('success');
    await registrationPolicy(lab, (p) => ({ ...p, userDeviceQuota: 1 }));
    expect(expectFinding(await preflight(lab), 'dpUserDeviceQuotaReached', 'deviceRegistrationPolicy').message).toContain(tut.user.upn);
  });

  it('dpUsersOutsideMdmScope: the MDM user scope is None', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    await lab.client.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).patch({ appliesTo: 'none' });
    const f = expectFinding(await preflight(lab), 'dpUsersOutsideMdmScope', MDM);
    expect(f.message).toContain('(None)');
    expect((await deploy(lab, tut.user.upn)).error.code).toBe('0x8018002b');
  });

  it('dpWindowsPlatformBlocked: the default platform restriction blocks Windows', async () => {
    const lab = await newLab(t);
    await devicePreparationTutorial(lab);
    const id = `${lab.tenant.tenantId}_DefaultPlatformRestrictions`;
    await lab.client.api(`${CONFIGS}/${id}`).patch({
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
      windowsRestriction: { platformBlocked: true, personalDeviceEnrollmentBlocked: false, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [], blockedSkus: [] },
    });
    const report = await preflight(lab);
    expectFinding(report, 'dpWindowsPlatformBlocked', id);
    expect(ids(report)).not.toContain('dpPersonalBlockedNoIdentifiers');
  });

  it('dpPersonalBlockedNoIdentifiers: personal devices blocked for the users and no corporate identifiers; an identifier clears it', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const restriction = await lab.client.api(CONFIGS).post({
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
      displayName: 'Windows corporate only',
      description: '',
      platformType: 'windows',
      platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: null, osMaximumVersion: null, blockedManufacturers: [], blockedSkus: [] },
    });
    await lab.client.api(`${CONFIGS}/${restriction.id}/assign`).post({ enrollmentConfigurationAssignments: [{ target: toGroup(tut.userGroupId) }] });
    expect(expectFinding(await preflight(lab), 'dpPersonalBlockedNoIdentifiers', restriction.id).message).toContain("'Windows corporate only'");
    expect((await deploy(lab, tut.user.upn, { manufacturer: 'Contoso', model: 'Laptop 7', serialNumber: 'CORP-1' })).error.reason).toBe('personalBlocked');
    await lab.client.api('/deviceManagement/importedDeviceIdentities/importDeviceIdentityList').post({
      importedDeviceIdentities: [{ '@odata.type': '#microsoft.graph.importedDeviceIdentity', importedDeviceIdentifier: 'Contoso,Laptop 7,CORP-2', importedDeviceIdentityType: 'manufacturerModelSerial', description: '', platform: 'windows' }],
      overwriteImportedDeviceIdentities: false,
    });
    expect(ids(await preflight(lab))).not.toContain('dpPersonalBlockedNoIdentifiers');
  });

  it('dpStandardUserLocalAdmin: standard user while registering users are not all local administrators', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab, { accountType: 'standardUser' });
    expect(problems(await preflight(lab))).toEqual([]);
    await registrationPolicy(lab, (p) => ({ ...p, azureADJoin: { ...p.azureADJoin, localAdmins: { enableGlobalAdmins: true, registeringUsers: { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' } } } }));
    expect(expectFinding(await preflight(lab), 'dpStandardUserLocalAdmin', tut.policyId).message).toContain('is None');
    const done = await deploy(lab, tut.user.upn);
    expect(done.apps.map((a: any) => a.reasonCode)).toEqual(['provisioningSkipped']);
  });

  it('apRegistrationOverridesDevicePreparation: a device preparation user has a registered Autopilot device', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const autopilotGroup = await dynamicGroup(lab, 'All Autopilot devices', ZTDID_RULE);
    const profile = await deploymentProfile(lab, 'Old classic profile', [toGroup(autopilotGroup)]);
    const { device } = await registerDevice(lab, 'REG-0001', { assignedUserPrincipalName: tut.user.upn });
    const f = expectFinding(await preflight(lab), 'apRegistrationOverridesDevicePreparation', profile);
    expect(f.message).toContain('REG-0001');
    expect(f.message).toContain("'Windows Autopilot device preparation - User Driven'");
    expect((await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id)).path).toBe('classicAutopilot');
  });
});

describe('classic Autopilot', () => {
  it('apDeviceNoProfile: a registered device no profile reaches', async () => {
    const { lab, autopilotGroupId } = await classicLab();
    const { autopilotId } = await registerDevice(lab, 'NOPROF-1');
    const report = await preflight(lab);
    expect(expectFinding(report, 'apDeviceNoProfile', autopilotId).message).toContain('NOPROF-1');
    await deploymentProfile(lab, 'Profile', [toGroup(autopilotGroupId)]);
    expect(ids(await preflight(lab))).not.toContain('apDeviceNoProfile');
  });

  it('apDeviceMultipleProfiles: two profiles reach the same device; the newer one is reported', async () => {
    const { lab, autopilotGroupId } = await classicLab();
    const tagGroup = await dynamicGroup(lab, 'Sales devices', '(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))');
    const older = await deploymentProfile(lab, 'All devices profile', [toGroup(autopilotGroupId)]);
    const newer = await deploymentProfile(lab, 'Sales profile', [toGroup(tagGroup)]);
    await registerDevice(lab, 'SALES-1', { groupTag: 'Sales' });
    const report = await preflight(lab);
    const f = expectFinding(report, 'apDeviceMultipleProfiles', newer);
    expect(f.message).toContain("the oldest created profile, 'All devices profile', wins");
    expect(report.findings.filter((x) => x.object.id === older)).toEqual([]);
  });

  it('apProfileExcludeWithAllDevices: a profile for All devices with an exclusion', async () => {
    const { lab } = await classicLab();
    const excluded = await newGroup(lab, 'Kiosks');
    const profile = await deploymentProfile(lab, 'Everyone', [ALL_DEVICES, excludeGroup(excluded)]);
    expectFinding(await preflight(lab), 'apProfileExcludeWithAllDevices', profile);
  });

  it('apDynamicGroupRule: the profile group rule reads a property known only after enrollment', async () => {
    const { lab } = await classicLab();
    const windows = await dynamicGroup(lab, 'Windows devices', '(device.deviceOSType -eq "Windows")');
    await deploymentProfile(lab, 'Windows profile', [toGroup(windows)]);
    const report = await preflight(lab);
    expect(expectFinding(report, 'apDynamicGroupRule', windows).message).toContain('device.deviceOSType');
    // The [ZTDId] group of classicLab is fine when targeted.
    expect(report.findings.filter((f) => f.id === 'apDynamicGroupRule')).toHaveLength(1);
  });

  it('apProfileGroupEmpty: the profile group rule names a group tag no device has', async () => {
    const { lab } = await classicLab();
    const tagGroup = await dynamicGroup(lab, 'Marketing devices', '(device.devicePhysicalIds -any (_ -eq "[OrderID]:Marketing"))');
    await deploymentProfile(lab, 'Marketing profile', [toGroup(tagGroup)]);
    expect(ids(await preflight(lab))).not.toContain('apProfileGroupEmpty');
    await registerDevice(lab, 'SALES-2', { groupTag: 'Sales' });
    expectFinding(await preflight(lab), 'apProfileGroupEmpty', tagGroup);
  });

  it('apNameTemplateInvalid: a lower-case macro (restored from a snapshot; Graph refuses it)', async () => {
    const { lab, autopilotGroupId } = await classicLab();
    const profile = await deploymentProfile(lab, 'Named profile', [toGroup(autopilotGroupId)], { deviceNameTemplate: 'CON-%SERIAL%' });
    await editSnapshot(lab, (tables) => (intuneRow(tables, 'windowsAutopilotDeploymentProfiles', profile).data.deviceNameTemplate = 'CON-%serial%'));
    expect(expectFinding(await preflight(lab), 'apNameTemplateInvalid', profile).message).toContain('%SERIAL%');
  });

  it('apAssignedUserUnknown: a device assigned to a user who does not exist', async () => {
    const { lab, autopilotGroupId } = await classicLab();
    await deploymentProfile(lab, 'Profile', [toGroup(autopilotGroupId)]);
    const ghost = `ghost@${lab.tenant.domain}`;
    const { autopilotId } = await registerDevice(lab, 'GHOST-1', { assignedUserPrincipalName: ghost });
    expect(expectFinding(await preflight(lab), 'apAssignedUserUnknown', autopilotId).message).toContain(ghost);
  });
});

describe('Enrollment Status Page', () => {
  /** A classic lab with a profile on the Autopilot group and Required apps assigned to it. */
  async function espLab(apps: Record<string, unknown>[]) {
    const base = await classicLab();
    await deploymentProfile(base.lab, 'Profile', [toGroup(base.autopilotGroupId)]);
    const appIds: string[] = [];
    for (const body of apps) {
      const id = await createApp(base.lab, body);
      await assignApp(base.lab, id, base.autopilotGroupId);
      appIds.push(id);
    }
    return { ...base, appIds };
  }

  it('espDefaultNoProgress: the default page does not show progress while Required apps reach Autopilot devices', async () => {
    const { lab, autopilotGroupId } = await espLab([win32App('Contoso Agent')]);
    const f = expectFinding(await preflight(lab), 'espDefaultNoProgress', `${lab.tenant.tenantId}_DefaultWindows10EnrollmentCompletionPageConfiguration`);
    expect(f.message).toContain("'All Autopilot devices'");
    await statusPage(lab, 'Autopilot ESP', [autopilotGroupId]);
    expect(problems(await preflight(lab))).toEqual([]);
  });

  it('espTimeoutTooShort: the page times out before its apps can finish', async () => {
    const { lab, autopilotGroupId } = await espLab([win32App('App one'), win32App('App two')]);
    const esp = await statusPage(lab, 'Short ESP', [autopilotGroupId], { installProgressTimeoutInMinutes: 5 });
    // 60 s preparing + 2 x 240 s (the built-in worst case) = 540 s: 9 minutes.
    const f = expectFinding(await preflight(lab), 'espTimeoutTooShort', esp);
    expect(f.message).toContain('up to 9 minutes');
    expect(f.message).toContain('Device setup');
  });

  it('espMsiWin32Conflict: LOB MSI and Win32 apps tracked together', async () => {
    const { lab, autopilotGroupId } = await espLab([msiApp('Contoso MSI'), win32App('Contoso Win32')]);
    const esp = await statusPage(lab, 'Mixed ESP', [autopilotGroupId]);
    const f = expectFinding(await preflight(lab), 'espMsiWin32Conflict', esp);
    expect(f.message).toContain("'Contoso MSI'");
    expect(f.message).toContain("'Contoso Win32'");
  });

  it('espOfficeWithWin32: Microsoft 365 Apps tracked alongside a Win32 app', async () => {
    const office = {
      '@odata.type': '#microsoft.graph.officeSuiteApp',
      displayName: 'Microsoft 365 Apps',
      description: '',
      publisher: 'Microsoft',
      autoAcceptEula: true,
      productIds: ['o365ProPlusRetail'],
      updateChannel: 'current',
      officePlatformArchitecture: 'x64',
      localesToInstall: [],
      installProgressDisplayLevel: 'none',
      shouldUninstallOlderVersionsOfOffice: true,
    };
    const { lab, autopilotGroupId } = await espLab([office, win32App('Contoso Win32')]);
    const esp = await statusPage(lab, 'Office ESP', [autopilotGroupId]);
    expect(expectFinding(await preflight(lab), 'espOfficeWithWin32', esp).message).toContain("'Microsoft 365 Apps'");
  });

  it('espSelectedAppNotRequired: the page blocks on an app assigned to no one', async () => {
    const { lab, autopilotGroupId, appIds } = await espLab([win32App('Assigned app')]);
    const lonely = await createApp(lab, win32App('Lonely app'));
    const esp = await statusPage(lab, 'Selective ESP', [autopilotGroupId], { selectedMobileAppIds: [appIds[0], lonely] });
    const f = expectFinding(await preflight(lab), 'espSelectedAppNotRequired', esp);
    expect(f.message).toContain("'Lonely app'");
    expect(f.message).not.toContain("'Assigned app'");
  });

  it('espTooManySelectedApps: more than 100 blocking apps (restored from a snapshot)', async () => {
    const { lab, autopilotGroupId } = await espLab([win32App('Contoso Agent')]);
    const esp = await statusPage(lab, 'Big ESP', [autopilotGroupId]);
    await editSnapshot(lab, (tables) => (intuneRow(tables, 'deviceEnrollmentConfigurations', esp).data.selectedMobileAppIds = Array.from({ length: 101 }, () => randomUUID())));
    expect(expectFinding(await preflight(lab), 'espTooManySelectedApps', esp).message).toContain('101');
  });
});

describe('the catalogue', () => {
  it('every finding id has a case above that produces it', () => {
    expect([...shown].sort()).toEqual(Object.keys(FINDINGS).sort());
  });

  it('docs/preflight.md lists every finding with its severity and source', () => {
    const doc = readFileSync(new URL('../../docs/preflight.md', import.meta.url), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `(\w+)` \| (error|warning|info) \|.*\| (\/\S+) \|$/gm)].map((m) => [m[1], { severity: m[2], source: m[3] }]));
    expect([...rows.keys()]).toEqual(Object.keys(FINDINGS));
    for (const [id, d] of Object.entries(FINDINGS)) expect(rows.get(id), id).toEqual({ severity: d.severity, source: d.source.replace('https://learn.microsoft.com', '') });
  });

  it('a user in no group and a tenant with no policies raise nothing', async () => {
    const lab = await newLab(t);
    await createUser(lab, 'lonely');
    expect((await preflight(lab)).findings).toEqual([]);
  });
});
