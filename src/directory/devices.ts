// Entra device objects, with their registered owners and users.
// Source: Graph docs "Create device" (device-post-devices.md): accountEnabled, alternativeSecurityIds,
// deviceId, displayName, operatingSystem and operatingSystemVersion are required.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError, badRequest, resourceNotFound } from '../graph/errors.js';
import { invalidValue, validateBody, type BodyRules } from '../graph/validate.js';
// Writes accept beta's properties too; v1.0 responses leave the beta-only ones out.
import { deviceBetaShape as deviceShape } from '../graph/schema/shapes.js';
import { findObject, idFromReference, type GraphObject } from './objects.js';
import { addLink, deleteLinksOf, removeLink } from './links.js';
import { reevaluateObject } from './dynamic-membership.js';

const RULES: BodyRules = {
  resource: 'Device',
  readOnly: ['id', 'deletedDateTime', 'registrationDateTime', 'onPremisesSyncEnabled', 'onPremisesLastSyncDateTime'],
  maxLength: { displayName: 256, operatingSystem: 64, operatingSystemVersion: 64, manufacturer: 256, model: 256 },
};

const REQUIRED_ON_CREATE = [
  'accountEnabled',
  'alternativeSecurityIds',
  'deviceId',
  'displayName',
  'operatingSystem',
  'operatingSystemVersion',
] as const;

const PROFILE_TYPES = new Set(['RegisteredDevice', 'SecureVM', 'Printer', 'Shared', 'IoT']);
const TRUST_TYPES = new Set(['Workplace', 'AzureAd', 'ServerAd']);

export function emptyExtensionAttributes(): Record<string, null> {
  return Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null]));
}

/** The properties Entra gives a new device object that its creator does not set. */
export function deviceDefaults(): Record<string, unknown> {
  return {
    approximateLastSignInDateTime: null,
    complianceExpirationDateTime: null,
    deviceCategory: null,
    deviceMetadata: null,
    deviceOwnership: null,
    deviceVersion: null,
    enrollmentProfileName: null,
    enrollmentType: null,
    isCompliant: null,
    isManaged: null,
    managementType: null,
    manufacturer: null,
    mdmAppId: null,
    model: null,
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    physicalIds: [],
    profileType: 'RegisteredDevice',
    systemLabels: [],
    trustType: null,
    extensionAttributes: emptyExtensionAttributes(),
  };
}

export async function createDevice(scope: Scope, body: Record<string, unknown>): Promise<GraphObject> {
  const input = validateBody(body, deviceShape, RULES);
  for (const name of REQUIRED_ON_CREATE) {
    if (input[name] === undefined || input[name] === null) {
      throw new GraphError(400, 'Request_BadRequest', `Property '${name}' is required when creating the object.`, { target: name });
    }
  }
  checkDeviceSettings(input);
  return insertDevice(scope, input);
}

/** Inserts a device object; also used by enrollment and Autopilot import, which set Entra-managed fields. */
export async function insertDevice(scope: Scope, input: Record<string, unknown>): Promise<GraphObject> {
  const id = newId();
  const data: Record<string, unknown> = {
    ...deviceDefaults(),
    ...input,
    deviceId: String(input.deviceId).toLowerCase(),
    registrationDateTime: isoNow(scope.clock),
  };
  return inTransaction(scope, async (tx) => {
    await assertDeviceIdFree(tx, data.deviceId as string);
    await tx.db
      .insertInto('devices')
      .values({ tenant_id: tx.tenantId, id, device_id: data.deviceId as string, data: writeJson(data) })
      .execute();
    await reevaluateObject(tx, 'device', id);
    return { id, ...data };
  });
}

export async function updateDevice(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const patch = validateBody(body, deviceShape, { ...RULES, readOnly: [...RULES.readOnly!, 'deviceId'] });
  checkDeviceSettings(patch);
  await inTransaction(scope, async (tx) => {
    const row = await findDeviceRow(tx, id);
    const current = readJson(row.data);
    const data = { ...current, ...patch };
    // extensionAttributes is merged attribute by attribute, as Graph documents for PATCH.
    if (patch.extensionAttributes && typeof patch.extensionAttributes === 'object') {
      data.extensionAttributes = { ...(current.extensionAttributes as object), ...(patch.extensionAttributes as object) };
    }
    await tx.db.updateTable('devices').set({ data: writeJson(data) }).where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await reevaluateObject(tx, 'device', row.id);
  });
}

/**
 * Sets fields that Entra itself manages (trust type, management state, enrollment profile name) when a device
 * joins or enrolls; no client validation, since no client sends these. Dynamic groups follow.
 */
export async function patchDeviceData(scope: Scope, id: string, patch: Record<string, unknown>): Promise<GraphObject> {
  return inTransaction(scope, async (tx) => {
    const row = await findDeviceRow(tx, id);
    const data = { ...readJson(row.data), ...patch };
    await tx.db.updateTable('devices').set({ data: writeJson(data) }).where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await reevaluateObject(tx, 'device', row.id);
    return { id: row.id, ...data };
  });
}

export async function deleteDevice(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const row = await findDeviceRow(tx, id);
    await tx.db.deleteFrom('devices').where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await deleteLinksOf(tx, row.id);
  });
}

export async function getDevice(scope: Scope, id: string): Promise<GraphObject> {
  const row = await findDeviceRow(scope, id);
  return { id: row.id, ...readJson(row.data) };
}

export async function findDeviceRow(scope: Scope, id: string) {
  const row = isGuid(id)
    ? await scope.db
        .selectFrom('devices')
        .selectAll()
        .where('tenant_id', '=', scope.tenantId)
        .where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw resourceNotFound(id);
  return row;
}

/** `POST /devices/{id}/registeredOwners/$ref` (and registeredUsers): the target must be a user. */
export async function addDeviceUser(
  scope: Scope,
  deviceId: string,
  rel: 'registeredOwners' | 'registeredUsers',
  body: Record<string, unknown>,
): Promise<void> {
  const ref = body['@odata.id'];
  if (typeof ref !== 'string') throw badRequest("The request body must contain '@odata.id' with a reference URL.", '@odata.id');
  const targetId = idFromReference(ref);
  if (!targetId) throw badRequest(`Invalid object identifier '${ref}'.`, '@odata.id');
  await inTransaction(scope, async (tx) => {
    const device = await findDeviceRow(tx, deviceId);
    const user = await findObject(tx, targetId, ['user']);
    if (!user) throw resourceNotFound(targetId);
    await addLink(tx, rel, device.id, { id: targetId, kind: 'user' });
  });
}

export async function removeDeviceUser(scope: Scope, deviceId: string, rel: 'registeredOwners' | 'registeredUsers', userId: string) {
  await inTransaction(scope, async (tx) => {
    const device = await findDeviceRow(tx, deviceId);
    await removeLink(tx, rel, device.id, userId.toLowerCase());
  });
}

function checkDeviceSettings(input: Record<string, unknown>): void {
  if (input.deviceId !== undefined && (typeof input.deviceId !== 'string' || !isGuid(input.deviceId))) throw invalidValue('deviceId', 'Device');
  if (input.profileType != null && !PROFILE_TYPES.has(String(input.profileType))) throw invalidValue('profileType', 'Device');
  if (input.trustType != null && !TRUST_TYPES.has(String(input.trustType))) throw invalidValue('trustType', 'Device');
  const ext = input.extensionAttributes;
  if (ext != null) {
    const allowed = Object.keys(emptyExtensionAttributes());
    for (const [k, v] of Object.entries(ext as Record<string, unknown>)) {
      if (!allowed.includes(k) || (v !== null && (typeof v !== 'string' || v.length > 1024))) throw invalidValue('extensionAttributes', 'Device');
    }
  }
}

async function assertDeviceIdFree(scope: Scope, deviceId: string): Promise<void> {
  const clash = await scope.db
    .selectFrom('devices')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  if (clash) throw badRequest('Another object with the same value for property deviceId already exists.', 'deviceId');
}
