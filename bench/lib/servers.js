// The servers a foundation bench compares: Tarmac as `tarmac serve` runs it, and bare Fastify baselines,
// all started as `node` child processes the same way (the load generator stays in the bench process).
import { freePort, spawnNode, stop, tempDir, waitForAnswer } from './proc.js';

/**
 * The baseline: Fastify with no plugins and no logger, as `node -e` runs it. `GET /` answers a hello world;
 * `POST /batch` parses the JSON body and answers one canned 201 per request in it (the HTTP and JSON
 * cost of a $batch round trip with no directory work), for the import baseline.
 */
export const BARE_FASTIFY_SOURCE = `
const Fastify = require('fastify');
const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.get('/', async () => ({ hello: 'world' }));
app.post('/batch', async (request) => ({
  responses: request.body.requests.map((r) => ({ id: r.id, status: 201, headers: { 'content-type': 'application/json' },
    body: { id: '00000000-0000-0000-0000-000000000000', ...r.body, passwordProfile: { ...r.body.passwordProfile, password: null } } })),
}));
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }).catch((err) => { console.error(err); process.exit(1); });
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

/**
 * A second, informative baseline for the users list: bare Fastify serving the same page straight from
 * Tarmac's SQLite file with better-sqlite3 (same query, same v1.0 default properties, same JSON), but
 * with no token check, no Kysely and no OData layer. The gap to it is the cost of Tarmac's own layers.
 */
export const BARE_SQLITE_SOURCE = `
const Fastify = require('fastify');
const Database = require('better-sqlite3');
const db = new Database(process.env.DB_FILE, { fileMustExist: true });
const page = db.prepare('select id, data from users where tenant_id = ? order by id limit ? offset ?');
const PROPS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName'];
const app = Fastify({ logger: false });
app.get('/v1.0/users', async (request, reply) => {
  const top = Number(request.query.$top ?? 100);
  const rows = page.all(process.env.TENANT_ID, top + 1, 0);
  const value = rows.slice(0, top).map((r) => {
    const data = JSON.parse(r.data);
    const out = {};
    for (const p of PROPS) out[p] = data[p] ?? null;
    out.id = r.id;
    return out;
  });
  const origin = 'http://' + request.host;
  const body = { '@odata.context': origin + '/v1.0/$metadata#users' };
  if (rows.length > top) body['@odata.nextLink'] = origin + '/v1.0/users?$top=' + top + '&$skiptoken=' + Buffer.from(JSON.stringify({ o: top })).toString('base64url');
  body.value = value;
  reply.type('application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8').send(JSON.stringify(body));
});
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }).catch((err) => { console.error(err); process.exit(1); });
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

async function startNodeEval(source, env, readyPath) {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const proc = spawnNode(['-e', source], { ...env, PORT: String(port) });
  const coldMs = await waitForAnswer(proc, port, readyPath, start);
  return { ...proc, port, coldMs, stop: () => stop(proc) };
}

/** Starts the bare Fastify hello world; resolves once it answers, with the milliseconds that took. */
export const startBare = () => startNodeEval(BARE_FASTIFY_SOURCE, {}, '/');

/** Starts the bare Fastify + better-sqlite3 users page over an existing Tarmac database file. */
export const startBareSqlite = (dbFile, tenantId) => startNodeEval(BARE_SQLITE_SOURCE, { DB_FILE: dbFile, TENANT_ID: tenantId }, '/');

/**
 * Starts `node bin/tarmac.js serve` on a SQLite file in a new temporary data folder (or `dataDir`);
 * resolves once it answers any HTTP request (GET /v1.0/users answers 401 without a token).
 * @param {{ dataDir?: string, controlKey?: string }} [options]
 */
export async function startTarmac({ dataDir, controlKey = 'bench-control-key' } = {}) {
  const port = await freePort();
  const data = dataDir ?? tempDir('data');
  const start = process.hrtime.bigint();
  const proc = spawnNode(['bin/tarmac.js', 'serve', '--port', String(port), '--data', data, '--no-demo', '--control-key', controlKey]);
  const coldMs = await waitForAnswer(proc, port, '/v1.0/users', start);
  return { ...proc, port, coldMs, dataDir: data, controlKey, stop: () => stop(proc) };
}
