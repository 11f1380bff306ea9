// How a `tarmac` command talks to a running server: like any Graph client, with an app token from the
// tenant's token endpoint (client credentials) and Graph calls over HTTP. Defaults are the documented demo
// tenant, so `tarmac import …` works against `npm start` as it is.
import type { Command } from 'commander';
import { DEMO } from '../control/demo-tenant.js';
import { DEFAULT_PORT } from '../server/start.js';

export interface ConnectionOptions {
  readonly url: string;
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Adds --url, --tenant, --client-id and --client-secret to a command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the Tarmac server', `http://127.0.0.1:${DEFAULT_PORT}`)
    .option('--tenant <id>', 'tenant id', DEMO.tenantId)
    .option('--client-id <id>', 'application (client) id with DeviceManagementServiceConfig.ReadWrite.All', DEMO.adminClientId)
    .option('--client-secret <secret>', 'its client secret', DEMO.adminSecret);
}

export class ConnectionError extends Error {}

export interface GraphAnswer<T = any> {
  readonly status: number;
  readonly body: T;
}

export class GraphConnection {
  private constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  /** Gets a token; fails with a message a person can act on (server down, wrong tenant or secret). */
  static async connect(options: ConnectionOptions): Promise<GraphConnection> {
    const base = options.url.replace(/\/+$/, '');
    let res: Response;
    try {
      res = await fetch(`${base}/${encodeURIComponent(options.tenant)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      });
    } catch (err) {
      throw new ConnectionError(`cannot reach Tarmac at ${base} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}); is \`tarmac serve\` running?`);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; error_description?: string; error?: string };
    if (!body.access_token) throw new ConnectionError(`no token for tenant ${options.tenant}: ${body.error_description ?? body.error ?? `HTTP ${res.status}`}`);
    return new GraphConnection(base, body.access_token);
  }

  /** One Graph call; `path` starts with the version, e.g. '/beta/deviceManagement/…'. */
  async call<T = any>(method: string, path: string, body?: unknown): Promise<GraphAnswer<T>> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A call that must succeed; a Graph error becomes a ConnectionError with the service's message. */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status !== status) {
      const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ConnectionError(`${method} ${path.split('?')[0]} answered ${answer.status}${error ? ` ${error.code}: ${error.message}` : ''}`);
    }
    return answer.body;
  }
}
