// Mobile apps (win32LobApp, win32CatalogApp, windowsMobileMSI, winGetApp, officeSuiteApp) and their assignments, driven with the payloads of the IntuneWin32App module, Terraform and Microsoft365DSC.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@microsoft/microsoft-graph-client';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { graphClient } from '../helpers/graph-client.js';
import { tenantScope } from '../../src/server/context.js';
import { appAssignmentsForGroups, requiredAppsForGroups } from '../../src/intune/app-deployments.js';

let t: TestServer;
let tenant: TestTenant;
let client: Client;
const APPS = '/beta/deviceAppManagement/mobileApps';
const ids: Record<string, string> = {};

async function created(res: Promise<Response>): Promise<any> {
  const r = await json(res);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
const group = (name: string, extra: Record<string, unknown> = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  client = graphClient(t.url, tenant.token, 'beta');
  // The device preparation device group (assigned, empty until devices enroll), a dynamic device group and a user group.
  ids.dpGroup = (await created(tenant.graph('POST', '/v1.0/groups', group('DP devices')))).id;
  ids.deviceGroup = (
    await created(
      tenant.graph('POST', '/v1.0/groups', group('Autopilot devices', { groupTypes: ['DynamicMembership'], membershipRule: '(device.devicePhysicalIds -any (_ -contains "[ZTDId]"))', membershipRuleProcessingState: 'On' })),
    )
  ).id;
  const user = await created(
    tenant.graph('POST', '/v1.0/users', { accountEnabled: true, displayName: 'Adele', mailNickname: 'adele', userPrincipalName: `adele@${tenant.domain}`, passwordProfile: { password: 'Tarmac-test-Passw0rd!' } }),
  );
  ids.userGroup = (await created(tenant.graph('POST', '/v1.0/groups', group('Sales users')))).id;
  expect((await tenant.graph('POST', `/v1.0/groups/${ids.userGroup}/members/$ref`, { '@odata.id': `${t.url}/v1.0/directoryObjects/${user.id}` })).status).toBe(204);
});
afterAll(() => t.close());

/** A Win32 app as the IntuneWin32App PowerShell module creates it (New-IntuneWin32AppBody, MSI variant). */
const win32Body = (extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.win32LobApp',
  applicableArchitectures: 'x64,x86',
  allowAvailableUninstall: false,
  description: 'Install 7-Zip',
  developer: '',
  displayName: '7-Zip 22.01 (x64)',
  fileName: '7z2201-x64.intunewin',
  setupFilePath: '7z2201-x64.msi',
  installCommandLine: 'msiexec.exe /i "7z2201-x64.msi" /qn',
  uninstallCommandLine: 'msiexec.exe /x "{23170F69-40C1-2702-2201-000001000000}" /qn',
  informationUrl: '',
  isFeatured: false,
  roleScopeTagIds: ['0'],
  notes: '',
  minimumSupportedWindowsRelease: '1909',
  msiInformation: {
    packageType: 'perMachine',
    productCode: '{23170F69-40C1-2702-2201-000001000000}',
    productName: '7-Zip 22.01 (x64 edition)',
    productVersion: '22.01.00.0',
    publisher: 'Igor Pavlov',
    requiresReboot: false,
    upgradeCode: '{23170F69-40C1-2702-0000-000004000000}',
  },
  owner: '',
  privacyInformationUrl: '',
  publisher: 'Igor Pavlov',
  returnCodes: [
    { returnCode: 0, type: 'success' },
    { returnCode: 1707, type: 'success' },
    { returnCode: 3010, type: 'softReboot' },
    { returnCode: 1641, type: 'hardReboot' },
    { returnCode: 1618, type: 'retry' },
  ],
  rules: [
    {
      '@odata.type': '#microsoft.graph.win32LobAppProductCodeRule',
      ruleType: 'detection',
      productCode: '{23170F69-40C1-2702-2201-000001000000}',
      productVersionOperator: 'greaterThanOrEqual',
      productVersion: '22.01.00.0',
    },
  ],
  installExperience: { runAsAccount: 'system', deviceRestartBehavior: 'suppress' },
  ...extra,
});

/** A Microsoft Store app (new) as the Terraform provider's winget_app resource sends it. */
const winGetBody = (extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.winGetApp',
  packageIdentifier: '9NZVDKPMR9RD',
  displayName: 'Mozilla Firefox',
  description: 'Web browser',
  publisher: 'Mozilla',
  isFeatured: false,
  roleScopeTagIds: ['0'],
  installExperience: { '@odata.type': '#microsoft.graph.winGetAppInstallExperience', runAsAccount: 'system' },
  ...extra,
});

/** Microsoft 365 Apps as Microsoft365DSC's IntuneMobileAppsWindowsOfficeSuiteApp creates it. */
const officeBody = () => ({
  '@odata.type': '#microsoft.graph.officeSuiteApp',
  displayName: 'Microsoft 365 Apps for Windows 10 and later',
  description: 'Microsoft 365 Apps for Windows 10 and later',
  isFeatured: false,
  privacyInformationUrl: 'https://privacy.microsoft.com/en-US/privacystatement',
  informationUrl: 'https://products.office.com/en-us/explore-office-for-home',
  notes: '',
  roleScopeTagIds: ['0'],
  autoAcceptEula: true,
  productIds: ['o365ProPlusRetail'],
  excludedApps: { '@odata.type': '#microsoft.graph.excludedApps', access: true, bing: false, excel: false, groove: true, infoPath: true, lync: true, oneDrive: false, oneNote: false, outlook: false, powerPoint: false, publisher: true, sharePointDesigner: true, teams: false, visio: true, word: false },
  useSharedComputerActivation: true,
  updateChannel: 'current',
  officeSuiteAppDefaultFileFormat: 'officeOpenXMLFormat',
  officePlatformArchitecture: 'x64',
  localesToInstall: [],
  installProgressDisplayLevel: 'none',
  shouldUninstallOlderVersionsOfOffice: true,
  targetVersion: '',
  updateVersion: '',
  officeConfigurationXml: null,
  publisher: 'Microsoft',
  developer: 'Microsoft',
  owner: 'Microsoft',
});

const required = (groupId: string, settings: unknown = null, intent = 'required') => ({
  '@odata.type': '#microsoft.graph.mobileAppAssignment',
  intent,
  target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId, deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none' },
  settings,
});

describe('mobile apps with the official Graph client', () => {
  it('creates a Win32 app, assigns it Required to the device group and reads it back published and assigned', async () => {
    const app = await client.api('/deviceAppManagement/mobileApps').post(win32Body({ publishingState: 'processing', isAssigned: true }));
    expect(app).toMatchObject({
      '@odata.type': '#microsoft.graph.win32LobApp',
      displayName: '7-Zip 22.01 (x64)',
      publishingState: 'published',
      isAssigned: false,
      applicableArchitectures: 'x64,x86',
      installExperience: { runAsAccount: 'system', deviceRestartBehavior: 'suppress' },
    });
    ids.win32 = app.id;
    await client.api(`/deviceAppManagement/mobileApps/${app.id}/assign`).post({
      mobileAppAssignments: [
        required(ids.dpGroup!, { '@odata.type': '#microsoft.graph.win32LobAppAssignmentSettings', notifications: 'hideAll', deliveryOptimizationPriority: 'foreground', restartSettings: null, installTimeSettings: null }),
        { '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'available', target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } },
      ],
    });
    const assignments = await client.api(`/deviceAppManagement/mobileApps/${app.id}/assignments`).get();
    expect(assignments.value).toHaveLength(2);
    expect(assignments.value.find((a: any) => a.intent === 'required')).toMatchObject({
      '@odata.type': '#microsoft.graph.mobileAppAssignment',
      target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup, deviceAndAppManagementAssignmentFilterType: 'none' },
      settings: { '@odata.type': '#microsoft.graph.win32LobAppAssignmentSettings', notifications: 'hideAll' },
      source: 'direct',
      sourceId: null,
    });
    const reread = await client.api(`/deviceAppManagement/mobileApps/${app.id}`).get();
    expect(reread.isAssigned).toBe(true);
    // Clearing the assignments clears isAssigned.
    await client.api(`/deviceAppManagement/mobileApps/${app.id}/assign`).post({ mobileAppAssignments: [] });
    expect((await client.api(`/deviceAppManagement/mobileApps/${app.id}`).get()).isAssigned).toBe(false);
  });

  it('creates a Microsoft Store (WinGet) app and Microsoft 365 Apps, and refuses changing a WinGet app fixed at creation', async () => {
    const store = await client.api('/deviceAppManagement/mobileApps').post(winGetBody());
    expect(store).toMatchObject({ '@odata.type': '#microsoft.graph.winGetApp', packageIdentifier: '9NZVDKPMR9RD', publishingState: 'published', installExperience: { runAsAccount: 'system' } });
    ids.winGet = store.id;
    const office = await client.api('/deviceAppManagement/mobileApps').post(officeBody());
    expect(office).toMatchObject({ '@odata.type': '#microsoft.graph.officeSuiteApp', productIds: ['o365ProPlusRetail'], updateChannel: 'current', publishingState: 'published' });
    ids.office = office.id;
    // Terraform's update sends no packageIdentifier; a change of it is refused.
    await client.api(`/deviceAppManagement/mobileApps/${store.id}`).patch({ '@odata.type': '#microsoft.graph.winGetApp', description: 'Firefox' });
    const err = await json(tenant.graph('PATCH', `${APPS}/${store.id}`, { '@odata.type': '#microsoft.graph.winGetApp', packageIdentifier: 'XP8K0HKJFRXGCK' }));
    expect(err.status).toBe(400);
    expect(err.body.error).toMatchObject({ code: 'BadRequest', target: 'packageIdentifier' });
    const run = await json(tenant.graph('PATCH', `${APPS}/${store.id}`, { installExperience: { runAsAccount: 'user' } }));
    expect(run.body.error.target).toBe('installExperience.runAsAccount');
    expect((await client.api(`/deviceAppManagement/mobileApps/${store.id}`).get()).description).toBe('Firefox');
  });

  it('serves v1.0 too', async () => {
    const list = await json(tenant.graph('GET', '/v1.0/deviceAppManagement/mobileApps?$select=id,displayName'));
    expect(list.status).toBe(200);
    expect(list.body['@odata.context']).toContain('/v1.0/$metadata#deviceAppManagement/mobileApps');
    expect(list.body.value.map((a: any) => a.id)).toEqual(expect.arrayContaining([ids.win32, ids.winGet, ids.office]));
  });
});

describe('mobile app checks', () => {
  it('refuses what Intune refuses on create, naming the field, and creates nothing', async () => {
    const before = (await json(tenant.graph('GET', `${APPS}/$count`))).body;
    const cases: [Record<string, unknown>, string, RegExp?][] = [
      [win32Body({ rules: [] }), 'rules', /at least one detection rule/],
      [win32Body({ fileName: undefined }), 'fileName'],
      [win32Body({ installCommandLine: '' }), 'installCommandLine'],
      [win32Body({ installExperience: { runAsAccount: 'admin' } }), 'installExperience.runAsAccount'],
      [win32Body({ applicableArchitectures: 'x64,sparc' }), 'applicableArchitectures'],
      [win32Body({ returnCodes: [{ returnCode: 0, type: 'ok' }] }), 'returnCodes[0].type'],
      [win32Body({ rules: [{ ruleType: 'detection' }] }), 'rules[0].@odata.type'],
      [win32Body({ publisher: null }), 'publisher'],
      [win32Body({ '@odata.type': '#microsoft.graph.iosLobApp' }), '@odata.type'],
      [winGetBody({ packageIdentifier: undefined }), 'packageIdentifier'],
      [winGetBody({ installExperience: undefined }), 'installExperience'],
      [{ ...officeBody(), productIds: ['o365Home'] }, 'productIds[0]'],
      [{ ...officeBody(), updateChannel: 'beta' }, 'updateChannel'],
      [{ ...officeBody(), excludedApps: { paint: true } }, 'excludedApps.paint'],
      [{ ...win32Body(), '@odata.type': '#microsoft.graph.win32CatalogApp' }, 'mobileAppCatalogPackageId'],
    ];
    for (const [body, target, message] of cases) {
      const clean = JSON.parse(JSON.stringify(body));
      const res = await json(tenant.graph('POST', APPS, clean));
      expect(res.status, `${target}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.target).toBe(target);
      if (message) expect(res.body.error.message).toMatch(message);
    }
    expect((await json(tenant.graph('GET', `${APPS}/$count`))).body).toBe(before);
  });

  it('keeps LOB MSI and Enterprise App Catalog apps, with their install context', async () => {
    const msi = await created(
      tenant.graph('POST', APPS, {
        '@odata.type': '#microsoft.graph.windowsMobileMSI',
        displayName: 'Contoso Agent',
        publisher: 'Contoso',
        fileName: 'agent.msi',
        productCode: '{11111111-2222-3333-4444-555555555555}',
        productVersion: '1.2.3',
        commandLine: '/qn',
        useDeviceContext: true,
      }),
    );
    expect(msi).toMatchObject({ useDeviceContext: true, publishingState: 'published', ignoreVersionDetection: false });
    ids.msi = msi.id;
    expect((await json(tenant.graph('PATCH', `${APPS}/${msi.id}`, { useDeviceContext: false }))).body.error.target).toBe('useDeviceContext');
    const catalog = await created(tenant.graph('POST', APPS, { ...win32Body(), '@odata.type': '#microsoft.graph.win32CatalogApp', displayName: '7-Zip (catalog)', mobileAppCatalogPackageId: 'a09730b0-93d9-bb83-a96e-c5346258734b', installExperience: { runAsAccount: 'user' } }));
    expect(catalog['@odata.type']).toBe('#microsoft.graph.win32CatalogApp');
    ids.catalog = catalog.id;
  });

  it("filters by type with isof(), as app tools do, alone or with other conditions", async () => {
    const win32 = await json(tenant.graph('GET', `${APPS}?$filter=isof('microsoft.graph.win32LobApp')&$select=id`));
    expect(win32.status).toBe(200);
    expect(win32.body.value.map((a: any) => a.id).sort()).toEqual([ids.win32, ids.catalog].sort());
    const store = await json(tenant.graph('GET', `${APPS}?$filter=(isof('microsoft.graph.winGetApp') or isof('microsoft.graph.officeSuiteApp')) and publisher eq 'Mozilla'`));
    expect(store.body.value.map((a: any) => a.id)).toEqual([ids.winGet]);
    const assigned = await json(tenant.graph('GET', `${APPS}?$filter=isAssigned eq false and isof('microsoft.graph.windowsMobileMSI')`));
    expect(assigned.body.value.map((a: any) => a.id)).toEqual([ids.msi]);
  });
});

describe('mobile app assignments', () => {
  it('takes the IntuneWin32App assignment body on POST …/assignments and refuses settings of another app type', async () => {
    const added = await created(
      tenant.graph('POST', `${APPS}/${ids.win32}/assignments`, {
        '@odata.type': '#microsoft.graph.mobileAppAssignment',
        intent: 'required',
        source: 'direct',
        target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none', groupId: ids.dpGroup },
        settings: { '@odata.type': '#microsoft.graph.win32LobAppAssignmentSettings', notifications: 'showAll', restartSettings: null, installTimeSettings: null, deliveryOptimizationPriority: 'notConfigured' },
      }),
    );
    expect(added).toMatchObject({ intent: 'required', source: 'direct' });
    expect((await json(tenant.graph('GET', `${APPS}/${ids.win32}`))).body.isAssigned).toBe(true);
    // Assignment reports read apps with their assignments expanded.
    const expanded = await json(tenant.graph('GET', `${APPS}?$filter=isAssigned eq true&$expand=assignments&$select=id,displayName`));
    expect(expanded.body.value).toEqual([{ '@odata.type': '#microsoft.graph.win32LobApp', id: ids.win32, displayName: '7-Zip 22.01 (x64)', assignments: [expect.objectContaining({ id: added.id, intent: 'required' })] }]);
    const wrong = await json(tenant.graph('POST', `${APPS}/${ids.winGet}/assign`, { mobileAppAssignments: [required(ids.dpGroup!, { '@odata.type': '#microsoft.graph.win32LobAppAssignmentSettings' })] }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.target).toBe('assignments[0].settings.@odata.type');
    const badNotify = await json(tenant.graph('POST', `${APPS}/${ids.winGet}/assign`, { mobileAppAssignments: [required(ids.dpGroup!, { '@odata.type': '#microsoft.graph.winGetAppAssignmentSettings', notifications: 'loud' })] }));
    expect(badNotify.body.error.target).toBe('assignments[0].settings.notifications');
    expect((await json(tenant.graph('DELETE', `${APPS}/${ids.win32}/assignments/${added.id}`))).status).toBe(204);
    expect((await json(tenant.graph('GET', `${APPS}/${ids.win32}`))).body.isAssigned).toBe(false);
  });

  it('refuses a bad intent, two intents for one group, and Available to devices except for Win32 apps, changing nothing', async () => {
    const assign = (appId: string, list: unknown[]) => json(tenant.graph('POST', `${APPS}/${appId}/assign`, { mobileAppAssignments: list }));
    expect((await assign(ids.winGet!, [required(ids.dpGroup!)])).status).toBe(204);
    const intent = await assign(ids.winGet!, [required(ids.dpGroup!, null, 'availableWithoutEnrollment')]);
    expect(intent.body.error).toMatchObject({ code: 'BadRequest', target: 'assignments[0].intent' });
    const twice = await assign(ids.winGet!, [required(ids.userGroup!), { ...required(ids.userGroup!, null, 'uninstall'), target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: ids.userGroup } }]);
    expect(twice.status).toBe(400);
    expect(twice.body.error.target).toBe('assignments[1].target.groupId');
    const toDevices = await assign(ids.winGet!, [required(ids.deviceGroup!, null, 'available')]);
    expect(toDevices.status).toBe(400);
    expect(toDevices.body.error.message).toMatch(/user groups only/);
    const toAllDevices = await assign(ids.office!, [{ intent: 'available', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }]);
    expect(toAllDevices.body.error.target).toBe('assignments[0].intent');
    // The earlier assignment is still there: a refused assign changes nothing.
    const kept = await json(tenant.graph('GET', `${APPS}/${ids.winGet}/assignments`));
    expect(kept.body.value.map((a: any) => [a.intent, a.target.groupId])).toEqual([['required', ids.dpGroup]]);
    // Win32 apps may be Available to device groups; any app may be Available to user groups.
    expect((await assign(ids.win32!, [required(ids.deviceGroup!, null, 'available')])).status).toBe(204);
    expect((await assign(ids.office!, [required(ids.userGroup!, null, 'available')])).status).toBe(204);
    // An unknown app and an unknown group are named.
    expect((await assign(randomUUID(), [])).status).toBe(404);
    expect((await assign(ids.office!, [required(randomUUID())])).body.error.target).toBe('assignments[0].target.groupId');
  });

  it('tells the deployment engine which apps a device group requires, in which context, exclusions applied', async () => {
    const assign = (appId: string, list: unknown[]) => tenant.graph('POST', `${APPS}/${appId}/assign`, { mobileAppAssignments: list });
    const filter = await created(
      tenant.graph('POST', '/beta/deviceManagement/assignmentFilters', { displayName: 'Surface', platform: 'windows10AndLater', rule: '(device.model -startsWith "Surface")' }),
    );
    expect((await assign(ids.win32!, [{ ...required(ids.dpGroup!), target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup, deviceAndAppManagementAssignmentFilterId: filter.id, deviceAndAppManagementAssignmentFilterType: 'include' } }])).status).toBe(204);
    expect((await assign(ids.msi!, [required(ids.dpGroup!)])).status).toBe(204);
    expect((await assign(ids.catalog!, [required(ids.dpGroup!)])).status).toBe(204);
    expect((await assign(ids.office!, [{ intent: 'required', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }, { intent: 'uninstall', target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: ids.deviceGroup } }])).status).toBe(204);
    expect((await assign(ids.winGet!, [required(ids.dpGroup!, null, 'uninstall')])).status).toBe(204);

    const scope = tenantScope(t.server.ctx, tenant.tenantId);
    const apps = await requiredAppsForGroups(scope, [ids.dpGroup!]);
    expect(apps.map((a) => [a.displayName, a.installContext])).toEqual([
      ['7-Zip (catalog)', 'user'],
      ['7-Zip 22.01 (x64)', 'system'],
      ['Contoso Agent', 'system'],
    ]);
    expect(apps.find((a) => a.appId === ids.win32)!.via).toEqual([
      { assignmentId: expect.any(String), targetType: '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup, filter: { id: filter.id, type: 'include' }, settings: null },
    ]);
    // "All devices" counts when asked; an exclusion group of the device removes the app.
    expect((await requiredAppsForGroups(scope, [ids.dpGroup!], { allDevices: true })).map((a) => a.appId)).toContain(ids.office);
    expect((await requiredAppsForGroups(scope, [ids.dpGroup!, ids.deviceGroup!], { allDevices: true })).map((a) => a.appId)).not.toContain(ids.office);
    expect((await appAssignmentsForGroups(scope, [ids.dpGroup!])).find((a) => a.appId === ids.winGet)).toMatchObject({ intent: 'uninstall', installContext: 'system' });
    expect(await requiredAppsForGroups(scope, [])).toEqual([]);
  });

  it('needs DeviceManagementApps permissions: Read.All reads, only ReadWrite.All writes', async () => {
    const app = await json(t.control('POST', `/tenants/${tenant.tenantId}/applications`, { displayName: 'App reader', permissions: ['DeviceManagementApps.Read.All'] }));
    const token = (await json(fetch(`${t.url}/${tenant.tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.body.clientId, client_secret: app.body.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString() }))).body.access_token;
    expect((await tenant.graphAs(token, 'GET', `${APPS}/${ids.win32}/assignments`)).status).toBe(200);
    expect((await tenant.graphAs(token, 'POST', APPS, winGetBody())).status).toBe(403);
    expect((await tenant.graphAs(token, 'POST', `${APPS}/${ids.win32}/assign`, { mobileAppAssignments: [] })).status).toBe(403);
  });

  it('deletes an app with its assignments', async () => {
    expect((await tenant.graph('DELETE', `${APPS}/${ids.msi}`)).status).toBe(204);
    expect((await json(tenant.graph('GET', `${APPS}/${ids.msi}/assignments`))).status).toBe(404);
    const scope = tenantScope(t.server.ctx, tenant.tenantId);
    expect((await requiredAppsForGroups(scope, [ids.dpGroup!])).map((a) => a.appId)).not.toContain(ids.msi);
  });
});
