// Tenants: creating one with what every real tenant has (the admin application, Microsoft's first-party
// service principals, the Entra device policies), listing and deleting them.
import type { AppContext, Scope } from '../server/context.js';
import { inTransaction, tenantScope } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { GraphError, badRequest } from '../graph/errors.js';
import { isUniqueViolation, readJson, writeJson } from '../store/db.js';
import { GRAPH_PERMISSIONS } from '../identity/permissions.js';
import { addPassword, createApplication } from '../identity/applications.js';
import { FIRST_PARTY_APPS, createServicePrincipal } from '../identity/service-principals.js';
import { defaultDeviceRegistrationPolicy, DEVICE_REGISTRATION_POLICY_ID } from '../directory/device-registration-policy.js';
import { insertDefaultMobilityPolicies } from '../directory/mobility-policies.js';
import { createDefaultEnrollmentConfigurations } from '../intune/enrollment-defaults.js';
import { seedDemoDirectory, type SeededUser } from './demo-seed.js';

export type Seed = 'empty' | 'demo';

export interface CreateTenantInput {
  readonly displayName?: string;
  readonly seed?: Seed;
  /** Fixed identifiers, for the documented demo tenant. */
  readonly fixed?: { tenantId: string; domain: string; adminClientId: string; adminSecret: string };
  /** One password for every seeded user (the documented demo tenant); random ones otherwise. */
  readonly userPassword?: string;
  /** More writes that must commit with the tenant, in its transaction. */
  readonly alsoWrite?: (tx: Scope) => Promise<void>;
}

export interface CreatedTenant {
  tenantId: string;
  domain: string;
  displayName: string;
  admin: { clientId: string; clientSecret: string };
  users: SeededUser[];
}

export const ADMIN_APP_NAME = 'Tarmac Admin';

export function parseCreateTenant(body: unknown): CreateTenantInput {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (key !== 'displayName' && key !== 'seed') throw badRequest(`Property '${key}' is not recognised; use 'displayName' and 'seed'.`, key);
  }
  if (b.displayName !== undefined && (typeof b.displayName !== 'string' || b.displayName.trim() === '' || b.displayName.length > 256)) {
    throw badRequest("'displayName' must be a non-empty string of at most 256 characters.", 'displayName');
  }
  if (b.seed !== undefined && b.seed !== 'empty' && b.seed !== 'demo') throw badRequest("'seed' must be 'empty' or 'demo'.", 'seed');
  return { displayName: b.displayName as string | undefined, seed: b.seed as Seed | undefined };
}

export async function createTenant(ctx: AppContext, input: CreateTenantInput): Promise<CreatedTenant> {
  // Tenants created at the same moment may pick the same free domain; the one that loses the race picks again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await createTenantOnce(ctx, input);
    } catch (err) {
      if (input.fixed || attempt >= 10 || !isUniqueViolation(err)) throw err;
    }
  }
}

async function createTenantOnce(ctx: AppContext, input: CreateTenantInput): Promise<CreatedTenant> {
  const tenantId = input.fixed?.tenantId ?? newId();
  const displayName = input.displayName ?? (input.seed === 'demo' ? 'Contoso' : 'Tarmac tenant');
  const domain = input.fixed?.domain ?? (await freeDomain(ctx, displayName));
  const scope = tenantScope(ctx, tenantId);
  return inTransaction(scope, async (tx) => {
    await tx.db.insertInto('tenants').values({ id: tenantId, domain, display_name: displayName, created_at: isoNow(tx.clock) }).execute();
    const admin = await createAdminApplication(tx, input.fixed);
    for (const appId of Object.keys(FIRST_PARTY_APPS)) await createServicePrincipal(tx, { appId });
    await tx.db
      .insertInto('policies')
      .values({ tenant_id: tenantId, id: DEVICE_REGISTRATION_POLICY_ID, kind: 'deviceRegistrationPolicy', data: writeJson(defaultDeviceRegistrationPolicy()) })
      .execute();
    await insertDefaultMobilityPolicies(tx);
    await createDefaultEnrollmentConfigurations(tx);
    const users = input.seed === 'demo' ? await seedDemoDirectory(tx, domain, input.userPassword) : [];
    await input.alsoWrite?.(tx);
    return { tenantId, domain, displayName, admin, users };
  });
}

/** The tenant's administration app: every Graph application permission Tarmac serves, and public client flows on. */
async function createAdminApplication(scope: Scope, fixed?: CreateTenantInput['fixed']) {
  const app = await createApplication(scope, { displayName: ADMIN_APP_NAME, isFallbackPublicClient: true }, fixed?.adminClientId ?? newId());
  await createServicePrincipal(scope, { appId: app.appId }, GRAPH_PERMISSIONS);
  const secret = await addPassword(scope, app.id, { passwordCredential: { displayName: 'Tarmac admin secret' } }, fixed?.adminSecret);
  return { clientId: String(app.appId), clientSecret: String(secret.secretText) };
}

async function freeDomain(ctx: AppContext, displayName: string): Promise<string> {
  const base = displayName.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20) || 'tenant';
  for (let i = 0; ; i++) {
    const candidate = `${base}${i === 0 ? '' : i}.onmicrosoft.com`;
    const taken = await ctx.db.kysely.selectFrom('tenants').select('id').where('domain', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
}

export interface TenantSummary {
  tenantId: string;
  domain: string;
  displayName: string;
  createdDateTime: string;
  /** The admin application's client id (a public client: the admin center signs users in with it), or null if it was deleted. */
  adminClientId: string | null;
}

export async function listTenants(ctx: AppContext): Promise<TenantSummary[]> {
  const rows = await ctx.db.kysely.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
  const admins = await adminClientIds(ctx);
  return rows.map((r) => tenantSummary(r, admins.get(r.id) ?? null));
}

export async function getTenantSummary(ctx: AppContext, id: string): Promise<TenantSummary> {
  const row = await getTenant(ctx, id);
  return tenantSummary(row, (await adminClientIds(ctx, row.id)).get(row.id) ?? null);
}

function tenantSummary(r: { id: string; domain: string; display_name: string; created_at: string }, adminClientId: string | null): TenantSummary {
  return { tenantId: r.id, domain: r.domain, displayName: r.display_name, createdDateTime: r.created_at, adminClientId };
}

/**
 * Each tenant's admin application: the public client named ADMIN_APP_NAME, the oldest if Graph made more.
 * Found by name rather than stored, so snapshots and tenants made before need nothing new.
 */
async function adminClientIds(ctx: AppContext, tenantId?: string): Promise<Map<string, string>> {
  let q = ctx.db.kysely.selectFrom('applications').select(['tenant_id', 'app_id', 'data']);
  if (tenantId) q = q.where('tenant_id', '=', tenantId);
  const best = new Map<string, { appId: string; created: string }>();
  for (const row of await q.execute()) {
    const data = readJson(row.data);
    if (data.displayName !== ADMIN_APP_NAME || data.isFallbackPublicClient !== true) continue;
    const created = String(data.createdDateTime ?? '');
    const current = best.get(row.tenant_id);
    if (!current || created < current.created || (created === current.created && row.app_id < current.appId)) best.set(row.tenant_id, { appId: row.app_id, created });
  }
  return new Map([...best].map(([tenant, { appId }]) => [tenant, appId]));
}

export async function getTenant(ctx: AppContext, id: string) {
  const row = isGuid(id) ? await ctx.db.kysely.selectFrom('tenants').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst() : undefined;
  if (!row) throw new GraphError(404, 'NotFound', `Tenant '${id}' does not exist.`);
  return row;
}

/** Deletes the tenant and, through the foreign keys, every row it owns. */
export async function deleteTenant(ctx: AppContext, id: string): Promise<void> {
  const row = await getTenant(ctx, id);
  await ctx.db.kysely.deleteFrom('tenants').where('id', '=', row.id).execute();
}
