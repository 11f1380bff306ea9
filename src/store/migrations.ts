// Runs every module's migrations in name order; Kysely's migrator locks so concurrent starts are safe.
import { Migrator, type Migration } from 'kysely';
import type { Db } from './db.js';
import type { MigrationSpec } from './migration.js';
import { tenantMigrations } from '../control/tables.js';
import { identityMigrations } from '../identity/tables.js';
import { directoryMigrations } from '../directory/tables.js';
import { intuneMigrations } from '../intune/tables.js';

const all: readonly MigrationSpec[] = [...tenantMigrations, ...identityMigrations, ...directoryMigrations, ...intuneMigrations];

export async function migrateToLatest(db: Db): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const m of all) migrations[m.name] = { up: (k) => m.up(k, db.dialect) };
  // The migrator looks its tables up by schema name, so name the schema the connection uses.
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`);
  }
}
