// The provisioning control API: simulated devices, sign-in, deployment actions, the virtual clock and the
// simulation settings. Bad input gets a Graph-shaped 4xx naming the field and changes nothing; the happy
// paths a lab script relies on (paging, reset, delete, behaviour settings, moving the clock) work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { expectGraphError } from '../helpers/errors.js';
import { devicePreparationTutorial, newDevice, newLab, PASSWORD, runToEnd, signIn, type Lab } from './tutorial.js';
import { STEP_SECONDS } from '../../src/provisioning/engine.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

/** The raw response, for the error envelope's headers. */
const raw = (lab: Lab, method: string, path: string, body?: unknown) => t.control(method, `/tenants/${lab.tenant.tenantId}${path}`, body);

/** A 4xx in Graph's envelope whose target (when given) is the field at fault, and whose message names it. */
async function expectRefused(lab: Lab, method: string, path: string, body: unknown, status: number, code: string, target?: string): Promise<any> {
  const res = await raw(lab, method, path, body);
  const err = await expectGraphError(res, status, { code });
  const what = `${method} ${path} ${JSON.stringify(body)}`;
  if (target !== undefined) expect(err.error.target, what).toBe(target);
  // The message names the field too, in code form or in words ('serialNumber' or 'serial number').
  const leaf = target?.replace(/^\[\d+\]\.?/, '').split('.').at(-1);
  if (leaf && leaf !== 'body') expect(err.error.message.replace(/\s/g, '').toLowerCase(), what).toContain(leaf.toLowerCase());
  return err;
}

const devices = async (lab: Lab): Promise<any[]> => (await lab.control('GET', '/devices')).body.value;
const deployments = async (lab: Lab): Promise<any[]> => (await lab.control('GET', '/deployments')).body.value;
const UNKNOWN_ID = '5b0f4a0e-0000-4000-8000-000000000000';

describe('bad input on the device routes', () => {
  it('refuses a malformed device with a 400 naming the field, creating nothing', async () => {
    const lab = await newLab(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ tpmPresent: 'yes' }, 'tpmPresent'],
      [{ manufacturer: 42 }, 'manufacturer'],
      [{ model: '' }, 'model'],
      [{ colour: 'red' }, 'colour'],
      [{ osVersion: '10.0.26100' }, 'osVersion'],
      [{ osVersion: '11.0.26100.1' }, 'osVersion'],
      [{ windowsEdition: 'Ultimate' }, 'windowsEdition'],
      [{ windowsEdition: 7 }, 'windowsEdition'],
      [{ serialNumber: 'has spaces' }, 'serialNumber'],
      [{ hardwareHash: 'not base64!' }, 'hardwareHash'],
      [{ behaviour: { apps: { abc: { durationSeconds: 'long' } } } }, 'behaviour.apps.abc.durationSeconds'],
      [{ behaviour: { printers: {} } }, 'behaviour.printers'],
    ];
    for (const [body, target] of cases) await expectRefused(lab, 'POST', '/devices', body, 400, 'BadRequest', target);
    await expectRefused(lab, 'POST', '/devices', 'SN-1', 400, 'BadRequest', 'body');
    expect(await devices(lab)).toEqual([]);
  });

  it('refuses a duplicate serial number with 409, keeping the first device', async () => {
    const lab = await newLab(t);
    const first = await newDevice(lab, { serialNumber: 'SN-DUP', model: 'First' });
    await expectRefused(lab, 'POST', '/devices', { serialNumber: 'SN-DUP', model: 'Second' }, 409, 'Conflict', 'serialNumber');
    expect(await devices(lab)).toEqual([first]);
  });

  it('refuses a bulk create with one bad element, naming its index, and creates none of them', async () => {
    const lab = await newLab(t);
    const err = await expectRefused(lab, 'POST', '/devices', [{ serialNumber: 'B-1' }, { serialNumber: 'B-2' }, { serialNumber: 'B-3', osVersion: '10.0.1' }], 400, 'BadRequest', '[2].osVersion');
    expect(err.error.message).toMatch(/^Device 2: /);
    await expectRefused(lab, 'POST', '/devices', [{ serialNumber: 'B-1' }, 'B-2'], 400, 'BadRequest', '[1]');
    await expectRefused(lab, 'POST', '/devices', [], 400, 'BadRequest', 'body');
    // A duplicate found while inserting rolls back the elements before it.
    await newDevice(lab, { serialNumber: 'B-EXISTS' });
    await expectRefused(lab, 'POST', '/devices', [{ serialNumber: 'B-4' }, { serialNumber: 'B-EXISTS' }], 409, 'Conflict', 'serialNumber');
    await expectRefused(lab, 'POST', '/devices', [{ serialNumber: 'B-5' }, { serialNumber: 'B-5' }], 409, 'Conflict', 'serialNumber');
    expect((await devices(lab)).map((d) => d.serialNumber)).toEqual(['B-EXISTS']);

    const created = await lab.control('POST', '/devices', [{ serialNumber: 'B-1' }, { serialNumber: 'B-2', windowsEdition: 'Pro' }]);
    expect(created.status).toBe(201);
    expect(created.body.value.map((d: any) => [d.serialNumber, d.windowsEdition, d.state])).toEqual([
      ['B-1', 'Enterprise', 'oobe'],
      ['B-2', 'Pro', 'oobe'],
    ]);
  });

  it('refuses changes to read-only fields and bad values on PATCH, changing nothing', async () => {
    const lab = await newLab(t);
    const device = await newDevice(lab, { serialNumber: 'P-1' });
    for (const [body, target] of [
      [{ serialNumber: 'P-2' }, 'serialNumber'],
      [{ state: 'desktop' }, 'state'],
      [{ manufacturer: 'Other' }, 'manufacturer'],
      [{ id: UNKNOWN_ID }, 'id'],
      [{ osVersion: '10.0.26100.4061', windowsEdition: 'Home Premium' }, 'windowsEdition'],
      [{ osVersion: 'latest' }, 'osVersion'],
    ] as const) {
      await expectRefused(lab, 'PATCH', `/devices/${device.id}`, body, 400, 'BadRequest', target);
    }
    expect((await lab.control('GET', `/devices/${device.id}`)).body).toEqual(device);
    const patched = await lab.control('PATCH', `/devices/${device.id}`, { osVersion: '10.0.26100.5000', behaviour: { apps: { abc: { exitCode: 1603 } } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...device, osVersion: '10.0.26100.5000', behaviour: { apps: { abc: { exitCode: 1603 } } } });
  });

  it('answers 404 for an unknown device, by id or serial number, and an unknown tenant', async () => {
    const lab = await newLab(t);
    for (const id of [UNKNOWN_ID, 'NO-SUCH-SERIAL']) {
      for (const [method, suffix, body] of [
        ['GET', '', undefined],
        ['PATCH', '', { windowsEdition: 'Pro' }],
        ['DELETE', '', undefined],
        ['POST', '/reset', undefined],
        ['POST', '/sign-in', { userPrincipalName: 'someone@example.com', password: PASSWORD }],
      ] as const) {
        const err = await expectRefused(lab, method, `/devices/${id}${suffix}`, body, 404, 'NotFound');
        expect(err.error.message).toContain(id);
      }
    }
    for (const path of ['/devices', '/deployments', '/clock', '/simulation']) {
      await expectGraphError(await t.control('GET', `/tenants/${UNKNOWN_ID}${path}`), 404);
    }
    expect(await deployments(lab)).toEqual([]);
  });

  it('refuses bad paging parameters', async () => {
    const lab = await newLab(t);
    await expectRefused(lab, 'GET', '/devices?top=0', undefined, 400, 'BadRequest', 'top');
    await expectRefused(lab, 'GET', '/devices?top=ten', undefined, 400, 'BadRequest', 'top');
    await expectRefused(lab, 'GET', '/devices?after=-1', undefined, 400, 'BadRequest', 'after');
    await expectRefused(lab, 'GET', '/deployments?status=done', undefined, 400, 'BadRequest', 'status');
    await expectRefused(lab, 'GET', '/deployments?top=10001', undefined, 400, 'BadRequest', 'top');
  });
});

describe('bad input on sign-in and deployment actions', () => {
  it('refuses a sign-in without a user name or password, starting nothing', async () => {
    const lab = await newLab(t);
    const device = await newDevice(lab);
    const upn = `someone@${lab.tenant.domain}`;
    for (const [body, target] of [
      [{ password: PASSWORD }, 'userPrincipalName'],
      [{ userPrincipalName: '   ', password: PASSWORD }, 'userPrincipalName'],
      [{ userPrincipalName: 42, password: PASSWORD }, 'userPrincipalName'],
      [{ userPrincipalName: upn }, 'password'],
      [{ userPrincipalName: upn, password: 1234 }, 'password'],
      [{ userPrincipalName: upn, password: PASSWORD, otp: '123456' }, 'otp'],
    ] as const) {
      await expectRefused(lab, 'POST', `/devices/${device.id}/sign-in`, body, 400, 'BadRequest', target);
    }
    expect(await deployments(lab)).toEqual([]);
    expect((await lab.control('GET', `/devices/${device.id}`)).body).toMatchObject({ state: 'oobe', deploymentId: null });
  });

  it('refuses a sign-in on a device in setup or at the desktop (409), and actions the screen does not offer', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab);
    const started = await signIn(lab, device.id, tut.user.upn);
    const busy = await expectRefused(lab, 'POST', `/devices/${device.id}/sign-in`, { userPrincipalName: tut.user.upn, password: PASSWORD }, 409, 'DeviceNotAtOobe');
    expect(busy.error.message).toContain(started.id);

    // Nothing is offered while setup runs.
    for (const action of ['continue', 'retry', 'continue-anyway', 'reset-device', 'collect-logs']) {
      const err = await expectRefused(lab, 'POST', `/deployments/${started.id}/${action}`, undefined, 409, 'ActionNotAvailable');
      expect(err.error.message).toContain('entraJoin');
    }
    const unknown = await expectRefused(lab, 'POST', `/deployments/${started.id}/dance`, undefined, 404, 'NotFound');
    expect(unknown.error.message).toContain("'dance'");
    await expectRefused(lab, 'POST', `/deployments/${UNKNOWN_ID}/retry`, undefined, 404, 'NotFound');
    await expectRefused(lab, 'GET', `/deployments/${UNKNOWN_ID}`, undefined, 404, 'NotFound');
    const still = (await lab.control('GET', `/deployments/${started.id}`)).body;
    expect(still).toMatchObject({ stage: 'entraJoin', status: 'inProgress', attempt: 1, continuedAnyway: false, logsCollected: false });
    expect(still.timeline).toEqual(started.timeline);

    const done = await runToEnd(lab, started.id);
    expect(done.stage).toBe('desktop');
    const atDesktop = await expectRefused(lab, 'POST', `/devices/${device.id}/sign-in`, { userPrincipalName: tut.user.upn, password: PASSWORD }, 409, 'DeviceNotAtOobe');
    expect(atDesktop.error.message).toContain('reset it');
    await expectRefused(lab, 'POST', `/deployments/${started.id}/retry`, undefined, 409, 'ActionNotAvailable');
    expect((await deployments(lab)).map((d) => d.id)).toEqual([started.id]);
    expect((await lab.control('GET', `/deployments/${started.id}`)).body).toEqual(done);
  });
});

describe('bad input on the clock and the simulation', () => {
  it('refuses a bad clock change, leaving the clock alone', async () => {
    const lab = await newLab(t);
    const before = (await lab.control('GET', '/clock')).body;
    for (const [body, target] of [
      [{ advanceSeconds: -1 }, 'advanceSeconds'],
      [{ advanceSeconds: '60' }, 'advanceSeconds'],
      [{ rate: 10001 }, 'rate'],
      [{ rate: -0.5 }, 'rate'],
      [{ advanceSeconds: 60, speed: 2 }, 'speed'],
      [{ runUntilIdle: 'yes' }, 'runUntilIdle'],
      [{}, 'advanceSeconds'],
      [[60], 'body'],
    ] as const) {
      await expectRefused(lab, 'POST', '/clock', body, 400, 'BadRequest', target);
    }
    expect((await lab.control('GET', '/clock')).body).toEqual(before);
  });

  it('refuses invalid behaviour on PATCH simulation, naming the field, and saves none of the request', async () => {
    const lab = await newLab(t);
    const before = (await lab.control('GET', '/simulation')).body;
    const app = 'A1B2C3D4-0000-4000-8000-000000000001';
    for (const [body, target] of [
      [{ seed: 'changed', apps: { [app]: { durationSeconds: -5 } } }, `apps.${app}.durationSeconds`],
      [{ apps: { [app]: { durationSeconds: { min: 60, max: 10 } } } }, `apps.${app}.durationSeconds.max`],
      [{ scripts: { s1: { exitCode: 1.5 } } }, 'scripts.s1.exitCode'],
      [{ defaults: { app: { failureRate: 2 } } }, 'defaults.app.failureRate'],
      [{ defaults: { app: { hang: 'sometimes' } } }, 'defaults.app.hang'],
      [{ defaults: { printer: {} } }, 'defaults.printer'],
      [{ apps: { [app]: { retries: 3 } } }, `apps.${app}.retries`],
      [{ apps: [] }, 'apps'],
      [{ seed: '' }, 'seed'],
      [{ clock: { rate: 1 } }, 'clock'],
    ] as const) {
      await expectRefused(lab, 'PATCH', '/simulation', body, 400, 'BadRequest', target);
    }
    expect((await lab.control('GET', '/simulation')).body).toEqual(before);
  });

  it('refuses every route without the control key (401)', async () => {
    const lab = await newLab(t);
    const device = await newDevice(lab);
    const clock = (await lab.control('GET', '/clock')).body;
    const base = `${t.url}/_tarmac/tenants/${lab.tenant.tenantId}`;
    for (const [method, path] of [
      ['GET', '/devices'],
      ['POST', '/devices'],
      ['DELETE', `/devices/${device.id}`],
      ['POST', `/devices/${device.id}/sign-in`],
      ['GET', '/deployments'],
      ['POST', '/clock'],
      ['PATCH', '/simulation'],
    ]) {
      // No header, a wrong key, and the right key without the Bearer scheme.
      for (const authorization of [undefined, 'Bearer wrong-key', t.controlKey]) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ advanceSeconds: 3600, userPrincipalName: 'x@y', password: 'p' }),
        });
        await expectGraphError(res, 401, { code: 'Unauthorized', message: 'control key' });
      }
    }
    expect(await devices(lab)).toEqual([device]);
    expect((await lab.control('GET', '/clock')).body).toEqual(clock);
    expect(await deployments(lab)).toEqual([]);
  });
});

describe('happy paths', () => {
  it('lists devices in creation order, paging with top and after', async () => {
    const lab = await newLab(t);
    const created = (await lab.control('POST', '/devices', ['L-1', 'L-2', 'L-3', 'L-4', 'L-5'].map((serialNumber) => ({ serialNumber })))).body.value;
    // A gap in the ordinals: paging still lands on the right devices.
    expect((await lab.control('DELETE', `/devices/${created[2].id}`)).status).toBe(204);
    const pages: string[][] = [];
    let after: number | undefined;
    for (;;) {
      const page = (await lab.control('GET', `/devices?top=2${after === undefined ? '' : `&after=${after}`}`)).body.value;
      if (page.length === 0) break;
      pages.push(page.map((d: any) => d.serialNumber));
      after = page.at(-1).ordinal;
    }
    expect(pages).toEqual([['L-1', 'L-2'], ['L-4', 'L-5']]);
    expect((await devices(lab)).map((d) => d.serialNumber)).toEqual(['L-1', 'L-2', 'L-4', 'L-5']);
  });

  it('resets a device at the desktop: back at OOBE, removed from Intune, and set up again', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab);
    const first = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    expect(first.stage).toBe('desktop');
    expect((await lab.tenant.graph('GET', `/beta/deviceManagement/managedDevices/${first.managedDeviceId}`)).status).toBe(200);

    const reset = await lab.control('POST', `/devices/${device.id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ id: device.id, state: 'oobe', entraDeviceObjectId: null });
    expect((await lab.tenant.graph('GET', `/beta/deviceManagement/managedDevices/${first.managedDeviceId}`)).status).toBe(404);
    const old = (await lab.control('GET', `/deployments/${first.id}`)).body;
    expect(old).toMatchObject({ stage: 'stopped', status: 'success', running: false });
    expect(old.timeline.at(-1).event).toBe('deviceReset');

    const second = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    expect(second).toMatchObject({ status: 'success', stage: 'desktop' });
    expect(second.managedDeviceId).not.toBe(first.managedDeviceId);
    const managed = await lab.client.api('/deviceManagement/managedDevices').get();
    expect(managed.value.map((m: any) => m.id)).toEqual([second.managedDeviceId]);
    expect((await lab.control('GET', `/devices/${device.id}`)).body).toMatchObject({ state: 'desktop', deploymentId: second.id });
  });

  it('deletes a device with its deployments; its Entra device stays', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab, { serialNumber: 'DEL-1' });
    const keep = await newDevice(lab, { serialNumber: 'DEL-2' });
    const done = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    const other = await signIn(lab, keep.id, tut.user.upn);

    const del = await raw(lab, 'DELETE', `/devices/${device.id}`);
    expect(del.status).toBe(204);
    await expectRefused(lab, 'GET', `/devices/${device.id}`, undefined, 404, 'NotFound');
    await expectRefused(lab, 'GET', `/deployments/${done.id}`, undefined, 404, 'NotFound');
    expect((await lab.control('GET', `/deployments?deviceId=${device.id}`)).body.value).toEqual([]);
    expect((await deployments(lab)).map((d) => d.id)).toEqual([other.id]);
    expect((await devices(lab)).map((d) => d.id)).toEqual([keep.id]);
    expect((await lab.tenant.graph('GET', `/v1.0/devices/${done.entraDeviceObjectId}`)).status).toBe(200);
    await expectRefused(lab, 'DELETE', `/devices/${device.id}`, undefined, 404, 'NotFound');
    // The serial number is free again.
    expect((await newDevice(lab, { serialNumber: 'DEL-1' })).id).not.toBe(device.id);
  });

  it('reads and changes the simulation: seed, defaults, per-app behaviour, and null removes one', async () => {
    const lab = await newLab(t);
    const initial = (await lab.control('GET', '/simulation')).body;
    expect(initial).toMatchObject({
      seed: 'tarmac',
      clock: { rate: 0 },
      defaults: { app: { durationSeconds: { min: 60, max: 240 }, exitCode: 0 }, script: { durationSeconds: { min: 10, max: 45 }, exitCode: 0 } },
      apps: {},
      scripts: {},
    });
    const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'Slow App' }, { name: 'Plain App' }] });
    const slow = tut.appIds['Slow App']!;
    const patched = await lab.control('PATCH', '/simulation', { seed: 'lab-42', defaults: { app: { durationSeconds: 30 } }, apps: { [slow.toUpperCase()]: { durationSeconds: 123 } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ seed: 'lab-42', defaults: { app: { durationSeconds: 30 }, script: initial.defaults.script }, apps: { [slow]: { durationSeconds: 123 } } });
    expect((await lab.control('GET', '/simulation')).body).toEqual(patched.body);

    // The settings decide what a device does.
    const device = await newDevice(lab);
    const done = await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    expect(done.apps.map((a: any) => [a.displayName, a.durationSeconds, a.status])).toEqual([
      ['Slow App', 123, 'installed'],
      ['Plain App', 30, 'installed'],
    ]);

    const removed = await lab.control('PATCH', '/simulation', { apps: { [slow]: null } });
    expect(removed.body).toMatchObject({ seed: 'lab-42', defaults: { app: { durationSeconds: 30 } }, apps: {} });
    expect((await lab.control('GET', '/simulation')).body.apps).toEqual({});
  });

  it('reads the clock, and moves it by exactly the seconds asked while stopped', async () => {
    const lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const before = (await lab.control('GET', '/clock')).body;
    expect(before).toEqual({ now: expect.any(String), rate: 0 });
    await new Promise((r) => setTimeout(r, 30));
    expect((await lab.control('GET', '/clock')).body).toEqual(before);

    const moved = await lab.control('POST', '/clock', { advanceSeconds: 90 });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ now: new Date(Date.parse(before.now) + 90_000).toISOString(), rate: 0, deploymentsMoved: 0 });
    expect((await lab.control('GET', '/clock')).body.now).toBe(moved.body.now);

    // Moving the clock takes the transitions that fall due.
    const device = await newDevice(lab);
    const started = await signIn(lab, device.id, tut.user.upn);
    expect(started.startedDateTime).toBe(moved.body.now);
    const joined = await lab.control('POST', '/clock', { advanceSeconds: STEP_SECONDS.entraJoin });
    expect(joined.body).toMatchObject({ now: new Date(Date.parse(moved.body.now) + STEP_SECONDS.entraJoin * 1000).toISOString(), deploymentsMoved: 1 });
    expect((await lab.control('GET', `/deployments/${started.id}`)).body.stage).toBe('mdmEnrollment');
  });
});
