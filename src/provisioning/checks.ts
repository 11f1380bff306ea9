// The service-side checks of a user-driven setup, each answering "may this go on?" with the documented error
// when it may not. The engine runs them at the moment the real service would (behaviour.md §1.3, inferred
// order: sign-in → Entra join authorisation and quota → MDM discovery (user scope) → Intune enrollment
// restrictions); explain and preflight ask the same functions.
import type { Scope } from '../server/context.js';
import { readJson } from '../store/db.js';
import { verifyPassword } from '../core/password.js';
import { isGuid } from '../core/ids.js';
import { getDeviceRegistrationPolicy, ALL, ENUMERATED, type Membership } from '../directory/device-registration-policy.js';
import { getMobilityPolicy, includedGroups, INTUNE_MDM_APP_ID } from '../directory/mobility-policies.js';
import { compareVersions } from '../intune/enrollment-restrictions.js';

/** A check that failed: the error code and text the device shows, and a stable reason. */
export interface Blocker {
  readonly code: string;
  readonly reason: string;
  readonly message: string;
}

export interface SigningInUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
}

/**
 * Microsoft Entra sign-in on the OOBE page: the user exists, the password is right, the account is enabled.
 * AADSTS codes as the token endpoint uses them (graph-api.md §11.1).
 */
export async function authenticateUser(scope: Scope, upn: string, password: string | null): Promise<{ user: SigningInUser } | { blocker: Blocker }> {
  const query = scope.db.selectFrom('users').select(['id', 'data', 'password_hash']).where('tenant_id', '=', scope.tenantId);
  // A prediction names the user by id or UPN and cannot know the password (null: not checked).
  const row = await (isGuid(upn) && password === null ? query.where('id', '=', upn.toLowerCase()) : query.where('upn_key', '=', upn.toLowerCase())).executeTakeFirst();
  if (!row) {
    return { blocker: { code: 'AADSTS50034', reason: 'userNotFound', message: `We couldn't find an account with that username. The user account ${upn} does not exist in this directory.` } };
  }
  if (password !== null && !verifyPassword(password, row.password_hash)) {
    return { blocker: { code: 'AADSTS50126', reason: 'invalidCredentials', message: 'Your account or password is incorrect. Error validating credentials due to invalid username or password.' } };
  }
  const data = readJson<Record<string, unknown>>(row.data);
  if (data.accountEnabled === false) {
    return { blocker: { code: 'AADSTS50057', reason: 'userDisabled', message: 'Your account has been locked. The user account is disabled.' } };
  }
  return { user: { id: row.id, userPrincipalName: String(data.userPrincipalName), displayName: String(data.displayName ?? '') } };
}

/** Windows editions a simulated device can run; Home cannot join Microsoft Entra ID or enroll (0x80180022). */
export const WINDOWS_EDITIONS = ['Home', 'Pro', 'ProEducation', 'ProForWorkstations', 'Enterprise', 'Education', 'EnterpriseLTSC'] as const;
export type WindowsEdition = (typeof WINDOWS_EDITIONS)[number];

export function homeEditionBlocker(edition: string): Blocker | undefined {
  if (edition !== 'Home') return undefined;
  return { code: '0x80180022', reason: 'unsupportedEdition', message: 'Windows Home edition is not supported. Your organization requires Windows Pro, Enterprise or Education to set up this device for work.' };
}

/**
 * Device preparation's minimum OS (behaviour.md §2): Windows 11 24H2 or later, or 22H2/23H2 with KB5035942
 * (OS builds 22621.3374 / 22631.3374). No Windows 10.
 */
export function devicePreparationOsBlocker(osVersion: string): Blocker | undefined {
  const [, , build = 0, revision = 0] = osVersion.split('.').map(Number);
  const ok = build >= 26100 || ((build === 22621 || build === 22631) && revision >= 3374);
  if (ok) return undefined;
  return {
    code: 'DevicePreparationNotSupported',
    reason: 'osBelowMinimum',
    message: `Windows Autopilot device preparation needs Windows 11 24H2 or later, or Windows 11 22H2/23H2 with KB5035942 (build 22621.3374 / 22631.3374); this device runs ${osVersion}, so the policy is not delivered.`,
  };
}

/** Classic Windows Autopilot user-driven mode needs Windows 10 version 1809 (build 17763) or later. */
export function classicOsBlocker(osVersion: string): Blocker | undefined {
  if (compareVersions(osVersion.split('.').slice(0, 3).join('.'), '10.0.17763') >= 0) return undefined;
  return { code: 'AutopilotNotSupported', reason: 'osBelowMinimum', message: `Windows Autopilot needs Windows 10 version 1809 (build 17763) or later; this device runs ${osVersion}.` };
}

const inMembership = (m: Membership | undefined, userId: string, userGroups: ReadonlySet<string>): boolean => {
  if (!m || m['@odata.type'] === ALL) return m?.['@odata.type'] === ALL;
  if (m['@odata.type'] !== ENUMERATED) return false;
  return (m.users ?? []).some((u) => u.toLowerCase() === userId) || (m.groups ?? []).some((g) => userGroups.has(g.toLowerCase()));
};

export interface JoinSettings {
  readonly allowedToJoin: boolean;
  readonly userDeviceQuota: number;
  /** "Registering user is added as local administrator": 'all', 'selected' (with whether this user is) or 'none'. */
  readonly localAdmins: 'all' | 'selectedIncludingUser' | 'selectedExcludingUser' | 'none';
}

/** What the tenant's device registration policy says about this user joining a device. */
export async function joinSettingsFor(scope: Scope, userId: string, userGroups: ReadonlySet<string>): Promise<JoinSettings> {
  const policy = await getDeviceRegistrationPolicy(scope);
  const join = (policy.azureADJoin ?? {}) as { allowedToJoin?: Membership; localAdmins?: { registeringUsers?: Membership } };
  const registering = join.localAdmins?.registeringUsers;
  const localAdmins =
    registering?.['@odata.type'] === ALL ? 'all' : registering?.['@odata.type'] === ENUMERATED ? (inMembership(registering, userId, userGroups) ? 'selectedIncludingUser' : 'selectedExcludingUser') : 'none';
  return {
    allowedToJoin: inMembership(join.allowedToJoin, userId, userGroups),
    userDeviceQuota: typeof policy.userDeviceQuota === 'number' ? policy.userDeviceQuota : 50,
    localAdmins,
  };
}

/**
 * "Users may join devices to Microsoft Entra" and the per-user device quota (behaviour.md §1.3). Microsoft
 * documents no OOBE code for these; Windows shows 801c0003 ("This user is not authorized to enroll").
 */
export async function joinBlocker(scope: Scope, settings: JoinSettings, userId: string, rejoiningDeviceId: string | null): Promise<Blocker | undefined> {
  if (!settings.allowedToJoin) {
    return { code: '801c0003', reason: 'joinNotAllowed', message: "Something went wrong. This user isn't allowed to join devices to Microsoft Entra ID (Entra ID > Devices > Device settings > Users may join devices to Microsoft Entra)." };
  }
  let query = scope.db
    .selectFrom('links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', scope.tenantId)
    .where('rel', '=', 'registeredOwners')
    .where('target_id', '=', userId);
  if (rejoiningDeviceId) query = query.where('source_id', '!=', rejoiningDeviceId);
  const owned = Number((await query.executeTakeFirstOrThrow()).n);
  if (owned >= settings.userDeviceQuota) {
    return { code: '801c0003', reason: 'deviceQuotaReached', message: `Something went wrong. This user already has ${owned} devices, the maximum number of devices per user (${settings.userDeviceQuota}).` };
  }
  return undefined;
}

/** The MDM user scope of Microsoft Intune (Entra > Mobility): automatic enrollment happens only inside it. */
export async function mdmScopeBlocker(scope: Scope, userGroups: ReadonlySet<string>): Promise<Blocker | undefined> {
  const policy = await getMobilityPolicy(scope, INTUNE_MDM_APP_ID);
  const appliesTo = String(policy.appliesTo ?? 'none');
  if (appliesTo === 'all') return undefined;
  if (appliesTo === 'selected' && (await includedGroups(scope, INTUNE_MDM_APP_ID)).some((g) => userGroups.has(g.id))) return undefined;
  return {
    code: '0x8018002b',
    reason: 'mdmUserScope',
    message: `The device joined Microsoft Entra ID but could not enroll in Intune automatically: the MDM user scope of Microsoft Intune is ${appliesTo === 'none' ? 'None' : 'Some, and the user is in none of its groups'}.`,
  };
}
