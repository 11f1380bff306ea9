// Microsoft's own npm clients drive a real `tarmac serve --https`: @azure/msal-node gets tokens from the
// tenant's authority (TLS from Tarmac's local CA, trusted through NODE_EXTRA_CA_CERTS as a user would),
// @microsoft/microsoft-graph-client (baseUrl + customHosts) and the Kiota beta SDK create and read users,
// groups and memberships, page through results and run $batch requests. The client code is a plain script
// (clients/scenario.mjs) run in a child process, because NODE_EXTRA_CA_CERTS is read at process start;
// it prints what it saw as JSON and the assertions live here.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startCliServer, type CliServer } from '../helpers/cli-server.js';
import { PG_URL } from '../helpers/server.js';

const SCENARIO = fileURLToPath(new URL('./clients/scenario.mjs', import.meta.url));
const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];
const DUPLICATE_MEMBER = "One or more added object references already exist for the following modified properties: 'members'.";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CreatedTenant {
  tenantId: string;
  domain: string;
  admin: { clientId: string; clientSecret: string };
  users: { id: string; userPrincipalName: string; password: string }[];
}

/** The scenario's report: plain JSON whose shape the assertions themselves check. */
type Report = any;

let server: CliServer;

/** Runs one section of the client scenario with the local CA trusted, and returns its report. */
function runClients(section: string, env: Record<string, string>, args: string[] = []): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCENARIO, section, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: server.caFile!, TARMAC_URL: server.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let report: { ok: boolean; result?: Report; step?: string; error?: unknown };
      try {
        report = JSON.parse(stdout);
      } catch {
        reject(new Error(`client scenario '${section}' printed no report (exit ${code ?? signal}):\n${stdout}\n${stderr}`));
        return;
      }
      if (report.ok) resolve(report.result);
      else reject(new Error(`client scenario '${section}' failed at step "${report.step}":\n${JSON.stringify(report.error, null, 2)}\n${stderr}`));
    });
  });
}

/** A tenant created through the control API by a client process that trusts the CA. */
const createTenant = (seed: 'empty' | 'demo'): Promise<CreatedTenant> => runClients('tenant', { TARMAC_CONTROL_KEY: server.controlKey }, [seed]);

const withTenant = (t: CreatedTenant) => ({ TARMAC_TENANT: JSON.stringify(t) });

beforeAll(async () => {
  server = await startCliServer({ https: true });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('tarmac serve --https', () => {
  it('announces an https URL on localhost and a CA file that `tarmac cert` prints', () => {
    expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(server.caFile).toMatch(/ca\.pem$/);
    expect(server.output()).toContain(server.caFile);
    // The suite runs on both databases.
    expect(server.output()).toMatch(PG_URL ? /Database\s+PostgreSQL .*\(schema t_[0-9a-f]+\)/ : /Database\s+SQLite /);
  });
});

describe('@azure/msal-node', () => {
  let tenant: CreatedTenant;
  let r: Report;
  beforeAll(async () => {
    tenant = await createTenant('demo');
    r = await runClients('msal', withTenant(tenant));
  }, 60_000);

  it('gets an app token by client credentials from the authority on the local CA, then from its cache', () => {
    expect(r.app).toMatchObject({ tokenType: 'Bearer', fromCache: false, cachedFromCache: true, cachedSameToken: true });
    expect(r.app.scopes).toContain('https://graph.microsoft.com/.default');
    expect(r.app.expiresInSeconds).toBeGreaterThan(3000);
    expect(r.app.expiresInSeconds).toBeLessThanOrEqual(3600);
    expect(GRAPH_AUDIENCES).toContain(r.app.claims.aud);
    expect(r.app.claims).toMatchObject({ tid: tenant.tenantId, appid: tenant.admin.clientId, idtyp: 'app' });
    expect(r.app.claims.roles).toEqual(expect.arrayContaining(['User.ReadWrite.All', 'Group.ReadWrite.All']));
    expect(r.appCall).toEqual({ status: 200, count: tenant.users.length });
  });

  it('surfaces a wrong client secret as Entra reports it (invalid_client, AADSTS7000215)', () => {
    expect(r.wrongSecret.succeeded).toBeUndefined();
    expect(r.wrongSecret.errorCode).toBe('invalid_client');
    expect(r.wrongSecret.errorMessage).toContain('AADSTS7000215');
  });

  it('signs a seeded user in with username and password; the delegated token calls Graph', () => {
    const u = r.user;
    expect(u.tokenType).toBe('Bearer');
    expect(u.accountUsername).toBe(u.expectedUpn);
    expect(u.accountTenantId).toBe(tenant.tenantId);
    expect(u.accountLocalId).toBe(u.expectedId);
    expect(u.idTokenPreferredUsername).toBe(u.expectedUpn);
    expect(GRAPH_AUDIENCES).toContain(u.claims.aud);
    expect(u.claims).toMatchObject({ tid: tenant.tenantId, oid: u.expectedId, upn: u.expectedUpn, hasScp: true });
    expect(r.userCall.status).toBe(200);
    expect(r.userCall.upns).toContain(u.expectedUpn);
  });

  it('surfaces a wrong password as Entra reports it (invalid_grant, AADSTS50126)', () => {
    expect(r.wrongPassword.succeeded).toBeUndefined();
    expect(r.wrongPassword.errorCode).toBe('invalid_grant');
    expect(r.wrongPassword.errorMessage).toContain('AADSTS50126');
  });
});

describe('@microsoft/microsoft-graph-client with baseUrl and customHosts', () => {
  let tenant: CreatedTenant;
  let r: Report;
  beforeAll(async () => {
    tenant = await createTenant('empty');
    r = await runClients('graph-client', withTenant(tenant));
  }, 90_000);

  it('authenticates every request with the MSAL token', () => {
    expect(r.tokenRequests).toBeGreaterThan(10);
  });

  it('creates and reads users', () => {
    const [alice, bob, carol] = r.created.users;
    expect(r.created.users.map((u: Report) => u.userPrincipalName)).toEqual(['alice', 'bob', 'carol'].map((n) => `${n}@${tenant.domain}`));
    for (const u of [alice, bob, carol]) {
      expect(u.id).toMatch(GUID);
      expect(u.context).toBe(`${server.url}/v1.0/$metadata#users/$entity`);
    }
    // v1.0 returns the default property set, and never the password.
    expect(r.created.aliceRead.userPrincipalName).toBe(alice.userPrincipalName);
    expect(r.created.aliceRead.keys).toEqual(expect.arrayContaining(['id', 'displayName', 'userPrincipalName', 'businessPhones', 'mail']));
    expect(r.created.aliceRead.keys).not.toContain('passwordProfile');
    expect(r.created.aliceByUpn).toEqual({
      '@odata.context': `${server.url}/v1.0/$metadata#users(id,displayName)/$entity`,
      id: alice.id,
      displayName: 'Alice Example',
    });
  });

  it('creates a security group and a Microsoft 365 group', () => {
    expect(r.created.security).toMatchObject({ groupTypes: [], securityEnabled: true, mailEnabled: false, mail: null });
    expect(r.created.unified).toMatchObject({ groupTypes: ['Unified'], mailEnabled: true, mail: `e2eteam@${tenant.domain}` });
  });

  it('adds members with $ref and rejects a duplicate member as Graph does', () => {
    const [alice, bob, carol] = r.created.users;
    const m = r.membership;
    expect(m.duplicate).toMatchObject({ statusCode: 400, code: 'Request_BadRequest', message: DUPLICATE_MEMBER });
    expect(m.members).toEqual(
      expect.arrayContaining([
        { id: alice.id, type: '#microsoft.graph.user', userPrincipalName: alice.userPrincipalName },
        { id: bob.id, type: '#microsoft.graph.user', userPrincipalName: bob.userPrincipalName },
      ]),
    );
    expect(m.members).toHaveLength(2);
    expect(m.membersContext).toBe(`${server.url}/v1.0/$metadata#directoryObjects`);
    expect(m.teamMembers).toEqual([carol.id]);
    expect(m.parentMembers).toEqual([{ id: r.created.security.id, type: '#microsoft.graph.group' }]);
  });

  it('reads transitiveMembers, memberOf and transitiveMemberOf through the nested group', () => {
    const [alice, bob] = r.created.users;
    const m = r.membership;
    const sorted = (xs: Report[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sorted(m.transitive)).toEqual(
      sorted([
        { id: r.created.security.id, type: '#microsoft.graph.group' },
        { id: alice.id, type: '#microsoft.graph.user' },
        { id: bob.id, type: '#microsoft.graph.user' },
      ]),
    );
    expect([...m.transitiveUsers].sort()).toEqual([alice.id, bob.id].sort());
    expect(m.memberOf).toEqual([{ id: r.created.security.id, type: '#microsoft.graph.group' }]);
    expect([...m.transitiveMemberOf].sort()).toEqual([r.created.security.id, r.created.parent.id].sort());
  });

  it('creates 150 users through $batch', () => {
    expect(r.load.statuses).toEqual(Array(150).fill(201));
    expect(new Set(r.load.ids).size).toBe(150);
  });

  it('pages through more than 100 users by @odata.nextLink and with PageIterator', () => {
    const pages: Report[] = r.paging.manualPages;
    expect(pages.map((p) => p.size)).toEqual([100, 53]);
    expect(pages[0].nextLink.startsWith(`${server.url}/v1.0/users?`)).toBe(true);
    expect(pages[1].nextLink).toBeNull();
    const all = pages.flatMap((p) => p.ids);
    expect(new Set(all).size).toBe(153);
    expect(all).toEqual(expect.arrayContaining([...r.created.users.map((u: Report) => u.id), ...r.load.ids]));

    const iterated = r.paging.iterated;
    expect(iterated).toMatchObject({ firstCount: 153, firstSize: 40, complete: true });
    expect(iterated.ids).toHaveLength(153);
    expect(new Set(iterated.ids)).toEqual(new Set(all));
  });

  it('applies $filter, $select and $count (with ConsistencyLevel: eventual)', () => {
    const q = r.query;
    expect(q.filtered).toEqual({ size: 150, nextLink: null, keys: ['id', 'displayName'] });
    expect(q.byUpn).toEqual([r.created.users[1].id]);
    expect(q.selected).toEqual({ context: `${server.url}/v1.0/$metadata#users(id,displayName)`, keys: ['id', 'displayName'], size: 5 });
    expect(q.counted).toEqual({ count: 150, size: 1, hasNextLink: true });
    expect(q.countText).toBe('153');
    expect(q.endsWith).toEqual({ count: 1, ids: [r.created.users[2].id] });
  });

  it('answers advanced queries without ConsistencyLevel with the documented 400s', () => {
    expect(r.query.countWithoutHeader).toMatchObject({ statusCode: 400, code: 'Request_BadRequest', message: '$count is not currently supported.' });
    expect(r.query.endsWithWithoutHeader).toMatchObject({ statusCode: 400, code: 'Request_UnsupportedQuery' });
  });

  it('runs a $batch chained with dependsOn, read back through BatchResponseContent', () => {
    const b = r.batch;
    expect(b.sent).toEqual([
      { id: '1', url: '/users', dependsOn: [] },
      { id: '2', url: '/groups', dependsOn: ['1'] },
      { id: '3', url: expect.stringMatching(/^\/groups\?\$filter=/), dependsOn: ['2'] },
    ]);
    expect(b.order).toEqual(['1', '2', '3']);
    expect(b.responses['1'].status).toBe(201);
    expect(b.responses['2'].status).toBe(201);
    expect(b.responses['3'].status).toBe(200);
    // Graph names the header "Content-Type"; the SDK's BatchResponseContent looks for exactly that name to
    // decide that a body is JSON.
    expect(b.headerNames).toContain('Content-Type');
    expect(b.responses['1'].body).toMatchObject({ userPrincipalName: `dave@${tenant.domain}` });
    expect(b.responses['2'].body).toMatchObject({ displayName: 'E2E Batch group' });
    expect(b.responses['3'].body.value).toEqual([{ id: b.responses['2'].body.id, displayName: 'E2E Batch group' }]);
  });

  it('fails the requests that depend on a failed request with 424, and runs independent ones', () => {
    const f = r.failedBatch;
    expect([f.responses.a.status, f.responses.b.status, f.responses.c.status]).toEqual([400, 424, 424]);
    expect(f.responses.a.body).toMatchObject({ error: { code: 'Request_BadRequest' } });
    const p = r.parallelBatch;
    expect([p.responses.x.status, p.responses.y.status, p.responses.z.status]).toEqual([200, 200, 404]);
    expect(p.responses.x.body).toMatchObject({ id: r.created.users[0].id, userPrincipalName: r.created.users[0].userPrincipalName });
    expect(p.responses.z.body).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });
});

describe('Kiota beta SDK (@microsoft/msgraph-beta-sdk)', () => {
  let tenant: CreatedTenant;
  let r: Report;
  beforeAll(async () => {
    tenant = await createTenant('empty');
    r = await runClients('kiota-beta', withTenant(tenant));
  }, 60_000);

  it('creates and reads users and a group', () => {
    expect(r.users.kim).toMatchObject({ userPrincipalName: `kim@${tenant.domain}`, displayName: 'Kim Kiota' });
    expect(r.users.kim.id).toMatch(GUID);
    expect(r.users.kimRead).toEqual({ id: r.users.kim.id, displayName: 'Kim Kiota', accountEnabled: true });
    expect(r.users.others).toHaveLength(4);
    expect(r.group).toMatchObject({ displayName: 'Kiota group', securityEnabled: true, readDisplayName: 'Kiota group' });
    expect(r.group.securityIdentifier).toMatch(/^S-1-12-1-\d+-\d+-\d+-\d+$/);
  });

  it('adds members with members.ref.post and reads them back as typed directory objects', () => {
    expect(r.members).toHaveLength(2);
    expect(r.members).toEqual(
      expect.arrayContaining([
        { id: r.users.kim.id, odataType: '#microsoft.graph.user', userPrincipalName: `kim@${tenant.domain}` },
        { id: r.users.others[0], odataType: '#microsoft.graph.user', userPrincipalName: `ken@${tenant.domain}` },
      ]),
    );
    expect(r.kimMemberOf).toEqual([{ id: r.group.id, odataType: '#microsoft.graph.group', displayName: 'Kiota group' }]);
  });

  it('maps Graph errors to ODataError', () => {
    expect(r.duplicate).toMatchObject({ responseStatusCode: 400, code: 'Request_BadRequest', errorMessage: DUPLICATE_MEMBER });
    expect(r.duplicate.innerError.requestId).toMatch(GUID);
    expect(r.missingGroup).toMatchObject({ responseStatusCode: 404, code: 'Request_ResourceNotFound' });
  });

  it('iterates pages with the PageIterator of @microsoft/msgraph-sdk-core', () => {
    expect(r.paged.firstSize).toBe(2);
    expect(r.paged.firstNextLink.startsWith(`${server.url}/beta/users?`)).toBe(true);
    expect(r.paged.state).toBe('Complete');
    expect(r.paged.upns).toEqual(['kai', 'kay', 'ken', 'kim', 'kit'].map((n) => `${n}@${tenant.domain}`));
    expect(r.counted).toEqual({ count: 5, size: 5 });
  });

  it('runs a $batch built with BatchRequestContent from request information', () => {
    expect(r.batch.sent).toEqual([
      { id: 'users', method: 'GET', url: expect.stringMatching(/^\/users\?/), dependsOn: [] },
      { id: 'members', method: 'GET', url: `/groups/${r.group.id}/members`, dependsOn: ['users'] },
    ]);
    expect(r.batch.statuses).toEqual({ users: 200, members: 200 });
  });

  it('reads the MDM user scope policies and the device registration policy (beta, delegated)', () => {
    const mdm: Report[] = r.policies.mdm;
    expect(mdm.map((p) => p.id).sort()).toEqual(['0000000a-0000-0000-c000-000000000000', 'd4ebce55-015a-49b5-a083-c84d1797ae8c']);
    for (const p of mdm) expect(p.appliesTo).toBe('none');
    expect(r.policies.mdmItem).toEqual({ id: '0000000a-0000-0000-c000-000000000000', displayName: 'Microsoft Intune', isValid: true });
    expect(r.policies.deviceRegistration).toEqual({
      id: 'deviceRegistrationPolicy',
      userDeviceQuota: 50,
      multiFactorAuthConfiguration: 'notRequired',
      allowedToJoinType: '#microsoft.graph.allDeviceRegistrationMembership',
      isAdminConfigurable: true,
    });
  });
});

describe('dynamic device groups through @microsoft/microsoft-graph-client', () => {
  let r: Report;
  beforeAll(async () => {
    const tenant = await createTenant('empty');
    r = await runClients('dynamic-groups', withTenant(tenant));
  }, 60_000);

  it('follows device creates, updates, rule edits and deletes', () => {
    expect(r.afterCreate).toEqual({ all: ['AP-A', 'AP-B'], sales: ['AP-A'] });
    expect(r.afterUpdate).toEqual({ all: ['AP-A', 'AP-B'], sales: [] });
    expect(r.afterRuleEdit).toEqual({ sales: ['AP-A', 'AP-B'] });
    expect(r.afterDelete).toEqual({ all: ['AP-B'], sales: ['AP-B'] });
  });

  it('refuses manual members and an invalid rule with Graph errors', () => {
    expect(r.manualAdd).toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    expect(r.badRule).toMatchObject({ statusCode: 400, code: 'Request_BadRequest' });
    expect(r.badRule.message).toMatch(/position \d+/);
  });
});
