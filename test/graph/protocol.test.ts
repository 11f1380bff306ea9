import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  // 250 users through $batch, 20 at a time.
  for (let b = 0; b < 250; b += 20) {
    const requests = Array.from({ length: Math.min(20, 250 - b) }, (_, i) => {
      const n = b + i;
      return {
        id: String(n),
        method: 'POST',
        url: '/users',
        headers: { 'Content-Type': 'application/json' },
        body: {
          accountEnabled: n % 10 !== 0,
          displayName: `Person ${String(n).padStart(3, '0')}`,
          mailNickname: `p${n}`,
          userPrincipalName: `p${n}@${tenant.domain}`,
          department: n % 2 ? 'Sales' : 'Finance',
          passwordProfile: { password: 'Passw0rd!x' },
        },
      };
    });
    const res = await json(tenant.graph('POST', '/v1.0/$batch', { requests }));
    expect(res.body.responses.every((r: any) => r.status === 201)).toBe(true);
  }
});
afterAll(() => t.close());

describe('Graph protocol', () => {
  it('pages with @odata.nextLink until every item is seen once', async () => {
    const seen = new Set<string>();
    let url: string | undefined = `/v1.0/users?$top=64&$select=id`;
    let pages = 0;
    while (url) {
      const { body }: { body: any } = await json(tenant.graph('GET', url));
      body.value.forEach((u: any) => seen.add(u.id));
      url = body['@odata.nextLink']?.slice(t.url.length);
      pages++;
    }
    expect(seen.size).toBe(250); // an empty tenant has no users of its own
    expect(pages).toBe(4);
  });

  it('applies the ConsistencyLevel rules for $count', async () => {
    const noHeader = await json(tenant.graph('GET', '/v1.0/users/$count'));
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.message).toBe('$count is not currently supported.');
    const text = await tenant.graph('GET', "/v1.0/users/$count?$filter=department eq 'Sales'", undefined, { ConsistencyLevel: 'eventual' });
    expect(await text.text()).toBe('125');
    const ignored = await json(tenant.graph('GET', '/v1.0/users?$count=true&$top=1'));
    expect(ignored.body['@odata.count']).toBeUndefined();
    const counted = await json(tenant.graph('GET', '/v1.0/users?$count=true&$top=1', undefined, { ConsistencyLevel: 'eventual' }));
    expect(counted.body['@odata.count']).toBe(250);
  });

  it('requires advanced-query parameters for ne, not and endswith', async () => {
    const ne = await json(tenant.graph('GET', "/v1.0/users?$filter=department ne 'Sales'"));
    expect(ne.status).toBe(400);
    expect(ne.body.error.code).toBe('Request_UnsupportedQuery');
    const ok = await json(tenant.graph('GET', "/v1.0/users?$filter=department ne 'Sales'&$count=true", undefined, { ConsistencyLevel: 'eventual' }));
    expect(ok.body['@odata.count']).toBe(125);
    const ends = await json(tenant.graph('GET', "/v1.0/users?$filter=endswith(userPrincipalName,'9@" + tenant.domain + "')&$count=true", undefined, { ConsistencyLevel: 'eventual' }));
    expect(ends.body['@odata.count']).toBe(25);
  });

  it('sorts with $orderby and combines $filter, $select and $top', async () => {
    const { body } = await json(tenant.graph('GET', "/v1.0/users?$filter=accountEnabled eq false&$orderby=displayName desc&$select=displayName&$top=3"));
    expect(body.value.map((u: any) => u.displayName)).toEqual(['Person 240', 'Person 230', 'Person 220']);
    expect(body['@odata.context']).toBe(`${t.url}/v1.0/$metadata#users(displayName)`);
  });

  it('searches with $search and ConsistencyLevel: eventual', async () => {
    const without = await json(tenant.graph('GET', '/v1.0/users?$search="displayName:Person 24"'));
    expect(without.status).toBe(400);
    const found = await json(tenant.graph('GET', '/v1.0/users?$search="displayName:Person 24"&$select=displayName', undefined, { ConsistencyLevel: 'eventual' }));
    expect(found.status).toBe(200);
    expect(found.body.value.length).toBeGreaterThan(0);
  });

  it('runs a $batch with dependsOn, failing dependants of a failed request with 424', async () => {
    const res = await json(
      tenant.graph('POST', '/v1.0/$batch', {
        requests: [
          { id: '1', method: 'POST', url: '/groups', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'B', mailEnabled: false, mailNickname: 'b', securityEnabled: true } },
          { id: '2', method: 'GET', url: '/groups?$filter=displayName eq \'B\'', dependsOn: ['1'] },
          { id: '3', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000000' },
          { id: '4', method: 'GET', url: '/users?$top=1', dependsOn: ['3'] },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: any) => [r.id, r]));
    expect(byId['1'].status).toBe(201);
    expect(byId['2'].body.value).toHaveLength(1);
    expect(byId['3'].status).toBe(404);
    expect(byId['4'].status).toBe(424);
  });

  it('echoes client-request-id and returns request-id on every response', async () => {
    const res = await tenant.graph('GET', '/v1.0/users/nobody@nowhere', undefined, { 'client-request-id': 'abc-123' });
    expect(res.headers.get('client-request-id')).toBe('abc-123');
    const body = (await res.json()) as any;
    expect(body.error.innerError['client-request-id']).toBe('abc-123');
    expect(body.error.innerError['request-id']).toBe(res.headers.get('request-id'));
  });

  it('answers unknown segments and query options with Graph-shaped 400s', async () => {
    const seg = await json(tenant.graph('GET', '/v1.0/usersx'));
    expect(seg.status).toBe(400);
    expect(seg.body.error.message).toBe("Resource not found for the segment 'usersx'.");
    const opt = await json(tenant.graph('GET', '/v1.0/users?$foo=1'));
    expect(opt.status).toBe(400);
    const top = await json(tenant.graph('GET', '/v1.0/users?$top=1000'));
    expect(top.body.error.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  });

  it('accepts object keys without quotes, as Graph does', async () => {
    const user = (await json(tenant.graph('GET', '/v1.0/users?$top=1&$select=id'))).body.value[0].id;
    const res = await tenant.graph('PATCH', `/v1.0/users/${user}`, '{ jobTitle: "Relaxed" }', { 'content-type': 'application/json' });
    expect(res.status).toBe(204);
    expect((await json(tenant.graph('GET', `/v1.0/users/${user}?$select=jobTitle`))).body.jobTitle).toBe('Relaxed');
    const broken = await json(tenant.graph('PATCH', `/v1.0/users/${user}`, '{ jobTitle: ', { 'content-type': 'application/json' }));
    expect(broken.status).toBe(400);
  });
});
