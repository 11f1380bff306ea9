// A device preparation policy as the deployment engine reads it: the settings parsed into typed values
// (with the documented defaults where a setting is absent), its device group, allowed apps and scripts,
// priority and the users it is assigned to. Read-only; Graph clients never see this form.
// Source: behaviour.md §1.5-§2; graph-api.md §4.2-§4.4.
import type { Scope } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import { getIntuneObject, listIntuneObjects, type IntuneObject } from './resource.js';
import { ALL_USERS_TARGET, EXCLUSION_TARGET, GROUP_TARGET, listAssignments } from './assignments.js';
import { CONFIGURATION_POLICIES } from './configuration-policies.js';
import { loadSettings, type StoredSetting } from './configuration-policy-settings.js';
import { DPP_SETTING, templateOfPolicy, type DevicePreparationMode } from './device-preparation-templates.js';
import { isBlankEntry, parseAllowedApp, type AllowedApp } from './device-preparation-allowed-items.js';
import { deviceGroupOf, validateDeviceGroup, type TargetValidationErrorCode } from './enrollment-time-device-membership.js';
import { priorityOf } from './policy-priority.js';
import { policyAssignmentKind } from './configuration-policy-assignments.js';

/** "Default in the portal/Graph templates: 60" (behaviour.md §1.8). */
export const DEFAULT_TIMEOUT_MINUTES = 60;
export const DEFAULT_CUSTOM_ERROR_MESSAGE = "Contact your organization's support person for help.";

export interface DevicePreparationPolicy {
  readonly id: string;
  readonly name: string;
  readonly mode: DevicePreparationMode;
  readonly templateId: string;
  /** Raw choice values (e.g. 'enrollment_autopilot_dpp_deploymentmode_0'); null when the setting is absent. */
  readonly deploymentMode: string | null;
  readonly deploymentType: string | null;
  readonly joinType: string | null;
  readonly accountType: string | null;
  /** accountType read with Microsoft365DSC's mapping (_0 Administrator, _1 StandardUser); the UI default is standard user. */
  readonly userAccountType: 'administrator' | 'standardUser';
  readonly timeoutMinutes: number;
  readonly customErrorMessage: string;
  readonly allowSkip: boolean;
  readonly allowDiagnostics: boolean;
  /** The enrollment-time device group (validated when it was set; the group may have changed since). */
  readonly deviceGroupId: string | null;
  /** The device group checked against today's directory ('unknown' = valid), null without a group. */
  readonly deviceGroupStatus: TargetValidationErrorCode | null;
  /** Allowed apps and scripts in the order the policy lists them (blank entries left out). */
  readonly allowedApps: readonly AllowedApp[];
  readonly allowedScriptIds: readonly string[];
  /** 1-based, smallest wins; null for automatic mode, which does not honor priority. */
  readonly priority: number | null;
  readonly assignments: {
    readonly includedGroupIds: readonly string[];
    readonly excludedGroupIds: readonly string[];
    readonly allUsers: boolean;
  };
  readonly roleScopeTagIds: readonly string[];
  readonly createdDateTime: string;
}

type Json = Record<string, unknown>;

function instanceOf(settings: readonly StoredSetting[], definitionId: string): Json | undefined {
  return settings.find((s) => s.settingInstance.settingDefinitionId === definitionId)?.settingInstance;
}

const choiceOf = (settings: readonly StoredSetting[], id: string): string | null => {
  const v = (instanceOf(settings, id)?.choiceSettingValue as Json | undefined)?.value;
  return typeof v === 'string' ? v : null;
};
const simpleOf = (settings: readonly StoredSetting[], id: string): unknown => (instanceOf(settings, id)?.simpleSettingValue as Json | undefined)?.value;
const collectionOf = (settings: readonly StoredSetting[], id: string): string[] => {
  const values = instanceOf(settings, id)?.simpleSettingCollectionValue;
  return Array.isArray(values) ? values.map((v) => String((v as Json).value ?? '')).filter((v) => !isBlankEntry(v)) : [];
};
const yes = (value: string | null, id: string) => value === `${id}_1`;

async function parse(scope: Scope, policy: IntuneObject): Promise<DevicePreparationPolicy | undefined> {
  const template = templateOfPolicy(policy);
  if (!template) return undefined;
  const settings = await loadSettings(scope, policy.id);
  const assignments = await listAssignments(scope, policyAssignmentKind, policy.id);
  const groups = (type: string) => assignments.filter((a) => a.target['@odata.type'] === type).map((a) => String(a.target.groupId));
  const accountType = choiceOf(settings, DPP_SETTING.accountType);
  const timeout = simpleOf(settings, DPP_SETTING.timeout);
  const message = simpleOf(settings, DPP_SETTING.customErrorMessage);
  const deviceGroupId = await deviceGroupOf(scope, policy.id);
  return {
    id: policy.id,
    name: String(policy.name),
    mode: template.mode,
    templateId: template.templateId,
    deploymentMode: choiceOf(settings, DPP_SETTING.deploymentMode),
    deploymentType: choiceOf(settings, DPP_SETTING.deploymentType),
    joinType: choiceOf(settings, DPP_SETTING.joinType),
    accountType,
    userAccountType: accountType === `${DPP_SETTING.accountType}_0` ? 'administrator' : 'standardUser',
    timeoutMinutes: typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT_MINUTES,
    customErrorMessage: typeof message === 'string' && message !== '' ? message : DEFAULT_CUSTOM_ERROR_MESSAGE,
    allowSkip: yes(choiceOf(settings, DPP_SETTING.allowSkip), DPP_SETTING.allowSkip),
    allowDiagnostics: yes(choiceOf(settings, DPP_SETTING.allowDiagnostics), DPP_SETTING.allowDiagnostics),
    deviceGroupId,
    deviceGroupStatus: deviceGroupId === null ? null : await validateDeviceGroup(scope, deviceGroupId),
    allowedApps: collectionOf(settings, DPP_SETTING.allowedAppIds).map((v) => parseAllowedApp(v)).filter((a): a is AllowedApp => a !== undefined),
    allowedScriptIds: collectionOf(settings, DPP_SETTING.allowedScriptIds),
    priority: template.mode === 'userDriven' ? priorityOf(policy) : null,
    assignments: {
      includedGroupIds: groups(GROUP_TARGET),
      excludedGroupIds: groups(EXCLUSION_TARGET),
      allUsers: assignments.some((a) => a.target['@odata.type'] === ALL_USERS_TARGET),
    },
    roleScopeTagIds: Array.isArray(policy.roleScopeTagIds) ? (policy.roleScopeTagIds as string[]) : ['0'],
    createdDateTime: String(policy.createdDateTime),
  };
}

/** One device preparation policy, parsed; 404 when it does not exist or is not a device preparation policy. */
export async function devicePreparationPolicyFor(scope: Scope, policyId: string): Promise<DevicePreparationPolicy> {
  const parsed = await parse(scope, await getIntuneObject(scope, { collection: CONFIGURATION_POLICIES }, policyId));
  if (!parsed) throw new GraphError(404, 'NotFound', `Configuration policy '${policyId}' is not a Windows Autopilot device preparation policy.`);
  return parsed;
}

/** Every device preparation policy of the tenant: user-driven ones by priority, then automatic ones by age. */
export async function devicePreparationPolicies(scope: Scope): Promise<DevicePreparationPolicy[]> {
  const out: DevicePreparationPolicy[] = [];
  for (const policy of await listIntuneObjects(scope, CONFIGURATION_POLICIES)) {
    const parsed = await parse(scope, policy);
    if (parsed) out.push(parsed);
  }
  const rank = (p: DevicePreparationPolicy) => (p.priority === null ? Number.MAX_SAFE_INTEGER : p.priority);
  return out.sort((a, b) => rank(a) - rank(b));
}
