// The device preparation setup, end to end, through the official @microsoft/microsoft-graph-client (v3)
// with the payloads real tools send: the Intune Provisioning Client and an owned device group (CIPP's
// calls), the policy (portal/cloudflow body), the device group action, the user-group assignment, the
// portal's list query, reorder and the settings read-back (Terraform's calls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { graphClient } from '../helpers/graph-client.js';
import { appEntry, PROVISIONING_CLIENT, USER_DRIVEN, userDrivenPolicy, userDrivenSettings } from './device-preparation-fixtures.js';

let t: TestServer;
let tenant: TestTenant;
let client: Client;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  client = graphClient(t.url, tenant.token, 'beta');
});
afterAll(() => t.close());

describe('device preparation through the official Graph client', () => {
  it('sets up a user-driven policy the way CIPP, the portal and Terraform do', async () => {
    // The app and the script, through their own Graph routes (Terraform's winget_app body, a setup script's body).
    const app = (
      await client.api('/deviceAppManagement/mobileApps').post({
        '@odata.type': '#microsoft.graph.winGetApp',
        packageIdentifier: '9WZDNCRFJ3PZ',
        displayName: 'Company Portal',
        description: 'Company Portal',
        publisher: 'Microsoft Corporation',
        isFeatured: false,
        roleScopeTagIds: ['0'],
        installExperience: { '@odata.type': '#microsoft.graph.winGetAppInstallExperience', runAsAccount: 'system' },
      })
    ).id as string;
    const script = (
      await client.api('/deviceManagement/deviceManagementScripts').post({
        '@odata.type': '#microsoft.graph.deviceManagementScript',
        displayName: 'Set time zone',
        description: 'Runs during OOBE',
        scriptContent: Buffer.from('Set-TimeZone -Id "W. Europe Standard Time"').toString('base64'),
        runAsAccount: 'system',
        runAs32Bit: false,
        enforceSignatureCheck: false,
        fileName: 'Set-TimeZone.ps1',
        roleScopeTagIds: ['0'],
      })
    ).id as string;

    // CIPP: find or create the Intune Provisioning Client, then a device group it owns.
    const sps = await client.api('/servicePrincipals').filter(`appId eq '${PROVISIONING_CLIENT}'`).select('id').get();
    const sp = sps.value[0] ?? (await client.api('/servicePrincipals').post({ appId: PROVISIONING_CLIENT }));
    expect(sp.id).toBeTruthy();
    const deviceGroup = await client.api('/groups').post({
      displayName: 'Autopilot device preparation devices',
      description: 'Device Preparation security group managed by CIPP',
      securityEnabled: true,
      mailEnabled: false,
      mailNickname: 'AutopilotDPPDevices1234',
      'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`],
    });
    const userGroup = await client.api('/groups').version('v1.0').post({ displayName: 'DPP users', securityEnabled: true, mailEnabled: false, mailNickname: 'dppusers' });

    // The policy, with every setting of the template.
    const policy = await client
      .api('/deviceManagement/configurationPolicies')
      .post(userDrivenPolicy({ name: 'Windows Autopilot device preparation - User Driven', apps: [appEntry(app, 'winGetApp')], scripts: [script] }));
    expect(policy).toMatchObject({ settingCount: 11, isAssigned: false, priorityMetaData: { priority: 1 } });

    // Terraform: the device group through the action, then the assignment.
    const set = await client.api(`/deviceManagement/configurationPolicies/${policy.id}/setEnrollmentTimeDeviceMembershipTarget`).post({
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroup.id }],
    });
    expect(set.validationSucceeded).toBe(true);
    const assigned = await client.api(`/deviceManagement/configurationPolicies('${policy.id}')/assign`).post({
      assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: userGroup.id } }],
    });
    expect(assigned.value[0].target.groupId).toBe(userGroup.id);

    // The portal's list.
    const list = await client
      .api('/deviceManagement/configurationPolicies')
      .select('id,name,description,platforms,lastModifiedDateTime,technologies,settingCount,roleScopeTagIds,isAssigned,templateReference,priorityMetaData')
      .top(100)
      .filter(`(technologies has 'enrollment') and (platforms eq 'windows10') and (TemplateReference/templateId eq '${USER_DRIVEN}') and (Templatereference/templateFamily eq 'enrollmentConfiguration')`)
      .get();
    expect(list.value).toHaveLength(1);
    expect(list.value[0]).toMatchObject({ id: policy.id, isAssigned: true, settingCount: 11, priorityMetaData: { priority: 1 } });

    const second = await client.api('/deviceManagement/configurationPolicies').post(userDrivenPolicy({ name: 'Second' }));
    await client.api(`/deviceManagement/configurationPolicies/${second.id}/reorder`).post({ priority: 1 });
    const first = await client.api(`/deviceManagement/configurationPolicies/${policy.id}`).select('priorityMetaData').get();
    expect(first.priorityMetaData).toEqual({ priority: 2 });

    const settings = await client.api(`/deviceManagement/configurationPolicies('${policy.id}')/settings`).get();
    expect(settings.value).toHaveLength(11);
    const groupSetting = settings.value.find((s: any) => s.settingInstance.settingDefinitionId === 'enrollment_autopilot_dpp_devicesecuritygroupids');
    expect(groupSetting.settingInstance.simpleSettingValue.value).toBe(deviceGroup.id);
    const target = await client.api(`/deviceManagement/configurationPolicies/${policy.id}/retrieveEnrollmentTimeDeviceMembershipTarget`).post({});
    expect(target.enrollmentTimeDeviceMembershipTargetValidationStatuses[0]).toMatchObject({ targetId: deviceGroup.id, targetValidationErrorCode: 'unknown' });
  });

  it('surfaces a bad setting as a GraphError with status 400 and code BadRequest', async () => {
    const body = { ...userDrivenPolicy({ name: 'Bad' }), settings: userDrivenSettings({ timeout: 1000 }) };
    const err = await client
      .api('/deviceManagement/configurationPolicies')
      .post(body)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect((err as GraphError).message).toContain('enrollment_autopilot_dpp_timeout');
  });
});
