// What joining and enrolling do to the tenant, as in the real service (behaviour.md §1.2, §1.5, §1.6, §5.1):
// the Entra device object (trust type AzureAd, owner and user, physical ids, enrollmentProfileName), the
// Intune managed device, the corporate identifier's and Autopilot record's enrollment state, and the
// device joining the policy's device group at enrollment time.
import type { Scope } from '../server/context.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/clock.js';
import type { Random } from '../core/random.js';
import { insertDevice, patchDeviceData } from '../directory/devices.js';
import { addLink, hasLink } from '../directory/links.js';
import { addReference } from '../directory/groups.js';
import { GraphError } from '../graph/errors.js';
import { INTUNE_MDM_APP_ID } from '../directory/mobility-policies.js';
import { createManagedDevice, findManagedDeviceByAzureADDeviceId, removeManagedDevice } from '../intune/managed-devices.js';
import { recordAutopilotEnrollment } from '../intune/autopilot-device-actions.js';
import { setCorporateIdentifierEnrollmentState } from '../intune/corporate-identifiers.js';
import { validateDeviceGroup, VALIDATION_MESSAGES } from '../intune/enrollment-time-device-membership.js';
import { deviceNameFromTemplate } from '../intune/device-name-template.js';
import type { SimulatedDevice } from './simulated-devices.js';
import { uncached, type Cached } from './plan.js';

/** Windows names a device it sets up without a template DESKTOP- and seven random letters and digits. */
export function defaultDeviceName(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `DESKTOP-${Array.from({ length: 7 }, () => alphabet[random.int(0, alphabet.length - 1)]).join('')}`;
}

export function templatedDeviceName(template: string | null, serialNumber: string, random: Random): string | null {
  if (!template) return null;
  try {
    return deviceNameFromTemplate(template, serialNumber, () => random.int(0, 9));
  } catch {
    return null;
  }
}

export interface JoinInput {
  readonly device: SimulatedDevice;
  readonly userId: string;
  readonly deviceName: string;
  /** The Entra object the device already has (a registered Autopilot device, or a device joining again). */
  readonly existingObjectId: string | null;
  readonly random: Random;
}

const digits = (random: Random, n: number) => Array.from({ length: n }, () => random.int(0, 9)).join('');

/** Microsoft Entra join: the device object, trust type AzureAd, the joining user as registered owner and user. */
export async function joinEntra(scope: Scope, input: JoinInput): Promise<{ objectId: string; deviceId: string }> {
  const { device, userId } = input;
  const now = isoNow(scope.clock);
  const hwid = digits(input.random, 16);
  const gid = digits(input.random, 16);
  const joined = {
    accountEnabled: true,
    displayName: input.deviceName,
    operatingSystem: 'Windows',
    operatingSystemVersion: device.osVersion,
    trustType: 'AzureAd',
    profileType: 'RegisteredDevice',
    manufacturer: device.manufacturer,
    model: device.model,
    approximateLastSignInDateTime: now,
  };
  let objectId = input.existingObjectId;
  let deviceId: string;
  if (objectId) {
    const current = await patchDeviceData(scope, objectId, joined);
    deviceId = String(current.deviceId);
    const kept = (Array.isArray(current.physicalIds) ? (current.physicalIds as string[]) : []).filter((p) => !/^\[(USER-)?(GID|HWID)\]/.test(p));
    await patchDeviceData(scope, objectId, { physicalIds: [...kept, `[USER-GID]:${userId}:${gid}`, `[GID]:g:${gid}`, `[USER-HWID]:${userId}:${hwid}`, `[HWID]:h:${hwid}`] });
  } else {
    deviceId = newId();
    const created = await insertDevice(scope, {
      ...joined,
      deviceId,
      alternativeSecurityIds: [{ type: 2, identityProvider: null, key: Buffer.from(`X509:<SHA1-TP-PUBKEY>${hwid}`).toString('base64') }],
      physicalIds: [`[USER-GID]:${userId}:${gid}`, `[GID]:g:${gid}`, `[USER-HWID]:${userId}:${hwid}`, `[HWID]:h:${hwid}`],
    });
    objectId = created.id;
  }
  for (const rel of ['registeredOwners', 'registeredUsers'] as const) {
    if (!(await hasLink(scope, rel, objectId, userId))) await addLink(scope, rel, objectId, { id: userId, kind: 'user' });
  }
  return { objectId, deviceId };
}

export interface EnrollInput {
  readonly device: SimulatedDevice;
  readonly objectId: string;
  readonly azureADDeviceId: string;
  readonly deviceName: string;
  readonly userId: string;
  readonly ownership: 'company' | 'personal';
  readonly enrollmentProfileName: string | null;
  readonly autopilotDeviceId: string | null;
  readonly corporateIdentifierId: string | null;
}

/** Automatic MDM enrollment: the managed device, the Entra device marked managed, the records that follow. */
export async function enrollDevice(scope: Scope, input: EnrollInput): Promise<string> {
  const { device } = input;
  // A device enrolling again gets a new managed device record, as Intune creates one per enrollment.
  const previous = await findManagedDeviceByAzureADDeviceId(scope, input.azureADDeviceId);
  if (previous) await removeManagedDevice(scope, previous.id);
  const managed = await createManagedDevice(scope, {
    azureADDeviceId: input.azureADDeviceId,
    deviceName: input.deviceName,
    userId: input.userId,
    serialNumber: device.serialNumber,
    manufacturer: device.manufacturer,
    model: device.model,
    osVersion: device.osVersion,
    enrollmentProfileName: input.enrollmentProfileName,
    autopilotEnrolled: input.autopilotDeviceId !== null,
    managedDeviceOwnerType: input.ownership,
    deviceEnrollmentType: 'windowsAzureADJoin',
    joinType: 'azureADJoined',
    chassisType: 'laptop',
    processorArchitecture: 'x64',
    isEncrypted: device.tpmPresent,
  });
  await patchDeviceData(scope, input.objectId, {
    isManaged: true,
    isCompliant: false,
    mdmAppId: INTUNE_MDM_APP_ID,
    managementType: 'MDM',
    enrollmentType: 'AzureDomainJoined',
    deviceOwnership: input.ownership === 'company' ? 'Company' : 'Personal',
    enrollmentProfileName: input.enrollmentProfileName,
  });
  if (input.autopilotDeviceId) await recordAutopilotEnrollment(scope, input.autopilotDeviceId, { enrollmentState: 'enrolled', managedDeviceId: managed.id });
  if (input.corporateIdentifierId) await setCorporateIdentifierEnrollmentState(scope, input.corporateIdentifierId, 'enrolled');
  return managed.id;
}

/**
 * Enrollment-time grouping: Intune adds the device to the policy's device group, which works only while the
 * group is an assigned security group owned by the Intune Provisioning Client (behaviour.md §1.6).
 */
export async function addToDeviceGroup(scope: Scope, groupId: string, objectId: string, cached: Cached = uncached): Promise<{ status: 'added' | 'failed'; reason: string | null }> {
  const problem = await cached(`deviceGroup|${groupId}`, () => validateDeviceGroup(scope, groupId));
  if (problem !== 'unknown') return { status: 'failed', reason: VALIDATION_MESSAGES[problem] };
  if (await hasLink(scope, 'members', groupId, objectId)) return { status: 'added', reason: null };
  try {
    await addReference(scope, groupId, 'members', { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${objectId}` });
    return { status: 'added', reason: null };
  } catch (err) {
    if (err instanceof GraphError) return { status: 'failed', reason: err.message };
    throw err;
  }
}
