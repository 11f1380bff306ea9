// Intune tables. Intune resources (apps, scripts, policies, Autopilot devices, profiles, enrollment
// configurations, filters…) share one table keyed by collection, because they share one shape of life
// (polymorphic Graph documents with server-set fields); what is specific to each is in its service file.
// Assignments of any resource share another, indexed by the group they target.
import type { MigrationSpec } from '../store/migration.js';
import { jsonColumn } from '../store/migration.js';

export interface IntuneObjectRow {
  tenant_id: string;
  /** The collection, e.g. 'mobileApps', 'configurationPolicies', 'windowsAutopilotDeviceIdentities'. */
  collection: string;
  id: string;
  /** The concrete type, e.g. '#microsoft.graph.win32LobApp'. */
  odata_type: string | null;
  /** A value unique within the collection (a serial number, an identifier), when the resource has one. */
  unique_key: string | null;
  data: unknown;
  /** Creation order, for the collections Intune orders by age (oldest profile wins). */
  created_at: string;
}

export interface IntuneAssignmentRow {
  tenant_id: string;
  collection: string;
  object_id: string;
  id: string;
  /** The target's @odata.type, e.g. '#microsoft.graph.groupAssignmentTarget'. */
  target_type: string;
  group_id: string | null;
  /** An app assignment's intent (required / available / uninstall), else null. */
  intent: string | null;
  data: unknown;
}

export interface IntuneTables {
  intune_objects: IntuneObjectRow;
  intune_assignments: IntuneAssignmentRow;
}

export const intuneMigrations: readonly MigrationSpec[] = [
  {
    name: '0005_intune',
    async up(db, dialect) {
      const tenantFk = (c: any) => c.notNull().references('tenants.id').onDelete('cascade');
      await db.schema
        .createTable('intune_objects')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('collection', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('odata_type', 'text')
        .addColumn('unique_key', 'text')
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('intune_objects_pk', ['tenant_id', 'collection', 'id'])
        .addUniqueConstraint('intune_objects_key', ['tenant_id', 'collection', 'unique_key'])
        .execute();
      await db.schema
        .createTable('intune_assignments')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('collection', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text')
        .addColumn('intent', 'text')
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addPrimaryKeyConstraint('intune_assignments_pk', ['tenant_id', 'collection', 'object_id', 'id'])
        .execute();
      await db.schema.createIndex('intune_assignments_group').on('intune_assignments').columns(['tenant_id', 'group_id']).execute();
    },
  },
];
