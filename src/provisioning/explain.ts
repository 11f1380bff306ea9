// Explain: "what will happen when this user signs in on this device, and why?" as data. The prediction is
// the engine itself run to the end in a rolled-back transaction (engine.ts predictDeployment), so it is what
// the engine will do while the tenant stays as it is; beside it, every check with its result and the tenant
// setting behind it, the policies that were candidates, and for a device that already ran setup, what
// happened compared with the prediction. A device alone (nobody signed in yet) gets what can be known
// without a user: registration, profile, Windows version and ownership.
import type { Scope } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import { isGuid } from '../core/ids.js';
import { readJson } from '../store/db.js';
import { transitiveMemberOf } from '../directory/groups.js';
import { getDeviceRegistrationPolicy } from '../directory/device-registration-policy.js';
import { getMobilityPolicy, includedGroups, INTUNE_MDM_APP_ID } from '../directory/mobility-policies.js';
import { autopilotRegistrationFor } from '../intune/autopilot-lookup.js';
import { devicePreparationPolicies, type DevicePreparationPolicy } from '../intune/device-preparation-policy.js';
import { effectiveWindowsRestriction, windowsEnrollmentVerdict } from '../intune/effective-enrollment.js';
import { findCorporateIdentifier, hasWindowsCorporateIdentifiers } from '../intune/corporate-identifiers.js';
import { validateDeviceGroup, VALIDATION_MESSAGES } from '../intune/enrollment-time-device-membership.js';
import { classicOsBlocker, devicePreparationOsBlocker, homeEditionBlocker, joinBlocker, joinSettingsFor, mdmScopeBlocker, type Blocker } from './checks.js';
import { policyTargetsUser } from './path.js';
import { deviceView, getSimulatedDevice, parseCreateDevice, type SimulatedDevice } from './simulated-devices.js';
import { listDeployments, predictDeployment, type Deployment } from './engine.js';
import { deploymentView } from './deployment-view.js';

export type CheckResult = 'pass' | 'fail' | 'warning' | 'notChecked' | 'notApplicable';

export interface Check {
  readonly id: string;
  readonly title: string;
  readonly result: CheckResult;
  /** The tenant setting (or fact) the result comes from, as the portal names it, and its value. */
  readonly setting: string;
  readonly value: unknown;
  readonly detail: string;
  /** The error the device shows when this check stops setup. */
  readonly errorCode?: string;
}

const check = (id: string, title: string, result: CheckResult, setting: string, value: unknown, detail: string, blocker?: Blocker): Check => ({
  id,
  title,
  result,
  setting,
  value,
  detail,
  ...(blocker ? { errorCode: blocker.code } : {}),
});

async function findUser(scope: Scope, idOrUpn: string) {
  const q = scope.db.selectFrom('users').select(['id', 'data']).where('tenant_id', '=', scope.tenantId);
  const row = await (isGuid(idOrUpn) ? q.where('id', '=', idOrUpn.toLowerCase()) : q.where('upn_key', '=', idOrUpn.toLowerCase())).executeTakeFirst();
  if (!row) throw new GraphError(404, 'NotFound', `User '${idOrUpn}' does not exist in this tenant.`, { target: 'user' });
  const data = readJson<Record<string, unknown>>(row.data);
  return { id: row.id, userPrincipalName: String(data.userPrincipalName), displayName: String(data.displayName ?? ''), accountEnabled: data.accountEnabled !== false };
}

const membershipName = (m: unknown) => {
  const type = String((m as Record<string, unknown> | undefined)?.['@odata.type'] ?? '');
  return type.endsWith('allDeviceRegistrationMembership') ? 'All' : type.endsWith('enumeratedDeviceRegistrationMembership') ? 'Selected' : 'None';
};

/** Every check of a sign-in, in the engine's order, each with its result whether or not an earlier one fails. */
async function checksFor(scope: Scope, user: Awaited<ReturnType<typeof findUser>>, device: SimulatedDevice, prediction: Deployment): Promise<Check[]> {
  const d = prediction.data;
  const groups = new Set(await transitiveMemberOf(scope, user.id));
  const out: Check[] = [];
  out.push(check('userExists', 'The user exists in Microsoft Entra ID', 'pass', 'user', user.userPrincipalName, `${user.userPrincipalName} (${user.id}).`));
  out.push(
    check('userEnabled', 'The account is enabled', user.accountEnabled ? 'pass' : 'fail', 'accountEnabled', user.accountEnabled, user.accountEnabled ? 'Sign-in is allowed.' : 'The account is disabled: sign-in fails with AADSTS50057.', user.accountEnabled ? undefined : { code: 'AADSTS50057', reason: 'userDisabled', message: '' }),
  );
  out.push(check('password', 'The password', 'notChecked', 'password', null, 'Checked when the user signs in on the device.'));

  const path = d.intendedPath;
  const os = path === 'classicAutopilot' ? classicOsBlocker(device.osVersion) : path === 'devicePreparation' ? devicePreparationOsBlocker(device.osVersion) : undefined;
  out.push(check('windowsVersion', 'Windows version meets the minimum', path === null ? 'notChecked' : os ? 'fail' : 'pass', 'osVersion', device.osVersion, os?.message ?? `Windows ${device.osVersion} is supported on this path.`, os));

  const registration = await getDeviceRegistrationPolicy(scope);
  const join = await joinSettingsFor(scope, user.id, groups);
  const joinBlocked = await joinBlocker(scope, { ...join, userDeviceQuota: Number.MAX_SAFE_INTEGER }, user.id, null);
  const azureADJoin = (registration.azureADJoin ?? {}) as Record<string, unknown>;
  out.push(
    check('usersMayJoin', 'The user may join devices to Microsoft Entra ID', joinBlocked ? 'fail' : 'pass', 'Users may join devices to Microsoft Entra', membershipName(azureADJoin.allowedToJoin), joinBlocked?.message ?? 'The user is allowed to join devices.', joinBlocked),
  );
  const quota = await joinBlocker(scope, { ...join, allowedToJoin: true }, user.id, device.state === 'oobe' ? device.entraObjectId : null);
  out.push(check('deviceQuota', 'The user is under the device quota', quota ? 'fail' : 'pass', 'Maximum number of devices per user', join.userDeviceQuota, quota?.message ?? `Under the quota of ${join.userDeviceQuota}.`, quota));

  const home = homeEditionBlocker(device.windowsEdition);
  out.push(check('windowsEdition', 'The Windows edition can enroll', home ? 'fail' : 'pass', 'windowsEdition', device.windowsEdition, home?.message ?? `Windows ${device.windowsEdition} can join and enroll.`, home));

  const mdm = await getMobilityPolicy(scope, INTUNE_MDM_APP_ID);
  const scopeBlocker = await mdmScopeBlocker(scope, groups);
  const scopeGroups = mdm.appliesTo === 'selected' ? (await includedGroups(scope, INTUNE_MDM_APP_ID)).map((g) => g.id) : [];
  out.push(
    check('mdmUserScope', 'Automatic MDM enrollment covers the user', scopeBlocker ? 'fail' : 'pass', 'MDM user scope (Microsoft Intune)', mdm.appliesTo === 'selected' ? { appliesTo: 'Some', groups: scopeGroups } : mdm.appliesTo === 'all' ? 'All' : 'None', scopeBlocker?.message ?? 'The user is in the MDM user scope.', scopeBlocker),
  );

  const autopilot = path === 'classicAutopilot';
  const identifier = autopilot ? null : await findCorporateIdentifier(scope, device);
  const restriction = await effectiveWindowsRestriction(scope, { userGroupIds: [...groups] });
  const verdict = windowsEnrollmentVerdict(restriction.restriction, { osVersion: device.osVersion, personal: !autopilot && identifier === null });
  const identifiers = await hasWindowsCorporateIdentifiers(scope);
  const ownership = autopilot ? 'corporate (registered with Windows Autopilot)' : identifier ? `corporate (corporate identifier ${identifier.id})` : identifiers ? 'personal (no matching corporate identifier)' : 'corporate, but personal for the personal-ownership restriction (no corporate identifiers in the tenant)';
  out.push(
    check(
      'enrollmentRestriction',
      'The device platform restriction allows the enrollment',
      verdict.allowed ? 'pass' : 'fail',
      `Device platform restriction '${String(restriction.configuration.displayName ?? restriction.configuration.id)}' (${restriction.source})`,
      { ...restriction.restriction, ownership },
      verdict.allowed ? `Allowed; the device enrolls as ${ownership}.` : verdict.message,
      verdict.allowed ? undefined : { code: '0x80180014', reason: verdict.reason, message: verdict.message },
    ),
  );

  if (d.policy) {
    const groupId = d.policy.deviceGroupId;
    const status = groupId ? await validateDeviceGroup(scope, groupId) : null;
    out.push(
      check(
        'enrollmentTimeGrouping',
        "The device will join the policy's device group at enrollment",
        status === 'unknown' ? 'pass' : 'warning',
        'Device group',
        groupId,
        groupId === null ? 'The policy has no device group: nothing assigned to a device group is tracked.' : status === 'unknown' ? 'An assigned security group owned by the Intune Provisioning Client.' : `Enrollment-time grouping will fail: ${VALIDATION_MESSAGES[status as Exclude<typeof status, 'unknown' | null>]}.`,
      ),
    );
    out.push(
      check(
        'accountType',
        'User account type and the Entra local administrator setting',
        d.provisioningSkipped ? 'warning' : 'pass',
        'Registering user is added as local administrator',
        join.localAdmins,
        d.provisioningSkipped
          ? "Standard user with the local administrator setting not All: provisioning is skipped (known issue)."
          : `The user will be a ${d.localAdministrator ? 'local administrator' : 'standard user'}.`,
      ),
    );
  }
  return out;
}

/** Each device preparation policy: whether it targets the user, and the one that wins. */
function candidates(policies: readonly DevicePreparationPolicy[], groups: ReadonlySet<string>, winner: string | null) {
  return policies.map((p) => ({
    id: p.id,
    name: p.name,
    mode: p.mode,
    priority: p.priority,
    targetsUser: policyTargetsUser(p, groups),
    chosen: p.id === winner,
    why:
      p.mode !== 'userDriven'
        ? 'Automatic (Windows 365) policies do not apply to user-driven setup.'
        : p.assignments.excludedGroupIds.some((g) => groups.has(g))
          ? 'The user is in a group the policy excludes.'
          : policyTargetsUser(p, groups)
            ? p.id === winner
              ? 'Assigned to the user; the smallest priority number among the user\'s policies wins.'
              : 'Assigned to the user, but a policy with a smaller priority number wins.'
            : 'Not assigned to any group the user is in.',
  }));
}

/** What happened compared with what is predicted now, field by field. */
function compare(actual: Deployment, predicted: Deployment) {
  const a = actual.data;
  const p = predicted.data;
  const items = (d: typeof a) => Object.fromEntries(d.items.map((i) => [`${i.kind}:${i.id}`, { status: i.status, reasonCode: i.reasonCode }]));
  const fields: [string, unknown, unknown][] = [
    ['path', p.path, a.path],
    ['status', p.status, a.status],
    ['error', p.error?.code ?? null, a.error?.code ?? null],
    ['policy', p.policy?.id ?? null, a.policy?.id ?? null],
    ['profile', p.profile?.id ?? null, a.profile?.id ?? null],
    ['enrollmentStatusPage', p.statusPage?.id ?? null, a.statusPage?.id ?? null],
    ['enrollmentTimeGrouping', p.enrollmentTimeGrouping?.status ?? null, a.enrollmentTimeGrouping?.status ?? null],
    ['localAdministrator', p.localAdministrator, a.localAdministrator],
    ['items', items(p), items(a)],
  ];
  const differences = fields.filter(([, x, y]) => JSON.stringify(x) !== JSON.stringify(y)).map(([field, predictedValue, actualValue]) => ({ field, predicted: predictedValue, actual: actualValue }));
  return {
    deploymentId: actual.id,
    status: a.status,
    matchesPrediction: differences.length === 0,
    differences,
    note: 'Compared with what would happen now; a setting changed since that deployment shows as a difference.',
  };
}

export interface ExplainQuery {
  readonly user?: string;
  readonly device?: string;
}

export async function explain(scope: Scope, q: ExplainQuery) {
  if (!q.user && !q.device) throw new GraphError(400, 'BadRequest', "Give 'user' (UPN or id) and/or 'device' (serial number or id).", { target: 'user' });
  const device = q.device ? await getSimulatedDevice(scope, q.device) : null;
  if (!q.user) return explainDevice(scope, device!);
  const user = await findUser(scope, q.user);
  const prediction = await predictDeployment(scope, device?.id ?? null, user.id);
  const groups = new Set(await transitiveMemberOf(scope, user.id));
  const now = scope.clock.now();
  const view = deploymentView(prediction, now);
  const last = device?.deploymentId ? (await listDeployments(scope, { deviceId: device.id, top: 1000 })).at(-1) : undefined;
  const predictedDevice = device ?? null;
  return {
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, groupIds: [...groups].sort() },
    device: predictedDevice ? deviceView(predictedDevice) : null,
    prediction: {
      path: view.path,
      intendedPath: view.intendedPath,
      pathReason: view.pathReason,
      status: view.status,
      error: view.error,
      deploymentTimeSeconds: view.deploymentTimeSeconds,
      policy: view.policy,
      profile: view.profile,
      enrollmentStatusPage: view.enrollmentStatusPage,
      enrollmentTimeGrouping: view.enrollmentTimeGrouping,
      ownership: view.ownership,
      localAdministrator: view.localAdministrator,
      provisioningSkipped: view.provisioningSkipped,
      deviceName: view.deviceName,
      oobePages: view.oobePages,
      screen: view.screen,
      apps: view.apps,
      scripts: view.scripts,
      timeline: view.timeline,
    },
    checks: predictedDevice ? await checksFor(scope, user, predictedDevice, prediction) : await checksFor(scope, user, defaultDevice(), prediction),
    policies: candidates(await devicePreparationPolicies(scope), groups, prediction.data.policy?.id ?? null),
    lastDeployment: last && device ? compare(last, prediction) : null,
  };
}

/** The device a user-only explain imagines: the default hardware of a new simulated device. */
function defaultDevice(): SimulatedDevice {
  const input = parseCreateDevice({});
  return { ...input, id: '', ordinal: 0, serialNumber: '', hardwareHash: '', entraObjectId: null, state: 'oobe', deploymentId: null, deployments: 0, createdDateTime: '', behaviour: input.behaviour };
}

/** Before anyone signs in: what the device alone decides. */
async function explainDevice(scope: Scope, device: SimulatedDevice) {
  const registration = await autopilotRegistrationFor(scope, device);
  const identifier = registration ? null : await findCorporateIdentifier(scope, device);
  const identifiers = await hasWindowsCorporateIdentifiers(scope);
  const checks: Check[] = [];
  const os = registration ? classicOsBlocker(device.osVersion) : devicePreparationOsBlocker(device.osVersion);
  checks.push(
    check('windowsVersion', registration ? 'Windows version meets the classic Autopilot minimum' : 'Windows version meets the device preparation minimum', os ? 'fail' : 'pass', 'osVersion', device.osVersion, os?.message ?? `Windows ${device.osVersion} is supported.`, os),
  );
  const home = homeEditionBlocker(device.windowsEdition);
  checks.push(check('windowsEdition', 'The Windows edition can enroll', home ? 'fail' : 'pass', 'windowsEdition', device.windowsEdition, home?.message ?? `Windows ${device.windowsEdition} can join and enroll.`, home));
  return {
    user: null,
    device: deviceView(device),
    prediction: {
      path: registration ? 'classicAutopilot' : 'dependsOnUser',
      pathReason: registration
        ? `Registered with Windows Autopilot: classic Autopilot runs whoever signs in${registration.profile ? `, with the profile '${String(registration.profile.displayName)}'` : ' (no profile assigned: the default behaviour)'}.`
        : 'Not registered with Windows Autopilot: device preparation runs if the signing-in user has a policy, otherwise a plain Microsoft Entra join.',
      profile: registration?.profile ? { id: registration.profile.id, displayName: registration.profile.displayName, status: registration.status } : null,
      ownership: registration ? 'company' : identifier ? 'company' : identifiers ? 'personal' : 'company',
      corporateIdentifierId: identifier?.id ?? null,
    },
    checks,
    policies: [],
    lastDeployment: null,
  };
}
