// Tenant snapshots: a versioned JSON document holding every row a tenant owns, ids included, so a
// tenant can be saved, shared and restored exactly.
import type { AppContext } from '../server/context.js';
import { inTransaction, tenantScope } from '../server/context.js';
import { readJson, writeJson } from '../store/db.js';
import { JSON_COLUMNS, NUMERIC_COLUMNS, TENANT_TABLES } from '../store/tables.js';
import { GraphError, badRequest } from '../graph/errors.js';
import { getTenant } from './tenants.js';
import { isGuid } from '../core/ids.js';

export const SNAPSHOT_FORMAT = 'tarmac-tenant-snapshot';
export const SNAPSHOT_VERSION = 1;

type TableName = keyof typeof TENANT_TABLES;
type Row = Record<string, unknown>;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  tenant: { id: string; domain: string; displayName: string; createdDateTime: string };
  tables: Record<TableName, Row[]>;
}

export async function exportSnapshot(ctx: AppContext, tenantId: string): Promise<Snapshot> {
  const tenant = await getTenant(ctx, tenantId);
  // One transaction, so the tables are read at one moment even while others write.
  return inTransaction(tenantScope(ctx, tenant.id), async (tx) => {
    const tables = {} as Record<TableName, Row[]>;
    for (const [table, columns] of Object.entries(TENANT_TABLES) as [TableName, readonly string[]][]) {
      let query = tx.db.selectFrom(table).select(columns as any).where('tenant_id', '=', tenant.id);
      for (const c of columns.filter((c) => !JSON_COLUMNS.has(c))) query = query.orderBy(c as any);
      const rows = (await query.execute()) as Row[];
      tables[table] = rows.map((r) => {
        const out: Row = {};
        for (const c of columns) out[c] = JSON_COLUMNS.has(c) ? readJson(r[c]) : r[c];
        return out;
      });
    }
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      tenant: { id: tenant.id, domain: tenant.domain, displayName: tenant.display_name, createdDateTime: tenant.created_at },
      tables,
    };
  });
}

/** Replaces the tenant's whole state with the snapshot's, in one transaction. */
export async function importSnapshot(ctx: AppContext, tenantId: string, body: unknown): Promise<Record<string, number>> {
  const snapshot = checkSnapshot(tenantId, body);
  const clash = await ctx.db.kysely
    .selectFrom('tenants')
    .select('id')
    .where('domain', '=', snapshot.tenant.domain.toLowerCase())
    .where('id', '!=', snapshot.tenant.id)
    .executeTakeFirst();
  if (clash) throw badRequest(`The domain '${snapshot.tenant.domain}' belongs to another tenant.`, 'tenant.domain');
  const counts: Record<string, number> = {};
  try {
    await writeSnapshot();
  } catch (err) {
    if (err instanceof GraphError) throw err;
    // Duplicate keys, missing values: the transaction rolled back, so nothing changed.
    throw badRequest(`The snapshot could not be imported: ${(err as Error).message}`);
  }
  return counts;

  async function writeSnapshot() {
    await inTransaction(tenantScope(ctx, snapshot.tenant.id), async (tx) => {
    await tx.db.deleteFrom('tenants').where('id', '=', snapshot.tenant.id).execute();
    const t = snapshot.tenant;
    await tx.db.insertInto('tenants').values({ id: t.id, domain: t.domain.toLowerCase(), display_name: t.displayName, created_at: t.createdDateTime }).execute();
    for (const table of Object.keys(TENANT_TABLES) as TableName[]) {
      const rows = snapshot.tables[table] ?? [];
      counts[table] = rows.length;
      for (let i = 0; i < rows.length; i += 200) {
        const values = rows.slice(i, i + 200).map((r) => {
          const v: Row = { tenant_id: t.id };
          for (const [c, value] of Object.entries(r)) v[c] = JSON_COLUMNS.has(c) ? writeJson(value) : value;
          return v;
        });
        await tx.db.insertInto(table).values(values as any).execute();
      }
    }
    });
  }
}

function checkSnapshot(tenantId: string, body: unknown): Snapshot {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The snapshot must be a JSON object.');
  const s = body as Record<string, unknown>;
  if (s.format !== SNAPSHOT_FORMAT) throw badRequest(`'format' must be '${SNAPSHOT_FORMAT}'.`, 'format');
  if (s.version !== SNAPSHOT_VERSION) throw badRequest(`Snapshot version ${String(s.version)} is not supported; this server reads version ${SNAPSHOT_VERSION}.`, 'version');
  const t = s.tenant as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object') throw badRequest("'tenant' is required.", 'tenant');
  if (typeof t.id !== 'string' || !isGuid(t.id) || t.id.toLowerCase() !== tenantId.toLowerCase()) {
    throw badRequest(`'tenant.id' must be the tenant id of the URL (${tenantId}).`, 'tenant.id');
  }
  for (const f of ['domain', 'displayName', 'createdDateTime'] as const) {
    if (typeof t[f] !== 'string' || (t[f] as string).length === 0 || (t[f] as string).length > 256) throw badRequest(`'tenant.${f}' must be a non-empty string.`, `tenant.${f}`);
  }
  const tables = s.tables as Record<string, unknown> | undefined;
  if (!tables || typeof tables !== 'object' || Array.isArray(tables)) throw badRequest("'tables' is required.", 'tables');
  for (const [name, rows] of Object.entries(tables)) {
    const columns = (TENANT_TABLES as Record<string, readonly string[]>)[name];
    if (!columns) throw badRequest(`Unknown table '${name}' in the snapshot.`, `tables.${name}`);
    if (!Array.isArray(rows)) throw badRequest(`'tables.${name}' must be an array.`, `tables.${name}`);
    rows.forEach((row, i) => {
      if (!row || typeof row !== 'object' || Array.isArray(row)) throw badRequest(`Row ${i} of '${name}' must be an object.`, `tables.${name}[${i}]`);
      const keys = Object.keys(row);
      const missingOrExtra = keys.length !== columns.length || !columns.every((c) => keys.includes(c));
      if (missingOrExtra) throw badRequest(`Row ${i} of '${name}' must have exactly the columns ${columns.join(', ')}.`, `tables.${name}[${i}]`);
      for (const c of columns) {
        const v = (row as Row)[c];
        if (NUMERIC_COLUMNS.has(c)) {
          if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) throw badRequest(`Column '${c}' of row ${i} of '${name}' must be a number.`, `tables.${name}[${i}].${c}`);
        } else if (!JSON_COLUMNS.has(c) && v !== null && typeof v !== 'string') throw badRequest(`Column '${c}' of row ${i} of '${name}' must be a string.`, `tables.${name}[${i}].${c}`);
        if (JSON_COLUMNS.has(c) && (!v || typeof v !== 'object' || Array.isArray(v))) throw badRequest(`Column '${c}' of row ${i} of '${name}' must be a JSON object.`, `tables.${name}[${i}].${c}`);
      }
    });
  }
  return { ...(s as unknown as Snapshot), tenant: { ...(t as Snapshot['tenant']), id: t.id.toLowerCase() } };
}
