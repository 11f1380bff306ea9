// The two Windows Autopilot device preparation templates of the Settings Catalog (user-driven and automatic):
// their ids, the `enrollment_autopilot_dpp_*` setting definitions each carries, the instance and value
// template ids every setting must reference, the allowed choice values and the limits.
// Source: graph-api.md §4.1-§4.2 (Terraform constants.go, CIPP, Microsoft365DSC), behaviour.md §2.

export const USER_DRIVEN_TEMPLATE_ID = '80d33118-b7b4-40d8-b15f-81be745e053f_1';
export const AUTOMATIC_TEMPLATE_ID = 'a6157a7f-aa00-42d9-ac82-7d2479f545db_1';
export const ENROLLMENT_TEMPLATE_FAMILY = 'enrollmentConfiguration';

/** The setting definition ids (sic: `accountype` has one "t", as Intune spells it). */
export const DPP_SETTING = {
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

/** How a setting's value is written: a choice, a simple integer or string, or a collection of strings. */
export type DppSettingKind = 'choice' | 'integer' | 'string' | 'stringCollection';

export interface DppSettingDefinition {
  readonly id: string;
  readonly kind: DppSettingKind;
  readonly instanceTemplateId: string;
  /** Choice and simple settings carry a value template id; collections carry none. */
  readonly valueTemplateId?: string;
  /** Choice settings: the option ids the definition offers. */
  readonly options?: readonly string[];
  /** Choice settings: why an option that exists elsewhere is refused here. */
  readonly refusedOptions?: Readonly<Record<string, string>>;
  /** Integer settings: the inclusive range. */
  readonly min?: number;
  readonly max?: number;
  /** String settings: the longest value. */
  readonly maxLength?: number;
  /** Collection settings: the most entries. */
  readonly maxCount?: number;
}

export type DevicePreparationMode = 'userDriven' | 'automatic';

export interface DevicePreparationTemplate {
  readonly templateId: string;
  readonly mode: DevicePreparationMode;
  /** What Intune shows as the template's name and version (templateReference.templateDisplayName/-Version). */
  readonly displayName: string;
  readonly displayVersion: string;
  readonly settings: readonly DppSettingDefinition[];
}

const choice = (id: string, instanceTemplateId: string, valueTemplateId: string, suffixes: readonly string[], refused: Record<string, string> = {}): DppSettingDefinition => ({
  id,
  kind: 'choice',
  instanceTemplateId,
  valueTemplateId,
  options: suffixes.map((s) => `${id}_${s}`),
  refusedOptions: Object.fromEntries(Object.entries(refused).map(([s, why]) => [`${id}_${s}`, why])),
});

// "Minutes allowed before showing installation error … The acceptable value is an integer between 15 and 720."
// (memdocs autopilot/device-preparation/policy-configuration-options.md)
const TIMEOUT_MIN = 15;
const TIMEOUT_MAX = 720;
// Up to 25 apps since 30 Jan 2026, both modes; scripts stay at 10 (memdocs what's new; behaviour.md §2).
export const MAX_ALLOWED_APPS = 25;
export const MAX_ALLOWED_SCRIPTS = 10;
/** The longest custom error message (the Terraform provider's limit; Intune's own is not documented). */
const MAX_ERROR_MESSAGE = 1000;

const USER_DRIVEN_SETTINGS: readonly DppSettingDefinition[] = [
  // Terraform calls _1 "Enhanced mode"; the UI has one mode. graph-api.md §4.2: accept _0 and _1.
  choice(DPP_SETTING.deploymentMode, '5180aeab-886e-4589-97d4-40855c646315', '5874c2f6-bcf1-463b-a9eb-bee64e2f2d82', ['0', '1']),
  // Microsoft365DSC (generated from the definitions): DeploymentType "0: SingleUser" is the only value.
  choice(DPP_SETTING.deploymentType, 'f4184296-fa9f-4b67-8b12-1723b3f8456b', 'e0af022f-37f3-4a40-916d-1ab7281c88d9', ['0'], {
    '1': `Self-deploying/automatic deployment uses the automatic template ${AUTOMATIC_TEMPLATE_ID}, not the user-driven one.`,
  }),
  // "Windows Autopilot device preparation only supports Microsoft Entra join" (memdocs FAQ).
  choice(DPP_SETTING.joinType, '6310e95d-6cfa-4d2f-aae0-1e7af12e2182', '1fa84eb3-fcfa-4ed6-9687-0f3d486402c4', ['0'], {
    '1': 'Windows Autopilot device preparation only supports Microsoft Entra join, not Microsoft Entra hybrid join.',
  }),
  // Microsoft365DSC: "0: Administrator, 1: StandardUser".
  choice(DPP_SETTING.accountType, 'd4f2a840-86d5-4162-9a08-fa8cc608b94e', 'bf13bb47-69ef-4e06-97c1-50c2859a49c2', ['0', '1']),
  { id: DPP_SETTING.timeout, kind: 'integer', instanceTemplateId: '6dec0657-dfb8-4906-a7ee-3ac6ee1edecb', valueTemplateId: '0bbcce5b-a55a-4e05-821a-94bf576d6cc8', min: TIMEOUT_MIN, max: TIMEOUT_MAX },
  { id: DPP_SETTING.customErrorMessage, kind: 'string', instanceTemplateId: '2ddf0619-2b7a-46de-b29b-c6191e9dda6e', valueTemplateId: 'fe5002d5-fbe9-4920-9e2d-26bfc4b4cc97', maxLength: MAX_ERROR_MESSAGE },
  choice(DPP_SETTING.allowSkip, '2a71dc89-0f17-4ba9-bb27-af2521d34710', 'a2323e5e-ac56-4517-8847-b0a6fdb467e7', ['0', '1']),
  choice(DPP_SETTING.allowDiagnostics, 'e2b7a81b-f243-4abd-bce3-c1856345f405', 'c59d26fd-3460-4b26-b47a-f7e202e7d5a3', ['0', '1']),
  { id: DPP_SETTING.deviceSecurityGroupIds, kind: 'string', instanceTemplateId: 'a46a50ab-3076-4968-9366-75a40dde950e', valueTemplateId: '5f7d09e1-1a90-44ad-9c9f-ad90ba509e60', maxLength: 36 },
  { id: DPP_SETTING.allowedAppIds, kind: 'stringCollection', instanceTemplateId: '70d22a8a-a03c-4f62-b8df-dded3e327639', maxCount: MAX_ALLOWED_APPS },
  { id: DPP_SETTING.allowedScriptIds, kind: 'stringCollection', instanceTemplateId: '1bc67702-800c-4271-8fd9-609351cc19cf', maxCount: MAX_ALLOWED_SCRIPTS },
];

// The automatic (Windows 365) template has no OOBE settings and no user assignment; it carries the allowed
// apps and scripts only, under its own instance template ids (graph-api.md §4.1-§4.2).
const AUTOMATIC_SETTINGS: readonly DppSettingDefinition[] = [
  { id: DPP_SETTING.allowedAppIds, kind: 'stringCollection', instanceTemplateId: 'a9dedfd6-c3b2-46d9-ae39-91fd0dcb7a20', maxCount: MAX_ALLOWED_APPS },
  { id: DPP_SETTING.allowedScriptIds, kind: 'stringCollection', instanceTemplateId: 'ff20a4a9-a2f4-4a2e-84e0-4cd1dc9bed31', maxCount: MAX_ALLOWED_SCRIPTS },
];

export const DEVICE_PREPARATION_TEMPLATES: readonly DevicePreparationTemplate[] = [
  { templateId: USER_DRIVEN_TEMPLATE_ID, mode: 'userDriven', displayName: 'Windows Autopilot device preparation', displayVersion: 'Version 1', settings: USER_DRIVEN_SETTINGS },
  { templateId: AUTOMATIC_TEMPLATE_ID, mode: 'automatic', displayName: 'Windows Autopilot device preparation - automatic', displayVersion: 'Version 1', settings: AUTOMATIC_SETTINGS },
];

/** The device preparation template with this id (Intune compares template ids without regard to case). */
export function devicePreparationTemplate(templateId: unknown): DevicePreparationTemplate | undefined {
  if (typeof templateId !== 'string') return undefined;
  return DEVICE_PREPARATION_TEMPLATES.find((t) => t.templateId.toLowerCase() === templateId.toLowerCase());
}

export function settingDefinition(template: DevicePreparationTemplate, settingDefinitionId: string): DppSettingDefinition | undefined {
  return template.settings.find((s) => s.id === settingDefinitionId.toLowerCase());
}

/** The device preparation template a stored policy was created from, if any. */
export function templateOfPolicy(policy: Readonly<Record<string, unknown>>): DevicePreparationTemplate | undefined {
  const ref = policy.templateReference;
  return ref && typeof ref === 'object' ? devicePreparationTemplate((ref as Record<string, unknown>).templateId) : undefined;
}

/** What a person chooses on the portal's policy pages; the rest takes the portal's values. */
export interface UserDrivenPolicyChoices {
  readonly name: string;
  readonly description?: string;
  readonly accountType?: 'administrator' | 'standardUser';
  readonly timeoutMinutes?: number;
  readonly customErrorMessage?: string;
  readonly allowSkip?: boolean;
  readonly allowDiagnostics?: boolean;
  /** Apps by id and @odata.type (e.g. '#microsoft.graph.win32LobApp'), scripts by id. */
  readonly apps?: readonly { readonly id: string; readonly type: string }[];
  readonly scripts?: readonly string[];
}

const G = '#microsoft.graph.deviceManagementConfiguration';

/**
 * The create body of a user-driven device preparation policy as the portal sends it: every setting of the
 * template, with its instance and value template ids (the device group is set afterwards, with
 * setEnrollmentTimeDeviceMembershipTarget). For the CLI's demo, the benches and tests.
 */
export function userDrivenPolicyBody(c: UserDrivenPolicyChoices): Record<string, unknown> {
  const values: Record<string, unknown> = {
    [DPP_SETTING.deploymentMode]: `${DPP_SETTING.deploymentMode}_0`,
    [DPP_SETTING.deploymentType]: `${DPP_SETTING.deploymentType}_0`,
    [DPP_SETTING.joinType]: `${DPP_SETTING.joinType}_0`,
    [DPP_SETTING.accountType]: `${DPP_SETTING.accountType}_${c.accountType === 'administrator' ? 0 : 1}`,
    [DPP_SETTING.timeout]: c.timeoutMinutes ?? 60,
    [DPP_SETTING.customErrorMessage]: c.customErrorMessage ?? "Contact your organization's support person for help.",
    [DPP_SETTING.allowSkip]: `${DPP_SETTING.allowSkip}_${c.allowSkip === false ? 0 : 1}`,
    [DPP_SETTING.allowDiagnostics]: `${DPP_SETTING.allowDiagnostics}_${c.allowDiagnostics === false ? 0 : 1}`,
    [DPP_SETTING.deviceSecurityGroupIds]: '',
    [DPP_SETTING.allowedAppIds]: (c.apps ?? []).map((a) => JSON.stringify({ id: a.id, type: a.type })),
    [DPP_SETTING.allowedScriptIds]: [...(c.scripts ?? [])],
  };
  const settings = USER_DRIVEN_SETTINGS.map((d) => {
    const value = values[d.id];
    const ref = { settingInstanceTemplateReference: { settingInstanceTemplateId: d.instanceTemplateId } };
    const valueRef = { settingValueTemplateReference: { settingValueTemplateId: d.valueTemplateId } };
    const instance =
      d.kind === 'choice'
        ? { '@odata.type': `${G}ChoiceSettingInstance`, settingDefinitionId: d.id, ...ref, choiceSettingValue: { '@odata.type': `${G}ChoiceSettingValue`, value, children: [], ...valueRef } }
        : d.kind === 'stringCollection'
          ? { '@odata.type': `${G}SimpleSettingCollectionInstance`, settingDefinitionId: d.id, ...ref, simpleSettingCollectionValue: (value as string[]).map((v) => ({ '@odata.type': `${G}StringSettingValue`, value: v })) }
          : { '@odata.type': `${G}SimpleSettingInstance`, settingDefinitionId: d.id, ...ref, simpleSettingValue: { '@odata.type': `${G}${d.kind === 'integer' ? 'Integer' : 'String'}SettingValue`, value, ...valueRef } };
    return { '@odata.type': `${G}Setting`, settingInstance: instance };
  });
  return {
    name: c.name,
    description: c.description ?? '',
    platforms: 'windows10',
    technologies: 'enrollment',
    roleScopeTagIds: ['0'],
    templateReference: { templateId: USER_DRIVEN_TEMPLATE_ID, templateFamily: ENROLLMENT_TEMPLATE_FAMILY },
    settings,
  };
}
