// Drives a running Tarmac server with Microsoft's own npm clients, the way a user's script would: started
// with NODE_EXTRA_CA_CERTS naming Tarmac's local CA, so MSAL, fetch and the Graph SDKs trust its TLS
// certificate without any client-side workaround.
//
//   node scenario.mjs <section>
//
// Environment: TARMAC_URL (https://localhost:PORT), TARMAC_CONTROL_KEY (section `tenant`), TARMAC_TENANT
// (the JSON the control API returned when creating the tenant; the other sections).
// Prints one JSON document: {"ok":true,"result":…} or {"ok":false,"step":…,"error":…} (exit code 1). The
// vitest suite (official-clients.test.ts) asserts on it.

const BASE = process.env.TARMAC_URL;
const HOST = BASE ? new URL(BASE).host : '';
const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
/** Meets Entra's complexity rule; every user the scenario creates gets it. */
const PASSWORD = 'Tarmac-e2e-Passw0rd!';

let currentStep = 'start';

/** Names the step under way, so a failure says where it happened. */
async function step(name, fn) {
  currentStep = name;
  return fn();
}

/** Runs an operation that should fail and describes the failure (or the unexpected success). */
async function failure(fn) {
  try {
    const value = await fn();
    return { succeeded: true, value: value ?? null };
  } catch (err) {
    return describeError(err);
  }
}

/** The fields of an error that the three clients' error types carry. */
function describeError(err) {
  const e = /** @type {any} */ (err);
  const out = { name: e?.name, message: e?.message };
  // @microsoft/microsoft-graph-client GraphError
  if (e?.statusCode !== undefined) Object.assign(out, { statusCode: e.statusCode, code: e.code, body: e.body });
  // Kiota ApiError / ODataError
  if (e?.responseStatusCode !== undefined) {
    Object.assign(out, { responseStatusCode: e.responseStatusCode, code: e.errorEscaped?.code, errorMessage: e.errorEscaped?.message, innerError: e.errorEscaped?.innerError });
  }
  // MSAL AuthError / ServerError
  if (e?.errorCode !== undefined) Object.assign(out, { errorCode: e.errorCode, errorMessage: e.errorMessage, subError: e.subError });
  return out;
}

/** A JSON body, or what could not be parsed (so a test failure shows it). */
function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { unparsableBody: text };
  }
}

const tenant = () => JSON.parse(process.env.TARMAC_TENANT ?? 'null');
const authority = (t) => `${BASE}/${t.tenantId}`;

async function confidentialClient(t) {
  const { ConfidentialClientApplication } = await import('@azure/msal-node');
  return new ConfidentialClientApplication({
    auth: { clientId: t.admin.clientId, clientSecret: t.admin.clientSecret, authority: authority(t), knownAuthorities: [HOST] },
  });
}

async function publicClient(t) {
  const { PublicClientApplication } = await import('@azure/msal-node');
  return new PublicClientApplication({ auth: { clientId: t.admin.clientId, authority: authority(t), knownAuthorities: [HOST] } });
}

function jwtClaims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

const newUser = (domain, nickname, displayName) => ({
  accountEnabled: true,
  displayName,
  mailNickname: nickname,
  userPrincipalName: `${nickname}@${domain}`,
  passwordProfile: { forceChangePasswordNextSignIn: false, password: PASSWORD },
});

// ---------------------------------------------------------------------------------------------------------
// tenant: the control API, over the same trusted TLS.

async function tenantSection() {
  const seed = process.argv[3] ?? 'empty';
  return step('POST /_tarmac/tenants', async () => {
    const res = await fetch(`${BASE}/_tarmac/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${process.env.TARMAC_CONTROL_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seed }),
    });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`tenant creation answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  });
}

// ---------------------------------------------------------------------------------------------------------
// msal: @azure/msal-node against the tenant's authority on Tarmac.

async function msalSection() {
  const t = tenant();
  const cca = await confidentialClient(t);
  const appToken = await step('acquireTokenByClientCredential', () => cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }));
  const cached = await step('acquireTokenByClientCredential (cached)', () => cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }));
  const appCall = await step('GET /v1.0/users with the app token', async () => {
    const res = await fetch(`${BASE}/v1.0/users?$select=id,userPrincipalName`, { headers: { authorization: `Bearer ${appToken.accessToken}` } });
    return { status: res.status, body: await res.json() };
  });

  const { ConfidentialClientApplication } = await import('@azure/msal-node');
  const wrongSecret = await step('client credentials with a wrong secret', () =>
    failure(() =>
      new ConfidentialClientApplication({
        auth: { clientId: t.admin.clientId, clientSecret: 'not-the-secret', authority: authority(t), knownAuthorities: [HOST] },
      }).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }),
    ),
  );

  const pca = await publicClient(t);
  const user = t.users[0];
  const userToken = await step('acquireTokenByUsernamePassword', () =>
    pca.acquireTokenByUsernamePassword({ scopes: [GRAPH_DEFAULT_SCOPE], username: user.userPrincipalName, password: user.password }),
  );
  const userCall = await step('GET /v1.0/users with the delegated token', async () => {
    const res = await fetch(`${BASE}/v1.0/users?$select=id,userPrincipalName`, { headers: { authorization: `Bearer ${userToken.accessToken}` } });
    return { status: res.status, body: await res.json() };
  });
  const wrongPassword = await step('username/password with a wrong password', () =>
    failure(() => pca.acquireTokenByUsernamePassword({ scopes: [GRAPH_DEFAULT_SCOPE], username: user.userPrincipalName, password: 'Wrong-passw0rd' })),
  );

  const appClaims = jwtClaims(appToken.accessToken);
  const userClaims = jwtClaims(userToken.accessToken);
  return {
    app: {
      tokenType: appToken.tokenType,
      tenantId: appToken.tenantId,
      scopes: appToken.scopes,
      expiresInSeconds: Math.round((appToken.expiresOn.getTime() - Date.now()) / 1000),
      fromCache: appToken.fromCache,
      cachedFromCache: cached.fromCache,
      cachedSameToken: cached.accessToken === appToken.accessToken,
      claims: { aud: appClaims.aud, tid: appClaims.tid, appid: appClaims.appid, idtyp: appClaims.idtyp, roles: appClaims.roles },
    },
    appCall: { status: appCall.status, count: appCall.body.value?.length },
    wrongSecret,
    user: {
      expectedUpn: user.userPrincipalName,
      expectedId: user.id,
      tokenType: userToken.tokenType,
      accountUsername: userToken.account?.username,
      accountTenantId: userToken.account?.tenantId,
      accountLocalId: userToken.account?.localAccountId,
      idTokenPreferredUsername: userToken.idTokenClaims?.preferred_username,
      claims: { aud: userClaims.aud, tid: userClaims.tid, oid: userClaims.oid, upn: userClaims.upn, hasScp: typeof userClaims.scp === 'string' },
    },
    userCall: { status: userCall.status, upns: (userCall.body.value ?? []).map((u) => u.userPrincipalName) },
    wrongPassword,
  };
}

// ---------------------------------------------------------------------------------------------------------
// graph-client: @microsoft/microsoft-graph-client v3 pointed at Tarmac with baseUrl and customHosts.

async function graphClientSection() {
  const t = tenant();
  const { Client, PageIterator, BatchRequestContent, BatchResponseContent } = await import('@microsoft/microsoft-graph-client');
  const cca = await confidentialClient(t);
  let tokenRequests = 0;
  const client = Client.init({
    authProvider: (done) => {
      tokenRequests++;
      cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }).then(
        (r) => done(null, r.accessToken),
        (e) => done(e, null),
      );
    },
    baseUrl: `${BASE}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(BASE).hostname]),
  });
  const domain = t.domain;
  const ref = (id) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

  // Users and groups
  const alice = await step('POST /users (alice)', () => client.api('/users').post(newUser(domain, 'alice', 'Alice Example')));
  const bob = await step('POST /users (bob)', () => client.api('/users').post(newUser(domain, 'bob', 'Bob Example')));
  const carol = await step('POST /users (carol)', () => client.api('/users').post(newUser(domain, 'carol', 'Carol Example')));
  const security = await step('POST /groups (security)', () =>
    client.api('/groups').post({ displayName: 'E2E Security', mailEnabled: false, mailNickname: 'e2esecurity', securityEnabled: true, groupTypes: [] }),
  );
  const unified = await step('POST /groups (Microsoft 365)', () =>
    client.api('/groups').post({ displayName: 'E2E Team', mailEnabled: true, mailNickname: 'e2eteam', securityEnabled: false, groupTypes: ['Unified'] }),
  );
  const parent = await step('POST /groups (parent)', () =>
    client.api('/groups').post({ displayName: 'E2E Parent', mailEnabled: false, mailNickname: 'e2eparent', securityEnabled: true }),
  );
  const aliceRead = await step('GET /users/{id}', () => client.api(`/users/${alice.id}`).get());
  const aliceByUpn = await step('GET /users/{upn} with $select', () => client.api(`/users/${alice.userPrincipalName}`).select(['id', 'displayName']).get());

  // Membership
  await step('POST /groups/{security}/members/$ref (alice)', () => client.api(`/groups/${security.id}/members/$ref`).post(ref(alice.id)));
  await step('POST /groups/{security}/members/$ref (bob)', () => client.api(`/groups/${security.id}/members/$ref`).post(ref(bob.id)));
  await step('POST /groups/{parent}/members/$ref (security)', () => client.api(`/groups/${parent.id}/members/$ref`).post(ref(security.id)));
  await step('POST /groups/{team}/members/$ref (carol, local URL)', () =>
    client.api(`/groups/${unified.id}/members/$ref`).post({ '@odata.id': `${BASE}/v1.0/directoryObjects/${carol.id}` }),
  );
  const duplicate = await step('POST /groups/{security}/members/$ref (alice again)', () =>
    failure(() => client.api(`/groups/${security.id}/members/$ref`).post(ref(alice.id))),
  );
  const members = await step('GET /groups/{security}/members', () => client.api(`/groups/${security.id}/members`).get());
  const teamMembers = await step('GET /groups/{team}/members', () => client.api(`/groups/${unified.id}/members`).get());
  const parentMembers = await step('GET /groups/{parent}/members', () => client.api(`/groups/${parent.id}/members`).get());
  const transitive = await step('GET /groups/{parent}/transitiveMembers', () => client.api(`/groups/${parent.id}/transitiveMembers`).get());
  const transitiveUsers = await step('GET /groups/{parent}/transitiveMembers/microsoft.graph.user', () =>
    client.api(`/groups/${parent.id}/transitiveMembers/microsoft.graph.user`).get(),
  );
  const memberOf = await step('GET /users/{alice}/memberOf', () => client.api(`/users/${alice.id}/memberOf`).get());
  const transitiveMemberOf = await step('GET /users/{alice}/transitiveMemberOf', () => client.api(`/users/${alice.id}/transitiveMemberOf`).get());

  // Bulk creation through $batch (raw JSON), then paging
  const loadIds = [];
  const loadStatuses = [];
  await step('POST /$batch creating 150 users', async () => {
    for (let start = 1; start <= 150; start += 20) {
      const requests = [];
      for (let i = start; i < start + 20 && i <= 150; i++) {
        const n = String(i).padStart(3, '0');
        requests.push({ id: n, method: 'POST', url: '/users', headers: { 'Content-Type': 'application/json' }, body: newUser(domain, `load${n}`, `Load user ${n}`) });
      }
      const answer = await client.api('/$batch').post({ requests });
      for (const r of answer.responses) {
        loadStatuses.push(r.status);
        if (r.body?.id) loadIds.push(r.body.id);
      }
    }
  });

  const manualPages = await step('GET /users following @odata.nextLink', async () => {
    const pages = [];
    let page = await client.api('/users').get();
    for (;;) {
      pages.push({ size: page.value.length, nextLink: page['@odata.nextLink'] ?? null, ids: page.value.map((u) => u.id) });
      if (!page['@odata.nextLink']) break;
      page = await client.api(page['@odata.nextLink']).get();
    }
    return pages;
  });

  const iterated = await step('PageIterator over /users?$top=40 with ConsistencyLevel', async () => {
    const headers = { ConsistencyLevel: 'eventual' };
    const first = await client.api('/users').header('ConsistencyLevel', 'eventual').count(true).top(40).select(['id', 'userPrincipalName']).get();
    const ids = [];
    const iterator = new PageIterator(client, first, (u) => (ids.push(u.id), true), { headers });
    await iterator.iterate();
    return { firstCount: first['@odata.count'], firstSize: first.value.length, ids, complete: iterator.isComplete() };
  });

  // Query options
  const filtered = await step("GET /users?$filter=startswith(displayName,'Load user')&$top=999", () =>
    client.api('/users').filter("startswith(displayName,'Load user')").top(999).select(['id', 'displayName']).get(),
  );
  const byUpn = await step('GET /users?$filter=userPrincipalName eq …', () => client.api('/users').filter(`userPrincipalName eq '${bob.userPrincipalName}'`).get());
  const selected = await step('GET /users?$select=id,displayName&$top=5', () => client.api('/users').select('id,displayName').top(5).get());
  const counted = await step('GET /users?$count=true&$filter=… with ConsistencyLevel', () =>
    client.api('/users').header('ConsistencyLevel', 'eventual').count(true).filter("startswith(displayName,'Load user')").top(1).get(),
  );
  const countText = await step('GET /users/$count with ConsistencyLevel', () => client.api('/users/$count').header('ConsistencyLevel', 'eventual').get());
  const countWithoutHeader = await step('GET /users/$count without ConsistencyLevel', () => failure(() => client.api('/users/$count').get()));
  const endsWithWithoutHeader = await step('GET /users?$filter=endswith(…) without ConsistencyLevel', () =>
    failure(() => client.api('/users').filter(`endswith(userPrincipalName,'@${domain}')`).get()),
  );
  const endsWith = await step('GET /users?$filter=endswith(…)&$count=true with ConsistencyLevel', () =>
    client.api('/users').header('ConsistencyLevel', 'eventual').count(true).filter("endswith(mailNickname,'ol')").get(),
  );

  // JSON batching with the SDK's BatchRequestContent and dependsOn. The request URLs carry no version: the
  // SDK strips only scheme and host (microsoft/msgraph-sdk-javascript#1451), as against graph.microsoft.com.
  const json = { 'Content-Type': 'application/json' };
  /** Sends the steps through BatchRequestContent and reads every answer through BatchResponseContent. */
  const sendBatch = async (steps) => {
    const payload = await new BatchRequestContent(steps).getContent();
    const raw = await client.api('/$batch').post(payload);
    const answer = new BatchResponseContent(raw);
    const responses = {};
    for (const { id } of steps) {
      const res = answer.getResponseById(id);
      const text = res ? await res.text() : '';
      responses[id] = { status: res?.status ?? null, body: parseJson(text) };
    }
    return {
      sent: payload.requests.map((r) => ({ id: r.id, url: r.url, dependsOn: r.dependsOn ?? [] })),
      order: raw.responses.map((r) => r.id),
      headerNames: [...new Set(raw.responses.flatMap((r) => Object.keys(r.headers ?? {})))],
      responses,
    };
  };
  // A serial chain: create a user, then a group, then find the group.
  const batch = await step('POST /$batch with BatchRequestContent (dependsOn chain)', () =>
    sendBatch([
      { id: '1', request: new Request(`${BASE}/users`, { method: 'POST', headers: json, body: JSON.stringify(newUser(domain, 'dave', 'Dave Batch')) }) },
      {
        id: '2',
        dependsOn: ['1'],
        request: new Request(`${BASE}/groups`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ displayName: 'E2E Batch group', mailEnabled: false, mailNickname: 'e2ebatch', securityEnabled: true }),
        }),
      },
      { id: '3', dependsOn: ['2'], request: new Request(`${BASE}/groups?$filter=displayName eq 'E2E Batch group'&$select=id,displayName`, { method: 'GET' }) },
    ]),
  );
  // A chain whose first request fails: the requests depending on it are not run (424).
  const failedBatch = await step('POST /$batch with a failing dependency', () =>
    sendBatch([
      { id: 'a', request: new Request(`${BASE}/users`, { method: 'POST', headers: json, body: JSON.stringify({ displayName: 'No UPN' }) }) },
      { id: 'b', dependsOn: ['a'], request: new Request(`${BASE}/users/${alice.id}`, { method: 'GET' }) },
      { id: 'c', dependsOn: ['b'], request: new Request(`${BASE}/users/${bob.id}`, { method: 'GET' }) },
    ]),
  );
  const parallelBatch = await step('POST /$batch with independent requests', () =>
    sendBatch([
      { id: 'x', request: new Request(`${BASE}/users/${alice.id}?$select=id,userPrincipalName`, { method: 'GET' }) },
      { id: 'y', request: new Request(`${BASE}/groups/${security.id}/members?$select=id`, { method: 'GET' }) },
      { id: 'z', request: new Request(`${BASE}/users/00000000-0000-0000-0000-00000000dead`, { method: 'GET' }) },
    ]),
  );

  const typeOf = (o) => o['@odata.type'];
  return {
    tokenRequests,
    created: {
      users: [alice, bob, carol].map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, context: u['@odata.context'] })),
      security: { id: security.id, groupTypes: security.groupTypes, securityEnabled: security.securityEnabled, mailEnabled: security.mailEnabled, mail: security.mail },
      unified: { id: unified.id, groupTypes: unified.groupTypes, mailEnabled: unified.mailEnabled, mail: unified.mail },
      parent: { id: parent.id },
      aliceRead: { keys: Object.keys(aliceRead), userPrincipalName: aliceRead.userPrincipalName, context: aliceRead['@odata.context'] },
      aliceByUpn,
    },
    membership: {
      duplicate,
      members: members.value.map((o) => ({ id: o.id, type: typeOf(o), userPrincipalName: o.userPrincipalName })),
      membersContext: members['@odata.context'],
      teamMembers: teamMembers.value.map((o) => o.id),
      parentMembers: parentMembers.value.map((o) => ({ id: o.id, type: typeOf(o) })),
      transitive: transitive.value.map((o) => ({ id: o.id, type: typeOf(o) })),
      transitiveUsers: transitiveUsers.value.map((o) => o.id),
      memberOf: memberOf.value.map((o) => ({ id: o.id, type: typeOf(o) })),
      transitiveMemberOf: transitiveMemberOf.value.map((o) => o.id),
    },
    load: { statuses: loadStatuses, ids: loadIds },
    paging: { manualPages, iterated },
    query: {
      filtered: { size: filtered.value.length, nextLink: filtered['@odata.nextLink'] ?? null, keys: [...new Set(filtered.value.flatMap((u) => Object.keys(u)))] },
      byUpn: byUpn.value.map((u) => u.id),
      selected: { context: selected['@odata.context'], keys: [...new Set(selected.value.flatMap((u) => Object.keys(u)))], size: selected.value.length },
      counted: { count: counted['@odata.count'], size: counted.value.length, hasNextLink: typeof counted['@odata.nextLink'] === 'string' },
      countText,
      countWithoutHeader,
      endsWithWithoutHeader,
      endsWith: { count: endsWith['@odata.count'], ids: endsWith.value.map((u) => u.id) },
    },
    batch,
    failedBatch,
    parallelBatch,
  };
}

// ---------------------------------------------------------------------------------------------------------
// kiota-beta: @microsoft/msgraph-beta-sdk (Kiota) with its own request adapter, baseUrl set to Tarmac.

async function kiotaBetaSection() {
  const t = tenant();
  const { createGraphBetaServiceClient, GraphBetaRequestAdapter } = await import('@microsoft/msgraph-beta-sdk');
  const { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } = await import('@microsoft/kiota-abstractions');
  const { PageIterator, BatchRequestContent } = await import('@microsoft/msgraph-sdk-core');
  const { createUserCollectionResponseFromDiscriminatorValue } = await import('@microsoft/msgraph-beta-sdk/models/index.js');
  const { createODataErrorFromDiscriminatorValue } = await import('@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js');
  await import('./beta-directory.mjs');

  /**
   * A Kiota client whose bearer token comes from `token()` (MSAL). GraphBetaRequestAdapter is the SDK's
   * FetchRequestAdapter (JSON, text and form serializers registered, Graph middleware); a bare
   * FetchRequestAdapter starts with no serializers. baseUrl must be set before createGraphBetaServiceClient.
   */
  const kiotaClient = (token) => {
    const provider = new BaseBearerTokenAuthenticationProvider({
      getAuthorizationToken: async () => token(),
      getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([HOST])),
    });
    const adapter = new GraphBetaRequestAdapter(provider);
    adapter.baseUrl = `${BASE}/beta`;
    return { adapter, client: createGraphBetaServiceClient(adapter) };
  };
  const errorMappings = { XXX: createODataErrorFromDiscriminatorValue };

  const cca = await confidentialClient(t);
  const { adapter, client } = kiotaClient(async () => (await cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] })).accessToken);
  const domain = t.domain;

  const kim = await step('users.post (kim)', () => client.users.post(newUser(domain, 'kim', 'Kim Kiota')));
  const others = [];
  for (const n of ['ken', 'kit', 'kai', 'kay']) {
    others.push(await step(`users.post (${n})`, () => client.users.post(newUser(domain, n, `${n[0].toUpperCase()}${n.slice(1)} Kiota`))));
  }
  const kimRead = await step('users.byUserId(upn).get', () => client.users.byUserId(kim.userPrincipalName).get({ queryParameters: { select: ['id', 'displayName', 'accountEnabled'] } }));
  const group = await step('groups.post', () =>
    client.groups.post({ displayName: 'Kiota group', mailEnabled: false, mailNickname: 'kiotagroup', securityEnabled: true, groupTypes: [] }),
  );
  const groupRead = await step('groups.byGroupId.get', () => client.groups.byGroupId(group.id).get());
  await step('groups.byGroupId.members.ref.post (kim)', () => client.groups.byGroupId(group.id).members.ref.post({ odataId: `${BASE}/beta/directoryObjects/${kim.id}` }));
  await step('groups.byGroupId.members.ref.post (ken)', () =>
    client.groups.byGroupId(group.id).members.ref.post({ odataId: `https://graph.microsoft.com/beta/directoryObjects/${others[0].id}` }),
  );
  const duplicate = await step('groups.byGroupId.members.ref.post (kim again)', () =>
    failure(() => client.groups.byGroupId(group.id).members.ref.post({ odataId: `${BASE}/beta/directoryObjects/${kim.id}` })),
  );
  const missingGroup = await step('groups.byGroupId(unknown).get', () => failure(() => client.groups.byGroupId('00000000-0000-0000-0000-00000000dead').get()));
  const members = await step('groups.byGroupId.members.get', () => client.groups.byGroupId(group.id).members.get());
  const kimMemberOf = await step('users.byUserId.memberOf.get', () => client.users.byUserId(kim.id).memberOf.get());

  const paged = await step('PageIterator over users.get({top: 2})', async () => {
    const first = await client.users.get({ queryParameters: { top: 2, select: ['id', 'userPrincipalName'], orderby: ['userPrincipalName'] } });
    const upns = [];
    const iterator = new PageIterator(adapter, first, (u) => (upns.push(u.userPrincipalName), true), createUserCollectionResponseFromDiscriminatorValue, errorMappings);
    await iterator.iterate();
    return { firstSize: first.value.length, firstNextLink: first.odataNextLink ?? null, upns, state: iterator.getPagingState() };
  });
  const counted = await step('users.get with $count, $filter and ConsistencyLevel', () =>
    client.users.get({ headers: { ConsistencyLevel: 'eventual' }, queryParameters: { count: true, filter: "startswith(displayName,'K')", select: ['id'] } }),
  );

  // Reads only: msgraph-sdk-core (1.0.0-preview.17) drops each step's headers, so a POST step lacks its
  // Content-Type (which Graph rejects), and it reads response bodies as base64 byte arrays; status codes
  // are what it reports faithfully.
  const batch = await step('BatchRequestContent (msgraph-sdk-core) with dependsOn', async () => {
    const content = new BatchRequestContent(adapter, errorMappings);
    content.addBatchRequest(client.users.toGetRequestInformation({ queryParameters: { select: ['id'] } }), 'users');
    const second = content.addBatchRequest(client.groups.byGroupId(group.id).members.toGetRequestInformation(), 'members');
    second.dependsOn = ['users'];
    const answer = await content.postAsync();
    const statuses = answer ? Object.fromEntries(await answer.getResponsesStatusCodes()) : null;
    const sent = content.getContent().requests.map((r) => ({ id: r.id, method: r.method, url: r.url, dependsOn: r.dependsOn ?? [] }));
    return { sent, statuses };
  });

  // Policies, read as a signed-in administrator: mobileDeviceManagementPolicies is delegated-only in Graph.
  const pca = await publicClient(t);
  const { client: asUser } = kiotaClient(async () =>
    (await pca.acquireTokenByUsernamePassword({ scopes: [GRAPH_DEFAULT_SCOPE], username: kim.userPrincipalName, password: PASSWORD })).accessToken,
  );
  const mdm = await step('policies.mobileDeviceManagementPolicies.get', () => asUser.policies.mobileDeviceManagementPolicies.get());
  const mdmItem = await step('policies.mobileDeviceManagementPolicies.byId.get', () =>
    asUser.policies.mobileDeviceManagementPolicies.byMobileDeviceManagementPolicyId('0000000a-0000-0000-c000-000000000000').get(),
  );
  const drp = await step('policies.deviceRegistrationPolicy.get', () => asUser.policies.deviceRegistrationPolicy.get());

  return {
    users: {
      kim: { id: kim.id, userPrincipalName: kim.userPrincipalName, displayName: kim.displayName, odataType: kim.odataType ?? null },
      kimRead: { id: kimRead.id, displayName: kimRead.displayName, accountEnabled: kimRead.accountEnabled },
      others: others.map((u) => u.id),
    },
    group: { id: group.id, displayName: group.displayName, securityEnabled: group.securityEnabled, readDisplayName: groupRead.displayName, securityIdentifier: groupRead.securityIdentifier },
    duplicate,
    missingGroup,
    members: (members.value ?? []).map((m) => ({ id: m.id, odataType: m.odataType, userPrincipalName: m.userPrincipalName })),
    kimMemberOf: (kimMemberOf.value ?? []).map((g) => ({ id: g.id, odataType: g.odataType, displayName: g.displayName })),
    paged,
    counted: { count: counted.odataCount, size: counted.value?.length },
    batch,
    policies: {
      mdm: (mdm.value ?? []).map((p) => ({ id: p.id, displayName: p.displayName, appliesTo: p.appliesTo, discoveryUrl: p.discoveryUrl })),
      mdmItem: { id: mdmItem.id, displayName: mdmItem.displayName, isValid: mdmItem.isValid },
      deviceRegistration: {
        id: drp.id,
        userDeviceQuota: drp.userDeviceQuota,
        multiFactorAuthConfiguration: drp.multiFactorAuthConfiguration,
        allowedToJoinType: drp.azureADJoin?.allowedToJoin?.odataType,
        isAdminConfigurable: drp.azureADJoin?.isAdminConfigurable,
      },
    },
  };
}

/** Dynamic device groups with the tutorial's Autopilot rules, through @microsoft/microsoft-graph-client. */
async function dynamicGroupsSection() {
  const t = tenant();
  const { Client } = await import('@microsoft/microsoft-graph-client');
  const cca = await confidentialClient(t);
  const client = Client.init({
    authProvider: (done) => cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }).then((r) => done(null, r.accessToken), (e) => done(e, null)),
    baseUrl: `${BASE}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(BASE).hostname]),
  });
  const { randomUUID } = await import('node:crypto');
  const device = (name, physicalIds) =>
    client.api('/devices').post({
      accountEnabled: true,
      alternativeSecurityIds: [{ type: 2, key: 'a2V5' }],
      deviceId: randomUUID(),
      displayName: name,
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.26100.2314',
      physicalIds,
    });
  const members = async (groupId) => (await client.api(`/groups/${groupId}/members`).select('displayName').get()).value.map((m) => m.displayName).sort();
  const group = (name, rule) =>
    client.api('/groups').post({
      displayName: name,
      mailEnabled: false,
      mailNickname: name.replace(/\W/g, ''),
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: rule,
      membershipRuleProcessingState: 'On',
    });
  const seen = {};
  const all = await step('create the all-Autopilot-devices group', () => group('All Autopilot', '(device.devicePhysicalIDs -any (_ -contains "[ZTDId]"))'));
  const sales = await step('create the Sales group-tag group', () => group('Sales tag', '(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))'));
  const a = await step('create device A (Sales)', () => device('AP-A', [`[ZTDId]:${randomUUID()}`, '[OrderId]:Sales', '[PurchaseOrderId]:PO-1']));
  await step('create device B (HR)', () => device('AP-B', [`[ZTDId]:${randomUUID()}`, '[OrderId]:HR']));
  await step('create device C (not Autopilot)', () => device('PLAIN-C', []));
  seen.afterCreate = { all: await members(all.id), sales: await members(sales.id) };
  await step('retag device A to HR', () => client.api(`/devices/${a.id}`).patch({ physicalIds: [`[ZTDId]:${randomUUID()}`, '[OrderId]:HR'] }));
  seen.afterUpdate = { all: await members(all.id), sales: await members(sales.id) };
  await step('edit the rule to the HR tag', () => client.api(`/groups/${sales.id}`).patch({ membershipRule: '(device.devicePhysicalIds -any (_ -eq "[OrderID]:HR"))' }));
  seen.afterRuleEdit = { sales: await members(sales.id) };
  await step('delete device A', () => client.api(`/devices/${a.id}`).delete());
  seen.afterDelete = { all: await members(all.id), sales: await members(sales.id) };
  seen.manualAdd = await failure(() => client.api(`/groups/${all.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${t.users?.[0]?.id ?? a.id}` }));
  seen.badRule = await failure(() => group('Bad rule', '(device.devicePhysicalIds -any (_ -contains "[ZTDId]")'));
  return seen;
}

const sections = { 'dynamic-groups': dynamicGroupsSection, tenant: tenantSection, msal: msalSection, 'graph-client': graphClientSection, 'kiota-beta': kiotaBetaSection };

const run = sections[process.argv[2]];
if (!run || !BASE) {
  process.stdout.write(JSON.stringify({ ok: false, step: 'arguments', error: { message: `usage: TARMAC_URL=… node scenario.mjs <${Object.keys(sections).join('|')}>` } }));
  process.exit(2);
}
try {
  const result = await run();
  process.stdout.write(JSON.stringify({ ok: true, result }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, step: currentStep, error: { ...describeError(err), stack: err?.stack } }));
  process.exitCode = 1;
}
