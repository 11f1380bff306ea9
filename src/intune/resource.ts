// The life of an Intune resource, shared by every collection: polymorphic create (by @odata.type),
// read, PATCH, delete, server-set fields (id, createdDateTime, lastModifiedDateTime, roleScopeTagIds),
// and the rules each collection adds through its definition. Stored in `intune_objects`.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { isUniqueViolation, readJson, writeJson } from '../store/db.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import type { PermissionSet } from '../identity/permissions.js';
import type { GraphVersion } from '../graph/route.js';
import { GraphError } from '../graph/errors.js';
import { validateBody } from '../graph/validate.js';
import { intuneBadRequest, intuneNotFound, textOf } from './errors.js';
import { checkScopeTags } from './scope-tag-check.js';

export type IntuneObject = Record<string, unknown> & { id: string };

export interface IntuneResource {
  /** Collection name, stored with each row: 'mobileApps'. */
  readonly collection: string;
  /** Path under the version root: '/deviceAppManagement/mobileApps'. */
  readonly path: string;
  readonly versions: readonly GraphVersion[];
  /** Concrete types a client may create ('#microsoft.graph.win32LobApp') and the shape each body is checked against. */
  readonly types: Readonly<Record<string, ResourceShape>>;
  /** The type used when a create body names none (only for collections with one obvious type). */
  readonly defaultType?: string;
  /** The shape $filter, $select and $orderby bind to: every property of every type. */
  readonly shape: ResourceShape;
  readonly permissions: { readonly read: PermissionSet; readonly write: PermissionSet };
  /** Properties the service sets; a client sending one gets a 400. */
  readonly readOnly?: readonly string[];
  /** Properties required on create. */
  readonly required?: readonly string[];
  /** Whether the resource carries roleScopeTagIds (default ["0"]). */
  readonly scopeTags?: boolean;
  /** Server-set values of a new object, before the client's. */
  defaults?(odataType: string): Record<string, unknown>;
  /** The collection's business rules, on create (existing undefined) and update; may adjust `data`. */
  check?(scope: Scope, data: Record<string, unknown>, existing: IntuneObject | undefined): Promise<void>;
  /** A value unique within the collection and the error a duplicate gets. */
  uniqueKey?(data: Record<string, unknown>): string | null;
  duplicateError?(key: string): GraphError;
  /** The id of a new object, decided inside the creating transaction (e.g. scope tags are numbered); a GUID by default. */
  newObjectId?(scope: Scope): Promise<string>;
  /** Runs before an object is deleted; throws to refuse (e.g. a filter still in use). */
  beforeDelete?(scope: Scope, object: IntuneObject): Promise<void>;
  /** Runs after an object is deleted (e.g. an Autopilot device's Entra device object goes too). */
  afterDelete?(scope: Scope, object: IntuneObject): Promise<void>;
}

/** Reads `@odata.type` from a create body and checks the collection accepts it. */
function concreteType(res: IntuneResource, body: Record<string, unknown>): string {
  const given = body['@odata.type'];
  if (given === undefined) {
    if (res.defaultType) return res.defaultType;
    throw intuneBadRequest(`The request body must name the type of the new object in '@odata.type' (one of ${Object.keys(res.types).join(', ')}).`, '@odata.type');
  }
  const normalised = typeof given === 'string' ? `#${given.replace(/^#/, '')}` : '';
  const type = Object.keys(res.types).find((t) => t.toLowerCase() === normalised.toLowerCase());
  if (!type) throw intuneBadRequest(`'${textOf(given)}' is not a type the ${res.collection} collection accepts; use one of ${Object.keys(res.types).join(', ')}.`, '@odata.type');
  return type;
}

const rulesFor = (res: IntuneResource) => ({
  resource: res.collection,
  errorCode: 'BadRequest',
  readOnly: ['id', 'createdDateTime', 'lastModifiedDateTime', ...(res.readOnly ?? [])],
  maxLength: { displayName: 1000, description: 10000 },
});

export async function createIntuneObject(scope: Scope, res: IntuneResource, body: Record<string, unknown>, fixedId?: string): Promise<IntuneObject> {
  const type = concreteType(res, body);
  const input = validateBody(body, res.types[type]!, rulesFor(res));
  for (const name of res.required ?? []) {
    if (input[name] === undefined || input[name] === null || input[name] === '') throw intuneBadRequest(`'${name}' is required.`, name);
  }
  const now = isoNow(scope.clock);
  const data: Record<string, unknown> = {
    '@odata.type': type,
    ...(res.defaults?.(type) ?? {}),
    ...input,
    createdDateTime: now,
    lastModifiedDateTime: now,
  };
  if (res.scopeTags !== false) data.roleScopeTagIds = input.roleScopeTagIds ?? ['0'];
  return inTransaction(scope, async (tx) => {
    const id = fixedId ?? (res.newObjectId ? await res.newObjectId(tx) : newId());
    if (res.scopeTags !== false) await checkScopeTags(tx, data.roleScopeTagIds);
    await res.check?.(tx, data, undefined);
    await insertRow(tx, res, id, data);
    return { id, ...data };
  });
}

async function insertRow(scope: Scope, res: IntuneResource, id: string, data: Record<string, unknown>): Promise<void> {
  const key = res.uniqueKey?.(data) ?? null;
  try {
    await scope.db
      .insertInto('intune_objects')
      .values({ tenant_id: scope.tenantId, collection: res.collection, id, odata_type: String(data['@odata.type']), unique_key: key, data: writeJson(data), created_at: String(data.createdDateTime) })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err) && key !== null && res.duplicateError) throw res.duplicateError(key);
    throw err;
  }
}

export async function getIntuneObject(scope: Scope, res: Pick<IntuneResource, 'collection'>, id: string): Promise<IntuneObject> {
  const row = await scope.db
    .selectFrom('intune_objects')
    .select(['id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', res.collection)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw intuneNotFound(res.collection, id);
  return { id: row.id, ...readJson(row.data) };
}

/** Every object of a collection, oldest first (for rules that walk them all, e.g. which profile wins). */
export async function listIntuneObjects(scope: Scope, collection: string): Promise<IntuneObject[]> {
  const rows = await scope.db
    .selectFrom('intune_objects')
    .select(['id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', collection)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...readJson(r.data), id: r.id }));
}

export async function updateIntuneObject(scope: Scope, res: IntuneResource, id: string, body: Record<string, unknown>): Promise<IntuneObject> {
  return inTransaction(scope, async (tx) => {
    const existing = await getIntuneObject(tx, res, id);
    const type = String(existing['@odata.type']);
    const given = body['@odata.type'];
    if (given !== undefined && `#${textOf(given).replace(/^#/, '')}`.toLowerCase() !== type.toLowerCase()) {
      throw intuneBadRequest(`The type of an existing object cannot change (it is ${type}).`, '@odata.type');
    }
    const patch = validateBody(body, res.types[type] ?? res.shape, rulesFor(res));
    const data: Record<string, unknown> = { ...existing, ...patch, lastModifiedDateTime: isoNow(tx.clock) };
    delete data.id;
    if (res.scopeTags !== false && patch.roleScopeTagIds !== undefined) await checkScopeTags(tx, patch.roleScopeTagIds);
    await res.check?.(tx, data, existing);
    await saveIntuneObject(tx, res, id, data);
    return { id, ...data };
  });
}

/** Writes an object's data (services that change server-set fields use this too). */
export async function saveIntuneObject(scope: Scope, res: Pick<IntuneResource, 'collection' | 'uniqueKey' | 'duplicateError'>, id: string, data: Record<string, unknown>): Promise<void> {
  const { id: _id, ...rest } = data;
  const key = res.uniqueKey?.(rest) ?? null;
  try {
    await scope.db
      .updateTable('intune_objects')
      .set({ data: writeJson(rest), unique_key: key })
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', res.collection)
      .where('id', '=', id)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err) && key !== null && res.duplicateError) throw res.duplicateError(key);
    throw err;
  }
}

export async function deleteIntuneObject(scope: Scope, res: IntuneResource, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const existing = await getIntuneObject(tx, res, id);
    await res.beforeDelete?.(tx, existing);
    await tx.db.deleteFrom('intune_objects').where('tenant_id', '=', tx.tenantId).where('collection', '=', res.collection).where('id', '=', id).execute();
    await tx.db.deleteFrom('intune_assignments').where('tenant_id', '=', tx.tenantId).where('collection', '=', res.collection).where('object_id', '=', id).execute();
    await res.afterDelete?.(tx, existing);
  });
}
