// Reads the deployment records a report or the Autopilot events are built from: the deployments of one
// kind still within Intune's retention on the tenant's clock, page by page (a report may cover 100,000
// deployments), with what the records need from elsewhere (a device's Windows build, when an Autopilot
// device was registered). Reads only: the engine owns the deployments (src/provisioning/deployment.ts).
import type { Scope } from '../server/context.js';
import { readJson } from '../store/db.js';
import { AUTOPILOT_DEVICES } from '../intune/autopilot-collections.js';
import type { DeploymentData } from '../provisioning/deployment.js';

export type ReportSource = 'devicePreparation' | 'classicAutopilot';

/**
 * behaviour.md §4: device preparation deployment records are cleaned up after 28 days; the classic
 * Autopilot deployment report keeps 30 days. Counted from the start of the deployment, on the tenant's clock.
 */
export const RETENTION_DAYS: Readonly<Record<ReportSource, number>> = { devicePreparation: 28, classicAutopilot: 30 };
const DAY_MS = 24 * 3600 * 1000;

export interface DeploymentRecord {
  readonly id: string;
  readonly data: DeploymentData;
}

/** What else a record's rows may need, looked up once per page. */
export interface RecordLookups {
  /** Windows build of each simulated device, by its id. */
  readonly osVersions: ReadonlyMap<string, string>;
  /** When each Autopilot device was registered (tenant ms), by its Autopilot device id. */
  readonly registeredAt: ReadonlyMap<string, number>;
}

const NO_LOOKUPS: RecordLookups = { osVersions: new Map(), registeredAt: new Map() };

/**
 * Which records a source reports. Device preparation: deployments that ran a policy and enrolled (a device
 * stopped before enrollment never reaches the service that reports). Classic: every deployment on the
 * classic path, including those a check stopped after sign-in (they are failed enrollments).
 */
export function belongsTo(source: ReportSource, d: DeploymentData): boolean {
  if (source === 'devicePreparation') return d.path === 'devicePreparation' && d.policy !== null && d.managedDeviceId !== null;
  return d.path === 'classicAutopilot' || (d.path === 'blocked' && d.intendedPath === 'classicAutopilot');
}

/** The oldest start time a source still reports at `asOf`, as stored in deployments.started_at. */
export const retentionCutoff = (source: ReportSource, asOf: number): string => new Date(asOf - RETENTION_DAYS[source] * DAY_MS).toISOString();

/** Whether one record is still kept at `asOf`. */
export const withinRetention = (source: ReportSource, d: DeploymentData, asOf: number): boolean => d.startedAt >= asOf - RETENTION_DAYS[source] * DAY_MS;

/**
 * Pages of the source's records at `asOf`, oldest id first. Each page is its own short query (no long
 * transaction): on SQLite one connection serves the whole process, and other requests go between pages.
 */
export async function* recordPages(scope: Scope, source: ReportSource, asOf: number, pageSize = 1000): AsyncGenerator<{ records: DeploymentRecord[]; lookups: RecordLookups }> {
  // The ids first (small, from the index), then the documents by primary key: each page is a key lookup
  // whatever the planner believes about the table (after a bulk load PostgreSQL's statistics lag behind,
  // and a keyset page `id > last` then turned into a scan and sort of every remaining row).
  const ids = (
    await scope.db.selectFrom('deployments').select('id').where('tenant_id', '=', scope.tenantId).where('started_at', '>=', retentionCutoff(source, asOf)).orderBy('id').execute()
  ).map((r) => r.id);
  for (let i = 0; i < ids.length; i += pageSize) {
    const rows = await scope.db.selectFrom('deployments').select(['id', 'data']).where('tenant_id', '=', scope.tenantId).where('id', 'in', ids.slice(i, i + pageSize)).execute();
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const records: DeploymentRecord[] = [];
    for (const row of rows) {
      const data = readJson<DeploymentData>(row.data);
      if (belongsTo(source, data)) records.push({ id: row.id, data });
    }
    if (records.length > 0) yield { records, lookups: source === 'classicAutopilot' ? await lookupsFor(scope, records) : NO_LOOKUPS };
  }
}

/** The record of one deployment, if it belongs to the source and is still kept. */
export async function findRecord(scope: Scope, source: ReportSource, id: string, asOf: number): Promise<{ record: DeploymentRecord; lookups: RecordLookups } | undefined> {
  const row = await scope.db.selectFrom('deployments').select(['id', 'data']).where('tenant_id', '=', scope.tenantId).where('id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row) return undefined;
  const data = readJson<DeploymentData>(row.data);
  if (!belongsTo(source, data) || !withinRetention(source, data, asOf)) return undefined;
  const record = { id: row.id, data };
  return { record, lookups: await lookupsFor(scope, [record]) };
}

async function lookupsFor(scope: Scope, records: readonly DeploymentRecord[]): Promise<RecordLookups> {
  const deviceIds = [...new Set(records.map((r) => r.data.deviceId))];
  const autopilotIds = [...new Set(records.map((r) => r.data.profile?.autopilotDeviceId).filter((id): id is string => !!id))];
  const osVersions = new Map<string, string>();
  const registeredAt = new Map<string, number>();
  if (deviceIds.length > 0) {
    const devices = await scope.db.selectFrom('simulated_devices').select(['id', 'data']).where('tenant_id', '=', scope.tenantId).where('id', 'in', deviceIds).execute();
    for (const d of devices) osVersions.set(d.id, String(readJson<{ osVersion?: string }>(d.data).osVersion ?? ''));
  }
  if (autopilotIds.length > 0) {
    const identities = await scope.db
      .selectFrom('intune_objects')
      .select(['id', 'created_at'])
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', AUTOPILOT_DEVICES)
      .where('id', 'in', autopilotIds)
      .execute();
    for (const i of identities) {
      const ms = Date.parse(i.created_at);
      if (Number.isFinite(ms)) registeredAt.set(i.id, ms);
    }
  }
  return { osVersions, registeredAt };
}
