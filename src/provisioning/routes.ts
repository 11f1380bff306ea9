// Control API routes of the deployment engine (under /_tarmac, behind the control key): simulated devices,
// sign-in, deployments and the user's choices on the device's screen, the tenant's virtual clock and the
// simulated behaviour of apps and scripts. Thin: parse, call the service, serialise.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext, Scope } from '../server/context.js';
import { tenantScopeNow } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import { getTenant } from '../control/tenants.js';
import {
  createSimulatedDevices,
  deviceView,
  getSimulatedDevice,
  listSimulatedDevices,
  parseCreateDevice,
  updateSimulatedDevice,
} from './simulated-devices.js';
import { act, deleteSimulatedDevice, processDue, getDeployment, listDeployments, parseSignIn, resetSimulatedDevice, signIn, type UserAction } from './engine.js';
import { deploymentView } from './deployment-view.js';
import { changeClock, loadSimulation, parseClockChange, simulationView, updateSimulation } from './simulation.js';
import { runDeploymentToEnd, runTenantUntilIdle } from './run.js';
import { explain } from './explain.js';
import { preflightForTenant } from './preflight.js';

type Params = { id: string; deviceId?: string; deploymentId?: string };

async function scopeOf(ctx: AppContext, request: FastifyRequest): Promise<Scope> {
  const tenant = await getTenant(ctx, (request.params as Params).id);
  return tenantScopeNow(ctx, tenant.id);
}

function intParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new GraphError(400, 'BadRequest', `'${name}' must be an integer from ${min} to ${max}.`, { target: name });
  return n;
}

const ACTION_PATHS: Readonly<Record<string, UserAction>> = {
  retry: 'retry',
  'continue-anyway': 'continueAnyway',
  'reset-device': 'resetDevice',
  'collect-logs': 'collectLogs',
  continue: 'continue',
};

export function registerProvisioningRoutes(control: FastifyInstance, ctx: AppContext): void {
  const view = async (scope: Scope, id: string) => deploymentView(await getDeployment(scope, id), scope.clock.now());

  control.post('/tenants/:id/devices', async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const body = request.body;
    if (Array.isArray(body)) {
      if (body.length === 0 || body.length > 10_000) throw new GraphError(400, 'BadRequest', 'Send from 1 to 10,000 devices at once.', { target: 'body' });
      const devices = await createSimulatedDevices(scope, body.map((b, i) => withIndex(i, () => parseCreateDevice(b))));
      return reply.code(201).send({ value: devices.map(deviceView) });
    }
    const [device] = await createSimulatedDevices(scope, [parseCreateDevice(body)]);
    return reply.code(201).send(deviceView(device!));
  });
  control.get('/tenants/:id/devices', async (request) => {
    const scope = await scopeOf(ctx, request);
    const q = request.query as Record<string, unknown>;
    const devices = await listSimulatedDevices(scope, intParam(q.top, 'top', 1, 10_000) ?? 1000, intParam(q.after, 'after', 0, Number.MAX_SAFE_INTEGER));
    return { value: devices.map(deviceView) };
  });
  control.get('/tenants/:id/devices/:deviceId', async (request) => deviceView(await getSimulatedDevice(await scopeOf(ctx, request), (request.params as Params).deviceId!)));
  control.patch('/tenants/:id/devices/:deviceId', async (request) => deviceView(await updateSimulatedDevice(await scopeOf(ctx, request), (request.params as Params).deviceId!, request.body)));
  control.delete('/tenants/:id/devices/:deviceId', async (request, reply) => {
    await deleteSimulatedDevice(await scopeOf(ctx, request), (request.params as Params).deviceId!);
    return reply.code(204).send();
  });
  control.post('/tenants/:id/devices/:deviceId/reset', async (request) => deviceView(await resetSimulatedDevice(await scopeOf(ctx, request), (request.params as Params).deviceId!)));
  control.post('/tenants/:id/devices/:deviceId/sign-in', async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const deployment = await signIn(scope, (request.params as Params).deviceId!, parseSignIn(request.body));
    return reply.code(201).send(deploymentView(deployment, scope.clock.now()));
  });

  control.get('/tenants/:id/deployments', async (request) => {
    const scope = await scopeOf(ctx, request);
    const q = request.query as Record<string, unknown>;
    const status = q.status === undefined ? undefined : String(q.status);
    if (status !== undefined && !['inProgress', 'success', 'failed'].includes(status)) throw new GraphError(400, 'BadRequest', "'status' must be inProgress, success or failed.", { target: 'status' });
    const rows = await listDeployments(scope, {
      deviceId: q.deviceId === undefined ? undefined : await deviceIdOf(scope, String(q.deviceId)),
      status,
      top: intParam(q.top, 'top', 1, 10_000),
      after: q.after === undefined ? undefined : String(q.after),
    });
    return { value: rows.map((r) => deploymentView(r, scope.clock.now())) };
  });
  control.get('/tenants/:id/deployments/:deploymentId', async (request) => view(await scopeOf(ctx, request), (request.params as Params).deploymentId!));
  control.post('/tenants/:id/deployments/:deploymentId/run', async (request) => {
    const scope = await scopeOf(ctx, request);
    const id = (request.params as Params).deploymentId!;
    await runDeploymentToEnd(ctx, scope.tenantId, id);
    return view(await tenantScopeNow(ctx, scope.tenantId), id);
  });
  control.post('/tenants/:id/deployments/:deploymentId/:action', async (request) => {
    const { action } = request.params as { action: string };
    const chosen = ACTION_PATHS[action];
    if (!chosen) throw new GraphError(404, 'NotFound', `'${action}' is not an action on a deployment; use ${Object.keys(ACTION_PATHS).join(', ')} or run.`);
    const scope = await scopeOf(ctx, request);
    return deploymentView(await act(scope, (request.params as Params).deploymentId!, chosen), scope.clock.now());
  });

  control.get('/tenants/:id/explain', async (request) => {
    const q = request.query as Record<string, unknown>;
    const text = (name: string) => (q[name] === undefined ? undefined : String(q[name]));
    return explain(await scopeOf(ctx, request), { user: text('user'), device: text('device') });
  });
  control.get('/tenants/:id/preflight', async (request) => preflightForTenant(ctx, (request.params as Params).id));
  control.get('/tenants/:id/clock', async (request) => clockView(await scopeOf(ctx, request)));
  control.post('/tenants/:id/clock', async (request) => {
    const tenant = await getTenant(ctx, (request.params as Params).id);
    const change = parseClockChange(request.body);
    if (change.advanceSeconds !== undefined || change.rate !== undefined) await changeClock(ctx, tenant.id, change);
    const moved = change.runUntilIdle ? await runTenantUntilIdle(ctx, tenant.id) : await runTenantDue(ctx, tenant.id);
    return { ...(await clockView(await tenantScopeNow(ctx, tenant.id))), deploymentsMoved: moved };
  });
  control.get('/tenants/:id/simulation', async (request) => {
    const scope = await scopeOf(ctx, request);
    return simulationView(await loadSimulation(scope), scope.clock.now());
  });
  control.patch('/tenants/:id/simulation', async (request) => {
    const scope = await scopeOf(ctx, request);
    return simulationView(await updateSimulation(scope, request.body), scope.clock.now());
  });
}

async function runTenantDue(ctx: AppContext, tenantId: string): Promise<number> {
  return processDue(await tenantScopeNow(ctx, tenantId));
}

/** A device by id or serial number, as on the device routes; a filter on a device that does not exist matches nothing. */
async function deviceIdOf(scope: Scope, idOrSerial: string): Promise<string> {
  try {
    return (await getSimulatedDevice(scope, idOrSerial)).id;
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return idOrSerial;
    throw err;
  }
}

async function clockView(scope: Scope) {
  const s = await loadSimulation(scope);
  return { now: new Date(scope.clock.now()).toISOString(), rate: s.clock?.rate ?? 1 };
}

/** Runs a parser for one element of a bulk body, naming the element in the error's target. */
function withIndex<T>(index: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof GraphError) {
      const target = String(err.extra.target ?? '');
      throw new GraphError(err.status, err.code, `Device ${index}: ${err.message}`, { target: `[${index}]${target && target !== 'body' ? `.${target}` : ''}` });
    }
    throw err;
  }
}
