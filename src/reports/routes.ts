// Routes of the reports module: the Reports Export API's export jobs (v1.0 and beta), the classic Autopilot
// events (beta), and the download of a finished export, which like Intune's blob-storage URL needs no bearer
// token: the secret is in the URL. Thin: parse, call the service, serialise.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/context.js';
import { created, noContent, registerGraphRoutes, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, memoryCollection } from '../graph/collection.js';
import { intuneShape } from '../graph/schema/shapes.js';
import type { PermissionSet } from '../identity/permissions.js';
import { GraphError } from '../graph/errors.js';
import { createExportJob, deleteExportJob, exportJobView, generateExportJob, getExportJob, listExportJobs, readExportFile } from './export-jobs.js';
import { autopilotEventShape, getAutopilotEvent, listAutopilotEvents } from './autopilot-events.js';

// graph-api.md §11.4: reports exportJobs need DeviceManagementManagedDevices.Read.All (doc) or ReadWrite.All;
// so do the Autopilot events (their List page).
const read: PermissionSet = ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];
const write: PermissionSet = ['DeviceManagementManagedDevices.ReadWrite.All'];

const JOBS = '/deviceManagement/reports/exportJobs';
const JOBS_CONTEXT = 'deviceManagement/reports/exportJobs';
const EVENTS = '/deviceManagement/autopilotEvents';
const EVENTS_CONTEXT = 'deviceManagement/autopilotEvents';

const jobShape = intuneShape('deviceManagementExportJob', {
  status: { kind: 'enum', typeName: 'microsoft.graph.deviceManagementReportStatus' },
  format: { kind: 'enum', typeName: 'microsoft.graph.deviceManagementReportFileFormat' },
  localizationType: { kind: 'enum', typeName: 'microsoft.graph.deviceManagementExportJobLocalizationType' },
  search: { kind: 'string' },
});

/** TARMAC_REPORTS_IN_BACKGROUND=0 leaves every job to the first GET that polls it (any process). */
const backgroundEnabled = () => !/^(0|false|no|off)$/i.test(process.env.TARMAC_REPORTS_IN_BACKGROUND ?? '');

export function registerReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Generations started here; the server waits for them before it closes the database.
  const running = new Set<Promise<void>>();
  const background = (tenantId: string, id: string) => {
    if (!backgroundEnabled()) return;
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => generateExportJob(ctx, tenantId, id))
      .catch((err) => process.emitWarning(`export job ${id}: ${(err as Error).message}`))
      .finally(() => running.delete(p));
    running.add(p);
  };
  app.addHook('onClose', async () => {
    await Promise.all([...running]);
  });

  const routes: GraphRouteDef[] = [
    {
      method: 'POST',
      path: JOBS,
      permissions: read,
      handler: async (req) => {
        const job = await createExportJob(req.scope, req.body);
        background(job.tenantId, job.id);
        return created({ '@odata.context': contextUrl(req, JOBS_CONTEXT, undefined, true), ...exportJobView(job, req.origin, req.version === 'beta') });
      },
    },
    {
      method: 'GET',
      path: JOBS,
      permissions: read,
      handler: async (req) => memoryCollection(req, JOBS_CONTEXT, (await listExportJobs(req.scope)).map((j) => exportJobView(j, req.origin, req.version === 'beta')), jobShape),
    },
    {
      method: 'GET',
      path: `${JOBS}/:id`,
      permissions: read,
      handler: async (req) => {
        const job = await getExportJob(ctx, req.scope, req.params.id!);
        return entityResult(req, { shape: jobShape, contextPath: JOBS_CONTEXT }, exportJobView(job, req.origin, req.version === 'beta'));
      },
    },
    { method: 'DELETE', path: `${JOBS}/:id`, permissions: write, handler: async (req) => (await deleteExportJob(req.scope, req.params.id!), noContent) },
    {
      method: 'GET',
      path: EVENTS,
      versions: ['beta'],
      permissions: read,
      handler: async (req) => memoryCollection(req, EVENTS_CONTEXT, await listAutopilotEvents(req.scope), autopilotEventShape, { typed: true }),
    },
    {
      method: 'GET',
      path: `${EVENTS}/:id`,
      versions: ['beta'],
      permissions: read,
      handler: async (req) => entityResult(req, { shape: autopilotEventShape, contextPath: EVENTS_CONTEXT, polymorphic: true }, await getAutopilotEvent(req.scope, req.params.id!)),
    },
  ];
  registerGraphRoutes(app, ctx, routes);

  // The download. Refusals use blob storage's status and code (403 AuthenticationFailed) in Graph's envelope,
  // like every error Tarmac answers.
  app.get('/_tarmac-reports/:tenantId/:file', async (request, reply) => {
    const { tenantId, file } = request.params as { tenantId: string; file: string };
    const result = await readExportFile(ctx, tenantId, file, (request.query as Record<string, unknown>).sig);
    if (!result.ok) throw new GraphError(result.status, result.code, result.message);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${result.fileName}"`).send(result.zip);
  });
}

