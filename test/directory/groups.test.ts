import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

async function group(name: string, extra: Record<string, unknown> = {}) {
  const res = await json(tenant.graph('POST', '/v1.0/groups', { displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra }));
  expect(res.status).toBe(201);
  return res.body;
}
const userId = (i: number) => tenant.users[i]!.id;

describe('groups', () => {
  it("creates the device preparation group owned by the Intune Provisioning Client, as CIPP does", async () => {
    const sp = await json(tenant.graph('GET', "/beta/servicePrincipals?$filter=appId eq 'f1346770-5b25-470b-88bd-d5744ab7952c'&$select=id"));
    expect(sp.body.value).toHaveLength(1);
    const g = await json(
      tenant.graph('POST', '/beta/groups', {
        displayName: 'Autopilot DPP devices',
        description: 'Devices joined by device preparation',
        securityEnabled: true,
        mailEnabled: false,
        mailNickname: 'AutopilotDPPdevices1234',
        'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.body.value[0].id}`],
      }),
    );
    expect(g.status).toBe(201);
    expect(g.body.groupTypes).toEqual([]);
    expect(g.body.securityIdentifier).toMatch(/^S-1-12-1-\d+-\d+-\d+-\d+$/);
    const owners = await json(tenant.graph('GET', `/beta/groups/${g.body.id}/owners`));
    expect(owners.body.value).toHaveLength(1);
    expect(owners.body.value[0]).toMatchObject({ '@odata.type': '#microsoft.graph.servicePrincipal', appId: 'f1346770-5b25-470b-88bd-d5744ab7952c' });
  });

  it('stores a dynamic group rule as given, with processing state On by default', async () => {
    const rule = '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))';
    const g = await group('Autopilot devices', { groupTypes: ['DynamicMembership'], membershipRule: rule });
    expect(g).toMatchObject({ groupTypes: ['DynamicMembership'], membershipRule: rule, membershipRuleProcessingState: 'On' });
    const paused = await tenant.graph('PATCH', `/v1.0/groups/${g.id}`, { membershipRuleProcessingState: 'Paused' });
    expect(paused.status).toBe(204);
    expect((await json(tenant.graph('GET', `/v1.0/groups/${g.id}`))).body.membershipRuleProcessingState).toBe('Paused');
  });

  it('creates a Microsoft 365 group with a mail address', async () => {
    const g = await json(tenant.graph('POST', '/v1.0/groups', { displayName: 'Project X', mailEnabled: true, mailNickname: 'projectx', securityEnabled: false, groupTypes: ['Unified'] }));
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ mail: `projectx@${tenant.domain}`, visibility: 'Public', groupTypes: ['Unified'] });
  });

  it('adds members with $ref, refuses a second add with Graph\'s exact error, removes them', async () => {
    const g = await group('Team A');
    expect((await tenant.graph('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(userId(1)))).status).toBe(204);
    const again = await json(tenant.graph('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(userId(1))));
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      code: 'Request_BadRequest',
      message: "One or more added object references already exist for the following modified properties: 'members'.",
    });
    const owner = await tenant.graph('POST', `/v1.0/groups/${g.id}/owners/$ref`, ref(userId(2)));
    expect(owner.status).toBe(204);
    const ownerAgain = await json(tenant.graph('POST', `/v1.0/groups/${g.id}/owners/$ref`, ref(userId(2))));
    expect(ownerAgain.body.error.message).toMatch(/'owners'\.$/);
    const members = await json(tenant.graph('GET', `/v1.0/groups/${g.id}/members`));
    expect(members.body.value.map((m: any) => [m['@odata.type'], m.id])).toEqual([['#microsoft.graph.user', userId(1)]]);
    expect((await tenant.graph('DELETE', `/v1.0/groups/${g.id}/members/${userId(1)}/$ref`)).status).toBe(204);
    const removeAgain = await json(tenant.graph('DELETE', `/v1.0/groups/${g.id}/members/${userId(1)}/$ref`));
    expect(removeAgain.status).toBe(400);
    expect(removeAgain.body.error.message).toBe("One or more removed object references do not exist for the following modified properties: 'members'.");
  });

  it('resolves nested membership: transitiveMembers, memberOf, transitiveMemberOf, checkMemberGroups, getMemberGroups', async () => {
    const outer = await group('Outer');
    const inner = await group('Inner');
    await tenant.graph('POST', `/v1.0/groups/${outer.id}/members/$ref`, ref(inner.id));
    await tenant.graph('POST', `/v1.0/groups/${inner.id}/members/$ref`, ref(userId(3)));
    const transitive = await json(tenant.graph('GET', `/v1.0/groups/${outer.id}/transitiveMembers`));
    expect(transitive.body.value.map((m: any) => m.id).sort()).toEqual([inner.id, userId(3)].sort());
    const usersOnly = await json(tenant.graph('GET', `/v1.0/groups/${outer.id}/transitiveMembers/microsoft.graph.user`));
    expect(usersOnly.body.value.map((m: any) => m.id)).toEqual([userId(3)]);
    const memberOf = await json(tenant.graph('GET', `/v1.0/users/${userId(3)}/memberOf`));
    expect(memberOf.body.value.map((g: any) => g.id)).toContain(inner.id);
    expect(memberOf.body.value.map((g: any) => g.id)).not.toContain(outer.id);
    const transitiveOf = await json(tenant.graph('GET', `/v1.0/users/${userId(3)}/transitiveMemberOf`));
    expect(transitiveOf.body.value.map((g: any) => g.id)).toEqual(expect.arrayContaining([inner.id, outer.id]));
    const check = await json(tenant.graph('POST', `/v1.0/users/${userId(3)}/checkMemberGroups`, { groupIds: [outer.id, '00000000-0000-0000-0000-000000000000'] }));
    expect(check.body.value).toEqual([outer.id]);
    const viaDirectory = await json(tenant.graph('POST', `/v1.0/directoryObjects/${userId(3)}/getMemberGroups`, { securityEnabledOnly: true }));
    expect(viaDirectory.body.value).toEqual(expect.arrayContaining([inner.id, outer.id]));
  });

  it('deletes a group and its relations', async () => {
    const g = await group('Temp');
    await tenant.graph('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(userId(4)));
    expect((await tenant.graph('DELETE', `/v1.0/groups/${g.id}`)).status).toBe(204);
    expect((await tenant.graph('GET', `/v1.0/groups/${g.id}`)).status).toBe(404);
    const memberOf = await json(tenant.graph('GET', `/v1.0/users/${userId(4)}/memberOf`));
    expect(memberOf.body.value.map((x: any) => x.id)).not.toContain(g.id);
  });

  it('returns objects of several kinds from getByIds', async () => {
    const g = await group('ByIds');
    const res = await json(tenant.graph('POST', '/v1.0/directoryObjects/getByIds', { ids: [userId(0), g.id, '00000000-0000-0000-0000-000000000000'] }));
    expect(res.status).toBe(200);
    expect(res.body.value.map((o: any) => o['@odata.type'])).toEqual(['#microsoft.graph.user', '#microsoft.graph.group']);
    const onlyGroups = await json(tenant.graph('POST', '/v1.0/directoryObjects/getByIds', { ids: [userId(0), g.id], types: ['group'] }));
    expect(onlyGroups.body.value.map((o: any) => o.id)).toEqual([g.id]);
  });

  it('expands members and owners (at most 20 each)', async () => {
    const g = await group('Expand');
    for (let i = 0; i < 12; i++) await tenant.graph('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(userId(i)));
    await tenant.graph('POST', `/v1.0/groups/${g.id}/owners/$ref`, ref(userId(0)));
    const one = await json(tenant.graph('GET', `/v1.0/groups/${g.id}?$expand=members($select=displayName),owners`));
    expect(one.body.members).toHaveLength(12);
    expect(Object.keys(one.body.members[0]).sort()).toEqual(['@odata.type', 'displayName', 'id']);
    expect(one.body.owners.map((o: any) => o.id)).toEqual([userId(0)]);
  });
});
