// Registers thin Graph routes: authenticates the caller, checks the permission the route needs, parses
// query options, then hands a GraphRequest to the handler and serialises what it returns.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Scope } from '../server/context.js';
import { clockAnchorOf, tenantScope } from '../server/context.js';
import type { ClockAnchor } from '../core/clock.js';
import type { Principal } from '../identity/tokens.js';
import type { PermissionSet } from '../identity/permissions.js';
import { GraphError, forbidden, unauthorized } from './errors.js';
import { parseQueryOptions, type QueryOptions } from './query.js';

export type GraphVersion = 'v1.0' | 'beta';
export const GRAPH_VERSIONS: readonly GraphVersion[] = ['v1.0', 'beta'];

export interface GraphRequest {
  readonly scope: Scope;
  readonly principal: Principal;
  readonly version: GraphVersion;
  /** scheme://host of this server, for @odata.context and nextLink. */
  readonly origin: string;
  /** Path and query string as received (OData key segments normalised), for nextLink. */
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryOptions;
  readonly body: unknown;
  readonly headers: FastifyRequest['headers'];
}

export interface GraphResult {
  readonly status: number;
  readonly body?: unknown;
  readonly contentType?: string;
}

export interface GraphRouteDef {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path under the version root, Fastify syntax: '/users/:id'. */
  readonly path: string;
  readonly versions?: readonly GraphVersion[];
  readonly permissions: PermissionSet;
  handler(req: GraphRequest): Promise<GraphResult>;
}

export const ok = (body: unknown): GraphResult => ({ status: 200, body });
export const created = (body: unknown): GraphResult => ({ status: 201, body });
export const noContent: GraphResult = { status: 204 };

/** First path segments of every registered Graph route (users, groups…), for not-found messages. */
const knownRoots = new Set<string>(['$batch']);

/** The segment Graph names in "Resource not found for the segment '…'": an unknown root, else the last one. */
export function unknownSegment(segments: readonly string[]): string {
  const first = segments[0] ?? '';
  return knownRoots.has(first.replace(/\(.*$/, '').toLowerCase()) ? (segments[segments.length - 1] ?? '') : first;
}

export function registerGraphRoutes(app: FastifyInstance, ctx: AppContext, defs: readonly GraphRouteDef[]): void {
  for (const def of defs) {
    knownRoots.add(def.path.split('/')[1]!.toLowerCase());
    for (const version of def.versions ?? GRAPH_VERSIONS) {
      app.route({
        method: def.method,
        url: `/${version}${def.path}`,
        handler: async (request, reply) => {
          const { principal, anchor } = await authenticate(ctx, request);
          if (!def.permissions.some((p) => principal.permissions.has(p))) throw forbidden();
          const result = await def.handler({
            scope: tenantScope(ctx, principal.tenantId, anchor),
            principal,
            version,
            origin: originOf(request),
            url: request.url,
            params: request.params as Record<string, string>,
            query: parseQueryOptions(request.query as Record<string, unknown>),
            body: request.body,
            headers: request.headers,
          });
          return send(reply, result);
        },
      });
    }
  }
}

export function send(reply: FastifyReply, result: GraphResult): FastifyReply {
  reply.code(result.status);
  if (result.body === undefined) return reply.send();
  if (result.contentType) return reply.type(result.contentType).send(result.body);
  return reply.type('application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8').send(JSON.stringify(result.body));
}

/** The caller, and its tenant's clock anchor (read with the tenant check, so it costs no extra query). */
async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<{ principal: Principal; anchor: ClockAnchor | null }> {
  const header = request.headers.authorization;
  if (!header) throw unauthorized('Access token is empty.');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('Access token is empty.');
  const principal = await ctx.tokens.verify(match[1]!);
  const tenant = await ctx.db.kysely
    .selectFrom('tenants')
    .leftJoin('simulation_settings', 'simulation_settings.tenant_id', 'tenants.id')
    .select(['tenants.id', 'clock_virtual_ms', 'clock_real_ms', 'clock_rate'])
    .where('tenants.id', '=', principal.tenantId)
    .executeTakeFirst();
  if (!tenant) throw unauthorized('Access token validation failure. Invalid tenant.');
  return { principal, anchor: clockAnchorOf(tenant) };
}

/** scheme://host as the client sees it (X-Forwarded-* honoured behind a load balancer). */
export function originOf(request: FastifyRequest): string {
  const origin = `${request.protocol}://${request.host}`;
  if (!URL.canParse(origin)) {
    throw new GraphError(400, 'BadRequest', `The Host, X-Forwarded-Host or X-Forwarded-Proto header does not form a valid URL: '${origin}'.`);
  }
  return origin;
}

/** Raises a 400 naming the route's missing body. */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
