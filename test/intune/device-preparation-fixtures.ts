// Test fixtures for device preparation policies: the policy body the portal, CIPP and Terraform send (all
// settings of graph-api.md §4.2), directory groups for the device group rules, and apps and scripts for the
// allowed-item checks (inserted through the generic Intune service, not through another area's routes).
import { tenantScope } from '../../src/server/context.js';
import { createIntuneObject, type IntuneResource } from '../../src/intune/resource.js';
import { json, type TestServer, type TestTenant } from '../helpers/server.js';

export const POLICIES = '/beta/deviceManagement/configurationPolicies';
export const USER_DRIVEN = '80d33118-b7b4-40d8-b15f-81be745e053f_1';
export const AUTOMATIC = 'a6157a7f-aa00-42d9-ac82-7d2479f545db_1';
export const PROVISIONING_CLIENT = 'f1346770-5b25-470b-88bd-d5744ab7952c';
const G = '#microsoft.graph.deviceManagementConfiguration';

export const choice = (id: string, instanceTemplateId: string, valueTemplateId: string, value: string) => ({
  '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
  settingInstance: {
    '@odata.type': `${G}ChoiceSettingInstance`,
    settingDefinitionId: id,
    settingInstanceTemplateReference: { settingInstanceTemplateId: instanceTemplateId },
    choiceSettingValue: { '@odata.type': `${G}ChoiceSettingValue`, value, children: [], settingValueTemplateReference: { settingValueTemplateId: valueTemplateId } },
  },
});

export const simple = (id: string, instanceTemplateId: string, valueTemplateId: string, valueType: 'Integer' | 'String', value: unknown) => ({
  '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
  settingInstance: {
    '@odata.type': `${G}SimpleSettingInstance`,
    settingDefinitionId: id,
    settingInstanceTemplateReference: { settingInstanceTemplateId: instanceTemplateId },
    simpleSettingValue: { '@odata.type': `${G}${valueType}SettingValue`, value, settingValueTemplateReference: { settingValueTemplateId: valueTemplateId } },
  },
});

export const collection = (id: string, instanceTemplateId: string, values: string[]) => ({
  '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
  settingInstance: {
    '@odata.type': `${G}SimpleSettingCollectionInstance`,
    settingDefinitionId: id,
    settingInstanceTemplateReference: { settingInstanceTemplateId: instanceTemplateId },
    simpleSettingCollectionValue: values.map((value) => ({ '@odata.type': `${G}StringSettingValue`, value })),
  },
});

export const appEntry = (id: string, type: string) => JSON.stringify({ id, type: `#microsoft.graph.${type}` });

export interface PolicyOptions {
  name?: string;
  mode?: string;
  type?: string;
  join?: string;
  account?: string;
  timeout?: unknown;
  message?: unknown;
  skip?: string;
  diagnostics?: string;
  deviceGroup?: string;
  apps?: string[];
  scripts?: string[];
}

/** Every setting of the user-driven template, ids and template ids exactly as graph-api.md §4.2 lists them. */
export function userDrivenSettings(o: PolicyOptions = {}) {
  return [
    choice('enrollment_autopilot_dpp_deploymentmode', '5180aeab-886e-4589-97d4-40855c646315', '5874c2f6-bcf1-463b-a9eb-bee64e2f2d82', o.mode ?? 'enrollment_autopilot_dpp_deploymentmode_0'),
    choice('enrollment_autopilot_dpp_deploymenttype', 'f4184296-fa9f-4b67-8b12-1723b3f8456b', 'e0af022f-37f3-4a40-916d-1ab7281c88d9', o.type ?? 'enrollment_autopilot_dpp_deploymenttype_0'),
    choice('enrollment_autopilot_dpp_jointype', '6310e95d-6cfa-4d2f-aae0-1e7af12e2182', '1fa84eb3-fcfa-4ed6-9687-0f3d486402c4', o.join ?? 'enrollment_autopilot_dpp_jointype_0'),
    choice('enrollment_autopilot_dpp_accountype', 'd4f2a840-86d5-4162-9a08-fa8cc608b94e', 'bf13bb47-69ef-4e06-97c1-50c2859a49c2', o.account ?? 'enrollment_autopilot_dpp_accountype_1'),
    simple('enrollment_autopilot_dpp_timeout', '6dec0657-dfb8-4906-a7ee-3ac6ee1edecb', '0bbcce5b-a55a-4e05-821a-94bf576d6cc8', 'Integer', o.timeout ?? 60),
    simple('enrollment_autopilot_dpp_customerrormessage', '2ddf0619-2b7a-46de-b29b-c6191e9dda6e', 'fe5002d5-fbe9-4920-9e2d-26bfc4b4cc97', 'String', o.message ?? "Contact your organization's support person for help."),
    choice('enrollment_autopilot_dpp_allowskip', '2a71dc89-0f17-4ba9-bb27-af2521d34710', 'a2323e5e-ac56-4517-8847-b0a6fdb467e7', o.skip ?? 'enrollment_autopilot_dpp_allowskip_1'),
    choice('enrollment_autopilot_dpp_allowdiagnostics', 'e2b7a81b-f243-4abd-bce3-c1856345f405', 'c59d26fd-3460-4b26-b47a-f7e202e7d5a3', o.diagnostics ?? 'enrollment_autopilot_dpp_allowdiagnostics_1'),
    simple('enrollment_autopilot_dpp_devicesecuritygroupids', 'a46a50ab-3076-4968-9366-75a40dde950e', '5f7d09e1-1a90-44ad-9c9f-ad90ba509e60', 'String', o.deviceGroup ?? ''),
    collection('enrollment_autopilot_dpp_allowedappids', '70d22a8a-a03c-4f62-b8df-dded3e327639', o.apps ?? []),
    collection('enrollment_autopilot_dpp_allowedscriptids', '1bc67702-800c-4271-8fd9-609351cc19cf', o.scripts ?? []),
  ];
}

/** The create body of a user-driven policy, as the portal and the cloudflow script send it. */
export const userDrivenPolicy = (o: PolicyOptions = {}) => ({
  name: o.name ?? 'DPP - User driven',
  description: '',
  platforms: 'windows10',
  technologies: 'enrollment',
  roleScopeTagIds: ['0'],
  templateReference: { templateId: USER_DRIVEN, templateFamily: 'enrollmentConfiguration' },
  settings: userDrivenSettings(o),
});

export const automaticPolicy = (name: string, apps: string[] = [], scripts: string[] = []) => ({
  name,
  description: 'Windows 365',
  platforms: 'windows10',
  technologies: 'enrollment',
  roleScopeTagIds: ['0'],
  templateReference: { templateId: AUTOMATIC, templateFamily: 'enrollmentConfiguration' },
  settings: [
    collection('enrollment_autopilot_dpp_allowedappids', 'a9dedfd6-c3b2-46d9-ae39-91fd0dcb7a20', apps),
    collection('enrollment_autopilot_dpp_allowedscriptids', 'ff20a4a9-a2f4-4a2e-84e0-4cd1dc9bed31', scripts),
  ],
});

const opaque = { typeName: 'microsoft.graph.fixture', properties: { displayName: { kind: 'string' as const } } };
const fixtureResource = (collectionName: string, types: string[]): IntuneResource => ({
  collection: collectionName,
  path: `/fixtures/${collectionName}`,
  versions: ['beta'],
  types: Object.fromEntries(types.map((t) => [t, opaque])),
  shape: opaque,
  permissions: { read: [], write: [] },
});

const APP_TYPES = ['win32LobApp', 'windowsMobileMSI', 'windowsUniversalAppX', 'winGetApp', 'officeSuiteApp', 'win32CatalogApp', 'iosStoreApp', 'webApp'];

/** Inserts a mobile app of the given type (e.g. 'winGetApp') and returns its id. */
export async function insertApp(t: TestServer, tenant: TestTenant, type: string, displayName = `${type} app`): Promise<string> {
  const res = fixtureResource('mobileApps', APP_TYPES.map((x) => `#microsoft.graph.${x}`));
  return (await createIntuneObject(tenantScope(t.server.ctx, tenant.tenantId), res, { '@odata.type': `#microsoft.graph.${type}`, displayName })).id;
}

/** Inserts a platform script and returns its id. */
export async function insertScript(t: TestServer, tenant: TestTenant, displayName = 'Install-X.ps1'): Promise<string> {
  const res = fixtureResource('deviceManagementScripts', ['#microsoft.graph.deviceManagementScript']);
  return (await createIntuneObject(tenantScope(t.server.ctx, tenant.tenantId), res, { '@odata.type': '#microsoft.graph.deviceManagementScript', displayName })).id;
}

/** The Intune Provisioning Client service principal of the tenant (created once). */
export async function provisioningClient(tenant: TestTenant): Promise<string> {
  const found = await json(tenant.graph('GET', `/v1.0/servicePrincipals?$filter=appId eq '${PROVISIONING_CLIENT}'`));
  if (found.body.value?.length) return found.body.value[0].id;
  const created = await json(tenant.graph('POST', '/v1.0/servicePrincipals', { appId: PROVISIONING_CLIENT }));
  if (created.status !== 201) throw new Error(`service principal: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

let counter = 0;

/** Creates a group; `owned` adds the Intune Provisioning Client as owner. */
export async function createGroup(
  tenant: TestTenant,
  kind: 'assignedSecurity' | 'dynamicSecurity' | 'microsoft365',
  owned: boolean,
): Promise<string> {
  const nick = `dpp${Date.now().toString(36)}${counter++}`;
  const body: Record<string, unknown> = {
    displayName: `DPP ${kind} ${nick}`,
    mailNickname: nick,
    mailEnabled: kind === 'microsoft365',
    securityEnabled: kind !== 'microsoft365',
    groupTypes: kind === 'microsoft365' ? ['Unified'] : kind === 'dynamicSecurity' ? ['DynamicMembership'] : [],
    ...(kind === 'dynamicSecurity' ? { membershipRule: '(device.deviceOSType -eq "Windows")', membershipRuleProcessingState: 'On' } : {}),
  };
  if (owned) body['owners@odata.bind'] = [`https://graph.microsoft.com/v1.0/servicePrincipals/${await provisioningClient(tenant)}`];
  const res = await json(tenant.graph('POST', '/v1.0/groups', body));
  if (res.status !== 201) throw new Error(`group: ${JSON.stringify(res.body)}`);
  return res.body.id;
}
