// @microsoft/microsoft-graph-client (baseUrl + customHosts, over http) drives the Enrollment Status Page and
// restriction endpoints with the payloads real tools send: the admin center's ESP wizard, Microsoft365DSC's
// IntuneDeviceEnrollmentStatusPageWindows10 and IntuneDeviceEnrollmentPlatformRestriction resources.
// The client's AuthenticationHandler adds the token to https URLs only, so over plain http the chain starts with
// a middleware that adds it, followed by the client's own RetryHandler and HTTPMessageHandler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@microsoft/microsoft-graph-client';
import { newId } from '../../src/core/ids.js';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { graphClient } from '../helpers/graph-client.js';

let t: TestServer;
let tenant: TestTenant;
let client: Client;

const BASE = '/deviceManagement/deviceEnrollmentConfigurations';

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  client = graphClient(t.url, tenant.token, 'beta');
});
afterAll(() => t.close());

describe('deviceEnrollmentConfigurations through @microsoft/microsoft-graph-client', () => {
  it('runs the admin center and Microsoft365DSC flows end to end', async () => {
    const group = await client.api('/groups').version('v1.0').post({ displayName: 'Autopilot devices', mailEnabled: false, mailNickname: 'apdevices', securityEnabled: true, groupTypes: [] });

    // The admin center's ESP wizard: create (with a client-side id), then assign.
    const esp = await client.api(BASE).post({
      '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
      id: newId(),
      displayName: 'Autopilot ESP',
      description: 'Block until apps install',
      showInstallationProgress: true,
      blockDeviceSetupRetryByUser: false,
      allowDeviceResetOnInstallFailure: true,
      allowLogCollectionOnInstallFailure: true,
      customErrorMessage: 'Contact the service desk.',
      installProgressTimeoutInMinutes: 90,
      allowDeviceUseOnInstallFailure: false,
      selectedMobileAppIds: [],
      trackInstallProgressForAutopilotOnly: true,
      disableUserStatusTrackingAfterFirstUser: true,
      roleScopeTagIds: ['0'],
      allowNonBlockingAppInstallation: false,
      installQualityUpdates: true,
    });
    expect(esp.id).toMatch(/_Windows10EnrollmentCompletionPageConfiguration$/);
    expect(esp.priority).toBe(1);
    await client.api(`${BASE}/${esp.id}/assign`).post({
      enrollmentConfigurationAssignments: [
        { '@odata.type': '#microsoft.graph.enrollmentConfigurationAssignment', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: group.id } },
      ],
    });

    // The blade's list query, with the OData key form the portal also uses for items.
    const blade = await client
      .api(BASE)
      .expand('assignments')
      .orderby('priority')
      .filter("deviceEnrollmentConfigurationType eq 'Windows10EnrollmentCompletionPageConfiguration' or deviceEnrollmentConfigurationType eq 'DefaultWindows10EnrollmentCompletionPageConfiguration'")
      .get();
    expect(blade.value.map((c: any) => [c.displayName, c.priority, c.assignments.length])).toEqual([
      ['All users and all devices', 0, 0],
      ['Autopilot ESP', 1, 1],
    ]);
    const byKey = await client.api(`${BASE}('${esp.id}')`).get();
    expect(byKey.installProgressTimeoutInMinutes).toBe(90);

    // Microsoft365DSC: find by display name, update with the id in the body, set the priority (lowercase action).
    const found = await client.api(BASE).filter("displayName eq 'Autopilot ESP'").get();
    expect(found.value).toHaveLength(1);
    await client.api(`${BASE}/${esp.id}`).patch({
      '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
      id: esp.id,
      displayName: 'Autopilot ESP',
      description: 'Updated by DSC',
      showInstallationProgress: true,
      installProgressTimeoutInMinutes: 120,
      blockDeviceSetupRetryByUser: true,
      customErrorMessage: 'Call 555-0100.',
    });
    await client.api(`${BASE}/${esp.id}/setpriority`).post({ priority: 1 });
    const after = await client.api(`${BASE}/${esp.id}`).expand('assignments').get();
    expect(after).toMatchObject({ description: 'Updated by DSC', installProgressTimeoutInMinutes: 120, version: 2, priority: 1 });
    expect(after.assignments[0].target.groupId).toBe(group.id);
    const assignments = await client.api(`${BASE}/${esp.id}/assignments`).get();
    expect(assignments.value).toHaveLength(1);

    // IntuneDeviceEnrollmentPlatformRestriction (singlePlatformRestriction): Windows personally owned blocked.
    const restriction = await client.api(BASE).post({
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
      displayName: 'Windows corporate only',
      description: '',
      deviceEnrollmentConfigurationType: 'singlePlatformRestriction',
      platformType: 'windows',
      platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: '10.0.22631', blockedManufacturers: [], blockedSkus: [] },
    });
    await client.api(`/deviceManagement/deviceEnrollmentConfigurations/${restriction.id}/assign`).post({
      enrollmentConfigurationAssignments: [{ target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
    });
    const restrictions = await client.api(BASE).filter("deviceEnrollmentConfigurationType eq 'SinglePlatformRestriction'").orderby('priority').get();
    expect(restrictions.value.map((c: any) => c['@odata.type'])).toEqual([
      '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
      '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
    ]);

    // A bad request comes back as a GraphError naming the field.
    const failure = await client
      .api(BASE)
      .post({ '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', displayName: 'Too many', limit: 99 })
      .then(
        () => undefined,
        (e: any) => e,
      );
    expect(failure?.statusCode).toBe(400);
    expect(failure?.code).toBe('BadRequest');
    expect(failure?.message).toMatch(/limit/);

    // Defaults refuse deletion; custom ones go.
    const defaultDelete = await client
      .api(`${BASE}/${tenant.tenantId}_DefaultLimit`)
      .delete()
      .then(
        () => undefined,
        (e: any) => e,
      );
    expect(defaultDelete?.statusCode).toBe(400);
    await client.api(`${BASE}/${esp.id}`).delete();
    await client.api(`${BASE}/${restriction.id}`).delete();
    const left = await client.api(BASE).select('id,priority').get();
    expect(left.value.every((c: any) => c.priority === 0)).toBe(true);
  });
});
