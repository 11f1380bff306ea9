// The demo tenant `npm start` creates on first start, with fixed, documented identifiers so that the
// README, docs and scripts can use them as they are.
import type { AppContext } from '../server/context.js';
import { isUniqueViolation } from '../store/db.js';
import { createTenant } from './tenants.js';

export const DEMO = {
  tenantId: '7a3c4d5e-1b2c-4d3e-8f4a-5b6c7d8e9f00',
  domain: 'contoso.onmicrosoft.com',
  displayName: 'Contoso',
  adminClientId: '0f3a5e7c-2d4b-4c6e-9a8b-1c2d3e4f5a6b',
  adminSecret: 'tarmac-demo-admin-secret',
  userPassword: 'Tarmac-Demo-2026!',
} as const;

const MARKER = 'demo_tenant_created';

/** Creates the demo tenant unless this database ever had it (a deleted demo tenant stays deleted). */
export async function ensureDemoTenant(ctx: AppContext): Promise<boolean> {
  const marker = await ctx.db.kysely.selectFrom('meta').select('value').where('key', '=', MARKER).executeTakeFirst();
  if (marker) return false;
  try {
    await createTenant(ctx, {
      displayName: DEMO.displayName,
      seed: 'demo',
      fixed: { tenantId: DEMO.tenantId, domain: DEMO.domain, adminClientId: DEMO.adminClientId, adminSecret: DEMO.adminSecret },
      userPassword: DEMO.userPassword,
      // The marker commits with the tenant: a crash cannot leave one without the other.
      alsoWrite: async (tx) => {
        await tx.db.insertInto('meta').values({ key: MARKER, value: new Date(ctx.clock.now()).toISOString() }).execute();
      },
    });
    return true;
  } catch (err) {
    // Another process sharing the database created it first.
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function demoTenantExists(ctx: AppContext): Promise<boolean> {
  return !!(await ctx.db.kysely.selectFrom('tenants').select('id').where('id', '=', DEMO.tenantId).executeTakeFirst());
}
