// Export jobs are durable state (DESIGN principles 2 and 6): the process that received the POST generates the
// job in the background; a job whose generator died is completed by whichever process is asked about it next;
// a job owned by a live generator is left to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveProcess, sharedServe, type ServeProcess } from '../helpers/process.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';
import { devicePreparationTutorial, newDevice, newLab, runToEnd, signIn, type Lab } from '../provisioning/tutorial.js';
import { createJob, download, unzipOne } from './report-lab.js';

const JOBS = '/beta/deviceManagement/reports/exportJobs';

describe('in one process', () => {
  let t: TestServer;
  let lab: Lab;
  beforeAll(async () => {
    t = await startTestServer();
    lab = await newLab(t);
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab, { serialNumber: 'BG-1' });
    await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
  });
  afterAll(() => t?.close());

  /** The job's row as stored, read straight from the database (no GET, which could generate it). */
  const stored = (id: string) => t.server.ctx.db.kysely.selectFrom('report_export_jobs').selectAll().where('tenant_id', '=', lab.tenant.tenantId).where('id', '=', id).executeTakeFirstOrThrow();

  async function storedCompletion(id: string) {
    for (let i = 0; i < 500; i++) {
      const row = await stored(id);
      if (row.status === 'completed') return row;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the job was not generated in the background');
  }

  it('generates the job in the background, with nobody polling', async () => {
    const job = await createJob(lab.tenant, { reportName: 'AutopilotV2DeploymentStatus' });
    const row = await storedCompletion(job.id);
    expect(row.content).toBeTruthy();
    expect(row.lease_until).toBeNull();
    const polled = await json(lab.tenant.graph('GET', `${JOBS}('${job.id}')`));
    expect(polled.body.status).toBe('completed');
    expect(unzipOne((await download(polled.body.url)).bytes).text).toContain('BG-1');
  });

  it('leaves a job to a generator whose lease is live, and takes over one whose lease ran out', async () => {
    const job = await createJob(lab.tenant, { reportName: 'AutopilotV2DeploymentStatus', format: 'json' });
    const done = await storedCompletion(job.id);
    const data = { ...(typeof done.data === 'string' ? JSON.parse(done.data) : done.data), expirationMs: null, rowCount: null };
    // The state a generator leaves when it has claimed the job and not finished.
    const claim = (leaseUntil: number) =>
      t.server.ctx.db.kysely
        .updateTable('report_export_jobs')
        .set({ status: 'inProgress', lease_until: leaseUntil, content: null, expires_at: null, data: JSON.stringify(data) })
        .where('tenant_id', '=', lab.tenant.tenantId)
        .where('id', '=', job.id)
        .execute();
    await claim(Date.now() + 60_000);
    const waiting = await json(lab.tenant.graph('GET', `${JOBS}('${job.id}')`));
    expect(waiting.body).toMatchObject({ status: 'inProgress', url: null, expirationDateTime: '0001-01-01T00:00:00Z' });
    expect((await stored(job.id)).content).toBeNull();
    // Its generator died: the lease ran out, and the next GET generates the job.
    await claim(Date.now() - 1);
    const taken = await json(lab.tenant.graph('GET', `${JOBS}('${job.id}')`));
    expect(taken.body.status).toBe('completed');
    const file = JSON.parse(unzipOne((await download(taken.body.url)).bytes).text);
    expect(file.values.map((r: any) => r.SerialNumber)).toEqual(['BG-1']);
  });

  it('carries export jobs, files included, in tenant snapshots', async () => {
    const job = await createJob(lab.tenant, { reportName: 'AutopilotV2DeploymentStatus' });
    await storedCompletion(job.id);
    const snapshot = await json(t.control('GET', `/tenants/${lab.tenant.tenantId}/snapshot`));
    expect(snapshot.status).toBe(200);
    expect(snapshot.body.tables.report_export_jobs.map((j: any) => j.id)).toContain(job.id);
    await t.control('DELETE', `/tenants/${lab.tenant.tenantId}`);
    const restored = await json(t.control('PUT', `/tenants/${lab.tenant.tenantId}/snapshot`, snapshot.body));
    expect(restored.status, JSON.stringify(restored.body)).toBeLessThan(300);
    const polled = await json(lab.tenant.graph('GET', `${JOBS}('${job.id}')`));
    expect(polled.body).toMatchObject({ id: job.id, status: 'completed' });
    expect(unzipOne((await download(polled.body.url)).bytes).text).toContain('BG-1');
  });
});

describe('across processes', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('completes a job whose server was killed before generating it, from another server on the same database', { timeout: 90_000 }, async () => {
    const shared = await sharedServe('reports');
    cleanups.push(shared.cleanUp);
    const { args } = shared;
    // The first server never generates in the background, so it dies with the job not started.
    const first = await serveProcess(args, { TARMAC_REPORTS_IN_BACKGROUND: '0' });
    cleanups.push(() => first.stop());
    const lab = await newLab(shared.serverAt(first.url));
    const tut = await devicePreparationTutorial(lab);
    const device = await newDevice(lab, { serialNumber: 'KILLED-1' });
    await runToEnd(lab, (await signIn(lab, device.id, tut.user.upn)).id);
    const job = await createJob(lab.tenant, { reportName: 'AutopilotV2DeploymentStatus', select: ['SerialNumber', 'DeploymentStatus'] });
    expect(job.status).toBe('notStarted');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second: ServeProcess = await serveProcess(args);
    cleanups.push(() => second.stop());
    const polled = await fetch(`${second.url}${JOBS}('${job.id}')`, { headers: { authorization: `Bearer ${lab.tenant.token}` } });
    const body = (await polled.json()) as any;
    expect(body).toMatchObject({ id: job.id, status: 'completed' });
    expect(body.url.startsWith(`${second.url}/`)).toBe(true);
    const { text } = unzipOne((await download(body.url)).bytes);
    expect(text).toBe('\ufeffSerialNumber,DeploymentStatus\r\nKILLED-1,2\r\n');
  });
});
