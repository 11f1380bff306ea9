// Durability (DESIGN principle 6): a server killed in the middle of many deployments loses nothing and runs
// nothing twice. On SQLite a new process starts on the same data folder; on PostgreSQL a second process that
// shares the database takes over without a restart.
import { afterAll, expect, it } from 'vitest';
import { serveProcess, sharedServe, type ServeProcess } from '../helpers/process.js';
import { PG_URL, json } from '../helpers/server.js';
import { devicePreparationTutorial, newLab } from './tutorial.js';

const DEVICES = 40;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

it('resumes deployments after the server is killed mid-way, with every effect exactly once', { timeout: 90_000 }, async () => {
  const shared = await sharedServe('restart');
  cleanups.push(shared.cleanUp);
  const { args } = shared;
  const first = await serveProcess(args);
  cleanups.push(() => first.stop());
  // On PostgreSQL the survivor runs from the start, sharing the database.
  let second: ServeProcess | undefined = PG_URL ? await serveProcess(args) : undefined;
  if (second) cleanups.push(() => second!.stop());

  const lab = await newLab(shared.serverAt(first.url));
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
  const survivor = { ...lab, control: (m: string, p: string, b?: unknown) => json(shared.serverAt(second!.url).control(m, `/tenants/${lab.tenant.tenantId}${p}`, b)) };
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
