import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

const ztd = () => `[ZTDId]:${randomUUID()}`;
async function device(name: string, physicalIds: string[], extra: Record<string, unknown> = {}) {
  const res = await json(
    tenant.graph('POST', '/v1.0/devices', {
      accountEnabled: true,
      alternativeSecurityIds: [{ type: 2, key: 'a2V5' }],
      deviceId: randomUUID(),
      displayName: name,
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.26100.1',
      physicalIds,
      ...extra,
    }),
  );
  expect(res.status).toBe(201);
  return res.body.id as string;
}
async function dynamicGroup(name: string, rule: string, extra: Record<string, unknown> = {}) {
  const res = await json(
    tenant.graph('POST', '/v1.0/groups', {
      displayName: name,
      mailEnabled: false,
      mailNickname: name.replace(/\W/g, ''),
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: rule,
      membershipRuleProcessingState: 'On',
      ...extra,
    }),
  );
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const memberIds = async (groupId: string) => ((await json(tenant.graph('GET', `/v1.0/groups/${groupId}/members?$select=id`))).body.value as any[]).map((m) => m.id).sort();

describe('dynamic device groups (Autopilot rules)', () => {
  it('follow device creates, updates and deletes, and rule edits', async () => {
    const before = await device('AP-BEFORE', [ztd(), '[OrderId]:Sales']);
    const all = await dynamicGroup('All Autopilot devices', '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))');
    const sales = await dynamicGroup('Sales tag', '(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))');
    expect(await memberIds(all)).toEqual([before]);

    const plain = await device('PLAIN', []);
    const tagged = await device('AP-SALES', [ztd(), '[OrderId]:sales']);
    const other = await device('AP-HR', [ztd(), '[OrderId]:HR']);
    expect(await memberIds(all)).toEqual([before, tagged, other].sort());
    expect(await memberIds(sales)).toEqual([before, tagged].sort());
    expect(await memberIds(all)).not.toContain(plain);

    // The group tag changes: the device moves.
    await tenant.graph('PATCH', `/v1.0/devices/${other}`, { physicalIds: ['[ZTDId]:x', '[OrderId]:Sales'] });
    expect(await memberIds(sales)).toEqual([before, tagged, other].sort());
    // Deleted: gone from every group.
    await tenant.graph('DELETE', `/v1.0/devices/${tagged}`);
    expect(await memberIds(all)).toEqual([before, other].sort());
    // The rule changes: the whole membership is recomputed.
    await tenant.graph('PATCH', `/v1.0/groups/${sales}`, { membershipRule: '(device.devicePhysicalIds -any (_ -eq "[OrderID]:HR"))' });
    expect(await memberIds(sales)).toEqual([]);
    const memberOf = await json(tenant.graph('GET', `/v1.0/devices/${other}/memberOf?$select=id`));
    expect(memberOf.body.value.map((g: any) => g.id)).toEqual([all]);
  });

  it('freezes membership while Paused and catches up when turned On', async () => {
    const group = await dynamicGroup('Surface devices', 'device.deviceModel -startsWith "Surface"');
    const first = await device('S1', [], { model: 'Surface Laptop 6' });
    expect(await memberIds(group)).toEqual([first]);
    expect((await tenant.graph('PATCH', `/v1.0/groups/${group}`, { membershipRuleProcessingState: 'Paused' })).status).toBe(204);
    const second = await device('S2', [], { model: 'Surface Pro 10' });
    await tenant.graph('PATCH', `/v1.0/devices/${first}`, { model: 'ThinkPad' });
    expect(await memberIds(group)).toEqual([first]);
    const paused = await json(tenant.graph('GET', `/beta/groups/${group}?$select=membershipRuleProcessingStatus`));
    expect(paused.body.membershipRuleProcessingStatus).toBeNull();
    await tenant.graph('PATCH', `/v1.0/groups/${group}`, { membershipRuleProcessingState: 'On' });
    expect(await memberIds(group)).toEqual([second]);
    const status = await json(tenant.graph('GET', `/beta/groups/${group}?$select=membershipRuleProcessingStatus`));
    expect(status.body.membershipRuleProcessingStatus).toMatchObject({ status: 'Succeeded', errorMessage: null });
    const v1 = await json(tenant.graph('GET', `/v1.0/groups/${group}`));
    expect(v1.body).not.toHaveProperty('membershipRuleProcessingStatus');
  });

  it('refuses manual members', async () => {
    const group = await dynamicGroup('No manual', 'device.deviceOSType -eq "Windows"');
    const id = await device('M1', []);
    const add = await json(tenant.graph('POST', `/v1.0/groups/${group}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${tenant.users[0]!.id}` }));
    expect(add.status).toBe(403);
    expect(add.body.error.code).toBe('Authorization_RequestDenied');
    const remove = await json(tenant.graph('DELETE', `/v1.0/groups/${group}/members/${id}/$ref`));
    expect(remove.status).toBe(403);
    expect(await memberIds(group)).toContain(id);
  });
});

describe('dynamic user groups', () => {
  it('follow user attributes, managers (Direct Reports) and memberOf', async () => {
    const sales = await dynamicGroup('Sales people', 'user.department -eq "sales" -and user.accountEnabled -eq true');
    const salesUsers = (await json(tenant.graph('GET', "/v1.0/users?$filter=department eq 'Sales'&$select=id"))).body.value.map((u: any) => u.id).sort();
    expect(await memberIds(sales)).toEqual(salesUsers);
    const someone = salesUsers[0];
    await tenant.graph('PATCH', `/v1.0/users/${someone}`, { accountEnabled: false });
    expect(await memberIds(sales)).not.toContain(someone);

    const boss = tenant.users[6]!.id;
    const reports = await dynamicGroup('Reports of boss', `Direct Reports for "${boss}"`);
    expect(await memberIds(reports)).toEqual([]);
    await tenant.graph('PUT', `/v1.0/users/${tenant.users[7]!.id}/manager/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${boss}` });
    expect(await memberIds(reports)).toEqual([tenant.users[7]!.id]);

    const assigned = await json(tenant.graph('POST', '/v1.0/groups', { displayName: 'Pilot', mailEnabled: false, mailNickname: 'pilot', securityEnabled: true }));
    const pilots = await dynamicGroup('Pilot users', `user.memberOf -any (group.objectId -in ['${assigned.body.id}'])`);
    await tenant.graph('POST', `/v1.0/groups/${assigned.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${tenant.users[8]!.id}` });
    expect(await memberIds(pilots)).toEqual([tenant.users[8]!.id]);
    await tenant.graph('DELETE', `/v1.0/groups/${assigned.body.id}/members/${tenant.users[8]!.id}/$ref`);
    expect(await memberIds(pilots)).toEqual([]);
  });

  it('follows chains of memberOf groups', async () => {
    const base = await json(tenant.graph('POST', '/v1.0/groups', { displayName: 'Base', mailEnabled: false, mailNickname: 'base', securityEnabled: true }));
    const first = await dynamicGroup('First hop', `user.memberOf -any (group.objectId -in ['${base.body.id}'])`);
    const second = await dynamicGroup('Second hop', `user.memberOf -any (group.objectId -in ['${first}'])`);
    const user = tenant.users[9]!.id;
    await tenant.graph('POST', `/v1.0/groups/${base.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` });
    expect(await memberIds(first)).toEqual([user]);
    expect(await memberIds(second)).toEqual([user]);
    await tenant.graph('DELETE', `/v1.0/groups/${base.body.id}/members/${user}/$ref`);
    expect(await memberIds(second)).toEqual([]);
  });

  it('rejects invalid rules with the position and Entra\'s wording, creating nothing', async () => {
    const before = (await json(tenant.graph('GET', '/v1.0/groups?$select=id'))).body.value.length;
    const unknown = await json(
      tenant.graph('POST', '/v1.0/groups', { displayName: 'Bad', mailEnabled: false, mailNickname: 'bad', securityEnabled: true, groupTypes: ['DynamicMembership'], membershipRule: 'user.invalidProperty -eq "x"' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/position 0: Attribute not supported/);
    const mixed = await json(
      tenant.graph('POST', '/v1.0/groups', {
        displayName: 'Mixed',
        mailEnabled: false,
        mailNickname: 'mixed',
        securityEnabled: true,
        groupTypes: ['DynamicMembership'],
        membershipRule: 'user.department -eq "x" -or device.deviceModel -eq "y"',
      }),
    );
    expect(mixed.status).toBe(400);
    const m365Device = await json(
      tenant.graph('POST', '/v1.0/groups', {
        displayName: 'M365',
        mailEnabled: true,
        mailNickname: 'm365dev',
        securityEnabled: false,
        groupTypes: ['Unified', 'DynamicMembership'],
        membershipRule: 'device.deviceOSType -eq "Windows"',
      }),
    );
    expect(m365Device.status).toBe(400);
    expect((await json(tenant.graph('GET', '/v1.0/groups?$select=id'))).body.value.length).toBe(before);
  });
});

describe('explaining a rule', () => {
  it('answers Graph beta evaluateDynamicMembership in Graph\'s shape', async () => {
    const adele = (await json(tenant.graph('GET', `/v1.0/users/AdeleV@${tenant.domain}`))).body.id;
    const res = await json(
      tenant.graph('POST', '/beta/groups/evaluateDynamicMembership', { memberId: adele, membershipRule: '(user.department -eq "Retail") -and (user.city -eq "Seattle")' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      membershipRule: '(user.department -eq "Retail") -and (user.city -eq "Seattle")',
      membershipRuleEvaluationResult: false,
      membershipRuleEvaluationDetails: {
        expressionResult: false,
        expressionEvaluationDetails: [
          { expression: 'user.department -eq "Retail"', expressionResult: true, propertyToEvaluate: { propertyName: 'department', propertyValue: 'Retail' } },
          { expression: 'user.city -eq "Seattle"', expressionResult: false, propertyToEvaluate: { propertyName: 'city', propertyValue: 'Bellevue' } },
        ],
      },
    });
    expect((await tenant.graph('POST', '/v1.0/groups/evaluateDynamicMembership', { memberId: adele, membershipRule: 'user.city -eq "x"' })).status).toBe(400);
  });

  it('tells which sub-expression decided, with actual values (control API)', async () => {
    const group = await dynamicGroup('Retail in Bellevue', '(user.department -eq "Retail") -and (user.city -eq "Seattle")');
    const adele = (await json(tenant.graph('GET', `/v1.0/users/AdeleV@${tenant.domain}`))).body.id;
    const res = await json(t.control('POST', `/tenants/${tenant.tenantId}/rules/explain`, { groupId: group, memberId: adele }));
    expect(res.status).toBe(200);
    expect(res.body.result).toBe(false);
    expect(res.body.decidedBy.map((e: any) => [e.expression, e.actualValue])).toEqual([['user.city -eq "Seattle"', 'Bellevue']]);
  });
});
