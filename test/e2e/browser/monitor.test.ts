// The monitor and the device simulator in Chromium against a real server. The device preparation tutorial is
// done through Graph (as the engine's tests do it), then in the admin center: a device created in the
// simulator runs setup on the virtual clock to "Required setup complete" and the desktop; an app made to fail
// in the simulated behaviour gives the failure screen with Retry (and Continue anyway after two failures),
// the failed row in the report with the reason in the details pane, and explain's prediction naming the app;
// a classic Autopilot device shows the Enrollment Status Page and its row in the classic tab; a deployment
// moved through the control API changes in the report within a second; 10,000 deployments (300 really run,
// the rest copies of them written with a snapshot restore) render as a window of rows that scrolls, and stay
// live; the fleet's charts and "Start devices". Screenshots of the key screens go to docs/screenshots/.
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot } from '../../helpers/browser.js';
import { graphClient } from '../../helpers/graph-client.js';
import { createTestTenant, json, type TestServer } from '../../helpers/server.js';
import { PASSWORD as DEVICE_PASSWORD, devicePreparationTutorial, type Lab, type Tutorial } from '../../provisioning/tutorial.js';
import { PASSWORD, classicTutorial, createUser } from './tutorials.js';

/** Deployments of the fleet tenant. */
const FLEET = 10_000;
const CUSTOM_ERROR = 'Setup could not finish. Call the Contoso help desk on extension 4357.';

interface Tenant {
  readonly lab: Lab;
  readonly name: string;
  readonly admin: { id: string; upn: string };
  readonly tutorial: Tutorial;
}

let t: TestServer;
let contoso: Tenant;

/** A tenant with its name (the tenant picker shows it), its clock stopped, the tutorial done and an admin. */
async function newTenant(name: string, apps: string[], scripts: string[]): Promise<Tenant> {
  const tenant = await createTestTenant(t, 'empty', name);
  const lab: Lab = { t, tenant, client: graphClient(t.url, tenant.token, 'beta'), control: (method, path, body) => json(t.control(method, `/tenants/${tenant.tenantId}${path}`, body)) };
  expect((await lab.control('POST', '/clock', { rate: 0 })).status).toBe(200);
  const tutorial = await devicePreparationTutorial(lab, { apps: apps.map((a) => ({ name: a })), scripts: scripts.map((s) => ({ name: s })), customErrorMessage: CUSTOM_ERROR });
  return { lab, name, tutorial, admin: await createUser(tenant, 'admin', 'Alex Admin') };
}

async function ok(lab: Lab, method: string, path: string, body?: unknown, status = 200): Promise<any> {
  const r = await lab.control(method, path, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}

const suite = browserSuite();

beforeAll(async () => {
  t = suite.server;
  contoso = await newTenant('Contoso', ['Contoso Agent'], ['Set-ContosoDefaults']);
  await classicTutorial(t, contoso.lab.tenant);
});

/** Signs in through the screens, as a person does. */
async function signIn(x: Tenant): Promise<Page> {
  const page = await suite.signIn(`${x.name} (${x.lab.tenant.domain})`, x.admin.upn, PASSWORD);
  return page;
}

const deviceScreen = (page: Page) => page.getByRole('region', { name: 'Device screen' });
const screenKind = (page: Page) => deviceScreen(page).getAttribute('data-screen');

async function createDevice(page: Page, serial: string): Promise<void> {
  await page.getByRole('button', { name: 'New device' }).click();
  const form = page.getByRole('form', { name: 'New device' });
  await form.getByLabel('Serial number').fill(serial);
  await form.getByLabel('Model').fill('Surface Laptop 7');
  await form.getByRole('button', { name: 'Create device' }).click();
  await page.getByRole('heading', { name: serial }).waitFor();
  await expect.poll(() => screenKind(page)).toBe('signIn');
}

async function signInOnDevice(page: Page, upn: string): Promise<void> {
  const screen = deviceScreen(page);
  await screen.getByLabel('Email').fill(upn);
  await screen.getByLabel('Password').fill(DEVICE_PASSWORD);
  await screen.getByRole('button', { name: 'Next' }).click();
}

/** Saves one field of an app's or script's simulated behaviour and waits until the saved value shows. */
async function setBehaviour(page: Page, name: string, field: 'Duration' | 'Exit code', value: string): Promise<void> {
  const row = page.locator(`[data-behaviour="${name}"]`);
  await row.getByLabel(`${field} of ${name}`).fill(value);
  await row.getByRole('button', { name: `Save behaviour of ${name}` }).click();
  await expect.poll(() => row.textContent()).toContain(field === 'Duration' ? `${value} s` : `exit ${value}`);
}

const advance = (page: Page, label: '+1 min' | '+10 min' | '+1 h') => page.getByLabel('Virtual clock', { exact: true }).getByRole('button', { name: label }).click();

/** Creates devices and signs them in, `batches` of `size`, moving the clock `step(b)` seconds after each. */
async function runBatches(lab: Lab, upn: string, batches: number, size: number, step: (b: number) => number): Promise<void> {
  const devices: { id: string }[] = (await ok(lab, 'POST', '/devices', Array.from({ length: batches * size }, () => ({})), 201)).value;
  for (let b = 0; b < batches; b++) {
    for (const d of devices.slice(b * size, (b + 1) * size)) await ok(lab, 'POST', `/devices/${d.id}/sign-in`, { userPrincipalName: upn, password: DEVICE_PASSWORD }, 201);
    await ok(lab, 'POST', '/clock', { advanceSeconds: step(b) });
  }
}

/** An id as the server makes them: ordered by time (48-bit milliseconds, version 7), then random. */
function orderedId(ms: number): string {
  const hex = ms.toString(16).padStart(12, '0') + '7' + randomBytes(10).toString('hex').slice(0, 19);
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.slice(0, 16) + variant + hex.slice(17, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Adds `count` copies of the snapshot's deployments, each on a simulated device of its own, started 8
 * seconds apart before the first real one. Copies are frozen (no next transition): a running copy stays
 * running, which is what a report of many devices in progress needs.
 */
function copyDeployments(snapshot: any, count: number): void {
  const deployments: any[] = snapshot.tables.deployments;
  const devices: any[] = snapshot.tables.simulated_devices;
  const first = Math.min(...deployments.map((d) => d.data.startedAt));
  let ordinal = Math.max(...devices.map((d) => d.ordinal));
  const templates = [...deployments];
  const deviceOf = new Map(devices.map((d) => [d.id, d]));
  const shiftAll = (x: any, delta: number) => (typeof x === 'number' ? x + delta : x);
  for (let k = 0; k < count; k++) {
    const template = templates[k % templates.length];
    const device = deviceOf.get(template.device_id);
    const startedAt = first - (k + 1) * 8000;
    const delta = startedAt - template.data.startedAt;
    const id = orderedId(startedAt);
    const deviceId = randomUUID();
    const serialNumber = `FAB${String(k + 1).padStart(7, '0')}`;
    const d = template.data;
    const data = {
      ...d,
      deviceId,
      serialNumber,
      sequence: 1,
      deviceName: `FAB-${String(k + 1).padStart(7, '0')}`,
      startedAt,
      completedAt: shiftAll(d.completedAt, delta),
      spanStartedAt: shiftAll(d.spanStartedAt, delta),
      deadlineAt: shiftAll(d.deadlineAt, delta),
      entraObjectId: d.entraObjectId && randomUUID(),
      azureADDeviceId: d.azureADDeviceId && randomUUID(),
      managedDeviceId: d.managedDeviceId && randomUUID(),
      items: d.items.map((i: any) => ({ ...i, startedAt: shiftAll(i.startedAt, delta), completedAt: shiftAll(i.completedAt, delta) })),
      timeline: d.timeline.map((e: any) => ({ ...e, at: e.at + delta })),
    };
    deployments.push({ id, device_id: deviceId, status: template.status, wake_at: null, started_at: new Date(startedAt).toISOString(), data, version: 0 });
    devices.push({ ...device, id: deviceId, serial_number: serialNumber, ordinal: ++ordinal, deployment_id: id, data: { ...device.data, entraObjectId: null } });
  }
}

describe('device simulator', () => {
  it('runs a device through device preparation on the virtual clock to "Required setup complete" and the desktop', { timeout: 60_000 }, async () => {
    const page = await signIn(contoso);
    await page.getByRole('link', { name: 'Device simulator' }).click();
    await page.getByRole('heading', { name: 'Device simulator' }).waitFor();
    await createDevice(page, 'CONTOSO-0001');

    // Fixed durations, so the clock lands on each screen: enrolled at 1 min, the script from 2:00 to 2:30,
    // the app from 2:30 to 4:00, then "Required setup complete".
    await setBehaviour(page, 'Every app', 'Duration', '90');
    await setBehaviour(page, 'Every script', 'Duration', '30');

    await signInOnDevice(page, contoso.tutorial.user.upn);
    await expect.poll(() => screenKind(page)).toBe('settingUp');
    await deviceScreen(page).getByText('Setting up for work or school').waitFor();
    await advance(page, '+1 min');
    await expect.poll(() => deviceScreen(page).getByRole('progressbar', { name: 'Setup progress' }).getAttribute('aria-valuenow')).toBe('1');
    await advance(page, '+1 min');
    await advance(page, '+1 min');
    await expect.poll(() => page.getByLabel('Deployment', { exact: true }).textContent()).toContain('Contoso Agent');
    await screenshot(page, 'simulator-setting-up', { wholeScreen: true });
    await advance(page, '+1 min');
    await expect.poll(() => screenKind(page)).toBe('requiredSetupComplete');
    await deviceScreen(page).getByText('Required setup complete').waitFor();
    await screenshot(page, 'simulator-required-setup-complete', { wholeScreen: true });
    await deviceScreen(page).getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => screenKind(page)).toBe('desktop');
    await expect.poll(() => deviceScreen(page).textContent()).toContain(`${contoso.tutorial.user.upn} is signed in`);
    await screenshot(page, 'simulator-desktop', { wholeScreen: true });
  });

  it('shows the failure screen with the custom message and its buttons when an app fails, and the failed row in the report and in explain', { timeout: 60_000 }, async () => {
    const page = await signIn(contoso);
    await page.goto('/#/simulator');
    await page.getByRole('heading', { name: 'Device simulator' }).waitFor();
    await setBehaviour(page, 'Contoso Agent', 'Exit code', '1603');
    await createDevice(page, 'CONTOSO-0002');
    await signInOnDevice(page, contoso.tutorial.user.upn);
    await advance(page, '+10 min');
    await expect.poll(() => screenKind(page)).toBe('failure');
    const screen = deviceScreen(page);
    await expect.poll(() => screen.getByTestId('failure-message').textContent()).toBe(CUSTOM_ERROR);
    await screen.getByRole('button', { name: 'Retry' }).waitFor();
    await screen.getByRole('button', { name: 'Collect logs' }).waitFor();
    // "Continue anyway" only after more than one attempt (the policy allows skipping).
    expect(await screen.getByRole('button', { name: 'Continue anyway' }).count()).toBe(0);
    await screen.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => screenKind(page)).toBe('settingUp');
    await advance(page, '+10 min');
    await expect.poll(() => screenKind(page)).toBe('failure');
    await screen.getByRole('button', { name: 'Continue anyway' }).waitFor();
    await screenshot(page, 'simulator-failure', { wholeScreen: true });

    // The report: the failed row, and the reason in the details pane.
    await page.getByRole('link', { name: 'Open in Monitor' }).click();
    const pane = page.getByRole('dialog', { name: 'Device deployment details' });
    await pane.getByRole('heading', { name: 'Apps' }).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('searchbox', { name: 'Search deployments' }).fill('CONTOSO-0002');
    const table = page.getByRole('table', { name: 'Windows Autopilot device preparation deployments' });
    const row = table.locator('[role="row"][data-key]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Failed');
    expect(await row.textContent()).toContain('App installation');
    await row.click();
    const app = pane.locator('[data-item="Contoso Agent"]');
    await expect.poll(() => app.textContent()).toContain('Failed');
    expect(await app.textContent()).toContain('The installer ended with exit code 1603.');
    expect(await pane.textContent()).toContain("App 'Contoso Agent' failed");
    expect(await pane.locator('[data-item="Set-ContosoDefaults"]').textContent()).toContain('Installed');
    await screenshot(page, 'monitor-deployment-details');
    await page.getByRole('button', { name: 'Close' }).click();

    // Explain: the prediction for this user on this device names the failing app.
    await page.getByRole('tab', { name: 'Explain' }).click();
    await page.getByRole('combobox', { name: 'User to explain' }).fill(contoso.tutorial.user.upn);
    await page.getByRole('combobox', { name: 'Device to explain' }).fill('CONTOSO-0002');
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const prediction = page.getByRole('region', { name: 'Prediction' });
    await prediction.getByText('Setup will fail').waitFor();
    expect(await prediction.textContent()).toContain("App 'Contoso Agent' failed: The installer ended with exit code 1603.");
    const predicted = prediction.locator('[data-item="Contoso Agent"]');
    expect(await predicted.textContent()).toContain('Tracked');
    expect(await predicted.textContent()).toContain('Failed');
    expect(await prediction.locator('[data-check="mdmUserScope"]').getAttribute('data-result')).toBe('pass');
    expect(await prediction.locator('[data-policy]').first().textContent()).toContain('Chosen');
    await prediction.getByRole('heading', { name: 'Last deployment on this device' }).waitFor();
    await screenshot(page, 'monitor-explain', { wholeScreen: true });
  });

  it("lets one device's behaviour override the tenant's: the retried app installs on that device", { timeout: 60_000 }, async () => {
    const page = await signIn(contoso);
    await page.goto('/#/simulator?device=CONTOSO-0002');
    await expect.poll(() => screenKind(page)).toBe('failure');
    await page.getByRole('tab', { name: 'This device (CONTOSO-0002)' }).click();
    await setBehaviour(page, 'Contoso Agent', 'Exit code', '0');
    const device = await ok(contoso.lab, 'GET', '/devices/CONTOSO-0002');
    expect(device.behaviour.apps[contoso.tutorial.appIds['Contoso Agent']!]).toEqual({ exitCode: 0 });
    // Every other device still fails the app.
    await page.getByRole('tab', { name: 'Every device' }).click();
    await expect.poll(() => page.locator('[data-behaviour="Contoso Agent"]').textContent()).toContain('exit 1603');
    await deviceScreen(page).getByRole('button', { name: 'Retry' }).click();
    await advance(page, '+10 min');
    await expect.poll(() => screenKind(page)).not.toBe('settingUp');
    expect(['requiredSetupComplete', 'desktop']).toContain(await screenKind(page));
  });

  it('shows the Enrollment Status Page of a classic Autopilot device, and its row in the classic tab', { timeout: 60_000 }, async () => {
    const page = await signIn(contoso);
    await page.goto('/#/simulator?device=AP-0001');
    await page.getByRole('heading', { name: 'AP-0001' }).waitFor();
    await signInOnDevice(page, contoso.tutorial.user.upn);
    // "Just a moment…" until the device has enrolled and the Enrollment Status Page takes over.
    await expect.poll(() => screenKind(page)).toBe('working');
    await advance(page, '+1 min');
    await expect.poll(() => screenKind(page)).toBe('enrollmentStatusPage');
    await advance(page, '+1 min');
    await expect.poll(() => deviceScreen(page).locator('[data-category="Device preparation"]').getAttribute('data-status')).toBe('complete');
    await screenshot(page, 'simulator-enrollment-status-page', { wholeScreen: true });
    await page.getByRole('button', { name: 'Run to end' }).click();
    await expect.poll(() => screenKind(page)).toBe('desktop');

    await page.goto('/#/monitor?tab=classic');
    const table = page.getByRole('table', { name: 'Windows Autopilot deployments' });
    const row = table.locator('[role="row"][data-key]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('AP-0001');
    expect(await row.textContent()).toContain('Success');
    expect(await row.textContent()).toContain('Autopilot user-driven profile');
  });
});

describe('monitor', () => {
  it('shows a deployment moved through the control API changed in the report within a second', { timeout: 60_000 }, async () => {
    const { lab } = contoso;
    const page = await signIn(contoso);
    await page.goto('/#/monitor');
    const table = page.getByRole('table', { name: 'Windows Autopilot device preparation deployments' });
    await table.locator('[role="row"][data-key]').first().waitFor();

    const device = await ok(lab, 'POST', '/devices', { serialNumber: 'CONTOSO-LIVE' }, 201);
    const deployment = await ok(lab, 'POST', `/devices/${device.id}/sign-in`, { userPrincipalName: contoso.tutorial.user.upn, password: DEVICE_PASSWORD }, 201);
    const row = table.locator(`[role="row"][data-key="${deployment.id}"]`);
    // Enrolled a minute later: the row appears.
    await ok(lab, 'POST', '/clock', { advanceSeconds: 60 });
    let moved = Date.now();
    await expect.poll(() => row.textContent(), { timeout: 1000, interval: 50 }).toContain('In progress');
    const appeared = Date.now() - moved;
    // Run to its end (the app made to fail above): In progress becomes Failed, with its deployment time.
    const ended = await ok(lab, 'POST', `/deployments/${deployment.id}/run`);
    expect(ended.status).toBe('failed');
    moved = Date.now();
    await expect.poll(() => row.textContent(), { timeout: 1000, interval: 50 }).not.toContain('In progress');
    const changed = Date.now() - moved;
    expect(await row.textContent()).toContain('Failed');
    expect(appeared).toBeLessThan(1000);
    expect(changed).toBeLessThan(1000);
    await screenshot(page, 'monitor-device-preparation-report');
  });

  it(`renders ${FLEET.toLocaleString('en-US')} deployments as a window of rows that scrolls and stays live, with the fleet's charts`, { timeout: 90_000 }, async () => {
    const fabrikam = await newTenant('Fabrikam', ['Fabrikam Agent', 'Fabrikam VPN'], ['Set-FabrikamDefaults']);
    const { lab } = fabrikam;
    // One user signs in on every device: lift the per-user device quota, and make one app fail now and then.
    const policy = await lab.client.api('/policies/deviceRegistrationPolicy').get();
    await lab.client.api('/policies/deviceRegistrationPolicy').put({ ...policy, userDeviceQuota: 1_000_000 });
    await ok(lab, 'PATCH', '/simulation', { apps: { [fabrikam.tutorial.appIds['Fabrikam VPN']!]: { failureRate: 0.15 } } });
    // Real runs: 200 devices signed in a minute apart in batches, run to their end; then 100 left running.
    await runBatches(lab, fabrikam.tutorial.user.upn, 10, 20, (b) => (b === 9 ? 3600 : 60));
    await runBatches(lab, fabrikam.tutorial.user.upn, 10, 10, (b) => (b === 9 ? 60 : 10));
    // A sign-in costs a few milliseconds (the password check), so the rest are copies of those deployments
    // at earlier times, on devices of their own, written with a snapshot restore through the control API.
    const snapshot = await ok(lab, 'GET', '/snapshot');
    const real = snapshot.tables.deployments.length;
    copyDeployments(snapshot, FLEET - real);
    await ok(lab, 'PUT', '/snapshot', snapshot);

    const page = await signIn(fabrikam);
    await page.goto('/#/monitor');
    const table = page.getByRole('table', { name: 'Windows Autopilot device preparation deployments' });
    await expect.poll(() => page.getByTestId('deployment-count').textContent(), { timeout: 30_000 }).toBe(`${FLEET.toLocaleString('en-US')} deployments`);
    expect(await table.getAttribute('aria-rowcount')).toBe(String(FLEET + 1));
    const rows = table.locator('[role="row"][data-key]');
    // Only a window of rows is in the DOM.
    expect(await rows.count()).toBeLessThan(60);
    expect(await rows.count()).toBeGreaterThan(10);
    await screenshot(page, 'monitor-report-many-deployments');

    // Scrolls: far down, other rows, still only a window of them.
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    const middle = Math.floor(FLEET / 2);
    await expect.poll(async () => Number(await rows.first().getAttribute('aria-rowindex'))).toBeGreaterThan(middle - 60);
    expect(Number(await rows.last().getAttribute('aria-rowindex'))).toBeLessThan(middle + 60);
    expect(await rows.count()).toBeLessThan(60);
    await table.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => rows.first().getAttribute('aria-rowindex')).toBe('2');

    // Live with many running: a device in view is reset through the control API; its row turns Failed.
    const top = rows.nth(2);
    expect(await top.textContent()).toContain('In progress');
    const id = await top.getAttribute('data-key');
    const running = await ok(lab, 'GET', `/deployments/${id}`);
    await ok(lab, 'POST', `/devices/${running.deviceId}/reset`);
    const moved = Date.now();
    await expect.poll(() => table.locator(`[data-key="${id}"]`).textContent(), { timeout: 1000, interval: 50 }).toContain('Failed');
    expect(Date.now() - moved).toBeLessThan(1000);

    // The fleet: deployments over time and the histogram of deployment times, drawn in SVG.
    await page.getByRole('tab', { name: 'Fleet' }).click();
    const overTime = page.getByRole('img', { name: /^Deployments over time: Started / });
    await expect.poll(() => overTime.getAttribute('aria-label')).toContain(`Started ${FLEET.toLocaleString('en-US')}`);
    expect(await overTime.locator('circle').count()).toBeGreaterThan(3);
    expect(await page.getByRole('img', { name: 'Deployment times' }).locator('rect').count()).toBeGreaterThan(2);
    await screenshot(page, 'monitor-fleet', { wholeScreen: true });
  });

  it('starts N devices from the fleet view, signed in as the chosen user', { timeout: 60_000 }, async () => {
    const page = await signIn(contoso);
    await page.goto('/#/monitor?tab=fleet');
    const before = Number((await page.getByLabel(/^Deployments: /).getAttribute('aria-label'))!.split(': ')[1]);
    const form = page.getByRole('form', { name: 'Start devices' });
    await form.getByRole('spinbutton', { name: 'Number of devices' }).fill('5');
    await form.getByRole('combobox', { name: 'User who signs in' }).fill(contoso.tutorial.user.upn);
    await form.getByLabel('Password of the user').fill(DEVICE_PASSWORD);
    await form.getByRole('button', { name: 'Start 5 devices' }).click();
    await page.getByText('5 deployments started.').waitFor();
    await expect.poll(async () => page.getByLabel(/^Deployments: /).getAttribute('aria-label')).toBe(`Deployments: ${before + 5}`);
    const r = await ok(contoso.lab, 'GET', '/deployments?status=inProgress');
    expect(r.value.filter((d: any) => d.userPrincipalName === contoso.tutorial.user.upn).length).toBeGreaterThanOrEqual(5);
  });
});
