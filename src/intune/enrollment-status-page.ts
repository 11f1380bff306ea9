// Enrollment Status Page settings (windows10EnrollmentCompletionPageConfiguration): the values of a new profile,
// the tenant's default profile, and the rules a profile's settings must follow.
// Sources: Graph beta intune-onboarding-windows10enrollmentcompletionpageconfiguration.md (defaults, "Max length
// is 10000", "Default is 60 minutes"); memdocs intune/enrollment/windows-enrollment-status.md ("You can choose up
// to 100 apps"); the admin center's timeout field accepts 1–1440 minutes.
import type { Scope } from '../server/context.js';
import { isGuid } from '../core/ids.js';
import { intuneBadRequest } from './errors.js';

export const MOBILE_APPS = 'mobileApps';
export const MAX_SELECTED_APPS = 100;
export const MAX_CUSTOM_ERROR_MESSAGE = 10000;
export const DEFAULT_TIMEOUT_MINUTES = 60;
export const MAX_TIMEOUT_MINUTES = 1440;

/** The message Windows shows when a profile has no custom one (windows-enrollment-status.md). */

/** A new profile's settings before the client's, each the Graph documented default. */
export function newStatusPageSettings(): Record<string, unknown> {
  return {
    showInstallationProgress: false,
    blockDeviceSetupRetryByUser: false,
    allowDeviceResetOnInstallFailure: false,
    allowLogCollectionOnInstallFailure: false,
    customErrorMessage: null,
    installProgressTimeoutInMinutes: DEFAULT_TIMEOUT_MINUTES,
    allowDeviceUseOnInstallFailure: false,
    selectedMobileAppIds: [],
    allowNonBlockingAppInstallation: false,
    installQualityUpdates: false,
    trackInstallProgressForAutopilotOnly: false,
    disableUserStatusTrackingAfterFirstUser: false,
  };
}

/**
 * The tenant's default profile as a new tenant serves it: the page is off ("the default ESP profile is No"),
 * device use is not blocked (blockDeviceSetupRetryByUser true) and the timeout reads 0 until an admin edits it.
 */
export function defaultStatusPageSettings(): Record<string, unknown> {
  return {
    ...newStatusPageSettings(),
    blockDeviceSetupRetryByUser: true,
    customErrorMessage: '',
    installProgressTimeoutInMinutes: 0,
  };
}

/**
 * Checks (and completes) a profile's settings; `data` is the whole profile as it will be stored, `existing` the
 * profile before a PATCH (apps it already lists are not looked up again, so deleting an app does not lock it).
 */
export async function checkStatusPage(scope: Scope, data: Record<string, unknown>, existing?: Record<string, unknown>): Promise<void> {
  const message = data.customErrorMessage;
  if (message !== null && message !== undefined) {
    if (typeof message !== 'string') throw intuneBadRequest("'customErrorMessage' must be a string.", 'customErrorMessage');
    if (message.length > MAX_CUSTOM_ERROR_MESSAGE) {
      throw intuneBadRequest(`'customErrorMessage' is ${message.length} characters long; the maximum is ${MAX_CUSTOM_ERROR_MESSAGE}.`, 'customErrorMessage');
    }
  }
  checkTimeout(data);
  if (data.selectedMobileAppIds !== undefined && data.selectedMobileAppIds !== null) {
    const known = Array.isArray(existing?.selectedMobileAppIds) ? (existing.selectedMobileAppIds as string[]) : [];
    data.selectedMobileAppIds = await checkSelectedApps(scope, data.selectedMobileAppIds, new Set(known));
  }
}

function checkTimeout(data: Record<string, unknown>): void {
  const timeout = data.installProgressTimeoutInMinutes ?? 0;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_TIMEOUT_MINUTES) {
    throw intuneBadRequest(`'installProgressTimeoutInMinutes' must be a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}.`, 'installProgressTimeoutInMinutes');
  }
  // The default profile reads 0 while the page is off; turning the page on without a timeout gives the documented 60.
  if (timeout === 0) data.installProgressTimeoutInMinutes = data.showInstallationProgress === true ? DEFAULT_TIMEOUT_MINUTES : 0;
}

/** The blocking apps: at most 100, each the id of an app in the tenant (deviceAppManagement/mobileApps). */
async function checkSelectedApps(scope: Scope, value: unknown, alreadyListed: ReadonlySet<string>): Promise<string[]> {
  const field = 'selectedMobileAppIds';
  if (!Array.isArray(value)) throw intuneBadRequest(`'${field}' must be an array of app ids.`, field);
  if (value.length > MAX_SELECTED_APPS) throw intuneBadRequest(`At most ${MAX_SELECTED_APPS} apps can block device use; ${value.length} were selected.`, field);
  const ids = value.map((v, i) => {
    if (typeof v !== 'string' || !isGuid(v)) throw intuneBadRequest(`'${field}[${i}]' must be the id (a GUID) of a mobile app.`, `${field}[${i}]`);
    return v.toLowerCase();
  });
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) throw intuneBadRequest(`App '${id}' is selected twice.`, `${field}[${i}]`);
    seen.add(id);
  }
  const added = ids.filter((id) => !alreadyListed.has(id));
  if (added.length === 0) return ids;
  // Apps are written by their own area; their rows are read directly, as any service may read a collection.
  const rows = await scope.db
    .selectFrom('intune_objects')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', MOBILE_APPS)
    .where('id', 'in', added)
    .execute();
  const known = new Set([...alreadyListed, ...rows.map((r) => r.id.toLowerCase())]);
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing !== -1) throw intuneBadRequest(`Mobile app '${ids[missing]}' does not exist in this tenant.`, `${field}[${missing}]`);
  return ids;
}
