// The token endpoint's logic: client credentials and resource-owner password grants, with Entra's
// AADSTS errors. Source: Microsoft identity platform docs v2-oauth2-client-creds-grant-flow.md and
// v2-oauth-ropc.md; error codes from the AADSTS reference (graph-api.md §11.1).
import { randomUUID } from 'node:crypto';
import type { AppContext, Scope } from '../server/context.js';
import { tenantScope } from '../server/context.js';
import { isGuid } from '../core/ids.js';
import { readJson } from '../store/db.js';
import { verifyPassword } from '../core/password.js';
import { findApplicationByAppId, secretMatches } from './applications.js';
import { findServicePrincipalByAppId } from './service-principals.js';
import { GRAPH_APP_ID } from './tokens.js';

export class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }

  body(now: Date): Record<string, unknown> {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = now.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }
}

const missing = (param: string) =>
  new TokenError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${param}'.`);

const GRAPH_RESOURCES = ['https://graph.microsoft.com', GRAPH_APP_ID];
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Resolves `{tenant}` in the URL (tenant id or verified domain) to a tenant id. */
export async function resolveTenant(ctx: AppContext, tenant: string): Promise<{ id: string; domain: string }> {
  const q = ctx.db.kysely.selectFrom('tenants').select(['id', 'domain']);
  // Text with a NUL matches no stored name (and PostgreSQL refuses to compare it).
  const row = isGuid(tenant)
    ? await q.where('id', '=', tenant.toLowerCase()).executeTakeFirst()
    : tenant.includes('\u0000')
      ? undefined
      : await q.where('domain', '=', tenant.toLowerCase()).executeTakeFirst();
  if (!row) {
    throw new TokenError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  return row;
}

export interface TokenRequest {
  readonly tenant: string;
  readonly form: Record<string, string>;
  /** `Authorization: Basic` credentials (client_secret_basic), if sent. */
  readonly basic?: { clientId: string; secret: string };
  /** Issuer of id_tokens: this server's v2.0 authority for the tenant. */
  readonly issuer: (tenantId: string) => string;
}

export async function issueToken(ctx: AppContext, req: TokenRequest): Promise<Record<string, unknown>> {
  const tenant = await resolveTenant(ctx, req.tenant);
  const scope = tenantScope(ctx, tenant.id);
  const grant = req.form.grant_type;
  if (!grant) throw missing('grant_type');
  const clientId = (req.form.client_id ?? req.basic?.clientId)?.toLowerCase();
  if (!clientId) throw missing('client_id');
  const secret = req.form.client_secret ?? req.basic?.secret;

  const app = isGuid(clientId) ? await findApplicationByAppId(scope, clientId) : undefined;
  if (!app) {
    throw new TokenError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (secret !== undefined && !secretMatches(app.secrets, secret, ctx.clock.now())) {
    throw new TokenError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  const sp = await findServicePrincipalByAppId(scope, clientId);
  if (!sp) {
    throw new TokenError(400, 'invalid_client', 7000229, `The client application ${clientId} is missing service principal in the tenant ${tenant.id}.`);
  }
  const granted: string[] = JSON.parse(sp.permissions);
  const appName = String(readJson(app.data).displayName ?? '');

  if (grant === 'client_credentials') {
    if (secret === undefined) {
      throw new TokenError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    checkAppScope(req.form.scope, tenant.domain);
    const token = await ctx.tokens.issueAppToken({ tenantId: tenant.id, appId: clientId, servicePrincipalId: sp.id, appDisplayName: appName, roles: granted });
    return { token_type: 'Bearer', expires_in: token.expiresIn, ext_expires_in: token.expiresIn, access_token: token.accessToken };
  }
  if (grant === 'password') {
    // Without a secret, only a public client ("Allow public client flows") may use the password grant.
    if (secret === undefined && readJson(app.data).isFallbackPublicClient !== true) {
      throw new TokenError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    return passwordGrant(ctx, scope, req, { clientId, appName, granted, tenantDomain: tenant.domain });
  }
  throw new TokenError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
}

function checkAppScope(scopeParam: string | undefined, tenantDomain: string): void {
  if (!scopeParam) throw missing('scope');
  const scopes = scopeParam.split(' ').filter(Boolean);
  for (const s of scopes) {
    if (!s.endsWith('/.default')) {
      throw new TokenError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${s} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resource = s.slice(0, -'/.default'.length);
    if (!GRAPH_RESOURCES.includes(resource)) {
      throw new TokenError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantDomain}.`);
    }
  }
}

async function passwordGrant(
  ctx: AppContext,
  scope: Scope,
  req: TokenRequest,
  app: { clientId: string; appName: string; granted: string[]; tenantDomain: string },
): Promise<Record<string, unknown>> {
  const username = req.form.username;
  const password = req.form.password;
  if (!username) throw missing('username');
  if (password === undefined) throw missing('password');
  const user = username.includes('\u0000')
    ? undefined
    : await scope.db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', scope.tenantId)
        .where('upn_key', '=', username.toLowerCase())
        .executeTakeFirst();
  if (!user || !verifyPassword(password, user.password_hash)) {
    throw new TokenError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
  }
  const data = readJson(user.data);
  if (data.accountEnabled === false) throw new TokenError(400, 'invalid_grant', 50057, 'The user account is disabled.');

  const requested = (req.form.scope ?? '').split(' ').filter(Boolean);
  const scopes = new Set<string>();
  for (const s of requested) {
    if (OIDC_SCOPES.has(s)) continue;
    const name = s.startsWith('https://graph.microsoft.com/') ? s.slice('https://graph.microsoft.com/'.length) : s;
    if (name === '.default') {
      app.granted.forEach((g) => scopes.add(g));
    } else if (app.granted.includes(name)) {
      scopes.add(name);
    } else {
      throw new TokenError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.appName}'. Send an interactive authorization request for this user and resource.`,
      );
    }
  }
  if (scopes.size === 0) app.granted.forEach((g) => scopes.add(g));
  const upn = String(data.userPrincipalName);
  const name = String(data.displayName ?? upn);
  const token = await ctx.tokens.issueUserToken({ tenantId: scope.tenantId, appId: app.clientId, userId: user.id, upn, name, scopes: [...scopes] });
  const response: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...scopes].map((s) => `https://graph.microsoft.com/${s}`).join(' '),
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  };
  if (requested.includes('openid') || requested.includes('profile')) {
    response.id_token = await ctx.tokens.issueIdToken({ tenantId: scope.tenantId, appId: app.clientId, userId: user.id, upn, name, issuer: req.issuer(scope.tenantId) });
    response.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: scope.tenantId })).toString('base64url');
  }
  return response;
}
