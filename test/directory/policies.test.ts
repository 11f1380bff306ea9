import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;
const INTUNE = '0000000a-0000-0000-c000-000000000000';

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'demo');
});
afterAll(() => t.close());

describe('deviceRegistrationPolicy (users may join devices)', () => {
  it('has the defaults of a new tenant', async () => {
    const { status, body } = await json(tenant.graph('GET', '/v1.0/policies/deviceRegistrationPolicy'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: 'deviceRegistrationPolicy',
      displayName: 'Device Registration Policy',
      userDeviceQuota: 50,
      multiFactorAuthConfiguration: 'notRequired',
      azureADJoin: { isAdminConfigurable: true, allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } },
    });
  });

  it('is replaced with PUT: selected users and groups, and an omitted quota becomes 0', async () => {
    const groups = await json(tenant.graph('GET', '/v1.0/groups?$top=1'));
    const groupId = groups.body.value[0].id;
    const userId = tenant.users[2]!.id;
    const put = await json(
      tenant.graph('PUT', '/v1.0/policies/deviceRegistrationPolicy', {
        multiFactorAuthConfiguration: 'required',
        azureADJoin: {
          isAdminConfigurable: true,
          allowedToJoin: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: [userId], groups: [groupId] },
          localAdmins: { enableGlobalAdmins: false, registeringUsers: { '@odata.type': '#microsoft.graph.noDeviceRegistrationMembership' } },
        },
        localAdminPassword: { isEnabled: true },
      }),
    );
    expect(put.status).toBe(200);
    expect(put.body.userDeviceQuota).toBe(0);
    const got = await json(tenant.graph('GET', '/beta/policies/deviceRegistrationPolicy'));
    expect(got.body.azureADJoin.allowedToJoin).toEqual({
      '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership',
      users: [userId],
      groups: [groupId],
    });
    expect(got.body.azureADJoin.localAdmins.registeringUsers['@odata.type']).toBe('#microsoft.graph.noDeviceRegistrationMembership');
    expect(got.body).toMatchObject({ multiFactorAuthConfiguration: 'required', localAdminPassword: { isEnabled: true } });
  });

  it('refuses unknown members and unknown membership types, changing nothing', async () => {
    const before = await json(tenant.graph('GET', '/v1.0/policies/deviceRegistrationPolicy'));
    const bad = await json(
      tenant.graph('PUT', '/v1.0/policies/deviceRegistrationPolicy', {
        userDeviceQuota: 5,
        azureADJoin: { allowedToJoin: { '@odata.type': '#microsoft.graph.enumeratedDeviceRegistrationMembership', users: ['11111111-1111-1111-1111-111111111111'] } },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/allowedToJoin/);
    const wrongType = await json(tenant.graph('PUT', '/v1.0/policies/deviceRegistrationPolicy', { userDeviceQuota: 5, azureADJoin: { allowedToJoin: { '@odata.type': '#microsoft.graph.everyone' } } }));
    expect(wrongType.status).toBe(400);
    expect((await json(tenant.graph('GET', '/v1.0/policies/deviceRegistrationPolicy'))).body).toEqual(before.body);
  });
});

describe('mobileDeviceManagementPolicies (MDM user scope)', () => {
  it('lists Microsoft Intune and Microsoft Intune Enrollment, beta only', async () => {
    const list = await json(tenant.graph('GET', '/beta/policies/mobileDeviceManagementPolicies'));
    expect(list.body.value.map((p: any) => p.displayName)).toEqual(['Microsoft Intune', 'Microsoft Intune Enrollment']);
    expect(list.body.value[0]).toMatchObject({ id: INTUNE, appliesTo: 'none', discoveryUrl: 'https://enrollment.manage.microsoft.com/enrollmentserver/discovery.svc' });
    expect((await tenant.graph('GET', '/v1.0/policies/mobileDeviceManagementPolicies')).status).toBe(400);
  });

  it('scopes to selected groups through includedGroups/$ref, and back to all', async () => {
    const g = await json(tenant.graph('POST', '/v1.0/groups', { displayName: 'MDM users', mailEnabled: false, mailNickname: 'mdmusers', securityEnabled: true }));
    const refused = await json(tenant.graph('PATCH', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE}`, { appliesTo: 'selected' }));
    expect(refused.status).toBe(400);
    const mixed = await json(tenant.graph('PATCH', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE}`, { appliesTo: 'all', termsOfUseUrl: 'https://x.example' }));
    expect(mixed.status).toBe(400);
    // Microsoft365DSC's reference form.
    const add = await tenant.graph('POST', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE}/includedGroups/$ref`, {
      '@odata.id': `https://graph.microsoft.com/beta/odata/groups('${g.body.id}')`,
    });
    expect(add.status).toBe(204);
    const expanded = await json(tenant.graph('GET', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE}?$expand=includedGroups`));
    expect(expanded.body.appliesTo).toBe('selected');
    expect(expanded.body.includedGroups.map((x: any) => x.id)).toEqual([g.body.id]);
    expect((await tenant.graph('PATCH', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE}`, { appliesTo: 'all' })).status).toBe(204);
    const after = await json(tenant.graph('GET', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE}/includedGroups`));
    expect(after.body.value).toEqual([]);
    expect((await json(tenant.graph('GET', `/beta/policies/mobileDeviceManagementPolicies('${INTUNE}')`))).body.appliesTo).toBe('all');
  });
});
