// Starts a Tarmac server: resolves options (flags, environment, data folder), opens the database,
// prepares keys and TLS, creates the documented demo tenant on first start, and listens.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Db } from '../store/db.js';
import { DeploymentRunner } from '../provisioning/runner.js';
import { systemClock, type Clock } from '../core/clock.js';
import { TokenService } from '../identity/tokens.js';
import { buildApp } from './app.js';
import { DEFAULT_WEB_ROOT } from './web-app.js';
import type { AppContext } from './context.js';
import { ensureDemoTenant, demoTenantExists, DEMO } from '../control/demo-tenant.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Data folder (SQLite file, control key, local CA). Default `.tarmac` in the working directory. */
  data?: string;
  /** Keep everything in memory: nothing is written to disk. */
  memory?: boolean;
  https?: boolean;
  databaseUrl?: string;
  controlKey?: string;
  /** Create the documented demo tenant on first start (default true). */
  demo?: boolean;
  logger?: boolean;
  clock?: Clock;
  /** Folder of the admin center's build (default dist/web). */
  webRoot?: string;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  readonly url: string;
  readonly caFile?: string;
  readonly dataDir?: string;
  /** Folder the admin center is served from. */
  readonly webRoot: string;
  readonly demoCreated: boolean;
  /** Whether the demo tenant exists now (it may have been deleted since it was created). */
  readonly demoExists: boolean;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;

export const defaultDataDir = () => resolve(process.env.TARMAC_DATA ?? '.tarmac');

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  const databaseUrl = options.databaseUrl ?? process.env.TARMAC_DATABASE_URL;
  const dataDir = options.memory ? undefined : resolve(options.data ?? defaultDataDir());
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const db: Db = await openDatabase(databaseUrl ? { url: databaseUrl } : options.memory ? { memory: true } : { file: join(dataDir!, 'tarmac.db') });
  try {
    const clock = options.clock ?? systemClock;
    const tokens = new TokenService(db, clock);
    await tokens.init();
    const ctx: AppContext = { db, clock, tokens, controlKey: resolveControlKey(options, dataDir) };
    // With --memory the CA lives in a temporary folder, so clients still have a file to trust.
    const tls = options.https ? await (await import('./tls.js')).ensureTls(dataDir ? join(dataDir, 'tls') : mkdtempSync(join(tmpdir(), 'tarmac-tls-')), host) : undefined;
    const app = buildApp(ctx, { logger: options.logger, webRoot: options.webRoot, ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}) });
    const demoCreated = options.demo === false ? false : await ensureDemoTenant(ctx);
    const demoExists = await demoTenantExists(ctx);
    await app.listen({ host, port });
    const runner = new DeploymentRunner(ctx);
    runner.start();
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return {
      app,
      ctx,
      url: `${tls ? 'https' : 'http'}://${tls && shownHost === '127.0.0.1' ? 'localhost' : shownHost}:${actualPort}`,
      caFile: tls?.caFile,
      dataDir,
      webRoot: options.webRoot ?? DEFAULT_WEB_ROOT,
      demoCreated,
      demoExists,
      close: async () => {
        await runner.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** --control-key, then TARMAC_CONTROL_KEY, then the key stored in the data folder (created once). */
function resolveControlKey(options: ServeOptions, dataDir: string | undefined): string {
  const given = options.controlKey ?? process.env.TARMAC_CONTROL_KEY;
  if (given) return given;
  const generated = () => `tmk_${randomBytes(24).toString('base64url')}`;
  if (!dataDir) return generated();
  const file = join(dataDir, 'control-key');
  if (!existsSync(file)) {
    try {
      // Exclusive create: of processes starting together on one folder, one key wins and all read it.
      writeFileSync(file, `${generated()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** What `tarmac serve` prints so a newcomer can start using the server at once. */
export function banner(server: RunningServer): string {
  const u = server.url;
  const lines = [
    `Tarmac is listening on ${u}`,
    '',
    `  Graph             ${u}/v1.0  and  ${u}/beta`,
    `  Token endpoint    ${u}/{tenantId}/oauth2/v2.0/token`,
    `  OpenID config     ${u}/{tenantId}/v2.0/.well-known/openid-configuration`,
    `  Admin center      ${u}/${existsSync(join(server.webRoot, 'index.html')) ? '  (sign in with the control key, then a user of the tenant)' : '  (not built: npm run build)'}`,
    `  Control API       ${u}/_tarmac  (Authorization: Bearer <control key>)`,
    `  Control key       ${server.ctx.controlKey}`,
    `  Database          ${server.ctx.db.description}`,
  ];
  if (server.caFile) lines.push(`  Local CA          ${server.caFile}  (export NODE_EXTRA_CA_CERTS=${server.caFile})`);
  if (server.demoExists) {
    lines.push(
    '',
    `Demo tenant${server.demoCreated ? ' (created now)' : ''}: ${DEMO.tenantId} (${DEMO.domain})`,
    `  Admin app         client id ${DEMO.adminClientId}  secret ${DEMO.adminSecret}`,
    `  Users             admin@${DEMO.domain} and 15 others, password ${DEMO.userPassword}`,
    );
  }
  lines.push('', 'Press Ctrl+C to stop.');
  return lines.join('\n');
}
