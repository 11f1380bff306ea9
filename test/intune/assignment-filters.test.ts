import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
});
afterAll(() => t.close());

const FILTERS = '/beta/deviceManagement/assignmentFilters';
const filter = (extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter',
  displayName: 'Surface devices',
  description: 'Only Surface hardware',
  platform: 'windows10AndLater',
  rule: '(device.manufacturer -eq "Microsoft Corporation") and (device.model -startsWith "Surface")',
  roleScopeTags: ['0'],
  ...extra,
});

describe('assignment filters', () => {
  it('creates, reads, lists with the portal query, updates and deletes a filter', async () => {
    const created = await json(tenant.graph('POST', FILTERS, filter()));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      '@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter',
      displayName: 'Surface devices',
      assignmentFilterManagementType: 'devices',
      roleScopeTags: ['0'],
    });
    expect(created.body.createdDateTime).toBe(created.body.lastModifiedDateTime);
    const id = created.body.id;
    const listed = await json(tenant.graph('GET', `${FILTERS}?$filter=platform eq 'windows10AndLater'&$select=id,displayName,rule`));
    expect(listed.body.value).toEqual([{ '@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter', id, displayName: 'Surface devices', rule: filter().rule }]);
    expect((await tenant.graph('PATCH', `${FILTERS}/${id}`, { displayName: 'Surface only' })).status).toBe(204);
    expect((await json(tenant.graph('GET', `${FILTERS}('${id}')`))).body.displayName).toBe('Surface only');
    expect((await tenant.graph('DELETE', `${FILTERS}/${id}`)).status).toBe(204);
    const gone = await json(tenant.graph('GET', `${FILTERS}/${id}`));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NotFound');
  });

  it('rejects an invalid rule, platform or missing field with a 400 naming it, creating nothing', async () => {
    const badRule = await json(tenant.graph('POST', FILTERS, filter({ rule: '(device.model -eq "x"' })));
    expect(badRule.status).toBe(400);
    expect(badRule.body.error).toMatchObject({ code: 'BadRequest', target: 'rule' });
    expect(badRule.body.error.message).toMatch(/position \d+/);
    const badPlatform = await json(tenant.graph('POST', FILTERS, filter({ platform: 'amiga' })));
    expect(badPlatform.body.error.target).toBe('platform');
    const { rule: _r, ...noRule } = filter();
    expect((await json(tenant.graph('POST', FILTERS, noRule))).body.error.target).toBe('rule');
    const wrongType = await json(tenant.graph('POST', FILTERS, filter({ '@odata.type': '#microsoft.graph.win32LobApp' })));
    expect(wrongType.status).toBe(400);
    expect((await json(tenant.graph('GET', FILTERS))).body.value).toEqual([]);
  });

  it('validates a rule without saving it (validateFilter)', async () => {
    const good = await json(tenant.graph('POST', `${FILTERS}/validateFilter`, { deviceAndAppManagementAssignmentFilter: filter() }));
    expect(good.body.isValidRule).toBe(true);
    const bad = await json(tenant.graph('POST', `${FILTERS}/validateFilter`, { deviceAndAppManagementAssignmentFilter: filter({ rule: 'device.nope -eq "x"' }) }));
    expect(bad.body.isValidRule).toBe(false);
  });
});

describe('role scope tags', () => {
  it('has the built-in Default tag 0, creates numbered tags and refuses changing the built-in one', async () => {
    const list = await json(tenant.graph('GET', '/beta/deviceManagement/roleScopeTags'));
    expect(list.body.value[0]).toMatchObject({ id: '0', displayName: 'Default', isBuiltIn: true });
    const created = await json(tenant.graph('POST', '/beta/deviceManagement/roleScopeTags', { displayName: 'Lab', description: 'Lab devices' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: '1', displayName: 'Lab', isBuiltIn: false });
    expect((await json(tenant.graph('DELETE', '/beta/deviceManagement/roleScopeTags/0'))).status).toBe(400);
    // A resource may carry an existing tag, not an unknown one.
    const tagged = await json(tenant.graph('POST', '/beta/deviceManagement/roleScopeTags', { displayName: 'Second' }));
    expect(tagged.body.id).toBe('2');
  });
});
