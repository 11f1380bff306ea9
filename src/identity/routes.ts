// Identity endpoints: OpenID Connect discovery, JWKS and the token endpoint per tenant (the
// login.microsoftonline.com side), plus the Graph routes for applications and service principals.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../server/context.js';
import { originOf, noContent, ok, registerGraphRoutes, requireObjectBody, type GraphRouteDef } from '../graph/route.js';
import { countCollection, entityResult, listCollection, type CollectionSource } from '../graph/collection.js';
import { applicationShape, servicePrincipalBetaShape, servicePrincipalShape } from '../graph/schema/shapes.js';
import { permissions as P } from './permissions.js';
import { TokenError, issueToken, resolveTenant } from './oauth.js';
import * as apps from './applications.js';
import * as sps from './service-principals.js';

const applicationsSource: CollectionSource = { table: 'applications', shape: applicationShape, contextPath: 'applications', directory: true };
const servicePrincipalsSource: CollectionSource = {
  table: 'service_principals',
  shape: servicePrincipalShape,
  betaShape: servicePrincipalBetaShape,
  contextPath: 'servicePrincipals',
  directory: true,
};

const graphRoutes: GraphRouteDef[] = [
  { method: 'GET', path: '/applications', permissions: P.appsRead, handler: (req) => listCollection(req, applicationsSource) },
  { method: 'GET', path: '/applications/$count', permissions: P.appsRead, handler: (req) => countCollection(req, applicationsSource) },
  {
    method: 'POST',
    path: '/applications',
    permissions: P.appsWrite,
    handler: async (req) => entityResult(req, applicationsSource, await apps.createApplication(req.scope, requireObjectBody(req.body)), 201),
  },
  { method: 'GET', path: '/applications/:id', permissions: P.appsRead, handler: async (req) => entityResult(req, applicationsSource, await apps.getApplication(req.scope, req.params.id!)) },
  {
    method: 'PATCH',
    path: '/applications/:id',
    permissions: P.appsWrite,
    handler: async (req) => (await apps.updateApplication(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { method: 'DELETE', path: '/applications/:id', permissions: P.appsWrite, handler: async (req) => (await apps.deleteApplication(req.scope, req.params.id!), noContent) },
  {
    method: 'POST',
    path: '/applications/:id/addPassword',
    permissions: P.appsWrite,
    handler: async (req) => {
      const credential = await apps.addPassword(req.scope, req.params.id!, requireObjectBody(req.body ?? {}));
      return ok({ '@odata.context': `${req.origin}/${req.version}/$metadata#microsoft.graph.passwordCredential`, ...credential });
    },
  },
  {
    method: 'POST',
    path: '/applications/:id/removePassword',
    permissions: P.appsWrite,
    handler: async (req) => (await apps.removePassword(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { method: 'GET', path: '/servicePrincipals', permissions: P.appsRead, handler: (req) => listCollection(req, servicePrincipalsSource) },
  { method: 'GET', path: '/servicePrincipals/$count', permissions: P.appsRead, handler: (req) => countCollection(req, servicePrincipalsSource) },
  {
    method: 'POST',
    path: '/servicePrincipals',
    permissions: P.appsWrite,
    handler: async (req) => entityResult(req, servicePrincipalsSource, await sps.createServicePrincipal(req.scope, requireObjectBody(req.body)), 201),
  },
  {
    method: 'GET',
    path: '/servicePrincipals/:id',
    permissions: P.appsRead,
    handler: async (req) => entityResult(req, servicePrincipalsSource, await sps.getServicePrincipal(req.scope, req.params.id!)),
  },
  {
    method: 'PATCH',
    path: '/servicePrincipals/:id',
    permissions: P.appsWrite,
    handler: async (req) => (await sps.updateServicePrincipal(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    method: 'DELETE',
    path: '/servicePrincipals/:id',
    permissions: P.appsWrite,
    handler: async (req) => (await sps.deleteServicePrincipal(req.scope, req.params.id!), noContent),
  },
];

/** The OpenID configuration MSAL reads (it needs authorization_endpoint, token_endpoint, issuer, jwks_uri). */
function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'preferred_username', 'oid', 'tid', 'ver'],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(origin).host,
    rbac_url: 'https://pas.windows.net',
  };
}

function basicCredentials(request: FastifyRequest): { clientId: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined; // malformed percent-encoding: no usable credentials
  }
}

export function registerIdentityRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGraphRoutes(app, ctx, graphRoutes);

  const sendTokenError = (err: unknown, reply: import('fastify').FastifyReply) => {
    if (err instanceof TokenError) return reply.code(err.status).type('application/json; charset=utf-8').send(err.body(new Date(ctx.clock.now())));
    throw err;
  };

  for (const path of ['/:tenant/v2.0/.well-known/openid-configuration', '/:tenant/.well-known/openid-configuration']) {
    app.get(path, async (request, reply) => {
      try {
        const tenant = await resolveTenant(ctx, (request.params as { tenant: string }).tenant);
        return reply.send(openIdConfiguration(originOf(request), tenant.id));
      } catch (err) {
        return sendTokenError(err, reply);
      }
    });
  }

  app.get('/:tenant/discovery/v2.0/keys', async (request, reply) => {
    try {
      await resolveTenant(ctx, (request.params as { tenant: string }).tenant);
      return reply.send(await ctx.tokens.publishedKeys());
    } catch (err) {
      return sendTokenError(err, reply);
    }
  });

  // Instance discovery, for clients that do not skip it (MSAL with an unknown authority).
  app.get('/common/discovery/instance', async (request, reply) => {
    const host = new URL(originOf(request)).host;
    const q = request.query as Record<string, string>;
    const endpoint = q.authorization_endpoint ?? '';
    const tenant = /^https?:\/\/[^/]+\/([^/]+)\//.exec(endpoint)?.[1] ?? 'common';
    return reply.send({
      tenant_discovery_endpoint: `${originOf(request)}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  app.post('/:tenant/oauth2/v2.0/token', async (request, reply) => {
    try {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new TokenError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
      }
      // Parameters are form fields, so strings; anything else (a JSON body's numbers, objects) counts as absent.
      const form = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const origin = originOf(request);
      const response = await issueToken(ctx, {
        tenant: (request.params as { tenant: string }).tenant,
        form,
        basic: basicCredentials(request),
        issuer: (tenantId) => `${origin}/${tenantId}/v2.0`,
      });
      return reply.header('cache-control', 'no-store, no-cache').send(response);
    } catch (err) {
      return sendTokenError(err, reply);
    }
  });
}
