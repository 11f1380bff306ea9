// Durability (DESIGN principle 6): a server killed in the middle of many deployments loses nothing and runs
// nothing twice. On SQLite a new process starts on the same data folder; on PostgreSQL a second process that
// shares the database takes over without a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { serveProcess, type ServeProcess } from '../helpers/process.js';
import { PG_URL, freshPgSchema, type TestServer } from '../helpers/server.js';
import { devicePreparationTutorial, newLab } from './tutorial.js';

const DEVICES = 40;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

it('resumes deployments after the server is killed mid-way, with every effect exactly once', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tarmac-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const schema = PG_URL ? await freshPgSchema() : undefined;
  if (schema) cleanups.push(schema.drop);
  const key = `restart-${randomBytes(6).toString('hex')}`;
  const args = ['--data', dir, '--control-key', key, '--no-demo', ...(schema ? ['--database-url', schema.url] : [])];
  const first = await serveProcess(args);
  cleanups.push(() => first.stop());
  // On PostgreSQL the survivor runs from the start, sharing the database.
  let second: ServeProcess | undefined = schema ? await serveProcess(args) : undefined;
  if (second) cleanups.push(() => second!.stop());

  const server = (url: string) =>
    ({
      url,
      controlKey: key,
      control: (method: string, path: string, body?: unknown) =>
        fetch(`${url}/_tarmac${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }),
    }) as unknown as TestServer;
  const lab = await newLab(server(first.url));
  const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'App A' }, { name: 'App B' }, { name: 'App C' }], scripts: [{ name: 'Script S' }] });
  await lab.control('PATCH', '/simulation', { defaults: { app: { durationSeconds: 60 }, script: { durationSeconds: 20 } } });
  const created = await lab.control('POST', '/devices', Array.from({ length: DEVICES }, (_, i) => ({ serialNumber: `RESTART-${i}` })));
  expect(created.status).toBe(201);
  for (const d of created.body.value) {
    const r = await lab.control('POST', `/devices/${d.id}/sign-in`, { userPrincipalName: tut.user.upn, password: 'Tarmac-test-Passw0rd!' });
    expect(r.status).toBe(201);
  }
  // Each deployment needs 330 virtual seconds; at 300× the runner works through them for about a second.
  await lab.control('POST', '/clock', { rate: 300 });
  for (let i = 0; ; i++) {
    const list = (await lab.control('GET', '/deployments?top=1000')).body.value as any[];
    const enrolled = list.filter((d) => d.managedDeviceId).length;
    if (enrolled > 0 && list.some((d) => d.status === 'inProgress')) break;
    if (i > 400) throw new Error('the deployments never got under way');
    await new Promise((r) => setTimeout(r, 10));
  }
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));

  second ??= await serveProcess(args);
  const survivor = { ...lab, control: (m: string, p: string, b?: unknown) => newLabControl(second!.url, key, lab.tenant.tenantId, m, p, b) };
  const idle = await survivor.control('POST', '/clock', { rate: 0, runUntilIdle: true });
  expect(idle.status).toBe(200);

  const deployments = (await survivor.control('GET', '/deployments?top=1000')).body.value as any[];
  expect(deployments).toHaveLength(DEVICES);
  for (const d of deployments) {
    expect(d.status, JSON.stringify(d.error)).toBe('success');
    const count = (event: string) => d.timeline.filter((e: any) => e.event === event).length;
    expect([count('entraJoined'), count('enrolled'), count('addedToDeviceGroup'), count('itemInstalled'), count('desktop')]).toEqual([1, 1, 1, 4, 1]);
  }
  // The tenant holds each object once.
  const graph = async (path: string) => {
    const token = lab.tenant.token;
    const res = await fetch(`${second!.url}${path}`, { headers: { authorization: `Bearer ${token}`, ConsistencyLevel: 'eventual' } });
    return res.json() as Promise<any>;
  };
  expect((await graph('/v1.0/devices/$count')) as unknown).toBe(DEVICES);
  expect((await graph('/beta/deviceManagement/managedDevices?$top=1000')).value).toHaveLength(DEVICES);
  expect((await graph(`/v1.0/groups/${tut.deviceGroupId}/members?$top=999`)).value).toHaveLength(DEVICES);
  const devices = (await survivor.control('GET', '/devices')).body.value as any[];
  expect(devices.every((d) => d.state === 'desktop')).toBe(true);
});

async function newLabControl(url: string, key: string, tenantId: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/_tarmac/tenants/${tenantId}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
