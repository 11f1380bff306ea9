// Directory tables: users, groups, devices, the links between objects (members, owners, registered
// owners/users, policy groups) and the tenant-wide Entra policies.
import type { MigrationSpec } from '../store/migration.js';
import { jsonColumn } from '../store/migration.js';

/** Object kinds that live in the directory and can appear in a directoryObject collection. */
export type ObjectKind = 'user' | 'group' | 'device' | 'servicePrincipal' | 'application';

export interface UserRow {
  tenant_id: string;
  id: string;
  /** Lowercased userPrincipalName: unique per tenant. */
  upn_key: string;
  data: unknown;
  password_hash: string | null;
}

export interface GroupRow {
  tenant_id: string;
  id: string;
  data: unknown;
  /** A dynamic group's rule, its kind ('user' | 'device') and 'On' | 'Paused': indexed copies of data. */
  membership_rule: string | null;
  rule_kind: string | null;
  rule_state: string | null;
}

export interface DeviceRow {
  tenant_id: string;
  id: string;
  /** The Device Registration Service id (`deviceId`), unique per tenant. */
  device_id: string;
  data: unknown;
}

export interface LinkRow {
  tenant_id: string;
  /** The object that holds the relation, e.g. the group for 'members'. */
  source_id: string;
  rel: string;
  target_id: string;
  target_kind: ObjectKind;
}

export interface PolicyRow {
  tenant_id: string;
  id: string;
  kind: string;
  data: unknown;
}

export interface DirectoryTables {
  users: UserRow;
  groups: GroupRow;
  devices: DeviceRow;
  links: LinkRow;
  policies: PolicyRow;
}

export const directoryMigrations: readonly MigrationSpec[] = [
  {
    name: '0003_directory',
    async up(db, dialect) {
      const tenantFk = (c: any) => c.notNull().references('tenants.id').onDelete('cascade');
      await db.schema
        .createTable('users')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('upn_key', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('users_upn', ['tenant_id', 'upn_key'])
        .execute();
      await db.schema
        .createTable('groups')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addPrimaryKeyConstraint('groups_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addPrimaryKeyConstraint('devices_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('devices_device_id', ['tenant_id', 'device_id'])
        .execute();
      await db.schema
        .createTable('links')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('rel', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('target_kind', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('links_pk', ['tenant_id', 'rel', 'source_id', 'target_id'])
        .execute();
      await db.schema.createIndex('links_target').on('links').columns(['tenant_id', 'target_id', 'rel']).execute();
      await db.schema.createIndex('links_source').on('links').columns(['tenant_id', 'source_id']).execute();
      await db.schema
        .createTable('policies')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addPrimaryKeyConstraint('policies_pk', ['tenant_id', 'id'])
        .execute();
    },
  },
  {
    name: '0004_dynamic_groups',
    async up(db) {
      for (const column of ['membership_rule', 'rule_kind', 'rule_state']) {
        await db.schema.alterTable('groups').addColumn(column, 'text').execute();
      }
      await db.schema.createIndex('groups_dynamic').on('groups').columns(['tenant_id', 'rule_kind', 'rule_state']).execute();
    },
  },
  {
    // "Which groups is this object in?" ordered by group: with source_id in the index, SQLite no longer walks
    // the primary key over every membership of the tenant to avoid a sort (2 ms per lookup at 100,000 devices).
    name: '0008_links_by_target',
    async up(db) {
      await db.schema.createIndex('links_target_source').on('links').columns(['tenant_id', 'target_id', 'rel', 'source_id']).execute();
      await db.schema.dropIndex('links_target').execute();
    },
  },
];
