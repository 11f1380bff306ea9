import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appToken, createTestTenant, getToken, json, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('control API: tenants', () => {
  it('needs the control key', async () => {
    const res = await json(fetch(`${t.url}/_tarmac/tenants`, { headers: { authorization: 'Bearer wrong' } }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('Unauthorized');
  });

  it('creates an empty tenant with what every tenant has', async () => {
    const res = await json(t.control('POST', '/tenants', { displayName: 'Fabrikam', seed: 'empty' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ domain: 'fabrikam.onmicrosoft.com', users: [] });
    const token = await appToken(t.url, res.body.tenantId, res.body.admin.clientId, res.body.admin.clientSecret);
    const sps = await json(fetch(`${t.url}/v1.0/servicePrincipals?$select=appId,displayName`, { headers: { authorization: `Bearer ${token}` } }));
    expect(sps.body.value.map((s: any) => s.appId)).toEqual(
      expect.arrayContaining(['f1346770-5b25-470b-88bd-d5744ab7952c', '0000000a-0000-0000-c000-000000000000', res.body.admin.clientId]),
    );
    const mdm = await json(fetch(`${t.url}/beta/policies/mobileDeviceManagementPolicies/0000000a-0000-0000-c000-000000000000`, { headers: { authorization: `Bearer ${token}` } }));
    expect(mdm.body.displayName).toBe('Microsoft Intune');
    // A second tenant with the same name gets its own domain.
    const second = await json(t.control('POST', '/tenants', { displayName: 'Fabrikam' }));
    expect(second.body.domain).toBe('fabrikam1.onmicrosoft.com');
  });

  it('creates a demo tenant with realistic users whose passwords sign in', async () => {
    const tenant = await createTestTenant(t, 'demo');
    expect(tenant.users.length).toBeGreaterThanOrEqual(10);
    const adele = await json(tenant.graph('GET', `/beta/users/AdeleV@${tenant.domain}`));
    expect(adele.body).toMatchObject({ department: 'Retail', city: 'Bellevue', jobTitle: 'Retail Manager', usageLocation: 'US' });
    const groups = await json(tenant.graph('GET', '/v1.0/groups?$select=displayName'));
    expect(groups.body.value.length).toBeGreaterThanOrEqual(3);
  });

  it('lists and deletes tenants; a deleted tenant\'s tokens stop working', async () => {
    const tenant = await createTestTenant(t, 'empty', 'Doomed');
    const list = await json(t.control('GET', '/tenants'));
    expect(list.body.value.map((x: any) => x.tenantId)).toContain(tenant.tenantId);
    expect((await t.control('DELETE', `/tenants/${tenant.tenantId}`)).status).toBe(204);
    expect((await t.control('GET', `/tenants/${tenant.tenantId}`)).status).toBe(404);
    const after = await json(tenant.graph('GET', '/v1.0/users'));
    expect(after.status).toBe(401);
  });

  it("names each tenant's admin application (the public client the admin center signs users in with)", async () => {
    const tenant = await createTestTenant(t, 'demo', 'Admin app');
    const listed = (await json(t.control('GET', '/tenants'))).body.value.find((x: any) => x.tenantId === tenant.tenantId);
    expect(listed).toMatchObject({ domain: tenant.domain, displayName: 'Admin app', adminClientId: tenant.admin.clientId });
    const one = await json(t.control('GET', `/tenants/${tenant.tenantId}`));
    expect(one.body).toEqual({ ...listed });
    // Another application, even one named alike but not a public client, is not taken for it.
    await tenant.graph('POST', '/v1.0/applications', { displayName: 'Tarmac Admin' });
    expect((await json(t.control('GET', `/tenants/${tenant.tenantId}`))).body.adminClientId).toBe(tenant.admin.clientId);
    // The admin user signs in with it, without a secret (the password grant of a public client).
    const user = tenant.users.find((u) => u.userPrincipalName.startsWith('admin@'))!;
    const token = await json(
      getToken(t.url, tenant.tenantId, { grant_type: 'password', client_id: listed.adminClientId, username: user.userPrincipalName, password: user.password, scope: 'https://graph.microsoft.com/.default' }),
    );
    expect(token.status).toBe(200);
    // Deleted through Graph: no admin application any more.
    const apps = await json(tenant.graph('GET', `/v1.0/applications?$filter=appId eq '${tenant.admin.clientId}'`));
    expect((await tenant.graph('DELETE', `/v1.0/applications/${apps.body.value[0].id}`)).status).toBe(204);
    expect((await json(t.control('GET', `/tenants/${tenant.tenantId}`))).body.adminClientId).toBeNull();
  });

  it('refuses bad bodies with a 400 that names the field', async () => {
    const bad = await json(t.control('POST', '/tenants', { seed: 'full' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.target).toBe('seed');
  });
});

describe('control API: snapshots', () => {
  it('round-trips a tenant exactly, ids, secrets and memberships included', async () => {
    const tenant = await createTestTenant(t, 'demo', 'Snap');
    const g = await json(tenant.graph('GET', '/v1.0/groups?$top=1'));
    const snapshot = await json(t.control('GET', `/tenants/${tenant.tenantId}/snapshot`));
    expect(snapshot.body).toMatchObject({ format: 'tarmac-tenant-snapshot', version: 1, tenant: { id: tenant.tenantId } });

    // Restore into another server, then export again: identical.
    const other = await startTestServer();
    try {
      const put = await json(other.control('PUT', `/tenants/${tenant.tenantId}/snapshot`, snapshot.body));
      expect(put.status).toBe(200);
      const again = await json(other.control('GET', `/tenants/${tenant.tenantId}/snapshot`));
      expect(again.body).toEqual(snapshot.body);
      // The restored tenant works: the same admin secret signs in, the same ids answer.
      const token = await appToken(other.url, tenant.tenantId, tenant.admin.clientId, tenant.admin.clientSecret);
      const members = await json(fetch(`${other.url}/v1.0/groups/${g.body.value[0].id}/members`, { headers: { authorization: `Bearer ${token}` } }));
      expect(members.status).toBe(200);
      expect(members.body.value.length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('replaces the tenant state on import and refuses a broken document without changing anything', async () => {
    const tenant = await createTestTenant(t, 'empty', 'Replace');
    const before = await json(t.control('GET', `/tenants/${tenant.tenantId}/snapshot`));
    await tenant.graph('POST', '/v1.0/groups', { displayName: 'Later', mailEnabled: false, mailNickname: 'later', securityEnabled: true });
    const broken = structuredClone(before.body);
    broken.tables.users = [{ id: 'x' }];
    const refused = await json(t.control('PUT', `/tenants/${tenant.tenantId}/snapshot`, broken));
    expect(refused.status).toBe(400);
    expect((await json(tenant.graph('GET', '/v1.0/groups'))).body.value.map((x: any) => x.displayName)).toEqual(['Later']);
    const restored = await json(t.control('PUT', `/tenants/${tenant.tenantId}/snapshot`, before.body));
    expect(restored.status).toBe(200);
    expect((await json(tenant.graph('GET', '/v1.0/groups'))).body.value).toEqual([]);
  });
});
