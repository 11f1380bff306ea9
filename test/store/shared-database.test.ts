// Server processes are stateless: two `tarmac serve` processes on one database see each other's writes
// at once (PostgreSQL when TARMAC_TEST_DATABASE_URL is set, otherwise one SQLite file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, appToken, freshPgSchema, json } from '../helpers/server.js';
import { serveProcess, type ServeProcess } from '../helpers/process.js';

let a: ServeProcess;
let b: ServeProcess;
let cleanup = async () => {};
const key = 'shared-db-test-key';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tarmac-shared-'));
  let args = ['--data', dir, '--control-key', key];
  let drop = async () => {};
  if (PG_URL) {
    const schema = await freshPgSchema();
    args = [...args, '--database-url', schema.url];
    drop = schema.drop;
  }
  cleanup = async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await drop();
    rmSync(dir, { recursive: true, force: true });
  };
  // Started together on a new database: schema creation, migrations and the demo tenant must not collide.
  [a, b] = await Promise.all([serveProcess(args), serveProcess(args)]);
});
afterAll(() => cleanup());

const call = (p: ServeProcess, token: string, method: string, path: string, body?: unknown) =>
  json(fetch(`${p.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));

describe('two server processes on one database', () => {
  it('share tenants, tokens and writes at once', async () => {
    const created = await json(fetch(`${a.url}/_tarmac/tenants`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"seed":"empty"}' }));
    expect(created.status).toBe(201);
    const { tenantId, domain, admin } = created.body;
    // A token issued by B is accepted by A (the signing keys live in the database).
    const tokenFromB = await appToken(b.url, tenantId, admin.clientId, admin.clientSecret);
    const user = await call(a, tokenFromB, 'POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Shared',
      mailNickname: 'shared',
      userPrincipalName: `shared@${domain}`,
      passwordProfile: { password: 'Sh4red-pass' },
    });
    expect(user.status).toBe(201);
    const readOnB = await call(b, tokenFromB, 'GET', `/v1.0/users/${user.body.id}`);
    expect(readOnB.body.displayName).toBe('Shared');
    const group = await call(b, tokenFromB, 'POST', '/v1.0/groups', { displayName: 'Shared group', mailEnabled: false, mailNickname: 'sg', securityEnabled: true });
    expect((await call(a, tokenFromB, 'POST', `/v1.0/groups/${group.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.body.id}` })).status).toBe(204);
    const dup = await call(b, tokenFromB, 'POST', `/v1.0/groups/${group.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.body.id}` });
    expect(dup.status).toBe(400);
    const members = await call(b, tokenFromB, 'GET', `/v1.0/groups/${group.body.id}/members`);
    expect(members.body.value.map((m: any) => m.id)).toEqual([user.body.id]);
  });

  it('created the demo tenant exactly once', async () => {
    const list = await json(fetch(`${b.url}/_tarmac/tenants`, { headers: { authorization: `Bearer ${key}` } }));
    expect(list.body.value.filter((t: any) => t.domain === 'contoso.onmicrosoft.com')).toHaveLength(1);
  });
});
