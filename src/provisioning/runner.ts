// Keeps deployments moving while nobody asks: every server process looks for deployments whose next
// transition is due on their tenant's clock and takes it. Deadlines live in the database, so a process that
// starts after another died picks up where it stopped (DESIGN principle 6), and several processes can run
// this at once: each transaction re-reads what it advances under the tenant's write lock.
import type { AppContext } from '../server/context.js';
import { tenantScopeNow } from '../server/context.js';
import { processDue } from './engine.js';

export class DeploymentRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly ctx: AppContext, private readonly intervalMs = 250) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err) => {
          // A failed tick (the database busy, a tenant deleted meanwhile) is retried on the next one.
          if (!this.stopped) process.emitWarning(`deployment runner: ${(err as Error).message}`);
        })
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One pass: every tenant with a transition due on its own clock. Returns when they have all moved. */
  async tick(): Promise<void> {
    const rows = await this.ctx.db.kysely
      .selectFrom('deployments')
      .select(['tenant_id', (eb) => eb.fn.min('wake_at').as('wake')])
      .where('wake_at', 'is not', null)
      .groupBy('tenant_id')
      .execute();
    for (const row of rows) {
      if (this.stopped) return;
      const scope = await tenantScopeNow(this.ctx, row.tenant_id);
      if (Number(row.wake) <= scope.clock.now()) await processDue(scope);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
