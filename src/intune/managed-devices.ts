// Managed devices (/deviceManagement/managedDevices, v1.0 and beta): the Intune record of an enrolled device.
// Graph only reads and deletes them; enrollment (the deployment engine) creates them with
// createManagedDevice, which fills the fields Intune fills for a Windows Entra-joined MDM enrollment.
// Sources: Graph managedDevice resource (v1.0 and beta) and its enums (reference/graph-schema.json);
// graph-api.md §9; POST answered as Graph answers it (msgraph-sdk-go#807: 400 "No method match route template").
import { sql, type SqlBool } from 'kysely';
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { isUniqueViolation, readJson, writeJson } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import { noContent, type GraphRouteDef } from '../graph/route.js';
import { entityResult, listCollection, type CollectionSource, countCollection } from '../graph/collection.js';
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import type { PermissionSet } from '../identity/permissions.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { GRAPH_ENTITIES } from '../graph/schema/entities.generated.js';
import { intuneBadRequest } from './errors.js';
import { deleteIntuneObject, getIntuneObject, type IntuneObject, type IntuneResource } from './resource.js';
import { checkBoolean, checkEnum, checkInteger } from './value-checks.js';
// DateTimeOffset.MinValue: what Intune returns for dates that never happened (no EAS activation…).
import { NEVER } from './autopilot-collections.js';

export const MANAGED_DEVICES = 'managedDevices';
const TYPE = '#microsoft.graph.managedDevice';

// Enum members from reference/graph-schema.json (beta lists, a superset of v1.0's).
export const MANAGED_DEVICE_OWNER_TYPE = ['company', 'personal', 'unknown', 'unknownFutureValue'];
export const DEVICE_ENROLLMENT_TYPE = [
  'androidAOSPUserlessDeviceEnrollment', 'androidAOSPUserOwnedDeviceEnrollment', 'androidEnterpriseCorporateWorkProfile',
  'androidEnterpriseDedicatedDevice', 'androidEnterpriseFullyManaged', 'appleAccountDrivenUserEnrollment', 'appleBulkWithoutUser',
  'appleBulkWithUser', 'appleUserEnrollment', 'appleUserEnrollmentWithServiceAccount', 'azureAdJoinUsingAzureVmExtension',
  'deviceEnrollmentManager', 'unknown', 'unknownFutureValue', 'userEnrollment', 'windowsAutoEnrollment', 'windowsAzureADJoin',
  'windowsAzureADJoinUsingDeviceAuth', 'windowsBulkAzureDomainJoin', 'windowsBulkUserless', 'windowsCoManagement',
];
export const COMPLIANCE_STATE = ['compliant', 'configManager', 'conflict', 'error', 'inGracePeriod', 'noncompliant', 'unknown'];
export const MANAGEMENT_AGENT = [
  'configurationManagerClient', 'configurationManagerClientMdm', 'configurationManagerClientMdmEas', 'eas', 'easIntuneClient', 'easMdm',
  'google', 'googleCloudDevicePolicyController', 'intuneAosp', 'intuneClient', 'jamf', 'mdm', 'microsoft365ManagedMdm', 'msSense',
  'unknown', 'unknownFutureValue',
];
/** joinType is beta-only; members from the beta metadata (graph-api.md §9). */
export const JOIN_TYPE = ['unknown', 'azureADJoined', 'azureADRegistered', 'hybridAzureADJoined'];
const CHASSIS_TYPE = ['unknown', 'desktop', 'laptop', 'worksWorkstation', 'enterpriseServer', 'phone', 'tablet', 'mobileOther', 'mobileUnknown'];
const PROCESSOR_ARCHITECTURE = ['unknown', 'x86', 'x64', 'arm', 'arM64'];

/** What enrollment knows about the device; the service fills the rest as Intune does. */
export interface ManagedDeviceInput {
  /** Entra `device.deviceId` of the joined device (must exist). */
  readonly azureADDeviceId: string;
  readonly deviceName: string;
  /** The enrolling (primary) user's object id; null or absent for a userless enrollment. */
  readonly userId?: string | null;
  readonly serialNumber?: string | null;
  readonly manufacturer?: string | null;
  readonly model?: string | null;
  readonly osVersion?: string | null;
  readonly enrollmentProfileName?: string | null;
  readonly autopilotEnrolled?: boolean;
  /** Default company: Windows devices joined to Microsoft Entra enroll as corporate. */
  readonly managedDeviceOwnerType?: string;
  /** Default windowsAzureADJoin (user-driven Entra join); windowsAzureADJoinUsingDeviceAuth for self-deploying. */
  readonly deviceEnrollmentType?: string;
  /** Default azureADJoined. */
  readonly joinType?: string;
  /** Default unknown, until a compliance evaluation says otherwise. */
  readonly complianceState?: string;
  readonly managementAgent?: string;
  readonly chassisType?: string;
  readonly processorArchitecture?: string;
  readonly isEncrypted?: boolean;
  readonly totalStorageSpaceInBytes?: number;
  readonly freeStorageSpaceInBytes?: number;
  readonly physicalMemoryInBytes?: number;
  readonly wiFiMacAddress?: string | null;
  readonly ethernetMacAddress?: string | null;
}

const str: PropType = { kind: 'string' };
const bool: PropType = { kind: 'boolean' };
const int: PropType = { kind: 'int' };

/** Beta: every property; the beta-only ones typed where clients filter on them (joinType eq 'azureADJoined'). */
const betaShape = intuneShape('managedDevice', {
  aadRegistered: bool,
  autopilotEnrolled: bool,
  azureActiveDirectoryDeviceId: str,
  enrolledByUserPrincipalName: str,
  joinType: { kind: 'enum', typeName: 'microsoft.graph.joinType' },
  ownerType: { kind: 'enum', typeName: 'microsoft.graph.ownerType' },
  deviceType: { kind: 'enum', typeName: 'microsoft.graph.deviceType' },
  chassisType: { kind: 'enum', typeName: 'microsoft.graph.chassisType' },
  processorArchitecture: { kind: 'enum', typeName: 'microsoft.graph.managedDeviceArchitecture' },
  skuFamily: str,
  skuNumber: int,
  specificationVersion: str,
  securityPatchLevel: str,
  managementFeatures: { kind: 'enum', flags: true, typeName: 'microsoft.graph.managedDeviceManagementFeatures' },
  lostModeState: { kind: 'enum', typeName: 'microsoft.graph.lostModeState' },
  bootstrapTokenEscrowed: bool,
  deviceFirmwareConfigurationInterfaceManaged: bool,
  windowsActiveMalwareCount: int,
  windowsRemediatedMalwareCount: int,
});
/** v1.0: the v1.0 properties only (v1.0 never shows a beta-only property). */
const v1Shape: ResourceShape = {
  ...betaShape,
  properties: Object.fromEntries(Object.entries(betaShape.properties).filter(([name]) => name === 'id' || name in GRAPH_ENTITIES.managedDevice.v1)),
};

const read: PermissionSet = ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];
const write: PermissionSet = ['DeviceManagementManagedDevices.ReadWrite.All'];

export const managedDevices: IntuneResource = {
  collection: MANAGED_DEVICES,
  path: '/deviceManagement/managedDevices',
  versions: ['v1.0', 'beta'],
  types: { [TYPE]: betaShape },
  shape: betaShape,
  permissions: { read, write },
  scopeTags: false,
};

const source: CollectionSource = { table: 'intune_objects', shape: v1Shape, betaShape, contextPath: 'deviceManagement/managedDevices', directory: false, polymorphic: true };

function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw intuneBadRequest(`'${field}' must be a string.`, field);
  return value;
}

/** Intune's managedDeviceName: "{user alias}_Windows_{M/d/yyyy}_{h:mm AM}" (the device name when userless). */
function managedDeviceName(prefix: string, ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const time = `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
  return `${prefix}_Windows_${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}_${time}`;
}

async function findUser(scope: Scope, userId: string): Promise<Record<string, unknown> & { id: string }> {
  const row = isGuid(userId)
    ? await scope.db.selectFrom('users').select(['id', 'data']).where('tenant_id', '=', scope.tenantId).where('id', '=', userId.toLowerCase()).executeTakeFirst()
    : undefined;
  if (!row) throw intuneBadRequest(`User '${userId}' does not exist.`, 'userId');
  return { id: row.id, ...readJson<Record<string, unknown>>(row.data) };
}

/** Creates the managed device record of an enrollment (one per Entra device). */
export async function createManagedDevice(scope: Scope, input: ManagedDeviceInput): Promise<IntuneObject> {
  const deviceName = optionalString(input.deviceName, 'deviceName');
  if (!deviceName) throw intuneBadRequest("'deviceName' is required.", 'deviceName');
  if (typeof input.azureADDeviceId !== 'string' || !isGuid(input.azureADDeviceId)) throw intuneBadRequest("'azureADDeviceId' must be the deviceId of a Microsoft Entra device.", 'azureADDeviceId');
  const azureADDeviceId = input.azureADDeviceId.toLowerCase();
  const owner = input.managedDeviceOwnerType ?? 'company';
  const enrollmentType = input.deviceEnrollmentType ?? 'windowsAzureADJoin';
  const joinType = input.joinType ?? 'azureADJoined';
  const compliance = input.complianceState ?? 'unknown';
  const agent = input.managementAgent ?? 'mdm';
  const chassis = input.chassisType ?? 'unknown';
  const architecture = input.processorArchitecture ?? 'unknown';
  checkEnum(owner, MANAGED_DEVICE_OWNER_TYPE, 'managedDeviceOwnerType');
  checkEnum(enrollmentType, DEVICE_ENROLLMENT_TYPE, 'deviceEnrollmentType');
  checkEnum(joinType, JOIN_TYPE, 'joinType');
  checkEnum(compliance, COMPLIANCE_STATE, 'complianceState');
  checkEnum(agent, MANAGEMENT_AGENT, 'managementAgent');
  checkEnum(chassis, CHASSIS_TYPE, 'chassisType');
  checkEnum(architecture, PROCESSOR_ARCHITECTURE, 'processorArchitecture');
  checkBoolean(input.autopilotEnrolled, 'autopilotEnrolled');
  checkBoolean(input.isEncrypted, 'isEncrypted');
  for (const name of ['totalStorageSpaceInBytes', 'freeStorageSpaceInBytes', 'physicalMemoryInBytes'] as const) checkInteger(input[name], name, 0, Number.MAX_SAFE_INTEGER);
  const serialNumber = optionalString(input.serialNumber, 'serialNumber');
  const manufacturer = optionalString(input.manufacturer, 'manufacturer');
  const model = optionalString(input.model, 'model');

  return inTransaction(scope, async (tx) => {
    const entra = await tx.db.selectFrom('devices').select('id').where('tenant_id', '=', tx.tenantId).where('device_id', '=', azureADDeviceId).executeTakeFirst();
    if (!entra) throw intuneBadRequest(`No Microsoft Entra device has deviceId '${azureADDeviceId}'.`, 'azureADDeviceId');
    const user = input.userId ? await findUser(tx, input.userId) : undefined;
    const upn = (user?.userPrincipalName as string | undefined) ?? null;
    const ms = tx.clock.now();
    const now = isoNow(tx.clock);
    const id = newId();
    const data: Record<string, unknown> = {
      '@odata.type': TYPE,
      userId: user?.id ?? null,
      deviceName,
      managedDeviceOwnerType: owner,
      enrolledDateTime: now,
      lastSyncDateTime: now,
      operatingSystem: 'Windows',
      complianceState: compliance,
      jailBroken: 'Unknown',
      managementAgent: agent,
      osVersion: optionalString(input.osVersion, 'osVersion'),
      easActivated: false,
      easDeviceId: '',
      easActivationDateTime: NEVER,
      azureADRegistered: true,
      deviceEnrollmentType: enrollmentType,
      activationLockBypassCode: null,
      emailAddress: (user?.mail as string | undefined) ?? '',
      azureADDeviceId,
      deviceRegistrationState: 'registered',
      deviceCategoryDisplayName: 'Unknown',
      isSupervised: false,
      exchangeLastSuccessfulSyncDateTime: NEVER,
      exchangeAccessState: 'none',
      exchangeAccessStateReason: 'none',
      remoteAssistanceSessionUrl: null,
      remoteAssistanceSessionErrorDetails: null,
      isEncrypted: input.isEncrypted ?? false,
      userPrincipalName: upn ?? '',
      model,
      manufacturer,
      imei: '',
      complianceGracePeriodExpirationDateTime: '9999-12-31T23:59:59Z',
      serialNumber,
      phoneNumber: '',
      androidSecurityPatchLevel: '',
      userDisplayName: (user?.displayName as string | undefined) ?? '',
      configurationManagerClientEnabledFeatures: null,
      wiFiMacAddress: optionalString(input.wiFiMacAddress, 'wiFiMacAddress') ?? '',
      deviceHealthAttestationState: null,
      subscriberCarrier: '',
      meid: '',
      totalStorageSpaceInBytes: input.totalStorageSpaceInBytes ?? 0,
      freeStorageSpaceInBytes: input.freeStorageSpaceInBytes ?? 0,
      managedDeviceName: managedDeviceName(upn ? upn.split('@')[0]! : deviceName, ms),
      partnerReportedThreatState: 'unknown',
      requireUserEnrollmentApproval: null,
      managementCertificateExpirationDate: isoNow({ now: () => ms + 365 * 24 * 3600 * 1000 }),
      iccid: null,
      udid: null,
      notes: null,
      ethernetMacAddress: optionalString(input.ethernetMacAddress, 'ethernetMacAddress'),
      physicalMemoryInBytes: input.physicalMemoryInBytes ?? 0,
      enrollmentProfileName: optionalString(input.enrollmentProfileName, 'enrollmentProfileName'),
      deviceActionResults: [],
      managementState: 'managed',
      // beta only
      aadRegistered: true,
      autopilotEnrolled: input.autopilotEnrolled ?? false,
      azureActiveDirectoryDeviceId: azureADDeviceId,
      enrolledByUserPrincipalName: upn,
      joinType,
      ownerType: owner === 'company' || owner === 'personal' ? owner : 'unknown',
      deviceType: 'desktop',
      chassisType: chassis,
      processorArchitecture: architecture,
      skuFamily: '',
      skuNumber: 0,
      specificationVersion: null,
      securityPatchLevel: null,
      managementFeatures: 'none',
      lostModeState: 'disabled',
      bootstrapTokenEscrowed: false,
      deviceFirmwareConfigurationInterfaceManaged: false,
      preferMdmOverGroupPolicyAppliedDateTime: NEVER,
      retireAfterDateTime: NEVER,
      roleScopeTagIds: ['0'],
      usersLoggedOn: [],
      windowsActiveMalwareCount: 0,
      windowsRemediatedMalwareCount: 0,
      hardwareInformation: { serialNumber, manufacturer, model, totalStorageSpace: input.totalStorageSpaceInBytes ?? 0, freeStorageSpace: input.freeStorageSpaceInBytes ?? 0, isSharedDevice: false },
      configurationManagerClientHealthState: null,
      configurationManagerClientInformation: null,
      chromeOSDeviceInfo: [],
      cloudPcRemoteActionResults: [],
    };
    try {
      await tx.db
        .insertInto('intune_objects')
        .values({ tenant_id: tx.tenantId, collection: MANAGED_DEVICES, id, odata_type: TYPE, unique_key: azureADDeviceId, data: writeJson(data), created_at: now })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new GraphError(409, 'Conflict', `The Microsoft Entra device '${azureADDeviceId}' already has a managed device.`, { target: 'azureADDeviceId' });
      throw err;
    }
    return { id, ...data };
  });
}

/** Removes a managed device record (a wipe, or a new enrollment replacing it); nothing when it is already gone. */
export async function removeManagedDevice(scope: Scope, id: string): Promise<void> {
  await scope.db.deleteFrom('intune_objects').where('tenant_id', '=', scope.tenantId).where('collection', '=', MANAGED_DEVICES).where('id', '=', id).execute();
}

/** The managed device of an Entra device, if it is enrolled. */
export async function findManagedDeviceByAzureADDeviceId(scope: Scope, azureADDeviceId: string): Promise<IntuneObject | undefined> {
  const row = await scope.db
    .selectFrom('intune_objects')
    .select(['id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', MANAGED_DEVICES)
    .where('unique_key', '=', azureADDeviceId.toLowerCase())
    .executeTakeFirst();
  return row ? { ...readJson(row.data), id: row.id } : undefined;
}

const path = managedDevices.path;
const versions = managedDevices.versions;

export const managedDeviceRoutes: GraphRouteDef[] = [
  { method: 'GET', path, versions, permissions: read, handler: (req) => listCollection(req, source, sql<SqlBool>`collection = ${MANAGED_DEVICES}`) },
  {
    method: 'GET',
    path: `${path}/$count`,
    versions,
    permissions: read,
    handler: (req) => countCollection(req, source, sql<SqlBool>`collection = ${MANAGED_DEVICES}`),
  },
  {
    // Graph documents a create, but the service has no such route: managed devices come from enrollment only.
    method: 'POST',
    path,
    versions,
    permissions: write,
    handler: async () => {
      throw new GraphError(400, 'No method match route template', 'No OData route exists that match template ~/singleton/navigation with http verb POST for request /deviceManagement/managedDevices.');
    },
  },
  { method: 'GET', path: `${path}/:id`, versions, permissions: read, handler: async (req) => entityResult(req, source, await getIntuneObject(req.scope, managedDevices, req.params.id!)) },
  { method: 'DELETE', path: `${path}/:id`, versions, permissions: write, handler: async (req) => (await deleteIntuneObject(req.scope, managedDevices, req.params.id!), noContent) },
];
