// Which Enrollment Status Page, Windows platform restriction and device limit apply: device-targeted profiles
// first, then user-targeted ones, then the default; priority 1 wins; exclusions and assignment filters count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope, type Scope } from '../../src/server/context.js';
import {
  effectiveDeviceLimit,
  effectiveEnrollmentStatusPage,
  effectiveWindowsRestriction,
  windowsEnrollmentVerdict,
} from '../../src/intune/effective-enrollment.js';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;
let scope: Scope;

const BASE = '/beta/deviceManagement/deviceEnrollmentConfigurations';
const GROUP = '#microsoft.graph.groupAssignmentTarget';
const EXCLUDE = '#microsoft.graph.exclusionGroupAssignmentTarget';

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  scope = tenantScope(t.server.ctx, tenant.tenantId);
});
afterAll(() => t.close());

async function group(name: string): Promise<string> {
  const res = await json(tenant.graph('POST', '/v1.0/groups', { displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true }));
  return res.body.id;
}

async function create(body: Record<string, unknown>, targets: Record<string, unknown>[] = []): Promise<string> {
  const res = await json(tenant.graph('POST', BASE, body));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (targets.length > 0) {
    const assign = await tenant.graph('POST', `${BASE}/${res.body.id}/assign`, { enrollmentConfigurationAssignments: targets.map((target) => ({ target })) });
    expect(assign.status).toBe(204);
  }
  return res.body.id;
}

const esp = (displayName: string) => ({ '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', displayName, showInstallationProgress: true });

describe('effectiveEnrollmentStatusPage', () => {
  it('prefers the device-targeted profile, then the user-targeted one, then the default; 1 wins', async () => {
    const [devicesA, devicesB, users, excluded] = [await group('Devices A'), await group('Devices B'), await group('Users'), await group('Excluded')];
    const userEsp = await create(esp('User ESP'), [{ '@odata.type': GROUP, groupId: users }]);
    const deviceLow = await create(esp('Device ESP low'), [{ '@odata.type': GROUP, groupId: devicesA }]);
    const deviceHigh = await create(esp('Device ESP high'), [{ '@odata.type': GROUP, groupId: devicesB }, { '@odata.type': EXCLUDE, groupId: excluded }]);
    // Ranks: User ESP 1, Device ESP low 2, Device ESP high 3; move "high" to 1.
    expect((await tenant.graph('POST', `${BASE}/${deviceHigh}/setPriority`, { priority: 1 })).status).toBe(204);

    const both = await effectiveEnrollmentStatusPage(scope, { deviceGroupIds: [devicesA, devicesB], userGroupIds: [users] });
    expect(both).toMatchObject({ source: 'device', configuration: { id: deviceHigh, priority: 1 } });
    const onlyLow = await effectiveEnrollmentStatusPage(scope, { deviceGroupIds: [devicesA], userGroupIds: [users] });
    expect(onlyLow.configuration.id).toBe(deviceLow);
    // An exclusion group takes the device out of that profile.
    const excludedDevice = await effectiveEnrollmentStatusPage(scope, { deviceGroupIds: [devicesB, excluded], userGroupIds: [users] });
    expect(excludedDevice).toMatchObject({ source: 'user', configuration: { id: userEsp } });
    // No user (self-deploying, pre-provisioning): only device-targeted profiles, then the default.
    const noUser = await effectiveEnrollmentStatusPage(scope, { deviceGroupIds: [] });
    expect(noUser).toMatchObject({ source: 'default', configuration: { id: `${tenant.tenantId}_DefaultWindows10EnrollmentCompletionPageConfiguration`, priority: 0 } });
    const userOnly = await effectiveEnrollmentStatusPage(scope, { deviceGroupIds: [], userGroupIds: [users] });
    expect(userOnly).toMatchObject({ source: 'user', configuration: { id: userEsp, displayName: 'User ESP' } });
  });

  it('counts all-devices targets and assignment filters when a matcher is given', async () => {
    const tt = await createTestTenant(t, 'empty');
    const s = tenantScope(t.server.ctx, tt.tenantId);
    const filter = await json(
      tt.graph('POST', '/beta/deviceManagement/assignmentFilters', { displayName: 'Surface', platform: 'windows10AndLater', rule: '(device.model -startsWith "Surface")' }),
    );
    const created = await json(tt.graph('POST', BASE, esp('All devices, Surface only')));
    await tt.graph('POST', `${BASE}/${created.body.id}/assign`, {
      enrollmentConfigurationAssignments: [
        { target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget', deviceAndAppManagementAssignmentFilterId: filter.body.id, deviceAndAppManagementAssignmentFilterType: 'include' } },
      ],
    });
    expect((await effectiveEnrollmentStatusPage(s, { deviceGroupIds: [] })).configuration.id).toBe(created.body.id);
    expect((await effectiveEnrollmentStatusPage(s, { deviceGroupIds: [], matchesFilter: () => true })).source).toBe('device');
    expect((await effectiveEnrollmentStatusPage(s, { deviceGroupIds: [], matchesFilter: async () => false })).source).toBe('default');
  });
});

describe('effectiveWindowsRestriction and effectiveDeviceLimit', () => {
  it('applies the highest-priority user-targeted restriction, and the default to userless enrollments', async () => {
    const [staff, contractors] = [await group('Staff'), await group('Contractors')];
    const windows = (displayName: string, restriction: Record<string, unknown>) => ({
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration',
      displayName,
      platformType: 'windows',
      platformRestriction: restriction,
    });
    const corporateOnly = await create(windows('Corporate only', { personalDeviceEnrollmentBlocked: true, osMinimumVersion: '10.0.22631' }), [{ '@odata.type': GROUP, groupId: staff }]);
    await create(windows('Contractors blocked', { platformBlocked: true }), [{ '@odata.type': GROUP, groupId: contractors }]);
    // An iOS restriction for the same group does not count for Windows.
    await create({ ...windows('iOS', { platformBlocked: true }), platformType: 'ios' }, [{ '@odata.type': GROUP, groupId: staff }]);

    const forStaff = await effectiveWindowsRestriction(scope, { userGroupIds: [staff, contractors] });
    expect(forStaff).toMatchObject({ source: 'user', configuration: { id: corporateOnly }, restriction: { personalDeviceEnrollmentBlocked: true, platformBlocked: false } });
    const forContractor = await effectiveWindowsRestriction(scope, { userGroupIds: [contractors] });
    expect(forContractor.restriction.platformBlocked).toBe(true);
    const fallback = await effectiveWindowsRestriction(scope, { userGroupIds: [staff], userDriven: false });
    expect(fallback).toMatchObject({ source: 'default', configuration: { id: `${tenant.tenantId}_DefaultPlatformRestrictions` }, restriction: { personalDeviceEnrollmentBlocked: false } });

    expect(await effectiveDeviceLimit(scope, { userGroupIds: [staff] })).toMatchObject({ source: 'default', limit: 5 });
    await create({ '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', displayName: 'Two', limit: 2 }, [{ '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' }]);
    expect(await effectiveDeviceLimit(scope, { userGroupIds: [] })).toMatchObject({ source: 'user', limit: 2 });
  });

  it('judges a Windows enrollment against a restriction', () => {
    const base = { platformBlocked: false, personalDeviceEnrollmentBlocked: false, osMinimumVersion: null, osMaximumVersion: null, blockedManufacturers: [], blockedSkus: [] };
    expect(windowsEnrollmentVerdict(base, { personal: true, osVersion: '10.0.22631.2861' })).toEqual({ allowed: true });
    expect(windowsEnrollmentVerdict({ ...base, platformBlocked: true }, { personal: false })).toMatchObject({ allowed: false, reason: 'platformBlocked' });
    expect(windowsEnrollmentVerdict({ ...base, personalDeviceEnrollmentBlocked: true }, { personal: true })).toMatchObject({ allowed: false, reason: 'personalBlocked' });
    expect(windowsEnrollmentVerdict({ ...base, personalDeviceEnrollmentBlocked: true }, { personal: false })).toEqual({ allowed: true });
    expect(windowsEnrollmentVerdict({ ...base, osMinimumVersion: '10.0.22631' }, { personal: false, osVersion: '10.0.19045.4598' })).toMatchObject({ reason: 'osBelowMinimum' });
    expect(windowsEnrollmentVerdict({ ...base, osMaximumVersion: '10.0.22631' }, { personal: false, osVersion: '10.0.26100.1' })).toMatchObject({ reason: 'osAboveMaximum' });
    // Windows reports no rev at enrollment: a minimum with a rev blocks the same build.
    expect(windowsEnrollmentVerdict({ ...base, osMinimumVersion: '10.0.17134.100' }, { personal: false, osVersion: '10.0.17134.174' })).toMatchObject({ reason: 'osBelowMinimum' });
    expect(windowsEnrollmentVerdict({ ...base, osMinimumVersion: '' }, { personal: false, osVersion: '10.0.17134.174' })).toEqual({ allowed: true });
    expect(windowsEnrollmentVerdict({ ...base, blockedSkus: ['Home'] }, { personal: false, sku: 'home' })).toMatchObject({ reason: 'skuBlocked' });
  });
});
