// Test harness: a real Tarmac server on a random port, on SQLite in memory, or on PostgreSQL in a fresh
// schema when TARMAC_TEST_DATABASE_URL is set (the same suites run on both databases).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/start.js';

export const PG_URL = process.env.TARMAC_TEST_DATABASE_URL;
export const dialectName = PG_URL ? 'postgres' : 'sqlite';

export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly controlKey: string;
  /** A database URL other processes can use to share this server's database (PostgreSQL only). */
  readonly databaseUrl?: string;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** A fresh PostgreSQL schema for one test file, dropped by the returned cleanup. */
export async function freshPgSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = `${PG_URL}${PG_URL!.includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export async function startTestServer(options: ServeOptions = {}): Promise<TestServer> {
  const pgSchema = PG_URL && !options.databaseUrl ? await freshPgSchema() : undefined;
  const controlKey = `test-${randomBytes(8).toString('hex')}`;
  const server = await startServer({
    port: 0,
    memory: !pgSchema && !options.databaseUrl,
    demo: false,
    controlKey,
    ...(pgSchema ? { databaseUrl: pgSchema.url } : {}),
    ...options,
  });
  return {
    server,
    url: server.url,
    controlKey,
    databaseUrl: options.databaseUrl ?? pgSchema?.url,
    control: (method, path, body) =>
      fetch(`${server.url}/_tarmac${path}`, {
        method,
        headers: { authorization: `Bearer ${controlKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: async () => {
      await server.close();
      await pgSchema?.drop();
    },
  };
}

export interface TestTenant {
  readonly tenantId: string;
  readonly domain: string;
  readonly admin: { clientId: string; clientSecret: string };
  readonly users: { id: string; userPrincipalName: string; password: string }[];
  readonly token: string;
  /** Calls Graph with the admin token; `path` includes the version, e.g. '/v1.0/users'. */
  graph(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The same with another bearer token. */
  graphAs(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function getToken(baseUrl: string, tenantId: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

export async function appToken(baseUrl: string, tenantId: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await getToken(baseUrl, tenantId, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope: 'https://graph.microsoft.com/.default',
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function createTestTenant(t: TestServer, seed: 'empty' | 'demo' = 'empty', displayName?: string): Promise<TestTenant> {
  const res = await t.control('POST', '/tenants', { seed, ...(displayName ? { displayName } : {}) });
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as Omit<TestTenant, 'token' | 'graph' | 'graphAs'>;
  const token = await appToken(t.url, created.tenantId, created.admin.clientId, created.admin.clientSecret);
  const graphAs: TestTenant['graphAs'] = (tok, method, path, body, headers = {}) =>
    fetch(`${t.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tok}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { ...created, token, graphAs, graph: (method, path, body, headers) => graphAs(token, method, path, body, headers) };
}

/** Reads a JSON body and returns it with the status, for compact assertions. */
export async function json<T = any>(res: Response | Promise<Response>): Promise<{ status: number; body: T }> {
  const r = await res;
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
}
