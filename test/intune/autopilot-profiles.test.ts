import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { tenantScope } from '../../src/server/context.js';
import { autopilotRegistrationFor } from '../../src/intune/autopilot-lookup.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
});
afterAll(() => t.close());

const PROFILES = '/beta/deviceManagement/windowsAutopilotDeploymentProfiles';
const DEVICES = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';
const IMPORTS = '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities';
let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${++counter}`;

/** What the Intune admin center sends when creating a user-driven Entra join profile. */
const portalProfile = (displayName: string, extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
  displayName,
  description: '',
  locale: 'os-default',
  preprovisioningAllowed: false,
  deviceType: 'windowsPc',
  hardwareHashExtractionEnabled: false,
  roleScopeTagIds: ['0'],
  hybridAzureADJoinSkipConnectivityCheck: false,
  outOfBoxExperienceSetting: {
    deviceUsageType: 'singleUser',
    escapeLinkHidden: true,
    privacySettingsHidden: true,
    eulaHidden: true,
    userType: 'standard',
    keyboardSelectionPageSkipped: true,
  },
  deviceNameTemplate: '',
  ...extra,
});

/** What New-AutopilotProfile (WindowsAutopilotIntune) sends: the deprecated property names. */
const moduleProfile = (displayName: string) => ({
  '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
  displayName,
  description: 'From the module',
  language: 'en-us',
  extractHardwareHash: false,
  deviceNameTemplate: 'CONTOSO-%SERIAL%',
  deviceType: 'windowsPc',
  enableWhiteGlove: true,
  outOfBoxExperienceSettings: { hidePrivacySettings: true, hideEULA: true, userType: 'administrator', deviceUsageType: 'singleUser', skipKeyboardSelectionPage: false, hideEscapeLink: true },
});

async function createProfile(body: Record<string, unknown>) {
  const res = await json(tenant.graph('POST', PROFILES, body));
  expect(res.status).toBe(201);
  return res.body;
}

async function group(name: string, rule?: string) {
  const res = await json(
    tenant.graph('POST', '/v1.0/groups', {
      displayName: name,
      mailEnabled: false,
      mailNickname: name.replace(/\W/g, ''),
      securityEnabled: true,
      ...(rule ? { groupTypes: ['DynamicMembership'], membershipRule: rule, membershipRuleProcessingState: 'On' } : {}),
    }),
  );
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function register(groupTag: string) {
  const res = await json(
    tenant.graph('POST', IMPORTS, {
      '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
      groupTag,
      serialNumber: unique('P'),
      productKey: '',
      hardwareIdentifier: randomBytes(64).toString('base64'),
      assignedUserPrincipalName: '',
    }),
  );
  expect(res.body.state.deviceImportStatus).toBe('complete');
  return res.body.state.deviceRegistrationId as string;
}

const assign = (profileId: string, target: Record<string, unknown>) => json(tenant.graph('POST', `${PROFILES}/${profileId}/assignments`, { target }));
const includeGroup = (groupId: string) => ({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId });
const excludeGroup = (groupId: string) => ({ '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId });
const status = async (id: string) => {
  const d = (await json(tenant.graph('GET', `${DEVICES}/${id}?$expand=deploymentProfile`))).body;
  return { status: d.deploymentProfileAssignmentStatus, profile: d.deploymentProfile?.displayName ?? null, assigned: d.deploymentProfileAssignedDateTime };
};

describe('deployment profiles', () => {
  it('creates a profile from the portal payload and shows the OOBE settings in both shapes', async () => {
    const p = await createProfile(portalProfile('Portal profile'));
    expect(p).toMatchObject({
      '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
      displayName: 'Portal profile',
      locale: 'os-default',
      language: 'os-default',
      preprovisioningAllowed: false,
      enableWhiteGlove: false,
      hardwareHashExtractionEnabled: false,
      extractHardwareHash: false,
      roleScopeTagIds: ['0'],
      outOfBoxExperienceSettings: { hidePrivacySettings: true, hideEULA: true, userType: 'standard', deviceUsageType: 'singleUser', skipKeyboardSelectionPage: true, hideEscapeLink: true },
    });
    expect(p.hybridAzureADJoinSkipConnectivityCheck).toBeUndefined();
    expect(p.createdDateTime).toBeTruthy();
  });

  it('creates from the module payload (deprecated names) and PATCHes as Set-AutopilotProfile does', async () => {
    const p = await createProfile(moduleProfile('Module profile'));
    expect(p).toMatchObject({
      locale: 'en-us',
      preprovisioningAllowed: true,
      deviceNameTemplate: 'CONTOSO-%SERIAL%',
      outOfBoxExperienceSetting: { privacySettingsHidden: true, eulaHidden: true, userType: 'administrator', keyboardSelectionPageSkipped: false, escapeLinkHidden: true },
    });
    // Set-AutopilotProfile: GET, change the deprecated members, drop a few server fields, PATCH everything back.
    const current = (await json(tenant.graph('GET', `${PROFILES}/${p.id}`))).body;
    for (const k of ['lastModifiedDateTime', 'createdDateTime', '@odata.context', 'id', 'roleScopeTagIds']) delete current[k];
    current.hybridAzureADJoinSkipConnectivityCheck = false;
    current.outOfBoxExperienceSettings.hideEULA = false;
    current.outOfBoxExperienceSettings.userType = 'standard';
    current.language = 'fr-FR';
    expect((await tenant.graph('PATCH', `${PROFILES}/${p.id}`, current)).status).toBe(204);
    const after = (await json(tenant.graph('GET', `${PROFILES}/${p.id}`))).body;
    expect(after.outOfBoxExperienceSetting).toMatchObject({ eulaHidden: false, userType: 'standard', privacySettingsHidden: true });
    expect(after.outOfBoxExperienceSettings).toMatchObject({ hideEULA: false, userType: 'standard' });
    expect(after).toMatchObject({ locale: 'fr-FR', language: 'fr-FR' });
    // A current-shape PATCH of one member keeps the others.
    expect((await tenant.graph('PATCH', `${PROFILES}/${p.id}`, { outOfBoxExperienceSetting: { keyboardSelectionPageSkipped: true } })).status).toBe(204);
    const again = (await json(tenant.graph('GET', `${PROFILES}/${p.id}`))).body;
    expect(again.outOfBoxExperienceSettings).toMatchObject({ skipKeyboardSelectionPage: true, hideEULA: false, hidePrivacySettings: true });
  });

  it('refuses bad settings with a 400 naming the field, creating nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ deviceNameTemplate: 'CONTOSO-LAPTOP-%RAND:4%' }, 'deviceNameTemplate', /15 characters/],
      [{ deviceNameTemplate: 'CONTOSO-%serial%' }, 'deviceNameTemplate', /capitals/],
      [{ deviceNameTemplate: 'MY PC-%SERIAL%' }, 'deviceNameTemplate', /spaces/],
      [{ deviceNameTemplate: '%RAND:8%' }, 'deviceNameTemplate', /all numbers/],
      [{ deviceNameTemplate: 'PC_%SERIAL%' }, 'deviceNameTemplate', /letters, numbers and hyphens/],
      [{ displayName: 'x'.repeat(201) }, 'displayName', /200/],
      [{ locale: 'not a locale' }, 'locale', /locale/],
      [{ language: 'de-DE', locale: 'fr-FR' }, 'locale', /disagree/],
      [{ outOfBoxExperienceSetting: { userType: 'root' } }, 'outOfBoxExperienceSetting.userType', /administrator, standard/],
      [{ outOfBoxExperienceSettings: { hideEULA: false } }, 'outOfBoxExperienceSetting.eulaHidden', /disagree/],
      [{ deviceType: 'toaster' }, 'deviceType', /windowsPc/],
    ];
    for (const [extra, target, message] of cases) {
      const res = await json(tenant.graph('POST', PROFILES, portalProfile(unique('Bad'), extra)));
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
      expect(res.body.error.target).toBe(target);
      expect(res.body.error.message).toMatch(message);
    }
    const unknown = await json(tenant.graph('POST', PROFILES, portalProfile(unique('Bad'), { colour: 'blue' })));
    expect(unknown.body.error).toMatchObject({ code: 'BadRequest', target: 'colour' });
    for (const template of ['CONTOSO-%SERIAL%', 'AP-%RAND:5%', 'LAB%RAND:3%-%SERIAL%', '']) {
      const ok = await json(tenant.graph('POST', PROFILES, portalProfile(unique('Good'), { deviceNameTemplate: template })));
      expect(ok.status, template).toBe(201);
    }
    const listed = (await json(tenant.graph('GET', `${PROFILES}?$select=displayName`))).body.value.map((p: any) => p.displayName);
    expect(listed.some((n: string) => n.startsWith('Bad'))).toBe(false);
  });

  it('assigns to groups with Intune\'s assignment ids, as the WindowsAutopilotIntune module computes them', async () => {
    const p = await createProfile(portalProfile(unique('Assigned')));
    const g = await group(unique('Devices'));
    // Set-AutopilotProfileAssignedGroup sends its own id.
    const res = await json(tenant.graph('POST', `${PROFILES}/${p.id}/assignments`, { id: `${p.id}_${g}_0`, target: includeGroup(g) }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: `${p.id}_${g}_0`, source: 'direct', sourceId: p.id, target: { groupId: g } });
    expect((await assign(p.id, includeGroup(g))).body.error).toMatchObject({ code: 'BadRequest', target: 'target' });
    const filtered = await assign(p.id, { ...includeGroup(await group(unique('F'))), deviceAndAppManagementAssignmentFilterType: 'include', deviceAndAppManagementAssignmentFilterId: 'x' });
    expect(filtered.status).toBe(400);
    const expanded = await json(tenant.graph('GET', `${PROFILES}/${p.id}?$expand=assignments`));
    expect(expanded.body.assignments.map((a: any) => a.id)).toEqual([`${p.id}_${g}_0`]);
    // An assigned profile cannot be deleted; Remove-AutopilotProfileAssignments deletes by the computed id.
    expect((await json(tenant.graph('DELETE', `${PROFILES}/${p.id}`))).status).toBe(400);
    expect((await tenant.graph('DELETE', `${PROFILES}/${p.id}/assignments/${p.id}_${g}_0`)).status).toBe(204);
    expect((await tenant.graph('DELETE', `${PROFILES}/${p.id}`)).status).toBe(204);
  });
});

describe('each device\'s profile status', () => {
  it('follows group membership: group profiles before the all-devices one, oldest first, exclusions, nested groups', async () => {
    const tag = unique('Tag');
    const other = unique('Other');
    const allDefault = await createProfile(portalProfile(unique('Default')));
    const older = await createProfile(portalProfile(unique('Older')));
    const newer = await createProfile(portalProfile(unique('Newer')));
    const tagGroup = await group(unique('TagGroup'), `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${tag}"))`);
    const otherGroup = await group(unique('OtherGroup'), `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${other}"))`);
    const device = await register(tag);
    expect((await status(device)).status).toBe('notAssigned');

    expect((await assign(newer.id, includeGroup(tagGroup))).status).toBe(201);
    expect(await status(device)).toMatchObject({ status: 'assignedInSync', profile: newer.displayName });
    // An older profile on the same device wins.
    expect((await assign(older.id, includeGroup(tagGroup))).status).toBe(201);
    expect((await status(device)).profile).toBe(older.displayName);
    // Excluded from the older one: the newer applies.
    expect((await assign(older.id, excludeGroup(tagGroup))).status).toBe(201);
    expect((await status(device)).profile).toBe(newer.displayName);
    // The all-devices ("default") profile, though oldest, comes after group profiles…
    expect((await assign(allDefault.id, { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' })).status).toBe(201);
    expect((await status(device)).profile).toBe(newer.displayName);
    // …and applies when the device leaves the group: a new group tag moves it at once.
    expect((await tenant.graph('POST', `${DEVICES}/${device}/updateDeviceProperties`, { groupTag: other })).status).toBe(204);
    expect((await status(device)).profile).toBe(allDefault.displayName);
    // A static group that holds the dynamic group: nested membership counts.
    const parent = await group(unique('Parent'));
    expect((await tenant.graph('POST', `/v1.0/groups/${parent}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${otherGroup}` })).status).toBe(204);
    expect((await assign(newer.id, includeGroup(parent))).status).toBe(201);
    const st = await status(device);
    expect(st).toMatchObject({ status: 'assignedInSync', profile: newer.displayName });
    expect(st.assigned).not.toBe('0001-01-01T00:00:00Z');

    // What the deployment engine reads at OOBE.
    const serialNumber = (await json(tenant.graph('GET', `${DEVICES}/${device}`))).body.serialNumber;
    const registration = await autopilotRegistrationFor(tenantScope(t.server.ctx, tenant.tenantId), { serialNumber });
    expect(registration).toMatchObject({ status: 'assignedInSync', profile: { id: newer.id, displayName: newer.displayName } });

    const assigned = await json(tenant.graph('GET', `${PROFILES}/${newer.id}/assignedDevices`));
    expect(assigned.body.value.map((d: any) => d.id)).toEqual([device]);
    const listed = await json(tenant.graph('GET', `${DEVICES}?$select=id,deploymentProfileAssignmentStatus`));
    expect(listed.body.value.find((d: any) => d.id === device)).toEqual({ '@odata.type': '#microsoft.graph.windowsAutopilotDeviceIdentity', id: device, deploymentProfileAssignmentStatus: 'assignedInSync' });
  });
});
