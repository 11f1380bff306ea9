import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, getToken, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

const newUser = (nick: string, extra: Record<string, unknown> = {}) => ({
  accountEnabled: true,
  displayName: `User ${nick}`,
  mailNickname: nick,
  userPrincipalName: `${nick}@${tenant.domain}`,
  passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
  ...extra,
});

describe('users', () => {
  it('creates a user and returns the v1.0 default properties with 201', async () => {
    const { status, body } = await json(tenant.graph('POST', '/v1.0/users', newUser('adam', { department: 'Sales', city: 'Oslo' })));
    expect(status).toBe(201);
    expect(body['@odata.context']).toBe(`${t.url}/v1.0/$metadata#users/$entity`);
    expect(body).toMatchObject({ displayName: 'User adam', userPrincipalName: `adam@${tenant.domain}`, businessPhones: [], jobTitle: null });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    // v1.0 returns only the default set unless $select asks for more.
    expect(body).not.toHaveProperty('department');
    const selected = await json(tenant.graph('GET', `/v1.0/users/${body.id}?$select=department,city,passwordProfile`));
    expect(selected.body).toMatchObject({ department: 'Sales', city: 'Oslo', passwordProfile: { password: null, forceChangePasswordNextSignIn: true } });
    // beta returns every stored property.
    const beta = await json(tenant.graph('GET', `/beta/users/${body.id}`));
    expect(beta.body).toMatchObject({ department: 'Sales', accountEnabled: true, userType: 'Member' });
  });

  it('addresses a user by id or userPrincipalName, in segment or key form', async () => {
    const upn = `admin@${tenant.domain}`;
    const byUpn = await json(tenant.graph('GET', `/v1.0/users/${upn.toUpperCase()}`));
    expect(byUpn.status).toBe(200);
    const byKey = await json(tenant.graph('GET', `/v1.0/users('${byUpn.body.id}')`));
    expect(byKey.body.userPrincipalName).toBe(upn);
    const casePath = await json(tenant.graph('GET', `/V1.0/Users/${byUpn.body.id}`));
    expect(casePath.status).toBe(200);
  });

  it('refuses a duplicate userPrincipalName, case-insensitively', async () => {
    await tenant.graph('POST', '/v1.0/users', newUser('dup'));
    const { status, body } = await json(tenant.graph('POST', '/v1.0/users', newUser('DUP', { mailNickname: 'dup2' })));
    expect(status).toBe(400);
    expect(body.error.code).toBe('Request_BadRequest');
    expect(body.error.message).toBe('Another object with the same value for property userPrincipalName already exists.');
  });

  it('refuses a UPN outside the verified domains and a weak password', async () => {
    const foreign = await json(tenant.graph('POST', '/v1.0/users', newUser('x', { userPrincipalName: 'x@fabrikam.com' })));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/domain portion of the userPrincipalName/);
    const weak = await json(tenant.graph('POST', '/v1.0/users', newUser('weak', { passwordProfile: { password: 'password' } })));
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/password complexity/);
  });

  it('updates with PATCH (204) and changes the password used to sign in', async () => {
    const created = await json(tenant.graph('POST', '/v1.0/users', newUser('pat')));
    const patch = await tenant.graph('PATCH', `/v1.0/users/${created.body.id}`, { jobTitle: 'Engineer', passwordProfile: { password: 'N3w-Passw0rd!' } });
    expect(patch.status).toBe(204);
    const got = await json(tenant.graph('GET', `/v1.0/users/${created.body.id}`));
    expect(got.body.jobTitle).toBe('Engineer');
    const token = await getToken(t.url, tenant.tenantId, {
      grant_type: 'password',
      client_id: tenant.admin.clientId,
      username: `pat@${tenant.domain}`,
      password: 'N3w-Passw0rd!',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(token.status).toBe(200);
  });

  it('deletes a user (204), after which it is gone and no longer a member anywhere', async () => {
    const created = await json(tenant.graph('POST', '/v1.0/users', newUser('gone')));
    const group = await json(tenant.graph('POST', '/v1.0/groups', { displayName: 'G', mailEnabled: false, mailNickname: 'g', securityEnabled: true }));
    await tenant.graph('POST', `/v1.0/groups/${group.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${created.body.id}` });
    expect((await tenant.graph('DELETE', `/v1.0/users/${created.body.id}`)).status).toBe(204);
    const after = await json(tenant.graph('GET', `/v1.0/users/${created.body.id}`));
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('Request_ResourceNotFound');
    const members = await json(tenant.graph('GET', `/v1.0/groups/${group.body.id}/members`));
    expect(members.body.value).toEqual([]);
  });

  it('filters on the attributes rules use', async () => {
    const sales = await json(tenant.graph('GET', "/v1.0/users?$filter=department eq 'sales'&$select=displayName,department"));
    expect(sales.status).toBe(200);
    expect(sales.body.value.length).toBeGreaterThanOrEqual(3);
    expect(sales.body.value.every((u: any) => u.department === 'Sales')).toBe(true);
    const starts = await json(tenant.graph('GET', "/v1.0/users?$filter=startswith(displayName,'meg')"));
    expect(starts.body.value.map((u: any) => u.displayName)).toEqual(['Megan Bowen']);
  });

  it('sets a manager, lists direct reports and expands them', async () => {
    const [boss, report] = [tenant.users[10]!, tenant.users[11]!];
    const set = await tenant.graph('PUT', `/v1.0/users/${report.id}/manager/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${boss.id}` });
    expect(set.status).toBe(204);
    const manager = await json(tenant.graph('GET', `/v1.0/users/${report.id}/manager`));
    expect(manager.body).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: boss.id });
    const reports = await json(tenant.graph('GET', `/v1.0/users/${boss.id}/directReports`));
    expect(reports.body.value.map((u: any) => u.id)).toEqual([report.id]);
    const expanded = await json(tenant.graph('GET', `/v1.0/users/${report.id}?$expand=manager($select=displayName)`));
    expect(expanded.body.manager).toMatchObject({ id: boss.id, displayName: expect.any(String) });
    const listExpand = await json(tenant.graph('GET', `/v1.0/users?$filter=id eq '${boss.id}'&$expand=directReports`));
    expect(listExpand.body.value[0].directReports.map((u: any) => u.id)).toEqual([report.id]);
    const unknown = await json(tenant.graph('GET', `/v1.0/users/${report.id}?$expand=bogus`));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Could not find a property named 'bogus' on type 'microsoft.graph.user'/);
    expect((await tenant.graph('DELETE', `/v1.0/users/${report.id}/manager/$ref`)).status).toBe(204);
    expect((await tenant.graph('GET', `/v1.0/users/${report.id}/manager`)).status).toBe(404);
  });

  it('answers /me for a delegated token only', async () => {
    const user = tenant.users[5]!;
    const token = await json(
      getToken(t.url, tenant.tenantId, { grant_type: 'password', client_id: tenant.admin.clientId, username: user.userPrincipalName, password: user.password, scope: 'https://graph.microsoft.com/.default' }),
    );
    const me = await json(tenant.graphAs(token.body.access_token, 'GET', '/v1.0/me'));
    expect(me.body).toMatchObject({ id: user.id, userPrincipalName: user.userPrincipalName });
    const memberOf = await json(tenant.graphAs(token.body.access_token, 'GET', '/v1.0/me/memberOf'));
    expect(memberOf.status).toBe(200);
    const appOnly = await json(tenant.graph('GET', '/v1.0/me'));
    expect(appOnly.status).toBe(400);
    expect(appOnly.body.error.message).toBe('/me request is only valid with delegated authentication flow.');
  });

  it('keeps beta-only properties out of v1.0', async () => {
    const created = await json(tenant.graph('POST', '/beta/users', newUser('betty', { infoCatalogs: ['HR'] })));
    expect(created.status).toBe(201);
    expect((await json(tenant.graph('GET', `/beta/users/${created.body.id}`))).body.infoCatalogs).toEqual(['HR']);
    const v1 = await json(tenant.graph('GET', `/v1.0/users/${created.body.id}?$select=infoCatalogs`));
    expect(v1.status).toBe(400);
    expect(v1.body.error.message).toBe("Could not find a property named 'infoCatalogs' on type 'microsoft.graph.user'.");
  });
});
