// Corporate identifiers (/beta/deviceManagement/importedDeviceIdentities): devices known in advance as
// corporate. For Windows the identifier is "Manufacturer,Model,SerialNumber"; once any Windows identifier
// exists, a device that enrolls is corporate only if all three match (behaviour.md §3.4).
// Sources: Graph beta importedDeviceIdentity, importDeviceIdentityList and searchExistingIdentities
// (graph-api.md §5); memdocs corporate-identifiers-add.md ("Intune only compares the first duplicate of
// each identifier"; details are limited to 128 characters; remove periods from serial numbers).
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { orderedId } from '../core/ordered-ids.js';
import { writeJson } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import { ok, requireObjectBody, type GraphRouteDef } from '../graph/route.js';
import { contextUrl } from '../graph/collection.js';
import { intuneShape } from '../graph/schema/shapes.js';
import type { PermissionSet } from '../identity/permissions.js';
import { intuneBadRequest, textOf } from './errors.js';
import { checkStorable } from './value-checks.js';
import { getIntuneObject, saveIntuneObject, type IntuneObject, type IntuneResource } from './resource.js';
import { intuneRoutes } from './routes-builder.js';
import { findByUniqueKeys, insertIntuneRows } from './intune-batch.js';
import { NEVER } from './autopilot-collections.js';

export const CORPORATE_IDENTIFIERS = 'importedDeviceIdentities';
const TYPE = '#microsoft.graph.importedDeviceIdentity';
const RESULT_TYPE = '#microsoft.graph.importedDeviceIdentityResult';

export const IDENTITY_TYPES = ['unknown', 'imei', 'serialNumber', 'manufacturerModelSerial'] as const;
export const PLATFORMS = ['unknown', 'ios', 'android', 'windows', 'windowsMobile', 'macOS', 'visionOS', 'tvos', 'unknownFutureValue'] as const;
export const ENROLLMENT_STATES = ['unknown', 'enrolled', 'pendingReset', 'failed', 'notContacted', 'blocked'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

/** "Details are limited to 128 characters" (corporate-identifiers-add.md). */
export const MAX_DESCRIPTION_LENGTH = 128;
const MAX_IDENTIFIER_LENGTH = 512;
/** One upload file holds at most 5,000 identifiers; an import call takes as many. */
export const MAX_IMPORT_ITEMS = 5000;

const str = { kind: 'string' } as const;
const datetime = { kind: 'datetime' } as const;
export const corporateIdentifierShape = intuneShape('importedDeviceIdentity', {
  importedDeviceIdentifier: str,
  importedDeviceIdentityType: { kind: 'enum' },
  description: str,
  platform: { kind: 'enum' },
  enrollmentState: { kind: 'enum' },
  lastContactedDateTime: datetime,
});

const read: PermissionSet = ['DeviceManagementServiceConfig.Read.All', 'DeviceManagementServiceConfig.ReadWrite.All'];
const write: PermissionSet = ['DeviceManagementServiceConfig.ReadWrite.All'];

/**
 * A Windows identifier's three parts, or undefined when it is not "Manufacturer,Model,Serial" with three
 * non-empty parts. Every real client separates with commas (graph-api.md §5).
 */
export function splitManufacturerModelSerial(identifier: string): [string, string, string] | undefined {
  const parts = identifier.split(',').map((p) => p.trim());
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  return parts as [string, string, string];
}

/** The identifier as compared: parts trimmed, case ignored. */
export function identifierKey(type: string, identifier: string): string {
  const normalised = type === 'manufacturerModelSerial' ? (splitManufacturerModelSerial(identifier) ?? [identifier.trim()]).join(',') : identifier.trim();
  return `${type}|${normalised.toLowerCase()}`;
}

/** What an identifier must look like for its type (per-item problems; undefined when it is fine). */
function identifierProblem(type: string, identifier: string): string | undefined {
  if (identifier.trim() === '') return "'importedDeviceIdentifier' is empty.";
  if (identifier.length > MAX_IDENTIFIER_LENGTH) return `'importedDeviceIdentifier' is longer than ${MAX_IDENTIFIER_LENGTH} characters.`;
  if (type === 'manufacturerModelSerial' && !splitManufacturerModelSerial(identifier)) {
    return "A Windows corporate identifier is 'Manufacturer,Model,SerialNumber': three values separated by commas, none empty.";
  }
  return undefined;
}

function checkEnum(value: unknown, allowed: readonly string[], field: string): void {
  if (value !== undefined && value !== null && (typeof value !== 'string' || !allowed.includes(value))) {
    throw intuneBadRequest(`'${textOf(value)}' is not a valid value for '${field.replace(/^.*\./, '')}'; use one of ${allowed.join(', ')}.`, field);
  }
}

export const corporateIdentifiers: IntuneResource = {
  collection: CORPORATE_IDENTIFIERS,
  path: '/deviceManagement/importedDeviceIdentities',
  versions: ['beta'],
  types: { [TYPE]: corporateIdentifierShape },
  defaultType: TYPE,
  shape: corporateIdentifierShape,
  permissions: { read, write },
  required: ['importedDeviceIdentifier', 'importedDeviceIdentityType'],
  scopeTags: false,
  defaults: () => ({ description: '', platform: 'unknown', enrollmentState: 'notContacted', lastContactedDateTime: NEVER }),
  async check(_scope: Scope, data: Record<string, unknown>, existing: IntuneObject | undefined) {
    checkEnum(data.importedDeviceIdentityType, IDENTITY_TYPES, 'importedDeviceIdentityType');
    checkEnum(data.platform, PLATFORMS, 'platform');
    checkEnum(data.enrollmentState, ENROLLMENT_STATES, 'enrollmentState');
    if (typeof data.description === 'string' && data.description.length > MAX_DESCRIPTION_LENGTH) {
      throw intuneBadRequest(`'description' is limited to ${MAX_DESCRIPTION_LENGTH} characters.`, 'description');
    }
    if (existing) {
      for (const field of ['importedDeviceIdentifier', 'importedDeviceIdentityType'] as const) {
        if (data[field] !== existing[field]) throw intuneBadRequest(`'${field}' cannot change; delete the identifier and import it again.`, field);
      }
      return;
    }
    const problem = identifierProblem(String(data.importedDeviceIdentityType), String(data.importedDeviceIdentifier));
    if (problem) throw intuneBadRequest(problem, 'importedDeviceIdentifier');
    if (data.importedDeviceIdentityType === 'manufacturerModelSerial' && data.platform === 'unknown') data.platform = 'windows';
    // The service sets the enrollment state: an identifier starts as not contacted.
    data.enrollmentState = 'notContacted';
    data.lastContactedDateTime = NEVER;
  },
  uniqueKey: (data) => identifierKey(String(data.importedDeviceIdentityType), String(data.importedDeviceIdentifier)),
  duplicateError: () =>
    new GraphError(409, 'Conflict', 'This corporate identifier already exists; import it with overwriteImportedDeviceIdentities to replace its details.', { target: 'importedDeviceIdentifier' }),
};

interface IdentityInput {
  readonly importedDeviceIdentifier: string;
  readonly importedDeviceIdentityType: string;
  readonly description: string;
  readonly platform: string;
}

const ITEM_KEYS = new Set([
  '@odata.type',
  'id',
  'importedDeviceIdentifier',
  'importedDeviceIdentityType',
  'description',
  'platform',
  // Server-set; Microsoft's examples send them, and they are ignored.
  'enrollmentState',
  'createdDateTime',
  'lastModifiedDateTime',
  'lastContactedDateTime',
]);

/** Checks the array of an action body; a malformed item fails the whole request, naming the field. */
function parseItems(body: Record<string, unknown>): IdentityInput[] {
  const list = body.importedDeviceIdentities;
  if (!Array.isArray(list)) throw intuneBadRequest("'importedDeviceIdentities' must be an array of importedDeviceIdentity objects.", 'importedDeviceIdentities');
  if (list.length > MAX_IMPORT_ITEMS) throw intuneBadRequest(`At most ${MAX_IMPORT_ITEMS} identifiers can be imported at once; split the list.`, 'importedDeviceIdentities');
  return list.map((raw, i) => {
    const field = (name: string) => `importedDeviceIdentities[${i}].${name}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw intuneBadRequest(`Item ${i} must be an importedDeviceIdentity object.`, `importedDeviceIdentities[${i}]`);
    const item = raw as Record<string, unknown>;
    for (const key of Object.keys(item)) {
      if (!ITEM_KEYS.has(key)) throw intuneBadRequest(`Property '${key}' does not exist on microsoft.graph.importedDeviceIdentity.`, field(key));
    }
    const type = item['@odata.type'];
    if (type !== undefined && textOf(type).replace(/^#/, '').toLowerCase() !== TYPE.slice(1).toLowerCase()) {
      throw intuneBadRequest(`'${textOf(type)}' is not an importedDeviceIdentity.`, field('@odata.type'));
    }
    if (typeof item.importedDeviceIdentifier !== 'string') throw intuneBadRequest("'importedDeviceIdentifier' is required and must be a string.", field('importedDeviceIdentifier'));
    checkStorable(item.importedDeviceIdentifier, field('importedDeviceIdentifier'));
    const identityType = item.importedDeviceIdentityType ?? 'unknown';
    checkEnum(identityType, IDENTITY_TYPES, field('importedDeviceIdentityType'));
    checkEnum(item.platform, PLATFORMS, field('platform'));
    const description = item.description ?? '';
    if (typeof description !== 'string') throw intuneBadRequest("'description' must be a string.", field('description'));
    checkStorable(description, field('description'));
    if (description.length > MAX_DESCRIPTION_LENGTH) throw intuneBadRequest(`'description' is limited to ${MAX_DESCRIPTION_LENGTH} characters.`, field('description'));
    const platform = (item.platform as string | null | undefined) ?? (identityType === 'manufacturerModelSerial' ? 'windows' : 'unknown');
    return { importedDeviceIdentifier: item.importedDeviceIdentifier, importedDeviceIdentityType: identityType as string, description, platform };
  });
}

/** An importedDeviceIdentityResult: the identity's fields and whether it was imported. */
function result(fields: Record<string, unknown>, status: boolean): Record<string, unknown> {
  const { '@odata.type': _t, ...rest } = fields;
  return { '@odata.type': RESULT_TYPE, ...rest, status };
}

/**
 * `importDeviceIdentityList`: adds the identifiers in one transaction. An identifier already present is
 * replaced (its details) only with `overwriteImportedDeviceIdentities`, else reported with status false;
 * a repeated identifier in the list is taken once, the first time ("Intune only compares the first duplicate").
 */
export async function importDeviceIdentityList(scope: Scope, body: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const items = parseItems(body);
  const overwrite = body.overwriteImportedDeviceIdentities ?? false;
  if (typeof overwrite !== 'boolean') throw intuneBadRequest("'overwriteImportedDeviceIdentities' must be true or false.", 'overwriteImportedDeviceIdentities');
  for (const key of Object.keys(body)) {
    if (key !== 'importedDeviceIdentities' && key !== 'overwriteImportedDeviceIdentities') throw intuneBadRequest(`Parameter '${key}' is not part of importDeviceIdentityList.`, key);
  }
  return inTransaction(scope, async (tx) => {
    const now = isoNow(tx.clock);
    const keys = items.map((i) => identifierKey(i.importedDeviceIdentityType, i.importedDeviceIdentifier));
    const existing = await findByUniqueKeys(tx, CORPORATE_IDENTIFIERS, keys);
    const seen = new Set<string>();
    const fresh: Parameters<typeof insertIntuneRows>[2][number][] = [];
    const results: Record<string, unknown>[] = [];
    for (const [i, item] of items.entries()) {
      const key = keys[i]!;
      const submitted = { id: null, ...item, enrollmentState: 'notContacted', createdDateTime: null, lastModifiedDateTime: null, lastContactedDateTime: NEVER };
      if (identifierProblem(item.importedDeviceIdentityType, item.importedDeviceIdentifier) || seen.has(key)) {
        results.push(result(submitted, false));
        continue;
      }
      seen.add(key);
      const current = existing.get(key);
      if (current) {
        if (!overwrite) {
          results.push(result({ id: current.id, ...current.data }, false));
          continue;
        }
        const data = { ...current.data, description: item.description, platform: item.platform, lastModifiedDateTime: now };
        await saveIntuneObject(tx, corporateIdentifiers, current.id, data);
        results.push(result({ id: current.id, ...data }, true));
        continue;
      }
      const id = orderedId();
      const data = {
        '@odata.type': TYPE,
        importedDeviceIdentifier: item.importedDeviceIdentifier,
        importedDeviceIdentityType: item.importedDeviceIdentityType,
        description: item.description,
        platform: item.platform,
        enrollmentState: 'notContacted',
        lastContactedDateTime: NEVER,
        createdDateTime: now,
        lastModifiedDateTime: now,
      };
      fresh.push({ id, odataType: TYPE, uniqueKey: key, data, createdAt: now });
      results.push(result({ id, ...data }, true));
    }
    await insertIntuneRows(tx, CORPORATE_IDENTIFIERS, fresh);
    return results;
  });
}

/** `searchExistingIdentities`: the stored identifiers that match any of the given ones. */
export async function searchExistingIdentities(scope: Scope, body: Record<string, unknown>): Promise<IntuneObject[]> {
  const items = parseItems(body);
  const found = await findByUniqueKeys(scope, CORPORATE_IDENTIFIERS, items.map((i) => identifierKey(i.importedDeviceIdentityType, i.importedDeviceIdentifier)));
  return [...found.values()].map((r) => ({ ...r.data, id: r.id }));
}

export interface DeviceHardware {
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
}

/**
 * The Windows corporate identifier a device matches at enrollment, or null. All three values must match;
 * case and surrounding spaces are ignored, and the device's serial is compared without periods, as
 * admins are told to remove them from the identifiers (corporate-identifiers-add.md).
 */
export async function findCorporateIdentifier(scope: Scope, device: DeviceHardware): Promise<IntuneObject | null> {
  const identifier = [device.manufacturer, device.model, device.serialNumber.replace(/\./g, '')].map((p) => p.trim()).join(',');
  const found = await findByUniqueKeys(scope, CORPORATE_IDENTIFIERS, [identifierKey('manufacturerModelSerial', identifier)]);
  const row = [...found.values()][0];
  return row ? { ...row.data, id: row.id } : null;
}

/** Whether the tenant has any Windows corporate identifier: then every other Windows device enrolls as personal. */
export async function hasWindowsCorporateIdentifiers(scope: Scope): Promise<boolean> {
  const row = await scope.db
    .selectFrom('intune_objects')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', CORPORATE_IDENTIFIERS)
    .where('unique_key', 'like', 'manufacturerModelSerial|%')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records an identifier's enrollment state (the deployment engine calls this when a matching device enrolls). */
export async function setCorporateIdentifierEnrollmentState(scope: Scope, id: string, state: EnrollmentState): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const current = await getIntuneObject(tx, corporateIdentifiers, id);
    const now = isoNow(tx.clock);
    const { id: _id, ...data } = current;
    await tx.db
      .updateTable('intune_objects')
      .set({ data: writeJson({ ...data, enrollmentState: state, lastContactedDateTime: now, lastModifiedDateTime: now }) })
      .where('tenant_id', '=', tx.tenantId)
      .where('collection', '=', CORPORATE_IDENTIFIERS)
      .where('id', '=', id)
      .execute();
  });
}

const collectionContext = (type: string) => `Collection(microsoft.graph.${type})`;

export const corporateIdentifierRoutes: GraphRouteDef[] = [
  // Collection actions come before the `{id}` routes.
  {
    method: 'POST',
    path: '/deviceManagement/importedDeviceIdentities/importDeviceIdentityList',
    versions: ['beta'],
    permissions: write,
    handler: async (req) => {
      const value = await importDeviceIdentityList(req.scope, requireObjectBody(req.body));
      return ok({ '@odata.context': contextUrl(req, collectionContext('importedDeviceIdentityResult')), value });
    },
  },
  {
    method: 'POST',
    path: '/deviceManagement/importedDeviceIdentities/searchExistingIdentities',
    versions: ['beta'],
    permissions: read,
    handler: async (req) => {
      const value = await searchExistingIdentities(req.scope, requireObjectBody(req.body));
      return ok({ '@odata.context': contextUrl(req, collectionContext('importedDeviceIdentity')), value });
    },
  },
  ...intuneRoutes(corporateIdentifiers),
];
