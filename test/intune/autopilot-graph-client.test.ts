// Corporate identifiers, Autopilot imports, Autopilot devices and deployment profiles through Microsoft's own
// @microsoft/microsoft-graph-client (baseUrl + customHosts, over http), with the payloads the admin center
// and Get-WindowsAutopilotInfo -Online send, the way those tools sequence them. The client's
// AuthenticationHandler adds the token to https URLs only, so over plain http the middleware chain starts
// with one that adds it, followed by the client's own RetryHandler and HTTPMessageHandler.
import { randomBytes } from 'node:crypto';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { graphClient } from '../helpers/graph-client.js';

let t: TestServer;
let tenant: TestTenant;
let client: Client;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
  client = graphClient(t.url, tenant.token, 'beta');
});
afterAll(() => t.close());

let counter = 0;
const serial = () => `GC${Date.now().toString(36).toUpperCase()}${++counter}`;
const hash = () => randomBytes(2048).toString('base64');
const failure = async (work: () => Promise<unknown>): Promise<GraphError> => {
  try {
    await work();
  } catch (err) {
    return err as GraphError;
  }
  throw new Error('expected the call to fail');
};

describe('corporate identifiers through the Graph client', () => {
  it('uploads, searches, lists and deletes as the admin center does', async () => {
    const identifiers = ['Microsoft,Surface Laptop 5,0F0123456789', 'Lenovo,ThinkPad X1 Carbon,PF3ABCDE'];
    const body = {
      importedDeviceIdentities: identifiers.map((id) => ({
        '@odata.type': '#microsoft.graph.importedDeviceIdentity',
        importedDeviceIdentifier: id,
        importedDeviceIdentityType: 'manufacturerModelSerial',
        description: '',
        platform: 'windows',
      })),
      overwriteImportedDeviceIdentities: false,
    };
    const existing = await client.api('/deviceManagement/importedDeviceIdentities/searchExistingIdentities').post({ importedDeviceIdentities: body.importedDeviceIdentities });
    expect(existing.value).toEqual([]);
    const imported = await client.api('/deviceManagement/importedDeviceIdentities/importDeviceIdentityList').post(body);
    expect(imported.value.map((r: any) => r.status)).toEqual([true, true]);
    const list = await client.api('/deviceManagement/importedDeviceIdentities').filter("platform eq 'windows'").get();
    expect(list.value.map((i: any) => i.importedDeviceIdentifier).sort()).toEqual([...identifiers].sort());
    expect(list.value[0].enrollmentState).toBe('notContacted');
    await client.api(`/deviceManagement/importedDeviceIdentities/${list.value[0].id}`).delete();
    const after = await client.api('/deviceManagement/importedDeviceIdentities').get();
    expect(after.value).toHaveLength(1);
    const bad = await failure(() => client.api('/deviceManagement/importedDeviceIdentities/importDeviceIdentityList').post({ importedDeviceIdentities: [{ importedDeviceIdentifier: 'x', importedDeviceIdentityType: 'bogus' }] }));
    expect(bad.statusCode).toBe(400);
    expect(bad.code).toBe('BadRequest');
  });
});

describe('Autopilot devices through the Graph client', () => {
  it('runs the Get-WindowsAutopilotInfo -Online sequence: upload, poll, read the device, clean up, sync, set the name', async () => {
    const serialNumber = serial();
    const upload = await client.api('/deviceManagement/importedWindowsAutopilotDeviceIdentities').post({
      '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
      groupTag: 'Kiosk',
      serialNumber,
      productKey: '',
      hardwareIdentifier: hash(),
      assignedUserPrincipalName: '',
      state: { '@odata.type': 'microsoft.graph.importedWindowsAutopilotDeviceIdentityState', deviceImportStatus: 'pending', deviceRegistrationId: '', deviceErrorCode: 0, deviceErrorName: '' },
    });
    // The script waits while the status is "unknown": here it is final at once.
    const polled = await client.api(`/deviceManagement/importedWindowsAutopilotDeviceIdentities/${upload.id}`).get();
    expect(polled.state.deviceImportStatus).toBe('complete');
    const device = await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${polled.state.deviceRegistrationId}`).get();
    expect(device).toMatchObject({ serialNumber, groupTag: 'Kiosk', deploymentProfileAssignmentStatus: 'notAssigned' });
    await client.api(`/deviceManagement/importedWindowsAutopilotDeviceIdentities/${upload.id}`).delete();
    await client.api('/deviceManagement/windowsAutopilotSettings/sync').post({});
    // -AddToGroup finds the Entra device by its deviceId.
    const entra = await client.api('/devices').version('v1.0').filter(`deviceId eq '${device.azureActiveDirectoryDeviceId}'`).get();
    expect(entra.value[0].physicalIds).toContain(`[ZTDId]:${device.id}`);
    // -AssignedComputerName: Set-AutopilotDevice.
    await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}/UpdateDeviceProperties`).post({ displayName: 'KIOSK-01' });
    await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}/assignUserToDevice`).post({ userPrincipalName: tenant.users[0]!.userPrincipalName, addressableUserName: 'Kiosk user' });
    const updated = await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}`).expand(['deploymentProfile', 'intendedDeploymentProfile']).get();
    expect(updated).toMatchObject({ displayName: 'KIOSK-01', userPrincipalName: tenant.users[0]!.userPrincipalName, addressableUserName: 'Kiosk user', deploymentProfile: null });
    await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}/unassignUserFromDevice`).post({});
    await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}`).delete();
    const gone = await failure(() => client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}`).get());
    expect(gone.statusCode).toBe(404);
  });

  it('imports a batch and pages through the devices by @odata.nextLink', async () => {
    const serials = Array.from({ length: 5 }, () => serial());
    const res = await client.api('/deviceManagement/importedWindowsAutopilotDeviceIdentities/import').post({
      importedWindowsAutopilotDeviceIdentities: serials.map((s) => ({ '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity', serialNumber: s, groupTag: 'Batch', productKey: '', hardwareIdentifier: hash() })),
    });
    expect(res.value.every((r: any) => r.state.deviceImportStatus === 'complete')).toBe(true);
    // Follow @odata.nextLink page by page (PageIterator resolves nextLink only for https URLs).
    const seen: string[] = [];
    let page = await client.api('/deviceManagement/windowsAutopilotDeviceIdentities').filter("groupTag eq 'Batch'").top(2).get();
    for (let pages = 1; ; pages++) {
      seen.push(...page.value.map((d: any) => d.serialNumber));
      if (!page['@odata.nextLink']) {
        expect(pages).toBe(3);
        break;
      }
      const next = new URL(page['@odata.nextLink']);
      expect(next.origin).toBe(t.url);
      page = await client.api(`${next.pathname.replace(/^\/beta/, '')}${next.search}`).get();
    }
    expect(seen.sort()).toEqual([...serials].sort());
  });
});

describe('deployment profiles through the Graph client', () => {
  it('creates a profile, assigns it to a group-tag group and sees the device get it', async () => {
    const tag = `Tag${counter}${Date.now().toString(36)}`;
    const group = await client.api('/groups').version('v1.0').post({
      displayName: `Autopilot ${tag}`,
      mailEnabled: false,
      mailNickname: tag,
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${tag}"))`,
      membershipRuleProcessingState: 'On',
    });
    const profile = await client.api('/deviceManagement/windowsAutopilotDeploymentProfiles').post({
      '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
      displayName: 'User-driven Entra join',
      description: '',
      locale: 'os-default',
      preprovisioningAllowed: false,
      deviceType: 'windowsPc',
      hardwareHashExtractionEnabled: false,
      roleScopeTagIds: ['0'],
      deviceNameTemplate: 'CONTOSO-%SERIAL%',
      outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: 'standard', keyboardSelectionPageSkipped: true },
    });
    expect(profile.outOfBoxExperienceSettings).toMatchObject({ hideEULA: true, userType: 'standard' });
    const assignment = await client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}/assignments`).post({
      target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: group.id },
    });
    expect(assignment.id).toBe(`${profile.id}_${group.id}_0`);
    const upload = await client.api('/deviceManagement/importedWindowsAutopilotDeviceIdentities').post({ serialNumber: serial(), groupTag: tag, hardwareIdentifier: hash() });
    const device = await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${upload.state.deviceRegistrationId}`).expand('deploymentProfile').get();
    expect(device.deploymentProfileAssignmentStatus).toBe('assignedInSync');
    expect(device.deploymentProfile).toMatchObject({ id: profile.id, deviceNameTemplate: 'CONTOSO-%SERIAL%' });
    const withAssignments = await client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}`).expand('assignments').get();
    expect(withAssignments.assignments).toHaveLength(1);
    const assigned = await client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}/assignedDevices`).get();
    expect(assigned.value.map((d: any) => d.id)).toEqual([device.id]);
    const bad = await failure(() => client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}`).patch({ deviceNameTemplate: '%serial%' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.code).toBe('BadRequest');
    await client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}/assignments/${assignment.id}`).delete();
    await client.api(`/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}`).delete();
    const after = await client.api(`/deviceManagement/windowsAutopilotDeviceIdentities/${device.id}`).get();
    expect(after.deploymentProfileAssignmentStatus).toBe('notAssigned');
  });
});
