// Identity tables: token signing keys, applications (with their secrets) and service principals.
import type { MigrationSpec } from '../store/migration.js';
import { jsonColumn } from '../store/migration.js';

export interface SigningKeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
}

export interface ApplicationRow {
  tenant_id: string;
  id: string;
  app_id: string;
  data: unknown;
  /** JSON list of {keyId, hash, endDateTime}; secrets themselves are never stored. */
  secrets: string;
}

export interface ServicePrincipalRow {
  tenant_id: string;
  id: string;
  app_id: string;
  data: unknown;
  /** JSON list of Graph permission names granted to this principal (app roles and delegated scopes). */
  permissions: string;
}

export interface IdentityTables {
  signing_keys: SigningKeyRow;
  applications: ApplicationRow;
  service_principals: ServicePrincipalRow;
}

export const identityMigrations: readonly MigrationSpec[] = [
  {
    name: '0002_identity',
    async up(db, dialect) {
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('private_jwk', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      for (const table of ['applications', 'service_principals'] as const) {
        await db.schema
          .createTable(table)
          .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
          .addColumn(table === 'applications' ? 'secrets' : 'permissions', 'text', (c) => c.notNull().defaultTo('[]'))
          .addPrimaryKeyConstraint(`${table}_pk`, ['tenant_id', 'id'])
          .addUniqueConstraint(`${table}_app_id`, ['tenant_id', 'app_id'])
          .execute();
      }
    },
  },
];
