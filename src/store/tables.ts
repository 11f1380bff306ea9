// The whole database as Kysely sees it: the union of every module's tables.
import type { TenantTables } from '../control/tables.js';
import type { IdentityTables } from '../identity/tables.js';
import type { DirectoryTables } from '../directory/tables.js';
import type { IntuneTables } from '../intune/tables.js';
import type { ProvisioningTables } from '../provisioning/tables.js';
import type { ReportTables } from '../reports/tables.js';

export interface Tables extends TenantTables, IdentityTables, DirectoryTables, IntuneTables, ProvisioningTables, ReportTables {}

/**
 * Every table whose rows belong to a tenant, with its columns other than tenant_id, in an order that
 * respects references. Snapshots export and import exactly these.
 */
export const TENANT_TABLES = {
  applications: ['id', 'app_id', 'data', 'secrets'],
  service_principals: ['id', 'app_id', 'data', 'permissions'],
  users: ['id', 'upn_key', 'data', 'password_hash'],
  groups: ['id', 'data', 'membership_rule', 'rule_kind', 'rule_state'],
  devices: ['id', 'device_id', 'data'],
  links: ['source_id', 'rel', 'target_id', 'target_kind'],
  policies: ['id', 'kind', 'data'],
  intune_objects: ['collection', 'id', 'odata_type', 'unique_key', 'data', 'created_at'],
  intune_assignments: ['collection', 'object_id', 'id', 'target_type', 'group_id', 'intent', 'data'],
  simulation_settings: ['clock_virtual_ms', 'clock_real_ms', 'clock_rate', 'seed', 'data'],
  simulated_devices: ['id', 'serial_number', 'ordinal', 'deployment_id', 'data', 'created_at'],
  deployments: ['id', 'device_id', 'status', 'wake_at', 'started_at', 'data', 'version'],
  report_export_jobs: ['id', 'status', 'data', 'token', 'content', 'lease_until', 'expires_at', 'created_at'],
} as const satisfies { [T in keyof Tables]?: readonly (keyof Tables[T] & string)[] };

/** Columns holding JSON documents (TEXT on SQLite, JSONB on PostgreSQL). */
export const JSON_COLUMNS: ReadonlySet<string> = new Set(['data']);

/** Columns holding numbers (clock readings, orders, versions). */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['clock_virtual_ms', 'clock_real_ms', 'clock_rate', 'ordinal', 'wake_at', 'version', 'lease_until', 'expires_at']);
