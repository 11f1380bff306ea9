// The Intune screens of the admin center in Chromium against a real server, in the order of the device
// preparation tutorial (steps 5-7): a Win32 app added and assigned Required to the device group, a script
// uploaded and assigned, the device preparation policy created with the wizard (a device group the Intune
// Provisioning Client does not own is refused with the portal's message), the priority list reordered, the
// policy edited, and corporate identifiers uploaded from a CSV with per-row results. The groups are made
// through Graph (the groups screen is not part of this). Screenshots go to docs/screenshots/.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot } from '../../helpers/browser.js';
import { createTestTenant, json, type TestServer, type TestTenant } from '../../helpers/server.js';
import { userDrivenPolicyBody } from '../../../src/intune/device-preparation-templates.js';
import { PASSWORD, createUser } from './tutorials.js';

const PROVISIONING_CLIENT = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const POLICIES = '/beta/deviceManagement/configurationPolicies';
const DEVICE_GROUP = 'Autopilot device preparation devices';
const UNOWNED_GROUP = 'Lab devices';
const USER_GROUP = 'Autopilot device preparation users';
const APP = 'Contoso Agent';
const SCRIPT = 'Set-ContosoDefaults';
const POLICY = 'Contoso user-driven';
const OTHER_POLICY = 'Contractors';

let t: TestServer;
let tenant: TestTenant;
let admin: { id: string; upn: string };
const ids: Record<string, string> = {};

async function call(status: number, method: string, path: string, body?: unknown): Promise<any> {
  const res = await json(tenant.graph(method, path, body));
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

const group = (name: string, extra: Record<string, unknown> = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });

const suite = browserSuite();

beforeAll(async () => {
  t = suite.server;
  tenant = await createTestTenant(t, 'empty', 'Northwind');
  admin = await createUser(tenant, 'admin', 'Alex Admin');
  // Steps 3 and 4 of the tutorial: the device group owned by the Intune Provisioning Client, a device group
  // it does not own, the user group.
  const sp = (await call(200, 'GET', `/v1.0/servicePrincipals?$filter=appId eq '${PROVISIONING_CLIENT}'`)).value[0];
  const owners = { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`] };
  ids.deviceGroup = (await call(201, 'POST', '/v1.0/groups', group(DEVICE_GROUP, owners))).id;
  ids.unownedGroup = (await call(201, 'POST', '/v1.0/groups', group(UNOWNED_GROUP))).id;
  ids.userGroup = (await call(201, 'POST', '/v1.0/groups', group(USER_GROUP))).id;
  // Another policy, there first (priority 1), to reorder against.
  ids.otherPolicy = (await call(201, 'POST', POLICIES, userDrivenPolicyBody({ name: OTHER_POLICY }))).id;
  // An identifier Intune already has, to show how the upload reports it.
  await call(200, 'POST', '/beta/deviceManagement/importedDeviceIdentities/importDeviceIdentityList', {
    importedDeviceIdentities: [{ importedDeviceIdentifier: 'Microsoft Corporation,Surface Pro 11,NW-0004', importedDeviceIdentityType: 'manufacturerModelSerial', platform: 'windows' }],
    overwriteImportedDeviceIdentities: false,
  });
});

/** Signs in through the screens and opens `path`. */
async function signIn(path: string): Promise<Page> {
  const page = await suite.signIn(`Northwind (${tenant.domain})`, admin.upn, PASSWORD);
  await page.goto(`/#${path}`);
  return page;
}

/** A field's accessible name: its label, with the asterisk of a required field. */
const named = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

/** Picks a group in the group picker labelled `label` by typing part of its name. */
async function pickGroup(page: Page, label: string, name: string): Promise<void> {
  const box = page.getByRole('combobox', { name: named(label) });
  await box.click();
  await box.fill(name.slice(0, 8));
  await page.getByRole('option', { name, exact: true }).click();
  await expect.poll(() => box.inputValue()).toBe(name);
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: named(label) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const yes = (page: Page, label: string) => page.getByRole('radiogroup', { name: label }).getByRole('radio', { name: 'Yes' }).check();

describe('admin center: apps', () => {
  it('adds a Win32 app and assigns it Required to the device group; adds an MSI', async () => {
    const page = await signIn('/apps');
    await page.getByRole('heading', { level: 1, name: 'Apps' }).waitFor();
    await page.getByText('No apps yet').waitFor();

    await page.getByRole('button', { name: 'Add app' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add app' });
    // The portal's required fields.
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText('Name is required.').waitFor();
    await dialog.getByText('Install command is required.', { exact: true }).waitFor();
    await dialog.getByLabel(/^Name/).fill(APP);
    await dialog.getByLabel('Publisher').fill('Contoso');
    await dialog.getByLabel(/^Install command/).fill('setup.exe /quiet');
    await dialog.getByLabel('Uninstall command').fill('setup.exe /uninstall /quiet');
    await dialog.getByLabel('Path').fill('C:\\Program Files\\Contoso');
    await dialog.getByLabel('File or folder').fill('agent.exe');
    await screenshot(page, 'apps-add-win32');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();

    // The new app's details: assign it Required to the device group.
    await page.getByRole('heading', { level: 1, name: APP }).waitFor();
    ids.app = new URL(page.url()).hash.split('id=')[1]!;
    await page.getByText('Not assigned to any group.').waitFor();
    await choose(page, 'Intent', 'Required');
    await pickGroup(page, 'Group', DEVICE_GROUP);
    await page.getByRole('button', { name: 'Add group' }).click();
    const row = page.getByRole('table', { name: 'Assignments' }).getByRole('row').nth(1);
    await expect.poll(() => row.textContent()).toBe(`RequiredIncluded${DEVICE_GROUP}SystemRemove`);
    await screenshot(page, 'apps-details');

    const app = await call(200, 'GET', `/beta/deviceAppManagement/mobileApps/${ids.app}`);
    expect(app).toMatchObject({
      '@odata.type': '#microsoft.graph.win32LobApp',
      displayName: APP,
      publisher: 'Contoso',
      installCommandLine: 'setup.exe /quiet',
      setupFilePath: 'setup.exe',
      installExperience: { runAsAccount: 'system' },
      rules: [{ ruleType: 'detection', path: 'C:\\Program Files\\Contoso', fileOrFolderName: 'agent.exe', operationType: 'exists' }],
      isAssigned: true,
    });
    const assignments = await call(200, 'GET', `/beta/deviceAppManagement/mobileApps/${ids.app}/assignments`);
    expect(assignments.value).toMatchObject([{ intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.deviceGroup } }]);

    // A line-of-business MSI, installed in the device context.
    await page.getByRole('button', { name: 'All apps' }).click();
    await page.getByRole('button', { name: 'Add app' }).click();
    await choose(page, 'App type', 'Windows MSI line-of-business app');
    await dialog.getByLabel(/^Name/).fill('Contoso VPN');
    await dialog.getByLabel('Publisher').fill('Contoso');
    await dialog.getByLabel('Product code').fill('not a guid');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText('Enter the product code as a GUID in braces').waitFor();
    await dialog.getByLabel('Product code').fill('{6B1F3D2A-8C4E-4F5B-9A7D-2E3C4B5A6D7E}');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Contoso VPN' }).waitFor();
    const msi = (await call(200, 'GET', `/beta/deviceAppManagement/mobileApps?$filter=displayName eq 'Contoso VPN'`)).value[0];
    expect(msi).toMatchObject({ '@odata.type': '#microsoft.graph.windowsMobileMSI', productCode: '{6B1F3D2A-8C4E-4F5B-9A7D-2E3C4B5A6D7E}', useDeviceContext: true });

    await page.getByRole('button', { name: 'All apps' }).click();
    const list = page.getByRole('table', { name: 'Apps' });
    await expect.poll(() => list.getByRole('row').allTextContents()).toEqual([
      'NameTypePublisherAssigned',
      `${APP}Windows app (Win32)ContosoYes`,
      'Contoso VPNWindows MSI line-of-business appContosoNo',
    ]);
    await screenshot(page, 'apps-list');
  });
});

describe('admin center: scripts', () => {
  it('uploads a PowerShell script and assigns it to the device group', async () => {
    const page = await signIn('/scripts');
    await page.getByRole('heading', { level: 1, name: 'Scripts' }).waitFor();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Windows PowerShell script' });
    await dialog.getByLabel(/^Name/).fill(SCRIPT);
    // Not a PowerShell script: refused before anything is sent.
    await dialog.getByLabel('Script file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText('The script must be a PowerShell script file (.ps1).').waitFor();
    const content = 'Set-TimeZone -Id "W. Europe Standard Time"\r\nWrite-Output "ok"\r\n';
    await dialog.getByLabel('Script file').setInputFiles({ name: `${SCRIPT}.ps1`, mimeType: 'text/plain', buffer: Buffer.from(content) });
    await dialog.getByText(`${SCRIPT}.ps1 (${content.length} bytes)`).waitFor();
    await screenshot(page, 'scripts-add');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: SCRIPT }).waitFor();
    ids.script = new URL(page.url()).hash.split('id=')[1]!;
    await pickGroup(page, 'Group', DEVICE_GROUP);
    await page.getByRole('button', { name: 'Add group' }).click();
    const rows = page.getByRole('table', { name: 'Assignments' }).getByRole('row');
    await expect.poll(() => rows.allTextContents()).toEqual(['Group modeGroup', `Included${DEVICE_GROUP}Remove`]);
    // An excluded group too, then removed again.
    await pickGroup(page, 'Group', UNOWNED_GROUP);
    await choose(page, 'Group mode', 'Excluded');
    await page.getByRole('button', { name: 'Add group' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual(['Group modeGroup', `Included${DEVICE_GROUP}Remove`, `Excluded${UNOWNED_GROUP}Remove`]);
    await screenshot(page, 'scripts-details');
    await page.getByRole('button', { name: `Remove ${UNOWNED_GROUP}` }).click();
    await expect.poll(() => rows.allTextContents()).toEqual(['Group modeGroup', `Included${DEVICE_GROUP}Remove`]);

    const script = await call(200, 'GET', `/beta/deviceManagement/deviceManagementScripts/${ids.script}`);
    expect(script).toMatchObject({ displayName: SCRIPT, fileName: `${SCRIPT}.ps1`, runAsAccount: 'system', runAs32Bit: false, enforceSignatureCheck: false });
    expect(Buffer.from(script.scriptContent, 'base64').toString()).toBe(content);
    const assignments = await call(200, 'GET', `/beta/deviceManagement/deviceManagementScripts/${ids.script}/assignments`);
    expect(assignments.value).toMatchObject([{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.deviceGroup } }]);

    await page.getByRole('button', { name: 'All scripts' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Scripts' }).getByRole('row').nth(1).textContent()).toContain(`${SCRIPT}${SCRIPT}.ps1SystemYes`);
  });
});

describe('admin center: device preparation policies', () => {
  it('creates a policy with the wizard, page by page, with the app, the script and the groups', { timeout: 60_000 }, async () => {
    // Ten more scripts, to reach the limit of the Scripts page.
    const extras = Array.from({ length: 10 }, (_, i) => `Extra script ${String(i + 1).padStart(2, '0')}`);
    for (const name of extras) {
      await call(201, 'POST', '/beta/deviceManagement/deviceManagementScripts', { displayName: name, fileName: 'extra.ps1', scriptContent: Buffer.from('exit 0').toString('base64'), runAsAccount: 'system' });
    }
    const page = await signIn('/devices/device-preparation');
    const list = page.getByRole('table', { name: 'Device preparation policies' });
    await expect.poll(() => list.getByRole('row').allTextContents()).toEqual(['PriorityNameAssignedLast modifiedOrder', expect.stringMatching(new RegExp(`^1${OTHER_POLICY}No`))]);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Create device preparation policy' }).waitFor();
    const step = page.getByRole('heading', { level: 2 });
    const next = page.getByRole('button', { name: 'Next', exact: true });

    // Introduction: the name is required.
    await expect.poll(() => step.textContent()).toBe('Introduction');
    await next.click();
    await page.getByText('Name is required.').waitFor();
    await page.getByLabel(/^Name/).fill(POLICY);
    await next.click();

    // Deployment settings: one mode and join type; the account type is a choice.
    await expect.poll(() => step.textContent()).toBe('Deployment settings');
    expect(await page.getByRole('combobox', { name: 'Join type' }).textContent()).toBe('Microsoft Entra joined');
    await choose(page, 'User account type', 'Administrator');
    await next.click();

    // Out-of-box experience settings: 15-720 minutes.
    await expect.poll(() => step.textContent()).toBe('Out-of-box experience settings');
    expect(await page.getByLabel('Minutes allowed before showing installation error').inputValue()).toBe('60');
    await page.getByLabel('Minutes allowed before showing installation error').fill('5');
    await next.click();
    await page.getByText('Enter a whole number of minutes from 15 to 720.').waitFor();
    await page.getByLabel('Minutes allowed before showing installation error').fill('90');
    await page.getByLabel('Custom error message').fill('Call the Contoso help desk at 555-0100.');
    await yes(page, 'Allow users to skip setup after multiple attempts');
    await yes(page, 'Show link to diagnostics');
    await screenshot(page, 'device-preparation-wizard-oobe');
    await next.click();

    // Apps: only supported types, up to 25.
    await expect.poll(() => step.textContent()).toBe('Apps');
    await page.getByRole('checkbox', { name: `Select ${APP}` }).check();
    await page.getByText('1 of 25 apps selected').waitFor();
    await next.click();

    await expect.poll(() => step.textContent()).toBe('Scripts');
    // At most ten: once ten are chosen, the others cannot be.
    for (const name of extras) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByText('10 of 10 scripts selected').waitFor();
    expect(await page.getByRole('checkbox', { name: `Select ${SCRIPT}` }).isDisabled()).toBe(true);
    for (const name of extras) await page.getByRole('checkbox', { name: `Select ${name}` }).uncheck();
    await page.getByRole('checkbox', { name: `Select ${SCRIPT}` }).check();
    await page.getByText('1 of 10 scripts selected').waitFor();
    await next.click();

    await expect.poll(() => step.textContent()).toBe('Assignments');
    await pickGroup(page, 'User group', USER_GROUP);
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('table', { name: 'Included groups' }).getByRole('cell', { name: USER_GROUP, exact: true }).waitFor();
    await next.click();

    // Device group: required; first a group the Intune Provisioning Client does not own.
    await expect.poll(() => step.textContent()).toBe('Device group');
    await next.click();
    await page.getByText('Select the device group.').waitFor();
    await pickGroup(page, 'Device group', UNOWNED_GROUP);
    await next.click();

    await expect.poll(() => step.textContent()).toBe('Review + create');
    await page.getByText(`App '${APP}' is not assigned as Required to '${UNOWNED_GROUP}'.`).waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain(`There was a problem with the device security group for ${POLICY}. Check the group meets the requirements.`);
    await screenshot(page, 'device-preparation-device-group-error', { wholeScreen: true });

    // The policy exists without a device group: choose the owned group and save again.
    await page.getByRole('navigation', { name: 'Policy wizard' }).getByRole('button', { name: /Device group/ }).click();
    await pickGroup(page, 'Device group', DEVICE_GROUP);
    await next.click();
    await expect.poll(() => step.textContent()).toBe('Review + save');
    expect(await page.getByText('Some items will show as Skipped').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByText(`The policy ${POLICY} was created without a device group`).waitFor();
    await screenshot(page, 'device-preparation-wizard-review', { wholeScreen: true });
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    // Back on the list: the new policy comes second.
    await page.getByRole('heading', { level: 1, name: 'Device preparation policies' }).waitFor();
    await expect.poll(() => list.getByRole('row').allTextContents()).toEqual([
      'PriorityNameAssignedLast modifiedOrder',
      expect.stringMatching(new RegExp(`^1${OTHER_POLICY}No`)),
      expect.stringMatching(new RegExp(`^2${POLICY}Yes`)),
    ]);

    // What Graph holds: every setting as chosen, the device group, the user group.
    const policies = (await call(200, 'GET', `${POLICIES}?$filter=name eq '${POLICY}'&$expand=settings`)).value;
    expect(policies).toHaveLength(1);
    const policy = policies[0];
    ids.policy = policy.id;
    expect(policy).toMatchObject({ platforms: 'windows10', technologies: 'enrollment', templateReference: { templateId: '80d33118-b7b4-40d8-b15f-81be745e053f_1' }, settingCount: 11, isAssigned: true });
    const value = (id: string) => {
      const i = policy.settings.find((s: any) => s.settingInstance.settingDefinitionId === id).settingInstance;
      return i.choiceSettingValue?.value ?? i.simpleSettingValue?.value ?? i.simpleSettingCollectionValue.map((v: any) => v.value);
    };
    expect(value('enrollment_autopilot_dpp_accountype')).toBe('enrollment_autopilot_dpp_accountype_0');
    expect(value('enrollment_autopilot_dpp_timeout')).toBe(90);
    expect(value('enrollment_autopilot_dpp_customerrormessage')).toBe('Call the Contoso help desk at 555-0100.');
    expect(value('enrollment_autopilot_dpp_allowskip')).toBe('enrollment_autopilot_dpp_allowskip_1');
    expect(value('enrollment_autopilot_dpp_allowdiagnostics')).toBe('enrollment_autopilot_dpp_allowdiagnostics_1');
    expect(value('enrollment_autopilot_dpp_allowedappids')).toEqual([JSON.stringify({ id: ids.app, type: '#microsoft.graph.win32LobApp' })]);
    expect(value('enrollment_autopilot_dpp_allowedscriptids')).toEqual([ids.script]);
    expect(value('enrollment_autopilot_dpp_devicesecuritygroupids')).toBe(ids.deviceGroup);
    const target = await call(200, 'POST', `${POLICIES}/${policy.id}/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect(target).toMatchObject({ validationSucceeded: true, enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: ids.deviceGroup }] });
    const assignments = await call(200, 'GET', `${POLICIES}/${policy.id}/assignments`);
    expect(assignments.value).toMatchObject([{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.userGroup } }]);
  });

  it('reorders the priority list, and opens a policy to edit it', { timeout: 60_000 }, async () => {
    const page = await signIn('/devices/device-preparation');
    const list = page.getByRole('table', { name: 'Device preparation policies' });
    const names = () => list.locator('[data-policy]').evaluateAll((rows) => rows.map((r) => `${r.querySelector('td')?.textContent} ${r.getAttribute('data-policy')}`));
    await expect.poll(names).toEqual([`1 ${OTHER_POLICY}`, `2 ${POLICY}`]);
    await expect.poll(() => page.getByRole('button', { name: `Move ${OTHER_POLICY} up` }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: `Move ${POLICY} up` }).click();
    await expect.poll(names).toEqual([`1 ${POLICY}`, `2 ${OTHER_POLICY}`]);
    await screenshot(page, 'device-preparation-policies');
    const priorities = await call(200, 'GET', `${POLICIES}?$select=name,priorityMetaData&$orderby=name`);
    expect(priorities.value.map((p: any) => [p.name, p.priorityMetaData.priority])).toEqual([
      [POLICY, 1],
      [OTHER_POLICY, 2],
    ]);
    await page.getByRole('button', { name: `Move ${POLICY} down` }).click();
    await expect.poll(names).toEqual([`1 ${OTHER_POLICY}`, `2 ${POLICY}`]);

    // Open the policy: its settings, groups and device group as saved.
    await list.getByRole('link', { name: POLICY }).click();
    await page.getByRole('heading', { level: 1, name: POLICY }).waitFor();
    const step = page.getByRole('heading', { level: 2 });
    await expect.poll(() => step.textContent()).toBe('Review + save');
    const review = (section: string) => page.locator(`dl[aria-label="${section}"]`).textContent();
    expect(await review('Out-of-box experience settings')).toContain('Minutes allowed before showing installation error90');
    expect(await review('Apps')).toContain(APP);
    expect(await review('Scripts')).toContain(SCRIPT);
    expect(await review('Assignments')).toContain(USER_GROUP);
    expect(await review('Device group')).toContain(DEVICE_GROUP);
    expect(await review('Deployment settings')).toContain('User account typeAdministrator');

    // Change the timeout; an out-of-range value is refused on its page.
    await page.getByRole('navigation', { name: 'Policy wizard' }).getByRole('button', { name: /Out-of-box experience settings/ }).click();
    await page.getByLabel('Minutes allowed before showing installation error').fill('721');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByText('Enter a whole number of minutes from 15 to 720.').waitFor();
    await page.getByLabel('Minutes allowed before showing installation error').fill('120');
    await page.getByRole('navigation', { name: 'Policy wizard' }).getByRole('button', { name: /Review \+ save/ }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Device preparation policies' }).waitFor();

    const saved = await call(200, 'GET', `${POLICIES}/${ids.policy}?$expand=settings`);
    const timeout = saved.settings.find((s: any) => s.settingInstance.settingDefinitionId === 'enrollment_autopilot_dpp_timeout');
    expect(timeout.settingInstance.simpleSettingValue.value).toBe(120);
    expect(saved.priorityMetaData.priority).toBe(2);
    const target = await call(200, 'POST', `${POLICIES}/${ids.policy}/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect(target.enrollmentTimeDeviceMembershipTargetValidationStatuses).toMatchObject([{ targetId: ids.deviceGroup, validationSucceeded: true }]);
    expect((await call(200, 'GET', `${POLICIES}/${ids.policy}/assignments`)).value).toHaveLength(1);
  });
});

describe('admin center: corporate identifiers', () => {
  it('uploads a CSV, shows each row before and after the upload, and deletes an identifier', async () => {
    const page = await signIn('/devices/corporate-identifiers');
    const list = page.getByRole('table', { name: 'Corporate identifiers' });
    await list.getByRole('cell', { name: 'Microsoft Corporation,Surface Pro 11,NW-0004', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add corporate identifiers' });
    const csv = [
      'Microsoft Corporation,Surface Laptop 6,NW-0001',
      'Lenovo,ThinkPad T14s',
      'Dell Inc.,Latitude 7450,NW-0003',
      'Microsoft Corporation,Surface Pro 11,NW-0004',
      'HP,EliteBook 840 G11,NW-0005',
    ].join('\r\n');
    await dialog.getByLabel('Identifier file').setInputFiles({ name: 'identifiers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const statuses = () => dialog.locator('[data-line]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-line')}:${r.getAttribute('data-status')}`));
    // Before: the bad row and the one Intune has are named, with the reason.
    await expect.poll(statuses).toEqual(['1:ready', '2:skipped', '3:ready', '4:skipped', '5:ready']);
    await dialog.locator('[data-line="2"]').getByText('Has 2 values; each line is manufacturer,model,serial number.').waitFor();
    await dialog.locator('[data-line="4"]').getByText('Already exists: it will be skipped').waitFor();
    await dialog.getByText('3 of 5 rows will be imported.').waitFor();
    await screenshot(page, 'corporate-identifiers-import-preview');

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    // After: importDeviceIdentityList's status for each row sent.
    await expect.poll(statuses).toEqual(['1:true', '2:not sent', '3:true', '4:false', '5:true']);
    await dialog.locator('[data-line="4"]').getByText('Not imported: the identifier already exists.').waitFor();
    await dialog.locator('[data-line="2"]').getByText('Not uploaded: Has 2 values', { exact: false }).waitFor();
    await dialog.getByText('3 of 5 rows imported.').waitFor();
    await screenshot(page, 'corporate-identifiers-import-results');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const identifiers = () => list.locator('[data-identifier]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-identifier')));
    await expect.poll(identifiers).toEqual([
      'Dell Inc.,Latitude 7450,NW-0003',
      'HP,EliteBook 840 G11,NW-0005',
      'Microsoft Corporation,Surface Laptop 6,NW-0001',
      'Microsoft Corporation,Surface Pro 11,NW-0004',
    ]);
    await list.locator('[data-identifier="HP,EliteBook 840 G11,NW-0005"]').getByText('Not contacted').waitFor();
    await screenshot(page, 'corporate-identifiers');

    await list.getByRole('checkbox', { name: 'Select HP,EliteBook 840 G11,NW-0005' }).check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete 1 identifier?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(identifiers).toEqual(['Dell Inc.,Latitude 7450,NW-0003', 'Microsoft Corporation,Surface Laptop 6,NW-0001', 'Microsoft Corporation,Surface Pro 11,NW-0004']);
    const stored = await call(200, 'GET', '/beta/deviceManagement/importedDeviceIdentities');
    expect(stored.value.map((i: any) => i.importedDeviceIdentifier).sort()).toEqual(['Dell Inc.,Latitude 7450,NW-0003', 'Microsoft Corporation,Surface Laptop 6,NW-0001', 'Microsoft Corporation,Surface Pro 11,NW-0004']);
  });
});
