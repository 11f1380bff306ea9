// The directory screens in Chromium against a real server: a user created through "New user" (with the
// portal's checks and Graph's refusals), the device preparation device group created through "New group" with
// the Intune Provisioning Client as owner, members added and removed, the tenant settings of tutorial steps 1
// and 2, and the dynamic rule editor (a positioned error as you type, a valid rule validated against a chosen
// user with the explanation of each expression). Each change is checked through Graph. Screenshots of the
// key screens go to docs/screenshots/.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserSuite, screenshot } from '../../helpers/browser.js';
import { createTestTenant, json, type TestServer, type TestTenant } from '../../helpers/server.js';
import { PASSWORD, createUser } from './tutorials.js';

const PROVISIONING_CLIENT = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const MDM = '0000000a-0000-0000-c000-000000000000';

let t: TestServer;
let tenant: TestTenant;
let admin: { id: string; upn: string };
let megan: { id: string; upn: string };
let userGroupId: string;
let deviceId: string;

async function call(status: number, method: string, path: string, body?: unknown): Promise<any> {
  const res = await json(tenant.graph(method, path, body));
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

const suite = browserSuite();

beforeAll(async () => {
  t = suite.server;
  tenant = await createTestTenant(t, 'empty', 'Contoso');
  admin = await createUser(tenant, 'admin', 'Alex Admin');
  megan = await createUser(tenant, 'MeganB', 'Megan Bowen');
  await call(204, 'PATCH', `/v1.0/users/${megan.id}`, { department: 'Sales', city: 'Oslo', jobTitle: 'Sales Manager' });
  const group = await call(201, 'POST', '/v1.0/groups', { displayName: 'Autopilot device preparation users', mailEnabled: false, mailNickname: 'dpusers', securityEnabled: true });
  userGroupId = group.id;
  const device = await call(201, 'POST', '/v1.0/devices', {
    accountEnabled: true,
    displayName: 'DP-0001',
    operatingSystem: 'Windows',
    operatingSystemVersion: '10.0.26100.4061',
    deviceId: '6f1c3a52-0d4e-4b7a-9c2e-1a2b3c4d5e6f',
    physicalIds: ['[ZTDId]:0c6f1d3e-5a7b-4c8d-9e0f-1a2b3c4d5e6f'],
    alternativeSecurityIds: [{ type: 2, key: 'QUJDRA==' }],
  });
  deviceId = device.id;
});

/** Signs in through the screens, as a person does, then opens `path`. */
async function signIn(path: string): Promise<Page> {
  const page = await suite.signIn(`Contoso (${tenant.domain})`, admin.upn, PASSWORD);
  await page.goto(`/#${path}`);
  return page;
}

/** The `id` of the object whose page is open (`#/groups?id=…`). */
function idInHash(page: Page): string {
  const id = new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '').get('id');
  expect(id).toBeTruthy();
  return id!;
}

async function choose(scope: Page | Locator, combobox: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: combobox }).click();
  await (('page' in scope ? scope.page() : scope) as Page).getByRole('option', { name: option, exact: true }).click();
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

describe('users', () => {
  it('creates a user through New user, as the portal checks it, and shows its groups', async () => {
    const page = await signIn('/users');
    await page.getByRole('cell', { name: megan.upn, exact: true }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });

    // Nothing filled in: the portal's messages, and nothing sent.
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Enter a display name.').waitFor();
    await dialog.getByText('Enter a user name.').waitFor();

    await dialog.getByLabel('Display name').fill('Adele Vance');
    await dialog.getByRole('textbox', { name: 'User principal name' }).fill('AdeleV@elsewhere.com');
    await dialog.getByLabel('Job title').click();
    await dialog.getByText('Enter the user name without the domain').waitFor();
    await dialog.getByRole('textbox', { name: 'User principal name' }).fill('AdeleV');
    await dialog.getByText(`@${tenant.domain}`).waitFor();
    await dialog.getByRole('checkbox', { name: 'Auto-generate password' }).uncheck();
    await dialog.getByRole('textbox', { name: 'Password' }).fill('weak');
    await dialog.getByLabel('Job title').fill('Retail Manager');
    await dialog.getByText('The password must have at least 8 characters.').waitFor();
    await dialog.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await dialog.getByLabel('Department').fill('Retail');
    await dialog.getByLabel('City').fill('Bergen');
    await screenshot(page, 'users-new-user');
    await dialog.getByRole('button', { name: 'Create' }).click();

    // The new user's details open, with its groups (none yet).
    const panel = page.getByRole('dialog', { name: 'User details' });
    await panel.getByText(`AdeleV@${tenant.domain}`).waitFor();
    await panel.getByText('Not a member of any group.').waitFor();
    const users = await call(200, 'GET', `/v1.0/users?$filter=userPrincipalName eq 'AdeleV@${tenant.domain}'&$select=id,displayName,department,city,jobTitle,accountEnabled,mailNickname`);
    expect(users.value).toEqual([
      expect.objectContaining({ displayName: 'Adele Vance', department: 'Retail', city: 'Bergen', jobTitle: 'Retail Manager', accountEnabled: true, mailNickname: 'AdeleV' }),
    ]);
    await panel.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('link', { name: 'Adele Vance' }).waitFor();

    // Graph's refusal, as Graph words it: the name is taken.
    await page.getByRole('button', { name: 'New user' }).click();
    await dialog.getByLabel('Display name').fill('Adele Vance');
    await dialog.getByRole('textbox', { name: 'User principal name' }).fill('adelev');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').getByText('Another object with the same value for property userPrincipalName already exists.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Search, as the portal's: a word of the name or the user principal name.
    await page.getByRole('searchbox', { name: 'Search users' }).fill('adel');
    await page.getByText('1 user found for "adel".').waitFor();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('');
    await page.getByText('3 users.').waitFor();

    // A user's groups: Megan is in the user group.
    await call(204, 'POST', `/v1.0/groups/${userGroupId}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${megan.id}` });
    await page.getByRole('link', { name: 'Megan Bowen' }).click();
    await panel.getByRole('link', { name: 'Autopilot device preparation users' }).waitFor();
    await screenshot(page, 'users-details');
    await panel.getByRole('link', { name: 'Autopilot device preparation users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Autopilot device preparation users' }).waitFor();
    await call(204, 'DELETE', `/v1.0/groups/${userGroupId}/members/${megan.id}/$ref`);
  });
});

describe('groups', () => {
  it('creates the device preparation device group with the Intune Provisioning Client as owner, and manages its members', async () => {
    const page = await signIn('/groups');
    await page.getByRole('link', { name: 'Autopilot device preparation users' }).waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Enter a group name.').waitFor();

    expect(await dialog.getByRole('combobox', { name: 'Group type' }).textContent()).toBe('Security');
    await dialog.getByLabel('Group name').fill('Autopilot device preparation devices');
    await dialog.getByLabel('Group description').fill('Devices set up by Windows Autopilot device preparation');
    expect(await dialog.getByRole('radio', { name: 'No' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('combobox', { name: 'Membership type' }).textContent()).toBe('Assigned');
    await dialog.getByRole('button', { name: 'Add owners' }).click();
    await pick(page, 'Add owners', ['Intune Provisioning Client']);
    await dialog.getByRole('toolbar', { name: 'Owners' }).getByText('Intune Provisioning Client').waitFor();
    await screenshot(page, 'groups-new-group');
    await dialog.getByRole('button', { name: 'Create' }).click();

    // The group's page: owners, then members added and removed.
    await page.getByRole('heading', { level: 1, name: 'Autopilot device preparation devices' }).waitFor();
    const groupId = idInHash(page);
    const created = await call(200, 'GET', `/v1.0/groups/${groupId}?$select=displayName,securityEnabled,mailEnabled,groupTypes,isAssignableToRole,description`);
    expect(created).toMatchObject({ securityEnabled: true, mailEnabled: false, groupTypes: [], isAssignableToRole: false, description: 'Devices set up by Windows Autopilot device preparation' });
    const owners = await call(200, 'GET', `/v1.0/groups/${groupId}/owners`);
    expect(owners.value).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.servicePrincipal', appId: PROVISIONING_CLIENT })]);

    await page.getByRole('tab', { name: 'Owners', exact: true }).click();
    const ownerTable = page.getByRole('table', { name: 'Owners' });
    await ownerTable.getByRole('cell', { name: 'Intune Provisioning Client', exact: true }).waitFor();
    // Removed, then put back with the one-click shortcut (the service principal found by its appId).
    await ownerTable.getByRole('button', { name: 'Remove Intune Provisioning Client' }).click();
    await page.getByText('This group has no owners.').waitFor();
    expect((await call(200, 'GET', `/v1.0/groups/${groupId}/owners`)).value).toEqual([]);
    await page.getByRole('button', { name: 'Add the Intune Provisioning Client' }).click();
    await ownerTable.getByRole('cell', { name: 'Intune Provisioning Client', exact: true }).waitFor();
    expect((await call(200, 'GET', `/v1.0/groups/${groupId}/owners`)).value).toEqual([expect.objectContaining({ appId: PROVISIONING_CLIENT })]);
    expect(await page.getByRole('button', { name: 'Add the Intune Provisioning Client' }).count()).toBe(0);

    await page.getByRole('tab', { name: 'Members', exact: true }).click();
    await page.getByText('This group has no members.').waitFor();
    await page.getByRole('button', { name: 'Add members' }).click();
    await pick(page, 'Add members', ['DP-0001', 'Megan Bowen']);
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByRole('cell', { name: 'DP-0001', exact: true }).waitFor();
    await members.getByRole('cell', { name: 'Megan Bowen', exact: true }).waitFor();
    await screenshot(page, 'group-details-members');
    await members.getByRole('button', { name: 'Remove Megan Bowen' }).click();
    await members.getByRole('cell', { name: 'Megan Bowen', exact: true }).waitFor({ state: 'detached' });
    const after = await call(200, 'GET', `/v1.0/groups/${groupId}/members?$select=id`);
    expect(after.value.map((m: { id: string }) => m.id)).toEqual([deviceId]);

    // What is already a member is shown as such, and not offered again.
    await page.getByRole('button', { name: 'Add members' }).click();
    await page.getByRole('dialog', { name: 'Add members' }).getByRole('searchbox', { name: 'Search' }).fill('DP-0001');
    const already = page.getByRole('dialog', { name: 'Add members' }).getByRole('checkbox', { name: 'DP-0001', exact: true });
    await expect.poll(() => already.isDisabled()).toBe(true);
    expect(await already.isChecked()).toBe(true);
    await page.getByRole('dialog', { name: 'Add members' }).getByRole('button', { name: 'Cancel' }).click();

    // The list: type, membership type and owners.
    await page.getByRole('link', { name: 'All groups' }).click();
    const row = page.locator('tr[data-group="Autopilot device preparation devices"]');
    await expect.poll(() => row.locator('td').allTextContents()).toEqual(['Autopilot device preparation devicesDevices set up by Windows Autopilot device preparation', 'Security', 'Assigned', '1']);
    await screenshot(page, 'groups-list');
  });
});

describe('tenant settings', () => {
  it('sets the MDM user scope and who may join devices, as tutorial steps 1 and 2 describe', async () => {
    const page = await signIn('/tenant-settings');
    const mdm = page.getByRole('group', { name: 'Windows automatic enrollment: Microsoft Intune' });
    const scope = mdm.getByRole('radiogroup', { name: 'MDM user scope' });
    await expect.poll(() => scope.getByRole('radio', { name: 'None' }).isChecked()).toBe(true);

    // Some needs a group.
    await scope.getByRole('radio', { name: 'Some' }).check();
    await mdm.getByRole('button', { name: 'Save' }).click();
    await mdm.getByText('Select at least one group, or choose All or None.').waitFor();
    await mdm.getByRole('button', { name: 'Add groups: MDM user scope' }).click();
    await pick(page, 'Add groups', ['Autopilot device preparation users']);
    await mdm.getByRole('button', { name: 'Save' }).click();
    await mdm.getByText('Saved.').waitFor();
    let policy = await call(200, 'GET', `/beta/policies/mobileDeviceManagementPolicies/${MDM}?$expand=includedGroups`);
    expect(policy.appliesTo).toBe('selected');
    expect(policy.includedGroups.map((g: { id: string }) => g.id)).toEqual([userGroupId]);

    // All, as the tutorial has it.
    await scope.getByRole('radio', { name: 'All' }).check();
    await mdm.getByRole('button', { name: 'Save' }).click();
    await mdm.getByText('Saved.').waitFor();
    policy = await call(200, 'GET', `/beta/policies/mobileDeviceManagementPolicies/${MDM}?$expand=includedGroups`);
    expect(policy).toMatchObject({ appliesTo: 'all', includedGroups: [] });

    // Users may join: Selected, the user group; the registering user is not local administrator; 20 devices.
    const devices = page.getByRole('group', { name: 'Device settings: Microsoft Entra ID' });
    const join = devices.getByRole('radiogroup', { name: 'Users may join devices to Microsoft Entra' });
    await expect.poll(() => join.getByRole('radio', { name: 'All' }).isChecked()).toBe(true);
    await join.getByRole('radio', { name: 'Selected' }).check();
    await devices.getByRole('button', { name: 'Save' }).click();
    await devices.getByText('Select at least one user or group, or choose All or None.').waitFor();
    await devices.getByRole('button', { name: 'Add users and groups: Users may join devices to Microsoft Entra' }).click();
    await pick(page, 'Add users and groups', ['Autopilot device preparation users']);
    await devices
      .getByRole('radiogroup', { name: 'Registering user is added as local administrator on the device during Microsoft Entra join' })
      .getByRole('radio', { name: 'None' })
      .check();
    await choose(devices, 'Maximum number of devices per user', '20');
    await screenshot(page, 'tenant-settings', { wholeScreen: true });
    await devices.getByRole('button', { name: 'Save' }).click();
    await devices.getByText('Saved.').waitFor();
    const registration = await call(200, 'GET', '/beta/policies/deviceRegistrationPolicy');
    expect(registration).toMatchObject({
      userDeviceQuota: 20,
      multiFactorAuthConfiguration: 'notRequired',
      azureADJoin: {
        allowedToJoin: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [], groups: [userGroupId] },
        localAdmins: { enableGlobalAdmins: true, registeringUsers: { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' } },
      },
    });

    // A reload shows what was saved, with the group's name.
    await page.reload();
    await expect.poll(() => join.getByRole('radio', { name: 'Selected' }).isChecked()).toBe(true);
    await devices.getByRole('toolbar', { name: /^Users may join devices to Microsoft Entra/ }).getByText('Autopilot device preparation users').waitFor();
    expect(await devices.getByRole('combobox', { name: 'Maximum number of devices per user' }).textContent()).toBe('20');

    // Back to the defaults for the other tests.
    await join.getByRole('radio', { name: 'All' }).check();
    await devices.getByRole('button', { name: 'Save' }).click();
    await devices.getByText('Saved.').waitFor();
    expect((await call(200, 'GET', '/beta/policies/deviceRegistrationPolicy')).azureADJoin.allowedToJoin['@odata.type']).toBe('#microsoft.graph.allDeviceRegistrationMembership');
  });
});

describe('dynamic rule editor', () => {
  it('underlines the error of a broken rule where it is, refuses the wrong kind, and creates the group with a valid rule', async () => {
    const page = await signIn('/groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Group name').fill('All Autopilot devices');
    await choose(dialog, 'Membership type', 'Dynamic Device');
    const editor = dialog.getByRole('textbox', { name: 'Rule syntax' });
    const ruleError = dialog.getByLabel('Rule error');

    const broken = '(device.devicePhysicalIds -any (_ -contains "[ZTDId]")) -and (device.modle -eq "Surface")';
    await editor.fill(broken);
    await expect.poll(() => ruleError.textContent()).toContain('Attribute not supported.');
    const position = Number(await ruleError.getAttribute('data-position'));
    const end = Number(await ruleError.getAttribute('data-end'));
    expect(broken.slice(position, end)).toBe('device.modle');
    expect(await ruleError.textContent()).toContain(`column ${position + 1}`);
    // The underline is under that text, and the text keeps its colours.
    expect(await dialog.locator('[data-rule-error]').allTextContents()).toEqual(['device.modle']);
    expect(await dialog.locator('[data-token="logical"]').allTextContents()).toEqual(['-any', '-and']);
    expect(await dialog.locator('[data-token="string"]').allTextContents()).toEqual(['"[ZTDId]"', '"Surface"']);
    await screenshot(page, 'rule-editor-error');
    // Create refuses while the rule is broken.
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText("The rule isn't valid: Attribute not supported.").waitFor();

    // A missing parenthesis: marked at the end.
    await editor.fill('(device.devicePhysicalIds -any (_ -contains "[ZTDId]")');
    await expect.poll(() => ruleError.textContent()).toMatch(/column \d+/);
    expect(Number(await ruleError.getAttribute('data-position'))).toBeGreaterThanOrEqual(50);

    // A user rule on a Dynamic Device group.
    await editor.fill('(user.department -eq "Sales")');
    await expect.poll(() => ruleError.textContent()).toContain('Invalid object type.');
    expect(await dialog.locator('[data-rule-error]').allTextContents()).toEqual(['user.department']);

    const rule = '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))';
    await editor.fill(rule);
    await dialog.getByLabel('Rule check').getByText('The rule is valid: a rule for devices.').waitFor();
    expect(await ruleError.count()).toBe(0);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'All Autopilot devices' }).waitFor();
    const groupId = idInHash(page);
    const group = await call(200, 'GET', `/v1.0/groups/${groupId}?$select=groupTypes,membershipRule,membershipRuleProcessingState`);
    expect(group).toEqual(expect.objectContaining({ groupTypes: ['DynamicMembership'], membershipRule: rule, membershipRuleProcessingState: 'On' }));
    // The device with a ZTDId is a member, and the members cannot be changed by hand.
    await page.getByRole('table', { name: 'Members' }).getByRole('cell', { name: 'DP-0001', exact: true }).waitFor();
    await page.getByText("The members of a dynamic group follow its rule").waitFor();
    expect(await page.getByRole('button', { name: 'Add members' }).count()).toBe(0);
  });

  it('validates a rule against a chosen user with the explanation of each expression, then saves it', async () => {
    const created = await call(201, 'POST', '/v1.0/groups', {
      displayName: 'Sales in Oslo',
      mailEnabled: false,
      mailNickname: 'salesoslo',
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: '(user.department -eq "Marketing") -and (user.city -startsWith "Os")',
      membershipRuleProcessingState: 'On',
    });
    const page = await signIn(`/groups?id=${created.id}`);
    await page.getByRole('heading', { level: 1, name: 'Sales in Oslo' }).waitFor();
    await page.getByText('No user or device matches the rule.').waitFor();
    await page.getByRole('tab', { name: 'Dynamic membership rules' }).click();
    const panel = page.getByRole('region', { name: 'Dynamic membership rules' });
    const editor = panel.getByRole('textbox', { name: 'Rule syntax' });
    expect(await editor.inputValue()).toBe('(user.department -eq "Marketing") -and (user.city -startsWith "Os")');
    await panel.getByLabel('Rule check').waitFor();

    // Validate rules: Megan (Sales, Oslo) is not a member under the saved rule; why, expression by expression.
    await panel.getByRole('button', { name: 'Add users' }).click();
    await pick(page, 'Select users to validate', ['Megan Bowen']);
    const results = panel.getByRole('table', { name: 'Validation results' });
    await results.getByText('Not a member').waitFor();
    await results.getByRole('button', { name: 'View details for Megan Bowen' }).click();
    const tree = panel.getByRole('tree', { name: 'Rule explanation for Megan Bowen' });
    await tree.getByRole('treeitem', { name: '(user.department -eq "Marketing") -and (user.city -startsWith "Os"): false' }).waitFor();
    const department = tree.getByRole('treeitem', { name: 'user.department -eq "Marketing": false' });
    await department.getByText('department is "Sales"').waitFor();
    expect(await department.getAttribute('data-decisive')).toBe('true');
    await tree.getByRole('treeitem', { name: 'user.city -startsWith "Os": true' }).getByText('city is "Oslo"').waitFor();

    // The rule fixed in the editor (not saved yet) is validated again: now a member.
    await editor.fill('(user.department -eq "Sales") -and (user.city -startsWith "Os")');
    await results.getByText('Member', { exact: true }).waitFor();
    await tree.getByRole('treeitem', { name: 'user.department -eq "Sales": true' }).waitFor();
    await screenshot(page, 'rule-validate-explanation', { wholeScreen: true });

    // A typo as you type: underlined, Save refused.
    await editor.fill('(user.department -eq "Sales") -and (user.citty -startsWith "Os")');
    await expect.poll(() => panel.getByLabel('Rule error').textContent()).toContain('Attribute not supported.');
    expect(await panel.locator('[data-rule-error]').allTextContents()).toEqual(['user.citty']);
    expect(await panel.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await results.getByText('Unknown').waitFor();

    await editor.fill('(user.department -eq "Sales") -and (user.city -startsWith "Os")');
    await panel.getByLabel('Rule check').waitFor();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByText('Saved. Membership is being processed again.').waitFor();
    const saved = await call(200, 'GET', `/v1.0/groups/${created.id}?$select=membershipRule`);
    expect(saved.membershipRule).toBe('(user.department -eq "Sales") -and (user.city -startsWith "Os")');
    await page.getByRole('tab', { name: 'Members', exact: true }).click();
    await page.getByRole('table', { name: 'Members' }).getByRole('cell', { name: 'Megan Bowen', exact: true }).waitFor();
  });
});
