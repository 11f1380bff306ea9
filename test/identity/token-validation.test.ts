// Who may call what: the token endpoint's AADSTS errors, access tokens that must be refused (expired,
// forged, for another audience, malformed, missing), tenant isolation (a token of tenant A sees nothing of
// tenant B) and permissions (a missing Graph permission is a 403 on reads and writes alike).
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/identity/tokens.js';
import { appToken, createTestTenant, getToken, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { expectEntraError, expectGraphError } from '../helpers/errors.js';

const PASSWORD = 'Tarmac-Test-Passw0rd!';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

let t: TestServer;
let a: TestTenant;
let b: TestTenant;
/** Objects of tenant B that tenant A must never see. */
const theirs = { user: '', upn: '', group: '', device: '', app: '', sp: '' };
const ours = { user: '', upn: '', disabledUpn: '', group: '', adminApp: '' };

async function created(res: Promise<Response>): Promise<any> {
  const r = await json(res);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function tenantState(tenant: TestTenant): Promise<unknown> {
  const res = await t.control('GET', `/tenants/${tenant.tenantId}/snapshot`);
  expect(res.status).toBe(200);
  return res.json();
}

const user = (tenant: TestTenant, nickname: string, extra: Record<string, unknown> = {}) => ({
  accountEnabled: true,
  displayName: nickname,
  mailNickname: nickname,
  userPrincipalName: `${nickname}@${tenant.domain}`,
  passwordProfile: { password: PASSWORD },
  ...extra,
});
const group = (nickname: string) => ({ displayName: nickname, mailEnabled: false, mailNickname: nickname, securityEnabled: true });

/** A test application of tenant A with exactly these Graph permissions, and its app-only token. */
async function appWith(permissions: string[]): Promise<{ clientId: string; clientSecret: string; token: string }> {
  const res = await json(t.control('POST', `/tenants/${a.tenantId}/applications`, { displayName: `App ${permissions.join(' ') || 'without permissions'}`, permissions }));
  expect(res.status).toBe(201);
  return { ...res.body, token: await appToken(t.url, a.tenantId, res.body.clientId, res.body.clientSecret) };
}

/** The server's own signing key, to mint tokens that are correctly signed but wrong in another way. */
async function serverKey(): Promise<{ kid: string; key: CryptoKey | Uint8Array }> {
  const row = await t.server.ctx.db.kysely.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').executeTakeFirstOrThrow();
  return { kid: row.kid, key: await importJWK(JSON.parse(row.private_jwk) as JWK, 'RS256') };
}

function sign(claims: Record<string, unknown>, key: CryptoKey | Uint8Array, header: Record<string, unknown>, lifetime = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header })
    .setIssuedAt(now)
    .setNotBefore(now - 300)
    .setExpirationTime(now + lifetime)
    .sign(key);
}

beforeAll(async () => {
  t = await startTestServer();
  a = await createTestTenant(t, 'empty', 'Tenant A');
  b = await createTestTenant(t, 'empty', 'Tenant B');
  const mine = await created(a.graph('POST', '/v1.0/users', user(a, 'adele')));
  Object.assign(ours, { user: mine.id, upn: mine.userPrincipalName });
  ours.disabledUpn = (await created(a.graph('POST', '/v1.0/users', user(a, 'leaver', { accountEnabled: false })))).userPrincipalName;
  ours.group = (await created(a.graph('POST', '/v1.0/groups', group('ours')))).id;
  ours.adminApp = (await json(a.graph('GET', `/v1.0/applications?$filter=appId eq '${a.admin.clientId}'`))).body.value[0].id;

  const other = await created(b.graph('POST', '/v1.0/users', user(b, 'megan')));
  Object.assign(theirs, { user: other.id, upn: other.userPrincipalName });
  theirs.group = (await created(b.graph('POST', '/v1.0/groups', group('theirs')))).id;
  theirs.device = (
    await created(
      b.graph('POST', '/v1.0/devices', {
        accountEnabled: true,
        alternativeSecurityIds: [{ type: 2, key: 'a2V5' }],
        deviceId: randomUUID(),
        displayName: 'THEIR-PC',
        operatingSystem: 'Windows',
        operatingSystemVersion: '10.0.26100.1',
      }),
    )
  ).id;
  const app = await created(b.graph('POST', '/v1.0/applications', { displayName: 'Their app' }));
  theirs.app = app.id;
  theirs.sp = (await created(b.graph('POST', '/v1.0/servicePrincipals', { appId: app.appId }))).id;
  await b.graph('POST', `/v1.0/groups/${theirs.group}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${theirs.user}` });
});
afterAll(() => t?.close());

describe('token endpoint errors (AADSTS)', () => {
  const clientCredentials = () => ({ grant_type: 'client_credentials', client_id: a.admin.clientId, client_secret: a.admin.clientSecret, scope: GRAPH_SCOPE });
  const password = (username: string, pwd: string, scope = GRAPH_SCOPE) => ({
    grant_type: 'password',
    client_id: a.admin.clientId,
    client_secret: a.admin.clientSecret,
    username,
    password: pwd,
    scope,
  });
  const without = (form: Record<string, string>, key: string) => {
    const { [key]: _omitted, ...rest } = form;
    return rest;
  };
  const cases: { name: string; tenant?: () => string; form: () => Record<string, string>; status: number; error: string; code: number }[] = [
    { name: 'an unknown tenant id', tenant: () => randomUUID(), form: clientCredentials, status: 400, error: 'invalid_request', code: 90002 },
    { name: 'an unknown tenant domain', tenant: () => 'nowhere.onmicrosoft.com', form: clientCredentials, status: 400, error: 'invalid_request', code: 90002 },
    { name: 'a tenant domain with a NUL character', tenant: () => `${a.domain.split('.')[0]}%00.onmicrosoft.com`, form: clientCredentials, status: 400, error: 'invalid_request', code: 90002 },
    { name: 'a missing grant_type', form: () => without(clientCredentials(), 'grant_type'), status: 400, error: 'invalid_request', code: 900144 },
    { name: 'a missing client_id', form: () => without(clientCredentials(), 'client_id'), status: 400, error: 'invalid_request', code: 900144 },
    { name: 'an unknown client', form: () => ({ ...clientCredentials(), client_id: randomUUID() }), status: 400, error: 'unauthorized_client', code: 700016 },
    { name: 'a client id that is not a GUID', form: () => ({ ...clientCredentials(), client_id: 'my-app' }), status: 400, error: 'unauthorized_client', code: 700016 },
    { name: "another tenant's client", form: () => ({ ...clientCredentials(), client_id: b.admin.clientId, client_secret: b.admin.clientSecret }), status: 400, error: 'unauthorized_client', code: 700016 },
    { name: 'a wrong client secret', form: () => ({ ...clientCredentials(), client_secret: `${a.admin.clientSecret}x` }), status: 401, error: 'invalid_client', code: 7000215 },
    { name: 'client credentials without a secret', form: () => without(clientCredentials(), 'client_secret'), status: 401, error: 'invalid_client', code: 7000218 },
    { name: 'an unsupported grant type', form: () => ({ ...clientCredentials(), grant_type: 'urn:ietf:params:oauth:grant-type:magic' }), status: 400, error: 'unsupported_grant_type', code: 70003 },
    { name: 'a missing scope', form: () => without(clientCredentials(), 'scope'), status: 400, error: 'invalid_request', code: 900144 },
    { name: 'a scope without /.default', form: () => ({ ...clientCredentials(), scope: 'https://graph.microsoft.com/User.Read.All' }), status: 400, error: 'invalid_scope', code: 1002012 },
    { name: 'a scope of another resource', form: () => ({ ...clientCredentials(), scope: 'https://management.azure.com/.default' }), status: 400, error: 'invalid_resource', code: 500011 },
    { name: 'a wrong password', form: () => password(ours.upn, `${PASSWORD}x`), status: 400, error: 'invalid_grant', code: 50126 },
    { name: 'an unknown user', form: () => password(`nobody@${a.domain}`, PASSWORD), status: 400, error: 'invalid_grant', code: 50126 },
    { name: "a user of another tenant", form: () => password(theirs.upn, PASSWORD), status: 400, error: 'invalid_grant', code: 50126 },
    { name: 'a username with a NUL character', form: () => password(`${ours.upn}\u0000`, PASSWORD), status: 400, error: 'invalid_grant', code: 50126 },
    { name: 'a disabled user', form: () => password(ours.disabledUpn, PASSWORD), status: 400, error: 'invalid_grant', code: 50057 },
    { name: 'a password grant without username', form: () => without(password(ours.upn, PASSWORD), 'username'), status: 400, error: 'invalid_request', code: 900144 },
    { name: 'a password grant without password', form: () => without(password(ours.upn, PASSWORD), 'password'), status: 400, error: 'invalid_request', code: 900144 },
    { name: 'a password grant for a permission the app was not granted', form: () => password(ours.upn, PASSWORD, 'https://graph.microsoft.com/Mail.Send'), status: 400, error: 'invalid_grant', code: 65001 },
  ];
  it.each(cases)('refuses $name', async (c) => {
    await expectEntraError(await getToken(t.url, c.tenant?.() ?? a.tenantId, c.form()), c.status, c.error, c.code);
  });

  it('treats a JSON body as missing form fields (AADSTS900144), not as a server error', async () => {
    const res = await fetch(`${t.url}/${a.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 12345, client_secret: { value: 'x' }, scope: GRAPH_SCOPE }),
    });
    const body = await expectEntraError(res, 400, 'invalid_request', 900144);
    expect(body.error_description).toContain("'client_id'");
  });

  it('treats a text body as missing grant_type', async () => {
    const res = await fetch(`${t.url}/${a.tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' });
    await expectEntraError(res, 400, 'invalid_request', 900144);
  });

  it('refuses Basic credentials with a malformed percent-encoding without failing', async () => {
    const res = await fetch(`${t.url}/${a.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('%E0%A4%A:secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: GRAPH_SCOPE }).toString(),
    });
    await expectEntraError(res, 400, 'invalid_request', 900144);
  });

  it('refuses a Basic secret that is wrong', async () => {
    const res = await fetch(`${t.url}/${a.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${a.admin.clientId}:wrong`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: GRAPH_SCOPE }).toString(),
    });
    await expectEntraError(res, 401, 'invalid_client', 7000215);
  });

  it('refuses a removed client secret', async () => {
    const app = await appWith(['User.Read.All']);
    const apps = await json(a.graph('GET', `/v1.0/applications?$filter=appId eq '${app.clientId}'`));
    const application = apps.body.value[0];
    const keyId = application.passwordCredentials[0].keyId;
    expect((await a.graph('POST', `/v1.0/applications/${application.id}/removePassword`, { keyId })).status).toBe(204);
    await expectEntraError(await getToken(t.url, a.tenantId, { ...clientCredentials(), client_id: app.clientId, client_secret: app.clientSecret }), 401, 'invalid_client', 7000215);
  });
});

describe('access tokens Graph refuses', () => {
  /** Each refused token is tried on a write: a 401 with Graph's envelope, and nothing created. */
  async function refused(authorization: string | undefined, message?: RegExp | string) {
    const before = await tenantState(a);
    const res = await fetch(`${t.url}/v1.0/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
      body: JSON.stringify(group(`g${randomUUID().slice(0, 8)}`)),
    });
    await expectGraphError(res, 401, { code: 'InvalidAuthenticationToken', ...(message ? { message } : {}) });
    expect(await tenantState(a)).toEqual(before);
  }
  const claimsOf = (token: string) => decodeJwt(token) as Record<string, unknown>;

  it('accepts the genuine token, so the refusals below are about the token alone', async () => {
    const res = await a.graph('POST', '/v1.0/groups', group('genuine'));
    expect(res.status).toBe(201);
  });

  it('refuses a request without Authorization', () => refused(undefined, 'Access token is empty.'));
  it('refuses an empty bearer token', () => refused('Bearer ', 'Access token is empty.'));
  it('refuses a Basic authorization', () => refused(`Basic ${Buffer.from('admin:admin').toString('base64')}`));
  it('refuses a token that is not a JWT', () => refused('Bearer not-a-token', 'not well formed'));
  it('refuses three segments of garbage', () => refused('Bearer aaa.bbb.ccc'));
  it('refuses a token with a JSON header but no signature', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: decodeProtectedHeader(a.token).kid })).toString('base64url');
    await refused(`Bearer ${header}.${a.token.split('.')[1]}.`, 'Invalid signature');
  });

  it('refuses an expired token signed by the server', async () => {
    const twoHoursAgo = { now: () => Date.now() - 2 * 3600 * 1000 };
    const past = new TokenService(t.server.ctx.db, twoHoursAgo);
    await past.init();
    const claims = claimsOf(a.token);
    const { accessToken } = await past.issueAppToken({
      tenantId: a.tenantId,
      appId: String(claims.appid),
      servicePrincipalId: String(claims.oid),
      appDisplayName: 'Tarmac Admin',
      roles: claims.roles as string[],
    });
    expect(decodeProtectedHeader(accessToken).kid).toBe(decodeProtectedHeader(a.token).kid);
    await refused(`Bearer ${accessToken}`, 'expired');
  });

  it('refuses a token that is not valid yet', async () => {
    const future = new TokenService(t.server.ctx.db, { now: () => Date.now() + 3 * 3600 * 1000 });
    await future.init();
    const claims = claimsOf(a.token);
    const { accessToken } = await future.issueAppToken({ tenantId: a.tenantId, appId: String(claims.appid), servicePrincipalId: String(claims.oid), appDisplayName: 'x', roles: claims.roles as string[] });
    await refused(`Bearer ${accessToken}`, 'not yet valid');
  });

  it("refuses a forged token: the server's key id, another key's signature", async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await sign(claimsOf(a.token), privateKey, { kid: decodeProtectedHeader(a.token).kid });
    await refused(`Bearer ${forged}`, 'Invalid signature');
  });

  it('refuses a token signed by an unknown key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await refused(`Bearer ${await sign(claimsOf(a.token), privateKey, { kid: 'someone-elses-key' })}`, 'Invalid signature');
  });

  it('refuses a genuine token whose claims were edited', async () => {
    const [header, , signature] = a.token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(a.token), tid: b.tenantId })).toString('base64url');
    await refused(`Bearer ${header}.${payload}.${signature}`, 'Invalid signature');
  });

  it("refuses an unsigned token ('alg: none')", async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: decodeProtectedHeader(a.token).kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claimsOf(a.token))).toString('base64url');
    await refused(`Bearer ${header}.${payload}.`);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const jwks = await json(fetch(`${t.url}/${a.tenantId}/discovery/v2.0/keys`));
    const publicJwk = JSON.stringify(jwks.body.keys[0]);
    const token = await new SignJWT(claimsOf(a.token))
      .setProtectedHeader({ alg: 'HS256', kid: decodeProtectedHeader(a.token).kid })
      .sign(new TextEncoder().encode(publicJwk));
    await refused(`Bearer ${token}`);
  });

  it('refuses a token for another audience, though signed by the server', async () => {
    const { kid, key } = await serverKey();
    await refused(`Bearer ${await sign({ ...claimsOf(a.token), aud: 'https://management.azure.com' }, key, { kid })}`, 'Invalid audience');
  });

  it('refuses an id_token used as an access token', async () => {
    const res = await json(
      getToken(t.url, a.tenantId, {
        grant_type: 'password',
        client_id: a.admin.clientId,
        client_secret: a.admin.clientSecret,
        username: ours.upn,
        password: PASSWORD,
        scope: `openid profile ${GRAPH_SCOPE}`,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.id_token).toEqual(expect.any(String));
    await refused(`Bearer ${res.body.id_token}`, 'Invalid audience');
  });

  it('refuses a token without a tenant claim', async () => {
    const { kid, key } = await serverKey();
    const { tid: _tid, ...claims } = claimsOf(a.token);
    await refused(`Bearer ${await sign(claims, key, { kid })}`, 'missing required claims');
  });

  it('refuses a token of a tenant that does not exist', async () => {
    const { kid, key } = await serverKey();
    await refused(`Bearer ${await sign({ ...claimsOf(a.token), tid: randomUUID() }, key, { kid })}`, 'Invalid tenant');
  });

  it('refuses the token of a deleted tenant', async () => {
    const gone = await createTestTenant(t, 'empty', 'Short lived');
    expect((await gone.graph('GET', '/v1.0/users')).status).toBe(200);
    expect((await t.control('DELETE', `/tenants/${gone.tenantId}`)).status).toBe(204);
    await expectGraphError(await gone.graph('GET', '/v1.0/users'), 401, { code: 'InvalidAuthenticationToken', message: 'Invalid tenant' });
  });
});

describe("a token of tenant A and tenant B's objects", () => {
  const notFound = { code: 'Request_ResourceNotFound', message: 'does not exist' };

  it.each([
    ['user by id', () => `/v1.0/users/${theirs.user}`],
    ['user by userPrincipalName', () => `/v1.0/users/${theirs.upn}`],
    ['user in the OData key form', () => `/v1.0/users('${theirs.user}')`],
    ['group', () => `/v1.0/groups/${theirs.group}`],
    ['group members', () => `/v1.0/groups/${theirs.group}/members`],
    ['device', () => `/v1.0/devices/${theirs.device}`],
    ['application', () => `/v1.0/applications/${theirs.app}`],
    ['service principal', () => `/beta/servicePrincipals/${theirs.sp}`],
    ['directory object', () => `/v1.0/directoryObjects/${theirs.user}`],
    ["user's memberOf", () => `/v1.0/users/${theirs.user}/memberOf`],
  ])('GET %s is a 404', async (_label, path) => {
    await expectGraphError(await a.graph('GET', path()), 404, notFound);
  });

  it('lists only its own objects', async () => {
    for (const [path, mine, other] of [
      ['/v1.0/users', ours.user, theirs.user],
      ['/v1.0/groups', ours.group, theirs.group],
    ] as const) {
      const res = await json(a.graph('GET', `${path}?$top=999`));
      expect(res.status).toBe(200);
      const ids = res.body.value.map((o: { id: string }) => o.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(other);
    }
    const devices = await json(a.graph('GET', '/v1.0/devices'));
    expect(devices.body.value).toEqual([]);
    const count = await a.graph('GET', '/v1.0/users/$count', undefined, { consistencylevel: 'eventual' });
    const mineCount = (await json(a.graph('GET', '/v1.0/users?$top=999'))).body.value.length;
    expect(Number(await count.text())).toBe(mineCount);
  });

  it("finds nothing of B by filter, search or getByIds", async () => {
    const byId = await json(a.graph('GET', `/v1.0/users?$filter=id eq '${theirs.user}'`));
    expect(byId.body.value).toEqual([]);
    const byUpn = await json(a.graph('GET', `/v1.0/users?$filter=userPrincipalName eq '${theirs.upn}'`));
    expect(byUpn.body.value).toEqual([]);
    const search = await json(a.graph('GET', '/v1.0/users?$search="displayName:megan"', undefined, { consistencylevel: 'eventual' }));
    expect(search.body.value).toEqual([]);
    const byIds = await json(a.graph('POST', '/v1.0/directoryObjects/getByIds', { ids: [theirs.user, theirs.group, theirs.device, ours.user] }));
    expect(byIds.body.value.map((o: { id: string }) => o.id)).toEqual([ours.user]);
    const check = await json(a.graph('POST', `/v1.0/directoryObjects/${ours.user}/checkMemberGroups`, { groupIds: [theirs.group] }));
    expect(check.body.value).toEqual([]);
  });

  it("cannot change or delete B's objects, or link them into A", async () => {
    const before = { a: await tenantState(a), b: await tenantState(b) };
    await expectGraphError(await a.graph('PATCH', `/v1.0/users/${theirs.user}`, { jobTitle: 'Hijacked' }), 404, notFound);
    await expectGraphError(await a.graph('DELETE', `/v1.0/groups/${theirs.group}`), 404, notFound);
    await expectGraphError(await a.graph('DELETE', `/v1.0/devices/${theirs.device}`), 404, notFound);
    await expectGraphError(await a.graph('POST', `/v1.0/applications/${theirs.app}/addPassword`, {}), 404, notFound);
    await expectGraphError(await a.graph('POST', `/v1.0/groups/${theirs.group}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ours.user}` }), 404, notFound);
    await expectGraphError(await a.graph('POST', `/v1.0/groups/${ours.group}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${theirs.user}` }), 404, notFound);
    await expectGraphError(await a.graph('DELETE', `/v1.0/groups/${theirs.group}/members/${theirs.user}/$ref`), 404, notFound);
    await expectGraphError(
      await a.graph('PUT', '/v1.0/policies/deviceRegistrationPolicy', {
        userDeviceQuota: 5,
        azureADJoin: { allowedToJoin: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [theirs.user], groups: [] } },
      }),
      400,
      { code: 'Request_BadRequest', message: theirs.user },
    );
    const batch = await json(a.graph('POST', '/v1.0/$batch', { requests: [{ id: '1', method: 'DELETE', url: `/users/${theirs.user}` }] }));
    expect(batch.body.responses[0]).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect({ a: await tenantState(a), b: await tenantState(b) }).toEqual(before);
    // B still sees its own objects as they were.
    const mine = await json(b.graph('GET', `/v1.0/users/${theirs.user}?$select=id,jobTitle`));
    expect(mine.body).toMatchObject({ id: theirs.user, jobTitle: null });
  });
});

describe('permissions', () => {
  const denied = { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };
  let reader: Awaited<ReturnType<typeof appWith>>;
  let nothing: Awaited<ReturnType<typeof appWith>>;
  let memberWriter: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    reader = await appWith(['User.Read.All']);
    nothing = await appWith([]);
    memberWriter = await appWith(['GroupMember.ReadWrite.All']);
  });

  it('lets an app read what it was granted', async () => {
    expect((await a.graphAs(reader.token, 'GET', '/v1.0/users')).status).toBe(200);
    expect((await a.graphAs(reader.token, 'GET', `/v1.0/users/${ours.user}`)).status).toBe(200);
  });

  it.each([
    ['GET', '/v1.0/users', undefined],
    ['GET', '/v1.0/groups', undefined],
    ['GET', '/v1.0/devices', undefined],
    ['GET', '/v1.0/applications', undefined],
    ['GET', '/v1.0/policies/deviceRegistrationPolicy', undefined],
    ['GET', '/beta/policies/mobileDeviceManagementPolicies', undefined],
  ])('answers an app without permissions 403 on %s %s', async (method, path, body) => {
    await expectGraphError(await a.graphAs(nothing.token, method, path, body), 403, denied);
  });

  const forbiddenForReader: [string, () => string, (() => unknown) | undefined][] = [
    ['GET', () => '/v1.0/groups', undefined],
    ['GET', () => `/v1.0/groups/${ours.group}/members`, undefined],
    ['GET', () => '/v1.0/devices', undefined],
    ['GET', () => '/v1.0/policies/deviceRegistrationPolicy', undefined],
    ['POST', () => '/v1.0/users', () => user(a, `new${randomUUID().slice(0, 6)}`)],
    ['PATCH', () => `/v1.0/users/${ours.user}`, () => ({ jobTitle: 'Promoted' })],
    ['DELETE', () => `/v1.0/users/${ours.user}`, () => undefined],
    ['POST', () => '/v1.0/groups', () => group('denied')],
    ['POST', () => `/v1.0/groups/${ours.group}/members/$ref`, () => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ours.user}` })],
    ['POST', () => '/v1.0/applications', () => ({ displayName: 'Escalation' })],
    ['POST', () => `/v1.0/applications/${ours.adminApp}/addPassword`, () => ({})],
    ['POST', () => '/v1.0/servicePrincipals', () => ({ appId: 'f1346770-5b25-470b-88bd-d5744ab7952c' })],
    ['PUT', () => '/v1.0/policies/deviceRegistrationPolicy', () => ({ userDeviceQuota: 0 })],
    ['PATCH', () => '/beta/policies/mobileDeviceManagementPolicies/0000000a-0000-0000-c000-000000000000', () => ({ appliesTo: 'all' })],
  ];
  it.each(forbiddenForReader)('answers a User.Read.All app 403 on %s, and changes nothing', async (method, path, body) => {
    const before = await tenantState(a);
    await expectGraphError(await a.graphAs(reader.token, method, path(), body?.()), 403, denied);
    expect(await tenantState(a)).toEqual(before);
  });

  it('checks permissions before the body, so a denied caller learns nothing from validation', async () => {
    await expectGraphError(await a.graphAs(reader.token, 'POST', '/v1.0/groups', { bogus: true }), 403, denied);
  });

  it('applies permissions inside $batch', async () => {
    const before = await tenantState(a);
    const res = await json(
      a.graphAs(reader.token, 'POST', '/v1.0/$batch', {
        requests: [
          { id: '1', method: 'GET', url: '/users' },
          { id: '2', method: 'POST', url: '/groups', headers: { 'content-type': 'application/json' }, body: group('batched') },
        ],
      }),
    );
    expect(res.body.responses.map((r: { status: number }) => r.status)).toEqual([200, 403]);
    expect(res.body.responses[1].body.error.code).toBe('Authorization_RequestDenied');
    expect(await tenantState(a)).toEqual(before);
  });

  it('lets GroupMember.ReadWrite.All change members but not the group itself', async () => {
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ours.user}` };
    expect((await a.graphAs(memberWriter.token, 'POST', `/v1.0/groups/${ours.group}/members/$ref`, ref)).status).toBe(204);
    const before = await tenantState(a);
    await expectGraphError(await a.graphAs(memberWriter.token, 'PATCH', `/v1.0/groups/${ours.group}`, { description: 'x' }), 403, denied);
    await expectGraphError(await a.graphAs(memberWriter.token, 'DELETE', `/v1.0/groups/${ours.group}`), 403, denied);
    expect(await tenantState(a)).toEqual(before);
    expect((await a.graphAs(memberWriter.token, 'DELETE', `/v1.0/groups/${ours.group}/members/${ours.user}/$ref`)).status).toBe(204);
  });

  it('limits a delegated token to the scopes it was issued for', async () => {
    const res = await json(
      getToken(t.url, a.tenantId, {
        grant_type: 'password',
        client_id: a.admin.clientId,
        client_secret: a.admin.clientSecret,
        username: ours.upn,
        password: PASSWORD,
        scope: 'https://graph.microsoft.com/User.Read.All',
      }),
    );
    expect(res.status).toBe(200);
    expect((await a.graphAs(res.body.access_token, 'GET', '/v1.0/users')).status).toBe(200);
    await expectGraphError(await a.graphAs(res.body.access_token, 'GET', '/v1.0/groups'), 403, denied);
    await expectGraphError(await a.graphAs(res.body.access_token, 'PATCH', `/v1.0/users/${ours.user}`, { jobTitle: 'x' }), 403, denied);
  });
});
