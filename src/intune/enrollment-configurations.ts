// Device enrollment configurations (/beta/deviceManagement/deviceEnrollmentConfigurations): Enrollment Status Page
// profiles, device platform and device limit restrictions, and the defaults every tenant has. The rules of the
// collection: which types a client may create, server-set fields (id, priority, version, type), defaults that
// cannot be deleted or assigned, assignments per kind.
// Sources: Graph beta intune-shared-deviceenrollmentconfiguration.md and intune-onboarding-*; memdocs
// intune/enrollment/enrollment-restrictions-set.md and windows-enrollment-status.md.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { newId } from '../core/ids.js';
import { intuneBadRequest, textOf } from './errors.js';
import { createIntuneObject, deleteIntuneObject, getIntuneObject, updateIntuneObject, type IntuneObject, type IntuneResource } from './resource.js';
import { ALL_DEVICES_TARGET, ALL_USERS_TARGET, EXCLUSION_TARGET, GROUP_TARGET, addAssignment, replaceAssignments, type Assignment, type AssignmentKind } from './assignments.js';
import {
  BODY_SHAPES,
  CREATABLE_KINDS,
  ENROLLMENT_CONFIGURATIONS,
  ESP_TYPE,
  HELLO_TYPE,
  LEGACY_RESTRICTION_PROPERTIES,
  LIMIT_TYPE,
  PLATFORMS_TYPE,
  QUERY_SHAPE,
  RESTORE_TYPE,
  SINGLE_PLATFORM_TYPE,
  isDefaultConfiguration,
  kindOf,
  priorityFamily,
  type EnrollmentKind,
} from './enrollment-configuration-types.js';
import { checkStatusPage, newStatusPageSettings } from './enrollment-status-page.js';
import { checkAllPlatforms, checkLimit, checkSinglePlatform } from './enrollment-restrictions.js';
import { checkWindowsHello } from './enrollment-windows-hello.js';
import { closeGap, familyMembers } from './enrollment-priority.js';

export const serviceConfigRead = [
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementServiceConfig.ReadWrite.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementConfiguration.ReadWrite.All',
] as const;
export const serviceConfigWrite = ['DeviceManagementServiceConfig.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All'] as const;

const ASSIGNMENT_TYPE = '#microsoft.graph.enrollmentConfigurationAssignment';

/** Enrollment Status Page profiles target device or user groups; "Add all devices" exists for them. */
export const statusPageAssignments: AssignmentKind = {
  collection: ENROLLMENT_CONFIGURATIONS,
  odataType: ASSIGNMENT_TYPE,
  targets: [GROUP_TARGET, EXCLUSION_TARGET, ALL_USERS_TARGET, ALL_DEVICES_TARGET],
  extraProperties: ['source', 'sourceId'],
};

/** Restrictions apply to users ("Enrollment restrictions are applied to users"), so no all-devices target. */
export const restrictionAssignments: AssignmentKind = { ...statusPageAssignments, targets: [GROUP_TARGET, EXCLUSION_TARGET, ALL_USERS_TARGET] };

export function assignmentKindFor(obj: Readonly<Record<string, unknown>>): AssignmentKind {
  return obj['@odata.type'] === ESP_TYPE ? statusPageAssignments : restrictionAssignments;
}

/** Properties the service sets; a client's value is ignored (the admin center sends an id of its own on create). */
const SERVER_SET = ['id', 'priority', 'version'];

export const enrollmentConfigurations: IntuneResource = {
  collection: ENROLLMENT_CONFIGURATIONS,
  path: '/deviceManagement/deviceEnrollmentConfigurations',
  versions: ['beta'],
  types: BODY_SHAPES,
  shape: QUERY_SHAPE,
  permissions: { read: serviceConfigRead, write: serviceConfigWrite },
  required: ['displayName'],
  defaults(odataType) {
    const settings = odataType === ESP_TYPE ? newStatusPageSettings() : {};
    return { description: '', ...settings };
  },
  async check(scope, data, existing) {
    const kind = kindOf(data['@odata.type'])!;
    if (typeof data.displayName !== 'string' || data.displayName.trim() === '') throw intuneBadRequest("'displayName' is required.", 'displayName');
    data.deviceEnrollmentConfigurationType = configurationType(kind, data.deviceEnrollmentConfigurationType, existing);
    switch (kind.odataType) {
      case ESP_TYPE:
        await checkStatusPage(scope, data, existing);
        break;
      case LIMIT_TYPE:
        checkLimit(data);
        break;
      case SINGLE_PLATFORM_TYPE:
        checkSinglePlatform(data, existing);
        break;
      case PLATFORMS_TYPE:
        checkAllPlatforms(data, LEGACY_RESTRICTION_PROPERTIES);
        break;
      case HELLO_TYPE:
        checkWindowsHello(data);
        break;
      case RESTORE_TYPE:
        if (!['notConfigured', 'enabled', 'disabled'].includes(String(data.state))) throw intuneBadRequest("'state' must be notConfigured, enabled or disabled.", 'state');
        break;
    }
    if (existing) {
      data.priority = existing.priority;
      data.version = Number(existing.version ?? 0) + 1;
      return;
    }
    const members = await familyMembers(scope, priorityFamily(data));
    await checkResourceLimit(scope, kind);
    data.priority = members.length + 1;
    data.version = 1;
  },
  async beforeDelete(scope, object) {
    if (isDefaultConfiguration(scope.tenantId, object.id)) {
      throw intuneBadRequest('The default configuration applies to all users and devices and cannot be deleted; edit it instead.', 'id');
    }
  },
  async afterDelete(scope, object) {
    await closeGap(scope, priorityFamily(object));
  },
};

/**
 * deviceEnrollmentConfigurationType is set by the service. A client may send it (Microsoft365DSC does, on create
 * and update) but only with a name of the object's own kind.
 */
function configurationType(kind: EnrollmentKind, given: unknown, existing: IntuneObject | undefined): string {
  const served = existing ? String(existing.deviceEnrollmentConfigurationType ?? kind.configurationType) : kind.configurationType;
  if (given !== undefined && given !== null) {
    const names = [kind.configurationType, ...kind.aliases].map((n) => n.toLowerCase());
    if (typeof given !== 'string' || !names.includes(given.toLowerCase())) {
      throw intuneBadRequest(`'deviceEnrollmentConfigurationType' of a ${kind.odataType.slice(1)} is ${kind.configurationType}, not '${String(given)}'.`, 'deviceEnrollmentConfigurationType');
    }
  }
  return served;
}

/** "There is a limit of maximum 25 policies per tenant" per restriction type; 50 custom ESP profiles. */
async function checkResourceLimit(scope: Scope, kind: EnrollmentKind): Promise<void> {
  if (kind.maxCustom === undefined) return;
  const rows = await scope.db
    .selectFrom('intune_objects')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', ENROLLMENT_CONFIGURATIONS)
    .where('odata_type', '=', kind.odataType)
    .execute();
  const custom = rows.filter((r) => !isDefaultConfiguration(scope.tenantId, r.id)).length;
  if (custom >= kind.maxCustom) throw intuneBadRequest(`Resource limit reached: a tenant can have at most ${kind.maxCustom} ${kind.limitGroup}.`, '@odata.type');
}

/** Drops the properties the service sets (see SERVER_SET) from a client's body. */
function withoutServerSet(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!SERVER_SET.includes(k.toLowerCase())) out[k] = v;
  return out;
}

/** `POST`: a new Enrollment Status Page, per-platform restriction or device limit restriction. */
export async function createEnrollmentConfiguration(scope: Scope, body: Record<string, unknown>): Promise<IntuneObject> {
  const given = body['@odata.type'];
  const kind = kindOf(given);
  const creatable = CREATABLE_KINDS.map((k) => k.odataType.slice(1)).join(', ');
  if (given === undefined) throw intuneBadRequest(`The request body must name the type of the new configuration in '@odata.type' (one of ${creatable}).`, '@odata.type');
  if (!kind) throw intuneBadRequest(`'${textOf(given)}' is not a device enrollment configuration type Tarmac serves; use one of ${creatable}.`, '@odata.type');
  if (!kind.idSuffix) {
    const hint = kind.odataType === PLATFORMS_TYPE ? ' Restrict platforms with one deviceEnrollmentPlatformRestrictionConfiguration per platformType.' : '';
    throw intuneBadRequest(`Only the tenant's default ${kind.odataType.slice(1)} exists; edit it instead of creating one.${hint}`, '@odata.type');
  }
  return createIntuneObject(scope, enrollmentConfigurations, withoutServerSet(body), `${newId()}_${kind.idSuffix}`);
}

/** `PATCH`: defaults included; priority only changes through setPriority. */
export async function updateEnrollmentConfiguration(scope: Scope, id: string, body: Record<string, unknown>): Promise<IntuneObject> {
  return updateIntuneObject(scope, enrollmentConfigurations, id, withoutServerSet(body));
}

export async function deleteEnrollmentConfiguration(scope: Scope, id: string): Promise<void> {
  await deleteIntuneObject(scope, enrollmentConfigurations, id);
}

/** The default configurations apply to everyone; Intune refuses to assign them. */
function refuseDefault(scope: Scope, id: string): void {
  if (isDefaultConfiguration(scope.tenantId, id)) {
    throw intuneBadRequest('The default configuration applies to all users and devices; it cannot be assigned. Create a configuration and assign that.', 'id');
  }
}

/** `assign` with `enrollmentConfigurationAssignments`: replaces the whole set, all-or-nothing. */
export async function assignEnrollmentConfiguration(scope: Scope, id: string, bodies: unknown): Promise<Assignment[]> {
  return inTransaction(scope, async (tx) => {
    const obj = await getIntuneObject(tx, enrollmentConfigurations, id);
    refuseDefault(tx, id);
    return replaceAssignments(tx, assignmentKindFor(obj), id, bodies);
  });
}

/** `POST …/assignments`: adds one. */
export async function addEnrollmentConfigurationAssignment(scope: Scope, id: string, body: unknown): Promise<Assignment> {
  return inTransaction(scope, async (tx) => {
    const obj = await getIntuneObject(tx, enrollmentConfigurations, id);
    refuseDefault(tx, id);
    return addAssignment(tx, assignmentKindFor(obj), id, body);
  });
}
