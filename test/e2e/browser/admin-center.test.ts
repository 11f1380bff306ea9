// The admin center in Chromium against a real server: signing in (control key, tenant picker, a user's
// password), the setup checklist of a new tenant and of one where the tutorials were done through Graph
// (updated live, and flagged when something breaks), the navigation, signing out. Screenshots of the key
// screens are written to docs/screenshots/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { copyWebBuild, launchChromium, openPage, screenshot, type BrowserPage } from '../../helpers/browser.js';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../../helpers/server.js';
import { PASSWORD, classicTutorial, createUser, devicePreparationTutorial } from './tutorials.js';

interface Tenant {
  readonly tenant: TestTenant;
  readonly name: string;
  readonly admin: { id: string; upn: string };
}

let web: ReturnType<typeof copyWebBuild>;
let t: TestServer;
let browser: Browser;
let contoso: Tenant;
let woodgrove: Tenant;
let fabrikam: Tenant;
let open: BrowserPage | undefined;

async function newTenant(name: string): Promise<Tenant> {
  const tenant = await createTestTenant(t, 'empty', name);
  return { tenant, name, admin: await createUser(tenant, 'admin', 'Alex Admin') };
}

beforeAll(async () => {
  web = copyWebBuild();
  [t, browser] = await Promise.all([startTestServer({ webRoot: web.root }), launchChromium()]);
  fabrikam = await newTenant('Fabrikam');
  contoso = await newTenant('Contoso');
  woodgrove = await newTenant('Woodgrove');
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  web?.remove();
});

afterEach(async () => {
  // Nothing broke in the page that the test did not see.
  const errors = open?.errors ?? [];
  await open?.close();
  open = undefined;
  expect(errors).toEqual([]);
});

async function newPage(): Promise<Page> {
  open = await openPage(browser, t.url);
  return open.page;
}

const label = (x: Tenant) => `${x.name} (${x.tenant.domain})`;

async function enterControlKey(page: Page, key: string): Promise<void> {
  await page.getByLabel('Control key').fill(key);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function chooseTenant(page: Page, x: Tenant): Promise<void> {
  await page.getByRole('combobox', { name: 'Tenant' }).click();
  await page.getByRole('option', { name: label(x) }).click();
  await expect.poll(() => page.getByRole('combobox', { name: 'Tenant' }).textContent()).toBe(label(x));
}

async function enterUser(page: Page, upn: string, password: string): Promise<void> {
  await page.getByLabel('User name').fill(upn);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the screens, as a person does, and waits for the checklist. */
async function signIn(x: Tenant): Promise<Page> {
  const page = await newPage();
  await page.goto('/');
  await enterControlKey(page, t.controlKey);
  await chooseTenant(page, x);
  await enterUser(page, x.admin.upn, PASSWORD);
  await page.getByRole('heading', { name: 'Setup checklist' }).waitFor();
  return page;
}

const STEPS = ['dp1', 'dp2', 'dp3', 'dp4', 'dp5', 'dp6', 'dp7', 'ap1', 'ap2', 'ap3', 'ap4', 'ap5'];

async function statuses(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-step]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-step'), r.getAttribute('data-status')])));
}

/** Waits until the checklist shows these statuses (it reads the tenant again every few seconds). */
async function waitForStatuses(page: Page, expected: Record<string, string>): Promise<void> {
  const alerts = async () => (await page.getByRole('alert').allTextContents()).join(' | ');
  await expect.poll(async () => ({ statuses: await statuses(page), alerts: await alerts() }), { timeout: 15_000, interval: 200 }).toEqual({ statuses: expected, alerts: '' });
}

const all = (status: string, except: Record<string, string> = {}) => Object.fromEntries(STEPS.map((s) => [s, except[s] ?? status]));

describe('admin center: signing in', () => {
  it('takes the control key, a tenant and a user; refused keys and passwords are shown as the server words them', async () => {
    const page = await newPage();
    // The control key goes to /_tarmac only; Graph gets the user's token.
    const sent: { path: string; authorization: string }[] = [];
    page.on('request', (r) => {
      const authorization = r.headers().authorization;
      if (authorization) sent.push({ path: new URL(r.url()).pathname, authorization });
    });

    await page.goto('/');
    await page.getByRole('heading', { name: 'Connect to this Tarmac server' }).waitFor();
    await screenshot(page, 'sign-in-control-key');
    await enterControlKey(page, 'not-the-key');
    await page.getByText('Tarmac refused the control key').waitFor();
    await enterControlKey(page, t.controlKey);

    // Every tenant of the server is offered.
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    for (const x of [fabrikam, contoso, woodgrove]) await page.getByRole('option', { name: label(x) }).waitFor();
    await page.keyboard.press('Escape');
    await chooseTenant(page, contoso);

    await enterUser(page, contoso.admin.upn, 'wrong password');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('AADSTS50126: Error validating credentials due to invalid username or password.');
    await screenshot(page, 'sign-in-error');
    // A user of another tenant does not sign in here.
    await enterUser(page, fabrikam.admin.upn, PASSWORD);
    await expect.poll(() => alert.textContent()).toContain('AADSTS50126');

    await enterUser(page, contoso.admin.upn, PASSWORD);
    await page.getByRole('heading', { name: 'Setup checklist' }).waitFor();
    await page.getByRole('button', { name: `Tenant: ${label(contoso)}` }).waitFor();
    await page.getByRole('button', { name: `Account: Alex Admin (${contoso.admin.upn})` }).waitFor();

    // A reload keeps the session.
    await page.reload();
    await page.getByRole('heading', { name: 'Setup checklist' }).waitFor();
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('tarmac.signedIn') ?? 'null'));
    expect(stored).toMatchObject({ tenant: { tenantId: contoso.tenant.tenantId, adminClientId: contoso.tenant.admin.clientId }, user: { userPrincipalName: contoso.admin.upn } });

    const keyed = sent.filter((s) => s.authorization === `Bearer ${t.controlKey}`);
    expect(keyed.length).toBeGreaterThan(0);
    expect(keyed.filter((s) => !s.path.startsWith('/_tarmac/'))).toEqual([]);
    const graphCalls = sent.filter((s) => /^\/(v1\.0|beta)\//.test(s.path));
    expect(graphCalls.length).toBeGreaterThan(0);
    expect(graphCalls.every((s) => s.authorization === `Bearer ${stored.token}`)).toBe(true);
  });

  it('signs out (the token is forgotten, the key kept) and switches tenant by signing in to the other', async () => {
    const page = await signIn(contoso);
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to a tenant' }).waitFor();
    expect(await page.evaluate(() => [localStorage.getItem('tarmac.signedIn'), localStorage.getItem('tarmac.controlKey')])).toEqual([null, t.controlKey]);
    await expect.poll(() => page.getByRole('combobox', { name: 'Tenant' }).textContent()).toBe(label(contoso));

    await enterUser(page, contoso.admin.upn, PASSWORD);
    await page.getByRole('button', { name: `Tenant: ${label(contoso)}` }).click();
    await page.getByRole('menuitem', { name: new RegExp(`^${woodgrove.name}`) }).click();
    await page.getByText(`Sign in to ${woodgrove.name}.`).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Tenant' }).textContent()).toBe(label(woodgrove));
    await enterUser(page, woodgrove.admin.upn, PASSWORD);
    await page.getByRole('button', { name: `Tenant: ${label(woodgrove)}` }).waitFor();
  });
});

describe('admin center: setup checklist', () => {
  it('shows a new tenant with nothing started but what Entra allows by default', async () => {
    const page = await signIn(contoso);
    // Users may join devices: All is the default of a new tenant, as in Entra (the tutorial says to skip step 2 then).
    await waitForStatuses(page, all('notStarted', { dp2: 'done' }));
    await page.getByText('The pre-flight check finds nothing to fix.').waitFor();
    await page.locator('[data-step="dp1"]').getByText('MDM user scope of Microsoft Intune: None.').waitFor();
    await page.getByText('1 of 6 done').waitFor();
    await page.getByText('0 of 5 done').waitFor();
    await screenshot(page, 'home-checklist-new-tenant', { wholeScreen: true });
  });

  it('follows the tutorials done through Graph, live, and flags a step that breaks (on Refresh)', { timeout: 60_000 }, async () => {
    const page = await signIn(woodgrove);
    await waitForStatuses(page, all('notStarted', { dp2: 'done' }));

    const setup = await devicePreparationTutorial(t, woodgrove.tenant);
    await classicTutorial(t, woodgrove.tenant);
    // No click: the page reads the tenant again by itself.
    await waitForStatuses(page, all('done'));
    await page.getByText('The pre-flight check finds nothing to fix.').waitFor();
    await page.getByText('6 of 6 done').waitFor();
    await page.getByText('5 of 5 done').waitFor();
    await page.locator('[data-step="dp3"]').getByText("Device group 'Autopilot device preparation devices'").waitFor();
    await page.locator('[data-step="dp4"]').getByText("assigned to 'Autopilot device preparation users'").waitFor();
    await page.locator('[data-step="ap4"]').getByText("'Autopilot user-driven profile' → 'All Autopilot devices'").waitFor();
    await screenshot(page, 'home-checklist-tutorials-done', { wholeScreen: true });

    // The Intune Provisioning Client no longer owns the device group: step 3 needs attention, with the fix.
    const removed = await json(woodgrove.tenant.graph('DELETE', `/v1.0/groups/${setup.deviceGroupId}/owners/${setup.provisioningClientId}/$ref`));
    expect(removed.status).toBe(204);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await waitForStatuses(page, all('done', { dp3: 'attention' }));
    const finding = page.locator('[data-step="dp3"] [data-finding="dpDeviceGroupNotOwned"]');
    await expect.poll(() => finding.textContent()).toContain('Intune Provisioning Client');
    await expect.poll(() => finding.textContent()).toContain('Fix:');
    await page.getByText('The pre-flight check finds 1 error').waitFor();
    await screenshot(page, 'home-checklist-needs-attention', { wholeScreen: true });
  });
});

describe('admin center: navigation', () => {
  it('reaches every screen of the navigation, and a step links to the screen that fixes it', async () => {
    const page = await signIn(contoso);
    await page.locator('[data-step="dp6"]').getByRole('link', { name: 'Go to Device preparation policies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Device preparation policies' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/devices/device-preparation');
    // Arriving on a Devices screen opened its group in the navigation.
    await page.getByRole('link', { name: 'Windows Autopilot devices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Windows Autopilot devices' }).waitFor();
    await screenshot(page, 'navigation-devices');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Device preparation policies' }).waitFor();

    const nav = page.getByRole('navigation');
    const links = await nav.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent?.trim() ?? '', (a as HTMLAnchorElement).getAttribute('href') ?? '']));
    expect(links.length).toBeGreaterThanOrEqual(15);
    for (const [name, href] of links) {
      await nav.getByRole('link', { name: name!, exact: true }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe(href);
      await page.getByRole('heading', { level: 1, name: name === 'Home' ? 'Setup checklist' : name! }).waitFor();
    }

    // The users screen reads Graph with the user's token.
    await page.goto('/#/users');
    await page.getByRole('cell', { name: contoso.admin.upn }).waitFor();
    await page.goto('/#/no/such/screen');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });
});
