// Provisioning tables: simulated devices, their deployments, and each tenant's simulation settings (virtual
// clock, random seed, how long apps and scripts take and whether they fail). None of this is a Graph resource:
// it is served by the control API only (DESIGN principle 3).
import type { MigrationSpec } from '../store/migration.js';
import { jsonColumn } from '../store/migration.js';

/** A tenant's virtual clock and simulation defaults; a tenant without a row runs on the server's clock. */
export interface SimulationSettingsRow {
  tenant_id: string;
  /** Virtual time (ms) at the anchor, and the server time (ms) of the anchor; null = the server's clock. */
  clock_virtual_ms: number | null;
  clock_real_ms: number | null;
  /** Virtual milliseconds per server millisecond: 0 stops the clock, 1 is real time. */
  clock_rate: number;
  /** Seeds every random choice of the simulation, so a run repeats exactly. */
  seed: string;
  /** Default behaviour of apps and scripts, and the behaviour set per app and per script. */
  data: unknown;
}

export interface SimulatedDeviceRow {
  tenant_id: string;
  id: string;
  serial_number: string;
  /** Creation order within the tenant; with the seed it makes a device's random choices repeatable. */
  ordinal: number;
  /** The deployment the device runs or last ran, if any. */
  deployment_id: string | null;
  data: unknown;
  created_at: string;
}

export interface DeploymentRow {
  tenant_id: string;
  id: string;
  device_id: string;
  status: string;
  /** Virtual time (ms) of the next transition; null when the deployment waits for a person or has ended. */
  wake_at: number | null;
  started_at: string;
  data: unknown;
  /** Bumped by every stored transition. */
  version: number;
}

export interface ProvisioningTables {
  simulation_settings: SimulationSettingsRow;
  simulated_devices: SimulatedDeviceRow;
  deployments: DeploymentRow;
}

export const provisioningMigrations: readonly MigrationSpec[] = [
  {
    name: '0006_provisioning',
    async up(db, dialect) {
      const tenantFk = (c: any) => c.notNull().references('tenants.id').onDelete('cascade');
      const float = dialect === 'postgres' ? 'double precision' : 'real';
      await db.schema
        .createTable('simulation_settings')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
        .addColumn('clock_virtual_ms', float)
        .addColumn('clock_real_ms', float)
        .addColumn('clock_rate', float, (c) => c.notNull())
        .addColumn('seed', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('simulated_devices')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('serial_number', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('deployment_id', 'text')
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('simulated_devices_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('simulated_devices_serial', ['tenant_id', 'serial_number'])
        .execute();
      await db.schema
        .createTable('deployments')
        .addColumn('tenant_id', 'text', tenantFk)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('wake_at', float)
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('deployments_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema.createIndex('deployments_wake').on('deployments').columns(['tenant_id', 'wake_at']).execute();
      await db.schema.createIndex('deployments_device').on('deployments').columns(['tenant_id', 'device_id', 'started_at']).execute();
    },
  },
];
