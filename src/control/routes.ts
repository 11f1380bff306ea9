// The control API under /_tarmac: Tarmac-only features (tenants, snapshots, test applications),
// outside the Graph namespace and protected by the control key.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../server/context.js';
import { tenantScope, inTransaction } from '../server/context.js';
import { GraphError, badRequest } from '../graph/errors.js';
import { createTenant, deleteTenant, getTenant, getTenantSummary, listTenants, parseCreateTenant } from './tenants.js';
import { exportSnapshot, importSnapshot } from './snapshot.js';
import { addPassword, createApplication } from '../identity/applications.js';
import { createServicePrincipal } from '../identity/service-principals.js';
import { isGraphPermission } from '../identity/permissions.js';
import { explainMembership } from '../directory/dynamic-membership.js';
import { checkFilterRule, checkRule, decidingExpressions, RuleError } from '../rules/index.js';
import { registerProvisioningRoutes } from '../provisioning/routes.js';

/** Snapshots of large tenants are big documents. */
const SNAPSHOT_BODY_LIMIT = 512 * 1024 * 1024;

function checkControlKey(ctx: AppContext, request: FastifyRequest): void {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const given = Buffer.from(m?.[1] ?? '');
  const wanted = Buffer.from(ctx.controlKey);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new GraphError(401, 'Unauthorized', 'The control API needs "Authorization: Bearer <control key>"; the key is printed when the server starts.');
  }
}

/** A test application with chosen Graph permissions (granted with admin consent, as a script would). */
async function createControlApplication(ctx: AppContext, tenantId: string, body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw badRequest('The request body must be a JSON object.');
  const name = b.displayName ?? 'Tarmac test application';
  if (typeof name !== 'string' || name.length === 0 || name.length > 256) throw badRequest("'displayName' must be a non-empty string.", 'displayName');
  const permissions = b.permissions ?? [];
  if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string')) throw badRequest("'permissions' must be an array of Graph permission names.", 'permissions');
  const unknown = (permissions as string[]).filter((p) => !isGraphPermission(p));
  if (unknown.length > 0) throw badRequest(`Unknown Graph permission(s): ${unknown.join(', ')}.`, 'permissions');
  const tenant = await getTenant(ctx, tenantId);
  return inTransaction(tenantScope(ctx, tenant.id), async (tx) => {
    const app = await createApplication(tx, { displayName: name, isFallbackPublicClient: true });
    const sp = await createServicePrincipal(tx, { appId: app.appId }, permissions as string[]);
    const secret = await addPassword(tx, app.id, {});
    return { clientId: app.appId, clientSecret: secret.secretText, applicationId: app.id, servicePrincipalId: sp.id, permissions };
  });
}

/** `POST /_tarmac/rules/check` {"rule", "kind"?: "membership" | "filter"}: valid, or the error with its position. */
function checkRuleText(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b) || typeof b.rule !== 'string') throw badRequest("'rule' must be the rule's text.", 'rule');
  if (b.kind !== undefined && b.kind !== 'membership' && b.kind !== 'filter') throw badRequest("'kind' must be 'membership' or 'filter'.", 'kind');
  try {
    const checked = b.kind === 'filter' ? checkFilterRule(b.rule) : checkRule(b.rule);
    return { valid: true, kind: 'kind' in checked ? checked.kind : null };
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    return { valid: false, error: { position: err.position, end: err.end, detail: err.detail, hint: err.hint, message: err.message } };
  }
}

export function registerControlRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(
    async (control) => {
      control.addHook('onRequest', async (request) => checkControlKey(ctx, request));
      control.post('/tenants', async (request, reply) => reply.code(201).send(await createTenant(ctx, parseCreateTenant(request.body))));
      control.get('/tenants', async () => ({ value: await listTenants(ctx) }));
      control.get('/tenants/:id', async (request) => getTenantSummary(ctx, (request.params as { id: string }).id));
      control.delete('/tenants/:id', async (request, reply) => {
        await deleteTenant(ctx, (request.params as { id: string }).id);
        return reply.code(204).send();
      });
      control.get('/tenants/:id/snapshot', async (request) => exportSnapshot(ctx, (request.params as { id: string }).id));
      control.put('/tenants/:id/snapshot', { bodyLimit: SNAPSHOT_BODY_LIMIT }, async (request) => {
        const id = (request.params as { id: string }).id;
        return { tenantId: id.toLowerCase(), rows: await importSnapshot(ctx, id, request.body) };
      });
      // Tarmac's explain of a rule for one user or device: every expression, the actual values, what decided.
      // Checks a rule's text (membership or assignment filter) without a tenant: the rule editor as you type.
      control.post('/rules/check', async (request) => checkRuleText(request.body));
      control.post('/tenants/:id/rules/explain', async (request) => {
        const tenant = await getTenant(ctx, (request.params as { id: string }).id);
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
        const groupId = body.groupId === undefined ? undefined : String(body.groupId);
        const { rule, memberId, explanation } = await explainMembership(tenantScope(ctx, tenant.id), { memberId: body.memberId, membershipRule: body.membershipRule, groupId });
        return { membershipRule: rule.text, kind: rule.kind, memberId, result: explanation.expressionResult, decidedBy: decidingExpressions(explanation), explanation };
      });
      registerProvisioningRoutes(control, ctx);
      control.post('/tenants/:id/applications', async (request, reply) =>
        reply.code(201).send(await createControlApplication(ctx, (request.params as { id: string }).id, request.body)),
      );
    },
    { prefix: '/_tarmac' },
  );
}
