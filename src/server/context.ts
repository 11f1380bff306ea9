// What every request handler can reach: the store, the clock and the token service. Nothing else is
// held in memory between requests (DESIGN principle 2).
import { sql, type Kysely } from 'kysely';
import type { Db, DialectName } from '../store/db.js';
import type { Tables } from '../store/tables.js';
import type { Clock } from '../core/clock.js';
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

export function tenantScope(ctx: AppContext, tenantId: string): Scope {
  return { db: ctx.db.kysely, dialect: ctx.db.dialect, clock: ctx.clock, tenantId };
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
