// Managed devices: created by enrollment (createManagedDevice), read and deleted through Graph v1.0 and beta, never created through Graph.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@microsoft/microsoft-graph-client';
import { appToken, createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { graphClient } from '../helpers/graph-client.js';
import { tenantScope, type Scope } from '../../src/server/context.js';
import { createManagedDevice, findManagedDeviceByAzureADDeviceId } from '../../src/intune/managed-devices.js';
import { GraphError } from '../../src/graph/errors.js';

let t: TestServer;
let tenant: TestTenant;
let scope: Scope;
let client: Client;
const DEVICES = '/beta/deviceManagement/managedDevices';
const ids: Record<string, string> = {};

async function created(res: Promise<Response>): Promise<any> {
  const r = await json(res);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** An Entra-joined device object, as the join creates it. */
async function entraDevice(name: string): Promise<string> {
  const deviceId = randomUUID();
  await created(tenant.graph('POST', '/v1.0/devices', { accountEnabled: true, alternativeSecurityIds: [{ type: 2, key: 'base64Y3YxN2E1MWFlYw==' }], deviceId, displayName: name, operatingSystem: 'Windows', operatingSystemVersion: '10.0.26100.1742', trustType: 'AzureAd' }));
  return deviceId;
}

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  scope = tenantScope(t.server.ctx, tenant.tenantId);
  client = graphClient(t.url, tenant.token, 'beta');
  const user = await created(
    tenant.graph('POST', '/v1.0/users', { accountEnabled: true, displayName: 'Adele Vance', mailNickname: 'adelev', mail: `adelev@${tenant.domain}`, userPrincipalName: `adelev@${tenant.domain}`, passwordProfile: { password: 'Tarmac-test-Passw0rd!' } }),
  );
  ids.user = user.id;
  ids.upn = user.userPrincipalName;
});
afterAll(() => t.close());

describe('createManagedDevice (enrollment)', () => {
  it('fills the fields Intune fills for a user-driven Entra join through Autopilot', async () => {
    const azureADDeviceId = await entraDevice('CONTOSO-4711');
    const md = await createManagedDevice(scope, {
      azureADDeviceId: azureADDeviceId.toUpperCase(),
      deviceName: 'CONTOSO-4711',
      userId: ids.user,
      serialNumber: 'PF3ABCDE',
      manufacturer: 'Microsoft Corporation',
      model: 'Surface Laptop 6',
      osVersion: '10.0.26100.1742',
      enrollmentProfileName: 'Autopilot user-driven',
      autopilotEnrolled: true,
      chassisType: 'laptop',
      processorArchitecture: 'x64',
    });
    ids.device = md.id;
    ids.azureADDeviceId = azureADDeviceId;
    expect(md).toMatchObject({
      '@odata.type': '#microsoft.graph.managedDevice',
      deviceName: 'CONTOSO-4711',
      azureADDeviceId,
      azureActiveDirectoryDeviceId: azureADDeviceId,
      userId: ids.user,
      userPrincipalName: ids.upn,
      userDisplayName: 'Adele Vance',
      emailAddress: ids.upn,
      enrolledByUserPrincipalName: ids.upn,
      operatingSystem: 'Windows',
      managementAgent: 'mdm',
      managementState: 'managed',
      managedDeviceOwnerType: 'company',
      ownerType: 'company',
      deviceEnrollmentType: 'windowsAzureADJoin',
      joinType: 'azureADJoined',
      autopilotEnrolled: true,
      azureADRegistered: true,
      aadRegistered: true,
      complianceState: 'unknown',
      deviceRegistrationState: 'registered',
      enrollmentProfileName: 'Autopilot user-driven',
    });
    expect(md.enrolledDateTime).toBe(md.lastSyncDateTime);
    expect(md.managedDeviceName).toMatch(/^adelev_Windows_\d{1,2}\/\d{1,2}\/\d{4}_\d{1,2}:\d{2} (AM|PM)$/);
    expect((await findManagedDeviceByAzureADDeviceId(scope, azureADDeviceId))?.id).toBe(md.id);
  });

  it('refuses enum values outside the metadata, unknown users and Entra devices, and a second record for one device', async () => {
    const azureADDeviceId = await entraDevice('CONTOSO-4712');
    const attempts: [Record<string, unknown>, string][] = [
      [{ managedDeviceOwnerType: 'corporate' }, 'managedDeviceOwnerType'],
      [{ deviceEnrollmentType: 'autopilot' }, 'deviceEnrollmentType'],
      [{ joinType: 'entraJoined' }, 'joinType'],
      [{ complianceState: 'good' }, 'complianceState'],
      [{ managementAgent: 'agent' }, 'managementAgent'],
      [{ userId: randomUUID() }, 'userId'],
      [{ azureADDeviceId: randomUUID() }, 'azureADDeviceId'],
      [{ azureADDeviceId: 'not-a-guid' }, 'azureADDeviceId'],
      [{ deviceName: '' }, 'deviceName'],
    ];
    for (const [extra, target] of attempts) {
      const err = await createManagedDevice(scope, { azureADDeviceId, deviceName: 'CONTOSO-4712', ...extra } as never).catch((e: unknown) => e);
      expect(err, target).toBeInstanceOf(GraphError);
      expect((err as GraphError).status).toBe(400);
      expect((err as GraphError).extra.target).toBe(target);
    }
    const again = await createManagedDevice(scope, { azureADDeviceId: ids.azureADDeviceId!, deviceName: 'CONTOSO-4711' }).catch((e: unknown) => e);
    expect((err(again)).status).toBe(409);
    // A userless, self-deploying enrollment.
    const kiosk = await createManagedDevice(scope, { azureADDeviceId, deviceName: 'KIOSK-01', deviceEnrollmentType: 'windowsAzureADJoinUsingDeviceAuth', autopilotEnrolled: true });
    expect(kiosk).toMatchObject({ userId: null, userPrincipalName: '', enrolledByUserPrincipalName: null, deviceEnrollmentType: 'windowsAzureADJoinUsingDeviceAuth' });
    expect(kiosk.managedDeviceName).toMatch(/^KIOSK-01_Windows_/);
    ids.kiosk = kiosk.id;
  });
});
const err = (e: unknown) => e as GraphError;

describe('managedDevices through Graph', () => {
  it('lists and reads with the official client, filters as scripts do, and shows v1.0 its own properties only', async () => {
    const list = await client.api('/deviceManagement/managedDevices').filter("operatingSystem eq 'Windows' and joinType eq 'azureADJoined'").get();
    expect(list.value.map((d: any) => d.id).sort()).toEqual([ids.device, ids.kiosk].sort());
    const bySerial = await client.api('/deviceManagement/managedDevices').filter("serialNumber eq 'PF3ABCDE'").select('id,deviceName,autopilotEnrolled').get();
    expect(bySerial.value).toEqual([{ '@odata.type': '#microsoft.graph.managedDevice', id: ids.device, deviceName: 'CONTOSO-4711', autopilotEnrolled: true }]);
    const one = await client.api(`/deviceManagement/managedDevices/${ids.device}`).version('v1.0').get();
    expect(one).toMatchObject({ id: ids.device, deviceEnrollmentType: 'windowsAzureADJoin', azureADDeviceId: ids.azureADDeviceId });
    expect(one).not.toHaveProperty('joinType');
    expect(one).not.toHaveProperty('autopilotEnrolled');
    const byKey = await json(tenant.graph('GET', `${DEVICES}('${ids.device}')?$select=joinType,managedDeviceOwnerType`));
    expect(byKey.body).toMatchObject({ joinType: 'azureADJoined', managedDeviceOwnerType: 'company' });
    expect((await json(tenant.graph('GET', `${DEVICES}/$count`))).body).toBe(2);
  });

  it('answers POST as Graph does (no create route) and creates nothing', async () => {
    const res = await json(tenant.graph('POST', DEVICES, { deviceName: 'FAKE' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('No method match route template');
    expect((await json(tenant.graph('GET', `${DEVICES}/$count`))).body).toBe(2);
  });

  it('needs DeviceManagementManagedDevices permissions: Read.All reads, ReadWrite.All deletes', async () => {
    const app = await json(t.control('POST', `/tenants/${tenant.tenantId}/applications`, { displayName: 'Reader', permissions: ['DeviceManagementManagedDevices.Read.All'] }));
    const reader = await appToken(t.url, tenant.tenantId, app.body.clientId, app.body.clientSecret);
    expect((await tenant.graphAs(reader, 'GET', `/v1.0/deviceManagement/managedDevices/${ids.kiosk}`)).status).toBe(200);
    expect((await tenant.graphAs(reader, 'DELETE', `/v1.0/deviceManagement/managedDevices/${ids.kiosk}`)).status).toBe(403);
    expect((await tenant.graph('DELETE', `/v1.0/deviceManagement/managedDevices/${ids.kiosk}`)).status).toBe(204);
    const gone = await json(tenant.graph('GET', `${DEVICES}/${ids.kiosk}`));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NotFound');
    // The Entra device stays: deleting the Intune record does not remove the directory object.
    expect((await json(tenant.graph('GET', `/v1.0/devices?$filter=displayName eq 'CONTOSO-4712'`))).body.value).toHaveLength(1);
  });
});
