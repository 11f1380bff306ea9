// Fuzzing the HTTP surface with a valid admin token: random methods on paths built from the server's own
// route list (real ids, random GUIDs, garbage and `('key')` segments), random query options (including
// broken $filter, $top and $select), random bodies and content types, and random headers.
// Whatever arrives, the server never answers 5xx, every error is in Graph's envelope (or Entra's on the
// token endpoints), and it keeps answering. fast-check prints the seed and the request of any failure.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { isEntraErrorBody, isGraphErrorBody } from '../helpers/errors.js';

// A longer local hunt: TARMAC_FUZZ_RUNS=5000 TARMAC_FUZZ_TIME_LIMIT_MS=300000 npx vitest run test/graph/fuzz.test.ts
const RUNS = Number(process.env.TARMAC_FUZZ_RUNS ?? 400);
const TIME_LIMIT_MS = Number(process.env.TARMAC_FUZZ_TIME_LIMIT_MS ?? 20_000);
const REQUEST_TIMEOUT_MS = 10_000;

let t: TestServer;
let a: TestTenant;
let routes: RouteTemplate[];
/** Ids of real objects of every kind, so requests reach the handlers and not only the 404s. */
let realIds: string[] = [];

interface RouteTemplate {
  readonly path: string;
  readonly methods: readonly string[];
}

/**
 * Reads Fastify's route tree (`printRoutes({ commonPrefix: false })`): one line per node, four columns of
 * indentation per level, `/segment (METHODS)`; a parameter with several names is printed `:a|:b`. Under the
 * root route (`/`, the admin center) the children print without their leading slash, the parent's.
 */
function parseRouteTree(tree: string): RouteTemplate[] {
  const out: RouteTemplate[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*)(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = Math.max(0, Math.round(m[1]!.length / 4) - 1);
    stack.length = depth;
    stack.push(m[2]!.replace(/:(\w+)(\|:\w+)+/g, ':$1'));
    if (m[3]) out.push({ path: stack.join(''), methods: m[3].split(',').map((s) => s.trim()) });
  }
  return out;
}

// ---- arbitraries ----------------------------------------------------------------------------------

const text = (maxLength = 30) => fc.string({ maxLength });
const anyText = (maxLength = 30) => fc.string({ unit: 'binary', maxLength });
const safeHeaderValue = (maxLength = 60) => fc.string({ unit: 'grapheme-ascii', maxLength }).map((s) => s.trim());

const GARBAGE_SEGMENTS = [
  '%00',
  '%E0%A4%A',
  '%',
  '..',
  '.',
  '%2F',
  "a'b",
  "''",
  '$ref',
  '$count',
  '$value',
  'me',
  '()',
  "('')",
  'microsoft.graph.user',
  'microsoft.graph.group',
  'microsoft.graph.device',
  'microsoft.graph.nothing',
  '%20',
  '😀',
  '\u0000',
  'x'.repeat(501),
  '00000000-0000-0000-0000-000000000000',
  'admin@contoso.onmicrosoft.com',
];

const segment = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...realIds) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...GARBAGE_SEGMENTS) },
    { weight: 1, arbitrary: text(40).map(encodeURIComponent) },
    { weight: 1, arbitrary: anyText(20).map(encodeURIComponent) },
    { weight: 1, arbitrary: text(20) },
  );

const PROPERTIES = [
  'id', 'displayName', 'userPrincipalName', 'accountEnabled', 'mail', 'mailNickname', 'givenName', 'surname', 'jobTitle',
  'createdDateTime', 'groupTypes', 'securityEnabled', 'mailEnabled', 'membershipRule', 'deviceId', 'physicalIds', 'operatingSystem',
  'trustType', 'appId', 'servicePrincipalType', 'signInAudience', 'assignedPlans', 'passwordProfile', 'extensionAttributes',
  'userType', 'businessPhones', 'nope', 'Id', 'DISPLAYNAME', 'assignedPlans/servicePlanId', 'templateReference/templateId',
];
const property = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROPERTIES) }, { weight: 1, arbitrary: text(12) });
const literal = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.string({ maxLength: 12 }).map((s) => `'${s}'`),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('true', 'false', 'null', '2024-01-01T00:00:00Z', '2024-13-45', '99999999999999999999999', "('a','b')", '()', "'\u0000'", "'😀'"),
  fc.uuid(),
  text(8),
);
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'has', 'and', 'or', 'not', 'EQ', '-eq', '=='];
const comparison = fc.tuple(property, fc.constantFrom(...OPERATORS), literal).map(([p, op, l]) => `${p} ${op} ${l}`);
const call = fc
  .tuple(fc.constantFrom('startswith', 'endswith', 'contains', 'tolower', 'any', 'all', 'length', 'substringof', 'nope'), property, literal)
  .map(([f, p, l]) => `${f}(${p},${l})`);
const lambda = fc
  .tuple(property, fc.constantFrom('any', 'all', 'ANY', 'nope'), fc.constantFrom('x', 'p', ''), comparison)
  .map(([p, op, v, body]) => `${p}/${op}(${v}:${v}${body.slice(body.indexOf(' '))})`);
const filterExpr: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    call,
    lambda,
    text(30),
    fc.tuple(tie('expr'), fc.constantFrom(' and ', ' or ', ' AND ', ' '), tie('expr')).map(([x, op, y]) => `${x}${op}${y}`),
    tie('expr').map((x) => `(${x})`),
    tie('expr').map((x) => `not ${x}`),
  ),
})).expr;
const filterValue = fc.oneof(
  { weight: 6, arbitrary: filterExpr },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => `${'('.repeat(n)}displayName eq 'x'${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, () => "displayName eq 'x'").join(' or ')) },
  { weight: 1, arbitrary: anyText(40) },
);
const listOf = (names: fc.Arbitrary<string>, separators = [',', ' ,', ';', '']) =>
  fc.tuple(fc.array(names, { maxLength: 5 }), fc.constantFrom(...separators)).map(([xs, sep]) => xs.join(sep));

const queryOption: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constantFrom('$filter', 'filter', '$FILTER'), filterValue),
  fc.tuple(fc.constantFrom('$top', '$skip', 'top'), fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.constantFrom('', '1e3', '0x10', ' 5', '9999999999', '01', '-0'), text(6))),
  fc.tuple(fc.constant('$select'), fc.oneof(listOf(property), text(20))),
  fc.tuple(fc.constant('$orderby'), fc.oneof(listOf(fc.tuple(property, fc.constantFrom('', ' asc', ' desc', ' sideways')).map(([p, d]) => p + d)), text(20))),
  fc.tuple(fc.constant('$expand'), fc.oneof(listOf(fc.constantFrom('manager', 'directReports', 'members', 'owners', 'memberOf', 'includedGroups', 'owners($select=id)', 'members($filter=x)', 'nope', '*')), text(20))),
  fc.tuple(fc.constant('$search'), fc.oneof(fc.tuple(property, text(10)).map(([p, v]) => `"${p}:${v}"`), text(20))),
  fc.tuple(fc.constant('$count'), fc.constantFrom('true', 'false', 'TRUE', 'maybe', '')),
  fc.tuple(fc.constantFrom('$skiptoken', '$skipToken'), fc.oneof(text(20), fc.integer().map((o) => Buffer.from(JSON.stringify({ o })).toString('base64url')))),
  fc.tuple(fc.constantFrom('$format', '$id', '$bogus', 'api-version', '$'), text(20)),
);
const queryString = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(queryOption, fc.boolean()), { minLength: 1, maxLength: 3 })
      .map((opts) => opts.map(([[k, v], raw]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&')),
  },
);

const jsonish = fc.jsonValue({ maxDepth: 3 });
const objectBody = fc.dictionary(fc.oneof(property, fc.constantFrom('@odata.id', '@odata.type', 'members@odata.bind', 'requests', 'keyId', 'passwordCredential', 'groupIds', 'ids', '__proto__', 'constructor')), jsonish, { maxKeys: 6 });
/** Bodies the routes accept, to be mutated one property at a time, so requests get past the first check. */
const VALID_BODIES: Record<string, unknown>[] = [
  { displayName: 'Fuzz group', mailEnabled: false, mailNickname: 'fuzzgroup', securityEnabled: true },
  { displayName: 'Fuzz team', mailEnabled: true, mailNickname: 'fuzzteam', securityEnabled: false, groupTypes: ['Unified'] },
  { displayName: 'Fuzz dynamic', mailEnabled: false, mailNickname: 'fuzzdyn', securityEnabled: true, groupTypes: ['DynamicMembership'], membershipRule: '(user.accountEnabled -eq true)' },
  { accountEnabled: true, displayName: 'Fuzz user', mailNickname: 'fuzz', userPrincipalName: 'fuzz@fuzz.onmicrosoft.com', passwordProfile: { password: 'Fuzz-Passw0rd!' } },
  { accountEnabled: true, alternativeSecurityIds: [{ type: 2, key: 'a2V5' }], deviceId: '6a59ea83-02bd-468f-a40b-f2c3d1821983', displayName: 'FUZZ-PC', operatingSystem: 'Windows', operatingSystemVersion: '10.0.1' },
  { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/6a59ea83-02bd-468f-a40b-f2c3d1821983' },
  { userDeviceQuota: 5, azureADJoin: { allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } } },
  { appliesTo: 'all' },
  { passwordCredential: { displayName: 'fuzz' } },
  { keyId: '6a59ea83-02bd-468f-a40b-f2c3d1821983' },
  { groupIds: ['6a59ea83-02bd-468f-a40b-f2c3d1821983'] },
  { securityEnabledOnly: false },
  { ids: ['6a59ea83-02bd-468f-a40b-f2c3d1821983'], types: ['user'] },
  { displayName: 'Fuzz app' },
  { appId: 'f1346770-5b25-470b-88bd-d5744ab7952c' },
];
const mutatedBody = () =>
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...VALID_BODIES),
        fc.constantFrom(...realIds).map((id) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` })),
      ),
      fc.option(fc.tuple(property, jsonish), { nil: undefined }),
    )
    .map(([base, change]) => (change ? { ...base, [change[0]]: change[1] } : base));
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;odata.metadata=minimal',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'garbage',
];
const bodies = (): fc.Arbitrary<{ text: string; contentType?: string } | undefined> => fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: mutatedBody().map((o) => ({ text: JSON.stringify(o), contentType: 'application/json' })) },
  { weight: 3, arbitrary: fc.tuple(objectBody, fc.constantFrom(...CONTENT_TYPES.slice(0, 3))).map(([o, ct]) => ({ text: JSON.stringify(o), contentType: ct })) },
  { weight: 2, arbitrary: fc.tuple(jsonish, fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined })).map(([v, ct]) => ({ text: JSON.stringify(v) ?? 'null', contentType: ct })) },
  { weight: 2, arbitrary: fc.tuple(anyText(60), fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined })).map(([s, ct]) => ({ text: s, contentType: ct })) },
  { weight: 1, arbitrary: fc.tuple(objectBody, fc.integer({ min: 1, max: 20 })).map(([o, cut]) => ({ text: JSON.stringify(o).slice(0, -cut), contentType: 'application/json' })) },
);

const headers: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.constantFrom<Record<string, string>>({ consistencylevel: 'eventual' }, { 'client-request-id': randomUUID() }) },
  { weight: 2, arbitrary: randomHeaders() },
);

function randomHeaders(): fc.Arbitrary<Record<string, string>> {
  return fc
  .record(
    {
      consistencylevel: fc.constantFrom('eventual', 'Eventual', 'strong', ''),
      'client-request-id': fc.oneof(fc.uuid(), safeHeaderValue(150)),
      'x-forwarded-host': fc.oneof(fc.constantFrom('graph.contoso.test', 'localhost:1', '[::1]', 'a b', 'exa%mple', ''), safeHeaderValue(30)),
      'x-forwarded-proto': fc.constantFrom('https', 'http', 'ftp', '1x', ''),
      prefer: fc.constantFrom('return=minimal', 'odata.maxpagesize=1', 'garbage'),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
      'if-match': safeHeaderValue(20),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')));
}

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body?: { text: string; contentType?: string };
  readonly headers: Record<string, string>;
  /** Under /{tenant}/…: the Entra endpoints, whose errors are AADSTS-shaped. */
  readonly entra: boolean;
}

/** A path from a route template: parameters filled, sometimes in the `('key')` form, sometimes mangled. */
function concretePath(template: string, values: string[], keyForm: number, mangle: number, extra: string): string {
  let i = 0;
  let path = template.replace(/:(\w+)/g, () => values[i++ % values.length]!);
  if (keyForm === 1) path = path.replace(/\/([^/]+)\/([^/$][^/]*)/, (_m, set: string, key: string) => `/${set}('${key}')`);
  if (keyForm === 2) path = path.replace(/\/([^/]+)\/([0-9a-f-]{36})/, (_m, set: string, key: string) => `/${set}(${key})`);
  if (mangle === 1) path = path.replace('/v1.0/', '/beta/');
  if (mangle === 2) path = path.replace('/beta/', '/v1.0/');
  if (mangle === 3) path = path.toUpperCase();
  if (mangle === 4) path = `${path}/${extra}`;
  if (mangle === 5) path = path.replace(/^\/(v1\.0|beta)/, '/v2.0');
  if (mangle === 6) path = `${path}/`;
  return path;
}

const batchBody = (inner: fc.Arbitrary<FuzzRequest>) =>
  fc
    .array(
      fc.tuple(inner, fc.oneof(fc.integer({ min: 0, max: 25 }).map(String), text(4)), fc.array(fc.integer({ min: 0, max: 25 }).map(String), { maxLength: 2 }), fc.boolean()),
      { maxLength: 22 },
    )
    .map((items) => ({
      text: JSON.stringify({
        requests: items.map(([r, id, dependsOn, withDeps]) => ({
          id,
          method: r.method,
          url: `${r.path.replace(/^\/(v1\.0|beta)/i, '')}${r.query ? `?${r.query}` : ''}`,
          ...(r.body ? { body: r.body.contentType?.includes('json') ? safeParse(r.body.text) : r.body.text } : {}),
          headers: { ...r.headers, ...(r.body?.contentType ? { 'content-type': r.body.contentType } : {}) },
          ...(withDeps ? { dependsOn } : {}),
        })),
      }),
      contentType: 'application/json',
    }));

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function requests(): fc.Arbitrary<FuzzRequest> {
  const plain = fc
    .tuple(
      fc.constantFrom(...routes),
      fc.array(segment(), { minLength: 3, maxLength: 3 }),
      fc.nat({ max: 6 }),
      fc.nat({ max: 20 }),
      segment(),
      fc.oneof({ weight: 6, arbitrary: fc.constant('route') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD') }),
      queryString,
      bodies(),
      headers,
    )
    .chain(([route, values, keyForm, mangle, extra, methodChoice, query, b, h]) =>
      fc.constantFrom(...route.methods).map(
        (routeMethod): FuzzRequest => ({
          method: methodChoice === 'route' ? routeMethod : methodChoice,
          path: concretePath(route.path, values, keyForm, mangle, extra),
          query,
          ...(b ? { body: b } : {}),
          headers: h,
          entra: route.path.startsWith('/:tenant') || route.path.startsWith('/common/'),
        }),
      ),
    );
  return fc.oneof(
    { weight: 9, arbitrary: plain },
    {
      weight: 1,
      arbitrary: fc.tuple(batchBody(plain), fc.constantFrom('/v1.0/$batch', '/beta/$batch'), headers).map(
        ([b, path, h]): FuzzRequest => ({ method: 'POST', path, query: '', body: b, headers: h, entra: false }),
      ),
    },
  );
}

// ---- the test ---------------------------------------------------------------------------------------

async function send(r: FuzzRequest): Promise<Response> {
  const url = `${t.url}${r.path}${r.query ? `?${r.query}` : ''}`;
  const withBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
  return fetch(url, {
    method: r.method,
    headers: {
      ...r.headers,
      authorization: `Bearer ${a.token}`,
      ...(withBody && r.body!.contentType ? { 'content-type': r.body!.contentType } : {}),
    },
    ...(withBody ? { body: r.body!.text } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

async function checkResponse(r: FuzzRequest, res: Response): Promise<void> {
  const text = await res.text();
  const where = `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  expect(res.headers.get('request-id'), where).toMatch(/^[0-9a-f-]{36}$/);
  if (r.method === 'HEAD' || res.status === 204) return;
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status >= 300) {
    expect(contentType, where).toMatch(/^application\/json/);
    const parsed = JSON.parse(text);
    const shaped = isGraphErrorBody(parsed) || (r.entra && isEntraErrorBody(parsed));
    expect(shaped, `error body not in the Graph envelope: ${where}`).toBe(true);
    expect(text, where).not.toMatch(/\bat .+\.(ts|js):\d+/);
  } else if (contentType.includes('json')) {
    expect(() => JSON.parse(text), where).not.toThrow();
  }
}

beforeAll(async () => {
  t = await startTestServer();
  a = await createTestTenant(t, 'demo', 'Fuzz');
  routes = parseRouteTree(t.server.app.printRoutes({ commonPrefix: false }));
  const ids = new Set<string>([a.tenantId]);
  for (const path of ['/v1.0/users?$top=999', '/v1.0/groups?$top=999', '/v1.0/devices?$top=999', '/v1.0/applications', '/v1.0/servicePrincipals', '/beta/policies/mobileDeviceManagementPolicies']) {
    const res = await json(a.graph('GET', path));
    expect(res.status).toBe(200);
    for (const o of res.body.value as { id: string; userPrincipalName?: string }[]) {
      ids.add(o.id);
      if (o.userPrincipalName) ids.add(encodeURIComponent(o.userPrincipalName));
    }
  }
  realIds = [...ids];
});
afterAll(() => t?.close());

describe('fuzz', () => {
  it('reads the real route list', () => {
    const paths = routes.map((r) => r.path);
    for (const expected of ['/v1.0/users/:id', '/v1.0/groups/:id/members/$ref', '/beta/policies/mobiledevicemanagementpolicies/:id/includedgroups/$ref', '/v1.0/$batch', '/:tenant/oauth2/v2.0/token']) {
      expect(paths).toContain(expected);
    }
    expect(routes.find((r) => r.path === '/v1.0/users/:id')?.methods).toEqual(expect.arrayContaining(['GET', 'PATCH', 'DELETE']));
    expect(realIds.length).toBeGreaterThan(20);
  });

  it(
    `answers ${RUNS} random requests without a 5xx, each error in Graph's envelope`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(requests(), async (r) => {
          await checkResponse(r, await send(r));
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
      );
      expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS + REQUEST_TIMEOUT_MS);
    },
    TIME_LIMIT_MS + 40_000,
  );

  it('answers a burst of concurrent random requests, then still serves normal ones', async () => {
    const burst = fc.sample(requests(), 60);
    const responses = await Promise.all(burst.map(async (r) => [r, await send(r)] as const));
    for (const [r, res] of responses) await checkResponse(r, res);

    // The fuzz may have deleted anything in its tenant (even the admin application), so the checks use the
    // token it holds and a tenant created now.
    expect((await a.graph('GET', '/v1.0/users?$top=5')).status).toBe(200);
    const fresh = await createTestTenant(t, 'demo', 'After the fuzz');
    const users = await json(fresh.graph('GET', '/v1.0/users?$top=5'));
    expect(users.status).toBe(200);
    expect(users.body.value).toHaveLength(5);
  });
});
