// The deployment engine: a durable state machine per deployment (DESIGN principle 6). Each transition runs
// at its own virtual time inside one transaction with its effects (Entra join, enrollment, installs), and
// stores the next deadline instead of holding a timer, so any process can take the next step and a crash
// loses nothing and repeats nothing. Flow and order: behaviour.md §1.2 (device preparation), §5.3-§5.4
// (classic Autopilot and the Enrollment Status Page); the checks are in checks.ts, the path in path.ts, what
// is installed in plan.ts, the effects in enrollment.ts.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { fixedClock } from '../core/clock.js';
import { orderedId } from '../core/ordered-ids.js';
import { seededRandom } from '../core/random.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import { transitiveMemberOf } from '../directory/groups.js';
import { effectiveEnrollmentStatusPage, effectiveWindowsRestriction, windowsEnrollmentVerdict } from '../intune/effective-enrollment.js';
import { findCorporateIdentifier, hasWindowsCorporateIdentifiers } from '../intune/corporate-identifiers.js';
import { devicePreparationPolicyFor, type DevicePreparationPolicy } from '../intune/device-preparation-policy.js';
import type { AutopilotRegistration } from '../intune/autopilot-lookup.js';
import type { IntuneObject } from '../intune/resource.js';
import { removeManagedDevice } from '../intune/managed-devices.js';
import { authenticateUser, classicOsBlocker, devicePreparationOsBlocker, homeEditionBlocker, joinBlocker, joinSettingsFor, mdmScopeBlocker, type Blocker } from './checks.js';
import { choosePath } from './path.js';
import { oobePages } from './oobe.js';
import { planDevicePreparation, planStatusPage, type Cached, type OutcomeOf } from './plan.js';
import { addToDeviceGroup, defaultDeviceName, enrollDevice, joinEntra, templatedDeviceName } from './enrollment.js';
import { createSimulatedDevices, getSimulatedDevice, parseCreateDevice, saveSimulatedDevice, type SimulatedDevice } from './simulated-devices.js';
import { isSuccessCode, itemOutcome, loadSimulation, type SimulationSettings } from './simulation.js';
import type { DeploymentData, DeploymentItem, PolicyRef, ProfileRef, Stage, StatusPageRef } from './deployment.js';

/** Simulated seconds of the steps around the tracked items (Microsoft documents no figures for these). */
export const STEP_SECONDS = {
  /** Sign-in to the end of the Microsoft Entra join. */
  entraJoin: 30,
  /** Entra join to the end of automatic MDM enrollment. */
  mdmEnrollment: 30,
  /** Enrollment to the first tracked item: Intune management extension install, MDM sync, "Identifying". */
  preparing: 60,
  /** The Enrollment Status Page's automatic sign-in before Account setup. */
  accountSignIn: 30,
  /** "Required setup complete" stays on screen this long before the user is signed in (or they press Continue). */
  setupComplete: 10,
} as const;

/** "Setup could not be completed. Please try again or contact your support person for help." (behaviour.md §5.5). */
export const ESP_DEFAULT_ERROR = 'Setup could not be completed. Please try again or contact your support person for help.';
/** "Allow users to skip setup after multiple attempts": Tarmac offers Continue anyway from the second failure on. */
export const FAILURES_BEFORE_SKIP = 2;

export interface Deployment {
  readonly id: string;
  readonly tenantId: string;
  readonly version: number;
  readonly wakeAt: number | null;
  readonly data: DeploymentData;
}

type Row = { id: string; tenant_id: string; data: unknown; wake_at: number | null; version: number };
const toDeployment = (r: Row): Deployment => ({ id: r.id, tenantId: r.tenant_id, version: Number(r.version), wakeAt: r.wake_at === null ? null : Number(r.wake_at), data: readJson<DeploymentData>(r.data) });

export const deploymentNotFound = (id: string) => new GraphError(404, 'NotFound', `Deployment '${id}' does not exist in this tenant.`);
const conflict = (code: string, message: string) => new GraphError(409, code, message);

/**
 * Reads that stay true for a whole transaction: policies, assignments, group memberships of users, tenant
 * settings. The engine never writes them, and no other writer can while the transaction holds the tenant's
 * write lock, so deployments advanced in one batch share them.
 */
export class TransactionMemo {
  private readonly values = new Map<string, Promise<unknown>>();
  readonly get: Cached = (key, load) => {
    let value = this.values.get(key);
    if (!value) this.values.set(key, (value = load()));
    return value as Promise<never>;
  };
}

/** What one transaction of the engine works with: the settings read once, the device being deployed. */
interface Step {
  /** The transaction, with its clock stopped at the time of the transition being taken. */
  tx: Scope;
  readonly settings: SimulationSettings;
  readonly memo: TransactionMemo;
  device: SimulatedDevice;
  deviceChanged: boolean;
  /** The password typed at sign-in, for the first transition only (never stored); null: not checked (a prediction). */
  readonly password?: string | null;
  /** A prediction, rolled back afterwards. */
  readonly dryRun?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Starting a deployment

export interface SignInInput {
  readonly userPrincipalName: string;
  readonly password: string;
}

export function parseSignIn(body: unknown): SignInInput {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object.', { target: 'body' });
  for (const key of Object.keys(b)) if (key !== 'userPrincipalName' && key !== 'password') throw new GraphError(400, 'BadRequest', `'${key}' is not part of a sign-in; send userPrincipalName and password.`, { target: key });
  if (typeof b.userPrincipalName !== 'string' || b.userPrincipalName.trim() === '' || b.userPrincipalName.length > 256) {
    throw new GraphError(400, 'BadRequest', "'userPrincipalName' is required: the work or school account the user signs in with.", { target: 'userPrincipalName' });
  }
  if (typeof b.password !== 'string' || b.password.length > 256) throw new GraphError(400, 'BadRequest', "'password' is required.", { target: 'password' });
  return { userPrincipalName: b.userPrincipalName.trim(), password: b.password };
}

/**
 * A user signs in on a device at the out-of-box experience: a deployment starts, and the sign-in itself is
 * checked at once (a wrong password never gets further).
 */
export async function signIn(scope: Scope, deviceIdOrSerial: string, input: SignInInput): Promise<Deployment> {
  return inTransaction(scope, async (tx) => {
    const device = await getSimulatedDevice(tx, deviceIdOrSerial);
    return startDeployment(tx, device, input, false);
  });
}

async function startDeployment(tx: Scope, device: SimulatedDevice, input: SignInInput, dryRun: boolean): Promise<Deployment> {
  if (!dryRun && device.state !== 'oobe') {
    throw conflict(
      'DeviceNotAtOobe',
      device.state === 'settingUp'
        ? `Device '${device.serialNumber}' is already being set up (deployment ${device.deploymentId}).`
        : `Device '${device.serialNumber}' has finished setup and is at the desktop; reset it to run setup again.`,
    );
  }
  const now = tx.clock.now();
  const id = orderedId(now);
  const data: DeploymentData = {
    deviceId: device.id,
    serialNumber: device.serialNumber,
    sequence: device.deployments + 1,
    userId: null,
    userPrincipalName: input.userPrincipalName,
    path: 'entraJoin',
    intendedPath: null,
    pathReason: null,
    status: 'inProgress',
    stage: 'signIn',
    phase: null,
    startedAt: now,
    completedAt: null,
    attempt: 1,
    failures: 0,
    spanStartedAt: now,
    deadlineAt: null,
    policy: null,
    profile: null,
    oobePages: null,
    statusPage: null,
    items: [],
    error: null,
    entraObjectId: null,
    azureADDeviceId: null,
    managedDeviceId: null,
    deviceName: null,
    ownership: null,
    corporateIdentifierId: null,
    localAdministrator: null,
    provisioningSkipped: false,
    enrollmentTimeGrouping: null,
    continuedAnyway: false,
    logsCollected: false,
    timeline: [{ at: now, event: 'signIn', detail: `${input.userPrincipalName} signed in on the out-of-box experience.` }],
  };
  await tx.db.insertInto('deployments').values({ tenant_id: tx.tenantId, id, device_id: device.id, status: 'inProgress', wake_at: now, started_at: new Date(now).toISOString(), data: writeJson(data), version: 0 }).execute();
  const step: Step = { tx, settings: await loadSimulation(tx), memo: new TransactionMemo(), device: { ...device, state: 'settingUp', deploymentId: id, deployments: device.deployments + 1 }, deviceChanged: true, dryRun, password: dryRun ? null : input.password };
  // A prediction runs to the end at once: every transition, whatever its time.
  return advance(step, { id, tenantId: tx.tenantId, version: 0, wakeAt: now, data }, dryRun ? Number.MAX_SAFE_INTEGER : now);
}

class DryRunDone extends Error {
  constructor(readonly deployment: Deployment) {
    super('dry run');
  }
}

/**
 * What a sign-in would do, by running the engine itself to the end inside a transaction that is then rolled
 * back: the same checks, path, random draws (the device's next deployment number) and plan as the real
 * sign-in, so the prediction is what the engine will do while the tenant stays as it is. The password is
 * not checked. `device` null: a new device with the default hardware.
 */
export async function predictDeployment(scope: Scope, deviceIdOrSerial: string | null, user: string): Promise<Deployment> {
  try {
    await inTransaction(scope, async (tx) => {
      const device = deviceIdOrSerial ? await getSimulatedDevice(tx, deviceIdOrSerial) : (await createSimulatedDevices(tx, [parseCreateDevice({})]))[0]!;
      // A device past OOBE would be reset first, which makes any device but an Autopilot one join anew.
      const atOobe = device.state === 'oobe' ? device : { ...device, state: 'oobe' as const, entraObjectId: null };
      throw new DryRunDone(await startDeployment(tx, atOobe, { userPrincipalName: user, password: '' }, true));
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.deployment;
    throw err;
  }
  throw new Error('unreachable');
}


// ---------------------------------------------------------------------------------------------------------
// Taking steps

/** Takes every transition due by `now`, each at its own virtual time, then stores the deployment. */
async function advance(step: Step, deployment: Deployment, now: number): Promise<Deployment> {
  const d = deployment.data;
  let wake = deployment.wakeAt;
  let steps = 0;
  const base = step.tx;
  try {
    while (wake !== null && wake <= now) {
      if (++steps > 10_000) throw new Error(`deployment ${deployment.id} does not settle`);
      const at = wake;
      step.tx = { ...base, clock: fixedClock(at) };
      wake = await transition(step, d, at);
    }
  } finally {
    step.tx = base;
  }
  if (step.deviceChanged) {
    await saveSimulatedDevice(step.tx, step.device);
    step.deviceChanged = false;
  }
  const version = deployment.version + 1;
  await step.tx.db
    .updateTable('deployments')
    .set({ data: writeJson(d), wake_at: wake, status: d.status, version })
    .where('tenant_id', '=', step.tx.tenantId)
    .where('id', '=', deployment.id)
    .execute();
  return { ...deployment, version, wakeAt: wake, data: d };
}

function log(d: DeploymentData, at: number, event: string, detail?: string): void {
  d.timeline.push(detail === undefined ? { at, event } : { at, event, detail });
}

/** One transition at virtual time `at`; returns when the next one is due (null: waiting for a person, or done). */
async function transition(step: Step, d: DeploymentData, at: number): Promise<number | null> {
  switch (d.stage) {
    case 'signIn':
      return signInStep(step, d, at);
    case 'entraJoin':
      return entraJoinStep(step, d, at);
    case 'mdmEnrollment':
      return enrollmentStep(step, d, at);
    case 'preparing':
      return preparingStep(step, d, at);
    case 'installing':
      return installingStep(step, d, at);
    case 'accountSignIn':
      log(d, at, 'accountSetupStarted', 'The user is signed in automatically; Account setup begins.');
      d.phase = 'accountSetup';
      startSpan(d, at, d.statusPage!.timeoutMinutes);
      return startNext(step, d, at);
    case 'setupComplete':
      return toDesktop(step, d, at);
    case 'desktop':
      return afterSetupStep(d, at);
    default:
      return null;
  }
}

const minutes = (m: number) => m * 60_000;
function startSpan(d: DeploymentData, at: number, timeoutMinutes: number): void {
  d.spanStartedAt = at;
  d.deadlineAt = at + minutes(timeoutMinutes);
}

/** A check stopped the deployment: the device shows the error and stays at the out-of-box experience. */
function block(step: Step, d: DeploymentData, at: number, blocker: Blocker): null {
  d.error = { ...blocker, stage: d.stage };
  log(d, at, 'blocked', `${blocker.code}: ${blocker.message}`);
  d.path = 'blocked';
  d.status = 'failed';
  d.stage = 'stopped';
  d.completedAt = at;
  d.deadlineAt = null;
  step.device = { ...step.device, state: 'oobe' };
  step.deviceChanged = true;
  return null;
}

function userGroupsOf(step: Step, userId: string): Promise<Set<string>> {
  return step.memo.get(`userGroups|${userId}`, async () => new Set(await transitiveMemberOf(step.tx, userId)));
}

const joinSettingsOf = (step: Step, userId: string, groups: ReadonlySet<string>) => step.memo.get(`join|${userId}`, () => joinSettingsFor(step.tx, userId, groups));

async function signInStep(step: Step, d: DeploymentData, at: number): Promise<number | null> {
  const auth = await authenticateUser(step.tx, d.userPrincipalName, step.password === undefined ? '' : step.password);
  if ('blocker' in auth) return block(step, d, at, auth.blocker);
  d.userId = auth.user.id;
  const groups = await userGroupsOf(step, auth.user.id);
  const choice = await choosePath(step.tx, step.device, groups, step.memo.get);
  d.path = choice.path;
  d.intendedPath = choice.path;
  d.pathReason = choice.reason;
  log(d, at, 'pathChosen', choice.reason);
  if (choice.path === 'classicAutopilot') {
    d.profile = profileRef(choice.registration);
    d.phase = 'devicePreparation';
    // The device joins as the Entra object created at import (behaviour.md §5.1: [ZTDId] groups hold it before setup).
    const autopilotObject = choice.registration.entraDeviceObjectId;
    if (autopilotObject && autopilotObject !== step.device.entraObjectId) {
      step.device = { ...step.device, entraObjectId: autopilotObject };
      step.deviceChanged = true;
    }
    const os = classicOsBlocker(step.device.osVersion);
    if (os) return block(step, d, at, os);
  } else if (choice.path === 'devicePreparation') {
    d.policy = policyRef(choice.policy);
    d.phase = 'policyInstallation';
    const os = devicePreparationOsBlocker(step.device.osVersion);
    if (os) return block(step, d, at, os);
    // "Minutes allowed before showing installation error" covers the whole deployment (behaviour.md §1.8).
    startSpan(d, at, choice.policy.timeoutMinutes);
  } else {
    d.phase = 'devicePreparation';
  }
  d.oobePages = oobePages(d.profile, step.device.windowsEdition);
  d.stage = 'entraJoin';
  return at + STEP_SECONDS.entraJoin * 1000;
}

async function entraJoinStep(step: Step, d: DeploymentData, at: number): Promise<number | null> {
  const userId = d.userId!;
  const groups = await userGroupsOf(step, userId);
  const settings = await joinSettingsOf(step, userId, groups);
  const rejoining = await existingEntraObject(step);
  const blocked = await joinBlocker(step.tx, settings, userId, rejoining);
  if (blocked) return block(step, d, at, blocked);
  const random = seededRandom(step.settings.seed, step.device.serialNumber, d.sequence, 'name');
  const name = templatedDeviceName(d.profile?.deviceNameTemplate ?? null, step.device.serialNumber, random) ?? defaultDeviceName(random);
  const joined = await joinEntra(step.tx, { device: step.device, userId, deviceName: name, existingObjectId: rejoining, random });
  d.entraObjectId = joined.objectId;
  d.azureADDeviceId = joined.deviceId;
  d.deviceName = name;
  step.device = { ...step.device, entraObjectId: joined.objectId };
  step.deviceChanged = true;
  log(d, at, 'entraJoined', `Joined Microsoft Entra ID as '${name}' (device ${joined.deviceId}).`);
  d.stage = 'mdmEnrollment';
  return at + STEP_SECONDS.mdmEnrollment * 1000;
}

/** The Entra object a device joins again: its Autopilot object, or the one it joined before (if it still exists). */
async function existingEntraObject(step: Step): Promise<string | null> {
  const candidate = step.device.entraObjectId;
  if (!candidate) return null;
  const row = await step.tx.db.selectFrom('devices').select('id').where('tenant_id', '=', step.tx.tenantId).where('id', '=', candidate).executeTakeFirst();
  return row ? row.id : null;
}

async function enrollmentStep(step: Step, d: DeploymentData, at: number): Promise<number | null> {
  const tx = step.tx;
  const edition = homeEditionBlocker(step.device.windowsEdition);
  if (edition) return block(step, d, at, edition);
  const userGroups = await userGroupsOf(step, d.userId!);
  const scopeBlocker = await step.memo.get(`mdmScope|${d.userId}`, () => mdmScopeBlocker(tx, userGroups));
  if (scopeBlocker) return block(step, d, at, scopeBlocker);

  // Ownership (behaviour.md §3.4): Autopilot devices are corporate; otherwise a matching corporate identifier
  // makes the device corporate, and once any Windows identifier exists every other device is personal.
  const autopilot = d.profile !== null;
  const identifier = autopilot ? null : await findCorporateIdentifier(tx, step.device);
  const personalForRestrictions = !autopilot && identifier === null;
  const identifiersExist = !autopilot && identifier === null && (await step.memo.get('identifiersExist', () => hasWindowsCorporateIdentifiers(tx)));
  d.ownership = identifiersExist ? 'personal' : 'company';
  d.corporateIdentifierId = identifier?.id ?? null;
  const restriction = await step.memo.get(`restriction|${d.userId}`, () => effectiveWindowsRestriction(tx, { userGroupIds: [...userGroups] }));
  const verdict = windowsEnrollmentVerdict(restriction.restriction, { osVersion: step.device.osVersion, personal: personalForRestrictions });
  if (!verdict.allowed) {
    const name = String(restriction.configuration.displayName ?? 'the default restriction');
    return block(step, d, at, { code: '0x80180014', reason: verdict.reason, message: `There was a problem. Your organization does not support this version of Windows. ${verdict.message} (restriction '${name}')` });
  }

  d.managedDeviceId = await enrollDevice(tx, {
    device: step.device,
    objectId: d.entraObjectId!,
    azureADDeviceId: d.azureADDeviceId!,
    deviceName: d.deviceName!,
    userId: d.userId!,
    ownership: d.ownership,
    // Since Intune 2409 the policy's name; classic Autopilot writes the profile's name (behaviour.md §1.5).
    enrollmentProfileName: d.policy?.name ?? d.profile?.displayName ?? null,
    autopilotDeviceId: d.profile?.autopilotDeviceId ?? null,
    corporateIdentifierId: d.corporateIdentifierId,
  });
  log(d, at, 'enrolled', `Enrolled in Intune as a ${d.ownership === 'company' ? 'corporate' : 'personal'} device (managed device ${d.managedDeviceId}).`);

  if (d.policy?.deviceGroupId) {
    const grouping = await addToDeviceGroup(tx, d.policy.deviceGroupId, d.entraObjectId!, step.memo.get);
    d.enrollmentTimeGrouping = { groupId: d.policy.deviceGroupId, ...grouping };
    log(d, at, grouping.status === 'added' ? 'addedToDeviceGroup' : 'enrollmentTimeGroupingFailed', grouping.reason ?? `Added to the device group ${d.policy.deviceGroupId}.`);
  }
  if (!d.policy) {
    const deviceGroups = await transitiveMemberOf(tx, d.entraObjectId!);
    const esp = await effectiveEnrollmentStatusPage(tx, { deviceGroupIds: deviceGroups, userGroupIds: [...userGroups] });
    d.statusPage = statusPageRef(esp.configuration, esp.source, autopilot);
    if (d.statusPage.showInstallationProgress) startSpan(d, at, d.statusPage.timeoutMinutes);
  }
  d.stage = 'preparing';
  return at + STEP_SECONDS.preparing * 1000;
}

async function preparingStep(step: Step, d: DeploymentData, at: number): Promise<number | null> {
  const tx = step.tx;
  const userGroups = [...(await userGroupsOf(step, d.userId!))];
  const deviceGroups = await transitiveMemberOf(tx, d.entraObjectId!);
  const outcomeOf = outcomes(step, d);
  const groups = new Set(userGroups);
  const join = await joinSettingsOf(step, d.userId!, groups);
  if (d.policy) {
    // behaviour.md §1.9: Standard user needs the Entra local admin setting All; otherwise provisioning is skipped.
    const standard = d.policy.userAccountType === 'standardUser';
    d.provisioningSkipped = standard && join.localAdmins !== 'all';
    const entraMakesAdmin = join.localAdmins === 'all' || join.localAdmins === 'selectedIncludingUser';
    d.localAdministrator = !standard && entraMakesAdmin;
    const grouping = d.enrollmentTimeGrouping;
    d.items = await planDevicePreparation(tx, {
      policy: await step.memo.get(`policy|${d.policy.id}`, () => devicePreparationPolicyFor(tx, d.policy!.id)),
      inDeviceGroup: grouping?.status === 'added',
      deviceGroupReason: grouping?.reason ?? null,
      deviceGroupIds: deviceGroups,
      userGroupIds: userGroups,
      provisioningSkipped: d.provisioningSkipped,
      outcomeOf,
      cached: step.memo.get,
    });
    if (d.provisioningSkipped) {
      log(d, at, 'provisioningSkipped', 'User account type Standard user with the Entra local administrator setting not All: provisioning is skipped and the user goes to the desktop.');
      d.status = 'success';
      d.completedAt = at;
      return toDesktop(step, d, at);
    }
  } else {
    d.localAdministrator = d.profile ? d.profile.userType === 'administrator' : join.localAdmins === 'all' || join.localAdmins === 'selectedIncludingUser';
    d.items = await planStatusPage(tx, { statusPage: d.statusPage!, deviceGroupIds: deviceGroups, userGroupIds: userGroups, outcomeOf, cached: step.memo.get });
    if (!d.statusPage!.showInstallationProgress) {
      log(d, at, 'noStatusPage', `The Enrollment Status Page '${d.statusPage!.displayName}' does not show progress: the user goes to the desktop.`);
      d.status = 'success';
      d.completedAt = at;
      return toDesktop(step, d, at);
    }
    d.phase = 'deviceSetup';
  }
  const tracked = d.items.filter((i) => i.tracked && i.status !== 'skipped').length;
  log(d, at, 'tracking', `${tracked} tracked item(s), ${d.items.filter((i) => i.status === 'skipped').length} skipped, ${d.items.filter((i) => !i.tracked).length} after setup.`);
  return startNext(step, d, at);
}

/** Each item's duration and exit code, drawn from the seed, the device's serial, the deployment, the attempt and the item. */
function outcomes(step: Step, d: DeploymentData): OutcomeOf {
  // Keyed by the item's name, not its id, so a tenant configured again from the same script repeats exactly.
  return (kind, itemId, displayName) =>
    itemOutcome(step.settings, step.device.behaviour, kind, itemId, seededRandom(step.settings.seed, step.device.serialNumber, d.sequence, d.attempt, kind, displayName));
}

/** Starts the next tracked item, or moves to the next stage when none is left. */
function startNext(step: Step, d: DeploymentData, at: number): number | null {
  const next = d.items.find((i) => i.tracked && i.status === 'notStarted');
  const esp = d.statusPage !== null;
  if (esp && d.phase !== 'accountSetup' && (!next || next.phase === 'accountSetup')) {
    d.stage = 'accountSignIn';
    return at + STEP_SECONDS.accountSignIn * 1000;
  }
  if (!next) {
    d.status = 'success';
    d.completedAt = at;
    d.deadlineAt = null;
    if (d.policy) {
      log(d, at, 'requiredSetupComplete', 'Required setup complete.');
      d.stage = 'setupComplete';
      return at + STEP_SECONDS.setupComplete * 1000;
    }
    log(d, at, 'setupComplete', 'The Enrollment Status Page is complete.');
    return toDesktop(step, d, at);
  }
  d.stage = 'installing';
  if (next.phase) d.phase = next.phase;
  next.status = 'inProgress';
  next.startedAt = at;
  log(d, at, 'itemStarted', `${next.kind} '${next.displayName}'`);
  return nextWake(next, d);
}

function nextWake(item: DeploymentItem, d: DeploymentData): number | null {
  const end = item.durationSeconds === null ? Infinity : item.startedAt! + item.durationSeconds * 1000;
  const wake = Math.min(end, d.deadlineAt ?? Infinity);
  return wake === Infinity ? null : wake;
}

function installingStep(step: Step, d: DeploymentData, at: number): number | null {
  const item = d.items.find((i) => i.tracked && i.status === 'inProgress');
  if (!item) return startNext(step, d, at);
  const end = item.durationSeconds === null ? Infinity : item.startedAt! + item.durationSeconds * 1000;
  if (end <= at) {
    item.completedAt = end;
    if (isSuccessCode(item.exitCode, item.kind)) {
      item.status = 'installed';
      log(d, end, 'itemInstalled', `${item.kind} '${item.displayName}'`);
      return startNext(step, d, end);
    }
    item.status = 'failed';
    if (!item.reasonCode) {
      item.reasonCode = 'exitCode';
      item.reason = `${item.kind === 'app' ? 'The installer' : 'The script'} ended with exit code ${item.exitCode}.`;
    }
    return fail(step, d, end, { code: hresultOf(item.exitCode), reason: item.kind === 'app' ? 'appFailed' : 'scriptFailed', message: `${item.kind === 'app' ? 'App' : 'Script'} '${item.displayName}' failed: ${item.reason}` });
  }
  // The deadline came first: the whole deployment (device preparation) or the ESP phase timed out.
  item.status = 'failed';
  item.completedAt = at;
  item.reasonCode = 'timeout';
  item.reason = 'Still installing when setup timed out.';
  const limit = d.policy?.timeoutMinutes ?? d.statusPage?.timeoutMinutes ?? 0;
  return fail(step, d, at, { code: '0x800705b4', reason: 'timeout', message: `Setup took longer than the ${limit} minutes allowed (${d.policy ? 'device preparation policy' : 'Enrollment Status Page'} timeout).` });
}

/** An exit code as Intune reports it: a Win32 error code wrapped as an HRESULT (1603 → 0x80070643), others as they are. */
export function hresultOf(exitCode: number): string {
  const value = exitCode > 0 && exitCode <= 0xffff ? (0x80070000 | exitCode) >>> 0 : exitCode >>> 0;
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function fail(step: Step, d: DeploymentData, at: number, error: Blocker): null {
  d.error = { ...error, stage: 'installing' };
  d.status = 'failed';
  d.stage = 'failed';
  d.failures += 1;
  d.completedAt = at;
  d.deadlineAt = null;
  log(d, at, 'failed', error.message);
  step.device = { ...step.device, state: 'settingUp' };
  return null;
}

function toDesktop(step: Step, d: DeploymentData, at: number): number | null {
  d.stage = 'desktop';
  d.deadlineAt = null;
  log(d, at, 'desktop', 'The user is signed in and reaches the desktop.');
  step.device = { ...step.device, state: 'desktop' };
  step.deviceChanged = true;
  return afterSetupStep(d, at);
}

/** After the desktop appears, the items setup did not track install one after another. */
function afterSetupStep(d: DeploymentData, at: number): number | null {
  const running = d.items.find((i) => !i.tracked && i.status === 'inProgress');
  if (running) {
    const end = running.durationSeconds === null ? Infinity : running.startedAt! + running.durationSeconds * 1000;
    if (end > at) return end === Infinity ? null : end;
    running.completedAt = end;
    running.status = isSuccessCode(running.exitCode, running.kind) ? 'installed' : 'failed';
    if (running.status === 'failed') running.reason = `Installed after setup; ended with exit code ${running.exitCode}.`;
    at = end;
  }
  const next = d.items.find((i) => !i.tracked && i.status === 'notStarted');
  if (!next) return null;
  next.status = 'inProgress';
  next.startedAt = at;
  return nextWake(next, { ...d, deadlineAt: null });
}

// ---------------------------------------------------------------------------------------------------------
// References stored with the deployment (what the device was given, as it was when setup ran)

function policyRef(p: DevicePreparationPolicy): PolicyRef {
  return {
    id: p.id,
    name: p.name,
    priority: p.priority,
    userAccountType: p.userAccountType,
    timeoutMinutes: p.timeoutMinutes,
    customErrorMessage: p.customErrorMessage,
    allowSkip: p.allowSkip,
    allowDiagnostics: p.allowDiagnostics,
    deviceGroupId: p.deviceGroupId,
  };
}


function profileRef(r: AutopilotRegistration): ProfileRef {
  const p = r.profile;
  const oobe = ((p?.outOfBoxExperienceSetting ?? {}) as Record<string, unknown>) ?? {};
  return {
    id: p?.id ?? null,
    displayName: p ? String(p.displayName ?? '') : null,
    deviceNameTemplate: p && typeof p.deviceNameTemplate === 'string' && p.deviceNameTemplate !== '' ? p.deviceNameTemplate : null,
    userType: oobe.userType === 'standard' ? 'standard' : 'administrator',
    oobe,
    locale: typeof p?.locale === 'string' && p.locale !== '' ? p.locale : 'os-default',
    autopilotDeviceId: r.identity.id,
  };
}

/** The ESP as setup reads it; an ESP tracking Autopilot devices only does not show on other devices. */
export function statusPageRef(esp: IntuneObject, source: 'device' | 'user' | 'default', autopilot: boolean): StatusPageRef {
  const timeout = Number(esp.installProgressTimeoutInMinutes);
  const shows = esp.showInstallationProgress === true && !(esp.trackInstallProgressForAutopilotOnly === true && !autopilot);
  return {
    id: esp.id,
    displayName: String(esp.displayName ?? ''),
    source,
    showInstallationProgress: shows,
    timeoutMinutes: Number.isFinite(timeout) && timeout > 0 ? timeout : 60,
    customErrorMessage: typeof esp.customErrorMessage === 'string' && esp.customErrorMessage !== '' ? esp.customErrorMessage : null,
    allowLogCollection: esp.allowLogCollectionOnInstallFailure === true,
    allowDeviceUse: esp.allowDeviceUseOnInstallFailure === true,
    allowDeviceReset: esp.allowDeviceResetOnInstallFailure === true,
    blockRetry: esp.blockDeviceSetupRetryByUser === true,
    selectedAppIds: Array.isArray(esp.selectedMobileAppIds) ? (esp.selectedMobileAppIds as string[]).map((s) => s.toLowerCase()) : [],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading, catching up, and the user's choices

async function loadRow(scope: Scope, id: string): Promise<Deployment> {
  const row = await scope.db.selectFrom('deployments').select(['id', 'tenant_id', 'data', 'wake_at', 'version']).where('tenant_id', '=', scope.tenantId).where('id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row) throw deploymentNotFound(id);
  return toDeployment(row);
}

async function stepFor(tx: Scope, deployment: Deployment, shared?: { settings: SimulationSettings; memo: TransactionMemo }): Promise<Step> {
  return {
    tx,
    settings: shared?.settings ?? (await loadSimulation(tx)),
    memo: shared?.memo ?? new TransactionMemo(),
    device: await getSimulatedDevice(tx, deployment.data.deviceId),
    deviceChanged: false,
  };
}

/** A deployment as of the tenant's now: any transition due is taken first (and stored). */
export async function getDeployment(scope: Scope, id: string): Promise<Deployment> {
  const current = await loadRow(scope, id);
  if (current.wakeAt === null || current.wakeAt > scope.clock.now()) return current;
  return inTransaction(scope, async (tx) => {
    const fresh = await loadRow(tx, id);
    if (fresh.wakeAt === null || fresh.wakeAt > tx.clock.now()) return fresh;
    return advance(await stepFor(tx, fresh), fresh, tx.clock.now());
  });
}

/**
 * Takes the transitions due in a tenant, up to `batch` deployments per transaction, until none is due.
 * Returns how many deployments moved. Safe to run in several processes at once: each transaction re-reads
 * the rows it advances under the tenant's write lock.
 */
export async function processDue(scope: Scope, batch = 200): Promise<number> {
  let moved = 0;
  for (;;) {
    const n = await inTransaction(scope, async (tx) => {
      const now = tx.clock.now();
      const rows = await tx.db
        .selectFrom('deployments')
        .select(['id', 'tenant_id', 'data', 'wake_at', 'version'])
        .where('tenant_id', '=', tx.tenantId)
        .where('wake_at', '<=', now)
        .orderBy('wake_at')
        .limit(batch)
        .execute();
      if (rows.length === 0) return 0;
      const shared = { settings: await loadSimulation(tx), memo: new TransactionMemo() };
      for (const row of rows) {
        const deployment = toDeployment(row);
        await advance(await stepFor(tx, deployment, shared), deployment, now);
      }
      return rows.length;
    });
    moved += n;
    if (n < batch) return moved;
  }
}

export type UserAction = 'retry' | 'continueAnyway' | 'resetDevice' | 'collectLogs' | 'continue';

/** The buttons the device's screen offers now. */
export function availableActions(d: DeploymentData): UserAction[] {
  if (d.stage === 'setupComplete') return ['continue'];
  if (d.stage !== 'failed') return [];
  if (d.policy) {
    return [
      'retry',
      ...(d.policy.allowSkip && d.failures >= FAILURES_BEFORE_SKIP ? (['continueAnyway'] as const) : []),
      ...(d.policy.allowDiagnostics ? (['collectLogs'] as const) : []),
    ];
  }
  const esp = d.statusPage!;
  return [
    ...(esp.blockRetry ? [] : (['retry'] as const)),
    ...(esp.allowDeviceReset ? (['resetDevice'] as const) : []),
    ...(esp.allowDeviceUse ? (['continueAnyway'] as const) : []),
    ...(esp.allowLogCollection ? (['collectLogs'] as const) : []),
  ];
}

/** A button pressed on the device's screen. Refused with 409 when the screen does not offer it. */
export async function act(scope: Scope, id: string, action: UserAction): Promise<Deployment> {
  return inTransaction(scope, async (tx) => {
    let deployment = await loadRow(tx, id);
    const now = tx.clock.now();
    if (deployment.wakeAt !== null && deployment.wakeAt <= now) deployment = await advance(await stepFor(tx, deployment), deployment, now);
    const d = deployment.data;
    if (!availableActions(d).includes(action)) {
      const offered = availableActions(d);
      throw conflict('ActionNotAvailable', `The device's screen does not offer '${action}' now (stage ${d.stage}${offered.length ? `; it offers ${offered.join(', ')}` : ''}).`);
    }
    const step = await stepFor(tx, deployment);
    const at = now;
    step.tx = { ...tx, clock: fixedClock(at) };
    let wake: number | null = null;
    switch (action) {
      case 'continue':
        wake = toDesktop(step, d, at);
        break;
      case 'collectLogs':
        d.logsCollected = true;
        log(d, at, 'logsCollected', 'Diagnostic logs were collected.');
        break;
      case 'continueAnyway':
        d.continuedAnyway = true;
        log(d, at, 'continuedAnyway', 'The user chose to continue anyway; the deployment stays failed.');
        wake = toDesktop(step, d, at);
        break;
      case 'resetDevice':
        log(d, at, 'deviceReset', 'The user reset the device from the failure screen.');
        await resetDeviceState(step, d, at);
        break;
      case 'retry':
        wake = retry(step, d, at);
        break;
    }
    // Store with the wake time the action set (advance() with now = at runs anything due at once).
    deployment = { ...deployment, wakeAt: wake };
    return advance(step, deployment, at);
  });
}

/**
 * Retry runs setup again from the first item not installed: installed items stay installed, failed ones start
 * over with their behaviour read again, and the timeout starts again (an inference, behaviour.md §7.2).
 */
function retry(step: Step, d: DeploymentData, at: number): number | null {
  d.attempt += 1;
  d.status = 'inProgress';
  d.error = null;
  d.completedAt = null;
  log(d, at, 'retry', `Attempt ${d.attempt}.`);
  const outcomeOf = outcomes(step, d);
  d.items = d.items.map((i) => {
    if (!i.tracked || (i.status !== 'failed' && i.status !== 'inProgress' && i.status !== 'notStarted')) return i;
    const o = outcomeOf(i.kind, i.id, i.displayName);
    return { ...i, status: 'notStarted', reasonCode: null, reason: null, startedAt: null, completedAt: null, durationSeconds: o.durationSeconds, exitCode: o.exitCode };
  });
  const timeout = d.policy?.timeoutMinutes ?? d.statusPage!.timeoutMinutes;
  startSpan(d, at, timeout);
  return startNext(step, d, at);
}

/** Wipes the simulated device back to the out-of-box experience; its deployment ends if it was running. */
async function resetDeviceState(step: Step, d: DeploymentData | null, at: number): Promise<void> {
  if (d && d.stage !== 'stopped') {
    if (d.status === 'inProgress') {
      d.status = 'failed';
      d.error = { code: 'DeviceReset', reason: 'deviceReset', message: 'The device was reset before setup finished.', stage: d.stage };
    }
    d.stage = 'stopped';
    d.completedAt ??= at;
    d.deadlineAt = null;
    for (const i of d.items) if (i.status === 'inProgress') i.status = 'notStarted';
  }
  // The wipe removes the device from Intune; an Autopilot device keeps its Entra object, others join anew.
  if (d?.managedDeviceId) {
    await removeManagedDevice(step.tx, d.managedDeviceId);
  }
  const keepsEntraObject = d?.profile !== null && d?.profile !== undefined;
  step.device = { ...step.device, state: 'oobe', entraObjectId: keepsEntraObject ? step.device.entraObjectId : null };
  step.deviceChanged = true;
}

/** `POST …/devices/{id}/reset`: wipe the device so it runs setup again. */
export async function resetSimulatedDevice(scope: Scope, deviceIdOrSerial: string): Promise<SimulatedDevice> {
  return inTransaction(scope, async (tx) => {
    const device = await getSimulatedDevice(tx, deviceIdOrSerial);
    const at = tx.clock.now();
    const step: Step = { tx: { ...tx, clock: fixedClock(at) }, settings: await loadSimulation(tx), memo: new TransactionMemo(), device, deviceChanged: false };
    if (device.deploymentId) {
      const deployment = await loadRow(tx, device.deploymentId);
      log(deployment.data, at, 'deviceReset', 'The device was reset (wiped) and returns to the out-of-box experience.');
      await resetDeviceState(step, deployment.data, at);
      await advance(step, { ...deployment, wakeAt: null }, at);
    } else {
      await resetDeviceState(step, null, at);
      await saveSimulatedDevice(tx, step.device);
    }
    return step.device;
  });
}

/** Deletes a simulated device and its deployments (its Entra and Intune objects stay, as on real hardware). */
export async function deleteSimulatedDevice(scope: Scope, deviceIdOrSerial: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const device = await getSimulatedDevice(tx, deviceIdOrSerial);
    await tx.db.deleteFrom('deployments').where('tenant_id', '=', tx.tenantId).where('device_id', '=', device.id).execute();
    await tx.db.deleteFrom('simulated_devices').where('tenant_id', '=', tx.tenantId).where('id', '=', device.id).execute();
  });
}

export interface DeploymentFilter {
  readonly deviceId?: string;
  readonly status?: string;
  readonly top?: number;
  /** Deployments whose id sorts after this one (ids are ordered by start time). */
  readonly after?: string;
}

export async function listDeployments(scope: Scope, filter: DeploymentFilter = {}): Promise<Deployment[]> {
  let query = scope.db.selectFrom('deployments').select(['id', 'tenant_id', 'data', 'wake_at', 'version']).where('tenant_id', '=', scope.tenantId);
  if (filter.deviceId) query = query.where('device_id', '=', filter.deviceId.toLowerCase());
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.after) query = query.where('id', '>', filter.after.toLowerCase());
  return (await query.orderBy('id').limit(filter.top ?? 100).execute()).map(toDeployment);
}

/** The stages in which a deployment is still running setup (the phase field is meaningful). */
export const RUNNING_STAGES: ReadonlySet<Stage> = new Set(['signIn', 'entraJoin', 'mdmEnrollment', 'preparing', 'installing', 'accountSignIn']);
