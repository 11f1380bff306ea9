// Platform scripts (deviceManagementScripts): base64 content, its checks, both assignment forms, permissions, and what the engine reads.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@microsoft/microsoft-graph-client';
import { appToken, createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { graphClient } from '../helpers/graph-client.js';
import { tenantScope } from '../../src/server/context.js';
import { scriptsForGroups } from '../../src/intune/script-deployments.js';

let t: TestServer;
let tenant: TestTenant;
let client: Client;
const SCRIPTS = '/beta/deviceManagement/deviceManagementScripts';
const ids: Record<string, string> = {};
const SCRIPT = 'Write-Output "Install X"\r\nNew-Item -Path C:\\ProgramData\\X -ItemType Directory -Force\r\n';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

async function created(res: Promise<Response>): Promise<any> {
  const r = await json(res);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
const group = (name: string) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true });

/** The create body of a device preparation setup script (graph-api.md §8.2). */
const scriptBody = (extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.deviceManagementScript',
  displayName: 'Install X',
  description: 'Prepares X during OOBE',
  scriptContent: b64(SCRIPT),
  runAsAccount: 'system',
  runAs32Bit: false,
  enforceSignatureCheck: false,
  fileName: 'Install-X.ps1',
  roleScopeTagIds: ['0'],
  ...extra,
});

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
  client = graphClient(t.url, tenant.token, 'beta');
  ids.dpGroup = (await created(tenant.graph('POST', '/v1.0/groups', group('DP devices')))).id;
  ids.otherGroup = (await created(tenant.graph('POST', '/v1.0/groups', group('Pilot devices')))).id;
});
afterAll(() => t.close());

describe('platform scripts with the official Graph client', () => {
  it('creates a script, returns its content on GET by id only, and assigns it to the device group', async () => {
    const script = await client.api('/deviceManagement/deviceManagementScripts').post(scriptBody());
    expect(script).toMatchObject({ displayName: 'Install X', runAsAccount: 'system', fileName: 'Install-X.ps1', runAs32Bit: false, enforceSignatureCheck: false, roleScopeTagIds: ['0'] });
    ids.script = script.id;
    const read = await client.api(`/deviceManagement/deviceManagementScripts/${script.id}`).get();
    expect(Buffer.from(read.scriptContent, 'base64').toString('utf8')).toBe(SCRIPT);
    const list = await client.api('/deviceManagement/deviceManagementScripts').get();
    expect(list.value).toHaveLength(1);
    expect(list.value[0]).toMatchObject({ id: script.id, displayName: 'Install X', scriptContent: null });
    await client.api(`/deviceManagement/deviceManagementScripts/${script.id}/assign`).post({
      deviceManagementScriptAssignments: [
        { '@odata.type': '#microsoft.graph.deviceManagementScriptAssignment', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup } },
      ],
    });
    const assignments = await client.api(`/deviceManagement/deviceManagementScripts/${script.id}/assignments`).get();
    expect(assignments.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.deviceManagementScriptAssignment',
        id: expect.any(String),
        target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup, deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none' },
      },
    ]);
    const legacy = await client.api(`/deviceManagement/deviceManagementScripts/${script.id}/groupAssignments`).get();
    expect(legacy.value).toEqual([{ '@odata.type': '#microsoft.graph.deviceManagementScriptGroupAssignment', id: assignments.value[0].id, targetGroupId: ids.dpGroup }]);
    const expanded = await client.api(`/deviceManagement/deviceManagementScripts/${script.id}`).expand('assignments,groupAssignments').get();
    expect(expanded.assignments).toEqual(assignments.value);
    expect(expanded.groupAssignments).toEqual(legacy.value);
    expect(expanded.scriptContent).toBe(b64(SCRIPT));
  });

  it("takes Microsoft365DSC's body (PascalCase type name) and a PATCH of the content", async () => {
    const dsc = await client.api('/deviceManagement/deviceManagementScripts').post({ ...scriptBody({ displayName: 'DSC script', runAsAccount: 'user' }), '@odata.type': '#microsoft.graph.DeviceManagementScript' });
    expect(dsc['@odata.type']).toBe('#microsoft.graph.deviceManagementScript');
    await client.api(`/deviceManagement/deviceManagementScripts/${dsc.id}`).patch({ '@odata.type': '#microsoft.graph.DeviceManagementScript', scriptContent: b64('Write-Output 2') });
    const read = await client.api(`/deviceManagement/deviceManagementScripts/${dsc.id}`).get();
    expect(Buffer.from(read.scriptContent, 'base64').toString()).toBe('Write-Output 2');
    ids.userScript = dsc.id;
  });
});

describe('platform script checks', () => {
  it('refuses content that is not base64, too large or empty, a non-.ps1 file and a bad runAsAccount, creating nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [scriptBody({ scriptContent: 'not base64!' }), 'scriptContent'],
      [scriptBody({ scriptContent: Buffer.alloc(200 * 1024, 65).toString('base64') }), 'scriptContent'],
      [scriptBody({ scriptContent: '' }), 'scriptContent'],
      [scriptBody({ fileName: 'install.cmd' }), 'fileName'],
      [scriptBody({ fileName: undefined }), 'fileName'],
      [scriptBody({ runAsAccount: 'admin' }), 'runAsAccount'],
      [scriptBody({ runAs32Bit: 'yes' }), 'runAs32Bit'],
    ];
    for (const [body, target] of cases) {
      const res = await json(tenant.graph('POST', SCRIPTS, JSON.parse(JSON.stringify(body))));
      expect(res.status, `${target}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.target).toBe(target);
    }
    expect(await json(tenant.graph('POST', SCRIPTS, scriptBody({ scriptContent: Buffer.alloc(200 * 1024 - 1, 65).toString('base64'), displayName: 'Largest' })))).toMatchObject({ status: 201 });
    const list = await json(tenant.graph('GET', `${SCRIPTS}?$select=displayName`));
    expect(list.body.value.map((s: any) => s.displayName).sort()).toEqual(['DSC script', 'Install X', 'Largest']);
  });

  it('takes the legacy group assignments, refuses filters, and keeps the old assignments when refused', async () => {
    const assign = (body: unknown) => json(tenant.graph('POST', `${SCRIPTS}/${ids.userScript}/assign`, body));
    expect(
      (
        await assign({
          deviceManagementScriptGroupAssignments: [{ '@odata.type': '#microsoft.graph.deviceManagementScriptGroupAssignment', id: randomUUID(), targetGroupId: ids.otherGroup }],
          deviceManagementScriptAssignments: [{ target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: ids.dpGroup } }],
        })
      ).status,
    ).toBe(204);
    const both = await json(tenant.graph('GET', `${SCRIPTS}/${ids.userScript}/assignments`));
    expect(both.body.value.map((a: any) => [a.target['@odata.type'], a.target.groupId]).sort()).toEqual(
      [
        ['#microsoft.graph.exclusionGroupAssignmentTarget', ids.dpGroup],
        ['#microsoft.graph.groupAssignmentTarget', ids.otherGroup],
      ].sort(),
    );
    const filter = await created(tenant.graph('POST', '/beta/deviceManagement/assignmentFilters', { displayName: 'Surface', platform: 'windows10AndLater', rule: '(device.model -startsWith "Surface")' }));
    const filtered = await assign({
      deviceManagementScriptAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup, deviceAndAppManagementAssignmentFilterId: filter.id, deviceAndAppManagementAssignmentFilterType: 'include' } }],
    });
    expect(filtered.status).toBe(400);
    expect(filtered.body.error).toMatchObject({ code: 'BadRequest', target: 'assignments[0].target.deviceAndAppManagementAssignmentFilterType' });
    const badLegacy = await assign({ deviceManagementScriptGroupAssignments: [{ targetGroupId: 'nope' }] });
    expect(badLegacy.body.error.target).toBe('deviceManagementScriptGroupAssignments[0].targetGroupId');
    const unknownGroup = await assign({ deviceManagementScriptGroupAssignments: [{ targetGroupId: randomUUID() }] });
    expect(unknownGroup.status).toBe(400);
    expect((await json(tenant.graph('GET', `${SCRIPTS}/${ids.userScript}/assignments`))).body.value).toHaveLength(2);
  });

  it('adds and removes legacy group assignments through the groupAssignments navigation', async () => {
    const added = await created(tenant.graph('POST', `${SCRIPTS}/${ids.script}/groupAssignments`, { '@odata.type': '#microsoft.graph.deviceManagementScriptGroupAssignment', targetGroupId: ids.otherGroup }));
    expect(added).toMatchObject({ targetGroupId: ids.otherGroup, '@odata.type': '#microsoft.graph.deviceManagementScriptGroupAssignment' });
    expect((await json(tenant.graph('GET', `${SCRIPTS}/${ids.script}/groupAssignments/${added.id}`))).body.targetGroupId).toBe(ids.otherGroup);
    expect((await json(tenant.graph('GET', `${SCRIPTS}/${ids.script}/assignments`))).body.value).toHaveLength(2);
    expect((await tenant.graph('DELETE', `${SCRIPTS}/${ids.script}/groupAssignments/${added.id}`)).status).toBe(204);
    expect((await json(tenant.graph('GET', `${SCRIPTS}/${ids.script}/groupAssignments/${added.id}`))).status).toBe(404);
    expect((await json(tenant.graph('GET', `${SCRIPTS}/${ids.script}/groupAssignments`))).body.value).toHaveLength(1);
  });

  it('tells the engine which scripts reach a device group and how they run, exclusions applied', async () => {
    const scope = tenantScope(t.server.ctx, tenant.tenantId);
    expect(await scriptsForGroups(scope, [ids.dpGroup!])).toEqual([
      { scriptId: ids.script, displayName: 'Install X', fileName: 'Install-X.ps1', runAsAccount: 'system', enforceSignatureCheck: false, runAs32Bit: false, via: [{ assignmentId: expect.any(String), targetType: '#microsoft.graph.groupAssignmentTarget', groupId: ids.dpGroup }] },
    ]);
    expect((await scriptsForGroups(scope, [ids.otherGroup!])).map((s) => [s.displayName, s.runAsAccount])).toEqual([['DSC script', 'user']]);
    // The DSC script excludes the DP group: a device in both groups does not run it.
    expect((await scriptsForGroups(scope, [ids.otherGroup!, ids.dpGroup!])).map((s) => s.displayName)).toEqual(['Install X']);
  });

  it('accepts DeviceManagementScripts.* and DeviceManagementManagedDevices.* permissions, not others', async () => {
    const tokenFor = async (permissions: string[]) => {
      const app = await json(t.control('POST', `/tenants/${tenant.tenantId}/applications`, { displayName: permissions.join(' '), permissions }));
      return appToken(t.url, tenant.tenantId, app.body.clientId, app.body.clientSecret);
    };
    for (const permission of ['DeviceManagementScripts.ReadWrite.All', 'DeviceManagementManagedDevices.ReadWrite.All']) {
      const token = await tokenFor([permission]);
      expect((await tenant.graphAs(token, 'POST', SCRIPTS, scriptBody({ displayName: permission }))).status).toBe(201);
    }
    const reader = await tokenFor(['DeviceManagementScripts.Read.All']);
    expect((await tenant.graphAs(reader, 'GET', `${SCRIPTS}/${ids.script}/groupAssignments`)).status).toBe(200);
    expect((await tenant.graphAs(reader, 'POST', `${SCRIPTS}/${ids.script}/assign`, {})).status).toBe(403);
    const apps = await tokenFor(['DeviceManagementApps.ReadWrite.All']);
    expect((await tenant.graphAs(apps, 'GET', SCRIPTS)).status).toBe(403);
  });

  it('is beta only, and deletes a script with its assignments', async () => {
    expect((await tenant.graph('GET', '/v1.0/deviceManagement/deviceManagementScripts')).status).toBe(400);
    expect((await tenant.graph('DELETE', `${SCRIPTS}/${ids.script}`)).status).toBe(204);
    expect(await scriptsForGroups(tenantScope(t.server.ctx, tenant.tenantId), [ids.dpGroup!])).toEqual([]);
  });
});
