// The two tutorials done through Graph with the tenant's admin app, as a script would do them, with fixed names
// so the admin center's screenshots stay the same from run to run.
import { expect } from 'vitest';
import { json, type TestServer, type TestTenant } from '../../helpers/server.js';
import { appEntry, userDrivenPolicy, PROVISIONING_CLIENT } from '../../intune/device-preparation-fixtures.js';
import { ESP, script, win32App } from '../../provisioning/tutorial.js';

const MDM = '0000000a-0000-0000-c000-000000000000';
export const PASSWORD = 'Tarmac-Browser-Passw0rd!';

async function call(tenant: TestTenant, status: number, method: string, path: string, body?: unknown): Promise<any> {
  const res = await json(tenant.graph(method, path, body));
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

const group = (name: string, extra: Record<string, unknown> = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });
const toGroup = (groupId: string) => ({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId });

/** A user who can sign in, with the tenant's domain. */
export async function createUser(tenant: TestTenant, nickname: string, displayName: string): Promise<{ id: string; upn: string }> {
  const upn = `${nickname}@${tenant.domain}`;
  const user = await call(tenant, 201, 'POST', '/v1.0/users', {
    accountEnabled: true,
    displayName,
    mailNickname: nickname,
    userPrincipalName: upn,
    passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false },
  });
  return { id: user.id, upn };
}

export interface DevicePreparationSetup {
  readonly deviceGroupId: string;
  readonly provisioningClientId: string;
}

/** Steps 1 to 7 of the device preparation tutorial (step 2 is the tenant's default: users may join). */
export async function devicePreparationTutorial(t: TestServer, tenant: TestTenant): Promise<DevicePreparationSetup> {
  await call(tenant, 204, 'PATCH', `/beta/policies/mobileDeviceManagementPolicies/${MDM}`, { appliesTo: 'all' });
  const sp = (await call(tenant, 200, 'GET', `/v1.0/servicePrincipals?$filter=appId eq '${PROVISIONING_CLIENT}'`)).value[0];
  const deviceGroup = await call(tenant, 201, 'POST', '/v1.0/groups', group('Autopilot device preparation devices', { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`] }));
  const userGroup = await call(tenant, 201, 'POST', '/v1.0/groups', group('Autopilot device preparation users'));
  const user = await createUser(tenant, 'MeganB', 'Megan Bowen');
  await call(tenant, 204, 'POST', `/v1.0/groups/${userGroup.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
  const app = await call(tenant, 201, 'POST', '/beta/deviceAppManagement/mobileApps', win32App('Contoso Agent'));
  await call(tenant, 204, 'POST', `/beta/deviceAppManagement/mobileApps/${app.id}/assign`, {
    mobileAppAssignments: [{ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: toGroup(deviceGroup.id), settings: null }],
  });
  const ps = await call(tenant, 201, 'POST', '/beta/deviceManagement/deviceManagementScripts', script('Set-ContosoDefaults'));
  await call(tenant, 204, 'POST', `/beta/deviceManagement/deviceManagementScripts/${ps.id}/assign`, { deviceManagementScriptAssignments: [{ target: toGroup(deviceGroup.id) }] });
  const policy = await call(
    tenant,
    201,
    'POST',
    '/beta/deviceManagement/configurationPolicies',
    userDrivenPolicy({ name: 'Windows Autopilot device preparation - User Driven', account: 'enrollment_autopilot_dpp_accountype_0', apps: [appEntry(app.id, 'win32LobApp')], scripts: [ps.id] }),
  );
  const target = await call(tenant, 200, 'POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/setEnrollmentTimeDeviceMembershipTarget`, {
    enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroup.id }],
  });
  expect(target.validationSucceeded).toBe(true);
  await call(tenant, 200, 'POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/assign`, { assignments: [{ target: toGroup(userGroup.id) }] });
  const imported = await call(tenant, 200, 'POST', '/beta/deviceManagement/importedDeviceIdentities/importDeviceIdentityList', {
    importedDeviceIdentities: [{ importedDeviceIdentifier: 'Microsoft Corporation,Surface Laptop 6,DP-0001', importedDeviceIdentityType: 'manufacturerModelSerial', platform: 'windows' }],
    overwriteImportedDeviceIdentities: false,
  });
  expect(imported.value[0].status).toBe(true);
  return { deviceGroupId: deviceGroup.id, provisioningClientId: sp.id };
}

/** Classic Autopilot: the device group, the Enrollment Status Page, the profile and its assignment, a device imported. */
export async function classicTutorial(t: TestServer, tenant: TestTenant): Promise<void> {
  const devices = await call(tenant, 201, 'POST', '/v1.0/groups', group('All Autopilot devices', {
    groupTypes: ['DynamicMembership'],
    membershipRule: '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))',
    membershipRuleProcessingState: 'On',
  }));
  const esp = await call(tenant, 201, 'POST', '/beta/deviceManagement/deviceEnrollmentConfigurations', {
    '@odata.type': ESP,
    displayName: 'Autopilot Enrollment Status Page',
    description: '',
    showInstallationProgress: true,
    blockDeviceSetupRetryByUser: false,
    allowDeviceResetOnInstallFailure: false,
    disableUserStatusTrackingAfterFirstUser: true,
    allowNonBlockingAppInstallation: false,
    installQualityUpdates: false,
    installProgressTimeoutInMinutes: 60,
    allowDeviceUseOnInstallFailure: false,
    allowLogCollectionOnInstallFailure: true,
    customErrorMessage: "Contact your organization's support person for help.",
    selectedMobileAppIds: [],
    trackInstallProgressForAutopilotOnly: true,
    roleScopeTagIds: ['0'],
  });
  await call(tenant, 204, 'POST', `/beta/deviceManagement/deviceEnrollmentConfigurations/${esp.id}/assign`, { enrollmentConfigurationAssignments: [{ target: toGroup(devices.id) }] });
  const profile = await call(tenant, 201, 'POST', '/beta/deviceManagement/windowsAutopilotDeploymentProfiles', {
    '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
    displayName: 'Autopilot user-driven profile',
    description: '',
    locale: 'os-default',
    preprovisioningAllowed: false,
    hardwareHashExtractionEnabled: false,
    roleScopeTagIds: ['0'],
    deviceType: 'windowsPc',
    deviceNameTemplate: 'CON-%SERIAL%',
    outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: 'standard', keyboardSelectionPageSkipped: true },
  });
  await call(tenant, 201, 'POST', `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}/assignments`, { target: toGroup(devices.id) });
  // The device comes "from the OEM" with its hardware hash, as Get-WindowsAutopilotInfo reads it.
  const device = await json(t.control('POST', `/tenants/${tenant.tenantId}/devices`, { serialNumber: 'AP-0001' }));
  expect(device.status).toBe(201);
  const upload = await call(tenant, 201, 'POST', '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities', {
    '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
    serialNumber: 'AP-0001',
    hardwareIdentifier: device.body.hardwareHash,
    groupTag: '',
    productKey: '',
    assignedUserPrincipalName: '',
  });
  expect(upload.state.deviceImportStatus).toBe('complete');
}
