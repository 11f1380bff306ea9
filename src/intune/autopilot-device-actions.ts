// What an admin (or the deployment engine) does to a registered Autopilot device: assign and unassign its
// user, change its group tag and names (updateDeviceProperties), record its enrollment, and deregister it.
// Sources: Graph beta windowsAutopilotDeviceIdentity actions (graph-api.md §6.1); behaviour.md §5.1 ("Editable
// afterwards: device name, group tag, user"; "Only devices not enrolled in Intune can be deleted from the AP
// list") and §3.1 ("Deregistering a device that was never MDM-enrolled may also remove its Entra object;
// for a device that is or was enrolled, the Entra object stays").
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { readJson } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import { deleteDevice, updateDevice } from '../directory/devices.js';
import { findUserRow } from '../directory/users.js';
import { intuneBadRequest } from './errors.js';
import { checkStorable } from './value-checks.js';
import { getIntuneObject, saveIntuneObject, type IntuneObject } from './resource.js';
import { autopilotDevices } from './autopilot-device-resource.js';
import { autopilotPhysicalIds, isTagEntry } from './autopilot-registration.js';
import { AUTOPILOT_DEVICES, NO_MANAGED_DEVICE } from './autopilot-collections.js';
import { ENROLLMENT_STATES, type EnrollmentState } from './corporate-identifiers.js';

const MAX_TEXT = 256;

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') throw intuneBadRequest(`'${name}' must be a string.`, name);
  checkStorable(value, name);
  if (value.length > MAX_TEXT) throw intuneBadRequest(`'${name}' is longer than ${MAX_TEXT} characters.`, name);
  return value;
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[], action: string): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw intuneBadRequest(`Parameter '${key}' is not part of ${action}; use ${allowed.join(', ')}.`, key);
}

/** The user must exist in the tenant ("needs a licensed Intune user", behaviour.md §5.1). */
async function userFor(scope: Scope, upn: string): Promise<{ upn: string; displayName: string }> {
  try {
    const row = await findUserRow(scope, upn);
    const data = readJson(row.data);
    return { upn: String(data.userPrincipalName), displayName: String(data.displayName ?? '') };
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) throw intuneBadRequest(`No user '${upn}' exists in this tenant.`, 'userPrincipalName');
    throw err;
  }
}

/** A computer name a device can take: 15 characters or less, letters, numbers and hyphens, not all numbers. */
function deviceNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9-]{1,15}$/.test(name)) return 'A device name must be 1 to 15 letters, numbers or hyphens.';
  if (/^[0-9]+$/.test(name)) return "A device name can't be all numbers.";
  return undefined;
}

async function save(scope: Scope, device: IntuneObject): Promise<void> {
  await saveIntuneObject(scope, autopilotDevices, device.id, device);
}

/** The Entra device object of an Autopilot device (by its deviceId), if it still exists. */
async function entraObjectOf(scope: Scope, device: IntuneObject): Promise<{ id: string; data: Record<string, unknown> } | undefined> {
  const deviceId = typeof device.azureAdDeviceId === 'string' ? device.azureAdDeviceId.toLowerCase() : '';
  if (!deviceId) return undefined;
  const row = await scope.db.selectFrom('devices').select(['id', 'data']).where('tenant_id', '=', scope.tenantId).where('device_id', '=', deviceId).executeTakeFirst();
  return row ? { id: row.id, data: readJson(row.data) } : undefined;
}

/** `assignUserToDevice {userPrincipalName, addressableUserName}`. */
export async function assignUserToDevice(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  onlyKeys(body, ['userPrincipalName', 'addressableUserName'], 'assignUserToDevice');
  const upn = optionalString(body, 'userPrincipalName');
  if (!upn) throw intuneBadRequest("'userPrincipalName' is required: the user to assign.", 'userPrincipalName');
  const addressable = optionalString(body, 'addressableUserName');
  await inTransaction(scope, async (tx) => {
    const device = await getIntuneObject(tx, autopilotDevices, id);
    const user = await userFor(tx, upn);
    await save(tx, { ...device, userPrincipalName: user.upn, addressableUserName: addressable || user.displayName });
  });
}

/** `unassignUserFromDevice`. */
export async function unassignUserFromDevice(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const device = await getIntuneObject(tx, autopilotDevices, id);
    await save(tx, { ...device, userPrincipalName: '', addressableUserName: '' });
  });
}

const UPDATABLE = ['userPrincipalName', 'addressableUserName', 'groupTag', 'displayName', 'deviceAccountUpn', 'deviceAccountPassword', 'deviceFriendlyName'] as const;

/**
 * `updateDeviceProperties`: only the parameters given change. A new group tag is written to the Entra
 * device's `[OrderId]` entry at once, so group-tag groups follow.
 */
export async function updateDeviceProperties(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  onlyKeys(body, UPDATABLE, 'updateDeviceProperties');
  const given = Object.fromEntries(UPDATABLE.map((name) => [name, optionalString(body, name)]).filter(([, v]) => v !== undefined)) as Partial<Record<(typeof UPDATABLE)[number], string>>;
  if (given.displayName) {
    const problem = deviceNameProblem(given.displayName);
    if (problem) throw intuneBadRequest(problem, 'displayName');
  }
  await inTransaction(scope, async (tx) => {
    const device = await getIntuneObject(tx, autopilotDevices, id);
    const next: IntuneObject = { ...device };
    if (given.userPrincipalName !== undefined) {
      if (given.userPrincipalName === '') Object.assign(next, { userPrincipalName: '', addressableUserName: '' });
      else {
        const user = await userFor(tx, given.userPrincipalName);
        Object.assign(next, { userPrincipalName: user.upn, addressableUserName: given.addressableUserName || device.addressableUserName || user.displayName });
      }
    } else if (given.addressableUserName !== undefined) next.addressableUserName = given.addressableUserName;
    for (const name of ['groupTag', 'displayName', 'deviceAccountUpn', 'deviceFriendlyName'] as const) if (given[name] !== undefined) next[name] = given[name];
    // A Surface Hub account password is write-only: Tarmac does not keep it.
    await save(tx, next);
    if (given.groupTag !== undefined && given.groupTag !== device.groupTag) {
      const entra = await entraObjectOf(tx, device);
      if (entra) {
        const kept = ((entra.data.physicalIds as string[] | undefined) ?? []).filter((e) => !isTagEntry(e) && !/^\[ZTDId\]:/i.test(e));
        const physicalIds = [...autopilotPhysicalIds(device.id, given.groupTag, String(device.purchaseOrderIdentifier ?? '')), ...kept];
        await updateDevice(tx, entra.id, { physicalIds });
      }
    }
  });
}

/** True when the Intune managed device the Autopilot device enrolled as still exists. */
async function managedDeviceExists(scope: Scope, managedDeviceId: unknown): Promise<boolean> {
  if (typeof managedDeviceId !== 'string' || managedDeviceId === '' || managedDeviceId === NO_MANAGED_DEVICE) return false;
  const row = await scope.db
    .selectFrom('intune_objects')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', 'managedDevices')
    .where('id', '=', managedDeviceId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Deregisters a device. An enrolled device must first be deleted from Intune. A device that never enrolled
 * loses its Entra device object too; a device that enrolled keeps it (the admin deletes it separately).
 */
export async function deleteAutopilotDevice(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const device = await getIntuneObject(tx, autopilotDevices, id);
    if (await managedDeviceExists(tx, device.managedDeviceId)) {
      throw intuneBadRequest(
        `The device is enrolled in Intune (managed device ${String(device.managedDeviceId)}): delete it from Intune first, then delete its Autopilot registration.`,
        'id',
      );
    }
    await tx.db.deleteFrom('intune_objects').where('tenant_id', '=', tx.tenantId).where('collection', '=', AUTOPILOT_DEVICES).where('id', '=', id).execute();
    const neverEnrolled = device.enrollmentState === 'notContacted' && (device.managedDeviceId ?? NO_MANAGED_DEVICE) === NO_MANAGED_DEVICE;
    if (neverEnrolled) {
      const entra = await entraObjectOf(tx, device);
      if (entra) await deleteDevice(tx, entra.id);
    }
  });
}

export interface EnrollmentRecord {
  readonly enrollmentState: EnrollmentState;
  /** The Intune managed device the Autopilot device enrolled as. */
  readonly managedDeviceId?: string;
}

/** Records an Autopilot device's enrollment (the deployment engine calls this). */
export async function recordAutopilotEnrollment(scope: Scope, id: string, record: EnrollmentRecord): Promise<void> {
  if (!ENROLLMENT_STATES.includes(record.enrollmentState)) throw new Error(`unknown enrollment state '${record.enrollmentState}'`);
  await inTransaction(scope, async (tx) => {
    const device = await getIntuneObject(tx, autopilotDevices, id);
    await save(tx, {
      ...device,
      enrollmentState: record.enrollmentState,
      lastContactedDateTime: isoNow(tx.clock),
      ...(record.managedDeviceId !== undefined ? { managedDeviceId: record.managedDeviceId } : {}),
    });
  });
}
