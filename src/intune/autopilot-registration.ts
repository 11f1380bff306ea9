// Registering devices with Windows Autopilot: each registered device becomes a windowsAutopilotDeviceIdentity
// and an Entra device object whose physicalIds carry `[ZTDId]:<id>`, `[OrderId]:<group tag>` and
// `[PurchaseOrderId]:<po>`, so dynamic groups on those attributes pick it up (graph-api.md §1.3; behaviour.md
// §5.1 "every AP device gets [ZTDId] in devicePhysicalIds. The group tag maps to [OrderID]:<tag>, purchase
// order to [PurchaseOrderId]:<id>"). Many devices are registered in one transaction, in bulk.
// Import errors are Intune's (behaviour.md §5.1): ZtdDeviceAlreadyAssigned (806) for a serial number already
// registered in the tenant, ZtdDeviceDuplicated for a device twice in one import, InvalidZtdHardwareHash for
// an empty hash or serial number.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { orderedId } from '../core/ordered-ids.js';
import { insertDevices } from '../directory/bulk-devices.js';
import type { GraphObject } from '../directory/objects.js';
import type { IntuneObject } from './resource.js';
import { findByUniqueKeys, insertIntuneRows } from './intune-batch.js';
import { decodeHardwareHash } from './hardware-hash.js';
import { AUTOPILOT_DEVICES, DEVICE_IDENTITY_TYPE, NEVER, NO_MANAGED_DEVICE } from './autopilot-collections.js';

export interface AutopilotDeviceInput {
  readonly serialNumber: string;
  /** The hardware hash, base64 (checked by the caller). */
  readonly hardwareIdentifier: string;
  readonly groupTag?: string;
  readonly productKey?: string;
  /** A user to pre-fill at sign-in ("Assigned user"); not checked, as Intune does not check it on import. */
  readonly userPrincipalName?: string;
  /** Set by OEM and partner registration; the Graph import has no field for it. */
  readonly purchaseOrderIdentifier?: string;
}

/** Intune's import error codes; Microsoft publishes only 806 and 808, the others are Tarmac's. */
export const IMPORT_ERRORS = {
  ZtdDeviceAlreadyAssigned: 806,
  ZtdDeviceDuplicated: 807,
  InvalidZtdHardwareHash: 810,
} as const;
export type ImportErrorName = keyof typeof IMPORT_ERRORS;

export type RegistrationOutcome =
  | { readonly ok: true; readonly identity: IntuneObject; readonly entraDevice: GraphObject }
  | { readonly ok: false; readonly errorName: ImportErrorName; readonly errorCode: number; readonly message: string };

/** Serial numbers are unique per tenant, compared without case or surrounding spaces. */
export const serialKey = (serialNumber: string) => serialNumber.trim().toUpperCase();

/** The Autopilot entries of an Entra device's physicalIds, for a device's id, group tag and purchase order. */
export function autopilotPhysicalIds(ztdId: string, groupTag: string, purchaseOrderIdentifier: string): string[] {
  const ids = [`[ZTDId]:${ztdId}`];
  if (groupTag !== '') ids.push(`[OrderId]:${groupTag}`);
  if (purchaseOrderIdentifier !== '') ids.push(`[PurchaseOrderId]:${purchaseOrderIdentifier}`);
  return ids;
}

/** True for the entries autopilotPhysicalIds writes for a group tag or purchase order (replaced when they change). */
export const isTagEntry = (entry: string) => /^\[(OrderId|PurchaseOrderId)\]:/i.test(entry);

const failure = (errorName: ImportErrorName, message: string): RegistrationOutcome => ({ ok: false, errorName, errorCode: IMPORT_ERRORS[errorName], message });

/**
 * Registers the devices in one transaction and returns one outcome per input, in order. A device that cannot
 * be registered gets an error outcome; the others are registered (as an Intune import processes each row).
 */
export async function registerAutopilotDevices(scope: Scope, inputs: readonly AutopilotDeviceInput[]): Promise<RegistrationOutcome[]> {
  return inTransaction(scope, async (tx) => {
    const registered = await findByUniqueKeys(tx, AUTOPILOT_DEVICES, inputs.map((i) => serialKey(i.serialNumber)));
    const seenSerials = new Set<string>();
    const seenHashes = new Set<string>();
    const outcomes: (RegistrationOutcome | { pending: number })[] = [];
    const accepted: { input: AutopilotDeviceInput; identityId: string; deviceId: string; facts: ReturnType<typeof decodeHardwareHash> }[] = [];
    for (const input of inputs) {
      const serial = input.serialNumber.trim();
      const key = serialKey(serial);
      if (serial === '') {
        outcomes.push(failure('InvalidZtdHardwareHash', 'The device has no serial number.'));
        continue;
      }
      if (input.hardwareIdentifier === '') {
        outcomes.push(failure('InvalidZtdHardwareHash', 'The hardware hash is empty.'));
        continue;
      }
      const facts = decodeHardwareHash(input.hardwareIdentifier);
      if (facts && serialKey(facts.serialNumber) !== key) {
        outcomes.push(failure('InvalidZtdHardwareHash', `The hardware hash belongs to serial number '${facts.serialNumber}', not '${serial}'.`));
        continue;
      }
      if (seenSerials.has(key) || seenHashes.has(input.hardwareIdentifier)) {
        outcomes.push(failure('ZtdDeviceDuplicated', `The device '${serial}' appears more than once in this import; only the first was processed.`));
        continue;
      }
      seenSerials.add(key);
      seenHashes.add(input.hardwareIdentifier);
      const existing = registered.get(key);
      if (existing) {
        outcomes.push(failure('ZtdDeviceAlreadyAssigned', `The device '${serial}' is already registered in this tenant (Autopilot device ${existing.id}).`));
        continue;
      }
      outcomes.push({ pending: accepted.length });
      accepted.push({ input, identityId: orderedId(), deviceId: orderedId(), facts });
    }
    if (accepted.length === 0) return outcomes as RegistrationOutcome[];

    const devices = await insertDevices(
      tx,
      accepted.map(({ input, identityId, deviceId, facts }) => ({
        accountEnabled: true,
        alternativeSecurityIds: [],
        deviceId,
        displayName: input.serialNumber.trim(),
        operatingSystem: 'Windows',
        operatingSystemVersion: null,
        manufacturer: facts?.manufacturer ?? null,
        model: facts?.model ?? null,
        trustType: 'AzureAd',
        physicalIds: autopilotPhysicalIds(identityId, input.groupTag ?? '', input.purchaseOrderIdentifier ?? ''),
      })),
    );
    const now = isoNow(tx.clock);
    const identities = accepted.map(({ input, identityId, deviceId, facts }) => ({
      id: identityId,
      data: {
        '@odata.type': DEVICE_IDENTITY_TYPE,
        deploymentProfileAssignmentDetailedStatus: 'none',
        groupTag: input.groupTag ?? '',
        purchaseOrderIdentifier: input.purchaseOrderIdentifier ?? '',
        serialNumber: input.serialNumber.trim(),
        productKey: input.productKey ?? '',
        manufacturer: facts?.manufacturer ?? null,
        model: facts?.model ?? null,
        enrollmentState: 'notContacted',
        lastContactedDateTime: NEVER,
        addressableUserName: '',
        userPrincipalName: input.userPrincipalName ?? '',
        resourceName: '',
        skuNumber: '',
        systemFamily: '',
        azureActiveDirectoryDeviceId: deviceId,
        azureAdDeviceId: deviceId,
        managedDeviceId: NO_MANAGED_DEVICE,
        displayName: '',
        deviceAccountUpn: '',
        deviceAccountPassword: '',
        deviceFriendlyName: '',
        remediationState: 'noRemediationRequired',
        remediationStateLastModifiedDateTime: NEVER,
        userlessEnrollmentStatus: 'allowed',
      } as Record<string, unknown>,
    }));
    await insertIntuneRows(
      tx,
      AUTOPILOT_DEVICES,
      identities.map((i) => ({ id: i.id, odataType: DEVICE_IDENTITY_TYPE, uniqueKey: serialKey(String(i.data.serialNumber)), data: i.data, createdAt: now })),
    );
    return outcomes.map((o) => {
      if (!('pending' in o)) return o;
      const identity = identities[o.pending]!;
      return { ok: true, identity: { id: identity.id, ...identity.data }, entraDevice: devices[o.pending]! };
    });
  });
}
