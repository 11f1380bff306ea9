// Enrollment time grouping: the device group of a device preparation policy ("enrollment time device
// membership target"). The group must exist, be a security group, be assigned (static) and be owned by the
// Intune Provisioning Client service principal; each failure has its validation code. Also the older
// just-in-time configuration actions over the same stored target.
// Source: Graph beta setEnrollmentTimeDeviceMembershipTarget, enrollmentTimeDeviceMembershipTargetStatus,
// assignJustInTimeConfiguration; memdocs autopilot/device-preparation/tutorial/user-driven/entra-join-device-group.md.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isGuid } from '../core/ids.js';
import { findObject } from '../directory/objects.js';
import { linkTargets } from '../directory/links.js';
import { isDynamic, isUnified } from '../directory/group-types.js';
import { findServicePrincipalByAppId, INTUNE_PROVISIONING_CLIENT_APP_ID } from '../identity/service-principals.js';
import { intuneBadRequest } from './errors.js';
import { deleteCompanion, readCompanion, writeCompanion } from './companion-rows.js';
import { loadSettings, saveSettings, withDeviceGroupValue } from './configuration-policy-settings.js';
import { templateOfPolicy } from './device-preparation-templates.js';
import type { IntuneObject } from './resource.js';

/** Where each policy's target is kept (one row per policy, see companion-rows.ts). */
export const MEMBERSHIP_TARGETS = 'enrollmentTimeDeviceMembershipTargets';
const TARGET_TYPE = '#microsoft.graph.enrollmentTimeDeviceMembershipTarget';
const STATIC_SECURITY_GROUP = 'staticSecurityGroup';

/** `unknown` means the target validated (Graph: "When there are no validation issues found … unknown"). */
export type TargetValidationErrorCode =
  | 'unknown'
  | 'securityGroupNotFound'
  | 'notSecurityGroup'
  | 'notStaticSecurityGroup'
  | 'firstPartyAppNotAnOwner'
  | 'securityGroupNotInCallerScope';

export type TargetStatus = {
  readonly '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetStatus';
  readonly targetId: string;
  readonly validationSucceeded: boolean;
  readonly targetValidationErrorCode: TargetValidationErrorCode;
};

export type TargetResult = {
  readonly '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult';
  readonly validationSucceeded: boolean;
  readonly enrollmentTimeDeviceMembershipTargetValidationStatuses: readonly TargetStatus[];
};

interface StoredTarget {
  targetType: typeof STATIC_SECURITY_GROUP;
  targetId: string;
}

/**
 * Validates a group as a device preparation device group, in the order Intune documents the requirements:
 * it exists, it is a security group (not Microsoft 365), its membership is assigned, and the Intune
 * Provisioning Client (appId f1346770-…) is among its owners.
 */
export async function validateDeviceGroup(scope: Scope, groupId: string): Promise<TargetValidationErrorCode> {
  const found = isGuid(groupId) ? await findObject(scope, groupId.toLowerCase(), ['group']) : undefined;
  if (!found) return 'securityGroupNotFound';
  const group = found.object;
  if (group.securityEnabled !== true || isUnified(group)) return 'notSecurityGroup';
  if (isDynamic(group)) return 'notStaticSecurityGroup';
  const provisioningClient = await findServicePrincipalByAppId(scope, INTUNE_PROVISIONING_CLIENT_APP_ID);
  if (!provisioningClient) return 'firstPartyAppNotAnOwner';
  const owners = await linkTargets(scope, 'owners', group.id);
  return owners.some((o) => o.id === provisioningClient.id) ? 'unknown' : 'firstPartyAppNotAnOwner';
}

/** What each code means, for messages a person can act on. */
export const VALIDATION_MESSAGES: Readonly<Record<Exclude<TargetValidationErrorCode, 'unknown'>, string>> = {
  securityGroupNotFound: 'the group does not exist',
  notSecurityGroup: 'the group is not a security group',
  notStaticSecurityGroup: 'the group has dynamic membership; device preparation only uses assigned groups',
  firstPartyAppNotAnOwner: `the Intune Provisioning Client service principal (appId ${INTUNE_PROVISIONING_CLIENT_APP_ID}) is not an owner of the group`,
  securityGroupNotInCallerScope: "the group is outside the caller's scope groups",
};

const status = (targetId: string, code: TargetValidationErrorCode): TargetStatus => ({
  '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetStatus',
  targetId,
  validationSucceeded: code === 'unknown',
  targetValidationErrorCode: code,
});

const result = (statuses: TargetStatus[]): TargetResult => ({
  '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult',
  validationSucceeded: statuses.every((s) => s.validationSucceeded),
  enrollmentTimeDeviceMembershipTargetValidationStatuses: statuses,
});

/** The policy's device group id, or null. */
export async function deviceGroupOf(scope: Scope, policyId: string): Promise<string | null> {
  return (await readCompanion<StoredTarget>(scope, MEMBERSHIP_TARGETS, policyId))?.targetId ?? null;
}

/**
 * Stores (or, with null, removes) the policy's device group and shows it in the policy's
 * `enrollment_autopilot_dpp_devicesecuritygroupids` setting when the policy has that setting.
 */
export async function storeDeviceGroup(scope: Scope, policyId: string, groupId: string | null): Promise<void> {
  if (groupId === null) await deleteCompanion(scope, MEMBERSHIP_TARGETS, policyId);
  else await writeCompanion(scope, MEMBERSHIP_TARGETS, policyId, TARGET_TYPE, { targetType: STATIC_SECURITY_GROUP, targetId: groupId } satisfies StoredTarget);
  const settings = await loadSettings(scope, policyId);
  if (settings.length > 0) await saveSettings(scope, policyId, withDeviceGroupValue(settings, groupId));
}

function requireDevicePreparationPolicy(policy: IntuneObject): void {
  if (!templateOfPolicy(policy)) {
    throw intuneBadRequest('Only Windows Autopilot device preparation policies have an enrollment time device membership target.', 'id');
  }
}

/** The one target of a set request: one static security group per policy (behaviour.md §1.6). */
function targetIdOf(body: Record<string, unknown>): string {
  const field = 'enrollmentTimeDeviceMembershipTargets';
  const targets = body[field];
  if (!Array.isArray(targets)) throw intuneBadRequest(`'${field}' must be an array of enrollmentTimeDeviceMembershipTarget objects.`, field);
  if (targets.length === 0) throw intuneBadRequest(`'${field}' is empty; use clearEnrollmentTimeDeviceMembershipTarget to remove the device group.`, field);
  if (targets.length > 1) throw intuneBadRequest('A device preparation policy has exactly one device group.', field);
  const target = targets[0] as unknown;
  const at = `${field}[0]`;
  if (!target || typeof target !== 'object' || Array.isArray(target)) throw intuneBadRequest(`${at} must be an object.`, at);
  const t = target as Record<string, unknown>;
  for (const key of Object.keys(t)) if (!['@odata.type', 'targetType', 'targetId'].includes(key)) throw intuneBadRequest(`Property '${key}' is not part of enrollmentTimeDeviceMembershipTarget.`, `${at}.${key}`);
  if (typeof t.targetType !== 'string' || t.targetType.toLowerCase() !== STATIC_SECURITY_GROUP.toLowerCase()) {
    throw intuneBadRequest(`'targetType' must be '${STATIC_SECURITY_GROUP}', the only kind of target device preparation supports.`, `${at}.targetType`);
  }
  if (typeof t.targetId !== 'string' || t.targetId === '') throw intuneBadRequest("'targetId' must be the id of a group.", `${at}.targetId`);
  return t.targetId;
}

/** `setEnrollmentTimeDeviceMembershipTarget`: validates; stores the group only when it validates. */
export async function setEnrollmentTimeDeviceMembershipTarget(scope: Scope, policy: IntuneObject, body: Record<string, unknown>): Promise<TargetResult> {
  requireDevicePreparationPolicy(policy);
  const targetId = targetIdOf(body);
  return inTransaction(scope, async (tx) => {
    const code = await validateDeviceGroup(tx, targetId);
    if (code === 'unknown') await storeDeviceGroup(tx, policy.id, targetId.toLowerCase());
    return result([status(code === 'unknown' ? targetId.toLowerCase() : targetId, code)]);
  });
}

/** `retrieveEnrollmentTimeDeviceMembershipTarget`: the stored target, validated again against today's directory. */
export async function retrieveEnrollmentTimeDeviceMembershipTarget(scope: Scope, policy: IntuneObject): Promise<TargetResult> {
  const groupId = await deviceGroupOf(scope, policy.id);
  return result(groupId === null ? [] : [status(groupId, await validateDeviceGroup(scope, groupId))]);
}

/** `clearEnrollmentTimeDeviceMembershipTarget`: removes the device group. */
export async function clearEnrollmentTimeDeviceMembershipTarget(scope: Scope, policy: IntuneObject): Promise<boolean> {
  requireDevicePreparationPolicy(policy);
  await inTransaction(scope, (tx) => storeDeviceGroup(tx, policy.id, null));
  return true;
}

/**
 * `assignJustInTimeConfiguration` (the older API): {"justInTimeAssignments":{"targetType":"entraSecurityGroup",
 * "target":[groupId]}}. An empty list removes the group; a group that fails validation answers false.
 */
export async function assignJustInTimeConfiguration(scope: Scope, policy: IntuneObject, body: Record<string, unknown>): Promise<boolean> {
  requireDevicePreparationPolicy(policy);
  const field = 'justInTimeAssignments';
  const jit = body[field];
  if (!jit || typeof jit !== 'object' || Array.isArray(jit)) throw intuneBadRequest(`'${field}' must be a deviceManagementConfigurationJustInTimeAssignmentPolicy object.`, field);
  const { targetType, target } = jit as Record<string, unknown>;
  for (const key of Object.keys(jit)) if (!['@odata.type', 'targetType', 'target'].includes(key)) throw intuneBadRequest(`Property '${key}' is not part of deviceManagementConfigurationJustInTimeAssignmentPolicy.`, `${field}.${key}`);
  if (typeof targetType !== 'string' || targetType.toLowerCase() !== 'entrasecuritygroup') throw intuneBadRequest("'targetType' must be 'entraSecurityGroup'.", `${field}.targetType`);
  if (!Array.isArray(target) || !target.every((t) => typeof t === 'string')) throw intuneBadRequest("'target' must be an array of group ids.", `${field}.target`);
  if (target.length > 1) throw intuneBadRequest('A device preparation policy has exactly one device group.', `${field}.target`);
  return inTransaction(scope, async (tx) => {
    if (target.length === 0) {
      await storeDeviceGroup(tx, policy.id, null);
      return true;
    }
    const groupId = target[0] as string;
    if ((await validateDeviceGroup(tx, groupId)) !== 'unknown') return false;
    await storeDeviceGroup(tx, policy.id, groupId.toLowerCase());
    return true;
  });
}

/** `retrieveJustInTimeConfiguration`: the stored group in the older shape (targetType "unknown" when none). */
export async function retrieveJustInTimeConfiguration(scope: Scope, policy: IntuneObject) {
  const groupId = await deviceGroupOf(scope, policy.id);
  return {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationJustInTimeAssignmentPolicy',
    targetType: groupId === null ? 'unknown' : 'entraSecurityGroup',
    target: groupId === null ? [] : [groupId],
  };
}
