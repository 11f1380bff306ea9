import { decodeJwt, decodeProtectedHeader, createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appToken, createTestTenant, getToken, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

describe('identity endpoints', () => {
  it('publishes OpenID configuration and keys that verify the issued tokens', async () => {
    const config = await json(fetch(`${t.url}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`));
    expect(config.body).toMatchObject({
      issuer: `${t.url}/${tenant.tenantId}/v2.0`,
      token_endpoint: `${t.url}/${tenant.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${t.url}/${tenant.tenantId}/discovery/v2.0/keys`,
    });
    expect(config.body.authorization_endpoint).toBeTruthy();
    const byDomain = await json(fetch(`${t.url}/${tenant.domain}/v2.0/.well-known/openid-configuration`));
    expect(byDomain.body.token_endpoint).toBe(config.body.token_endpoint);
    const jwks = createRemoteJWKSet(new URL(config.body.jwks_uri));
    const { payload } = await jwtVerify(tenant.token, jwks, { audience: 'https://graph.microsoft.com' });
    expect(payload.tid).toBe(tenant.tenantId);
  });

  it('issues app-only tokens shaped like Entra\'s', () => {
    const header = decodeProtectedHeader(tenant.token);
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(header.kid).toBeTruthy();
    const claims = decodeJwt(tenant.token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      appid: tenant.admin.clientId,
      appidacr: '1',
      idtyp: 'app',
      tid: tenant.tenantId,
      ver: '1.0',
    });
    expect(claims.roles).toEqual(expect.arrayContaining(['User.ReadWrite.All', 'Group.ReadWrite.All', 'Policy.ReadWrite.DeviceConfiguration']));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3599);
  });

  it('issues delegated tokens with scp and upn for the password grant', async () => {
    const user = tenant.users[1]!;
    const res = await json(
      getToken(t.url, tenant.tenantId, {
        grant_type: 'password',
        client_id: tenant.admin.clientId,
        username: user.userPrincipalName,
        password: user.password,
        scope: 'openid profile https://graph.microsoft.com/User.Read.All',
      }),
    );
    expect(res.status).toBe(200);
    const claims = decodeJwt(res.body.access_token);
    expect(claims).toMatchObject({ scp: 'User.Read.All', upn: user.userPrincipalName, oid: user.id, idtyp: 'user' });
    expect(decodeJwt(res.body.id_token)).toMatchObject({ aud: tenant.admin.clientId, preferred_username: user.userPrincipalName });
    const read = await tenant.graphAs(res.body.access_token, 'GET', '/v1.0/users?$top=1');
    expect(read.status).toBe(200);
    const write = await json(tenant.graphAs(res.body.access_token, 'POST', '/v1.0/groups', { displayName: 'x', mailEnabled: false, mailNickname: 'x', securityEnabled: true }));
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('answers token errors with AADSTS codes', async () => {
    const wrongSecret = await json(
      getToken(t.url, tenant.tenantId, { grant_type: 'client_credentials', client_id: tenant.admin.clientId, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' }),
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(wrongSecret.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    const badUser = await json(
      getToken(t.url, tenant.tenantId, { grant_type: 'password', client_id: tenant.admin.clientId, username: tenant.users[0]!.userPrincipalName, password: 'wrong', scope: 'https://graph.microsoft.com/.default' }),
    );
    expect(badUser.body).toMatchObject({ error: 'invalid_grant', error_codes: [50126] });
    const noTenant = await json(getToken(t.url, 'nowhere.onmicrosoft.com', { grant_type: 'client_credentials' }));
    expect(noTenant.body.error_codes).toEqual([90002]);
  });
});

describe('applications and service principals', () => {
  it('creates an application, adds a secret that signs in, and removes it again', async () => {
    const app = await json(tenant.graph('POST', '/v1.0/applications', { displayName: 'Script runner' }));
    expect(app.status).toBe(201);
    const sp = await json(tenant.graph('POST', '/v1.0/servicePrincipals', { appId: app.body.appId }));
    expect(sp.status).toBe(201);
    const dup = await json(tenant.graph('POST', '/v1.0/servicePrincipals', { appId: app.body.appId }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('Request_MultipleObjectsWithSameKeyValue');
    const secret = await json(tenant.graph('POST', `/v1.0/applications/${app.body.id}/addPassword`, { passwordCredential: { displayName: 'ci' } }));
    expect(secret.status).toBe(200);
    expect(secret.body.secretText).toBeTruthy();
    const token = await appToken(t.url, tenant.tenantId, app.body.appId, secret.body.secretText);
    // No permission was granted: Graph answers 403.
    const denied = await json(tenant.graphAs(token, 'GET', '/v1.0/users'));
    expect(denied.status).toBe(403);
    const listed = await json(tenant.graph('GET', `/v1.0/applications/${app.body.id}`));
    expect(listed.body.passwordCredentials).toEqual([expect.objectContaining({ keyId: secret.body.keyId, hint: secret.body.secretText.slice(0, 3), secretText: null })]);
    expect((await tenant.graph('POST', `/v1.0/applications/${app.body.id}/removePassword`, { keyId: secret.body.keyId })).status).toBe(204);
    const gone = await json(
      getToken(t.url, tenant.tenantId, { grant_type: 'client_credentials', client_id: app.body.appId, client_secret: secret.body.secretText, scope: 'https://graph.microsoft.com/.default' }),
    );
    expect(gone.status).toBe(401);
  });

  it('creates the Intune Provisioning Client only once per tenant', async () => {
    const again = await json(tenant.graph('POST', '/beta/servicePrincipals', { appId: 'f1346770-5b25-470b-88bd-d5744ab7952c' }));
    expect(again.status).toBe(409);
    const unknown = await json(tenant.graph('POST', '/beta/servicePrincipals', { appId: '12345678-1234-1234-1234-123456789012' }));
    expect(unknown.status).toBe(400);
  });
});
