// Helpers of the reports tests: export a report through Graph and poll it to completion, download the zip
// with no bearer token, read it with another zip library (fflate) and CSV parser (csv-parse) than the
// server writes with; and the admin's Graph calls for classic Autopilot with the Enrollment Status Page.
import { expect } from 'vitest';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { json, type TestTenant } from '../helpers/server.js';
import type { Lab } from '../provisioning/tutorial.js';

export interface ExportedReport {
  readonly job: any;
  readonly fileName: string;
  readonly text: string;
  readonly columns: string[];
  readonly rows: Record<string, string>[];
}

/** POST an export job; returns the 201 body (fails the test on any other status). */
export async function createJob(tenant: TestTenant, body: Record<string, unknown>, version = 'beta'): Promise<any> {
  const r = await json(tenant.graph('POST', `/${version}/deviceManagement/reports/exportJobs`, body));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** Polls GET exportJobs('{id}') until the job is completed (or failed). */
export async function pollJob(tenant: TestTenant, id: string, version = 'beta'): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const r = await json(tenant.graph('GET', `/${version}/deviceManagement/reports/exportJobs('${id}')`));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (r.body.status === 'completed' || r.body.status === 'failed') return r.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`export job ${id} did not complete`);
}

/** Downloads a job's url exactly as a client does it: a plain GET, no Authorization header. */
export async function download(url: string): Promise<{ status: number; bytes: Uint8Array; contentType: string | null }> {
  const res = await fetch(url);
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
}

/** The zip's single entry. */
export function unzipOne(bytes: Uint8Array): { name: string; text: string } {
  const entries = Object.entries(unzipSync(bytes));
  expect(entries).toHaveLength(1);
  const [name, data] = entries[0]!;
  // ignoreBOM keeps a byte order mark in the text, so the tests can see it.
  return { name, text: new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(data) };
}

/** Exports a report, downloads it and parses it (CSV with csv-parse, JSON with JSON.parse). */
export async function exportReport(tenant: TestTenant, body: Record<string, unknown>, version = 'beta'): Promise<ExportedReport> {
  const created = await createJob(tenant, body, version);
  const job = await pollJob(tenant, created.id, version);
  expect(job.status).toBe('completed');
  const file = await download(job.url);
  expect(file.status).toBe(200);
  const { name, text } = unzipOne(file.bytes);
  const format = (body.format as string | undefined) ?? 'csv';
  if (format === 'csv') {
    // Intune's CSV starts with a UTF-8 byte order mark.
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
    const [columns, ...values] = records;
    return { job, fileName: name, text, columns: columns!, rows: values.map((v) => Object.fromEntries(columns!.map((c, i) => [c, v[i]!]))) };
  }
  const parsed = JSON.parse(text) as { values: Record<string, string>[] };
  const columns = parsed.values.length > 0 ? Object.keys(parsed.values[0]!) : [];
  return { job, fileName: name, text, columns, rows: parsed.values };
}

// ---------------------------------------------------------------------------------------------------------
// Classic Autopilot through Graph (registration, profile, Enrollment Status Page)

export { autopilotGroup, deploymentProfile, newGroup, registerDevice, statusPage, tenantBasics } from '../provisioning/tutorial.js';

export async function simulate(lab: Lab, body: Record<string, unknown>): Promise<void> {
  const r = await lab.control('PATCH', '/simulation', body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** 'yyyy-MM-dd HH:mm:ss.fffffff' of an ISO time, as the reports write it. */
export const reportTime = (iso: string | null) => (iso === null ? '' : `${iso.slice(0, 10)} ${iso.slice(11, 23)}0000`);
export const ms = (iso: string) => new Date(iso).getTime();
export const eventTime = (d: any, event: string) => d.timeline.find((e: any) => e.event === event)?.dateTime ?? null;
