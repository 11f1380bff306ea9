// `tarmac demo`: the device preparation tutorial (user-driven Microsoft Entra join, steps 1-7) done on a
// fresh tenant of a running server, through Graph as an admin script would do it, then two devices taken
// through setup: one that succeeds and one whose app fails. Shows in a minute what Tarmac simulates, and
// leaves a configured tenant behind to try `tarmac device deploy` on. Exit 0 when both devices end as
// intended, 1 when not, 2 when the server could not be used.
import type { Command } from 'commander';
import { INTUNE_MDM_APP_ID } from '../directory/mobility-policies.js';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../identity/service-principals.js';
import {
  DPP_SETTING,
  ENROLLMENT_TEMPLATE_FAMILY,
  USER_DRIVEN_TEMPLATE_ID,
  devicePreparationTemplate,
  type DppSettingDefinition,
} from '../intune/device-preparation-templates.js';
import { minimalWin32AppBody } from '../intune/mobile-app-types.js';
import { GraphConnection } from './graph-connection.js';
import { ControlConnection, runCommand, withControlOptions, type ControlOptions } from './control-connection.js';
import { createDevice, outcomeLines, runToEnd, signIn, type DeploymentJson, type DeviceJson } from './device.js';

interface CreatedTenant {
  readonly tenantId: string;
  readonly domain: string;
  readonly displayName: string;
  readonly admin: { readonly clientId: string; readonly clientSecret: string };
  readonly users: readonly { readonly id: string; readonly userPrincipalName: string; readonly password: string }[];
}

const G = '#microsoft.graph.deviceManagementConfiguration';
const WIN32 = '#microsoft.graph.win32LobApp';

/** The two apps and the script of step 5; the second app is the one that fails on the second device. */
const APPS = ['Contoso Agent', 'Contoso VPN'] as const;
const SCRIPT = 'Set-ContosoDefaults';
/** The two devices of step 7 and of the deployments. */
const DEVICES = [
  { manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 6' },
  { manufacturer: 'Lenovo', model: 'ThinkPad T14 Gen 5' },
] as const;
/** Windows Installer's "Fatal error during installation". */
const FAILING_EXIT_CODE = 1603;

const group = (name: string, extra: Record<string, unknown> = {}) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true, ...extra });


const platformScript = (name: string) => ({
  '@odata.type': '#microsoft.graph.deviceManagementScript',
  displayName: name,
  description: name,
  scriptContent: Buffer.from('Write-Output "ok"').toString('base64'),
  runAsAccount: 'system',
  runAs32Bit: false,
  enforceSignatureCheck: false,
  fileName: `${name}.ps1`,
});

/** One setting of the user-driven template as the portal sends it, with the template's own ids. */
function setting(def: DppSettingDefinition, value: string | number | readonly string[]) {
  const instance = { settingDefinitionId: def.id, settingInstanceTemplateReference: { settingInstanceTemplateId: def.instanceTemplateId } };
  const valueTemplate = { settingValueTemplateReference: { settingValueTemplateId: def.valueTemplateId } };
  const settingInstance =
    def.kind === 'choice'
      ? { '@odata.type': `${G}ChoiceSettingInstance`, ...instance, choiceSettingValue: { '@odata.type': `${G}ChoiceSettingValue`, value, children: [], ...valueTemplate } }
      : def.kind === 'stringCollection'
        ? { '@odata.type': `${G}SimpleSettingCollectionInstance`, ...instance, simpleSettingCollectionValue: (value as readonly string[]).map((v) => ({ '@odata.type': `${G}StringSettingValue`, value: v })) }
        : { '@odata.type': `${G}SimpleSettingInstance`, ...instance, simpleSettingValue: { '@odata.type': `${G}${def.kind === 'integer' ? 'Integer' : 'String'}SettingValue`, value, ...valueTemplate } };
  return { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting', settingInstance };
}

/** The tutorial's policy: user-driven, Entra join, administrator, 60 minutes, skip and diagnostics allowed. */
function devicePreparationPolicy(apps: readonly string[], scripts: readonly string[]) {
  const values: Record<string, string | number | readonly string[]> = {
    [DPP_SETTING.deploymentMode]: `${DPP_SETTING.deploymentMode}_0`,
    [DPP_SETTING.deploymentType]: `${DPP_SETTING.deploymentType}_0`,
    [DPP_SETTING.joinType]: `${DPP_SETTING.joinType}_0`,
    [DPP_SETTING.accountType]: `${DPP_SETTING.accountType}_0`,
    [DPP_SETTING.timeout]: 60,
    [DPP_SETTING.customErrorMessage]: "Contact your organization's support person for help.",
    [DPP_SETTING.allowSkip]: `${DPP_SETTING.allowSkip}_1`,
    [DPP_SETTING.allowDiagnostics]: `${DPP_SETTING.allowDiagnostics}_1`,
    // Set by setEnrollmentTimeDeviceMembershipTarget afterwards, as the portal does.
    [DPP_SETTING.deviceSecurityGroupIds]: '',
    [DPP_SETTING.allowedAppIds]: apps.map((id) => JSON.stringify({ id, type: WIN32 })),
    [DPP_SETTING.allowedScriptIds]: scripts,
  };
  return {
    name: 'Windows Autopilot device preparation - User Driven',
    description: 'Created by tarmac demo',
    platforms: 'windows10',
    technologies: 'enrollment',
    roleScopeTagIds: ['0'],
    templateReference: { templateId: USER_DRIVEN_TEMPLATE_ID, templateFamily: ENROLLMENT_TEMPLATE_FAMILY },
    settings: devicePreparationTemplate(USER_DRIVEN_TEMPLATE_ID)!.settings.map((def) => setting(def, values[def.id]!)),
  };
}

/** Prints "Step n: title … done (note)" around one step, the title first so a slow step shows what it is doing. */
async function step<T>(n: number, title: string, body: () => Promise<{ result: T; note?: string }>): Promise<T> {
  process.stdout.write(`Step ${n}: ${title} … `);
  try {
    const { result, note } = await body();
    console.log(`done${note ? ` (${note})` : ''}`);
    return result;
  } catch (err) {
    console.log('failed');
    throw err;
  }
}

interface Setup {
  readonly user: { readonly userPrincipalName: string; readonly password: string };
  readonly appIds: readonly string[];
  readonly devices: readonly DeviceJson[];
}

/** Steps 1-7 of the tutorial, through Graph with the tenant's admin application. */
async function tutorial(graph: GraphConnection, control: ControlConnection, tenant: CreatedTenant): Promise<Setup> {
  await step(1, 'Set up Windows automatic Intune enrollment', async () => {
    await graph.expect(204, 'PATCH', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE_MDM_APP_ID}`, { appliesTo: 'all' });
    return { result: undefined, note: 'MDM user scope: All' };
  });

  await step(2, 'Allow users to join devices to Microsoft Entra ID', async () => {
    const policy = await graph.expect(200, 'GET', '/beta/policies/deviceRegistrationPolicy');
    const { '@odata.context': _context, ...current } = policy;
    await graph.expect(200, 'PUT', '/beta/policies/deviceRegistrationPolicy', {
      ...current,
      azureADJoin: { ...current.azureADJoin, allowedToJoin: { '@odata.type': '#microsoft.graph.allDeviceRegistrationMembership' } },
    });
    return { result: undefined, note: 'users may join devices: All' };
  });

  const deviceGroupId = await step(3, 'Create a device group', async () => {
    // The Intune Provisioning Client must own the group, or devices are not added to it at enrollment.
    const found = await graph.expect(200, 'GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${INTUNE_PROVISIONING_CLIENT_APP_ID}'`)}`);
    const sp = found.value[0] ?? (await graph.expect(201, 'POST', '/v1.0/servicePrincipals', { appId: INTUNE_PROVISIONING_CLIENT_APP_ID }));
    const created = await graph.expect(201, 'POST', '/v1.0/groups', group('Autopilot device preparation devices', { 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}`] }));
    return { result: created.id as string, note: `group id ${created.id}, owned by the Intune Provisioning Client` };
  });

  const user = tenant.users.find((u) => !u.userPrincipalName.startsWith('admin@')) ?? tenant.users[0];
  if (!user) throw new Error('the demo tenant came back without users');
  const userGroupId = await step(4, 'Create a user group', async () => {
    const created = await graph.expect(201, 'POST', '/v1.0/groups', group('Autopilot device preparation users'));
    await graph.expect(204, 'POST', `/v1.0/groups/${created.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
    return { result: created.id as string, note: `group id ${created.id}, member ${user.userPrincipalName}` };
  });

  const { appIds, scriptIds } = await step(5, 'Assign applications and scripts to device group', async () => {
    const ids: string[] = [];
    for (const name of APPS) {
      const app = await graph.expect(201, 'POST', '/beta/deviceAppManagement/mobileApps', minimalWin32AppBody(name));
      await graph.expect(204, 'POST', `/beta/deviceAppManagement/mobileApps/${app.id}/assign`, {
        mobileAppAssignments: [{ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: deviceGroupId }, settings: null }],
      });
      ids.push(app.id);
    }
    const script = await graph.expect(201, 'POST', '/beta/deviceManagement/deviceManagementScripts', platformScript(SCRIPT));
    await graph.expect(204, 'POST', `/beta/deviceManagement/deviceManagementScripts/${script.id}/assign`, {
      deviceManagementScriptAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: deviceGroupId } }],
    });
    return { result: { appIds: ids, scriptIds: [script.id as string] }, note: `Win32 apps ${APPS.map((a) => `'${a}'`).join(' and ')}, script '${SCRIPT}', required for the device group` };
  });

  await step(6, 'Create Windows Autopilot device preparation policy', async () => {
    const policy = await graph.expect(201, 'POST', '/beta/deviceManagement/configurationPolicies', devicePreparationPolicy(appIds, scriptIds));
    const target = await graph.expect(200, 'POST', `/beta/deviceManagement/configurationPolicies/${policy.id}/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: deviceGroupId }],
    });
    if (target.validationSucceeded !== true) throw new Error(`the device group was refused: ${JSON.stringify(target.enrollmentTimeDeviceMembershipTargetValidationStatuses ?? target)}`);
    await graph.expect(200, 'POST', `/beta/deviceManagement/configurationPolicies('${policy.id}')/assign`, {
      assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: userGroupId } }],
    });
    return { result: undefined, note: `policy id ${policy.id}, device group set, assigned to the user group` };
  });

  const devices = await step(7, 'Identify device using corporate identifiers', async () => {
    // The devices come "from the OEM" first, so their serial numbers are known.
    const created = await control.expect<{ value: DeviceJson[] }>(201, 'POST', `/tenants/${tenant.tenantId}/devices`, DEVICES);
    const identifiers = created.value.map((d) => `${d.manufacturer},${d.model},${d.serialNumber}`);
    const imported = await graph.expect(200, 'POST', '/beta/deviceManagement/importedDeviceIdentities/importDeviceIdentityList', {
      importedDeviceIdentities: identifiers.map((identifier) => ({
        '@odata.type': '#microsoft.graph.importedDeviceIdentity',
        importedDeviceIdentifier: identifier,
        importedDeviceIdentityType: 'manufacturerModelSerial',
        description: 'tarmac demo',
        platform: 'windows',
      })),
      overwriteImportedDeviceIdentities: false,
    });
    const refused = (imported.value as { status: boolean; importedDeviceIdentifier: string }[]).filter((v) => !v.status);
    if (refused.length > 0) throw new Error(`Intune refused ${refused.map((r) => r.importedDeviceIdentifier).join(', ')}`);
    return { result: created.value, note: identifiers.join('; ') };
  });

  return { user, appIds, devices };
}

async function deployOne(control: ControlConnection, tenantId: string, label: string, device: DeviceJson, user: Setup['user']): Promise<DeploymentJson> {
  console.log(`${label}: ${device.serialNumber} (${device.manufacturer} ${device.model}); ${user.userPrincipalName} signs in`);
  const started = await signIn(control, tenantId, device.id, user.userPrincipalName, user.password);
  const finished = started.nextTransitionDateTime === null ? started : await runToEnd(control, tenantId, started.id);
  for (const line of outcomeLines(finished)) console.log(`  ${line}`);
  return finished;
}

async function demo(options: ControlOptions): Promise<number> {
  const control = ControlConnection.open(options);
  const displayName = `Tarmac demo ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
  const tenant = await control.expect<CreatedTenant>(201, 'POST', '/tenants', { seed: 'demo', displayName });
  console.log(`Tenant '${displayName}' created: ${tenant.tenantId} (${tenant.domain}), ${tenant.users.length} users.`);
  // A stopped clock: time moves only when a deployment is run, so the run is the same however slow the machine.
  await control.expect(200, 'POST', `/tenants/${tenant.tenantId}/clock`, { rate: 0 });
  const graph = await GraphConnection.connect({ url: options.url, tenant: tenant.tenantId, clientId: tenant.admin.clientId, clientSecret: tenant.admin.clientSecret });

  console.log('\nWindows Autopilot device preparation, user-driven Microsoft Entra join: the tutorial, through Graph\n');
  const setup = await tutorial(graph, control, tenant);

  console.log('\nTwo devices go through setup\n');
  const [first, second] = setup.devices as [DeviceJson, DeviceJson];
  const good = await deployOne(control, tenant.tenantId, 'Device 1', first, setup.user);
  const failingApp = setup.appIds[1]!;
  await control.expect(200, 'PATCH', `/tenants/${tenant.tenantId}/devices/${second.id}`, { behaviour: { apps: { [failingApp]: { exitCode: FAILING_EXIT_CODE } } } });
  console.log(`\n'${APPS[1]}' is set to end with exit code ${FAILING_EXIT_CODE} on the next device.`);
  const bad = await deployOne(control, tenant.tenantId, 'Device 2', second, setup.user);

  const asIntended = good.status === 'success' && bad.status === 'failed' && bad.error?.reason === 'appFailed' && bad.apps.some((a) => a.id === failingApp && a.status === 'failed');
  console.log('');
  if (!asIntended) {
    console.log(`Not as intended: device 1 ended ${good.status}, device 2 ${bad.status}${bad.error ? ` (${bad.error.reason})` : ''}; expected success, then failed (appFailed).`);
    return 1;
  }
  console.log('As intended: device 1 is set up; device 2 stopped at the failure screen because an app failed.');
  console.log(`\nThe tenant stays. Try another device (with the same control key):\n  tarmac device deploy --url ${control.base} --tenant ${tenant.tenantId} --user ${setup.user.userPrincipalName} --password ${setup.user.password}`);
  return 0;
}

export function registerDemoCommands(program: Command): void {
  withControlOptions(
    program.command('demo').description('on a fresh tenant of a running server: the device preparation tutorial through Graph, then one device that succeeds and one that fails'),
  ).action((options: ControlOptions) => runCommand(() => demo(options)));
}
