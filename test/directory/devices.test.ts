import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

const device = (name: string, extra: Record<string, unknown> = {}) => ({
  accountEnabled: true,
  alternativeSecurityIds: [{ type: 2, key: 'base64Y3YxN2E1MWFlYw==' }],
  deviceId: randomUUID(),
  displayName: name,
  operatingSystem: 'Windows',
  operatingSystemVersion: '10.0.26100.1742',
  ...extra,
});

describe('devices', () => {
  it('creates an Entra device object with physical ids and reads it back', async () => {
    const body = device('DESKTOP-1', {
      manufacturer: 'Microsoft Corporation',
      model: 'Surface Laptop 6',
      physicalIds: ['[ZTDId]:8e3f9c1a-7c4b-4c7d-9f52-2b8b1f0f9a11', '[OrderId]:Sales'],
      trustType: 'AzureAd',
    });
    const created = await json(tenant.graph('POST', '/v1.0/devices', body));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'DESKTOP-1', deviceId: body.deviceId, profileType: 'RegisteredDevice', trustType: 'AzureAd' });
    const filtered = await json(tenant.graph('GET', "/v1.0/devices?$filter=physicalIds/any(p:p eq '[OrderId]:Sales')"));
    expect(filtered.body.value.map((d: any) => d.id)).toEqual([created.body.id]);
  });

  it('requires the properties Graph requires and refuses a duplicate deviceId', async () => {
    const { deviceId: _omit, ...noId } = device('X');
    const missing = await json(tenant.graph('POST', '/v1.0/devices', noId));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe("Property 'deviceId' is required when creating the object.");
    const d = device('Y');
    expect((await tenant.graph('POST', '/v1.0/devices', d)).status).toBe(201);
    const dup = await json(tenant.graph('POST', '/v1.0/devices', { ...d, displayName: 'Z' }));
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toMatch(/deviceId/);
  });

  it('merges extensionAttributes on PATCH and manages registered owners and users', async () => {
    const created = await json(tenant.graph('POST', '/v1.0/devices', device('DESKTOP-2')));
    const id = created.body.id;
    expect((await tenant.graph('PATCH', `/v1.0/devices/${id}`, { extensionAttributes: { extensionAttribute1: 'kiosk' } })).status).toBe(204);
    expect((await tenant.graph('PATCH', `/v1.0/devices/${id}`, { extensionAttributes: { extensionAttribute2: 'floor 3' } })).status).toBe(204);
    const got = await json(tenant.graph('GET', `/v1.0/devices/${id}?$select=extensionAttributes`));
    expect(got.body.extensionAttributes).toMatchObject({ extensionAttribute1: 'kiosk', extensionAttribute2: 'floor 3', extensionAttribute3: null });

    const user = tenant.users[1]!;
    const add = await tenant.graph('POST', `/v1.0/devices/${id}/registeredOwners/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
    expect(add.status).toBe(204);
    const owners = await json(tenant.graph('GET', `/v1.0/devices/${id}/registeredOwners`));
    expect(owners.body.value.map((o: any) => o.id)).toEqual([user.id]);
    const owned = await json(tenant.graph('GET', `/v1.0/users/${user.id}/ownedDevices`));
    expect(owned.body.value.map((o: any) => o.id)).toEqual([id]);
    expect((await tenant.graph('DELETE', `/v1.0/devices/${id}/registeredOwners/${user.id}/$ref`)).status).toBe(204);
    expect((await tenant.graph('DELETE', `/v1.0/devices/${id}`)).status).toBe(204);
    expect((await tenant.graph('GET', `/v1.0/devices/${id}`)).status).toBe(404);
  });

  it('puts devices in assigned groups', async () => {
    const d = await json(tenant.graph('POST', '/v1.0/devices', device('DESKTOP-3')));
    const g = await json(tenant.graph('POST', '/v1.0/groups', { displayName: 'Devices', mailEnabled: false, mailNickname: 'devs', securityEnabled: true }));
    await tenant.graph('POST', `/v1.0/groups/${g.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/devices/${d.body.id}` });
    const members = await json(tenant.graph('GET', `/v1.0/groups/${g.body.id}/members/microsoft.graph.device`));
    expect(members.body.value.map((m: any) => m.displayName)).toEqual(['DESKTOP-3']);
    const memberOf = await json(tenant.graph('GET', `/v1.0/devices/${d.body.id}/memberOf`));
    expect(memberOf.body.value.map((m: any) => m.id)).toEqual([g.body.id]);
  });
});
