// What a bench needs to talk to a running Tarmac: a tenant through the control API, an app token, and
// user creation through Graph JSON batching.
import { buildRequest, openConnections } from './load.js';

const PASSWORD = 'Bench-Passw0rd!';

/** Creates an empty tenant and returns its id, domain and an admin app token. */
export async function createTenantWithToken(server) {
  const base = `http://127.0.0.1:${server.port}`;
  const res = await fetch(`${base}/_tarmac/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.controlKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ seed: 'empty' }),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${await res.text()}`);
  const tenant = await res.json();
  const tokenRes = await fetch(`${base}/${tenant.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.admin.clientId,
      client_secret: tenant.admin.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  const token = await tokenRes.json();
  if (!token.access_token) throw new Error(`token request failed: ${JSON.stringify(token)}`);
  return { tenantId: tenant.tenantId, domain: tenant.domain, token: token.access_token };
}

/** The body of `POST /users` for the n-th bench user. */
export function userBody(n, domain) {
  const nick = `bench.user${n}`;
  return {
    accountEnabled: true,
    displayName: `Bench User ${n}`,
    givenName: 'Bench',
    surname: `User ${n}`,
    department: n % 2 ? 'Sales' : 'Engineering',
    mailNickname: `benchuser${n}`,
    userPrincipalName: `${nick}@${domain}`,
    passwordProfile: { forceChangePasswordNextSignIn: false, password: PASSWORD },
  };
}

/** A JSON batch creating users first..first+count-1. */
export function userBatch(first, count, domain) {
  const requests = [];
  for (let i = 0; i < count; i++) {
    requests.push({ id: String(i + 1), method: 'POST', url: '/users', headers: { 'Content-Type': 'application/json' }, body: userBody(first + i, domain) });
  }
  return { requests };
}

/**
 * Sends `total` users as batches of `batchSize` over `inFlight` keep-alive connections (one batch in
 * flight per connection) to `path`, and checks every answer in every batch is a 201.
 * Returns the seconds from the first batch sent to the last answer read.
 * @param {{ port: number, path: string, token?: string, domain: string, total: number, batchSize?: number, inFlight?: number, first?: number }} o
 */
export async function importUsers({ port, path, token, domain, total, batchSize = 20, inFlight = 4, first = 0 }) {
  const conns = await openConnections(port, inFlight);
  const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  let next = 0;
  const batches = Math.ceil(total / batchSize);
  const t0 = process.hrtime.bigint();
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (next < batches) {
          const b = next++;
          const count = Math.min(batchSize, total - b * batchSize);
          const body = JSON.stringify(userBatch(first + b * batchSize, count, domain));
          const r = await c.send(buildRequest({ port, method: 'POST', path, headers, body }), true);
          if (r.status !== 200) throw new Error(`batch answered ${r.status}: ${r.body.toString().slice(0, 500)}`);
          const { responses } = JSON.parse(r.body.toString());
          const failed = responses.find((x) => x.status !== 201);
          if (responses.length !== count || failed) throw new Error(`a request in the batch failed: ${JSON.stringify(failed ?? responses.length).slice(0, 500)}`);
        }
      }),
    );
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    for (const c of conns) c.close();
  }
}
