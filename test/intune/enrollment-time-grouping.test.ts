// Enrollment time grouping of device preparation policies: the device-group validation codes, set/retrieve/clear and the older just-in-time actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { tenantScope } from '../../src/server/context.js';
import { devicePreparationPolicyFor } from '../../src/intune/device-preparation-policy.js';
import { createGroup, POLICIES, provisioningClient, userDrivenPolicy } from './device-preparation-fixtures.js';

let t: TestServer;
let tenant: TestTenant;
let policyId: string;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  policyId = (await json(tenant.graph('POST', '/beta/deviceManagement/configurationPolicies', userDrivenPolicy({ name: 'DPP - grouping' })))).body.id;
});
afterAll(() => t.close());

const setTarget = (targetId: string, id = policyId) =>
  json(
    tenant.graph('POST', `${POLICIES}/${id}/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ '@odata.type': 'microsoft.graph.enrollmentTimeDeviceMembershipTarget', targetType: 'staticSecurityGroup', targetId }],
    }),
  );
const retrieve = (id = policyId) => json(tenant.graph('POST', `${POLICIES}('${id}')/retrieveEnrollmentTimeDeviceMembershipTarget`));
const deviceGroupSetting = async () => {
  const settings = await json(tenant.graph('GET', `${POLICIES}/${policyId}/settings`));
  const s = settings.body.value.find((x: any) => x.settingInstance.settingDefinitionId === 'enrollment_autopilot_dpp_devicesecuritygroupids');
  return s.settingInstance.simpleSettingValue.value;
};

describe('the device-group rules of enrollment time grouping', () => {
  it('gives a dynamic group, a non-security group, a group the Intune Provisioning Client does not own each their validation code; the owned assigned security group validates', async () => {
    const cases: [string, string][] = [
      [await createGroup(tenant, 'dynamicSecurity', true), 'notStaticSecurityGroup'],
      [await createGroup(tenant, 'microsoft365', true), 'notSecurityGroup'],
      [await createGroup(tenant, 'assignedSecurity', false), 'firstPartyAppNotAnOwner'],
      ['7c1a3c54-4a0b-4d6e-9d5e-0d4a1f0c2b9e', 'securityGroupNotFound'],
    ];
    for (const [group, code] of cases) {
      const res = await setTarget(group);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        '@odata.context': expect.stringMatching(/\$metadata#microsoft\.graph\.enrollmentTimeDeviceMembershipTargetResult$/),
        '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult',
        validationSucceeded: false,
        enrollmentTimeDeviceMembershipTargetValidationStatuses: [
          { '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetStatus', targetId: group, validationSucceeded: false, targetValidationErrorCode: code },
        ],
      });
      // A target that fails validation is not kept.
      expect((await retrieve()).body.enrollmentTimeDeviceMembershipTargetValidationStatuses).toEqual([]);
    }

    const owned = await createGroup(tenant, 'assignedSecurity', true);
    const ok = await setTarget(owned);
    expect(ok.body).toMatchObject({
      validationSucceeded: true,
      enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: owned, validationSucceeded: true, targetValidationErrorCode: 'unknown' }],
    });
    expect((await retrieve()).body.enrollmentTimeDeviceMembershipTargetValidationStatuses).toEqual([
      { '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetStatus', targetId: owned, validationSucceeded: true, targetValidationErrorCode: 'unknown' },
    ]);
    expect(await deviceGroupSetting()).toBe(owned);
    expect(await devicePreparationPolicyFor(tenantScope(t.server.ctx, tenant.tenantId), policyId)).toMatchObject({ deviceGroupId: owned, deviceGroupStatus: 'unknown' });
  });

  it('validates the stored group again on retrieve (the owner was removed), and clears it', async () => {
    const owned = await createGroup(tenant, 'assignedSecurity', true);
    expect((await setTarget(owned)).body.validationSucceeded).toBe(true);
    const sp = await provisioningClient(tenant);
    expect((await tenant.graph('DELETE', `/v1.0/groups/${owned}/owners/${sp}/$ref`)).status).toBe(204);
    const after = await retrieve();
    expect(after.body).toMatchObject({
      validationSucceeded: false,
      enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: owned, targetValidationErrorCode: 'firstPartyAppNotAnOwner' }],
    });
    const cleared = await json(tenant.graph('POST', `${POLICIES}/${policyId}/clearEnrollmentTimeDeviceMembershipTarget`));
    expect(cleared.body).toMatchObject({ value: true });
    expect((await retrieve()).body).toMatchObject({ validationSucceeded: true, enrollmentTimeDeviceMembershipTargetValidationStatuses: [] });
    expect(await deviceGroupSetting()).toBe('');
  });

  it('rejects malformed set requests with a 400 naming the field', async () => {
    const expectTarget = async (body: unknown, target: string) => {
      const res = await json(tenant.graph('POST', `${POLICIES}/${policyId}/setEnrollmentTimeDeviceMembershipTarget`, body));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'BadRequest', target });
    };
    await expectTarget({}, 'enrollmentTimeDeviceMembershipTargets');
    await expectTarget({ enrollmentTimeDeviceMembershipTargets: [] }, 'enrollmentTimeDeviceMembershipTargets');
    const g = '7c1a3c54-4a0b-4d6e-9d5e-0d4a1f0c2b9e';
    await expectTarget({ enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: g }, { targetType: 'staticSecurityGroup', targetId: g }] }, 'enrollmentTimeDeviceMembershipTargets');
    await expectTarget({ enrollmentTimeDeviceMembershipTargets: [{ targetType: 'dynamicGroup', targetId: g }] }, 'enrollmentTimeDeviceMembershipTargets[0].targetType');
    await expectTarget({ enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup' }] }, 'enrollmentTimeDeviceMembershipTargets[0].targetId');
    const missing = await setTarget(g, '00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    const generic = await json(tenant.graph('POST', POLICIES, { name: 'Plain', platforms: 'windows10', technologies: 'mdm' }));
    expect((await setTarget(g, generic.body.id)).status).toBe(400);
  });

  it('keeps the older just-in-time configuration API working on the same target', async () => {
    const owned = await createGroup(tenant, 'assignedSecurity', true);
    const assign = await json(
      tenant.graph('POST', `${POLICIES}/${policyId}/assignJustInTimeConfiguration`, { justInTimeAssignments: { targetType: 'entraSecurityGroup', target: [owned] } }),
    );
    expect(assign.body).toMatchObject({ value: true });
    const read = await json(tenant.graph('POST', `${POLICIES}/${policyId}/retrieveJustInTimeConfiguration`));
    expect(read.body).toMatchObject({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationJustInTimeAssignmentPolicy', targetType: 'entraSecurityGroup', target: [owned] });
    expect((await json(tenant.graph('GET', `${POLICIES}/${policyId}/retrieveJustInTimeConfiguration`))).body.target).toEqual([owned]);
    expect((await retrieve()).body.enrollmentTimeDeviceMembershipTargetValidationStatuses[0].targetId).toBe(owned);

    const dynamic = await createGroup(tenant, 'dynamicSecurity', true);
    const refused = await json(tenant.graph('POST', `${POLICIES}/${policyId}/assignJustInTimeConfiguration`, { justInTimeAssignments: { targetType: 'entraSecurityGroup', target: [dynamic] } }));
    expect(refused.body.value).toBe(false);
    expect((await retrieve()).body.enrollmentTimeDeviceMembershipTargetValidationStatuses[0].targetId).toBe(owned);

    const emptied = await json(tenant.graph('POST', `${POLICIES}/${policyId}/assignJustInTimeConfiguration`, { justInTimeAssignments: { targetType: 'entraSecurityGroup', target: [] } }));
    expect(emptied.body.value).toBe(true);
    expect((await json(tenant.graph('POST', `${POLICIES}/${policyId}/retrieveJustInTimeConfiguration`))).body).toMatchObject({ targetType: 'unknown', target: [] });
    const badType = await json(tenant.graph('POST', `${POLICIES}/${policyId}/assignJustInTimeConfiguration`, { justInTimeAssignments: { targetType: 'allDevices', target: [] } }));
    expect(badType.body.error.target).toBe('justInTimeAssignments.targetType');
  });
});
