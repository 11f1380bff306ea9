// Assignments of mobile apps (mobileAppAssignment): the `assign` action and the `assignments` navigation,
// with the rules apps add to the shared assignment model: an intent (required / available / uninstall),
// settings of the app type's own settings type, one intent per group, Available only to user groups except
// for Win32 apps, and `isAssigned` kept by the service. Sources: Graph mobileAppAssignment and
// mobileApp-assign; memdocs apps/apps-deploy.md ("A single group is prevented from being targeted for
// multiple app assignment intents"; "Available assignments are only valid when assigning to user groups").
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import {
  ALL_DEVICES_TARGET,
  ALL_USERS_TARGET,
  EXCLUSION_TARGET,
  GROUP_TARGET,
  addAssignment,
  deleteAssignment,
  listAssignments,
  replaceAssignments,
  type Assignment,
  type AssignmentKind,
} from './assignments.js';
import { intuneBadRequest } from './errors.js';
import { getIntuneObject, saveIntuneObject, type IntuneObject } from './resource.js';
import { groupAudience } from './group-audience.js';
import { appType, type MobileAppType } from './mobile-app-types.js';
import { checkBoolean, checkEnum, checkInteger, nestedType, objectAt, type Json } from './value-checks.js';

export const MOBILE_APPS = 'mobileApps';
export const MOBILE_APP_ASSIGNMENT = '#microsoft.graph.mobileAppAssignment';

/** Windows apps take these intents; availableWithoutEnrollment is for unenrolled iOS/Android devices (apps-deploy.md). */
export const APP_INTENTS = ['required', 'available', 'uninstall'] as const;

export const mobileAppAssignmentKind: AssignmentKind = {
  collection: MOBILE_APPS,
  odataType: MOBILE_APP_ASSIGNMENT,
  targets: [GROUP_TARGET, EXCLUSION_TARGET, ALL_USERS_TARGET, ALL_DEVICES_TARGET],
  intents: APP_INTENTS,
  extraProperties: ['settings', 'source', 'sourceId'],
};

const NOTIFICATIONS = ['showAll', 'showReboot', 'hideAll'];
const WINGET_NOTIFICATIONS = [...NOTIFICATIONS, 'unknownFutureValue'];
const DELIVERY_PRIORITY = ['notConfigured', 'foreground'];
const AUTO_UPDATE = ['notConfigured', 'enabled', 'unknownFutureValue'];

/** Checks an assignment's settings against the app type and returns them as stored (null when none). */
function checkSettings(type: MobileAppType, value: unknown, index: number): Json | null {
  const field = `assignments[${index}].settings`;
  const settings = objectAt(value, field);
  if (!settings) return null;
  if (type.settingsTypes.length === 0) {
    throw intuneBadRequest(`A ${type.odataType.slice(17)} assignment takes no settings; send null.`, field);
  }
  const settingsType = nestedType(settings, type.settingsTypes, field, false) ?? type.settingsTypes[0]!;
  const winGet = settingsType === '#microsoft.graph.winGetAppAssignmentSettings';
  checkEnum(settings.notifications, winGet ? WINGET_NOTIFICATIONS : NOTIFICATIONS, `${field}.notifications`);
  if (!winGet) {
    checkEnum(settings.deliveryOptimizationPriority, DELIVERY_PRIORITY, `${field}.deliveryOptimizationPriority`);
    checkEnum(objectAt(settings.autoUpdateSettings, `${field}.autoUpdateSettings`)?.autoUpdateSupersededAppsState, AUTO_UPDATE, `${field}.autoUpdateSettings.autoUpdateSupersededAppsState`);
  }
  const restart = objectAt(settings.restartSettings, `${field}.restartSettings`);
  for (const name of ['gracePeriodInMinutes', 'countdownDisplayBeforeRestartInMinutes', 'restartNotificationSnoozeDurationInMinutes']) {
    checkInteger(restart?.[name], `${field}.restartSettings.${name}`);
  }
  checkBoolean(objectAt(settings.installTimeSettings, `${field}.installTimeSettings`)?.useLocalTime, `${field}.installTimeSettings.useLocalTime`);
  return { ...settings, '@odata.type': settingsType };
}

/** The body as the shared model stores it: settings checked, source set by the service ("direct"). */
function prepare(type: MobileAppType, body: unknown, index: number): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Json;
  return { ...b, settings: checkSettings(type, b.settings, index), source: 'direct', sourceId: null };
}

/** The rules that look at the whole set of an app's assignments, once they are checked. */
async function checkAppRules(scope: Scope, type: MobileAppType, list: readonly Assignment[]): Promise<void> {
  const byGroup = new Map<string, Assignment>();
  for (const [i, a] of list.entries()) {
    const groupId = a.target.groupId as string | undefined;
    if (groupId) {
      if (byGroup.has(groupId)) throw intuneBadRequest(`Group '${groupId}' is already targeted by another assignment of this app; a group can have one intent.`, `assignments[${i}].target.groupId`);
      byGroup.set(groupId, a);
    }
    if (a.intent !== 'available' || type.availableToDevices || a.target['@odata.type'] === EXCLUSION_TARGET) continue;
    const toDevices = a.target['@odata.type'] === ALL_DEVICES_TARGET || (groupId !== undefined && (await groupAudience(scope, groupId)) === 'device');
    if (toDevices) {
      throw intuneBadRequest(`The available intent is valid for user groups only; only Win32 apps can be made available to devices (${type.odataType.slice(17)}).`, `assignments[${i}].intent`);
    }
  }
}

async function setIsAssigned(scope: Scope, app: IntuneObject): Promise<void> {
  const isAssigned = (await listAssignments(scope, mobileAppAssignmentKind, app.id)).length > 0;
  if (app.isAssigned === isAssigned) return;
  await saveIntuneObject(scope, { collection: MOBILE_APPS }, app.id, { ...app, isAssigned });
}

/** `POST /mobileApps/{id}/assign {"mobileAppAssignments": [...]}`: replaces every assignment, all-or-nothing. */
export async function assignMobileApp(scope: Scope, appId: string, bodies: unknown): Promise<Assignment[]> {
  return inTransaction(scope, async (tx) => {
    const app = await getIntuneObject(tx, { collection: MOBILE_APPS }, appId);
    const type = appType(app['@odata.type']);
    const prepared = Array.isArray(bodies) ? bodies.map((b, i) => prepare(type, b, i)) : bodies;
    const list = await replaceAssignments(tx, mobileAppAssignmentKind, appId, prepared);
    await checkAppRules(tx, type, list);
    await setIsAssigned(tx, app);
    return list;
  });
}

/** `POST /mobileApps/{id}/assignments`: adds one assignment. */
export async function addMobileAppAssignment(scope: Scope, appId: string, body: unknown): Promise<Assignment> {
  return inTransaction(scope, async (tx) => {
    const app = await getIntuneObject(tx, { collection: MOBILE_APPS }, appId);
    const type = appType(app['@odata.type']);
    const added = await addAssignment(tx, mobileAppAssignmentKind, appId, prepare(type, body, 0));
    const all = await listAssignments(tx, mobileAppAssignmentKind, appId);
    await checkAppRules(tx, type, [...all.filter((a) => a.id !== added.id), added]);
    await setIsAssigned(tx, app);
    return added;
  });
}

/** `DELETE /mobileApps/{id}/assignments/{assignmentId}`. */
export async function deleteMobileAppAssignment(scope: Scope, appId: string, assignmentId: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const app = await getIntuneObject(tx, { collection: MOBILE_APPS }, appId);
    await deleteAssignment(tx, mobileAppAssignmentKind, appId, assignmentId);
    await setIsAssigned(tx, app);
  });
}
