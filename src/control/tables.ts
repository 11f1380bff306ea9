// Tenants: the root of all state. Every other row carries its tenant_id.
import type { MigrationSpec } from '../store/migration.js';

export interface TenantRow {
  id: string;
  domain: string;
  display_name: string;
  created_at: string;
}

/** Installation-wide facts, e.g. whether the demo tenant was ever created. */
export interface MetaRow {
  key: string;
  value: string;
}

export interface TenantTables {
  tenants: TenantRow;
  meta: MetaRow;
}

export const tenantMigrations: readonly MigrationSpec[] = [
  {
    name: '0001_tenants',
    async up(db) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('domain', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
