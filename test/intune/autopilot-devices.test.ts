import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { simulatedHardwareHash } from '../../src/intune/hardware-hash.js';
import { tenantScope } from '../../src/server/context.js';
import { registerAutopilotDevices } from '../../src/intune/autopilot-registration.js';
import { recordAutopilotEnrollment } from '../../src/intune/autopilot-device-actions.js';
import { autopilotRegistrationFor } from '../../src/intune/autopilot-lookup.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

const IMPORTS = '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities';
const DEVICES = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';
const hash = () => randomBytes(3000).toString('base64');
let serialCounter = 0;
const serial = () => `TST${Date.now().toString(36).toUpperCase()}${++serialCounter}`;

/** The body Get-WindowsAutopilotInfo -Online (Add-AutopilotImportedDevice) posts for one device. */
const onlineBody = (serialNumber: string, groupTag = '', assignedUser = '') => ({
  '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
  groupTag,
  serialNumber,
  productKey: '',
  hardwareIdentifier: hash(),
  assignedUserPrincipalName: assignedUser,
  state: { '@odata.type': 'microsoft.graph.importedWindowsAutopilotDeviceIdentityState', deviceImportStatus: 'pending', deviceRegistrationId: '', deviceErrorCode: 0, deviceErrorName: '' },
});

async function dynamicGroup(name: string, rule: string) {
  const res = await json(
    tenant.graph('POST', '/v1.0/groups', {
      displayName: name,
      mailEnabled: false,
      mailNickname: name.replace(/\W/g, ''),
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: rule,
      membershipRuleProcessingState: 'On',
    }),
  );
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const memberIds = async (groupId: string) => ((await json(tenant.graph('GET', `/v1.0/groups/${groupId}/members?$select=id`))).body.value as any[]).map((m) => m.id).sort();
const entraDevice = async (deviceId: string) => (await json(tenant.graph('GET', `/v1.0/devices?$filter=deviceId eq '${deviceId}'`))).body.value[0];

describe('Autopilot import', () => {
  it('registers a device posted by Get-WindowsAutopilotInfo -Online, complete when the call returns', async () => {
    const serialNumber = serial();
    const created = await json(tenant.graph('POST', IMPORTS, onlineBody(serialNumber, 'Sales', tenant.users[0]!.userPrincipalName)));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
      serialNumber,
      groupTag: 'Sales',
      state: { deviceImportStatus: 'complete', deviceErrorCode: 0, deviceErrorName: '' },
    });
    const registrationId = created.body.state.deviceRegistrationId;
    // The client polls the upload record, then reads the device by deviceRegistrationId.
    const polled = await json(tenant.graph('GET', `${IMPORTS}/${created.body.id}`));
    expect(polled.body.state.deviceImportStatus).toBe('complete');
    const device = await json(tenant.graph('GET', `${DEVICES}/${registrationId}`));
    expect(device.status).toBe(200);
    expect(device.body).toMatchObject({
      '@odata.type': '#microsoft.graph.windowsAutopilotDeviceIdentity',
      id: registrationId,
      serialNumber,
      groupTag: 'Sales',
      userPrincipalName: tenant.users[0]!.userPrincipalName,
      enrollmentState: 'notContacted',
      deploymentProfileAssignmentStatus: 'notAssigned',
    });
    // Its Entra device carries the Autopilot physical ids, found the way the script finds it.
    const entra = await entraDevice(device.body.azureActiveDirectoryDeviceId);
    expect(entra.displayName).toBe(serialNumber);
    expect(entra.physicalIds).toEqual([`[ZTDId]:${registrationId}`, '[OrderId]:Sales']);
    expect(device.body.azureAdDeviceId).toBe(entra.deviceId);
    // The client deletes the upload record.
    expect((await tenant.graph('DELETE', `${IMPORTS}/${created.body.id}`)).status).toBe(204);
    expect((await tenant.graph('GET', `${IMPORTS}/${created.body.id}`)).status).toBe(404);
  });

  it('imports a batch with per-device errors: already registered (806), duplicated, empty hash', async () => {
    const taken = serial();
    await tenant.graph('POST', IMPORTS, onlineBody(taken));
    const fresh = serial();
    const dup = serial();
    const body = {
      importedWindowsAutopilotDeviceIdentities: [
        onlineBody(fresh, 'HR'),
        onlineBody(taken),
        onlineBody(dup),
        onlineBody(dup.toLowerCase()),
        { ...onlineBody(serial()), hardwareIdentifier: '' },
      ],
    };
    const res = await json(tenant.graph('POST', `${IMPORTS}/import`, body));
    expect(res.status).toBe(200);
    const states = res.body.value.map((r: any) => [r.state.deviceImportStatus, r.state.deviceErrorCode, r.state.deviceErrorName]);
    expect(states).toEqual([
      ['complete', 0, ''],
      ['error', 806, 'ZtdDeviceAlreadyAssigned'],
      ['complete', 0, ''],
      ['error', 807, 'ZtdDeviceDuplicated'],
      ['error', 810, 'InvalidZtdHardwareHash'],
    ]);
    expect(new Set(res.body.value.map((r: any) => r.importId)).size).toBe(1);
    // A duplicate serial is reported, never doubled.
    const listed = await json(tenant.graph('GET', `${DEVICES}?$filter=serialNumber eq '${taken}'`));
    expect(listed.body.value).toHaveLength(1);
  });

  it('refuses a malformed request as a whole: nothing is registered', async () => {
    const a = serial();
    const bad = await json(
      tenant.graph('POST', `${IMPORTS}/import`, { importedWindowsAutopilotDeviceIdentities: [onlineBody(a), { ...onlineBody(serial()), hardwareIdentifier: 'not base64!' }] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BadRequest', target: 'importedWindowsAutopilotDeviceIdentities[1].hardwareIdentifier' });
    expect(bad.body.error.message).toContain("to the expected type 'Edm.Binary'");
    const unknown = await json(tenant.graph('POST', `${IMPORTS}/import`, { importedWindowsAutopilotDeviceIdentities: [{ ...onlineBody(serial()), Authorization: 'x' }] }));
    expect(unknown.body.error.target).toBe('importedWindowsAutopilotDeviceIdentities[0].Authorization');
    const tooMany = await json(tenant.graph('POST', `${IMPORTS}/import`, { importedWindowsAutopilotDeviceIdentities: Array.from({ length: 501 }, () => onlineBody(serial())) }));
    expect(tooMany.status).toBe(400);
    expect((await json(tenant.graph('GET', `${DEVICES}?$filter=serialNumber eq '${a}'`))).body.value).toEqual([]);
  });

  it('takes the old orderIdentifier as the group tag, and decodes a simulated hash', async () => {
    const serialNumber = serial();
    const res = await json(
      tenant.graph('POST', IMPORTS, {
        ...onlineBody(serialNumber),
        groupTag: undefined,
        orderIdentifier: 'Kiosk',
        hardwareIdentifier: simulatedHardwareHash({ manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 6', serialNumber }),
      }),
    );
    expect(res.body).toMatchObject({ orderIdentifier: 'Kiosk', groupTag: 'Kiosk', state: { deviceImportStatus: 'complete' } });
    const device = await json(tenant.graph('GET', `${DEVICES}/${res.body.state.deviceRegistrationId}`));
    expect(device.body).toMatchObject({ groupTag: 'Kiosk', manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 6' });
    const wrong = await json(tenant.graph('POST', IMPORTS, { ...onlineBody(serial()), hardwareIdentifier: simulatedHardwareHash({ manufacturer: 'x', model: 'y', serialNumber: 'OTHER' }) }));
    expect(wrong.body.state).toMatchObject({ deviceImportStatus: 'error', deviceErrorName: 'InvalidZtdHardwareHash' });
  });
});

describe('dynamic groups follow Autopilot devices', () => {
  it('puts an imported device in the [ZTDId] group and its group-tag group, and moves it when the tag changes', async () => {
    const [SALES, HR] = ['Sales', 'HR'].map((t) => `${t}-${serial()}`);
    const all = await dynamicGroup('All Autopilot devices', '(device.devicePhysicalIDs -any (_ -contains "[ZTDId]"))');
    const sales = await dynamicGroup('Autopilot Sales', `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${SALES}"))`);
    const hr = await dynamicGroup('Autopilot HR', `(device.devicePhysicalIds -any (_ -eq "[OrderID]:${HR}"))`);
    const res = await json(tenant.graph('POST', `${IMPORTS}/import`, { importedWindowsAutopilotDeviceIdentities: [onlineBody(serial(), SALES), onlineBody(serial(), HR), onlineBody(serial())] }));
    const ids = res.body.value.map((r: any) => r.state.deviceRegistrationId);
    const objectIds: string[] = [];
    for (const id of ids) {
      const d = await json(tenant.graph('GET', `${DEVICES}/${id}`));
      objectIds.push((await entraDevice(d.body.azureAdDeviceId)).id);
    }
    expect(await memberIds(all)).toEqual(expect.arrayContaining(objectIds));
    expect(await memberIds(sales)).toEqual([objectIds[0]]);
    expect(await memberIds(hr)).toEqual([objectIds[1]]);
    const status = (await json(tenant.graph('GET', `/beta/groups/${sales}`))).body.membershipRuleProcessingStatus;
    expect(status.status).toBe('Succeeded');

    // updateDeviceProperties with a new group tag: the Entra device's [OrderId] follows, and so do the groups.
    expect((await tenant.graph('POST', `${DEVICES}/${ids[0]}/updateDeviceProperties`, { groupTag: HR })).status).toBe(204);
    expect(await memberIds(sales)).toEqual([]);
    expect(await memberIds(hr)).toEqual([objectIds[0], objectIds[1]].sort());
    const entra = (await json(tenant.graph('GET', `/v1.0/devices/${objectIds[0]}`))).body;
    expect(entra.physicalIds).toEqual([`[ZTDId]:${ids[0]}`, `[OrderId]:${HR}`]);
  });
});

describe('registration by OEMs and partners (the service the control API and engine use)', () => {
  it('carries the purchase order into [PurchaseOrderId], which a dynamic group picks up', async () => {
    const po = `PO-${serial()}`;
    const group = await dynamicGroup('Purchase order', `(device.devicePhysicalIds -any (_ -eq "[PurchaseOrderId]:${po}"))`);
    const scope = tenantScope(t.server.ctx, tenant.tenantId);
    const serialNumber = serial();
    const [outcome] = await registerAutopilotDevices(scope, [{ serialNumber, hardwareIdentifier: hash(), groupTag: 'OEM', purchaseOrderIdentifier: po }]);
    expect(outcome!.ok).toBe(true);
    if (!outcome!.ok) return;
    expect(outcome!.entraDevice.physicalIds).toEqual([`[ZTDId]:${outcome!.identity.id}`, '[OrderId]:OEM', `[PurchaseOrderId]:${po}`]);
    expect(await memberIds(group)).toEqual([outcome!.entraDevice.id]);
    const device = await json(tenant.graph('GET', `${DEVICES}/${outcome!.identity.id}`));
    expect(device.body.purchaseOrderIdentifier).toBe(po);
    // The engine finds the registration by serial number.
    const found = await autopilotRegistrationFor(scope, { serialNumber: serialNumber.toLowerCase() });
    expect(found).toMatchObject({ identity: { id: outcome!.identity.id }, entraDeviceObjectId: outcome!.entraDevice.id, status: 'notAssigned', profile: null });
    expect(await autopilotRegistrationFor(scope, { serialNumber: 'NOT-REGISTERED' })).toBeNull();
  });
});

describe('Autopilot device actions', () => {
  async function register(groupTag = '') {
    const res = await json(tenant.graph('POST', IMPORTS, onlineBody(serial(), groupTag)));
    return res.body.state.deviceRegistrationId as string;
  }

  it('assigns and unassigns a user, checking the user exists', async () => {
    const id = await register();
    const user = tenant.users[1]!;
    expect((await tenant.graph('POST', `${DEVICES}/${id}/assignUserToDevice`, { userPrincipalName: user.userPrincipalName, addressableUserName: 'Pat' })).status).toBe(204);
    expect((await json(tenant.graph('GET', `${DEVICES}/${id}`))).body).toMatchObject({ userPrincipalName: user.userPrincipalName, addressableUserName: 'Pat' });
    const missing = await json(tenant.graph('POST', `${DEVICES}/${id}/assignUserToDevice`, { userPrincipalName: `nobody@${tenant.domain}`, addressableUserName: 'x' }));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'BadRequest', target: 'userPrincipalName' });
    expect((await tenant.graph('POST', `${DEVICES}/${id}/unassignUserFromDevice`)).status).toBe(204);
    expect((await json(tenant.graph('GET', `${DEVICES}/${id}`))).body).toMatchObject({ userPrincipalName: '', addressableUserName: '' });
  });

  it('updates the name, checking it as a computer name (and answers the module\'s capitalised action name)', async () => {
    const id = await register();
    expect((await tenant.graph('POST', `${DEVICES}/${id}/UpdateDeviceProperties`, { displayName: 'CONTOSO-0001' })).status).toBe(204);
    expect((await json(tenant.graph('GET', `${DEVICES}/${id}`))).body.displayName).toBe('CONTOSO-0001');
    const tooLong = await json(tenant.graph('POST', `${DEVICES}/${id}/updateDeviceProperties`, { displayName: 'CONTOSO-LAPTOP-0001' }));
    expect(tooLong.body.error).toMatchObject({ code: 'BadRequest', target: 'displayName' });
    const unknown = await json(tenant.graph('POST', `${DEVICES}/${id}/updateDeviceProperties`, { colour: 'blue' }));
    expect(unknown.body.error.target).toBe('colour');
  });

  it('deletes a never-enrolled device together with its Entra device object', async () => {
    const id = await register('Gone');
    const device = (await json(tenant.graph('GET', `${DEVICES}/${id}`))).body;
    const entra = await entraDevice(device.azureAdDeviceId);
    expect((await tenant.graph('DELETE', `${DEVICES}/${id}`)).status).toBe(204);
    expect((await tenant.graph('GET', `${DEVICES}/${id}`)).status).toBe(404);
    expect((await tenant.graph('GET', `/v1.0/devices/${entra.id}`)).status).toBe(404);
    // The serial number can be registered again.
    const again = await json(tenant.graph('POST', IMPORTS, { ...onlineBody(device.serialNumber) }));
    expect(again.body.state.deviceImportStatus).toBe('complete');
  });

  it('refuses to delete a device still enrolled in Intune, and keeps the Entra device of one that enrolled', async () => {
    const id = await register();
    const device = (await json(tenant.graph('GET', `${DEVICES}/${id}`))).body;
    const entra = await entraDevice(device.azureAdDeviceId);
    const scope = tenantScope(t.server.ctx, tenant.tenantId);
    const managedDeviceId = '11111111-2222-4333-8444-555555555555';
    await t.server.ctx.db.kysely
      .insertInto('intune_objects')
      .values({ tenant_id: tenant.tenantId, collection: 'managedDevices', id: managedDeviceId, odata_type: '#microsoft.graph.managedDevice', unique_key: null, data: '{}', created_at: new Date().toISOString() })
      .execute();
    await recordAutopilotEnrollment(scope, id, { enrollmentState: 'enrolled', managedDeviceId });
    expect((await json(tenant.graph('GET', `${DEVICES}/${id}`))).body).toMatchObject({ enrollmentState: 'enrolled', managedDeviceId });
    const refused = await json(tenant.graph('DELETE', `${DEVICES}/${id}`));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('delete it from Intune first');
    await t.server.ctx.db.kysely.deleteFrom('intune_objects').where('tenant_id', '=', tenant.tenantId).where('collection', '=', 'managedDevices').where('id', '=', managedDeviceId).execute();
    expect((await tenant.graph('DELETE', `${DEVICES}/${id}`)).status).toBe(204);
    expect((await tenant.graph('GET', `/v1.0/devices/${entra.id}`)).status).toBe(200);
  });

  it('lists with the module\'s queries: contains(serialNumber) and $expand of the profiles; v1.0 leaves out beta properties', async () => {
    const id = await register();
    const device = (await json(tenant.graph('GET', `${DEVICES}/${id}`))).body;
    const listed = await json(tenant.graph('GET', `${DEVICES}?$filter=contains(serialNumber,'${device.serialNumber.slice(3)}')`));
    expect(listed.body.value.map((d: any) => d.id)).toEqual([id]);
    expect(listed.body.value[0].deploymentProfileAssignmentStatus).toBe('notAssigned');
    const expanded = await json(tenant.graph('GET', `${DEVICES}/${id}?$expand=deploymentProfile,intendedDeploymentProfile`));
    expect(expanded.body).toMatchObject({ deploymentProfile: null, intendedDeploymentProfile: null });
    const v1 = await json(tenant.graph('GET', `/v1.0/deviceManagement/windowsAutopilotDeviceIdentities/${id}`));
    expect(v1.body.serialNumber).toBe(device.serialNumber);
    expect(v1.body.deploymentProfileAssignmentStatus).toBeUndefined();
    expect(v1.body.azureAdDeviceId).toBeUndefined();
    const computed = await json(tenant.graph('GET', `${DEVICES}?$filter=deploymentProfileAssignmentStatus eq 'notAssigned'`));
    expect(computed.body.error).toMatchObject({ code: 'BadRequest', target: '$filter' });
    const count = await tenant.graph('GET', `${DEVICES}/$count`);
    expect(Number(await count.text())).toBeGreaterThan(0);
  });

  it('answers Invoke-AutopilotSync and Get-AutopilotSyncInfo', async () => {
    expect((await tenant.graph('POST', '/beta/deviceManagement/windowsAutopilotSettings/sync')).status).toBe(204);
    const info = await json(tenant.graph('GET', '/beta/deviceManagement/windowsAutopilotSettings'));
    expect(info.body).toMatchObject({ syncStatus: 'completed' });
    expect(info.body.lastManualSyncTriggerDateTime).not.toBe('0001-01-01T00:00:00Z');
  });
});
