// What every request handler can reach: the store, the clock and the token service. Nothing else is
// held in memory between requests (DESIGN principle 2).
import { sql, type Kysely } from 'kysely';
import type { Db, DialectName } from '../store/db.js';
import type { Tables } from '../store/tables.js';
import { virtualClock, type Clock, type ClockAnchor } from '../core/clock.js';
import type { TokenService } from '../identity/tokens.js';

export interface AppContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly tokens: TokenService;
  readonly controlKey: string;
}

/** The unit domain services work in: one tenant, one database handle (or transaction), one clock. */
export interface Scope {
  readonly db: Kysely<Tables>;
  readonly dialect: DialectName;
  readonly clock: Clock;
  readonly tenantId: string;
}

/** A tenant's scope; with the tenant's clock anchor, its clock is the tenant's virtual clock. */
export function tenantScope(ctx: AppContext, tenantId: string, anchor: ClockAnchor | null = null): Scope {
  return { db: ctx.db.kysely, dialect: ctx.db.dialect, clock: virtualClock(ctx.clock, anchor), tenantId };
}

/** The clock anchor stored for a tenant (null: the tenant runs on the server's clock). */
export function clockAnchorOf(row: { clock_virtual_ms: number | null; clock_real_ms: number | null; clock_rate: number | null } | undefined): ClockAnchor | null {
  if (!row || row.clock_virtual_ms === null || row.clock_real_ms === null || row.clock_rate === null) return null;
  return { virtualMs: Number(row.clock_virtual_ms), baseMs: Number(row.clock_real_ms), rate: Number(row.clock_rate) };
}

/** The tenant's scope on its virtual clock (one read of its simulation settings). */
export async function tenantScopeNow(ctx: AppContext, tenantId: string): Promise<Scope> {
  const row = await ctx.db.kysely
    .selectFrom('simulation_settings')
    .select(['clock_virtual_ms', 'clock_real_ms', 'clock_rate'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return tenantScope(ctx, tenantId, clockAnchorOf(row));
}

/**
 * Runs fn in one transaction: a failed request changes nothing (DESIGN principle 7). On PostgreSQL the
 * tenant's write transactions take turns, as every transaction does on SQLite, so a read-modify-write
 * (PATCH, addPassword, a uniqueness check) never loses or lets through a concurrent change, whichever
 * process runs it.
 */
export async function inTransaction<T>(scope: Scope, fn: (tx: Scope) => Promise<T>): Promise<T> {
  if (scope.db.isTransaction) return fn(scope);
  return scope.db.transaction().execute(async (trx) => {
    if (scope.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${scope.tenantId}))`.execute(trx);
    return fn({ ...scope, db: trx });
  });
}
