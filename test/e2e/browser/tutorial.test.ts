// The device preparation tutorial done by a person in the admin center, from an empty tenant, with nothing
// set up through Graph but the admin who signs in: the end user is created in Users; Tenant settings (steps 1
// and 2); the device group owned by the Intune Provisioning Client and the user group with the user (steps 3
// and 4), and a broken dynamic rule typed in New group, shown where it is wrong; two Win32 apps assigned
// Required to the device group and a script assigned to it (step 5); the policy made with the wizard (step 6);
// corporate identifiers uploaded from a CSV (step 7); the checklist with every step done. Then the device
// simulator: a device runs setup on the virtual clock to "Required setup complete" and the desktop; an app
// made to fail in the simulated behaviour gives a second device the failure screen with Retry; Monitor shows
// one success and one failure, the failed row's details pane names the app and why, and Explain predicts the
// failure for that user on that device. Screenshots of the key moments go to docs/screenshots/tutorial-*.png.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserSuite, screenshot } from '../../helpers/browser.js';
import { createTestTenant, type TestServer, type TestTenant } from '../../helpers/server.js';
import { PASSWORD, createUser } from './tutorials.js';

const DEVICE_GROUP = 'Autopilot device preparation devices';
const USER_GROUP = 'Autopilot device preparation users';
const APP = 'Contoso Agent';
const FAILING_APP = 'Contoso VPN';
const SCRIPT = 'Set-ContosoDefaults';
const POLICY = 'Contoso user-driven';
const USER = { nickname: 'MeganB', name: 'Megan Bowen' };
const MANUFACTURER = 'Microsoft Corporation';
const MODEL = 'Surface Laptop 6';
const DEVICES = ['DP-0001', 'DP-0002'] as const;

let t: TestServer;
let tenant: TestTenant;
let admin: { id: string; upn: string };

const suite = browserSuite();

beforeAll(async () => {
  t = suite.server;
  tenant = await createTestTenant(t, 'empty', 'Contoso');
  // The one thing not done in the admin center: someone to sign in to it.
  admin = await createUser(tenant, 'admin', 'Alex Admin');
});

/** Signs in through the screens, as a person does, and waits for the checklist. */
async function signIn(): Promise<Page> {
  const page = await suite.signIn(`Contoso (${tenant.domain})`, admin.upn, PASSWORD);
  return page;
}

/** Goes to a screen through the navigation (opening its group, Devices, when it is folded). */
async function go(page: Page, title: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Admin center' });
  const link = nav.getByRole('link', { name: title, exact: true });
  if (!(await link.isVisible())) await nav.getByText('Devices', { exact: true }).click();
  await link.click();
  await page.getByRole('heading', { level: 1, name: title === 'Home' ? 'Setup checklist' : title }).waitFor();
}

/** A field's accessible name: its label, with the asterisk of a required field. */
const named = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

/** Chooses an option of a dropdown labelled `label` (in `scope`). */
async function choose(scope: Page | Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: named(label) }).click();
  await (('page' in scope ? scope.page() : scope) as Page).getByRole('option', { name: option, exact: true }).click();
}

/** Picks a group in the group picker labelled `label` by typing part of its name. */
async function pickGroup(page: Page, label: string, name: string): Promise<void> {
  const box = page.getByRole('combobox', { name: named(label) });
  await box.click();
  await box.fill(name.slice(0, 8));
  await page.getByRole('option', { name, exact: true }).click();
  await expect.poll(() => box.inputValue()).toBe(name);
}

/** Picks objects in the "Add …" pane (a dialog, or in place inside a dialog): searches each name and ticks it. */
async function pick(page: Page, title: string, names: string[]): Promise<void> {
  const pane = page.getByRole('dialog', { name: title }).or(page.getByRole('region', { name: title }));
  for (const name of names) {
    await pane.getByRole('searchbox', { name: 'Search' }).fill(name);
    await pane.getByRole('checkbox', { name, exact: true }).check();
  }
  await pane.getByRole('button', { name: 'Select' }).click();
  await pane.waitFor({ state: 'detached' });
}

/** Adds a Win32 app through "Add app" and assigns it Required to the device group on its page. */
async function addWin32App(page: Page, name: string, file: string): Promise<void> {
  await page.getByRole('button', { name: 'Add app' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add app' });
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByLabel('Publisher').fill('Contoso');
  await dialog.getByLabel(/^Install command/).fill('setup.exe /quiet');
  await dialog.getByLabel('Uninstall command').fill('setup.exe /uninstall /quiet');
  await dialog.getByLabel('Path').fill('C:\\Program Files\\Contoso');
  await dialog.getByLabel('File or folder').fill(file);
  if (name === APP) await screenshot(page, 'tutorial-add-app');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByText('Not assigned to any group.').waitFor();
  await choose(page, 'Intent', 'Required');
  await pickGroup(page, 'Group', DEVICE_GROUP);
  await page.getByRole('button', { name: 'Add group' }).click();
  const row = page.getByRole('table', { name: 'Assignments' }).getByRole('row').nth(1);
  await expect.poll(() => row.textContent()).toBe(`RequiredIncluded${DEVICE_GROUP}SystemRemove`);
}

const deviceScreen = (page: Page) => page.getByRole('region', { name: 'Device screen' });
const screenKind = (page: Page) => deviceScreen(page).getAttribute('data-screen');

/** Creates a simulated device (the form's manufacturer and model, the ones uploaded as corporate identifiers). */
async function createDevice(page: Page, serial: string): Promise<void> {
  await page.getByRole('button', { name: 'New device' }).click();
  const form = page.getByRole('form', { name: 'New device' });
  await form.getByLabel('Serial number').fill(serial);
  expect(await form.getByLabel('Manufacturer').inputValue()).toBe(MANUFACTURER);
  expect(await form.getByLabel('Model').inputValue()).toBe(MODEL);
  await form.getByRole('button', { name: 'Create device' }).click();
  await page.getByRole('heading', { name: serial }).waitFor();
  await expect.poll(() => screenKind(page)).toBe('signIn');
}

async function signInOnDevice(page: Page, upn: string): Promise<void> {
  const screen = deviceScreen(page);
  await screen.getByLabel('Email').fill(upn);
  await screen.getByLabel('Password').fill(PASSWORD);
  await screen.getByRole('button', { name: 'Next' }).click();
}

/** Saves one field of an app's or script's simulated behaviour and waits until the saved value shows. */
async function setBehaviour(page: Page, name: string, field: 'Duration' | 'Exit code', value: string): Promise<void> {
  const row = page.locator(`[data-behaviour="${name}"]`);
  await row.getByLabel(`${field} of ${name}`).fill(value);
  await row.getByRole('button', { name: `Save behaviour of ${name}` }).click();
  await expect.poll(() => row.textContent()).toContain(field === 'Duration' ? `${value} s` : `exit ${value}`);
}

const clock = (page: Page) => page.getByLabel('Virtual clock', { exact: true });

async function statuses(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-step^="dp"]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-step'), r.getAttribute('data-status')])));
}

describe('the device preparation tutorial, in the admin center', () => {
  it('is done from an empty tenant; a device runs to success, a failing app is seen in the report and explained; a broken rule is shown where it is wrong', { timeout: 120_000 }, async () => {
    const page = await signIn();
    const upn = `${USER.nickname}@${tenant.domain}`;
    // A new tenant: nothing done but step 2 (users may join devices: All, as in Entra).
    await expect.poll(() => statuses(page)).toEqual({ dp1: 'notStarted', dp2: 'done', dp3: 'notStarted', dp4: 'notStarted', dp5: 'notStarted', dp6: 'notStarted', dp7: 'notStarted' });

    // The end user, created in Users with a password of our choosing.
    await go(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const newUser = page.getByRole('dialog', { name: 'New user' });
    await newUser.getByLabel('Display name').fill(USER.name);
    await newUser.getByRole('textbox', { name: 'User principal name' }).fill(USER.nickname);
    await newUser.getByRole('checkbox', { name: 'Auto-generate password' }).uncheck();
    await newUser.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await newUser.getByRole('button', { name: 'Create' }).click();
    const userPanel = page.getByRole('dialog', { name: 'User details' });
    await userPanel.getByText(upn).waitFor();
    await userPanel.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('link', { name: USER.name }).waitFor();

    // Steps 1 and 2: the MDM user scope of Microsoft Intune is All; users may join devices: All (the default).
    await go(page, 'Tenant settings');
    const mdm = page.getByRole('group', { name: 'Windows automatic enrollment: Microsoft Intune' });
    const scope = mdm.getByRole('radiogroup', { name: 'MDM user scope' });
    await expect.poll(() => scope.getByRole('radio', { name: 'None' }).isChecked()).toBe(true);
    await scope.getByRole('radio', { name: 'All' }).check();
    await mdm.getByRole('button', { name: 'Save' }).click();
    await mdm.getByText('Saved.').waitFor();
    const join = page.getByRole('group', { name: 'Device settings: Microsoft Entra ID' }).getByRole('radiogroup', { name: 'Users may join devices to Microsoft Entra' });
    await expect.poll(() => join.getByRole('radio', { name: 'All' }).isChecked()).toBe(true);
    await screenshot(page, 'tutorial-tenant-settings');

    // Step 3: the assigned device group, owned by the Intune Provisioning Client.
    await go(page, 'Groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const newGroup = page.getByRole('dialog', { name: 'New group' });
    await newGroup.getByLabel('Group name').fill(DEVICE_GROUP);
    expect(await newGroup.getByRole('combobox', { name: 'Membership type' }).textContent()).toBe('Assigned');
    await newGroup.getByRole('button', { name: 'Add owners' }).click();
    await pick(page, 'Add owners', ['Intune Provisioning Client']);
    await newGroup.getByRole('toolbar', { name: 'Owners' }).getByText('Intune Provisioning Client').waitFor();
    await screenshot(page, 'tutorial-device-group');
    await newGroup.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: DEVICE_GROUP }).waitFor();
    await page.getByRole('tab', { name: 'Owners', exact: true }).click();
    await page.getByRole('table', { name: 'Owners' }).getByRole('cell', { name: 'Intune Provisioning Client', exact: true }).waitFor();

    // Step 4: the user group, with the user as member.
    await page.getByRole('link', { name: 'All groups' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    await newGroup.getByLabel('Group name').fill(USER_GROUP);
    await newGroup.getByRole('button', { name: 'Add members' }).click();
    await pick(page, 'Add members', [USER.name]);
    await newGroup.getByRole('toolbar', { name: 'Members' }).getByText(USER.name).waitFor();
    await newGroup.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: USER_GROUP }).waitFor();
    await page.getByRole('table', { name: 'Members' }).getByRole('cell', { name: USER.name, exact: true }).waitFor();

    // The rule editor: a broken dynamic rule is underlined where it is wrong, with its column; Create refuses
    // it; fixed, it is valid. Cancelled: the tutorial needs no dynamic group.
    await page.getByRole('link', { name: 'All groups' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    await newGroup.getByLabel('Group name').fill('All Autopilot devices');
    await choose(newGroup, 'Membership type', 'Dynamic Device');
    const editor = newGroup.getByRole('textbox', { name: 'Rule syntax' });
    const ruleError = newGroup.getByLabel('Rule error');
    const broken = '(device.devicePhysicalIds -any (_ -contains "[ZTDId]")) -and (device.modle -eq "Surface")';
    await editor.fill(broken);
    await expect.poll(() => ruleError.textContent()).toContain('Attribute not supported.');
    const position = Number(await ruleError.getAttribute('data-position'));
    expect(broken.slice(position, Number(await ruleError.getAttribute('data-end')))).toBe('device.modle');
    expect(await ruleError.textContent()).toContain(`column ${position + 1}`);
    expect(await newGroup.locator('[data-rule-error]').allTextContents()).toEqual(['device.modle']);
    await screenshot(page, 'tutorial-rule-error');
    await newGroup.getByRole('button', { name: 'Create' }).click();
    await newGroup.getByText("The rule isn't valid: Attribute not supported.").waitFor();
    await editor.fill('(device.devicePhysicalIds -any (_ -contains "[ZTDId]")) -and (device.deviceModel -eq "Surface")');
    await newGroup.getByLabel('Rule check').getByText('The rule is valid: a rule for devices.').waitFor();
    expect(await ruleError.count()).toBe(0);
    await newGroup.getByRole('button', { name: 'Cancel' }).click();
    await newGroup.waitFor({ state: 'detached' });
    const groups = page.locator('tr[data-group]');
    await expect.poll(() => groups.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')).sort())).toEqual([DEVICE_GROUP, USER_GROUP]);

    // Step 5: two Win32 apps assigned Required to the device group, and a script assigned to it.
    await go(page, 'Apps');
    await page.getByText('No apps yet').waitFor();
    await addWin32App(page, APP, 'agent.exe');
    await page.getByRole('button', { name: 'All apps' }).click();
    await addWin32App(page, FAILING_APP, 'vpn.exe');
    await page.getByRole('button', { name: 'All apps' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Apps' }).getByRole('row').allTextContents()).toEqual([
      'NameTypePublisherAssigned',
      `${APP}Windows app (Win32)ContosoYes`,
      `${FAILING_APP}Windows app (Win32)ContosoYes`,
    ]);

    await go(page, 'Scripts');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const addScript = page.getByRole('dialog', { name: 'Add Windows PowerShell script' });
    await addScript.getByLabel(/^Name/).fill(SCRIPT);
    const content = 'Set-TimeZone -Id "W. Europe Standard Time"\r\nWrite-Output "ok"\r\n';
    await addScript.getByLabel('Script file').setInputFiles({ name: `${SCRIPT}.ps1`, mimeType: 'text/plain', buffer: Buffer.from(content) });
    await addScript.getByText(`${SCRIPT}.ps1 (${content.length} bytes)`).waitFor();
    await addScript.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SCRIPT }).waitFor();
    await pickGroup(page, 'Group', DEVICE_GROUP);
    await page.getByRole('button', { name: 'Add group' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Assignments' }).getByRole('row').allTextContents()).toEqual(['Group modeGroup', `Included${DEVICE_GROUP}Remove`]);

    // Step 6: the policy, with the wizard: both apps, the script, the user group, the device group.
    await go(page, 'Device preparation policies');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Create device preparation policy' }).waitFor();
    const step = page.getByRole('heading', { level: 2 });
    const next = page.getByRole('button', { name: 'Next', exact: true });
    await expect.poll(() => step.textContent()).toBe('Introduction');
    await page.getByLabel(/^Name/).fill(POLICY);
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Deployment settings');
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Out-of-box experience settings');
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Apps');
    await page.getByRole('checkbox', { name: `Select ${APP}` }).check();
    await page.getByRole('checkbox', { name: `Select ${FAILING_APP}` }).check();
    await page.getByText('2 of 25 apps selected').waitFor();
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Scripts');
    await page.getByRole('checkbox', { name: `Select ${SCRIPT}` }).check();
    await page.getByText('1 of 10 scripts selected').waitFor();
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Assignments');
    await pickGroup(page, 'User group', USER_GROUP);
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('table', { name: 'Included groups' }).getByRole('cell', { name: USER_GROUP, exact: true }).waitFor();
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Device group');
    await pickGroup(page, 'Device group', DEVICE_GROUP);
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Review + create');
    // Everything the policy selects is assigned as it should be: no warning.
    expect(await page.getByText(/is not assigned as Required/).count()).toBe(0);
    await screenshot(page, 'tutorial-policy-review', { wholeScreen: true });
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Device preparation policies' }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Device preparation policies' }).getByRole('row').allTextContents()).toEqual([
      'PriorityNameAssignedLast modifiedOrder',
      expect.stringMatching(new RegExp(`^1${POLICY}Yes`)),
    ]);

    // Step 7: the simulated devices' manufacturer, model and serial number, uploaded as corporate identifiers.
    await go(page, 'Corporate identifiers');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const importDialog = page.getByRole('dialog', { name: 'Add corporate identifiers' });
    const csv = DEVICES.map((serial) => `${MANUFACTURER},${MODEL},${serial}`).join('\r\n');
    await importDialog.getByLabel('Identifier file').setInputFiles({ name: 'identifiers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const lines = () => importDialog.locator('[data-line]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-line')}:${r.getAttribute('data-status')}`));
    await expect.poll(lines).toEqual(['1:ready', '2:ready']);
    await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(lines).toEqual(['1:true', '2:true']);
    await importDialog.getByText('2 of 2 rows imported.').waitFor();
    await importDialog.getByRole('button', { name: 'Done' }).click();
    const identifiers = page.getByRole('table', { name: 'Corporate identifiers' }).locator('[data-identifier]');
    await expect.poll(() => identifiers.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-identifier')))).toEqual(DEVICES.map((serial) => `${MANUFACTURER},${MODEL},${serial}`));

    // Home: the checklist has every step of the tutorial done, and the pre-flight check finds nothing to fix.
    await go(page, 'Home');
    const done = { dp1: 'done', dp2: 'done', dp3: 'done', dp4: 'done', dp5: 'done', dp6: 'done', dp7: 'done' };
    await expect.poll(() => statuses(page), { timeout: 15_000 }).toEqual(done);
    await page.getByText('6 of 6 done').waitFor();
    await page.getByText('The pre-flight check finds nothing to fix.').waitFor();
    await page.locator('[data-step="dp3"]').getByText(`Device group '${DEVICE_GROUP}'`).waitFor();
    await page.locator('[data-step="dp4"]').getByText(`assigned to '${USER_GROUP}'`).waitFor();
    await screenshot(page, 'tutorial-checklist-done', { wholeScreen: true });

    // The device simulator: the clock stopped, so setup moves only when the clock is moved.
    await go(page, 'Device simulator');
    // A new tenant's clock runs in real time.
    await clock(page).getByText('Running in real time.').waitFor();
    await clock(page).getByRole('button', { name: 'Stop the clock (rate 0)' }).click();
    await clock(page).getByText('Stopped: time moves only when you move it.').waitFor();

    // Every app and script takes a minute, so the clock lands on each screen: enrolled at 1 min, the three
    // items from 2:00 to 5:00, then "Required setup complete" (for ten seconds, or until Continue).
    await setBehaviour(page, 'Every app', 'Duration', '60');
    await setBehaviour(page, 'Every script', 'Duration', '60');

    // The first device: the user signs in and setup starts, minute by minute on the clock.
    await createDevice(page, DEVICES[0]);
    await signInOnDevice(page, upn);
    await expect.poll(() => screenKind(page)).toBe('settingUp');
    await deviceScreen(page).getByText('Setting up for work or school').waitFor();
    const minute = clock(page).getByRole('button', { name: '+1 min' });
    await minute.click();
    await minute.click();
    await minute.click();
    await expect.poll(() => page.getByLabel('Deployment', { exact: true }).textContent()).toContain(POLICY);
    await expect.poll(() => page.getByLabel('Deployment', { exact: true }).textContent()).toMatch(/Installing(Contoso|Set-)/);
    await screenshot(page, 'tutorial-simulator-setting-up', { wholeScreen: true });
    await minute.click();
    await minute.click();
    await expect.poll(() => screenKind(page)).toBe('requiredSetupComplete');
    await deviceScreen(page).getByText('Required setup complete').waitFor();
    await screenshot(page, 'tutorial-simulator-required-setup-complete', { wholeScreen: true });
    await deviceScreen(page).getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => screenKind(page)).toBe('desktop');
    await expect.poll(() => deviceScreen(page).textContent()).toContain(`${upn} is signed in`);

    // The second app fails on every device from now on: exit code 1603.
    await setBehaviour(page, FAILING_APP, 'Exit code', '1603');

    // The second device: setup fails on that app; the failure screen offers Retry.
    await createDevice(page, DEVICES[1]);
    await signInOnDevice(page, upn);
    await expect.poll(() => screenKind(page)).toBe('settingUp');
    await clock(page).getByRole('button', { name: 'Run to end' }).click();
    await expect.poll(() => screenKind(page)).toBe('failure');
    await deviceScreen(page).getByRole('button', { name: 'Retry' }).waitFor();
    await screenshot(page, 'tutorial-simulator-failure', { wholeScreen: true });

    // Monitor: one success, one failure; the failed row's details name the app and why.
    await go(page, 'Monitor');
    const table = page.getByRole('table', { name: 'Windows Autopilot device preparation deployments' });
    const rows = table.locator('[role="row"][data-key]');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByText('Success: 1', { exact: true }).waitFor();
    await page.getByText('Failed: 1', { exact: true }).waitFor();
    const succeeded = rows.filter({ hasText: DEVICES[0] });
    const failed = rows.filter({ hasText: DEVICES[1] });
    await expect.poll(() => succeeded.textContent()).toContain('Success');
    await expect.poll(() => failed.textContent()).toContain('Failed');
    expect(await failed.textContent()).toContain('App installation');
    expect(await failed.textContent()).toContain(upn);
    await screenshot(page, 'tutorial-monitor-report');
    await failed.click();
    const pane = page.getByRole('dialog', { name: 'Device deployment details' });
    const app = pane.locator(`[data-item="${FAILING_APP}"]`);
    await expect.poll(() => app.textContent()).toContain('Failed');
    expect(await app.textContent()).toContain('The installer ended with exit code 1603.');
    expect(await pane.textContent()).toContain(`App '${FAILING_APP}' failed`);
    await screenshot(page, 'tutorial-monitor-details');
    await pane.getByRole('button', { name: 'Close' }).click();
    await pane.waitFor({ state: 'detached' });

    // Explain: for this user on the second device, setup is predicted to fail on that app.
    await page.getByRole('tab', { name: 'Explain' }).click();
    await page.getByRole('combobox', { name: 'User to explain' }).fill(upn);
    await page.getByRole('combobox', { name: 'Device to explain' }).fill(DEVICES[1]);
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const prediction = page.getByRole('region', { name: 'Prediction' });
    await prediction.getByText('Setup will fail').waitFor();
    expect(await prediction.textContent()).toContain(`App '${FAILING_APP}' failed: The installer ended with exit code 1603.`);
    const predicted = prediction.locator(`[data-item="${FAILING_APP}"]`);
    expect(await predicted.textContent()).toContain('Tracked');
    expect(await predicted.textContent()).toContain('Failed');
    // The corporate identifier uploaded in step 7 makes the device a corporate one.
    expect(await prediction.textContent()).toContain('the device enrolls as corporate (corporate identifier');
    await prediction.getByRole('heading', { name: 'Last deployment on this device' }).waitFor();
    await prediction.getByText('It went as predicted now.').waitFor();
    await screenshot(page, 'tutorial-explain', { wholeScreen: true });
  });
});
