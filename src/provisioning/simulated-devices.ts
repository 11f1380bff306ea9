// Simulated devices: a device's hardware identity (manufacturer, model, serial number, hardware hash),
// Windows edition and build, TPM, and the behaviour set on it. Control API only. A device starts at the
// out-of-box experience; signing in starts a deployment, and a reset (wipe) brings it back to OOBE.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { seededRandom } from '../core/random.js';
import { isUniqueViolation, readJson, writeJson } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import { simulatedHardwareHash, isBase64 } from '../intune/hardware-hash.js';
import { WINDOWS_EDITIONS, type WindowsEdition } from './checks.js';
import { loadSimulation, parseDeviceBehaviour, type DeviceBehaviour } from './simulation.js';

/** Where the device is: at the out-of-box experience, in setup, or at the desktop. */
export type DeviceState = 'oobe' | 'settingUp' | 'desktop';

export interface SimulatedDevice {
  readonly id: string;
  readonly ordinal: number;
  readonly serialNumber: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareHash: string;
  readonly windowsEdition: WindowsEdition;
  readonly osVersion: string;
  readonly tpmPresent: boolean;
  readonly behaviour: DeviceBehaviour;
  /** The Entra device object it joined as, kept across resets only for Autopilot-registered devices. */
  readonly entraObjectId: string | null;
  readonly state: DeviceState;
  readonly deploymentId: string | null;
  /** Deployments started on it so far; with the seed it makes each run's random choices repeatable. */
  readonly deployments: number;
  readonly createdDateTime: string;
}

type StoredDevice = Omit<SimulatedDevice, 'id' | 'ordinal' | 'serialNumber' | 'deploymentId' | 'createdDateTime'>;

/** Windows 11 24H2, the current release. */
export const DEFAULT_OS_VERSION = '10.0.26100.4061';
const invalid = (message: string, target: string) => new GraphError(400, 'BadRequest', message, { target });
export const deviceNotFound = (id: string) => new GraphError(404, 'NotFound', `Simulated device '${id}' does not exist in this tenant.`);

function text(b: Record<string, unknown>, name: string, max: number, pattern?: RegExp, hint?: string): string | undefined {
  const v = b[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw invalid(`'${name}' must be a non-empty string of at most ${max} characters.`, name);
  if (pattern && !pattern.test(v)) throw invalid(`'${name}' ${hint}.`, name);
  return v.trim();
}

export interface CreateDeviceInput {
  readonly serialNumber?: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareHash?: string;
  readonly windowsEdition: WindowsEdition;
  readonly osVersion: string;
  readonly tpmPresent: boolean;
  readonly behaviour: DeviceBehaviour;
}

export function parseCreateDevice(body: unknown): CreateDeviceInput {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw invalid('The request body must be a JSON object.', 'body');
  const known = ['serialNumber', 'manufacturer', 'model', 'hardwareHash', 'windowsEdition', 'osVersion', 'tpmPresent', 'behaviour'];
  for (const key of Object.keys(b)) if (!known.includes(key)) throw invalid(`'${key}' is not a property of a simulated device; use ${known.join(', ')}.`, key);
  const edition = b.windowsEdition ?? 'Enterprise';
  if (typeof edition !== 'string' || !(WINDOWS_EDITIONS as readonly string[]).includes(edition)) throw invalid(`'windowsEdition' must be one of ${WINDOWS_EDITIONS.join(', ')}.`, 'windowsEdition');
  if (b.tpmPresent !== undefined && typeof b.tpmPresent !== 'boolean') throw invalid("'tpmPresent' must be true or false.", 'tpmPresent');
  const hash = text(b, 'hardwareHash', 8192);
  if (hash !== undefined && !isBase64(hash)) throw invalid("'hardwareHash' must be base64, as Get-WindowsAutopilotInfo writes it.", 'hardwareHash');
  return {
    serialNumber: text(b, 'serialNumber', 64, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold only letters, digits, periods, hyphens and underscores'),
    manufacturer: text(b, 'manufacturer', 128) ?? 'Microsoft Corporation',
    model: text(b, 'model', 128) ?? 'Surface Laptop 6',
    hardwareHash: hash,
    windowsEdition: edition as WindowsEdition,
    osVersion: text(b, 'osVersion', 32, /^10\.0\.\d{5}\.\d{1,5}$/, "must be a Windows version such as '10.0.26100.4061' (10.0.build.revision)") ?? DEFAULT_OS_VERSION,
    tpmPresent: b.tpmPresent !== false,
    behaviour: b.behaviour === undefined ? {} : parseDeviceBehaviour(b.behaviour, 'behaviour'),
  };
}

function toDevice(row: { id: string; ordinal: number; serial_number: string; deployment_id: string | null; data: unknown; created_at: string }): SimulatedDevice {
  const data = readJson<StoredDevice>(row.data);
  return { ...data, id: row.id, ordinal: Number(row.ordinal), serialNumber: row.serial_number, deploymentId: row.deployment_id, createdDateTime: row.created_at };
}

/** Creates simulated devices in one transaction; a serial number left out is drawn from the tenant's seed. */
export async function createSimulatedDevices(scope: Scope, inputs: readonly CreateDeviceInput[]): Promise<SimulatedDevice[]> {
  return inTransaction(scope, async (tx) => {
    const { seed } = await loadSimulation(tx);
    const last = await tx.db.selectFrom('simulated_devices').select((eb) => eb.fn.max('ordinal').as('n')).where('tenant_id', '=', tx.tenantId).executeTakeFirst();
    let ordinal = Number(last?.n ?? 0);
    const now = isoNow(tx.clock);
    const out: SimulatedDevice[] = [];
    for (const input of inputs) {
      ordinal += 1;
      const serialNumber = input.serialNumber ?? `TM${String(seededRandom(seed, 'serial', ordinal).int(0, 9_999_999_999)).padStart(10, '0')}`;
      const data: StoredDevice = {
        manufacturer: input.manufacturer,
        model: input.model,
        hardwareHash: input.hardwareHash ?? simulatedHardwareHash({ manufacturer: input.manufacturer, model: input.model, serialNumber }),
        windowsEdition: input.windowsEdition,
        osVersion: input.osVersion,
        tpmPresent: input.tpmPresent,
        behaviour: input.behaviour,
        entraObjectId: null,
        state: 'oobe',
        deployments: 0,
      };
      const id = newId();
      try {
        await tx.db.insertInto('simulated_devices').values({ tenant_id: tx.tenantId, id, serial_number: serialNumber, ordinal, deployment_id: null, data: writeJson(data), created_at: now }).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new GraphError(409, 'Conflict', `A simulated device with serial number '${serialNumber}' already exists in this tenant.`, { target: 'serialNumber' });
        throw err;
      }
      out.push({ ...data, id, ordinal, serialNumber, deploymentId: null, createdDateTime: now });
    }
    return out;
  });
}

export async function getSimulatedDevice(scope: Scope, idOrSerial: string): Promise<SimulatedDevice> {
  const query = scope.db.selectFrom('simulated_devices').selectAll().where('tenant_id', '=', scope.tenantId);
  const row = isGuid(idOrSerial)
    ? await query.where('id', '=', idOrSerial.toLowerCase()).executeTakeFirst()
    : await query.where('serial_number', '=', idOrSerial).executeTakeFirst();
  if (!row) throw deviceNotFound(idOrSerial);
  return toDevice(row);
}

export async function listSimulatedDevices(scope: Scope, top = 1000, after?: number): Promise<SimulatedDevice[]> {
  let query = scope.db.selectFrom('simulated_devices').selectAll().where('tenant_id', '=', scope.tenantId);
  if (after !== undefined) query = query.where('ordinal', '>', after);
  return (await query.orderBy('ordinal').limit(top).execute()).map(toDevice);
}

/** Saves what a deployment changed on the device (its state, Entra object, counters). */
export async function saveSimulatedDevice(scope: Scope, device: SimulatedDevice): Promise<void> {
  const { id, ordinal: _o, serialNumber: _s, deploymentId, createdDateTime: _c, ...data } = device;
  await scope.db
    .updateTable('simulated_devices')
    .set({ data: writeJson(data), deployment_id: deploymentId })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

/** `PATCH`: only the behaviour (and edition/build, to rehearse an upgrade) may change after creation. */
export async function updateSimulatedDevice(scope: Scope, id: string, body: unknown): Promise<SimulatedDevice> {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw invalid('The request body must be a JSON object.', 'body');
  for (const key of Object.keys(b)) if (!['behaviour', 'windowsEdition', 'osVersion'].includes(key)) throw invalid(`'${key}' cannot be changed on a simulated device; only behaviour, windowsEdition and osVersion can.`, key);
  const parsed = parseCreateDevice({ ...b });
  return inTransaction(scope, async (tx) => {
    const device = await getSimulatedDevice(tx, id);
    const next: SimulatedDevice = {
      ...device,
      ...(b.behaviour !== undefined ? { behaviour: parsed.behaviour } : {}),
      ...(b.windowsEdition !== undefined ? { windowsEdition: parsed.windowsEdition } : {}),
      ...(b.osVersion !== undefined ? { osVersion: parsed.osVersion } : {}),
    };
    await saveSimulatedDevice(tx, next);
    return next;
  });
}

export function deviceView(d: SimulatedDevice) {
  return {
    id: d.id,
    // The cursor `GET …/devices?after=` pages on: a client passes the last ordinal of a page.
    ordinal: d.ordinal,
    serialNumber: d.serialNumber,
    manufacturer: d.manufacturer,
    model: d.model,
    hardwareHash: d.hardwareHash,
    windowsEdition: d.windowsEdition,
    osVersion: d.osVersion,
    tpmPresent: d.tpmPresent,
    state: d.state,
    deploymentId: d.deploymentId,
    entraDeviceObjectId: d.entraObjectId,
    behaviour: d.behaviour,
    createdDateTime: d.createdDateTime,
  };
}
