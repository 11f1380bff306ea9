// What the deployment engine asks when a device starts the out-of-box experience: is it registered with
// Windows Autopilot, and which deployment profile does it get? A registered device runs classic Autopilot
// instead of device preparation (behaviour.md §3.1), with its assigned profile or, when none is assigned,
// Autopilot's default behaviour (memdocs autopilot/profiles.md).
import type { Scope } from '../server/context.js';
import type { IntuneObject } from './resource.js';
import { findByUniqueKeys } from './intune-batch.js';
import { serialKey } from './autopilot-registration.js';
import { profileStates, refOf, withProfileState, type ProfileAssignmentStatus } from './autopilot-profile-status.js';
import { AUTOPILOT_DEVICES } from './autopilot-collections.js';
import { decodeHardwareHash } from './hardware-hash.js';

export interface DeviceFacts {
  readonly serialNumber: string;
  readonly manufacturer?: string;
  readonly model?: string;
  /** The device's hardware hash: when it is one Tarmac wrote, its serial number must agree. */
  readonly hardwareHash?: string;
}

export interface AutopilotRegistration {
  /** The windowsAutopilotDeviceIdentity, with its computed profile status. */
  readonly identity: IntuneObject;
  /** The object id of its Entra device, or null when that object was deleted. */
  readonly entraDeviceObjectId: string | null;
  readonly status: ProfileAssignmentStatus;
  /** The deployment profile it gets, or null (Autopilot's default behaviour). */
  readonly profile: IntuneObject | null;
}

const same = (a: unknown, b: string) => typeof a !== 'string' || a === '' || a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The device's Autopilot registration, found by serial number (manufacturer and model must agree when
 * both sides know them), or null when the device is not registered.
 */
export async function autopilotRegistrationFor(scope: Scope, device: DeviceFacts): Promise<AutopilotRegistration | null> {
  const fromHash = device.hardwareHash ? decodeHardwareHash(device.hardwareHash) : undefined;
  const serial = device.serialNumber || fromHash?.serialNumber || '';
  if (serial.trim() === '') return null;
  const found = [...(await findByUniqueKeys(scope, AUTOPILOT_DEVICES, [serialKey(serial)])).values()][0];
  if (!found) return null;
  const manufacturer = device.manufacturer ?? fromHash?.manufacturer;
  const model = device.model ?? fromHash?.model;
  if ((manufacturer && !same(found.data.manufacturer, manufacturer)) || (model && !same(found.data.model, model))) return null;
  const row = await scope.db
    .selectFrom('intune_objects')
    .select('created_at')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', AUTOPILOT_DEVICES)
    .where('id', '=', found.id)
    .executeTakeFirstOrThrow();
  const ref = refOf(found.id, found.data, row.created_at);
  const state = (await profileStates(scope, [ref])).get(found.id)!;
  const entra = ref.azureAdDeviceId
    ? await scope.db.selectFrom('devices').select('id').where('tenant_id', '=', scope.tenantId).where('device_id', '=', ref.azureAdDeviceId.toLowerCase()).executeTakeFirst()
    : undefined;
  return {
    identity: withProfileState({ id: found.id, ...found.data }, state) as IntuneObject,
    entraDeviceObjectId: entra?.id ?? null,
    status: state.status,
    profile: state.profile,
  };
}
