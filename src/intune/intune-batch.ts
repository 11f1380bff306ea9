// Many Intune objects at once, for the bulk paths (Autopilot imports, corporate identifier lists): rows of
// `intune_objects` written and looked up by unique key in chunks, inside the caller's transaction, in the
// same form createIntuneObject writes one.
import type { Scope } from '../server/context.js';
import { readJson, writeJson } from '../store/db.js';

export interface IntuneRowInput {
  readonly id: string;
  readonly odataType: string;
  readonly uniqueKey: string | null;
  readonly data: Record<string, unknown>;
  /** Creation order (ISO time); the collection is listed oldest first by it. */
  readonly createdAt: string;
}

/** Rows per INSERT: well under both databases' limits on bound parameters. */
const CHUNK = 200;

export async function insertIntuneRows(scope: Scope, collection: string, rows: readonly IntuneRowInput[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await scope.db
      .insertInto('intune_objects')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          tenant_id: scope.tenantId,
          collection,
          id: r.id,
          odata_type: r.odataType,
          unique_key: r.uniqueKey,
          data: writeJson(r.data),
          created_at: r.createdAt,
        })),
      )
      .execute();
  }
}

export interface KeyedRow {
  readonly id: string;
  readonly uniqueKey: string;
  readonly data: Record<string, unknown>;
}

/** The objects of a collection whose unique key is one of `keys`, by key. */
export async function findByUniqueKeys(scope: Scope, collection: string, keys: readonly string[]): Promise<Map<string, KeyedRow>> {
  const found = new Map<string, KeyedRow>();
  const distinct = [...new Set(keys)];
  for (let i = 0; i < distinct.length; i += 500) {
    const rows = await scope.db
      .selectFrom('intune_objects')
      .select(['id', 'unique_key', 'data'])
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', collection)
      .where('unique_key', 'in', distinct.slice(i, i + 500))
      .execute();
    for (const r of rows) found.set(r.unique_key!, { id: r.id, uniqueKey: r.unique_key!, data: readJson(r.data) });
  }
  return found;
}
