// The classic Windows Autopilot screens of the admin center in Chromium against a real server, in the order
// of the tutorial: the dynamic [ZTDId] device group (made through Graph), the portal's CSV imported with
// per-row results and progress (a duplicate row, a device already registered, an empty hash), a deployment
// profile created with a device name template checked as you type and assigned to the group (its devices'
// profile status becomes Assigned), a device's group tag and user edited, an Enrollment Status Page
// created with progress shown and moved to priority 1, the default enrollment restriction changed to block
// personally owned Windows devices, and an assignment filter whose rule is underlined where it is wrong.
// Screenshots go to docs/screenshots/.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot } from '../../helpers/browser.js';
import { createTestTenant, json, type TestServer, type TestTenant } from '../../helpers/server.js';
import { win32App } from '../../provisioning/tutorial.js';
import { PASSWORD, createUser } from './tutorials.js';

const TENANT = 'Fourth Coffee';
const GROUP = 'All Autopilot devices';
const PROFILE = 'Autopilot user-driven profile';
const ESP_EXISTING = 'Kiosk Enrollment Status Page';
const ESP_NEW = 'Autopilot Enrollment Status Page';
const HEADER = 'Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User';
const CONFIGURATIONS = '/beta/deviceManagement/deviceEnrollmentConfigurations';

let t: TestServer;
let tenant: TestTenant;
let admin: { id: string; upn: string };
let megan: { id: string; upn: string };
/** Simulated devices by serial number: their hardware hashes, as Get-WindowsAutopilotInfo reads them. */
const hashes: Record<string, string> = {};
const ids: Record<string, string> = {};

async function call(status: number, method: string, path: string, body?: unknown): Promise<any> {
  const res = await json(tenant.graph(method, path, body));
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

const suite = browserSuite();

beforeAll(async () => {
  t = suite.server;
  tenant = await createTestTenant(t, 'empty', TENANT);
  admin = await createUser(tenant, 'admin', 'Alex Admin');
  megan = await createUser(tenant, 'MeganB', 'Megan Bowen');
  // Step 1 of the tutorial: the dynamic device group of every Autopilot device.
  ids.group = (
    await call(201, 'POST', '/v1.0/groups', {
      displayName: GROUP,
      mailEnabled: false,
      mailNickname: 'AllAutopilotDevices',
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))',
      membershipRuleProcessingState: 'On',
    })
  ).id;
  // The devices "from the OEM", with their hardware hashes.
  for (const serialNumber of ['FC-1001', 'FC-1002', 'FC-1003', 'FC-0999']) {
    const device = await json(t.control('POST', `/tenants/${tenant.tenantId}/devices`, { serialNumber }));
    expect(device.status).toBe(201);
    hashes[serialNumber] = device.body.hardwareHash;
  }
  // One device is registered already (the CSV lists it again).
  const upload = await call(201, 'POST', '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities', {
    '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
    serialNumber: 'FC-0999',
    hardwareIdentifier: hashes['FC-0999'],
    groupTag: '',
    productKey: '',
    assignedUserPrincipalName: '',
  });
  expect(upload.state.deviceImportStatus).toBe('complete');
  await call(204, 'DELETE', `/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/${upload.id}`);
  // An app the Enrollment Status Page can wait for.
  ids.app = (await call(201, 'POST', '/beta/deviceAppManagement/mobileApps', win32App('Contoso Agent'))).id;
  // An Enrollment Status Page that is there first (priority 1), to reorder against.
  await call(201, 'POST', CONFIGURATIONS, {
    '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
    displayName: ESP_EXISTING,
    description: '',
    showInstallationProgress: true,
    installProgressTimeoutInMinutes: 30,
    roleScopeTagIds: ['0'],
  });
});

/** Signs in through the screens and opens `path`. */
async function signIn(path: string): Promise<Page> {
  const page = await suite.signIn(`${TENANT} (${tenant.domain})`, admin.upn, PASSWORD);
  await page.goto(`/#${path}`);
  return page;
}

const row = (page: Page, attribute: string, value: string) => page.locator(`tr[${attribute}="${value}"]`);
const cellTexts = (page: Page, selector: string) => page.locator(selector).evaluateAll((cells) => cells.map((c) => c.textContent?.trim() ?? ''));

describe('Windows Autopilot devices', () => {
  it('imports the portal CSV in one call, following each row to its result', async () => {
    const page = await signIn('/devices/autopilot');
    await page.getByRole('heading', { level: 1, name: 'Windows Autopilot devices' }).waitFor();
    await row(page, 'data-serial', 'FC-0999').waitFor();

    const imports: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/importedWindowsAutopilotDeviceIdentities/import')) imports.push(r.postDataJSON());
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Add Windows Autopilot devices' });
    const file = panel.getByLabel('File with the devices');

    // A file the portal refuses: the header is case-sensitive; nothing is sent.
    await file.setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from(`device serial number,windows product id,hardware hash\nFC-1001,,${hashes['FC-1001']}\n`) });
    await panel.getByText("The header is case-sensitive: write 'Device Serial Number,Windows Product ID,Hardware Hash'.").waitFor();
    expect(await panel.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);

    const csv = [
      HEADER,
      `FC-1001,,${hashes['FC-1001']},Sales,${megan.upn}`,
      `FC-1002,,${hashes['FC-1002']},,`,
      `FC-1003,,${hashes['FC-1003']},Sales,`,
      `FC-1001,,${hashes['FC-1001']},Sales,`,
      `FC-0999,,${hashes['FC-0999']},,`,
      `FC-1004,,,,`,
    ].join('\r\n');
    await file.setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\r\n`) });
    await panel.getByText('6 devices in the file').waitFor();
    await panel.getByRole('button', { name: 'Import' }).click();

    await panel.getByText('6 of 6 devices processed').waitFor();
    await panel.getByText('3 devices imported, 3 with errors.').waitFor();
    expect(await panel.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1');
    const results = await panel.locator('tr[data-line]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-line'), r.querySelector('td[data-result]')?.getAttribute('data-result')]));
    expect(results).toEqual([
      ['2', 'Imported'],
      ['3', 'Imported'],
      ['4', 'Imported'],
      ['5', 'ZtdDeviceDuplicated'],
      ['6', 'ZtdDeviceAlreadyAssigned'],
      ['7', 'InvalidZtdHardwareHash'],
    ]);
    await panel.getByText('The device is in the file more than once; only its first row was processed.').waitFor();
    await panel.getByText('The device is already registered in this tenant.').waitFor();
    await screenshot(page, 'autopilot-devices-import', { wholeScreen: true });

    // One call for the whole file, with the portal's columns.
    expect(imports).toHaveLength(1);
    const sent = (imports[0] as { importedWindowsAutopilotDeviceIdentities: Record<string, string>[] }).importedWindowsAutopilotDeviceIdentities;
    expect(sent.map((d) => [d.serialNumber, d.groupTag, d.assignedUserPrincipalName])).toEqual([
      ['FC-1001', 'Sales', megan.upn],
      ['FC-1002', '', ''],
      ['FC-1003', 'Sales', ''],
      ['FC-1001', 'Sales', ''],
      ['FC-0999', '', ''],
      ['FC-1004', '', ''],
    ]);
    // The upload records are removed once every row has finished.
    await expect.poll(async () => (await call(200, 'GET', '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities')).value.length).toBe(0);

    await panel.getByRole('button', { name: 'Close', exact: true }).click();
    for (const serial of ['FC-1001', 'FC-1002', 'FC-1003']) await row(page, 'data-serial', serial).waitFor();
    const imported = row(page, 'data-serial', 'FC-1001');
    expect(await imported.locator('td').evaluateAll((cells) => cells.map((c) => c.textContent?.trim()))).toEqual([
      'FC-1001',
      'Microsoft Corporation',
      'Surface Laptop 6',
      'Sales',
      'Not assigned',
      megan.upn,
      'Not contacted',
      '',
    ]);
    await page.getByText('4 of 4 devices.').waitFor();

    // Sync records the request.
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect.poll(() => page.getByLabel('Sync status').textContent()).not.toContain('Last sync request: never');
  });

  it("edits a device's group tag and name, assigns and unassigns its user, and deletes it", async () => {
    const page = await signIn('/devices/autopilot');
    await row(page, 'data-serial', 'FC-1002').getByRole('button', { name: 'FC-1002' }).click();
    const panel = page.getByRole('dialog', { name: 'Device FC-1002' });
    await panel.getByText('Surface Laptop 6').waitFor();

    // The portal's rule for a device name.
    await panel.getByLabel('Device name').fill('1234');
    await panel.getByText("A device name can't be all numbers.").waitFor();
    expect(await panel.getByRole('button', { name: 'Save properties' }).isDisabled()).toBe(true);
    await panel.getByLabel('Device name').fill('FC-KIOSK-02');
    await panel.getByLabel('Group tag').fill('Kiosk');
    await panel.getByRole('button', { name: 'Save properties' }).click();
    await expect.poll(async () => (await call(200, 'GET', `/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=serialNumber eq 'FC-1002'`)).value[0]).toMatchObject({
      groupTag: 'Kiosk',
      displayName: 'FC-KIOSK-02',
    });
    // The group tag reaches the Entra device's [OrderId], for group-tag groups.
    const identity = (await call(200, 'GET', `/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=serialNumber eq 'FC-1002'`)).value[0];
    const entra = (await call(200, 'GET', `/v1.0/devices?$filter=deviceId eq '${identity.azureAdDeviceId}'`)).value[0];
    expect(entra.physicalIds).toContain('[OrderId]:Kiosk');

    await panel.getByRole('combobox', { name: 'Assign a user' }).fill('Megan');
    await page.getByRole('option', { name: new RegExp(megan.upn) }).click();
    await panel.getByLabel('User friendly name').fill('Megan');
    await panel.getByRole('button', { name: `Assign ${megan.upn}` }).click();
    await panel.getByText(`${megan.upn} (Megan)`).waitFor();
    await screenshot(page, 'autopilot-device-details');
    await expect.poll(() => row(page, 'data-serial', 'FC-1002').locator('td').nth(5).textContent()).toBe(megan.upn);
    await panel.getByRole('button', { name: 'Unassign user' }).click();
    await panel.getByText('No user is assigned').waitFor();

    await panel.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete the device?' }).getByRole('button', { name: 'Delete' }).click();
    await row(page, 'data-serial', 'FC-1002').waitFor({ state: 'detached' });
    await page.getByText('3 of 3 devices.').waitFor();
  });
});

describe('deployment profiles', () => {
  it('creates a profile with a device name template checked as you type, assigned to the group: its devices become Assigned', async () => {
    const page = await signIn('/devices/deployment-profiles');
    await page.getByText('No profiles yet.').waitFor();
    await page.getByRole('button', { name: 'Create profile' }).click();
    const form = page.getByRole('dialog', { name: 'Create profile: Windows PC' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(PROFILE);
    await form.getByRole('radiogroup', { name: 'User account type' }).getByRole('radio', { name: 'Standard' }).check();
    await form.getByRole('radiogroup', { name: 'Apply device name template' }).getByRole('radio', { name: 'Yes' }).check();
    const template = form.getByLabel('Enter a name');
    const create = form.getByRole('button', { name: 'Create' });
    for (const [text, message] of [
      ['CON-%serial%', 'Macros must be written in capitals: use %SERIAL% instead of %serial%.'],
      ['12345', "A device name can't be all numbers."],
      ['CONTOSO-LAPTOP-01', 'A device name must be 15 characters or less; this template makes 17.'],
      ['CON %SERIAL%', 'A device name cannot contain spaces.'],
      ['CON_%SERIAL%', 'A device name can have letters, numbers and hyphens only.'],
    ]) {
      await template.fill(text!);
      await form.getByText(message!).waitFor();
      expect(await create.isDisabled()).toBe(true);
    }
    await template.fill('CON-%SERIAL%');
    await form.getByText('A device with serial number PF3XK2LM8Q is named CON-PF3XK2LM8Q.').waitFor();

    await form.getByRole('combobox', { name: 'Included groups' }).fill('All Auto');
    await page.getByRole('option', { name: new RegExp(GROUP) }).click();
    await form.getByRole('table', { name: 'Included groups' }).getByText(GROUP).waitFor();
    await screenshot(page, 'deployment-profile-create', { wholeScreen: true });
    await create.click();

    // The profile's page: its settings, its group, and the devices it now reaches.
    await page.getByRole('heading', { level: 1, name: PROFILE }).waitFor();
    await page.getByText('CON-%SERIAL%').first().waitFor();
    const devices = page.getByRole('table', { name: 'Assigned devices' });
    await devices.waitFor();
    expect((await cellTexts(page, 'table[aria-label="Assigned devices"] tr[data-serial] td:first-child')).sort()).toEqual(['FC-0999', 'FC-1001', 'FC-1003']);
    expect(await cellTexts(page, 'table[aria-label="Assigned devices"] td[data-column="profile-status"]')).toEqual(['Assigned', 'Assigned', 'Assigned']);
    await screenshot(page, 'deployment-profile-devices', { wholeScreen: true });

    const [profile] = (await call(200, 'GET', '/beta/deviceManagement/windowsAutopilotDeploymentProfiles?$expand=assignments')).value;
    expect(profile).toMatchObject({
      '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
      displayName: PROFILE,
      deviceNameTemplate: 'CON-%SERIAL%',
      locale: 'os-default',
      outOfBoxExperienceSetting: { userType: 'standard', deviceUsageType: 'singleUser', privacySettingsHidden: true, eulaHidden: true, escapeLinkHidden: true, keyboardSelectionPageSkipped: true },
    });
    expect(profile.assignments.map((a: any) => a.target)).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.group })]);

    // The devices list says the same.
    await page.goto('/#/devices/autopilot');
    await page.getByRole('heading', { level: 1, name: 'Windows Autopilot devices' }).waitFor();
    await page.getByRole('table', { name: 'Windows Autopilot devices' }).locator('tr[data-serial="FC-1003"]').waitFor();
    expect(await cellTexts(page, 'table[aria-label="Windows Autopilot devices"] td[data-column="profile-status"]')).toEqual(['Assigned', 'Assigned', 'Assigned']);
    await screenshot(page, 'autopilot-devices');
    // A device's panel names the profile it gets.
    await row(page, 'data-serial', 'FC-1003').getByRole('button', { name: 'FC-1003' }).click();
    const details = page.getByRole('dialog', { name: 'Device FC-1003' });
    await details.getByText(PROFILE).waitFor();
    await details.getByRole('button', { name: 'Close', exact: true }).click();
    await details.waitFor({ state: 'detached' });

    // The list of profiles, then an edit of its settings.
    await page.goto('/#/devices/deployment-profiles');
    await row(page, 'data-profile', PROFILE).getByText(GROUP).waitFor();
    await row(page, 'data-profile', PROFILE).getByRole('link', { name: PROFILE }).click();
    await page.getByRole('button', { name: 'Edit settings' }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${PROFILE}` });
    await edit.getByRole('radiogroup', { name: 'Privacy settings' }).getByRole('radio', { name: 'Show' }).check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    expect((await call(200, 'GET', `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${profile.id}`)).outOfBoxExperienceSetting.privacySettingsHidden).toBe(false);
    // A profile still assigned cannot be deleted: the service's refusal is shown.
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${PROFILE}?` });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByText('The profile is assigned to groups; remove its assignments before deleting it.').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('Enrollment Status Page', () => {
  it('creates a profile with progress shown, assigned to the group, and moves it to priority 1', async () => {
    const page = await signIn('/devices/enrollment-status-page');
    await row(page, 'data-profile', ESP_EXISTING).waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Create Enrollment Status Page profile' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(ESP_NEW);
    // Progress is shown on a new profile; the settings below it follow.
    expect(await form.getByRole('radiogroup', { name: 'Show app and profile configuration progress' }).getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    const timeout = form.getByLabel('Show an error when installation takes longer than specified number of minutes');
    await timeout.fill('0');
    await form.getByText('Enter a whole number of minutes from 1 to 1440.').waitFor();
    expect(await form.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
    await timeout.fill('90');
    await form.getByRole('radiogroup', { name: 'Show custom message when time limit or error occurs' }).getByRole('radio', { name: 'Yes' }).check();
    await form.getByRole('textbox', { name: 'Custom message' }).fill("Contact your organization's support person for help.");
    await form.getByRole('radiogroup', { name: 'Allow users to use device if installation error occurs' }).getByRole('radio', { name: 'No' }).check();
    await form.getByRole('radiogroup', { name: /^Block device use until these required apps/ }).getByRole('radio', { name: 'Selected' }).check();
    await form.getByText('Select at least one app, or choose All.').waitFor();
    expect(await form.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
    await form.getByRole('combobox', { name: 'Blocking apps' }).click();
    await page.getByRole('option', { name: /Contoso Agent/ }).click();
    await form.getByRole('table', { name: 'Blocking apps' }).getByText('Windows app (Win32)').waitFor();
    await form.getByRole('combobox', { name: 'Included groups' }).fill('All');
    await page.getByRole('option', { name: new RegExp(GROUP) }).click();
    await screenshot(page, 'enrollment-status-page-create', { wholeScreen: true });
    await form.getByRole('button', { name: 'Create' }).click();
    await form.waitFor({ state: 'detached' });

    // New profiles go just above the default; the default is always last.
    await row(page, 'data-profile', ESP_NEW).getByText(GROUP).waitFor();
    expect(await cellTexts(page, 'tr[data-profile] td:nth-child(2)')).toEqual([ESP_EXISTING, ESP_NEW, 'All users and all devices']);
    expect(await cellTexts(page, 'tr[data-profile] td:first-child')).toEqual(['1', '2', 'Default']);

    await page.getByRole('button', { name: `Actions for ${ESP_NEW}` }).click();
    await page.getByRole('menuitem', { name: 'Change priority…' }).click();
    const dialog = page.getByRole('dialog', { name: `Priority of ${ESP_NEW}` });
    await dialog.getByLabel('Priority').fill('1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cellTexts(page, 'tr[data-profile] td:nth-child(2)')).toEqual([ESP_NEW, ESP_EXISTING, 'All users and all devices']);
    expect(await cellTexts(page, 'tr[data-profile] td:first-child')).toEqual(['1', '2', 'Default']);
    await screenshot(page, 'enrollment-status-page');

    const esp = (await call(200, 'GET', `${CONFIGURATIONS}?$expand=assignments`)).value.find((c: any) => c.displayName === ESP_NEW);
    expect(esp).toMatchObject({
      priority: 1,
      showInstallationProgress: true,
      installProgressTimeoutInMinutes: 90,
      customErrorMessage: "Contact your organization's support person for help.",
      allowLogCollectionOnInstallFailure: true,
      disableUserStatusTrackingAfterFirstUser: true,
      blockDeviceSetupRetryByUser: false,
      allowDeviceResetOnInstallFailure: true,
      allowDeviceUseOnInstallFailure: false,
      selectedMobileAppIds: [ids.app],
    });
    expect(esp.assignments.map((a: any) => a.target.groupId)).toEqual([ids.group]);

    // Move down again from the menu.
    await page.getByRole('button', { name: `Actions for ${ESP_NEW}` }).click();
    await page.getByRole('menuitem', { name: 'Move down' }).click();
    await expect.poll(() => cellTexts(page, 'tr[data-profile] td:nth-child(2)')).toEqual([ESP_EXISTING, ESP_NEW, 'All users and all devices']);
  });
});

describe('enrollment restrictions', () => {
  it('blocks personally owned Windows devices in the default restriction, shown at the bottom', async () => {
    const page = await signIn('/devices/enrollment-restrictions');
    const def = row(page, 'data-restriction', 'All users and all devices');
    await def.waitFor();
    expect(await def.getAttribute('data-priority')).toBe('Default');
    expect(await def.locator('td[data-column="personal"]').textContent()).toBe('Allow');
    await def.getByRole('button', { name: 'All users and all devices', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Edit the default Windows restriction' });
    await form.getByLabel('Minimum OS version').fill('10');
    await form.getByText("'10' is not a Windows version: use major.minor.build.rev, e.g. 10.0.22631.").waitFor();
    await form.getByLabel('Minimum OS version').fill('10.0.22631');
    await form.getByLabel('Maximum OS version').fill('10.0.19045');
    await form.getByText('The minimum version 10.0.22631 is higher than the maximum 10.0.19045.').waitFor();
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await form.getByLabel('Minimum OS version').fill('');
    await form.getByLabel('Maximum OS version').fill('');
    await form.getByRole('radiogroup', { name: 'Personally owned devices' }).getByRole('radio', { name: 'Block' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => def.locator('td[data-column="personal"]').textContent()).toBe('Block');
    const stored = await call(200, 'GET', `${CONFIGURATIONS}/${tenant.tenantId}_DefaultPlatformRestrictions`);
    expect(stored.windowsRestriction).toEqual({ platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [], blockedSkus: [] });

    // A custom restriction lands above the default.
    await page.getByRole('button', { name: 'Create restriction' }).click();
    const create = page.getByRole('dialog', { name: 'Create restriction: Windows' });
    await create.getByRole('textbox', { name: 'Name', exact: true }).fill('Windows 11 only');
    await create.getByLabel('Minimum OS version').fill('10.0.22000');
    await create.getByRole('checkbox', { name: 'All users' }).check();
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });
    await expect.poll(() => cellTexts(page, 'tr[data-restriction] td:nth-child(2)')).toEqual(['Windows 11 only', 'All users and all devices']);
    expect(await cellTexts(page, 'tr[data-restriction] td:first-child')).toEqual(['1', 'Default']);
    await screenshot(page, 'enrollment-restrictions');

    // Device limits: 1 to 15.
    await page.getByRole('tab', { name: 'Device limit restriction' }).click();
    const limit = row(page, 'data-restriction', 'All users and all devices');
    expect(await limit.locator('td[data-column="limit"]').textContent()).toBe('5');
    await limit.getByRole('button', { name: 'All users and all devices', exact: true }).click();
    const limitForm = page.getByRole('dialog', { name: 'Edit the default device limit' });
    await limitForm.getByRole('combobox', { name: 'Device limit' }).click();
    expect(await page.getByRole('option').count()).toBe(15);
    await page.getByRole('option', { name: '10', exact: true }).click();
    await limitForm.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => limit.locator('td[data-column="limit"]').textContent()).toBe('10');
  });
});

describe('filters', () => {
  it('underlines the part of a rule the check refuses, as you type, and saves a valid one', async () => {
    const page = await signIn('/devices/filters');
    await page.getByText('No filters yet.').waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Create filter' });
    await form.getByLabel('Filter name').fill('Surface devices');
    const rule = form.getByRole('textbox', { name: 'Rule syntax' });
    await rule.fill('(device.manufacturer -eq "Microsoft Corporation") and (device.modell -startsWith "Surface")');
    const mark = form.locator('[data-rule-mark]');
    await expect.poll(() => mark.textContent()).toBe('device.modell');
    await form.locator('[data-rule-error]').waitFor();
    await screenshot(page, 'assignment-filter-rule-error');
    await form.getByRole('button', { name: 'Validate with Graph' }).click();
    await form.getByText('Graph validateFilter: the rule is not valid.').waitFor();

    await rule.fill('(device.manufacturer -eq "Microsoft Corporation") and (device.model -startsWith "Surface")');
    await form.getByText('The rule syntax is valid.').waitFor();
    expect(await mark.count()).toBe(0);
    await form.getByRole('button', { name: 'Validate with Graph' }).click();
    await form.getByText('Graph validateFilter: the rule is valid.').waitFor();
    await form.getByRole('button', { name: 'Create' }).click();
    await form.waitFor({ state: 'detached' });
    await row(page, 'data-filter', 'Surface devices').getByText('Windows 10 and later').waitFor();
    await screenshot(page, 'assignment-filters');
    const [filter] = (await call(200, 'GET', '/beta/deviceManagement/assignmentFilters')).value;
    expect(filter).toMatchObject({ displayName: 'Surface devices', platform: 'windows10AndLater', rule: '(device.manufacturer -eq "Microsoft Corporation") and (device.model -startsWith "Surface")' });
  });
});
