// Running deployments to their end at once: the tenant's virtual clock jumps to each next transition until
// nothing waits on time any more (or, for one deployment, until that one no longer does).
import type { AppContext } from '../server/context.js';
import { tenantScopeNow } from '../server/context.js';
import { getDeployment, processDue } from './engine.js';
import { changeClock } from './simulation.js';

/** A deployment that waits on time forever is impossible (every wait ends at an item or a deadline), but bound it. */
const MAX_JUMPS = 100_000;

async function jumpTo(ctx: AppContext, tenantId: string, wake: number): Promise<number> {
  const scope = await tenantScopeNow(ctx, tenantId);
  const now = scope.clock.now();
  if (wake > now) await changeClock(ctx, tenantId, { advanceSeconds: (wake - now) / 1000 });
  return processDue(await tenantScopeNow(ctx, tenantId));
}

export async function runDeploymentToEnd(ctx: AppContext, tenantId: string, deploymentId: string): Promise<void> {
  for (let i = 0; i < MAX_JUMPS; i++) {
    const deployment = await getDeployment(await tenantScopeNow(ctx, tenantId), deploymentId);
    if (deployment.wakeAt === null) return;
    await jumpTo(ctx, tenantId, deployment.wakeAt);
  }
}

/** Runs every deployment of the tenant until none waits on time; returns how many transitions batches moved. */
export async function runTenantUntilIdle(ctx: AppContext, tenantId: string): Promise<number> {
  let moved = 0;
  for (let i = 0; i < MAX_JUMPS; i++) {
    const scope = await tenantScopeNow(ctx, tenantId);
    const next = await scope.db.selectFrom('deployments').select((eb) => eb.fn.min('wake_at').as('wake')).where('tenant_id', '=', tenantId).executeTakeFirst();
    if (next?.wake === null || next?.wake === undefined) return moved;
    moved += await jumpTo(ctx, tenantId, Number(next.wake));
  }
  return moved;
}
