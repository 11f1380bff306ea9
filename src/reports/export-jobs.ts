// Export jobs of the Reports Export API (graph-api.md §10.1; Intune's "Export Intune reports using Graph
// APIs"): POST creates a job (notStarted), the job is generated (inProgress → completed), GET polls it, and
// its `url` downloads a zip without a bearer token until the job expires, as a blob-storage SAS URL does.
// Durable and stateless (DESIGN principles 2 and 6): the job and its file live in the database. The process
// that received the POST generates it in the background; a process generating a job holds a lease it renews,
// and a job whose generator died (never started, or its lease ran out) is taken over by the next GET that
// finds it, in whichever process that GET lands.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Updateable } from 'kysely';
import type { AppContext, Scope } from '../server/context.js';
import { inTransaction, tenantScopeNow } from '../server/context.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import { isGuid } from '../core/ids.js';
import { intuneBadRequest, textOf } from '../intune/errors.js';
import { NEVER } from '../intune/autopilot-collections.js';
import { processDue } from '../provisioning/engine.js';
import { findReport, REPORTS, type ReportDefinition } from './report-definitions.js';
import { compileReportQuery } from './report-query.js';
import { recordPages } from './deployment-source.js';
import { reportFileWriter, zipSingleFile, type ReportFormat } from './report-file.js';
import { graphDateTime } from './formats.js';
import type { ReportExportJobRow } from './tables.js';

/** How long a download URL works after the job completes: about six hours in Intune's documented example. */
export const URL_LIFETIME_MS = 6 * 3600 * 1000;
/** How long a generating process owns a job without renewing its lease (server time). */
export const LEASE_MS = 30_000;
/** A job whose generation failed this many times is `failed`. */
const MAX_ATTEMPTS = 3;

const LOCALIZATION_TYPES = ['localizedValuesAsAdditionalColumn', 'replaceLocalizableValues'] as const;
const FORMATS: readonly ReportFormat[] = ['csv', 'json'];
/** Server-set properties a client may send back unchanged (they are ignored), and the ones it may set. */
const READ_ONLY = new Set(['@odata.type', 'id', 'status', 'url', 'requestDateTime', 'expirationDateTime']);
const SETTABLE = ['reportName', 'format', 'select', 'filter', 'search', 'localizationType', 'snapshotId'];

export type JobStatus = 'notStarted' | 'inProgress' | 'completed' | 'failed';

/** What the row's `data` holds: the request, its times, and how generation went. */
export interface JobData {
  readonly reportName: string;
  readonly format: ReportFormat;
  readonly select: readonly string[];
  readonly filter: string | null;
  readonly search: string | null;
  readonly localizationType: (typeof LOCALIZATION_TYPES)[number];
  /** Tenant time of the request: the report is as of this moment (retention counts from it). */
  readonly requestMs: number;
  readonly expirationMs: number | null;
  readonly attempts: number;
  readonly rowCount: number | null;
}

export interface ExportJob {
  readonly tenantId: string;
  readonly id: string;
  readonly status: JobStatus;
  readonly data: JobData;
  readonly token: string;
  /** Server time until which a process is generating it (null: nobody is). */
  readonly leaseUntil: number | null;
}

const jobNotFound = (id: string) => new GraphError(404, 'NotFound', `No export job with id '${id}' exists in this tenant.`);

function optionalString(b: Record<string, unknown>, name: string, max: number): string | null {
  const v = b[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw intuneBadRequest(`'${name}' must be a string.`, name);
  if (v.length > max) throw intuneBadRequest(`'${name}' must be at most ${max} characters.`, name);
  return v;
}

/** Checks a POST body, naming the property at fault; compiles select and filter so bad ones fail now. */
export function parseExportRequest(body: unknown): { report: ReportDefinition; data: Omit<JobData, 'requestMs' | 'expirationMs' | 'attempts' | 'rowCount'> } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw intuneBadRequest('The request body must be a JSON object.', 'body');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!READ_ONLY.has(key) && !SETTABLE.includes(key)) throw intuneBadRequest(`'${key}' is not a property of an export job; send ${SETTABLE.join(', ')}.`, key);
  }
  const names = REPORTS.map((r) => r.name).join(', ');
  if (typeof b.reportName !== 'string' || b.reportName.trim() === '') throw intuneBadRequest(`'reportName' is required: one of ${names}.`, 'reportName');
  const report = findReport(b.reportName.trim());
  if (!report) throw intuneBadRequest(`The report '${b.reportName}' is not available; Tarmac exports ${names}.`, 'reportName');

  const format = b.format === undefined || b.format === null ? 'csv' : b.format;
  if (typeof format !== 'string' || !FORMATS.includes(format.toLowerCase() as ReportFormat)) {
    throw intuneBadRequest(`'format' must be csv or json, not '${textOf(format)}'.`, 'format');
  }
  const localization = b.localizationType === undefined || b.localizationType === null ? LOCALIZATION_TYPES[0] : b.localizationType;
  const localizationType = typeof localization === 'string' ? LOCALIZATION_TYPES.find((l) => l.toLowerCase() === localization.toLowerCase()) : undefined;
  if (!localizationType) throw intuneBadRequest(`'localizationType' must be ${LOCALIZATION_TYPES.join(' or ')}.`, 'localizationType');
  if (b.snapshotId !== undefined && b.snapshotId !== null) throw intuneBadRequest(`'snapshotId' is not supported for the report ${report.name}; leave it out.`, 'snapshotId');

  let select: string[] = [];
  if (b.select !== undefined && b.select !== null) {
    if (!Array.isArray(b.select) || !b.select.every((s) => typeof s === 'string')) throw intuneBadRequest("'select' must be an array of column names.", 'select');
    if (b.select.length > 200) throw intuneBadRequest("'select' lists too many columns.", 'select');
    select = b.select as string[];
  }
  const filter = optionalString(b, 'filter', 8192);
  const search = optionalString(b, 'search', 1024);
  compileReportQuery(report, { select, filter, search });
  return { report, data: { reportName: report.name, format: format.toLowerCase() as ReportFormat, select, filter, search, localizationType } };
}

type Row = { tenant_id: string; id: string; status: string; data: unknown; token: string; lease_until: number | null };
const toJob = (r: Row): ExportJob => ({
  tenantId: r.tenant_id,
  id: r.id,
  status: r.status as JobStatus,
  data: readJson<JobData>(r.data),
  token: r.token,
  leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
});

/** `POST …/reports/exportJobs`: stores a notStarted job; the caller starts its generation. */
export async function createExportJob(scope: Scope, body: unknown): Promise<ExportJob> {
  const { report, data: request } = parseExportRequest(body);
  return inTransaction(scope, async (tx) => {
    const now = tx.clock.now();
    // Expired jobs go when the tenant asks for a new one: their files are the bulk of the table.
    await tx.db.deleteFrom('report_export_jobs').where('tenant_id', '=', tx.tenantId).where('expires_at', '<=', now).execute();
    const job: ExportJob = {
      tenantId: tx.tenantId,
      id: `${report.name}_${randomUUID()}`,
      status: 'notStarted',
      data: { ...request, requestMs: now, expirationMs: null, attempts: 0, rowCount: null },
      token: randomBytes(32).toString('base64url'),
      leaseUntil: null,
    };
    await tx.db
      .insertInto('report_export_jobs')
      .values({ tenant_id: tx.tenantId, id: job.id, status: job.status, data: writeJson(job.data), token: job.token, content: null, lease_until: null, expires_at: null, created_at: new Date(now).toISOString() })
      .execute();
    return job;
  });
}

const jobColumns = ['tenant_id', 'id', 'status', 'data', 'token', 'lease_until'] as const;

async function loadJob(scope: Scope, id: string): Promise<ExportJob | undefined> {
  const row = await scope.db.selectFrom('report_export_jobs').select(jobColumns).where('tenant_id', '=', scope.tenantId).where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/** Ids are `<ReportName>_<guid>`; the report name part is matched ignoring case, as Graph keys are. */
function canonicalId(id: string): string {
  const m = /^([A-Za-z0-9]+)_([0-9a-fA-F-]{36})$/.exec(id);
  const report = m ? findReport(m[1]!) : undefined;
  return report && isGuid(m![2]!) ? `${report.name}_${m![2]!.toLowerCase()}` : id;
}

/**
 * `GET …/exportJobs/{id}`. A job nobody is generating (still notStarted, or its generator's lease ran out)
 * is generated here and now, so a job whose process died still completes.
 */
export async function getExportJob(ctx: AppContext, scope: Scope, rawId: string): Promise<ExportJob> {
  const id = canonicalId(rawId);
  const job = await loadJob(scope, id);
  if (!job) throw jobNotFound(rawId);
  if (job.status === 'completed' || job.status === 'failed') return job;
  if (job.status === 'inProgress' && job.leaseUntil !== null && job.leaseUntil >= ctx.clock.now()) return job;
  await generateExportJob(ctx, scope.tenantId, id);
  return (await loadJob(scope, id)) ?? job;
}

export async function listExportJobs(scope: Scope): Promise<ExportJob[]> {
  const rows = await scope.db.selectFrom('report_export_jobs').select(jobColumns).where('tenant_id', '=', scope.tenantId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toJob);
}

export async function deleteExportJob(scope: Scope, rawId: string): Promise<void> {
  const result = await scope.db.deleteFrom('report_export_jobs').where('tenant_id', '=', scope.tenantId).where('id', '=', canonicalId(rawId)).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw jobNotFound(rawId);
}

class LeaseLost extends Error {}

/**
 * Generates a job if no live process is: claims it (an atomic update, so of several processes one wins),
 * builds the file page by page renewing the lease, and stores the zip. Returns when the job is completed,
 * failed, given back for another attempt, or owned by someone else.
 */
export async function generateExportJob(ctx: AppContext, tenantId: string, id: string): Promise<void> {
  const db = ctx.db.kysely;
  const claimedAt = ctx.clock.now();
  let lease = claimedAt + LEASE_MS;
  const claim = await db
    .updateTable('report_export_jobs')
    .set({ status: 'inProgress', lease_until: lease })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'notStarted'), eb.and([eb('status', '=', 'inProgress'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', claimedAt)])])]))
    .executeTakeFirst();
  if (Number(claim.numUpdatedRows) === 0) return;
  // Writes only while this process still owns the job (its lease value is unchanged).
  const updateOwned = (values: Updateable<ReportExportJobRow>) =>
    db.updateTable('report_export_jobs').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).where('lease_until', '=', lease).executeTakeFirst();
  const renew = async () => {
    if (ctx.clock.now() < lease - LEASE_MS / 2) return;
    const next = ctx.clock.now() + LEASE_MS;
    if (Number((await updateOwned({ lease_until: next })).numUpdatedRows) === 0) throw new LeaseLost();
    lease = next;
  };
  const row = await db.selectFrom('report_export_jobs').select(jobColumns).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const job = toJob(row);
  try {
    const scope = await tenantScopeNow(ctx, tenantId);
    // A report is a read of the deployments: transitions already due are taken first, as on any read.
    await processDue(scope);
    const report = findReport(job.data.reportName)!;
    const query = compileReportQuery(report, job.data);
    const asOf = job.data.requestMs;
    const writer = reportFileWriter(job.data.format, query.columns);
    for await (const { records, lookups } of recordPages(scope, report.source, asOf)) {
      const rows = [];
      for (const record of records) for (const r of report.rows(record, lookups, asOf)) if (query.keep(r)) rows.push(r);
      writer.add(rows);
      await renew();
    }
    const done = scope.clock.now();
    const zip = await zipSingleFile(`${id}.${job.data.format}`, writer.finish(), new Date(done));
    const expires = done + URL_LIFETIME_MS;
    await updateOwned({
      status: 'completed',
      content: zip.toString('base64'),
      lease_until: null,
      expires_at: expires,
      data: writeJson({ ...job.data, expirationMs: expires, rowCount: writer.rowCount }),
    });
  } catch (err) {
    if (err instanceof LeaseLost) return;
    const attempts = job.data.attempts + 1;
    const status = attempts >= MAX_ATTEMPTS ? 'failed' : 'notStarted';
    process.emitWarning(`export job ${id}: generation failed (attempt ${attempts}): ${(err as Error).message}`);
    await updateOwned({ status, lease_until: null, data: writeJson({ ...job.data, attempts }) }).catch(() => undefined);
  }
}

/** Where the file of a completed job is downloaded: this server, with the job's secret in the URL. */
export const downloadPath = (job: ExportJob) => `/_tarmac-reports/${job.tenantId}/${encodeURIComponent(job.id)}.zip?sig=${job.token}`;

/** The Graph form of a job (deviceManagementExportJob). `search` is a beta-only property. */
export function exportJobView(job: ExportJob, origin: string, beta: boolean): Record<string, unknown> {
  const d = job.data;
  return {
    id: job.id,
    reportName: d.reportName,
    filter: d.filter,
    localizationType: d.localizationType,
    select: d.select,
    format: d.format,
    snapshotId: null,
    ...(beta ? { search: d.search } : {}),
    status: job.status,
    url: job.status === 'completed' ? `${origin}${downloadPath(job)}` : null,
    requestDateTime: graphDateTime(d.requestMs),
    expirationDateTime: d.expirationMs === null ? NEVER : graphDateTime(d.expirationMs),
  };
}

export type Download = { ok: true; fileName: string; zip: Buffer } | { ok: false; status: number; code: string; message: string };

const denied: Download = {
  ok: false,
  status: 403,
  code: 'AuthenticationFailed',
  message: 'Server failed to authenticate the request. Make sure the value of the signature is formed correctly.',
};

/** The zip behind a download URL: the secret must match and the job must not have expired (tenant clock). */
export async function readExportFile(ctx: AppContext, tenantId: string, fileName: string, sig: unknown): Promise<Download> {
  if (!isGuid(tenantId) || typeof sig !== 'string' || !fileName.toLowerCase().endsWith('.zip')) return denied;
  const id = canonicalId(fileName.slice(0, -4));
  const row = await ctx.db.kysely
    .selectFrom('report_export_jobs')
    .select(['token', 'content', 'expires_at', 'status'])
    .where('tenant_id', '=', tenantId.toLowerCase())
    .where('id', '=', id)
    .executeTakeFirst();
  const given = Buffer.from(sig);
  const wanted = Buffer.from(row?.token ?? '');
  if (!row || row.status !== 'completed' || row.content === null || given.length !== wanted.length || !timingSafeEqual(given, wanted)) return denied;
  const scope = await tenantScopeNow(ctx, tenantId.toLowerCase());
  const now = scope.clock.now();
  if (row.expires_at === null || now >= Number(row.expires_at)) {
    return { ok: false, status: 403, code: 'AuthenticationFailed', message: `Signature not valid in the specified time frame: Expiry [${graphDateTime(Number(row.expires_at ?? 0))}] - Current [${graphDateTime(now)}].` };
  }
  return { ok: true, fileName: `${id}.zip`, zip: Buffer.from(row.content, 'base64') };
}
