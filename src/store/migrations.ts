// Runs every module's migrations in name order. On PostgreSQL Kysely's migrator takes a lock, so
// processes starting together are safe; on a SQLite file it cannot lock across processes, so a process
// that loses the race retries and then finds the migrations done.
import { Migrator, type Migration } from 'kysely';
import type { Db } from './db.js';
import type { MigrationSpec } from './migration.js';
import { tenantMigrations } from '../control/tables.js';
import { identityMigrations } from '../identity/tables.js';
import { directoryMigrations } from '../directory/tables.js';
import { intuneMigrations } from '../intune/tables.js';
import { provisioningMigrations } from '../provisioning/tables.js';
import { reportMigrations } from '../reports/tables.js';

const all: readonly MigrationSpec[] = [...tenantMigrations, ...identityMigrations, ...directoryMigrations, ...intuneMigrations, ...provisioningMigrations, ...reportMigrations];

export async function migrateToLatest(db: Db): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const m of all) migrations[m.name] = { up: (k) => m.up(k, db.dialect) };
  // The migrator looks its tables up by schema name, so name the schema the connection uses.
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const attempts = db.dialect === 'sqlite' ? 5 : 1;
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    if (attempt >= attempts) {
      const failed = results?.find((r) => r.status === 'Error');
      throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
  }
}
