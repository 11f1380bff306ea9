// Reports tables: the export jobs of the Reports Export API (graph-api.md §10.1). A job is a durable row,
// the finished file included, so any process can generate it, serve it or take it over (DESIGN principle 2).
import type { MigrationSpec } from '../store/migration.js';
import { jsonColumn } from '../store/migration.js';

export interface ReportExportJobRow {
  tenant_id: string;
  /** `<ReportName>_<guid>`, as Intune names them. */
  id: string;
  /** notStarted, inProgress, completed or failed (deviceManagementReportStatus). */
  status: string;
  /** What was asked (reportName, select, filter, format…), its times, and the attempts made. */
  data: unknown;
  /** The secret in the download URL: the file is fetched without a bearer token, as from a SAS URL. */
  token: string;
  /** The zip file, base64, once completed (text so snapshots carry it as they carry every column). */
  content: string | null;
  /** Server time (ms) until which the process generating the job owns it; after it, anyone may take over. */
  lease_until: number | null;
  /** Tenant time (ms) after which the download URL stops working; null until completed. */
  expires_at: number | null;
  created_at: string;
}

export interface ReportTables {
  report_export_jobs: ReportExportJobRow;
}

export const reportMigrations: readonly MigrationSpec[] = [
  {
    name: '0007_reports',
    async up(db, dialect) {
      const float = dialect === 'postgres' ? 'double precision' : 'real';
      await db.schema
        .createTable('report_export_jobs')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('data', jsonColumn(dialect), (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('content', 'text')
        .addColumn('lease_until', float)
        .addColumn('expires_at', float)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_export_jobs_pk', ['tenant_id', 'id'])
        .execute();
    },
  },
];
