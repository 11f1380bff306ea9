// Device preparation policies (Settings Catalog, templates 80d33118…_1 and a6157a7f…_1): create/read with the payloads of the portal, CIPP, Terraform and Microsoft365DSC, every setting check, assignments and priority.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { tenantScope } from '../../src/server/context.js';
import { devicePreparationPolicyFor, devicePreparationPolicies } from '../../src/intune/device-preparation-policy.js';
import {
  appEntry,
  AUTOMATIC,
  automaticPolicy,
  choice,
  collection,
  createGroup,
  insertApp,
  insertScript,
  POLICIES,
  simple,
  USER_DRIVEN,
  userDrivenPolicy,
  userDrivenSettings,
  type PolicyOptions,
} from './device-preparation-fixtures.js';

let t: TestServer;
let tenant: TestTenant;
let apps: Record<string, string>;
let scripts: string[];

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  apps = {
    winGet: await insertApp(t, tenant, 'winGetApp', 'Company Portal'),
    win32: await insertApp(t, tenant, 'win32LobApp', '7-Zip'),
    msi: await insertApp(t, tenant, 'windowsMobileMSI', 'Agent MSI'),
    office: await insertApp(t, tenant, 'officeSuiteApp', 'Microsoft 365 Apps'),
    catalog: await insertApp(t, tenant, 'win32CatalogApp', 'Notepad++ (catalog)'),
    ios: await insertApp(t, tenant, 'iosStoreApp', 'An iPhone app'),
  };
  scripts = [await insertScript(t, tenant, 'Set-Region.ps1'), await insertScript(t, tenant, 'Install-Fonts.ps1')];
});
afterAll(() => t.close());

const create = (body: unknown) => json(tenant.graph('POST', POLICIES, body));
const policyCount = async () => (await json(tenant.graph('GET', `${POLICIES}/$count`))).body as number;

describe('device preparation policies: create and read', () => {
  it('creates a full user-driven policy exactly as the portal and Terraform send it, and serves its settings', async () => {
    const body = userDrivenPolicy({
      name: 'DPP - full',
      apps: [appEntry(apps.winGet!, 'winGetApp'), appEntry(apps.win32!, 'win32LobApp'), appEntry(apps.office!, 'officeSuiteApp'), appEntry(apps.catalog!, 'win32CatalogApp')],
      scripts,
    });
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      '@odata.context': expect.stringMatching(/\$metadata#deviceManagement\/configurationPolicies\/\$entity$/),
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicy',
      name: 'DPP - full',
      description: '',
      platforms: 'windows10',
      technologies: 'enrollment',
      roleScopeTagIds: ['0'],
      settingCount: 11,
      isAssigned: false,
      creationSource: null,
      priorityMetaData: { priority: 1 },
      templateReference: {
        templateId: USER_DRIVEN,
        templateFamily: 'enrollmentConfiguration',
        templateDisplayName: 'Windows Autopilot device preparation',
        templateDisplayVersion: 'Version 1',
      },
    });
    expect(res.body.settings).toBeUndefined();
    const id = res.body.id;

    const expanded = await json(tenant.graph('GET', `${POLICIES}('${id}')?$expand=settings`));
    expect(expanded.status).toBe(200);
    expect(expanded.body.settings).toHaveLength(11);
    expect(expanded.body.settings.map((s: any) => s.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(expanded.body.settings[0]).toEqual({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
      id: '0',
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
        settingDefinitionId: 'enrollment_autopilot_dpp_deploymentmode',
        settingInstanceTemplateReference: { settingInstanceTemplateId: '5180aeab-886e-4589-97d4-40855c646315' },
        choiceSettingValue: {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingValue',
          children: [],
          settingValueTemplateReference: { settingValueTemplateId: '5874c2f6-bcf1-463b-a9eb-bee64e2f2d82', useTemplateDefault: false },
          value: 'enrollment_autopilot_dpp_deploymentmode_0',
        },
      },
    });
    expect(expanded.body.settings[4].settingInstance.simpleSettingValue).toMatchObject({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue',
      value: 60,
    });
    expect(expanded.body.settings[9].settingInstance.simpleSettingCollectionValue[0]).toEqual({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue',
      settingValueTemplateReference: null,
      value: appEntry(apps.winGet!, 'winGetApp'),
    });

    const settings = await json(tenant.graph('GET', `${POLICIES}/${id}/settings`));
    expect(settings.body['@odata.context']).toMatch(new RegExp(`\\$metadata#deviceManagement/configurationPolicies\\('${id}'\\)/settings$`));
    expect(settings.body.value).toEqual(expanded.body.settings);
    const one = await json(tenant.graph('GET', `${POLICIES}('${id}')/settings('4')`));
    expect(one.body.settingInstance.settingDefinitionId).toBe('enrollment_autopilot_dpp_timeout');
    expect((await json(tenant.graph('GET', `${POLICIES}/${id}/settings/99`))).status).toBe(404);

    const plain = await json(tenant.graph('GET', `${POLICIES}/${id}`));
    expect(plain.body.settings).toBeUndefined();
    expect(plain.body.settingCount).toBe(11);
  });

  it('accepts the CIPP body: no outer @odata.type, no templateFamily, the device group in the setting', async () => {
    const group = await createGroup(tenant, 'assignedSecurity', true);
    const settings = userDrivenSettings({ deviceGroup: group, timeout: 90, message: 'Contact your organization\u2019s support person for help.' }).slice(0, 9);
    const body = {
      name: 'CIPP Device Prep',
      description: '',
      roleScopeTagIds: ['0'],
      platforms: 'windows10',
      technologies: 'enrollment',
      templateReference: { templateId: USER_DRIVEN },
      settings: settings.map(({ settingInstance }) => ({ settingInstance })),
    };
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body.templateReference.templateFamily).toBe('enrollmentConfiguration');
    expect(res.body.settingCount).toBe(9);
    const target = await json(tenant.graph('POST', `${POLICIES}('${res.body.id}')/retrieveEnrollmentTimeDeviceMembershipTarget`));
    expect(target.body.enrollmentTimeDeviceMembershipTargetValidationStatuses).toEqual([
      { '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetStatus', targetId: group, validationSucceeded: true, targetValidationErrorCode: 'unknown' },
    ]);
    const parsed = await devicePreparationPolicyFor(tenantScope(t.server.ctx, tenant.tenantId), res.body.id);
    expect(parsed).toMatchObject({ deviceGroupId: group, timeoutMinutes: 90, allowedApps: [], allowedScriptIds: [], userAccountType: 'standardUser' });
  });

  it('answers the portal list query as written, with $select', async () => {
    await create(userDrivenPolicy({ name: 'DPP - listed' }));
    await create({ name: 'Plain settings catalog', platforms: 'windows10', technologies: 'mdm', settings: [] });
    await create(automaticPolicy('DPP - automatic listed'));
    const query =
      "$select=id,name,description,platforms,lastModifiedDateTime,technologies,settingCount,roleScopeTagIds,isAssigned,templateReference,priorityMetaData&$top=100" +
      `&$filter=(technologies has 'enrollment') and (platforms eq 'windows10') and (TemplateReference/templateId eq '${USER_DRIVEN}') and (Templatereference/templateFamily eq 'enrollmentConfiguration')`;
    const res = await json(tenant.graph('GET', `${POLICIES}?${query}`));
    expect(res.status).toBe(200);
    const names = res.body.value.map((p: any) => p.name);
    expect(names).toContain('DPP - listed');
    expect(names).not.toContain('Plain settings catalog');
    expect(names).not.toContain('DPP - automatic listed');
    expect(Object.keys(res.body.value[0]).sort()).toEqual(
      ['@odata.type', 'id', 'name', 'description', 'platforms', 'lastModifiedDateTime', 'technologies', 'settingCount', 'roleScopeTagIds', 'isAssigned', 'templateReference', 'priorityMetaData'].sort(),
    );
    const automatic = await json(tenant.graph('GET', `${POLICIES}?$filter=templateReference/templateId eq '${AUTOMATIC}'&$expand=settings`));
    expect(automatic.body.value).toHaveLength(1);
    expect(automatic.body.value[0].settings).toHaveLength(2);
    expect(automatic.body.value[0].priorityMetaData).toBeNull();
  });
});

describe('device preparation policies: every check answers a 400 naming the setting', () => {
  const timeoutCase = (value: unknown, type: 'Integer' | 'String' = 'Integer') => {
    const settings = userDrivenSettings();
    settings[4] = simple('enrollment_autopilot_dpp_timeout', '6dec0657-dfb8-4906-a7ee-3ac6ee1edecb', '0bbcce5b-a55a-4e05-821a-94bf576d6cc8', type, value) as any;
    return settings;
  };
  const withSettings = (settings: unknown[]) => ({ ...userDrivenPolicy({ name: 'Rejected' }), settings });
  const bad = (o: PolicyOptions) => withSettings(userDrivenSettings(o));
  const ids = () => ({ app: (n: number) => Array.from({ length: n }, (_, i) => appEntry(`00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, 'winGetApp')) });

  const cases: [string, () => Promise<unknown> | unknown, string][] = [
    ['a deployment mode that is not an option', () => bad({ mode: 'enrollment_autopilot_dpp_deploymentmode_2' }), 'enrollment_autopilot_dpp_deploymentmode'],
    ['the self-deploying deployment type on the user-driven template', () => bad({ type: 'enrollment_autopilot_dpp_deploymenttype_1' }), 'enrollment_autopilot_dpp_deploymenttype'],
    ['hybrid join', () => bad({ join: 'enrollment_autopilot_dpp_jointype_1' }), 'enrollment_autopilot_dpp_jointype'],
    ['an account type of another setting', () => bad({ account: 'enrollment_autopilot_dpp_allowskip_1' }), 'enrollment_autopilot_dpp_accountype'],
    ['a timeout under 15 minutes', () => withSettings(timeoutCase(14)), 'enrollment_autopilot_dpp_timeout'],
    ['a timeout over 720 minutes', () => withSettings(timeoutCase(721)), 'enrollment_autopilot_dpp_timeout'],
    ['a fractional timeout', () => withSettings(timeoutCase(60.5)), 'enrollment_autopilot_dpp_timeout'],
    ['a timeout sent as a string value', () => withSettings(timeoutCase('60', 'String')), 'enrollment_autopilot_dpp_timeout'],
    ['an over-long custom error message', () => bad({ message: 'x'.repeat(1001) }), 'enrollment_autopilot_dpp_customerrormessage'],
    ['a custom error message that is not a string', () => bad({ message: 42 }), 'enrollment_autopilot_dpp_customerrormessage'],
    ['allow skip with a third value', () => bad({ skip: 'enrollment_autopilot_dpp_allowskip_2' }), 'enrollment_autopilot_dpp_allowskip'],
    ['show diagnostics with a boolean', () => bad({ diagnostics: true as unknown as string }), 'enrollment_autopilot_dpp_allowdiagnostics'],
    ['a device group that is not a group id', () => bad({ deviceGroup: 'Autopilot devices' }), 'enrollment_autopilot_dpp_devicesecuritygroupids'],
    ['a device group that does not exist', () => bad({ deviceGroup: '11111111-2222-3333-4444-555555555555' }), 'enrollment_autopilot_dpp_devicesecuritygroupids'],
    ['26 allowed apps', () => bad({ apps: ids().app(26) }), 'enrollment_autopilot_dpp_allowedappids'],
    ['an allowed app that does not exist', () => bad({ apps: ids().app(1) }), 'enrollment_autopilot_dpp_allowedappids'],
    ['an allowed app of an unsupported type', () => bad({ apps: [appEntry(apps.ios!, 'iosStoreApp')] }), 'enrollment_autopilot_dpp_allowedappids'],
    ['an allowed app whose declared type is not its type', () => bad({ apps: [appEntry(apps.win32!, 'winGetApp')] }), 'enrollment_autopilot_dpp_allowedappids'],
    ['an allowed app that is not the JSON string', () => bad({ apps: [apps.winGet!] }), 'enrollment_autopilot_dpp_allowedappids'],
    ['the same allowed app twice', () => bad({ apps: [appEntry(apps.msi!, 'windowsMobileMSI'), appEntry(apps.msi!, 'windowsMobileMSI')] }), 'enrollment_autopilot_dpp_allowedappids'],
    ['11 allowed scripts', () => bad({ scripts: Array.from({ length: 11 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`) }), 'enrollment_autopilot_dpp_allowedscriptids'],
    ['an allowed script that does not exist', () => bad({ scripts: ['00000000-0000-0000-0000-000000000001'] }), 'enrollment_autopilot_dpp_allowedscriptids'],
    ['the same script twice', () => bad({ scripts: [scripts[0]!, scripts[0]!] }), 'enrollment_autopilot_dpp_allowedscriptids'],
    [
      'a wrong setting instance template id',
      () => withSettings([choice('enrollment_autopilot_dpp_deploymentmode', 'f4184296-fa9f-4b67-8b12-1723b3f8456b', '5874c2f6-bcf1-463b-a9eb-bee64e2f2d82', 'enrollment_autopilot_dpp_deploymentmode_0')]),
      'enrollment_autopilot_dpp_deploymentmode',
    ],
    [
      'a wrong setting value template id',
      () => withSettings([choice('enrollment_autopilot_dpp_allowskip', '2a71dc89-0f17-4ba9-bb27-af2521d34710', 'c59d26fd-3460-4b26-b47a-f7e202e7d5a3', 'enrollment_autopilot_dpp_allowskip_0')]),
      'enrollment_autopilot_dpp_allowskip',
    ],
    [
      'a choice setting sent as a simple setting',
      () => withSettings([simple('enrollment_autopilot_dpp_jointype', '6310e95d-6cfa-4d2f-aae0-1e7af12e2182', '1fa84eb3-fcfa-4ed6-9687-0f3d486402c4', 'String', 'enrollment_autopilot_dpp_jointype_0')]),
      'enrollment_autopilot_dpp_jointype',
    ],
    [
      'a setting the template does not have',
      () => withSettings([choice('enrollment_autopilot_dpp_language', '5180aeab-886e-4589-97d4-40855c646315', '5874c2f6-bcf1-463b-a9eb-bee64e2f2d82', 'x')]),
      'enrollment_autopilot_dpp_language',
    ],
    ['a setting listed twice', () => withSettings([...userDrivenSettings(), userDrivenSettings()[6]]), 'enrollment_autopilot_dpp_allowskip'],
    [
      'a user-driven setting in an automatic policy',
      () => ({ ...automaticPolicy('Rejected automatic'), settings: [userDrivenSettings()[4]] }),
      'enrollment_autopilot_dpp_timeout',
    ],
    [
      "the user-driven apps instance template in an automatic policy",
      () => ({ ...automaticPolicy('Rejected automatic'), settings: [collection('enrollment_autopilot_dpp_allowedappids', '70d22a8a-a03c-4f62-b8df-dded3e327639', [])] }),
      'enrollment_autopilot_dpp_allowedappids',
    ],
  ];

  it.each(cases)('rejects %s', async (_name, makeBody, target) => {
    const before = await policyCount();
    const res = await create(await makeBody());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.body.error.target).toBe(target);
    expect(res.body.error.message).toContain(target);
    expect(res.body.error.innerError['request-id']).toBeTruthy();
    expect(await policyCount()).toBe(before);
  });

  it('rejects a dynamic device group in the setting with its validation code, creating nothing', async () => {
    const dynamic = await createGroup(tenant, 'dynamicSecurity', true);
    const before = await policyCount();
    const res = await create(bad({ deviceGroup: dynamic }));
    expect(res.body.error).toMatchObject({ code: 'BadRequest', target: 'enrollment_autopilot_dpp_devicesecuritygroupids' });
    expect(res.body.error.message).toContain('notStaticSecurityGroup');
    expect(await policyCount()).toBe(before);
  });

  it('rejects bad policy properties naming them', async () => {
    const base = userDrivenPolicy({ name: 'Rejected' });
    const expectTarget = async (body: unknown, target: string) => {
      const res = await create(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.target).toBe(target);
    };
    await expectTarget({ ...base, platforms: 'macOS' }, 'platforms');
    await expectTarget({ ...base, platforms: 'windows11' }, 'platforms');
    await expectTarget({ ...base, technologies: 'mdm' }, 'technologies');
    await expectTarget({ ...base, templateReference: { templateId: USER_DRIVEN, templateFamily: 'baseline' } }, 'templateReference.templateFamily');
    await expectTarget({ ...base, templateReference: { templateId: '80d33118-b7b4-40d8-b15f-81be745e053f_2' } }, 'templateReference.templateId');
    await expectTarget({ ...base, name: '' }, 'name');
    await expectTarget({ ...base, settingCount: 3 }, 'settingCount');
    await expectTarget({ ...base, settings: { not: 'an array' } }, 'settings');
    await expectTarget({ ...base, settings: [{ settingInstance: { settingDefinitionId: 'enrollment_autopilot_dpp_timeout' } }] }, 'enrollment_autopilot_dpp_timeout');
    await expectTarget({ ...base, settings: ['x'] }, 'settings[0]');
    await expectTarget({ ...base, settings: userDrivenSettings({ message: 'a\u0000b' }) }, 'settings');
    await expectTarget({ name: 'x', platforms: 'windows10', technologies: 'mdm', templateReference: { templateId: 'a\u0000' } }, 'templateReference');
  });

  it('checks settings on update too, changing nothing when they are bad', async () => {
    const created = await create(userDrivenPolicy({ name: 'DPP - updated', timeout: 120 }));
    const id = created.body.id;
    const patch = await json(tenant.graph('PATCH', `${POLICIES}/${id}`, { name: 'DPP - renamed', settings: userDrivenSettings({ timeout: 5 }) }));
    expect(patch.status).toBe(400);
    expect(patch.body.error.target).toBe('enrollment_autopilot_dpp_timeout');
    const after = await json(tenant.graph('GET', `${POLICIES}/${id}?$expand=settings`));
    expect(after.body.name).toBe('DPP - updated');
    expect(after.body.settings[4].settingInstance.simpleSettingValue.value).toBe(120);
    const retemplate = await json(tenant.graph('PATCH', `${POLICIES}/${id}`, { templateReference: { templateId: AUTOMATIC } }));
    expect(retemplate.body.error.target).toBe('templateReference.templateId');
  });
});

describe('device preparation policies: update, copy, delete', () => {
  it('takes a Terraform PATCH with every property and a Microsoft365DSC PUT that replaces the settings', async () => {
    const created = await create(userDrivenPolicy({ name: 'DPP - terraform' }));
    const id = created.body.id;
    // Terraform sends the whole resource, settings included, by PATCH.
    const terraform = {
      name: 'DPP - terraform v2',
      description: 'managed by terraform',
      platforms: 'windows10',
      technologies: 'enrollment',
      roleScopeTagIds: ['0'],
      templateReference: { templateId: USER_DRIVEN, templateFamily: 'enrollmentConfiguration' },
      settings: userDrivenSettings({ timeout: 240, apps: [appEntry(apps.msi!, 'windowsMobileMSI')] }).filter((s) => s.settingInstance.settingDefinitionId !== 'enrollment_autopilot_dpp_devicesecuritygroupids'),
    };
    expect((await tenant.graph('PATCH', `${POLICIES}('${id}')`, terraform)).status).toBe(204);
    let got = await json(tenant.graph('GET', `${POLICIES}/${id}?$expand=settings`));
    expect(got.body).toMatchObject({ name: 'DPP - terraform v2', description: 'managed by terraform', settingCount: 10, priorityMetaData: { priority: expect.any(Number) } });
    expect(got.body.lastModifiedDateTime >= got.body.createdDateTime).toBe(true);
    // Microsoft365DSC's Update-IntuneDeviceConfigurationPolicy: PUT with templateReference {templateId} only.
    const dsc = { name: 'DPP - dsc', description: '', platforms: 'windows10', technologies: 'enrollment', templateReference: { templateId: USER_DRIVEN }, roleScopeTagIds: ['0'], settings: userDrivenSettings().slice(0, 4) };
    expect((await tenant.graph('PUT', `${POLICIES}/${id}`, dsc)).status).toBe(204);
    got = await json(tenant.graph('GET', `${POLICIES}/${id}?$expand=settings`));
    expect(got.body.settingCount).toBe(4);
    expect(got.body.settings.map((s: any) => s.settingInstance.settingDefinitionId)).toEqual([
      'enrollment_autopilot_dpp_deploymentmode',
      'enrollment_autopilot_dpp_deploymenttype',
      'enrollment_autopilot_dpp_jointype',
      'enrollment_autopilot_dpp_accountype',
    ]);
    // A PATCH without settings leaves them alone.
    expect((await tenant.graph('PATCH', `${POLICIES}/${id}`, { description: 'just text' })).status).toBe(204);
    expect((await json(tenant.graph('GET', `${POLICIES}/${id}`))).body.settingCount).toBe(4);
  });

  it('copies a policy with createCopy and deletes policies with their settings', async () => {
    const source = await create(userDrivenPolicy({ name: 'DPP - original', scripts: [scripts[1]!] }));
    const copy = await json(tenant.graph('POST', `${POLICIES}/${source.body.id}/createCopy`, { displayName: 'DPP - copy', description: 'copied' }));
    expect(copy.status).toBe(200);
    expect(copy.body).toMatchObject({ name: 'DPP - copy', description: 'copied', settingCount: 11, isAssigned: false });
    expect(copy.body.id).not.toBe(source.body.id);
    const settings = await json(tenant.graph('GET', `${POLICIES}/${copy.body.id}/settings`));
    expect(settings.body.value[10].settingInstance.simpleSettingCollectionValue[0].value).toBe(scripts[1]);
    expect((await tenant.graph('DELETE', `${POLICIES}/${copy.body.id}`)).status).toBe(204);
    expect((await json(tenant.graph('GET', `${POLICIES}/${copy.body.id}`))).body.error.code).toBe('NotFound');
    expect((await json(tenant.graph('GET', `${POLICIES}/${copy.body.id}/settings`))).status).toBe(404);
  });
});

describe('device preparation policies: assignments', () => {
  it('assigns a user-driven policy to user groups, lists the assignments and keeps isAssigned', async () => {
    const policy = await create(userDrivenPolicy({ name: 'DPP - assigned' }));
    const id = policy.body.id;
    const users = await createGroup(tenant, 'dynamicSecurity', false);
    const res = await json(
      tenant.graph('POST', `${POLICIES}('${id}')/assign`, {
        assignments: [
          { id: '', source: 'direct', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: users, deviceAndAppManagementAssignmentFilterType: 'none' } },
          { target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toMatch(/\$metadata#Collection\(microsoft\.graph\.deviceManagementConfigurationPolicyAssignment\)$/);
    expect(res.body.value).toHaveLength(2);
    expect(res.body.value[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicyAssignment',
      source: 'direct',
      sourceId: id,
      target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: users, deviceAndAppManagementAssignmentFilterType: 'none' },
    });
    expect((await json(tenant.graph('GET', `${POLICIES}/${id}`))).body.isAssigned).toBe(true);
    const listed = await json(tenant.graph('GET', `${POLICIES}/${id}/assignments`));
    expect(listed.body.value).toHaveLength(2);
    const expanded = await json(tenant.graph('GET', `${POLICIES}/${id}?$expand=assignments`));
    expect(expanded.body.assignments).toHaveLength(2);
    const assigned = await json(tenant.graph('GET', `${POLICIES}?$filter=isAssigned eq true&$select=id`));
    expect(assigned.body.value.map((p: any) => p.id)).toContain(id);

    const parsed = await devicePreparationPolicyFor(tenantScope(t.server.ctx, tenant.tenantId), id);
    expect(parsed.assignments).toEqual({ includedGroupIds: [users], excludedGroupIds: [], allUsers: true });

    const devices = await json(tenant.graph('POST', `${POLICIES}/${id}/assign`, { assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] }));
    expect(devices.status).toBe(400);
    expect(devices.body.error.target).toBe('assignments[0].target.@odata.type');
    expect((await json(tenant.graph('GET', `${POLICIES}/${id}/assignments`))).body.value).toHaveLength(2);

    const cleared = await json(tenant.graph('POST', `${POLICIES}/${id}/assign`, { assignments: [] }));
    expect(cleared.body.value).toEqual([]);
    expect((await json(tenant.graph('GET', `${POLICIES}/${id}`))).body.isAssigned).toBe(false);
  });

  it('refuses assignments on an automatic-mode policy but takes the empty list Terraform sends', async () => {
    const policy = await create(automaticPolicy('W365 DPP', [appEntry(apps.win32!, 'win32LobApp')], [scripts[0]!]));
    expect(policy.status).toBe(201);
    expect(policy.body).toMatchObject({ settingCount: 2, priorityMetaData: null, templateReference: { templateId: AUTOMATIC, templateFamily: 'enrollmentConfiguration' } });
    const group = await createGroup(tenant, 'assignedSecurity', false);
    const refused = await json(tenant.graph('POST', `${POLICIES}/${policy.body.id}/assign`, { assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: group } }] }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.target).toBe('assignments');
    expect((await json(tenant.graph('POST', `${POLICIES}/${policy.body.id}/assign`, { assignments: [] }))).status).toBe(200);
    const parsed = await devicePreparationPolicyFor(tenantScope(t.server.ctx, tenant.tenantId), policy.body.id);
    expect(parsed).toMatchObject({ mode: 'automatic', priority: null, allowedApps: [{ id: apps.win32, type: '#microsoft.graph.win32LobApp' }], allowedScriptIds: [scripts[0]] });
  });
});

describe('device preparation policies: priority', () => {
  let own: TestTenant;
  beforeAll(async () => {
    own = await createTestTenant(t, 'empty');
  });
  const priorities = async () => {
    const res = await json(own.graph('GET', `${POLICIES}?$select=name,priorityMetaData&$orderby=name`));
    return Object.fromEntries(res.body.value.map((p: any) => [p.name, p.priorityMetaData?.priority ?? null]));
  };

  it('numbers new policies last, reorders one and renumbers the rest, closes gaps on delete', async () => {
    const make = async (name: string) => (await json(own.graph('POST', POLICIES, userDrivenPolicy({ name })))).body.id as string;
    const a = await make('A');
    await make('B');
    const c = await make('C');
    await json(own.graph('POST', POLICIES, automaticPolicy('W365')));
    expect(await priorities()).toEqual({ A: 1, B: 2, C: 3, W365: null });
    expect((await own.graph('POST', `${POLICIES}('${c}')/reorder`, { priority: 1 })).status).toBe(204);
    expect(await priorities()).toEqual({ A: 2, B: 3, C: 1, W365: null });
    expect((await own.graph('POST', `${POLICIES}/${c}/reorder`, { priority: 99 })).status).toBe(204);
    expect(await priorities()).toEqual({ A: 1, B: 2, C: 3, W365: null });
    const zero = await json(own.graph('POST', `${POLICIES}/${c}/reorder`, { priority: 0 }));
    expect(zero.body.error).toMatchObject({ code: 'BadRequest', target: 'priority' });
    await own.graph('DELETE', `${POLICIES}/${a}`);
    expect(await priorities()).toEqual({ B: 1, C: 2, W365: null });
    const ranked = await devicePreparationPolicies(tenantScope(t.server.ctx, own.tenantId));
    expect(ranked.map((p) => p.name)).toEqual(['B', 'C', 'W365']);
    const automaticId = (await json(own.graph('GET', `${POLICIES}?$filter=name eq 'W365'`))).body.value[0].id;
    expect((await json(own.graph('POST', `${POLICIES}/${automaticId}/reorder`, { priority: 1 }))).status).toBe(400);
  });

  it('gives policies created at the same time distinct priorities, sortable with $orderby', async () => {
    await Promise.all(['P1', 'P2', 'P3', 'P4', 'P5'].map((name) => json(own.graph('POST', POLICIES, userDrivenPolicy({ name })))));
    const res = await json(own.graph('GET', `${POLICIES}?$orderby=priorityMetaData/priority desc&$select=name,priorityMetaData&$filter=templateReference/templateId eq '${USER_DRIVEN}'`));
    expect(res.body.value.map((p: any) => p.priorityMetaData.priority)).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });
});
