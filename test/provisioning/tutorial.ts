// The device preparation tutorial (steps 1-7 of the seed) done through Graph with the official client, for the
// deployment engine's tests: automatic enrollment, users may join, the device group owned by the Intune
// Provisioning Client, the user group, apps and scripts assigned to the device group, the policy. Also the
// control API calls a lab makes (devices, sign-in, clock).
import type { Client } from '@microsoft/microsoft-graph-client';
import { expect } from 'vitest';
import { graphClient } from '../helpers/graph-client.js';
import { createTestTenant, json, type TestServer, type TestTenant } from '../helpers/server.js';
import { minimalWin32AppBody } from '../../src/intune/mobile-app-types.js';
import { appEntry, userDrivenPolicy, PROVISIONING_CLIENT } from '../intune/device-preparation-fixtures.js';

export const PASSWORD = 'Tarmac-test-Passw0rd!';
const MDM = '0000000a-0000-0000-c000-000000000000';

export interface Lab {
  readonly t: TestServer;
  readonly tenant: TestTenant;
  readonly client: Client;
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function newLab(t: TestServer): Promise<Lab> {
  const tenant = await createTestTenant(t, 'empty');
  const client = graphClient(t.url, tenant.token, 'beta');
  // A stopped clock: nothing moves unless the test moves it.
  const lab: Lab = { t, tenant, client, control: (method, path, body) => json(t.control(method, `/tenants/${tenant.tenantId}${path}`, body)) };
  expect((await lab.control('POST', '/clock', { rate: 0 })).status).toBe(200);
  return lab;
}

export const win32App = (name: string, extra: Record<string, unknown> = {}) => minimalWin32AppBody(name, extra);

export const msiApp = (name: string) => ({
  '@odata.type': '#microsoft.graph.windowsMobileMSI',
  displayName: name,
  description: name,
  publisher: 'Contoso',
  fileName: `${name.replace(/\W/g, '')}.msi`,
  productCode: `{${crypto.randomUUID().toUpperCase()}}`,
  productVersion: '1.0.0',
  commandLine: '/qn',
  ignoreVersionDetection: true,
  useDeviceContext: true,
});

export const script = (name: string, runAsAccount: 'system' | 'user' = 'system') => ({
  '@odata.type': '#microsoft.graph.deviceManagementScript',
  displayName: name,
  description: name,
  scriptContent: Buffer.from('Write-Output "ok"').toString('base64'),
  runAsAccount,
  runAs32Bit: false,
  enforceSignatureCheck: false,
  fileName: `${name.replace(/\W/g, '')}.ps1`,
});

const group = (name: string, extra: Record<string, unknown> = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });

export async function createUser(lab: Lab, nickname: string, extra: Record<string, unknown> = {}): Promise<{ id: string; upn: string }> {
  const upn = `${nickname}@${lab.tenant.domain}`;
  const user = await lab.client.api('/users').version('v1.0').post({ accountEnabled: true, displayName: nickname, mailNickname: nickname, userPrincipalName: upn, passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false }, ...extra });
  return { id: user.id, upn };
}

export async function addMember(lab: Lab, groupId: string, objectId: string): Promise<void> {
  await lab.client.api(`/groups/${groupId}/members/$ref`).version('v1.0').post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${objectId}` });
}

export async function assignApp(lab: Lab, appId: string, groupId: string, intent = 'required', context: 'system' | 'user' | null = null): Promise<void> {
  await lab.client.api(`/deviceAppManagement/mobileApps/${appId}/assign`).post({
    mobileAppAssignments: [
      {
        '@odata.type': '#microsoft.graph.mobileAppAssignment',
        intent,
        target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId },
        settings: context ? { '@odata.type': '#microsoft.graph.win32LobAppAssignmentSettings', notifications: 'showAll', deliveryOptimizationPriority: 'notConfigured' } : null,
      },
    ],
  });
}

export async function assignScript(lab: Lab, scriptId: string, groupId: string): Promise<void> {
  await lab.client.api(`/deviceManagement/deviceManagementScripts/${scriptId}/assign`).post({
    deviceManagementScriptAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } }],
  });
}

export interface TutorialOptions {
  /** Apps to create, assign Required to the device group and select in the policy (Win32 by default). */
  readonly apps?: readonly { name: string; body?: Record<string, unknown>; assign?: boolean; select?: boolean; intent?: string }[];
  readonly scripts?: readonly { name: string; runAs?: 'system' | 'user'; assign?: boolean; select?: boolean }[];
  readonly policyName?: string;
  readonly timeoutMinutes?: number;
  readonly accountType?: 'administrator' | 'standardUser';
  readonly allowSkip?: boolean;
  readonly allowDiagnostics?: boolean;
  readonly customErrorMessage?: string;
  /** Leave the Intune Provisioning Client out of the device group's owners. */
  readonly unownedDeviceGroup?: boolean;
}

export interface Tutorial {
  readonly user: { id: string; upn: string };
  readonly userGroupId: string;
  readonly deviceGroupId: string;
  readonly policyId: string;
  readonly appIds: Record<string, string>;
  readonly scriptIds: Record<string, string>;
}

/** Steps 1 to 6 of the device preparation tutorial (step 7, corporate identifiers, is optional). */
export async function devicePreparationTutorial(lab: Lab, o: TutorialOptions = {}): Promise<Tutorial> {
  const c = lab.client;
  // Step 1: Windows automatic enrollment (MDM user scope All).
  await c.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).patch({ appliesTo: 'all' });
  // Step 2: users may join devices to Microsoft Entra ID (All) - and, with it, local administrators (All).
  const policy = await c.api('/policies/deviceRegistrationPolicy').get();
  await c.api('/policies/deviceRegistrationPolicy').put({ ...policy, azureADJoin: { ...policy.azureADJoin, allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } } });
  // Step 3: the assigned device group owned by the Intune Provisioning Client.
  const sps = await c.api('/servicePrincipals').version('v1.0').filter(`appId eq '${PROVISIONING_CLIENT}'`).get();
  const sp = sps.value[0] ?? (await c.api('/servicePrincipals').version('v1.0').post({ appId: PROVISIONING_CLIENT }));
  const deviceGroup = await c.api('/groups').version('v1.0').post(group(`DPP devices ${Date.now()}`, o.unownedDeviceGroup ? {} : { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`] }));
  // Step 4: the user group, with the user.
  const user = await createUser(lab, `user${Math.random().toString(36).slice(2, 8)}`);
  const userGroup = await c.api('/groups').version('v1.0').post(group(`DPP users ${Date.now()}`));
  await addMember(lab, userGroup.id, user.id);
  // Step 5: apps and scripts assigned to the device group.
  const appIds: Record<string, string> = {};
  const selectedApps: string[] = [];
  for (const a of o.apps ?? [{ name: 'Contoso Agent' }]) {
    const app = await c.api('/deviceAppManagement/mobileApps').post(a.body ?? win32App(a.name));
    appIds[a.name] = app.id;
    if (a.assign !== false) await assignApp(lab, app.id, deviceGroup.id, a.intent ?? 'required');
    if (a.select !== false) selectedApps.push(appEntry(app.id, String(app['@odata.type']).replace('#microsoft.graph.', '')));
  }
  const scriptIds: Record<string, string> = {};
  const selectedScripts: string[] = [];
  for (const s of o.scripts ?? []) {
    const created = await c.api('/deviceManagement/deviceManagementScripts').post(script(s.name, s.runAs));
    scriptIds[s.name] = created.id;
    if (s.assign !== false) await assignScript(lab, created.id, deviceGroup.id);
    if (s.select !== false) selectedScripts.push(created.id);
  }
  // Step 6: the device preparation policy, its device group, and its assignment to the user group.
  const created = await c.api('/deviceManagement/configurationPolicies').post(
    userDrivenPolicy({
      name: o.policyName ?? 'Windows Autopilot device preparation - User Driven',
      apps: selectedApps,
      scripts: selectedScripts,
      timeout: o.timeoutMinutes ?? 60,
      account: o.accountType === 'standardUser' ? 'enrollment_autopilot_dpp_accountype_1' : 'enrollment_autopilot_dpp_accountype_0',
      skip: o.allowSkip === false ? 'enrollment_autopilot_dpp_allowskip_0' : 'enrollment_autopilot_dpp_allowskip_1',
      diagnostics: o.allowDiagnostics === false ? 'enrollment_autopilot_dpp_allowdiagnostics_0' : 'enrollment_autopilot_dpp_allowdiagnostics_1',
      ...(o.customErrorMessage ? { message: o.customErrorMessage } : {}),
    }),
  );
  if (!o.unownedDeviceGroup) {
    const set = await c.api(`/deviceManagement/configurationPolicies/${created.id}/setEnrollmentTimeDeviceMembershipTarget`).post({
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroup.id }],
    });
    expect(set.validationSucceeded).toBe(true);
  }
  await c.api(`/deviceManagement/configurationPolicies('${created.id}')/assign`).post({
    assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: userGroup.id } }],
  });
  return { user, userGroupId: userGroup.id, deviceGroupId: deviceGroup.id, policyId: created.id, appIds, scriptIds };
}

/** Creates a simulated device (201) and returns it. */
export async function newDevice(lab: Lab, body: Record<string, unknown> = {}): Promise<any> {
  const r = await lab.control('POST', '/devices', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

export async function signIn(lab: Lab, deviceId: string, upn: string, password = PASSWORD): Promise<any> {
  const r = await lab.control('POST', `/devices/${deviceId}/sign-in`, { userPrincipalName: upn, password });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

export async function runToEnd(lab: Lab, deploymentId: string): Promise<any> {
  const r = await lab.control('POST', `/deployments/${deploymentId}/run`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

export async function advance(lab: Lab, seconds: number): Promise<void> {
  expect((await lab.control('POST', '/clock', { advanceSeconds: seconds })).status).toBe(200);
}

export async function deployment(lab: Lab, id: string): Promise<any> {
  const r = await lab.control('GET', `/deployments/${id}`);
  expect(r.status).toBe(200);
  return r.body;
}

// Classic Autopilot and the Enrollment Status Page, as the admin center does them.

/** Automatic enrollment for all users, and all users may join devices to Microsoft Entra ID. */
export async function tenantBasics(lab: Lab): Promise<void> {
  const c = lab.client;
  await c.api(`/policies/mobileDeviceManagementPolicies/${MDM}`).patch({ appliesTo: 'all' });
  const policy = await c.api('/policies/deviceRegistrationPolicy').get();
  await c.api('/policies/deviceRegistrationPolicy').put({ ...policy, azureADJoin: { ...policy.azureADJoin, allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } } });
}

export async function newGroup(lab: Lab, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const g = await lab.client.api('/groups').version('v1.0').post({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });
  return g.id;
}

/** behaviour.md §5.1: every Autopilot device, by the [ZTDId] physical id. */
export const autopilotGroup = (lab: Lab) =>
  newGroup(lab, 'All Autopilot devices', { groupTypes: ['DynamicMembership'], membershipRule: '(device.devicePhysicalIDs -any (_ -startsWith "[ZTDid]"))', membershipRuleProcessingState: 'On' });

export const ESP = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';

/** Registers a simulated device as Get-WindowsAutopilotInfo -Online does: its serial number and hardware hash. */
export async function registerDevice(lab: Lab, device: { serialNumber: string; hardwareHash: string }): Promise<{ autopilotId: string; entraObjectId: string }> {
  const upload = await lab.client.api('/deviceManagement/importedWindowsAutopilotDeviceIdentities').post({
    '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
    serialNumber: device.serialNumber,
    hardwareIdentifier: device.hardwareHash,
    groupTag: '',
    productKey: '',
    assignedUserPrincipalName: '',
  });
  expect(upload.state.deviceImportStatus).toBe('complete');
  const autopilotId = upload.state.deviceRegistrationId;
  const identity = await lab.client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${autopilotId}`).get();
  const entra = await lab.client.api('/devices').version('v1.0').filter(`deviceId eq '${identity.azureActiveDirectoryDeviceId}'`).get();
  expect(entra.value).toHaveLength(1);
  return { autopilotId, entraObjectId: entra.value[0].id };
}

/** A user-driven Entra join deployment profile (the admin center's body), assigned to a group. */
export async function deploymentProfile(lab: Lab, name: string, groupId: string, o: { template?: string; userType?: 'administrator' | 'standard' } = {}): Promise<any> {
  const profile = await lab.client.api('/deviceManagement/windowsAutopilotDeploymentProfiles').post({
    '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
    displayName: name,
    description: '',
    locale: 'os-default',
    preprovisioningAllowed: false,
    deviceType: 'windowsPc',
    hardwareHashExtractionEnabled: false,
    roleScopeTagIds: ['0'],
    deviceNameTemplate: o.template ?? '',
    outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: o.userType ?? 'administrator', keyboardSelectionPageSkipped: true },
  });
  await lab.client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}/assignments`).post({ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } });
  return profile;
}

/** A custom Enrollment Status Page (the admin center's body with progress shown), assigned to groups. */
export async function statusPage(lab: Lab, name: string, groupIds: readonly string[], settings: Record<string, unknown> = {}): Promise<string> {
  const esp = await lab.client.api('/deviceManagement/deviceEnrollmentConfigurations').post({
    '@odata.type': ESP,
    displayName: name,
    description: '',
    showInstallationProgress: true,
    blockDeviceSetupRetryByUser: false,
    allowDeviceResetOnInstallFailure: false,
    allowLogCollectionOnInstallFailure: false,
    customErrorMessage: '',
    installProgressTimeoutInMinutes: 60,
    allowDeviceUseOnInstallFailure: false,
    selectedMobileAppIds: [],
    trackInstallProgressForAutopilotOnly: false,
    disableUserStatusTrackingAfterFirstUser: true,
    roleScopeTagIds: ['0'],
    allowNonBlockingAppInstallation: false,
    installQualityUpdates: false,
    ...settings,
  });
  await lab.client.api(`/deviceManagement/deviceEnrollmentConfigurations/${esp.id}/assign`).post({
    enrollmentConfigurationAssignments: groupIds.map((groupId) => ({ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } })),
  });
  return esp.id;
}
