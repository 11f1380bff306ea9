// A user-driven Windows Autopilot device preparation policy as the portal writes it: the template and the
// `enrollment_autopilot_dpp_*` settings with their instance and value template ids (the same ids and the same
// create body as the server's device preparation template), the portal's limits, and the reverse: what the
// wizard shows for an existing policy, read from its settings.
// Source: graph-api.md §4.1-§4.2; behaviour.md §2; memdocs device preparation policy-configuration-options.

export const USER_DRIVEN_TEMPLATE_ID = '80d33118-b7b4-40d8-b15f-81be745e053f_1';
export const ENROLLMENT_TEMPLATE_FAMILY = 'enrollmentConfiguration';

/** "The acceptable value is an integer between 15 and 720"; 60 in the portal's template. */
export const TIMEOUT_MIN = 15;
export const TIMEOUT_MAX = 720;
export const DEFAULT_TIMEOUT = 60;
/** Up to 25 apps (since January 2026) and 10 scripts. */
export const MAX_APPS = 25;
export const MAX_SCRIPTS = 10;
export const MAX_ERROR_MESSAGE = 1000;
export const DEFAULT_ERROR_MESSAGE = "Contact your organization's support person for help.";

/** The app types device preparation installs: Win32, LOB (MSI), WinGet Store apps, Microsoft 365, Enterprise App Catalog. */
export const ALLOWED_APP_TYPES: readonly string[] = [
  '#microsoft.graph.win32LobApp',
  '#microsoft.graph.windowsMobileMSI',
  '#microsoft.graph.winGetApp',
  '#microsoft.graph.officeSuiteApp',
  '#microsoft.graph.win32CatalogApp',
];

export const SETTING = {
  deploymentMode: 'enrollment_autopilot_dpp_deploymentmode',
  deploymentType: 'enrollment_autopilot_dpp_deploymenttype',
  joinType: 'enrollment_autopilot_dpp_jointype',
  accountType: 'enrollment_autopilot_dpp_accountype',
  timeout: 'enrollment_autopilot_dpp_timeout',
  customErrorMessage: 'enrollment_autopilot_dpp_customerrormessage',
  allowSkip: 'enrollment_autopilot_dpp_allowskip',
  allowDiagnostics: 'enrollment_autopilot_dpp_allowdiagnostics',
  deviceSecurityGroupIds: 'enrollment_autopilot_dpp_devicesecuritygroupids',
  allowedAppIds: 'enrollment_autopilot_dpp_allowedappids',
  allowedScriptIds: 'enrollment_autopilot_dpp_allowedscriptids',
} as const;

type Kind = 'choice' | 'integer' | 'string' | 'stringCollection';

/** The template's settings, in the order the portal writes them. */
const DEFINITIONS: readonly { id: string; kind: Kind; instance: string; value?: string }[] = [
  { id: SETTING.deploymentMode, kind: 'choice', instance: '5180aeab-886e-4589-97d4-40855c646315', value: '5874c2f6-bcf1-463b-a9eb-bee64e2f2d82' },
  { id: SETTING.deploymentType, kind: 'choice', instance: 'f4184296-fa9f-4b67-8b12-1723b3f8456b', value: 'e0af022f-37f3-4a40-916d-1ab7281c88d9' },
  { id: SETTING.joinType, kind: 'choice', instance: '6310e95d-6cfa-4d2f-aae0-1e7af12e2182', value: '1fa84eb3-fcfa-4ed6-9687-0f3d486402c4' },
  { id: SETTING.accountType, kind: 'choice', instance: 'd4f2a840-86d5-4162-9a08-fa8cc608b94e', value: 'bf13bb47-69ef-4e06-97c1-50c2859a49c2' },
  { id: SETTING.timeout, kind: 'integer', instance: '6dec0657-dfb8-4906-a7ee-3ac6ee1edecb', value: '0bbcce5b-a55a-4e05-821a-94bf576d6cc8' },
  { id: SETTING.customErrorMessage, kind: 'string', instance: '2ddf0619-2b7a-46de-b29b-c6191e9dda6e', value: 'fe5002d5-fbe9-4920-9e2d-26bfc4b4cc97' },
  { id: SETTING.allowSkip, kind: 'choice', instance: '2a71dc89-0f17-4ba9-bb27-af2521d34710', value: 'a2323e5e-ac56-4517-8847-b0a6fdb467e7' },
  { id: SETTING.allowDiagnostics, kind: 'choice', instance: 'e2b7a81b-f243-4abd-bce3-c1856345f405', value: 'c59d26fd-3460-4b26-b47a-f7e202e7d5a3' },
  { id: SETTING.deviceSecurityGroupIds, kind: 'string', instance: 'a46a50ab-3076-4968-9366-75a40dde950e', value: '5f7d09e1-1a90-44ad-9c9f-ad90ba509e60' },
  { id: SETTING.allowedAppIds, kind: 'stringCollection', instance: '70d22a8a-a03c-4f62-b8df-dded3e327639' },
  { id: SETTING.allowedScriptIds, kind: 'stringCollection', instance: '1bc67702-800c-4271-8fd9-609351cc19cf' },
];

export type AccountType = 'standardUser' | 'administrator';

export interface AllowedApp {
  readonly id: string;
  /** The app's @odata.type, e.g. '#microsoft.graph.win32LobApp'. */
  readonly type: string;
}

/** Everything the wizard's pages collect. */
export interface PolicyDraft {
  readonly name: string;
  readonly description: string;
  readonly accountType: AccountType;
  /** As typed: checked for a whole number in range before it is sent. */
  readonly timeout: string;
  readonly customErrorMessage: string;
  readonly allowSkip: boolean;
  readonly allowDiagnostics: boolean;
  readonly apps: readonly AllowedApp[];
  readonly scripts: readonly string[];
  /** The user groups the policy is assigned to (Included). */
  readonly userGroupIds: readonly string[];
  readonly deviceGroupId: string | null;
}

export const NEW_POLICY: PolicyDraft = {
  name: '',
  description: '',
  accountType: 'standardUser',
  timeout: String(DEFAULT_TIMEOUT),
  customErrorMessage: DEFAULT_ERROR_MESSAGE,
  allowSkip: false,
  allowDiagnostics: false,
  apps: [],
  scripts: [],
  userGroupIds: [],
  deviceGroupId: null,
};

const G = '#microsoft.graph.deviceManagementConfiguration';

/**
 * The policy body (create, or PUT when editing): every setting of the template. The device group is set
 * afterwards with setEnrollmentTimeDeviceMembershipTarget, so its setting is sent empty. Account type uses
 * Microsoft365DSC's mapping: _0 Administrator, _1 Standard user.
 */
export function policyBody(d: PolicyDraft): Record<string, unknown> {
  const values: Record<string, unknown> = {
    [SETTING.deploymentMode]: `${SETTING.deploymentMode}_0`,
    [SETTING.deploymentType]: `${SETTING.deploymentType}_0`,
    [SETTING.joinType]: `${SETTING.joinType}_0`,
    [SETTING.accountType]: `${SETTING.accountType}_${d.accountType === 'administrator' ? 0 : 1}`,
    [SETTING.timeout]: Number(d.timeout),
    [SETTING.customErrorMessage]: d.customErrorMessage,
    [SETTING.allowSkip]: `${SETTING.allowSkip}_${d.allowSkip ? 1 : 0}`,
    [SETTING.allowDiagnostics]: `${SETTING.allowDiagnostics}_${d.allowDiagnostics ? 1 : 0}`,
    [SETTING.deviceSecurityGroupIds]: '',
    [SETTING.allowedAppIds]: d.apps.map((a) => JSON.stringify({ id: a.id, type: a.type })),
    [SETTING.allowedScriptIds]: [...d.scripts],
  };
  const settings = DEFINITIONS.map((def) => {
    const value = values[def.id];
    const ref = { settingInstanceTemplateReference: { settingInstanceTemplateId: def.instance } };
    const valueRef = { settingValueTemplateReference: { settingValueTemplateId: def.value } };
    const instance =
      def.kind === 'choice'
        ? { '@odata.type': `${G}ChoiceSettingInstance`, settingDefinitionId: def.id, ...ref, choiceSettingValue: { '@odata.type': `${G}ChoiceSettingValue`, value, children: [], ...valueRef } }
        : def.kind === 'stringCollection'
          ? { '@odata.type': `${G}SimpleSettingCollectionInstance`, settingDefinitionId: def.id, ...ref, simpleSettingCollectionValue: (value as string[]).map((v) => ({ '@odata.type': `${G}StringSettingValue`, value: v })) }
          : { '@odata.type': `${G}SimpleSettingInstance`, settingDefinitionId: def.id, ...ref, simpleSettingValue: { '@odata.type': `${G}${def.kind === 'integer' ? 'Integer' : 'String'}SettingValue`, value, ...valueRef } };
    return { '@odata.type': `${G}Setting`, settingInstance: instance };
  });
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    platforms: 'windows10',
    technologies: 'enrollment',
    roleScopeTagIds: ['0'],
    templateReference: { templateId: USER_DRIVEN_TEMPLATE_ID, templateFamily: ENROLLMENT_TEMPLATE_FAMILY },
    settings,
  };
}

interface SettingInstance {
  readonly settingDefinitionId: string;
  readonly choiceSettingValue?: { readonly value?: string };
  readonly simpleSettingValue?: { readonly value?: unknown };
  readonly simpleSettingCollectionValue?: readonly { readonly value?: unknown }[];
}

export interface StoredPolicy {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly settings?: readonly { readonly settingInstance: SettingInstance }[];
}

/** The wizard's values for an existing policy (absent settings take the portal's defaults). */
export function draftFromPolicy(p: StoredPolicy, userGroupIds: readonly string[], deviceGroupId: string | null): PolicyDraft {
  const find = (id: string) => p.settings?.find((s) => s.settingInstance.settingDefinitionId.toLowerCase() === id)?.settingInstance;
  const choice = (id: string) => find(id)?.choiceSettingValue?.value ?? null;
  const simple = (id: string) => find(id)?.simpleSettingValue?.value;
  const collection = (id: string) => (find(id)?.simpleSettingCollectionValue ?? []).map((v) => String(v.value ?? '')).filter((v) => v.trim() !== '');
  const timeout = simple(SETTING.timeout);
  const message = simple(SETTING.customErrorMessage);
  const apps: AllowedApp[] = [];
  for (const entry of collection(SETTING.allowedAppIds)) {
    try {
      const parsed = JSON.parse(entry) as { id?: unknown; type?: unknown };
      if (typeof parsed.id === 'string' && typeof parsed.type === 'string') apps.push({ id: parsed.id, type: `#${parsed.type.replace(/^#/, '')}` });
    } catch {
      // Not the documented {"id","type"} string: the portal shows nothing for it either.
    }
  }
  return {
    name: p.name,
    description: p.description ?? '',
    accountType: choice(SETTING.accountType) === `${SETTING.accountType}_0` ? 'administrator' : 'standardUser',
    timeout: String(typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT),
    customErrorMessage: typeof message === 'string' ? message : DEFAULT_ERROR_MESSAGE,
    allowSkip: choice(SETTING.allowSkip) === `${SETTING.allowSkip}_1`,
    allowDiagnostics: choice(SETTING.allowDiagnostics) === `${SETTING.allowDiagnostics}_1`,
    apps,
    scripts: collection(SETTING.allowedScriptIds),
    userGroupIds,
    deviceGroupId,
  };
}

/** The portal's message when the device group does not validate (e.g. not owned by the Intune Provisioning Client). */
export const deviceGroupProblem = (policyName: string) => `There was a problem with the device security group for ${policyName}. Check the group meets the requirements.`;

/** What each validation code of setEnrollmentTimeDeviceMembershipTarget means. */
export const TARGET_ERRORS: Readonly<Record<string, string>> = {
  securityGroupNotFound: 'The group does not exist.',
  notSecurityGroup: 'The group is not a security group.',
  notStaticSecurityGroup: 'The group has dynamic membership; device preparation only uses assigned groups.',
  firstPartyAppNotAnOwner: 'The Intune Provisioning Client (f1346770-5b25-470b-88bd-d5744ab7952c) is not an owner of the group.',
  securityGroupNotInCallerScope: "The group is outside your scope groups.",
};

export type PageErrors = Partial<Record<'name' | 'timeout' | 'customErrorMessage' | 'apps' | 'scripts' | 'deviceGroupId', string>>;

/** The portal's checks of each page's fields. */
export function checkDraft(d: PolicyDraft): PageErrors {
  const e: PageErrors = {};
  if (d.name.trim() === '') e.name = 'Name is required.';
  const t = d.timeout.trim();
  if (t === '') e.timeout = 'Minutes allowed before showing installation error is required.';
  else if (!/^\d+$/.test(t) || Number(t) < TIMEOUT_MIN || Number(t) > TIMEOUT_MAX) e.timeout = `Enter a whole number of minutes from ${TIMEOUT_MIN} to ${TIMEOUT_MAX}.`;
  if (d.customErrorMessage.length > MAX_ERROR_MESSAGE) e.customErrorMessage = `The message is limited to ${MAX_ERROR_MESSAGE} characters.`;
  if (d.apps.length > MAX_APPS) e.apps = `Select at most ${MAX_APPS} apps.`;
  if (d.scripts.length > MAX_SCRIPTS) e.scripts = `Select at most ${MAX_SCRIPTS} scripts.`;
  if (!d.deviceGroupId) e.deviceGroupId = 'Select the device group.';
  return e;
}
