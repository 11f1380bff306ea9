// Bad input, route by route (DESIGN principle 7): malformed JSON, wrong types, missing required fields,
// invalid ids, over-long strings, unknown properties, bad query options and broken references each get a
// Graph-shaped 4xx that names the field, and the tenant's stored state is exactly what it was before.
// The state is compared through a full tenant snapshot, so a half-written change anywhere shows up.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, getToken, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { expectGraphError, type GraphErrorExpectation } from '../helpers/errors.js';

const INTUNE_MDM_POLICY = '0000000a-0000-0000-c000-000000000000';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const PASSWORD = 'Tarmac-Test-Passw0rd!';

let t: TestServer;
let a: TestTenant;
let other: TestTenant;

/** Objects the cases refer to, created through Graph before the cases run. */
const fx = {
  user: { id: '', upn: '' },
  user2: { id: '', upn: '' },
  group: '',
  unified: '',
  device: { id: '', deviceId: '' },
  app: { id: '', appId: '', keyId: '' },
  /** A user of the other tenant. */
  stranger: '',
};

const long = (n: number) => 'x'.repeat(n);
const directoryRef = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const validUser = (overrides: Record<string, unknown> = {}) => ({
  accountEnabled: true,
  displayName: 'Adele Vance',
  mailNickname: 'AdeleV',
  userPrincipalName: `adele.${randomUUID().slice(0, 8)}@${a.domain}`,
  passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
  ...overrides,
});
const validGroup = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Autopilot devices',
  mailEnabled: false,
  mailNickname: 'autopilotdevices',
  securityEnabled: true,
  ...overrides,
});
const validDevice = (overrides: Record<string, unknown> = {}) => ({
  accountEnabled: true,
  alternativeSecurityIds: [{ type: 2, key: 'a2V5' }],
  deviceId: randomUUID(),
  displayName: 'DESKTOP-0001',
  operatingSystem: 'Windows',
  operatingSystemVersion: '10.0.26100.1',
  ...overrides,
});
const validRegistrationPolicy = (overrides: Record<string, unknown> = {}) => ({
  userDeviceQuota: 20,
  multiFactorAuthConfiguration: 'notRequired',
  azureADRegistration: { isAdminConfigurable: false, allowedToRegister: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } },
  azureADJoin: {
    isAdminConfigurable: true,
    allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' },
    localAdmins: { enableGlobalAdmins: true, registeringUsers: { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' } },
  },
  localAdminPassword: { isEnabled: true },
  ...overrides,
});
const enumerated = (users: unknown[], groups: unknown[] = []) => ({
  '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership',
  users,
  groups,
});
const withJoin = (allowedToJoin: unknown) =>
  validRegistrationPolicy({ azureADJoin: { isAdminConfigurable: true, allowedToJoin, localAdmins: { enableGlobalAdmins: true } } });

async function created(res: Promise<Response>): Promise<any> {
  const r = await json(res);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
async function succeeded(res: Promise<Response>): Promise<void> {
  const r = await res;
  expect(r.status, await r.text()).toBeLessThan(300);
}

/** Every row the tenant owns (users, groups, devices, links, applications with their secrets, policies). */
async function tenantState(tenant: TestTenant = a): Promise<unknown> {
  const res = await t.control('GET', `/tenants/${tenant.tenantId}/snapshot`);
  expect(res.status).toBe(200);
  return res.json();
}
async function tenantList(): Promise<unknown> {
  return (await t.control('GET', '/tenants')).json();
}

type Lazy<T> = T | (() => T);
const value = <T>(x: Lazy<T>): T => (typeof x === 'function' ? (x as () => T)() : x);

interface Case extends GraphErrorExpectation {
  readonly name: string;
  readonly method: string;
  readonly path: Lazy<string>;
  /** A JSON body. */
  readonly body?: Lazy<unknown>;
  /** A body sent as is, with its content type. */
  readonly raw?: { readonly text: string; readonly contentType?: string };
  readonly headers?: Record<string, string>;
  readonly status: number;
}

function send(c: Case): Promise<Response> {
  if (c.raw) {
    return fetch(`${t.url}${value(c.path)}`, {
      method: c.method,
      headers: { authorization: `Bearer ${a.token}`, ...(c.raw.contentType ? { 'content-type': c.raw.contentType } : {}), ...c.headers },
      body: c.raw.text,
    });
  }
  return a.graph(c.method, value(c.path), c.body === undefined ? undefined : value(c.body), c.headers);
}

/** The case gets its error, and nothing in the tenant changed. */
async function rejects(c: Case): Promise<void> {
  const before = await tenantState();
  await expectGraphError(await send(c), c.status, c);
  expect(await tenantState()).toEqual(before);
}

const invalid = (field: string, resource: string) => ({
  status: 400,
  code: 'Request_BadRequest',
  message: `Invalid value specified for property '${field}' of resource '${resource}'.`,
});
const unknownProperty = (field: string) => ({
  status: 400,
  code: 'Request_BadRequest',
  message: `Property '${field}' does not exist as a declared property or extension property.`,
});
const required = (field: string) => ({ status: 400, code: 'Request_BadRequest', message: `Property '${field}' is required when creating the object.` });
const readOnly = (field: string) => ({ status: 400, code: 'Request_BadRequest', message: `Property '${field}' is read-only and cannot be set.` });
const notFound = { status: 404, code: 'Request_ResourceNotFound', message: 'does not exist' };
const malformedJson = { status: 400, code: 'BadRequest', message: 'Unable to read JSON request payload' };
const notAnObject = { status: 400, code: 'BadRequest', message: 'The request body must be a JSON object.' };

beforeAll(async () => {
  t = await startTestServer();
  a = await createTestTenant(t, 'empty', 'Bad Input');
  other = await createTestTenant(t, 'empty', 'Other Tenant');
  for (const u of [fx.user, fx.user2]) {
    const body = await created(a.graph('POST', '/v1.0/users', validUser({ passwordProfile: { password: PASSWORD } })));
    u.id = body.id;
    u.upn = body.userPrincipalName;
  }
  fx.group = (await created(a.graph('POST', '/v1.0/groups', validGroup()))).id;
  fx.unified = (await created(a.graph('POST', '/v1.0/groups', validGroup({ groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'team' })))).id;
  await succeeded(a.graph('POST', `/v1.0/groups/${fx.group}/members/$ref`, directoryRef(fx.user.id)));
  await succeeded(a.graph('POST', `/v1.0/groups/${fx.group}/owners/$ref`, directoryRef(fx.user.id)));
  const device = await created(a.graph('POST', '/v1.0/devices', validDevice()));
  fx.device = { id: device.id, deviceId: device.deviceId };
  await succeeded(a.graph('POST', `/v1.0/devices/${fx.device.id}/registeredOwners/$ref`, directoryRef(fx.user.id)));
  const app = await created(a.graph('POST', '/v1.0/applications', { displayName: 'Config as code' }));
  const secret = await json(a.graph('POST', `/v1.0/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'ci' } }));
  expect(secret.status).toBe(200);
  fx.app = { id: app.id, appId: app.appId, keyId: secret.body.keyId };
  await created(a.graph('POST', '/v1.0/servicePrincipals', { appId: app.appId }));
  await succeeded(a.graph('POST', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE_MDM_POLICY}/includedGroups/$ref`, directoryRef(fx.group)));
  await succeeded(a.graph('PUT', `/v1.0/users/${fx.user.id}/manager/$ref`, directoryRef(fx.user2.id)));
  fx.stranger = (await created(other.graph('POST', '/v1.0/users', { ...validUser(), userPrincipalName: `stranger@${other.domain}` }))).id;
});
afterAll(() => t?.close());

describe('the state check', () => {
  it('sees a change, so an unchanged state means nothing was written', async () => {
    const before = await tenantState();
    await succeeded(a.graph('PATCH', `/v1.0/users/${fx.user2.id}`, { jobTitle: 'Endpoint engineer' }));
    expect(await tenantState()).not.toEqual(before);
  });
});

describe('users', () => {
  const cases: Case[] = [
    { name: 'POST malformed JSON', method: 'POST', path: '/v1.0/users', raw: { text: '{"displayName":', contentType: 'application/json' }, ...malformedJson },
    { name: 'POST empty JSON body', method: 'POST', path: '/v1.0/users', raw: { text: '', contentType: 'application/json' }, ...notAnObject },
    { name: 'POST a JSON array', method: 'POST', path: '/v1.0/users', body: () => [validUser()], ...notAnObject },
    { name: 'POST a text/plain body', method: 'POST', path: '/v1.0/users', raw: { text: 'displayName=Adele', contentType: 'text/plain' }, ...notAnObject },
    { name: 'POST an XML body', method: 'POST', path: '/v1.0/users', raw: { text: '<user/>', contentType: 'application/xml' }, status: 415, code: 'UnsupportedMediaType' },
    ...(['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile'] as const).map(
      (field): Case => ({
        name: `POST without ${field}`,
        method: 'POST',
        path: '/v1.0/users',
        body: () => {
          const { [field]: _omitted, ...rest } = validUser();
          return rest;
        },
        field,
        ...required(field),
      }),
    ),
    { name: 'POST accountEnabled as a string', method: 'POST', path: '/v1.0/users', body: () => validUser({ accountEnabled: 'true' }), field: 'accountEnabled', ...invalid('accountEnabled', 'User') },
    { name: 'POST displayName as a number', method: 'POST', path: '/v1.0/users', body: () => validUser({ displayName: 42 }), field: 'displayName', ...invalid('displayName', 'User') },
    { name: 'POST businessPhones not a collection', method: 'POST', path: '/v1.0/users', body: () => validUser({ businessPhones: '+1 555' }), field: 'businessPhones', ...invalid('businessPhones', 'User') },
    { name: 'POST passwordProfile as a string', method: 'POST', path: '/v1.0/users', body: () => validUser({ passwordProfile: 'secret' }), field: 'passwordProfile', ...invalid('passwordProfile', 'User') },
    { name: 'POST passwordProfile without a password', method: 'POST', path: '/v1.0/users', body: () => validUser({ passwordProfile: { forceChangePasswordNextSignIn: true } }), field: 'passwordProfile', ...invalid('passwordProfile', 'User') },
    { name: 'POST a numeric password', method: 'POST', path: '/v1.0/users', body: () => validUser({ passwordProfile: { password: 12345678 } }), field: 'passwordProfile', ...invalid('passwordProfile', 'User') },
    { name: 'POST displayName of 257 characters', method: 'POST', path: '/v1.0/users', body: () => validUser({ displayName: long(257) }), field: 'displayName', ...invalid('displayName', 'User') },
    { name: 'POST mailNickname of 65 characters', method: 'POST', path: '/v1.0/users', body: () => validUser({ mailNickname: long(65) }), field: 'mailNickname', ...invalid('mailNickname', 'User') },
    { name: 'POST usageLocation of 3 characters', method: 'POST', path: '/v1.0/users', body: () => validUser({ usageLocation: 'USA' }), field: 'usageLocation', ...invalid('usageLocation', 'User') },
    { name: 'POST displayName with a NUL character', method: 'POST', path: '/v1.0/users', body: () => validUser({ displayName: 'Adele\u0000Vance' }), field: 'displayName', ...invalid('displayName', 'User') },
    { name: 'POST displayName with a lone surrogate', method: 'POST', path: '/v1.0/users', body: () => validUser({ displayName: 'Adele \ud800' }), field: 'displayName', ...invalid('displayName', 'User') },
    { name: 'POST an unknown property', method: 'POST', path: '/v1.0/users', body: () => validUser({ favouriteColour: 'blue' }), field: 'favouriteColour', ...unknownProperty('favouriteColour') },
    { name: 'POST the read-only id', method: 'POST', path: '/v1.0/users', body: () => validUser({ id: randomUUID() }), field: 'id', ...readOnly('id') },
    { name: 'POST the read-only createdDateTime', method: 'POST', path: '/v1.0/users', body: () => validUser({ createdDateTime: '2020-01-01T00:00:00Z' }), field: 'createdDateTime', ...readOnly('createdDateTime') },
    { name: 'POST a password without complexity', method: 'POST', path: '/v1.0/users', body: () => validUser({ passwordProfile: { password: 'password' } }), status: 400, code: 'Request_BadRequest', message: 'password complexity requirements', field: 'password' },
    { name: 'POST a userPrincipalName of another domain', method: 'POST', path: '/v1.0/users', body: () => validUser({ userPrincipalName: 'adele@fabrikam.com' }), status: 400, code: 'Request_BadRequest', message: 'verified domain names', field: 'userPrincipalName' },
    { name: 'POST a userPrincipalName without @', method: 'POST', path: '/v1.0/users', body: () => validUser({ userPrincipalName: 'adele' }), field: 'userPrincipalName', ...invalid('userPrincipalName', 'User') },
    { name: 'POST an existing userPrincipalName in another letter case', method: 'POST', path: '/v1.0/users', body: () => validUser({ userPrincipalName: fx.user.upn.toUpperCase().replace(/@.*/, `@${a.domain}`) }), status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property userPrincipalName already exists.', field: 'userPrincipalName' },
    { name: 'PATCH malformed JSON', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, raw: { text: '{"jobTitle": tester}', contentType: 'application/json' }, ...malformedJson },
    { name: 'PATCH an unknown property', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: { shoeSize: 42 }, field: 'shoeSize', ...unknownProperty('shoeSize') },
    { name: 'PATCH accountEnabled as a number', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: { accountEnabled: 0 }, field: 'accountEnabled', ...invalid('accountEnabled', 'User') },
    { name: 'PATCH surname of 65 characters', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: { surname: long(65) }, field: 'surname', ...invalid('surname', 'User') },
    { name: 'PATCH the read-only id', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: () => ({ id: fx.user2.id }), field: 'id', ...readOnly('id') },
    { name: 'PATCH userPrincipalName to null', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: { userPrincipalName: null }, field: 'userPrincipalName', ...invalid('userPrincipalName', 'User') },
    { name: "PATCH userPrincipalName to another user's", method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: () => ({ userPrincipalName: fx.user2.upn }), status: 400, code: 'Request_BadRequest', message: 'already exists', field: 'userPrincipalName' },
    { name: 'PATCH a weak password, together with a valid change', method: 'PATCH', path: () => `/v1.0/users/${fx.user.id}`, body: { jobTitle: 'Changed', passwordProfile: { password: 'abc' } }, status: 400, code: 'Request_BadRequest', message: 'password complexity requirements' },
    { name: 'PATCH an unknown user id', method: 'PATCH', path: () => `/v1.0/users/${randomUUID()}`, body: { jobTitle: 'x' }, ...notFound },
    { name: 'PATCH an unknown userPrincipalName', method: 'PATCH', path: () => `/v1.0/users/nobody@${a.domain}`, body: { jobTitle: 'x' }, ...notFound },
    { name: 'PATCH a user of another tenant', method: 'PATCH', path: () => `/v1.0/users/${fx.stranger}`, body: { jobTitle: 'x' }, ...notFound },
    { name: 'PUT manager/$ref without @odata.id', method: 'PUT', path: () => `/v1.0/users/${fx.user.id}/manager/$ref`, body: { id: 'x' }, status: 400, code: 'Request_BadRequest', field: '@odata.id' },
    { name: 'PUT manager/$ref with a malformed reference', method: 'PUT', path: () => `/v1.0/users/${fx.user.id}/manager/$ref`, body: { '@odata.id': 'https://graph.microsoft.com/v1.0/users/boss' }, status: 400, code: 'Request_BadRequest', message: 'Invalid object identifier' },
    { name: 'PUT manager/$ref to an unknown user (the current manager stays)', method: 'PUT', path: () => `/v1.0/users/${fx.user.id}/manager/$ref`, body: () => directoryRef(randomUUID()), ...notFound },
    { name: 'PUT manager/$ref to a group', method: 'PUT', path: () => `/v1.0/users/${fx.user.id}/manager/$ref`, body: () => directoryRef(fx.group), ...notFound },
    { name: 'PUT manager/$ref to the user itself', method: 'PUT', path: () => `/v1.0/users/${fx.user.id}/manager/$ref`, body: () => directoryRef(fx.user.id), status: 400, code: 'Request_BadRequest', message: 'A user cannot be their own manager.' },
    { name: 'PUT manager/$ref on an unknown user', method: 'PUT', path: () => `/v1.0/users/${randomUUID()}/manager/$ref`, body: () => directoryRef(fx.user2.id), ...notFound },
    { name: 'DELETE manager/$ref of a user without a manager', method: 'DELETE', path: () => `/v1.0/users/${fx.user2.id}/manager/$ref`, ...notFound },
    { name: 'GET /me with an application token', method: 'GET', path: '/v1.0/me', status: 400, code: 'Request_BadRequest', message: 'delegated' },
    { name: 'DELETE an unknown user id', method: 'DELETE', path: () => `/v1.0/users/${randomUUID()}`, ...notFound },
    { name: 'DELETE a malformed id', method: 'DELETE', path: '/v1.0/users/not-a-guid', ...notFound },
    { name: "GET a malformed id in the OData key form", method: 'GET', path: "/v1.0/users('not-a-guid')", ...notFound },
    { name: 'GET with a malformed percent-encoding', method: 'GET', path: '/v1.0/users/%E0%A4%A', status: 400, code: 'BadRequest' },
    { name: 'GET with an id of 600 characters', method: 'GET', path: `/v1.0/users/${long(600)}`, status: 414, code: 'BadRequest' },
    { name: 'GET with a URL over 16 KB', method: 'GET', path: `/v1.0/users?$filter=${encodeURIComponent(Array.from({ length: 800 }, () => "displayName eq 'x'").join(' or '))}`, status: 431, code: 'RequestHeaderFieldsTooLarge' },
    { name: 'POST a body over 4 MB', method: 'POST', path: '/v1.0/users', body: () => validUser({ displayName: long(5 * 1024 * 1024) }), status: 413, code: 'RequestEntityTooLarge' },
    { name: 'POST JSON nested 100,000 levels deep', method: 'POST', path: '/v1.0/users', raw: { text: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, contentType: 'application/json' }, status: 400, code: 'BadRequest', message: 'nests objects and arrays more than 100 levels deep' },
    { name: 'POST a prototype-polluting body', method: 'POST', path: '/v1.0/users', raw: { text: '{"__proto__":{"accountEnabled":true}}', contentType: 'application/json' }, status: 400, code: 'BadRequest' },
    { name: 'GET an unknown cast segment', method: 'GET', path: () => `/v1.0/users/${fx.user.id}/memberOf/microsoft.graph.nothing`, status: 400, code: 'BadRequest', message: "Resource not found for the segment 'microsoft.graph.nothing'" },
    { name: 'GET /users/$count without ConsistencyLevel', method: 'GET', path: '/v1.0/users/$count', status: 400, code: 'Request_BadRequest', message: '$count is not currently supported.' },
    { name: 'GET $search without ConsistencyLevel', method: 'GET', path: '/v1.0/users?$search="displayName:adele"', status: 400, code: 'Request_BadRequest', message: 'ConsistencyLevel' },
    { name: 'GET ne without ConsistencyLevel', method: 'GET', path: "/v1.0/users?$filter=displayName ne 'x'", status: 400, code: 'Request_UnsupportedQuery', message: "Operator 'ne' is not supported" },
    { name: 'GET $top of 1000', method: 'GET', path: '/v1.0/users?$top=1000', status: 400, code: 'Request_BadRequest', message: "Invalid page size specified: '1000'" },
    { name: 'GET $expand of an unknown navigation property', method: 'GET', path: '/v1.0/users?$expand=favouriteColour', status: 400, code: 'BadRequest', field: 'favouriteColour' },
    { name: 'GET $expand with a nested $filter', method: 'GET', path: "/v1.0/users?$expand=manager($filter=displayName eq 'x')", status: 400, code: 'BadRequest', field: '$select' },
  ];
  it.each(cases)('$name', rejects);
});

describe('query options on every collection', () => {
  const collections = ['/v1.0/users', '/v1.0/groups', '/v1.0/devices', '/v1.0/applications', '/v1.0/servicePrincipals', () => `/v1.0/groups/${fx.group}/members`];
  const cases: Case[] = collections.flatMap((path): Case[] => {
    const p = (query: string) => () => `${value(path)}?${query}`;
    const label = typeof path === 'string' ? path : '/v1.0/groups/{id}/members';
    return [
      { name: `${label}: $filter with a syntax error`, method: 'GET', path: p('$filter=displayName eq'), status: 400, code: 'BadRequest' },
      { name: `${label}: $filter with an unbalanced parenthesis`, method: 'GET', path: p("$filter=(displayName eq 'a'"), status: 400, code: 'BadRequest' },
      { name: `${label}: $filter on an unknown property`, method: 'GET', path: p("$filter=favouriteColour eq 'blue'"), status: 400, code: 'BadRequest', field: 'favouriteColour', message: 'Could not find a property named' },
      { name: `${label}: $filter comparing a string with a number`, method: 'GET', path: p('$filter=displayName eq 42'), status: 400, code: 'BadRequest' },
      { name: `${label}: $filter with an unknown function`, method: 'GET', path: p("$filter=soundslike(displayName,'adele')"), status: 400, code: 'BadRequest' },
      { name: `${label}: $top not a number`, method: 'GET', path: p('$top=ten'), status: 400, code: 'BadRequest', field: '$top' },
      { name: `${label}: $top negative`, method: 'GET', path: p('$top=-1'), status: 400, code: 'BadRequest', field: '$top' },
      { name: `${label}: $top given twice`, method: 'GET', path: p('$top=1&$top=2'), status: 400, code: 'BadRequest', field: '$top' },
      { name: `${label}: $select of an unknown property`, method: 'GET', path: p('$select=id,favouriteColour'), status: 400, code: 'BadRequest', field: 'favouriteColour' },
      { name: `${label}: $orderby of an unknown property`, method: 'GET', path: p('$orderby=favouriteColour desc'), status: 400, code: 'BadRequest', field: 'favouriteColour' },
      { name: `${label}: $count not a boolean`, method: 'GET', path: p('$count=maybe'), status: 400, code: 'BadRequest', field: '$count' },
      { name: `${label}: an unknown system query option`, method: 'GET', path: p('$bogus=1'), status: 400, code: 'BadRequest', field: '$bogus' },
      { name: `${label}: a forged $skiptoken`, method: 'GET', path: p('$skiptoken=not-a-token'), status: 400, field: '$skiptoken' },
      { name: `${label}: $format=xml`, method: 'GET', path: p('$format=xml'), status: 400, code: 'BadRequest', field: '$format' },
    ];
  });
  it.each(cases)('$name', rejects);
});

describe('groups', () => {
  const members = () => `/v1.0/groups/${fx.group}/members/$ref`;
  const owners = () => `/v1.0/groups/${fx.group}/owners/$ref`;
  const cases: Case[] = [
    { name: 'POST malformed JSON', method: 'POST', path: '/v1.0/groups', raw: { text: "{'displayName':'x'}", contentType: 'application/json' }, ...malformedJson },
    { name: 'POST a JSON string', method: 'POST', path: '/v1.0/groups', raw: { text: '"group"', contentType: 'application/json' }, ...notAnObject },
    ...(['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'] as const).map(
      (field): Case => ({
        name: `POST without ${field}`,
        method: 'POST',
        path: '/v1.0/groups',
        body: () => {
          const { [field]: _omitted, ...rest } = validGroup();
          return rest;
        },
        field,
        ...required(field),
      }),
    ),
    { name: 'POST mailEnabled as a string', method: 'POST', path: '/v1.0/groups', body: validGroup({ mailEnabled: 'false' }), field: 'mailEnabled', ...invalid('mailEnabled', 'Group') },
    { name: 'POST groupTypes as a string', method: 'POST', path: '/v1.0/groups', body: validGroup({ groupTypes: 'Unified' }), field: 'groupTypes', ...invalid('groupTypes', 'Group') },
    { name: 'POST an unknown group type', method: 'POST', path: '/v1.0/groups', body: validGroup({ groupTypes: ['Bogus'] }), field: 'groupTypes', ...invalid('groupTypes', 'Group') },
    { name: 'POST a mail-enabled security group', method: 'POST', path: '/v1.0/groups', body: validGroup({ mailEnabled: true }), status: 400, code: 'Request_BadRequest', field: 'mail-enabled' },
    { name: 'POST a Microsoft 365 group that is not mail-enabled', method: 'POST', path: '/v1.0/groups', body: validGroup({ groupTypes: ['Unified'] }), field: 'mailEnabled', ...invalid('mailEnabled', 'Group') },
    { name: 'POST a dynamic group without a rule', method: 'POST', path: '/v1.0/groups', body: validGroup({ groupTypes: ['DynamicMembership'] }), status: 400, code: 'Request_BadRequest', field: 'membershipRule' },
    { name: 'POST a rule on an assigned group', method: 'POST', path: '/v1.0/groups', body: validGroup({ membershipRule: '(user.accountEnabled -eq true)' }), status: 400, code: 'Request_BadRequest', field: 'membershipRule' },
    { name: 'POST an unknown processing state', method: 'POST', path: '/v1.0/groups', body: validGroup({ groupTypes: ['DynamicMembership'], membershipRule: '(user.accountEnabled -eq true)', membershipRuleProcessingState: 'Sometimes' }), field: 'membershipRuleProcessingState', ...invalid('membershipRuleProcessingState', 'Group') },
    { name: 'POST a mailNickname with a space', method: 'POST', path: '/v1.0/groups', body: validGroup({ mailNickname: 'has space' }), field: 'mailNickname', ...invalid('mailNickname', 'Group') },
    { name: 'POST displayName of 257 characters', method: 'POST', path: '/v1.0/groups', body: validGroup({ displayName: long(257) }), field: 'displayName', ...invalid('displayName', 'Group') },
    { name: 'POST description of 1025 characters', method: 'POST', path: '/v1.0/groups', body: validGroup({ description: long(1025) }), field: 'description', ...invalid('description', 'Group') },
    { name: 'POST an unknown property', method: 'POST', path: '/v1.0/groups', body: validGroup({ owner: 'me' }), field: 'owner', ...unknownProperty('owner') },
    { name: 'POST the read-only mail', method: 'POST', path: '/v1.0/groups', body: validGroup({ mail: 'x@contoso.com' }), field: 'mail', ...readOnly('mail') },
    { name: 'POST members@odata.bind not a collection', method: 'POST', path: '/v1.0/groups', body: () => validGroup({ 'members@odata.bind': `https://graph.microsoft.com/v1.0/users/${fx.user.id}` }), field: 'members@odata.bind', ...invalid('members@odata.bind', 'Group') },
    { name: 'POST members@odata.bind with an unknown object, after a valid one (no half-made group)', method: 'POST', path: '/v1.0/groups', body: () => validGroup({ 'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${fx.user.id}`, `https://graph.microsoft.com/v1.0/users/${randomUUID()}`] }), ...notFound },
    { name: 'POST members@odata.bind with a malformed reference', method: 'POST', path: '/v1.0/groups', body: validGroup({ 'members@odata.bind': ['https://graph.microsoft.com/v1.0/users/not-a-guid'] }), status: 400, code: 'Request_BadRequest', message: "Invalid object identifier 'https://graph.microsoft.com/v1.0/users/not-a-guid'." },
    { name: 'POST owners@odata.bind with a device', method: 'POST', path: '/v1.0/groups', body: () => validGroup({ 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/devices/${fx.device.id}`] }), ...notFound },
    { name: 'POST more than 20 members and owners', method: 'POST', path: '/v1.0/groups', body: () => validGroup({ 'members@odata.bind': Array.from({ length: 21 }, () => `https://graph.microsoft.com/v1.0/users/${fx.user.id}`) }), status: 400, code: 'Request_BadRequest', message: 'A maximum of 20' },
    { name: 'POST a Microsoft 365 group with a group member', method: 'POST', path: '/v1.0/groups', body: () => validGroup({ groupTypes: ['Unified'], mailEnabled: true, 'members@odata.bind': [`https://graph.microsoft.com/v1.0/groups/${fx.group}`] }), status: 400, code: 'Request_BadRequest', message: 'Microsoft 365 groups cannot have groups as members.' },
    { name: 'PATCH an unknown property', method: 'PATCH', path: () => `/v1.0/groups/${fx.group}`, body: { colour: 'red' }, field: 'colour', ...unknownProperty('colour') },
    { name: 'PATCH members@odata.bind (create only)', method: 'PATCH', path: () => `/v1.0/groups/${fx.group}`, body: () => ({ 'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${fx.user2.id}`] }), field: 'members@odata.bind', ...unknownProperty('members@odata.bind') },
    { name: 'PATCH securityEnabled as a string', method: 'PATCH', path: () => `/v1.0/groups/${fx.group}`, body: { securityEnabled: 'yes' }, field: 'securityEnabled', ...invalid('securityEnabled', 'Group') },
    { name: 'PATCH a security group into a Microsoft 365 group', method: 'PATCH', path: () => `/v1.0/groups/${fx.group}`, body: { groupTypes: ['Unified'], description: 'changed' }, field: 'mailEnabled', ...invalid('mailEnabled', 'Group') },
    { name: 'PATCH a rule onto an assigned group', method: 'PATCH', path: () => `/v1.0/groups/${fx.group}`, body: { membershipRule: '(user.accountEnabled -eq true)' }, status: 400, code: 'Request_BadRequest', field: 'membershipRule' },
    { name: 'PATCH an unknown group', method: 'PATCH', path: () => `/v1.0/groups/${randomUUID()}`, body: { description: 'x' }, ...notFound },
    { name: 'PATCH a malformed group id', method: 'PATCH', path: '/v1.0/groups/12345', body: { description: 'x' }, ...notFound },
    { name: 'DELETE an unknown group', method: 'DELETE', path: () => `/v1.0/groups/${randomUUID()}`, ...notFound },
    { name: 'members/$ref malformed JSON', method: 'POST', path: members, raw: { text: '{"@odata.id":', contentType: 'application/json' }, ...malformedJson },
    { name: 'members/$ref without @odata.id', method: 'POST', path: members, body: { id: 'x' }, status: 400, code: 'Request_BadRequest', field: '@odata.id' },
    { name: 'members/$ref with a numeric @odata.id', method: 'POST', path: members, body: { '@odata.id': 42 }, status: 400, code: 'Request_BadRequest', field: '@odata.id' },
    { name: 'members/$ref with a malformed reference', method: 'POST', path: members, body: { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/not-a-guid' }, status: 400, code: 'Request_BadRequest', message: 'Invalid object identifier' },
    { name: 'members/$ref to an unknown object', method: 'POST', path: members, body: () => directoryRef(randomUUID()), ...notFound },
    { name: 'members/$ref to an object of another tenant', method: 'POST', path: members, body: () => directoryRef(fx.stranger), ...notFound },
    { name: 'members/$ref of an existing member', method: 'POST', path: members, body: () => directoryRef(fx.user.id), status: 400, code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." },
    { name: 'members/$ref of the group itself', method: 'POST', path: members, body: () => directoryRef(fx.group), status: 400, code: 'Request_BadRequest', message: 'A group cannot be a member of itself.' },
    { name: 'members/$ref of a group into a Microsoft 365 group', method: 'POST', path: () => `/v1.0/groups/${fx.unified}/members/$ref`, body: () => directoryRef(fx.group), status: 400, code: 'Request_BadRequest', message: 'Microsoft 365 groups cannot have groups as members.' },
    { name: 'members/$ref on an unknown group', method: 'POST', path: () => `/v1.0/groups/${randomUUID()}/members/$ref`, body: () => directoryRef(fx.user2.id), ...notFound },
    { name: 'owners/$ref of a device', method: 'POST', path: owners, body: () => directoryRef(fx.device.id), ...notFound },
    { name: 'owners/$ref of an existing owner', method: 'POST', path: owners, body: () => directoryRef(fx.user.id), status: 400, code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'owners'." },
    { name: 'DELETE members/{id}/$ref of a non-member', method: 'DELETE', path: () => `/v1.0/groups/${fx.group}/members/${fx.user2.id}/$ref`, status: 400, code: 'Request_BadRequest', message: "One or more removed object references do not exist for the following modified properties: 'members'." },
    { name: 'DELETE owners/{id}/$ref of a non-owner', method: 'DELETE', path: () => `/v1.0/groups/${fx.group}/owners/${fx.user2.id}/$ref`, status: 400, code: 'Request_BadRequest', message: "do not exist for the following modified properties: 'owners'." },
    { name: 'DELETE members/$ref without $id', method: 'DELETE', path: () => `/v1.0/groups/${fx.group}/members/$ref`, status: 400, code: 'Request_BadRequest', field: '$id' },
    { name: 'DELETE members/{id}/$ref on an unknown group', method: 'DELETE', path: () => `/v1.0/groups/${randomUUID()}/members/${fx.user.id}/$ref`, ...notFound },
    { name: 'checkMemberGroups with groupIds not a collection', method: 'POST', path: () => `/v1.0/users/${fx.user.id}/checkMemberGroups`, body: () => ({ groupIds: fx.group }), field: 'groupIds', ...invalid('groupIds', 'checkMemberGroups') },
    { name: 'checkMemberGroups with 21 groupIds', method: 'POST', path: () => `/v1.0/users/${fx.user.id}/checkMemberGroups`, body: { groupIds: Array.from({ length: 21 }, () => randomUUID()) }, status: 400, code: 'Request_BadRequest', field: 'groupIds' },
    { name: 'getMemberGroups with securityEnabledOnly as a string', method: 'POST', path: () => `/v1.0/groups/${fx.group}/getMemberGroups`, body: { securityEnabledOnly: 'true' }, field: 'securityEnabledOnly', ...invalid('securityEnabledOnly', 'getMemberGroups') },
    { name: 'getByIds with ids not a collection', method: 'POST', path: '/v1.0/directoryObjects/getByIds', body: { ids: 'x' }, status: 400, code: 'Request_BadRequest', field: 'ids' },
    { name: 'getByIds with an unknown type', method: 'POST', path: '/v1.0/directoryObjects/getByIds', body: () => ({ ids: [fx.user.id], types: ['printer'] }), status: 400, code: 'Request_BadRequest', field: 'printer' },
  ];
  it.each(cases)('$name', rejects);
});

describe('devices', () => {
  const owners = () => `/v1.0/devices/${fx.device.id}/registeredOwners/$ref`;
  const cases: Case[] = [
    { name: 'POST malformed JSON', method: 'POST', path: '/v1.0/devices', raw: { text: '{"deviceId":"x",}', contentType: 'application/json' }, ...malformedJson },
    ...(['accountEnabled', 'alternativeSecurityIds', 'deviceId', 'displayName', 'operatingSystem', 'operatingSystemVersion'] as const).map(
      (field): Case => ({
        name: `POST without ${field}`,
        method: 'POST',
        path: '/v1.0/devices',
        body: () => {
          const { [field]: _omitted, ...rest } = validDevice();
          return rest;
        },
        field,
        ...required(field),
      }),
    ),
    { name: 'POST a deviceId that is not a GUID', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ deviceId: 'DESKTOP-0001' }), field: 'deviceId', ...invalid('deviceId', 'Device') },
    { name: 'POST an existing deviceId', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ deviceId: fx.device.deviceId.toUpperCase() }), status: 400, code: 'Request_BadRequest', field: 'deviceId', message: 'already exists' },
    { name: 'POST an unknown profileType', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ profileType: 'Toaster' }), field: 'profileType', ...invalid('profileType', 'Device') },
    { name: 'POST an unknown trustType', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ trustType: 'Cloud' }), field: 'trustType', ...invalid('trustType', 'Device') },
    { name: 'POST alternativeSecurityIds with a string type', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ alternativeSecurityIds: [{ type: 'two', key: 'a2V5' }] }), field: 'alternativeSecurityIds', ...invalid('alternativeSecurityIds', 'Device') },
    { name: 'POST alternativeSecurityIds with a null item', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ alternativeSecurityIds: [null] }), field: 'alternativeSecurityIds', ...invalid('alternativeSecurityIds', 'Device') },
    { name: 'POST an unknown extension attribute', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ extensionAttributes: { extensionAttribute16: 'x' } }), field: 'extensionAttributes', ...invalid('extensionAttributes', 'Device') },
    { name: 'POST a numeric extension attribute', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ extensionAttributes: { extensionAttribute1: 7 } }), field: 'extensionAttributes', ...invalid('extensionAttributes', 'Device') },
    { name: 'POST physicalIds with a number', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ physicalIds: ['[ZTDId]:x', 5] }), field: 'physicalIds', ...invalid('physicalIds', 'Device') },
    { name: 'POST displayName of 257 characters', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ displayName: long(257) }), field: 'displayName', ...invalid('displayName', 'Device') },
    { name: 'POST an unknown property', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ serialNumber: 'X1' }), field: 'serialNumber', ...unknownProperty('serialNumber') },
    { name: 'POST the read-only registrationDateTime', method: 'POST', path: '/v1.0/devices', body: () => validDevice({ registrationDateTime: '2020-01-01T00:00:00Z' }), field: 'registrationDateTime', ...readOnly('registrationDateTime') },
    { name: 'PATCH deviceId', method: 'PATCH', path: () => `/v1.0/devices/${fx.device.id}`, body: () => ({ deviceId: randomUUID() }), field: 'deviceId', ...readOnly('deviceId') },
    { name: 'PATCH an unknown property', method: 'PATCH', path: () => `/v1.0/devices/${fx.device.id}`, body: { serialNumber: 'X1' }, field: 'serialNumber', ...unknownProperty('serialNumber') },
    { name: 'PATCH operatingSystem of 65 characters', method: 'PATCH', path: () => `/v1.0/devices/${fx.device.id}`, body: { operatingSystem: long(65) }, field: 'operatingSystem', ...invalid('operatingSystem', 'Device') },
    { name: 'PATCH a bad extension attribute next to a good one', method: 'PATCH', path: () => `/v1.0/devices/${fx.device.id}`, body: { extensionAttributes: { extensionAttribute1: 'ok', extensionAttribute2: long(1025) } }, field: 'extensionAttributes', ...invalid('extensionAttributes', 'Device') },
    { name: 'PATCH an unknown device', method: 'PATCH', path: () => `/v1.0/devices/${randomUUID()}`, body: { displayName: 'x' }, ...notFound },
    { name: 'DELETE an unknown device', method: 'DELETE', path: () => `/v1.0/devices/${randomUUID()}`, ...notFound },
    { name: 'registeredOwners/$ref without @odata.id', method: 'POST', path: owners, body: {}, status: 400, code: 'Request_BadRequest', field: '@odata.id' },
    { name: 'registeredOwners/$ref with a malformed reference', method: 'POST', path: owners, body: { '@odata.id': 'users/me' }, status: 400, code: 'Request_BadRequest', message: 'Invalid object identifier' },
    { name: 'registeredOwners/$ref to an unknown user', method: 'POST', path: owners, body: () => directoryRef(randomUUID()), ...notFound },
    { name: 'registeredOwners/$ref to a group', method: 'POST', path: owners, body: () => directoryRef(fx.group), ...notFound },
    { name: 'registeredOwners/$ref of an existing owner', method: 'POST', path: owners, body: () => directoryRef(fx.user.id), status: 400, code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'registeredOwners'." },
    { name: 'registeredOwners/$ref on an unknown device', method: 'POST', path: () => `/v1.0/devices/${randomUUID()}/registeredOwners/$ref`, body: () => directoryRef(fx.user2.id), ...notFound },
    { name: 'registeredUsers/$ref with a JSON array', method: 'POST', path: () => `/v1.0/devices/${fx.device.id}/registeredUsers/$ref`, body: () => [directoryRef(fx.user2.id)], ...notAnObject },
    { name: 'DELETE registeredOwners/{id}/$ref of a non-owner', method: 'DELETE', path: () => `/v1.0/devices/${fx.device.id}/registeredOwners/${fx.user2.id}/$ref`, status: 400, code: 'Request_BadRequest', message: "do not exist for the following modified properties: 'registeredOwners'." },
  ];
  it.each(cases)('$name', rejects);
});

describe('applications and service principals', () => {
  const app = (action = '') => () => `/v1.0/applications/${fx.app.id}${action}`;
  const cases: Case[] = [
    { name: 'POST an application without displayName', method: 'POST', path: '/v1.0/applications', body: { signInAudience: 'AzureADMyOrg' }, field: 'displayName', ...required('displayName') },
    { name: 'POST an application with an empty displayName', method: 'POST', path: '/v1.0/applications', body: { displayName: '  ' }, field: 'displayName', ...required('displayName') },
    { name: 'POST an unknown signInAudience', method: 'POST', path: '/v1.0/applications', body: { displayName: 'x', signInAudience: 'Everyone' }, field: 'signInAudience', ...invalid('signInAudience', 'Application') },
    { name: 'POST the read-only appId', method: 'POST', path: '/v1.0/applications', body: () => ({ displayName: 'x', appId: randomUUID() }), field: 'appId', ...readOnly('appId') },
    { name: 'POST identifierUris as a string', method: 'POST', path: '/v1.0/applications', body: { displayName: 'x', identifierUris: 'api://x' }, field: 'identifierUris', ...invalid('identifierUris', 'Application') },
    { name: 'POST an application with an unknown property', method: 'POST', path: '/v1.0/applications', body: { displayName: 'x', secret: 'y' }, field: 'secret', ...unknownProperty('secret') },
    { name: 'DELETE an unknown application', method: 'DELETE', path: () => `/v1.0/applications/${randomUUID()}`, ...notFound },
    { name: 'PATCH an unknown application', method: 'PATCH', path: () => `/v1.0/applications/${randomUUID()}`, body: { notes: 'x' }, ...notFound },
    { name: 'PATCH passwordCredentials directly', method: 'PATCH', path: app(), body: { passwordCredentials: [] }, field: 'passwordCredentials', ...readOnly('passwordCredentials') },
    { name: 'addPassword malformed JSON', method: 'POST', path: app('/addPassword'), raw: { text: '{"passwordCredential":{', contentType: 'application/json' }, ...malformedJson },
    { name: 'addPassword with passwordCredential as a string', method: 'POST', path: app('/addPassword'), body: { passwordCredential: 'secret' }, field: 'passwordCredential', ...invalid('passwordCredential', 'Application') },
    { name: 'addPassword with an endDateTime in the past', method: 'POST', path: app('/addPassword'), body: { passwordCredential: { endDateTime: '2001-01-01T00:00:00Z' } }, status: 400, code: 'Request_BadRequest', field: 'endDateTime' },
    { name: 'addPassword with an endDateTime that is not a date', method: 'POST', path: app('/addPassword'), body: { passwordCredential: { endDateTime: 'next year' } }, status: 400, code: 'Request_BadRequest', field: 'endDateTime' },
    { name: 'addPassword with displayName of 257 characters', method: 'POST', path: app('/addPassword'), body: { passwordCredential: { displayName: long(257) } }, field: 'passwordCredential.displayName', ...invalid('passwordCredential.displayName', 'Application') },
    { name: 'addPassword on an unknown application', method: 'POST', path: () => `/v1.0/applications/${randomUUID()}/addPassword`, body: { passwordCredential: { displayName: 'x' } }, ...notFound },
    { name: 'removePassword without keyId', method: 'POST', path: app('/removePassword'), body: {}, field: 'keyId', ...invalid('keyId', 'Application') },
    { name: 'removePassword with a keyId that is not a GUID', method: 'POST', path: app('/removePassword'), body: { keyId: 'first' }, field: 'keyId', ...invalid('keyId', 'Application') },
    { name: 'removePassword with an unknown keyId', method: 'POST', path: app('/removePassword'), body: () => ({ keyId: randomUUID() }), status: 400, code: 'Request_BadRequest', field: 'keyId' },
    { name: 'removePassword on an unknown application', method: 'POST', path: () => `/v1.0/applications/${randomUUID()}/removePassword`, body: () => ({ keyId: fx.app.keyId }), ...notFound },
    { name: 'POST a service principal without appId', method: 'POST', path: '/v1.0/servicePrincipals', body: { displayName: 'x' }, field: 'appId', ...required('appId') },
    { name: 'POST a service principal with a numeric appId', method: 'POST', path: '/v1.0/servicePrincipals', body: { appId: 42 }, field: 'appId', ...invalid('appId', 'ServicePrincipal') },
    { name: 'POST a service principal of an unknown application', method: 'POST', path: '/v1.0/servicePrincipals', body: () => ({ appId: randomUUID() }), status: 400, code: 'Request_BadRequest', field: 'appId', message: 'does not reference a valid application object' },
    { name: "POST a service principal whose appId is an object's built-in name", method: 'POST', path: '/v1.0/servicePrincipals', body: { appId: 'constructor' }, status: 400, code: 'Request_BadRequest', field: 'appId', message: 'does not reference a valid application object' },
    { name: 'POST a second service principal for an application', method: 'POST', path: '/v1.0/servicePrincipals', body: () => ({ appId: fx.app.appId }), status: 409, code: 'Request_MultipleObjectsWithSameKeyValue', message: 'is already in use' },
    { name: 'POST a second Microsoft Graph service principal', method: 'POST', path: '/v1.0/servicePrincipals', body: { appId: GRAPH_APP_ID }, status: 409, code: 'Request_MultipleObjectsWithSameKeyValue', field: GRAPH_APP_ID },
    { name: 'POST a service principal with an unknown property', method: 'POST', path: '/v1.0/servicePrincipals', body: () => ({ appId: fx.app.appId, roles: ['x'] }), field: 'roles', ...unknownProperty('roles') },
    { name: 'PATCH the appId of a service principal', method: 'PATCH', path: '/v1.0/servicePrincipals/{sp}', body: () => ({ appId: randomUUID() }), field: 'appId', ...readOnly('appId') },
    { name: 'PATCH an unknown service principal', method: 'PATCH', path: () => `/v1.0/servicePrincipals/${randomUUID()}`, body: { notes: 'x' }, ...notFound },
    { name: 'DELETE an unknown service principal', method: 'DELETE', path: () => `/v1.0/servicePrincipals/${randomUUID()}`, ...notFound },
  ];
  let spId = '';
  beforeAll(async () => {
    const res = await json(a.graph('GET', `/v1.0/servicePrincipals?$filter=appId eq '${fx.app.appId}'`));
    spId = res.body.value[0].id;
  });
  it.each(cases)('$name', (c) => rejects({ ...c, path: () => value(c.path).replace('{sp}', spId) }));
});

describe('PUT /policies/deviceRegistrationPolicy', () => {
  const path = '/v1.0/policies/deviceRegistrationPolicy';
  const cases: Case[] = [
    { name: 'malformed JSON', method: 'PUT', path, raw: { text: '{"userDeviceQuota": 5', contentType: 'application/json' }, ...malformedJson },
    { name: 'a JSON array', method: 'PUT', path, body: [validRegistrationPolicy()], ...notAnObject },
    { name: 'an unknown property', method: 'PUT', path, body: validRegistrationPolicy({ allowBYOD: true }), field: 'allowBYOD', ...unknownProperty('allowBYOD') },
    { name: 'userDeviceQuota as a string', method: 'PUT', path, body: validRegistrationPolicy({ userDeviceQuota: '5' }), field: 'userDeviceQuota', ...invalid('userDeviceQuota', 'deviceRegistrationPolicy') },
    { name: 'a negative userDeviceQuota', method: 'PUT', path, body: validRegistrationPolicy({ userDeviceQuota: -1 }), field: 'userDeviceQuota', ...invalid('userDeviceQuota', 'deviceRegistrationPolicy') },
    { name: 'a fractional userDeviceQuota', method: 'PUT', path, body: validRegistrationPolicy({ userDeviceQuota: 1.5 }), field: 'userDeviceQuota', ...invalid('userDeviceQuota', 'deviceRegistrationPolicy') },
    { name: 'a userDeviceQuota beyond Int32', method: 'PUT', path, body: validRegistrationPolicy({ userDeviceQuota: 2 ** 31 }), field: 'userDeviceQuota', ...invalid('userDeviceQuota', 'deviceRegistrationPolicy') },
    { name: 'an unknown multiFactorAuthConfiguration', method: 'PUT', path, body: validRegistrationPolicy({ multiFactorAuthConfiguration: 'sometimes' }), field: 'multiFactorAuthConfiguration', ...invalid('multiFactorAuthConfiguration', 'deviceRegistrationPolicy') },
    { name: 'azureADJoin as a string', method: 'PUT', path, body: validRegistrationPolicy({ azureADJoin: 'all' }), field: 'azureADJoin', ...invalid('azureADJoin', 'deviceRegistrationPolicy') },
    { name: 'allowedToJoin of an unknown type', method: 'PUT', path, body: withJoin({ '@odata.type': '#microsoft.graph.someDeviceRegistrationMembership' }), status: 400, code: 'Request_BadRequest', field: 'azureADJoin.allowedToJoin' },
    { name: 'allowedToJoin without @odata.type', method: 'PUT', path, body: () => withJoin({ users: [fx.user.id] }), status: 400, code: 'Request_BadRequest', field: 'azureADJoin.allowedToJoin' },
    { name: 'allowedToJoin with a user id that is not a GUID', method: 'PUT', path, body: withJoin(enumerated(['adele'])), field: 'azureADJoin.allowedToJoin.users', ...invalid('azureADJoin.allowedToJoin.users', 'deviceRegistrationPolicy') },
    { name: 'allowedToJoin with an unknown user', method: 'PUT', path, body: () => withJoin(enumerated([randomUUID()])), status: 400, code: 'Request_BadRequest', field: 'azureADJoin.allowedToJoin.users', message: 'does not exist' },
    { name: 'allowedToJoin with a user given as a group', method: 'PUT', path, body: () => withJoin(enumerated([], [fx.user.id])), status: 400, code: 'Request_BadRequest', field: 'azureADJoin.allowedToJoin.groups' },
    { name: 'allowedToJoin with users not a collection', method: 'PUT', path, body: () => withJoin(enumerated(fx.user.id as unknown as unknown[])), field: 'azureADJoin.allowedToJoin.users', ...invalid('azureADJoin.allowedToJoin.users', 'deviceRegistrationPolicy') },
    { name: 'enableGlobalAdmins as a string', method: 'PUT', path, body: validRegistrationPolicy({ azureADJoin: { localAdmins: { enableGlobalAdmins: 'yes' } } }), field: 'azureADJoin.localAdmins.enableGlobalAdmins', ...invalid('azureADJoin.localAdmins.enableGlobalAdmins', 'deviceRegistrationPolicy') },
    { name: 'registeringUsers of an unknown type', method: 'PUT', path, body: validRegistrationPolicy({ azureADJoin: { localAdmins: { registeringUsers: { '@odata.type': 'all' } } } }), status: 400, code: 'Request_BadRequest', field: 'azureADJoin.localAdmins.registeringUsers' },
    { name: 'changing azureADRegistration, which is not admin configurable', method: 'PUT', path, body: validRegistrationPolicy({ azureADRegistration: { allowedToRegister: { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' } } }), status: 400, code: 'Request_BadRequest', field: 'azureADRegistration' },
    { name: 'localAdminPassword.isEnabled as a string, after valid properties', method: 'PUT', path, body: validRegistrationPolicy({ userDeviceQuota: 3, localAdminPassword: { isEnabled: 'yes' } }), field: 'localAdminPassword.isEnabled', ...invalid('localAdminPassword.isEnabled', 'deviceRegistrationPolicy') },
    { name: 'an unknown property inside azureADJoin', method: 'PUT', path, body: validRegistrationPolicy({ azureADJoin: { allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' }, allowPersonalDevices: true } }), status: 400, code: 'Request_BadRequest', field: "'allowPersonalDevices' does not exist on 'azureADJoin'" },
    { name: 'an unknown property inside localAdmins', method: 'PUT', path, body: validRegistrationPolicy({ azureADJoin: { localAdmins: { enableGlobalAdmins: true, deviceOwners: true } } }), status: 400, code: 'Request_BadRequest', field: "'deviceOwners' does not exist on 'azureADJoin.localAdmins'" },
    { name: 'an unknown property inside localAdminPassword', method: 'PUT', path, body: validRegistrationPolicy({ localAdminPassword: { isEnabled: true, rotationDays: 30 } }), status: 400, code: 'Request_BadRequest', field: "'rotationDays' does not exist on 'localAdminPassword'" },
    { name: "users on an 'all' membership", method: 'PUT', path, body: () => withJoin({ '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership', users: [fx.user.id] }), status: 400, code: 'Request_BadRequest', field: "'users' does not exist on 'azureADJoin.allowedToJoin'" },
    { name: 'PATCH, which the policy does not support', method: 'PATCH', path, body: { userDeviceQuota: 3 }, status: 400, code: 'BadRequest' },
  ];
  it.each(cases)('$name', rejects);
});

describe('PATCH /beta/policies/mobileDeviceManagementPolicies', () => {
  const path = `/beta/policies/mobileDeviceManagementPolicies/${INTUNE_MDM_POLICY}`;
  const refs = `${path}/includedGroups/$ref`;
  const resource = 'mobilityManagementPolicy';
  const cases: Case[] = [
    { name: 'malformed JSON', method: 'PATCH', path, raw: { text: '{"appliesTo": all}', contentType: 'application/json' }, ...malformedJson },
    { name: "appliesTo 'selected'", method: 'PATCH', path, body: { appliesTo: 'selected' }, status: 400, code: 'Request_BadRequest', field: 'appliesTo', message: 'includedGroups' },
    { name: 'an unknown appliesTo', method: 'PATCH', path, body: { appliesTo: 'everyone' }, field: 'appliesTo', ...invalid('appliesTo', resource) },
    { name: 'appliesTo as a boolean', method: 'PATCH', path, body: { appliesTo: true }, field: 'appliesTo', ...invalid('appliesTo', resource) },
    { name: 'appliesTo together with another property', method: 'PATCH', path, body: { appliesTo: 'all', discoveryUrl: 'https://example.com/discovery.svc' }, status: 400, code: 'Request_BadRequest', field: 'appliesTo' },
    { name: 'a discoveryUrl that is not http(s)', method: 'PATCH', path, body: { discoveryUrl: 'ftp://example.com/discovery' }, field: 'discoveryUrl', ...invalid('discoveryUrl', resource) },
    { name: 'a termsOfUseUrl that is a number', method: 'PATCH', path, body: { termsOfUseUrl: 42 }, field: 'termsOfUseUrl', ...invalid('termsOfUseUrl', resource) },
    { name: 'a complianceUrl of 3000 characters, after a valid one', method: 'PATCH', path, body: { discoveryUrl: 'https://example.com/d', complianceUrl: `https://${long(3000)}` }, field: 'complianceUrl', ...invalid('complianceUrl', resource) },
    { name: 'isMdmEnrollmentDuringRegistrationDisabled as a string', method: 'PATCH', path, body: { isMdmEnrollmentDuringRegistrationDisabled: 'yes' }, field: 'isMdmEnrollmentDuringRegistrationDisabled', ...invalid('isMdmEnrollmentDuringRegistrationDisabled', resource) },
    { name: 'the read-only displayName', method: 'PATCH', path, body: { displayName: 'Renamed' }, status: 400, code: 'Request_BadRequest', field: 'displayName' },
    { name: 'an unknown property', method: 'PATCH', path, body: { scope: 'all' }, field: 'scope', ...unknownProperty('scope') },
    { name: 'an unknown policy', method: 'PATCH', path: () => `/beta/policies/mobileDeviceManagementPolicies/${randomUUID()}`, body: { appliesTo: 'all' }, ...notFound },
    { name: 'the v1.0 endpoint, which does not exist', method: 'PATCH', path: `/v1.0/policies/mobileDeviceManagementPolicies/${INTUNE_MDM_POLICY}`, body: { appliesTo: 'all' }, status: 400, code: 'BadRequest', message: 'Resource not found for the segment' },
    { name: 'includedGroups/$ref without @odata.id', method: 'POST', path: refs, body: {}, status: 400, code: 'Request_BadRequest', field: '@odata.id' },
    { name: 'includedGroups/$ref with a malformed reference', method: 'POST', path: refs, body: { '@odata.id': 'https://graph.microsoft.com/beta/groups/everyone' }, status: 400, code: 'Request_BadRequest', message: 'Invalid object identifier' },
    { name: 'includedGroups/$ref to an unknown group', method: 'POST', path: refs, body: () => ({ '@odata.id': `https://graph.microsoft.com/beta/groups/${randomUUID()}` }), ...notFound },
    { name: 'includedGroups/$ref to a user', method: 'POST', path: refs, body: () => ({ '@odata.id': `https://graph.microsoft.com/beta/groups('${fx.user.id}')` }), ...notFound },
    { name: 'includedGroups/$ref of an included group', method: 'POST', path: refs, body: () => ({ '@odata.id': `https://graph.microsoft.com/beta/groups/${fx.group}` }), status: 400, code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'includedGroups'." },
    { name: 'includedGroups/$ref on an unknown policy', method: 'POST', path: () => `/beta/policies/mobileDeviceManagementPolicies/${randomUUID()}/includedGroups/$ref`, body: () => directoryRef(fx.unified), ...notFound },
    { name: 'DELETE includedGroups/{id}/$ref of a group not included', method: 'DELETE', path: () => `${path}/includedGroups/${fx.unified}/$ref`, status: 400, code: 'Request_BadRequest', message: "do not exist for the following modified properties: 'includedGroups'." },
  ];
  it.each(cases)('$name', rejects);
});

describe('$batch', () => {
  const path = '/v1.0/$batch';
  const createGroup = (id: string) => ({ id, method: 'POST', url: '/groups', headers: { 'content-type': 'application/json' }, body: validGroup({ mailNickname: `batch${id}` }) });
  const cases: Case[] = [
    { name: 'malformed JSON', method: 'POST', path, raw: { text: '{"requests":[', contentType: 'application/json' }, ...malformedJson },
    { name: 'no requests array', method: 'POST', path, body: { request: [] }, status: 400, code: 'BadRequest', field: 'requests' },
    { name: 'an empty requests array', method: 'POST', path, body: { requests: [] }, status: 400, code: 'BadRequest', message: 'at least one request' },
    { name: '21 requests', method: 'POST', path, body: { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) }, status: 400, code: 'BadRequest', message: 'the limit is 20' },
    { name: 'a duplicate id after a valid write (nothing runs)', method: 'POST', path, body: { requests: [createGroup('1'), createGroup('1')] }, status: 400, code: 'BadRequest', message: "Batch request id '1' is used more than once." },
    { name: 'a request without id', method: 'POST', path, body: { requests: [{ method: 'GET', url: '/users' }] }, status: 400, code: 'BadRequest', field: "'id'" },
    { name: 'an unknown method', method: 'POST', path, body: { requests: [createGroup('1'), { id: '2', method: 'TRACE', url: '/users' }] }, status: 400, code: 'BadRequest', message: "invalid method 'TRACE'" },
    { name: 'an absolute url', method: 'POST', path, body: { requests: [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' }] }, status: 400, code: 'BadRequest', field: 'url' },
    { name: 'a nested batch', method: 'POST', path, body: { requests: [{ id: '1', method: 'POST', url: '/$batch', headers: { 'content-type': 'application/json' }, body: { requests: [] } }] }, status: 400, code: 'BadRequest', message: 'cannot contain another batch' },
    { name: 'a body without Content-Type', method: 'POST', path, body: { requests: [{ id: '1', method: 'POST', url: '/groups', body: validGroup() }] }, status: 400, code: 'BadRequest', message: 'does not contain Content-Type header' },
    { name: 'headers not an object', method: 'POST', path, body: { requests: [{ id: '1', method: 'GET', url: '/users', headers: ['ConsistencyLevel: eventual'] }] }, status: 400, code: 'BadRequest', field: 'headers' },
    { name: 'a header value that is not a string', method: 'POST', path, body: { requests: [{ id: '1', method: 'GET', url: '/users', headers: { 'x-count': 1 } }] }, status: 400, code: 'BadRequest', field: 'x-count' },
    { name: 'dependsOn an unknown request', method: 'POST', path, body: { requests: [{ ...createGroup('1'), dependsOn: ['9'] }] }, status: 400, code: 'BadRequest', message: "depends on '9', which is not in the batch" },
    { name: 'dependsOn a later request', method: 'POST', path, body: { requests: [{ ...createGroup('1'), dependsOn: ['2'] }, createGroup('2')] }, status: 400, code: 'BadRequest', message: 'comes after it' },
    { name: 'dependsOn not a collection', method: 'POST', path, body: { requests: [createGroup('1'), { ...createGroup('2'), dependsOn: '1' }] }, status: 400, code: 'BadRequest', field: 'dependsOn' },
    { name: 'no Authorization header', method: 'POST', path, body: { requests: [createGroup('1')] }, headers: { authorization: '' }, status: 401, code: 'InvalidAuthenticationToken' },
  ];
  it.each(cases)('$name', rejects);

  it('answers each bad inner request with its own Graph error and runs no dependent request', async () => {
    const before = await tenantState();
    const res = await json(
      a.graph('POST', path, {
        requests: [
          { id: '1', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: { displayName: 'No UPN' } },
          { ...createGroup('2'), dependsOn: ['1'] },
          { id: '3', method: 'PATCH', url: `/groups/${fx.group}`, headers: { 'content-type': 'application/json' }, body: '{"description":' },
          { id: '4', method: 'GET', url: "/users?$filter=displayName eq 'unterminated" },
          { id: '5', method: 'GET', url: `/users/${randomUUID()}` },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: any) => [r.id, r]));
    expect(byId['1']).toMatchObject({ status: 400, body: { error: { code: 'Request_BadRequest', message: expect.stringContaining("'accountEnabled'") } } });
    expect(byId['2']).toMatchObject({ status: 424, body: { error: { code: 'FailedDependency' } } });
    expect(byId['3']).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', message: expect.stringContaining('Unable to read JSON') } } });
    expect(byId['4']).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
    expect(byId['5']).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    for (const id of ['1', '3', '4', '5']) expect(byId[id].body.error.innerError).toMatchObject({ 'request-id': expect.any(String), date: expect.any(String) });
    expect(await tenantState()).toEqual(before);
  });
});

describe('control API', () => {
  const key = () => ({ authorization: `Bearer ${t.controlKey}` });
  const control = (method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${t.url}/_tarmac${path}`, {
      method,
      headers: { ...key(), ...(init.body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });

  interface ControlCase extends GraphErrorExpectation {
    name: string;
    method: string;
    path: Lazy<string>;
    body?: Lazy<unknown>;
    raw?: string;
    headers?: Lazy<Record<string, string>>;
    status: number;
  }
  async function controlRejects(c: ControlCase) {
    const [tenantsBefore, stateBefore] = [await tenantList(), await tenantState()];
    const res = await control(c.method, value(c.path), { body: c.body === undefined ? undefined : value(c.body), raw: c.raw, headers: c.headers === undefined ? undefined : value(c.headers) });
    await expectGraphError(res, c.status, c);
    expect(await tenantList()).toEqual(tenantsBefore);
    expect(await tenantState()).toEqual(stateBefore);
  }

  const tenantCases: ControlCase[] = [
    { name: 'POST /tenants malformed JSON', method: 'POST', path: '/tenants', raw: '{"seed":', status: 400, code: 'BadRequest', message: 'Unable to read JSON' },
    { name: 'POST /tenants a JSON array', method: 'POST', path: '/tenants', body: [{ seed: 'demo' }], status: 400, code: 'Request_BadRequest', message: 'JSON object' },
    { name: 'POST /tenants an unknown seed', method: 'POST', path: '/tenants', body: { seed: 'huge' }, status: 400, code: 'Request_BadRequest', field: 'seed' },
    { name: 'POST /tenants displayName as a number', method: 'POST', path: '/tenants', body: { displayName: 7 }, status: 400, code: 'Request_BadRequest', field: 'displayName' },
    { name: 'POST /tenants displayName of 257 characters', method: 'POST', path: '/tenants', body: { displayName: long(257) }, status: 400, code: 'Request_BadRequest', field: 'displayName' },
    { name: 'POST /tenants an unknown property', method: 'POST', path: '/tenants', body: { region: 'eu' }, status: 400, code: 'Request_BadRequest', field: 'region' },
    { name: 'POST /tenants without the control key', method: 'POST', path: '/tenants', body: {}, headers: { authorization: '' }, status: 401, code: 'Unauthorized' },
    { name: 'POST /tenants with a wrong control key', method: 'POST', path: '/tenants', body: {}, headers: { authorization: 'Bearer test-0000000000000000' }, status: 401, code: 'Unauthorized' },
    { name: 'POST /tenants with a Graph token instead of the control key', method: 'POST', path: '/tenants', body: {}, headers: () => ({ authorization: `Bearer ${a.token}` }), status: 401, code: 'Unauthorized' },
    { name: 'GET /tenants/{malformed id}', method: 'GET', path: '/tenants/contoso', status: 404, code: 'NotFound' },
    { name: 'DELETE /tenants/{unknown id}', method: 'DELETE', path: () => `/tenants/${randomUUID()}`, status: 404, code: 'NotFound' },
    { name: 'DELETE /tenants with a wrong control key', method: 'DELETE', path: () => `/tenants/${a.tenantId}`, headers: { authorization: 'Bearer nope' }, status: 401, code: 'Unauthorized' },
    { name: 'POST applications with an unknown permission', method: 'POST', path: () => `/tenants/${a.tenantId}/applications`, body: { displayName: 'x', permissions: ['User.Read.All', 'Everything.All'] }, status: 400, code: 'Request_BadRequest', field: 'Everything.All' },
    { name: 'POST applications with permissions as a string', method: 'POST', path: () => `/tenants/${a.tenantId}/applications`, body: { displayName: 'x', permissions: 'User.Read.All' }, status: 400, code: 'Request_BadRequest', field: 'permissions' },
    { name: 'POST applications with an empty displayName', method: 'POST', path: () => `/tenants/${a.tenantId}/applications`, body: { displayName: '', permissions: [] }, status: 400, code: 'Request_BadRequest', field: 'displayName' },
    { name: 'POST applications on an unknown tenant', method: 'POST', path: () => `/tenants/${randomUUID()}/applications`, body: { displayName: 'x', permissions: [] }, status: 404, code: 'NotFound' },
  ];
  it.each(tenantCases)('$name', controlRejects);

  describe('PUT snapshot with a broken document', () => {
    let good: any;
    beforeAll(async () => {
      good = await tenantState();
    });
    const broken = (mutate: (s: any) => void) => () => {
      const s = structuredClone(good);
      mutate(s);
      return s;
    };
    const path = () => `/tenants/${a.tenantId}/snapshot`;
    const cases: ControlCase[] = [
      { name: 'malformed JSON', method: 'PUT', path, raw: '{"format":"tarmac-tenant-snapshot",', status: 400, code: 'BadRequest', message: 'Unable to read JSON' },
      { name: 'a JSON array', method: 'PUT', path, body: [], status: 400, code: 'Request_BadRequest', message: 'JSON object' },
      { name: 'another format', method: 'PUT', path, body: broken((s) => (s.format = 'azure-backup')), status: 400, code: 'Request_BadRequest', field: 'format' },
      { name: 'an unsupported version', method: 'PUT', path, body: broken((s) => (s.version = 99)), status: 400, code: 'Request_BadRequest', field: 'version' },
      { name: "another tenant's id", method: 'PUT', path, body: broken((s) => (s.tenant.id = other.tenantId)), status: 400, code: 'Request_BadRequest', field: 'tenant.id' },
      { name: "another tenant's domain", method: 'PUT', path, body: broken((s) => (s.tenant.domain = other.domain)), status: 400, code: 'Request_BadRequest', message: 'belongs to another tenant' },
      { name: 'no tenant', method: 'PUT', path, body: broken((s) => delete s.tenant), status: 400, code: 'Request_BadRequest', field: 'tenant' },
      { name: 'tenant.displayName as a number', method: 'PUT', path, body: broken((s) => (s.tenant.displayName = 5)), status: 400, code: 'Request_BadRequest', field: 'tenant.displayName' },
      { name: 'no tables', method: 'PUT', path, body: broken((s) => delete s.tables), status: 400, code: 'Request_BadRequest', field: 'tables' },
      { name: 'an unknown table', method: 'PUT', path, body: broken((s) => (s.tables.signing_keys = [])), status: 400, code: 'Request_BadRequest', field: 'signing_keys' },
      { name: 'a table that is not an array', method: 'PUT', path, body: broken((s) => (s.tables.users = {})), status: 400, code: 'Request_BadRequest', field: 'tables.users' },
      { name: 'a row without a column', method: 'PUT', path, body: broken((s) => delete s.tables.users[0].password_hash), status: 400, code: 'Request_BadRequest', field: 'users' },
      { name: 'a row with an extra column', method: 'PUT', path, body: broken((s) => (s.tables.groups[0].tenant_id = other.tenantId)), status: 400, code: 'Request_BadRequest', field: 'groups' },
      { name: 'a numeric id', method: 'PUT', path, body: broken((s) => (s.tables.devices[0].id = 12)), status: 400, code: 'Request_BadRequest', field: "Column 'id' of row 0 of 'devices'" },
      { name: 'a data column that is not an object', method: 'PUT', path, body: broken((s) => (s.tables.users[0].data = 'Adele')), status: 400, code: 'Request_BadRequest', field: "Column 'data' of row 0 of 'users'" },
      { name: 'a null data column', method: 'PUT', path, body: broken((s) => (s.tables.groups[0].data = null)), status: 400, code: 'Request_BadRequest', field: "Column 'data' of row 0 of 'groups'" },
      { name: 'a duplicate row, found only while writing', method: 'PUT', path, body: broken((s) => s.tables.users.push(s.tables.users[0])), status: 400, code: 'Request_BadRequest', message: 'could not be imported' },
      { name: 'a null required column, found only while writing', method: 'PUT', path, body: broken((s) => (s.tables.links[0].rel = null)), status: 400, code: 'Request_BadRequest', message: 'could not be imported' },
    ];
    it.each(cases)('$name', controlRejects);

    it('keeps the tenant usable after the refused imports', async () => {
      const res = await json(a.graph('GET', `/v1.0/users/${fx.user.id}`));
      expect(res.status).toBe(200);
      expect(res.body.userPrincipalName).toBe(fx.user.upn);
    });
  });
});

describe('concurrent requests', () => {
  // Ten clients racing for the same unique value: one wins, the others get the same 400 as when they come
  // one after the other, and no write of the winners or the losers is lost (on PostgreSQL too, where
  // requests really run side by side).
  const race = <T>(n: number, send: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => send(i)));

  it('creates one user for ten racing creates of the same userPrincipalName', async () => {
    const body = validUser({ userPrincipalName: `racer@${a.domain}` });
    const responses = await race(10, () => a.graph('POST', '/v1.0/users', body));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of responses.filter((r) => r.status !== 201)) {
      await expectGraphError(r, 400, { code: 'Request_BadRequest', message: 'Another object with the same value for property userPrincipalName already exists.' });
    }
    const found = await json(a.graph('GET', `/v1.0/users?$filter=userPrincipalName eq 'racer@${a.domain}'`));
    expect(found.body.value).toHaveLength(1);
  });

  it('creates one device for ten racing creates of the same deviceId', async () => {
    const body = validDevice();
    const responses = await race(10, () => a.graph('POST', '/v1.0/devices', body));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of responses.filter((r) => r.status !== 201)) await expectGraphError(r, 400, { code: 'Request_BadRequest', field: 'deviceId' });
    const found = await json(a.graph('GET', `/v1.0/devices?$filter=deviceId eq '${body.deviceId}'`));
    expect(found.body.value).toHaveLength(1);
  });

  it('adds a member once for ten racing $ref requests', async () => {
    const responses = await race(10, () => a.graph('POST', `/v1.0/groups/${fx.group}/members/$ref`, directoryRef(fx.user2.id)));
    expect(responses.filter((r) => r.status === 204)).toHaveLength(1);
    for (const r of responses.filter((r) => r.status !== 204)) await expectGraphError(r, 400, { code: 'Request_BadRequest', message: "already exist for the following modified properties: 'members'." });
    expect((await a.graph('DELETE', `/v1.0/groups/${fx.group}/members/${fx.user2.id}/$ref`)).status).toBe(204);
  });

  it('creates ten tenants for ten racing creates with the same name, each with its own domain', async () => {
    const responses = await race(10, () => t.control('POST', '/tenants', { displayName: 'Racing tenant' }));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const domains = await Promise.all(responses.map(async (r) => ((await r.json()) as { domain: string }).domain));
    expect(new Set(domains).size).toBe(10);
  });

  it('keeps every secret of racing addPassword calls usable', async () => {
    const secrets = await race(8, () => json(a.graph('POST', `/v1.0/applications/${fx.app.id}/addPassword`, {})));
    expect(secrets.map((s) => s.status)).toEqual(Array(8).fill(200));
    const app = await json(a.graph('GET', `/v1.0/applications/${fx.app.id}`));
    const stored = app.body.passwordCredentials.map((c: { keyId: string }) => c.keyId);
    expect(stored).toEqual(expect.arrayContaining(secrets.map((s) => s.body.keyId)));
    for (const s of secrets) {
      const token = await getToken(t.url, a.tenantId, { grant_type: 'client_credentials', client_id: fx.app.appId, client_secret: s.body.secretText, scope: 'https://graph.microsoft.com/.default' });
      expect(token.status).toBe(200);
    }
    for (const s of secrets) expect((await a.graph('POST', `/v1.0/applications/${fx.app.id}/removePassword`, { keyId: s.body.keyId })).status).toBe(204);
  });

  it('applies every one of racing PATCHes of different properties', async () => {
    const props = ['jobTitle', 'department', 'city', 'country', 'state', 'officeLocation', 'companyName', 'givenName'];
    const responses = await race(props.length, (i) => a.graph('PATCH', `/v1.0/users/${fx.user2.id}`, { [props[i]!]: `value ${i}` }));
    expect(responses.map((r) => r.status)).toEqual(Array(props.length).fill(204));
    const user = await json(a.graph('GET', `/v1.0/users/${fx.user2.id}?$select=${props.join(',')}`));
    expect(user.body).toMatchObject(Object.fromEntries(props.map((p, i) => [p, `value ${i}`])));
  });
});
