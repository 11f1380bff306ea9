// The life of a Settings Catalog policy with its settings: create, update (PATCH merges, PUT also replaces
// every setting), copy and delete, each one transaction. A device preparation policy also gets its priority,
// and a device group named in its `enrollment_autopilot_dpp_devicesecuritygroupids` setting (as CIPP sends it)
// becomes its enrollment-time device group after the same validation as setEnrollmentTimeDeviceMembershipTarget.
// Source: Graph beta deviceManagementConfigurationPolicy create/update/createCopy; graph-api.md §4.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { intuneBadRequest } from './errors.js';
import { createIntuneObject, deleteIntuneObject, getIntuneObject, saveIntuneObject, updateIntuneObject, type IntuneObject } from './resource.js';
import { CONFIGURATION_POLICIES, configurationPolicies } from './configuration-policies.js';
import { checkSettings, deleteSettings, loadSettings, saveSettings, stringSettingValue, withDeviceGroupValue, type StoredSetting } from './configuration-policy-settings.js';
import { DPP_SETTING, templateOfPolicy } from './device-preparation-templates.js';
import { deviceGroupOf, MEMBERSHIP_TARGETS, storeDeviceGroup, validateDeviceGroup, VALIDATION_MESSAGES } from './enrollment-time-device-membership.js';
import { deleteCompanion } from './companion-rows.js';
import { closePriorityGaps, hasPriority, nextPriority } from './policy-priority.js';

/** Takes `settings` (any letter case, as Graph matches property names) out of a policy body. */
function splitSettings(body: Record<string, unknown>): { settings: unknown; rest: Record<string, unknown>; given: boolean } {
  const rest: Record<string, unknown> = {};
  let settings: unknown;
  let given = false;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'settings') {
      settings = value;
      given = true;
    } else rest[key] = value;
  }
  return { settings, rest, given };
}

/**
 * Stores checked settings; for a device preparation policy a group in the device group setting becomes the
 * policy's device group (a group that fails validation is a 400 naming the setting), and the setting always
 * shows the policy's current device group.
 */
async function applySettings(tx: Scope, policy: IntuneObject, settings: StoredSetting[]): Promise<void> {
  await saveSettings(tx, policy.id, settings);
  if (!templateOfPolicy(policy)) return;
  const named = stringSettingValue(settings, DPP_SETTING.deviceSecurityGroupIds);
  if (named) {
    const code = await validateDeviceGroup(tx, named);
    if (code !== 'unknown') {
      throw intuneBadRequest(
        `Setting '${DPP_SETTING.deviceSecurityGroupIds}': group '${named}' cannot be the device group (${code}: ${VALIDATION_MESSAGES[code]}).`,
        DPP_SETTING.deviceSecurityGroupIds,
      );
    }
    await storeDeviceGroup(tx, policy.id, named.toLowerCase());
    return;
  }
  const current = await deviceGroupOf(tx, policy.id);
  if (current !== null) await saveSettings(tx, policy.id, withDeviceGroupValue(settings, current));
}

/** Writes the server-set counters of a policy. */
async function saveCounters(tx: Scope, policy: IntuneObject, settingCount: number, priority?: number): Promise<IntuneObject> {
  const next: IntuneObject = { ...policy, settingCount };
  if (priority !== undefined) next.priorityMetaData = { priority };
  await saveIntuneObject(tx, configurationPolicies, policy.id, next);
  return next;
}

export async function createConfigurationPolicy(scope: Scope, body: Record<string, unknown>): Promise<IntuneObject> {
  const { settings, rest } = splitSettings(body);
  return inTransaction(scope, async (tx) => {
    const policy = await createIntuneObject(tx, configurationPolicies, rest);
    const checked = await checkSettings(tx, templateOfPolicy(policy), settings);
    await applySettings(tx, policy, checked);
    return saveCounters(tx, policy, checked.length, hasPriority(policy) ? await nextPriority(tx, policy.id) : undefined);
  });
}

/** PATCH (`replace` false) merges the properties sent and replaces the settings if sent; PUT replaces them always. */
export async function updateConfigurationPolicy(scope: Scope, id: string, body: Record<string, unknown>, replace: boolean): Promise<void> {
  const { settings, rest, given } = splitSettings(body);
  await inTransaction(scope, async (tx) => {
    const policy = await updateIntuneObject(tx, configurationPolicies, id, rest);
    if (!given && !replace) return;
    const checked = await checkSettings(tx, templateOfPolicy(policy), settings);
    await applySettings(tx, policy, checked);
    await saveCounters(tx, policy, checked.length);
  });
}

/** `createCopy {"displayName","description"}`: a new policy with the same settings, no assignments, no device group. */
export async function copyConfigurationPolicy(scope: Scope, id: string, body: Record<string, unknown>): Promise<IntuneObject> {
  for (const key of Object.keys(body)) if (!['displayName', 'description'].includes(key)) throw intuneBadRequest(`Parameter '${key}' is not part of createCopy.`, key);
  if (typeof body.displayName !== 'string' || body.displayName.trim() === '') throw intuneBadRequest("'displayName' is required.", 'displayName');
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') throw intuneBadRequest("'description' must be a string.", 'description');
  return inTransaction(scope, async (tx) => {
    const source = await getIntuneObject(tx, configurationPolicies, id);
    const copy = await createIntuneObject(tx, configurationPolicies, {
      name: body.displayName,
      description: body.description ?? source.description ?? '',
      platforms: source.platforms,
      technologies: source.technologies,
      templateReference: source.templateReference,
      roleScopeTagIds: source.roleScopeTagIds,
      ...(source.creationSource != null ? { creationSource: source.creationSource } : {}),
    });
    const settings = withDeviceGroupValue(await loadSettings(tx, source.id), null);
    await saveSettings(tx, copy.id, settings);
    return saveCounters(tx, copy, settings.length, hasPriority(copy) ? await nextPriority(tx, copy.id) : undefined);
  });
}

export async function deleteConfigurationPolicy(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    await deleteIntuneObject(tx, configurationPolicies, id);
    await deleteSettings(tx, id);
    await deleteCompanion(tx, MEMBERSHIP_TARGETS, id);
    await closePriorityGaps(tx);
  });
}

/** A policy's settings in served form (404 when the policy does not exist). */
export async function policySettings(scope: Scope, id: string): Promise<StoredSetting[]> {
  const policy = await getIntuneObject(scope, { collection: CONFIGURATION_POLICIES }, id);
  return loadSettings(scope, policy.id);
}
