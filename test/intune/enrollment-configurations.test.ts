// Enrollment Status Page and enrollment restrictions over Graph: the defaults every tenant has, the admin
// center's list queries, create/PATCH/delete with their rules, priorities (setPriority) and assignments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { appToken, createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';

let t: TestServer;
let tenant: TestTenant;

const BASE = '/beta/deviceManagement/deviceEnrollmentConfigurations';
const ESP = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';
const SINGLE = '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration';
const LIMIT = '#microsoft.graph.deviceEnrollmentLimitConfiguration';

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
});
afterAll(() => t.close());

/** Apps are another area's collection; the tests put rows in it directly. */
async function addMobileApp(tenantId: string, odataType = '#microsoft.graph.win32LobApp'): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await t.server.ctx.db.kysely
    .insertInto('intune_objects')
    .values({ tenant_id: tenantId, collection: 'mobileApps', id, odata_type: odataType, unique_key: null, data: JSON.stringify({ '@odata.type': odataType, displayName: `App ${id.slice(0, 4)}` }), created_at: now })
    .execute();
  return id;
}

async function newGroup(tt: TestTenant, name: string): Promise<string> {
  const res = await json(tt.graph('POST', '/v1.0/groups', { displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true }));
  expect(res.status).toBe(201);
  return res.body.id;
}

/** The admin center's "create profile" body: it sends an id of its own, which the service ignores. */
const portalEsp = (name: string, extra: Record<string, unknown> = {}) => ({
  '@odata.type': ESP,
  id: newId(),
  displayName: name,
  description: 'test',
  showInstallationProgress: true,
  blockDeviceSetupRetryByUser: false,
  allowDeviceResetOnInstallFailure: true,
  allowLogCollectionOnInstallFailure: true,
  customErrorMessage: 'Setup could not be completed. Please try again or contact your support person for help.',
  installProgressTimeoutInMinutes: 60,
  allowDeviceUseOnInstallFailure: true,
  selectedMobileAppIds: [],
  trackInstallProgressForAutopilotOnly: true,
  disableUserStatusTrackingAfterFirstUser: true,
  roleScopeTagIds: ['0'],
  allowNonBlockingAppInstallation: false,
  installQualityUpdates: true,
  ...extra,
});

const windowsRestriction = (name: string, restriction: Record<string, unknown> = {}) => ({
  '@odata.type': SINGLE,
  displayName: name,
  description: '',
  deviceEnrollmentConfigurationType: 'singlePlatformRestriction',
  platformType: 'windows',
  platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: null, osMaximumVersion: null, blockedManufacturers: [], blockedSkus: [], ...restriction },
});

describe('defaults every tenant has', () => {
  it('lists the default ESP, restrictions, limit, Windows Hello and Windows Restore with priority 0', async () => {
    const { status, body } = await json(tenant.graph('GET', BASE));
    expect(status).toBe(200);
    const ids = body.value.map((c: any) => c.id).sort();
    const suffixes = ['DefaultLimit', 'DefaultPlatformRestrictions', 'DefaultWindows10EnrollmentCompletionPageConfiguration', 'DefaultWindowsHelloForBusiness', 'WindowsRestore'];
    expect(ids).toEqual(suffixes.map((s) => `${tenant.tenantId}_${s}`).sort());
    for (const c of body.value) {
      expect(c).toMatchObject({ displayName: 'All users and all devices', priority: 0, version: 0, createdDateTime: '0001-01-01T00:00:00Z', roleScopeTagIds: [] });
    }
    const esp = body.value.find((c: any) => c['@odata.type'] === ESP);
    expect(esp).toMatchObject({
      deviceEnrollmentConfigurationType: 'windows10EnrollmentCompletionPageConfiguration',
      showInstallationProgress: false,
      blockDeviceSetupRetryByUser: true,
      installProgressTimeoutInMinutes: 0,
      customErrorMessage: '',
      selectedMobileAppIds: [],
    });
    const limit = body.value.find((c: any) => c['@odata.type'] === LIMIT);
    expect(limit).toMatchObject({ limit: 5, deviceEnrollmentConfigurationType: 'limit' });
    const platforms = body.value.find((c: any) => c.id.endsWith('_DefaultPlatformRestrictions'));
    expect(platforms['@odata.type']).toBe('#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration');
    expect(platforms.windowsRestriction).toEqual({ platformBlocked: false, personalDeviceEnrollmentBlocked: false, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [], blockedSkus: [] });
    expect(platforms.windowsMobileRestriction.platformBlocked).toBe(true);
    expect((await tenant.graph('GET', `${BASE}/$count`)).status).toBe(200);
  });

  it('cannot delete, assign or reprioritise a default, but can edit it (Microsoft365DSC payload)', async () => {
    const id = `${tenant.tenantId}_DefaultWindows10EnrollmentCompletionPageConfiguration`;
    const del = await json(tenant.graph('DELETE', `${BASE}/${id}`));
    expect(del.status).toBe(400);
    expect(del.body.error.code).toBe('BadRequest');
    const assign = await json(tenant.graph('POST', `${BASE}/${id}/assign`, { enrollmentConfigurationAssignments: [] }));
    expect(assign.status).toBe(400);
    const prio = await json(tenant.graph('POST', `${BASE}/${id}/setPriority`, { priority: 1 }));
    expect(prio.body.error).toMatchObject({ code: 'BadRequest', target: 'priority' });
    // IntuneDeviceEnrollmentStatusPageWindows10 sends the id and every setting, timeout 0 with the page off.
    const patch = await tenant.graph('PATCH', `${BASE}('${id}')`, {
      '@odata.type': ESP,
      id,
      displayName: 'All users and all devices',
      description: 'This is the default enrollment status screen configuration applied with the lowest priority to all users and all devices regardless of group membership.',
      allowDeviceResetOnInstallFailure: false,
      allowDeviceUseOnInstallFailure: false,
      allowLogCollectionOnInstallFailure: true,
      allowNonBlockingAppInstallation: false,
      blockDeviceSetupRetryByUser: true,
      customErrorMessage: '',
      disableUserStatusTrackingAfterFirstUser: false,
      installProgressTimeoutInMinutes: 0,
      installQualityUpdates: false,
      selectedMobileAppIds: [],
      showInstallationProgress: false,
      trackInstallProgressForAutopilotOnly: false,
    });
    expect(patch.status).toBe(204);
    // Turning the page on without a timeout gives the documented 60 minutes.
    expect((await tenant.graph('PATCH', `${BASE}/${id}`, { '@odata.type': ESP, showInstallationProgress: true })).status).toBe(204);
    const after = await json(tenant.graph('GET', `${BASE}/${id}`));
    expect(after.body).toMatchObject({ priority: 0, version: 2, allowLogCollectionOnInstallFailure: true, showInstallationProgress: true, installProgressTimeoutInMinutes: 60 });
    // The default limit restriction can change its limit (1–15).
    expect((await tenant.graph('PATCH', `${BASE}/${tenant.tenantId}_DefaultLimit`, { '@odata.type': LIMIT, limit: 10 })).status).toBe(204);
    const tooMany = await json(tenant.graph('PATCH', `${BASE}/${tenant.tenantId}_DefaultLimit`, { '@odata.type': LIMIT, limit: 16 }));
    expect(tooMany.body.error).toMatchObject({ code: 'BadRequest', target: 'limit' });
  });

  it('refuses creating a default-only kind', async () => {
    const legacy = await json(tenant.graph('POST', BASE, { '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration', displayName: 'x' }));
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.target).toBe('@odata.type');
    const noType = await json(tenant.graph('POST', BASE, { displayName: 'x' }));
    expect(noType.body.error.target).toBe('@odata.type');
  });
});

describe('Enrollment Status Page profiles', () => {
  it('creates a profile as the admin center does, with its priority, type and id form', async () => {
    const apps = [await addMobileApp(tenant.tenantId), await addMobileApp(tenant.tenantId, '#microsoft.graph.winGetApp')];
    const created = await json(tenant.graph('POST', BASE, portalEsp('Autopilot ESP', { selectedMobileAppIds: apps })));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}_Windows10EnrollmentCompletionPageConfiguration$/);
    expect(created.body).toMatchObject({
      '@odata.type': ESP,
      priority: 1,
      version: 1,
      roleScopeTagIds: ['0'],
      deviceEnrollmentConfigurationType: 'windows10EnrollmentCompletionPageConfiguration',
      selectedMobileAppIds: apps,
      installProgressTimeoutInMinutes: 60,
    });
    const got = await json(tenant.graph('GET', `${BASE}/${created.body.id}?$expand=assignments`));
    expect(got.body.assignments).toEqual([]);
    // An app deleted since it was selected does not lock the profile; a new unknown app is refused.
    await t.server.ctx.db.kysely.deleteFrom('intune_objects').where('tenant_id', '=', tenant.tenantId).where('id', '=', apps[0]!).execute();
    expect((await tenant.graph('PATCH', `${BASE}/${created.body.id}`, { '@odata.type': ESP, description: 'still fine' })).status).toBe(204);
    const unknownApp = await json(tenant.graph('PATCH', `${BASE}/${created.body.id}`, { '@odata.type': ESP, selectedMobileAppIds: [...apps, newId()] }));
    expect(unknownApp.body.error.target).toBe('selectedMobileAppIds[2]');
    expect((await tenant.graph('DELETE', `${BASE}/${created.body.id}`)).status).toBe(204);
  });

  it('gives a new profile the documented defaults', async () => {
    const created = await json(tenant.graph('POST', BASE, { '@odata.type': ESP, displayName: 'Minimal' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      showInstallationProgress: false,
      blockDeviceSetupRetryByUser: false,
      allowDeviceResetOnInstallFailure: false,
      allowLogCollectionOnInstallFailure: false,
      installProgressTimeoutInMinutes: 60,
      allowDeviceUseOnInstallFailure: false,
      selectedMobileAppIds: [],
      allowNonBlockingAppInstallation: false,
      trackInstallProgressForAutopilotOnly: false,
      disableUserStatusTrackingAfterFirstUser: false,
    });
    await tenant.graph('DELETE', `${BASE}/${created.body.id}`);
  });

  it('rejects bad settings with a 400 naming the field, creating nothing', async () => {
    const before = (await json(tenant.graph('GET', BASE))).body.value.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ installProgressTimeoutInMinutes: 1441 }, 'installProgressTimeoutInMinutes'],
      [{ installProgressTimeoutInMinutes: -1 }, 'installProgressTimeoutInMinutes'],
      [{ customErrorMessage: 'x'.repeat(10001) }, 'customErrorMessage'],
      [{ selectedMobileAppIds: ['not-a-guid'] }, 'selectedMobileAppIds[0]'],
      [{ selectedMobileAppIds: [newId()] }, 'selectedMobileAppIds[0]'],
      [{ selectedMobileAppIds: Array.from({ length: 101 }, () => newId()) }, 'selectedMobileAppIds'],
      [{ deviceEnrollmentConfigurationType: 'limit' }, 'deviceEnrollmentConfigurationType'],
      [{ displayName: '' }, 'displayName'],
      [{ roleScopeTagIds: ['77'] }, 'roleScopeTagIds'],
    ];
    for (const [extra, field] of cases) {
      const res = await json(tenant.graph('POST', BASE, portalEsp('Bad', extra)));
      expect(res.status, field).toBe(400);
      expect(res.body.error.target, JSON.stringify(res.body.error)).toBe(field);
    }
    const typeError = await json(tenant.graph('POST', BASE, portalEsp('Bad', { showInstallationProgress: 'yes' })));
    expect(typeError.status).toBe(400);
    expect(typeError.body.error.target).toBe('showInstallationProgress');
    // A long custom message within the documented 10000 characters is fine.
    const long = await json(tenant.graph('POST', BASE, portalEsp('Long message', { customErrorMessage: 'x'.repeat(10000) })));
    expect(long.status).toBe(201);
    await tenant.graph('DELETE', `${BASE}/${long.body.id}`);
    expect((await json(tenant.graph('GET', BASE))).body.value.length).toBe(before);
  });
});

describe('priorities and setPriority', () => {
  it('numbers each family 1..n, moves with setPriority, closes the gap on delete', async () => {
    const tt = await createTestTenant(t, 'empty');
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) ids.push((await json(tt.graph('POST', BASE, portalEsp(name)))).body.id);
    // Another family (Windows restrictions) is numbered on its own.
    const restriction = await json(tt.graph('POST', BASE, windowsRestriction('Block personal')));
    expect(restriction.body.priority).toBe(1);
    const ios = await json(tt.graph('POST', BASE, { ...windowsRestriction('iOS'), platformType: 'ios', platformRestriction: { osMinimumVersion: '16.0' } }));
    expect(ios.body.priority).toBe(1);
    const order = async () =>
      (await json(tt.graph('GET', `${BASE}?$filter=deviceEnrollmentConfigurationType eq 'windows10EnrollmentCompletionPageConfiguration'`))).body.value
        .filter((c: any) => c.priority > 0)
        .map((c: any) => [c.displayName, c.priority]);
    expect(await order()).toEqual([['A', 1], ['B', 2], ['C', 3]]);
    expect((await tt.graph('POST', `${BASE}/${ids[2]}/setPriority`, { priority: 1 })).status).toBe(204);
    expect(await order()).toEqual([['C', 1], ['A', 2], ['B', 3]]);
    // Lowercase action name, as Microsoft365DSC writes it.
    expect((await tt.graph('POST', `${BASE}/${ids[2]}/setpriority`, { priority: 3 })).status).toBe(204);
    expect(await order()).toEqual([['A', 1], ['B', 2], ['C', 3]]);
    for (const bad of [0, 4, 1.5, '2']) {
      const res = await json(tt.graph('POST', `${BASE}/${ids[0]}/setPriority`, { priority: bad }));
      expect(res.status).toBe(400);
      expect(res.body.error.target).toBe('priority');
    }
    // PATCH and create ignore a client's priority; only setPriority changes it.
    expect((await tt.graph('PATCH', `${BASE}/${ids[0]}`, { '@odata.type': ESP, priority: 3, displayName: 'A2' })).status).toBe(204);
    expect(await order()).toEqual([['A2', 1], ['B', 2], ['C', 3]]);
    expect((await tt.graph('DELETE', `${BASE}/${ids[0]}`)).status).toBe(204);
    expect(await order()).toEqual([['B', 1], ['C', 2]]);
    const next = await json(tt.graph('POST', BASE, portalEsp('D', { priority: 1 })));
    expect(next.body.priority).toBe(3);
    // Without $orderby the list is in priority order.
    const all = (await json(tt.graph('GET', BASE))).body.value.map((c: any) => c.priority);
    expect(all).toEqual([...all].sort((a: number, b: number) => a - b));
  });
});

describe('restrictions', () => {
  it('creates a Windows restriction as Microsoft365DSC does and checks version formats', async () => {
    const created = await json(tenant.graph('POST', BASE, windowsRestriction('Windows corporate only', { osMinimumVersion: '10.0.19045', osMaximumVersion: '10.0.26100.9999' })));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/_SinglePlatformRestriction$/);
    expect(created.body).toMatchObject({ deviceEnrollmentConfigurationType: 'singlePlatformRestriction', platformType: 'windows', platformRestriction: { personalDeviceEnrollmentBlocked: true } });
    // Update sends the type and the restriction again, without platformType.
    const update = await tenant.graph('PATCH', `${BASE}/${created.body.id}`, {
      '@odata.type': SINGLE,
      displayName: 'Windows corporate only',
      description: 'updated',
      deviceEnrollmentConfigurationType: 'singlePlatformRestriction',
      platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: false },
    });
    expect(update.status).toBe(204);
    const after = await json(tenant.graph('GET', `${BASE}/${created.body.id}`));
    expect(after.body.platformRestriction).toEqual({ platformBlocked: false, personalDeviceEnrollmentBlocked: false, osMinimumVersion: null, osMaximumVersion: null, blockedManufacturers: [], blockedSkus: [] });
    const cases: [Record<string, unknown>, string][] = [
      [windowsRestriction('x', { osMinimumVersion: '10' }), 'platformRestriction.osMinimumVersion'],
      [windowsRestriction('x', { osMinimumVersion: '10.0.a' }), 'platformRestriction.osMinimumVersion'],
      [windowsRestriction('x', { osMaximumVersion: '10.0.1.2.3' }), 'platformRestriction.osMaximumVersion'],
      [windowsRestriction('x', { osMinimumVersion: '10.0.22631', osMaximumVersion: '10.0.19045' }), 'platformRestriction.osMinimumVersion'],
      [windowsRestriction('x', { personalDeviceEnrollmentBlocked: 'yes' }), 'platformRestriction.personalDeviceEnrollmentBlocked'],
      [windowsRestriction('x', { unknown: true }), 'platformRestriction.unknown'],
      [{ ...windowsRestriction('x'), platformType: 'amiga' }, 'platformType'],
      [{ ...windowsRestriction('x'), platformType: undefined }, 'platformType'],
    ];
    for (const [body, field] of cases) {
      const res = await json(tenant.graph('POST', BASE, body));
      expect(res.status, field).toBe(400);
      expect(res.body.error, field).toMatchObject({ code: 'BadRequest', target: field });
    }
    const platformChange = await json(tenant.graph('PATCH', `${BASE}/${created.body.id}`, { '@odata.type': SINGLE, platformType: 'ios' }));
    expect(platformChange.body.error.target).toBe('platformType');
    // Windows personally owned blocked on the default all-platforms object (portal "Windows restrictions" tab).
    const def = `${tenant.tenantId}_DefaultPlatformRestrictions`;
    const blockPersonal = await tenant.graph('PATCH', `${BASE}/${def}`, {
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
      windowsRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [], blockedSkus: [] },
    });
    expect(blockPersonal.status).toBe(204);
    expect((await json(tenant.graph('GET', `${BASE}/${def}`))).body.windowsRestriction.personalDeviceEnrollmentBlocked).toBe(true);
    const mobile = await json(tenant.graph('PATCH', `${BASE}/${def}`, { '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration', windowsMobileRestriction: { platformBlocked: false } }));
    expect(mobile.body.error.target).toBe('windowsMobileRestriction.platformBlocked');
    await tenant.graph('DELETE', `${BASE}/${created.body.id}`);
  });

  it('creates device limit restrictions from 1 to 15', async () => {
    const created = await json(tenant.graph('POST', BASE, { '@odata.type': LIMIT, displayName: 'Three devices', deviceEnrollmentConfigurationType: 'limit', limit: 3 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/_Limit$/), limit: 3, priority: 1 });
    for (const limit of [0, 16, undefined]) {
      const res = await json(tenant.graph('POST', BASE, { '@odata.type': LIMIT, displayName: 'Bad', limit }));
      expect(res.body.error.target).toBe('limit');
    }
    await tenant.graph('DELETE', `${BASE}/${created.body.id}`);
  });

  it('answers the admin center blade queries, defaults included', async () => {
    const tt = await createTestTenant(t, 'empty');
    await json(tt.graph('POST', BASE, windowsRestriction('Windows')));
    await json(tt.graph('POST', BASE, { '@odata.type': LIMIT, displayName: 'Limit', limit: 2 }));
    await json(tt.graph('POST', BASE, portalEsp('ESP')));
    const query = async (filter: string) => {
      const res = await json(tt.graph('GET', `${BASE}?$expand=assignments&$orderby=priority&$filter=${encodeURIComponent(filter)}`));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.value.map((c: any) => [c.displayName, c.priority, Array.isArray(c.assignments)]);
    };
    expect(await query("deviceEnrollmentConfigurationType eq 'SinglePlatformRestriction'")).toEqual([['All users and all devices', 0, true], ['Windows', 1, true]]);
    expect(await query("deviceEnrollmentConfigurationType eq 'Limit' or deviceEnrollmentConfigurationType eq 'DefaultLimit'")).toEqual([['All users and all devices', 0, true], ['Limit', 1, true]]);
    expect(
      await query("deviceEnrollmentConfigurationType eq 'Windows10EnrollmentCompletionPageConfiguration' or deviceEnrollmentConfigurationType eq 'DefaultWindows10EnrollmentCompletionPageConfiguration'"),
    ).toEqual([['All users and all devices', 0, true], ['ESP', 1, true]]);
    expect(await query("deviceEnrollmentConfigurationType eq 'DefaultWindowsHelloForBusiness'")).toEqual([['All users and all devices', 0, true]]);
    expect(await query("deviceEnrollmentConfigurationType in ('DefaultLimit', 'windowsRestore')")).toHaveLength(2);
    expect(await query("platformType eq 'windows' and platformRestriction/personalDeviceEnrollmentBlocked eq true")).toEqual([['Windows', 1, true]]);
    const bad = await json(tt.graph('GET', `${BASE}?$filter=nope eq 1`));
    expect(bad.status).toBe(400);
  });

  it('caps device limit restrictions at 25 per tenant', async () => {
    const tt = await createTestTenant(t, 'empty');
    for (let i = 0; i < 25; i++) expect((await tt.graph('POST', BASE, { '@odata.type': LIMIT, displayName: `L${i}`, limit: 1 })).status).toBe(201);
    const over = await json(tt.graph('POST', BASE, { '@odata.type': LIMIT, displayName: 'L25', limit: 1 }));
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/Resource limit reached/);
  });
});

describe('assignments', () => {
  it('assigns with enrollmentConfigurationAssignments (204), lists, adds and deletes one, all-or-nothing', async () => {
    const esp = (await json(tenant.graph('POST', BASE, portalEsp('Assigned ESP')))).body.id;
    const devices = await newGroup(tenant, 'Autopilot devices');
    const excluded = await newGroup(tenant, 'Excluded devices');
    const assign = await tenant.graph('POST', `${BASE}/${esp}/assign`, {
      enrollmentConfigurationAssignments: [
        { '@odata.type': '#microsoft.graph.enrollmentConfigurationAssignment', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: devices } },
        { '@odata.type': '#microsoft.graph.enrollmentConfigurationAssignment', target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: excluded } },
      ],
    });
    expect(assign.status).toBe(204);
    const list = await json(tenant.graph('GET', `${BASE}/${esp}/assignments`));
    expect(list.body.value.map((a: any) => a.target.groupId).sort()).toEqual([devices, excluded].sort());
    expect(list.body.value[0]['@odata.type']).toBe('#microsoft.graph.enrollmentConfigurationAssignment');
    const expanded = await json(tenant.graph('GET', `${BASE}/${esp}?$expand=assignments`));
    expect(expanded.body.assignments).toHaveLength(2);
    // A bad target leaves the existing assignments as they were.
    const bad = await json(tenant.graph('POST', `${BASE}/${esp}/assign`, { enrollmentConfigurationAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: newId() } }] }));
    expect(bad.status).toBe(400);
    expect((await json(tenant.graph('GET', `${BASE}/${esp}/assignments`))).body.value).toHaveLength(2);
    // All devices is a target for ESP profiles, not for restrictions (restrictions apply to users).
    const all = await json(tenant.graph('POST', `${BASE}/${esp}/assignments`, { target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }));
    expect(all.status).toBe(201);
    expect((await tenant.graph('GET', `${BASE}/${esp}/assignments/${all.body.id}`)).status).toBe(200);
    expect((await tenant.graph('DELETE', `${BASE}/${esp}/assignments/${all.body.id}`)).status).toBe(204);
    const restriction = (await json(tenant.graph('POST', BASE, windowsRestriction('Assigned restriction')))).body.id;
    const noDevices = await json(tenant.graph('POST', `${BASE}/${restriction}/assign`, { enrollmentConfigurationAssignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] }));
    expect(noDevices.status).toBe(400);
    const users = await tenant.graph('POST', `${BASE}/${restriction}/assign`, { enrollmentConfigurationAssignments: [{ target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }] });
    expect(users.status).toBe(204);
    // Clearing with an empty array.
    expect((await tenant.graph('POST', `${BASE}/${esp}/assign`, { enrollmentConfigurationAssignments: [] })).status).toBe(204);
    expect((await json(tenant.graph('GET', `${BASE}/${esp}/assignments`))).body.value).toEqual([]);
    await tenant.graph('DELETE', `${BASE}/${esp}`);
    await tenant.graph('DELETE', `${BASE}/${restriction}`);
  });
});

describe('permissions', () => {
  /** An application of the tenant with exactly these Graph permissions, and its app-only token. */
  async function tokenWith(permissions: string[]): Promise<string> {
    const res = await json(t.control('POST', `/tenants/${tenant.tenantId}/applications`, { displayName: `App ${permissions.join(' ') || 'none'}`, permissions }));
    expect(res.status).toBe(201);
    return appToken(t.url, tenant.tenantId, res.body.clientId, res.body.clientSecret);
  }

  it('reads with DeviceManagementServiceConfig or DeviceManagementConfiguration, writes with their ReadWrite', async () => {
    const serviceRead = await tokenWith(['DeviceManagementServiceConfig.Read.All']);
    const configWrite = await tokenWith(['DeviceManagementConfiguration.ReadWrite.All']);
    const nothing = await tokenWith([]);
    expect((await tenant.graphAs(serviceRead, 'GET', BASE)).status).toBe(200);
    expect((await tenant.graphAs(serviceRead, 'POST', BASE, portalEsp('Denied'))).status).toBe(403);
    expect((await tenant.graphAs(nothing, 'GET', BASE)).status).toBe(403);
    const created = await json(tenant.graphAs(configWrite, 'POST', BASE, portalEsp('Allowed')));
    expect(created.status).toBe(201);
    expect((await tenant.graphAs(serviceRead, 'POST', `${BASE}/${created.body.id}/assign`, { enrollmentConfigurationAssignments: [] })).status).toBe(403);
    expect((await tenant.graphAs(configWrite, 'POST', `${BASE}/${created.body.id}/assign`, { enrollmentConfigurationAssignments: [] })).status).toBe(204);
    expect((await tenant.graphAs(configWrite, 'DELETE', `${BASE}/${created.body.id}`)).status).toBe(204);
    const unknown = await json(tenant.graph('GET', `${BASE}/nope`));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NotFound');
  });
});
