// Data that belongs to one Intune object but is not one of its Graph properties (a policy's settings, its
// enrollment-time device group): one row of `intune_objects` in a collection of its own, under the owner's id,
// so that list and get of the owner never serve it by accident.
import type { Scope } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { readJson, writeJson } from '../store/db.js';

export async function readCompanion<T>(scope: Scope, collection: string, ownerId: string): Promise<T | undefined> {
  const row = await scope.db
    .selectFrom('intune_objects')
    .select('data')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', collection)
    .where('id', '=', ownerId)
    .executeTakeFirst();
  return row ? readJson<T>(row.data) : undefined;
}

/** Replaces the companion row (call inside the owner's transaction). */
export async function writeCompanion(scope: Scope, collection: string, ownerId: string, odataType: string, data: unknown): Promise<void> {
  await deleteCompanion(scope, collection, ownerId);
  await scope.db
    .insertInto('intune_objects')
    .values({ tenant_id: scope.tenantId, collection, id: ownerId, odata_type: odataType, unique_key: null, data: writeJson(data), created_at: isoNow(scope.clock) })
    .execute();
}

export async function deleteCompanion(scope: Scope, collection: string, ownerId: string): Promise<void> {
  await scope.db.deleteFrom('intune_objects').where('tenant_id', '=', scope.tenantId).where('collection', '=', collection).where('id', '=', ownerId).execute();
}
