// How the portal words Graph's enum values of Autopilot devices, profiles and enrollment configurations.
// Pure, no imports.

/** deploymentProfileAssignmentStatus as the portal's "Profile status" column shows it. */
export function profileStatusLabel(status: string | null | undefined): string {
  switch (status) {
    case 'assignedInSync':
    case 'assignedOutOfSync':
    case 'assignedUnkownSyncState':
      return 'Assigned';
    case 'pending':
      return 'Assigning';
    case 'failed':
      return 'Attention required';
    case 'notAssigned':
      return 'Not assigned';
    default:
      return 'Unknown';
  }
}

export function isProfileAssigned(status: string | null | undefined): boolean {
  return profileStatusLabel(status) === 'Assigned';
}

const ENROLLMENT_STATES: Readonly<Record<string, string>> = {
  enrolled: 'Enrolled',
  notContacted: 'Not contacted',
  pendingReset: 'Pending reset',
  failed: 'Failed',
  blocked: 'Blocked',
  unknown: 'Unknown',
};

export function enrollmentStateLabel(state: string | null | undefined): string {
  return (state && ENROLLMENT_STATES[state]) || 'Unknown';
}

/** Graph's "never" date (.NET's minimum) and empty values read as no date. */
export function formatDate(value: string | null | undefined): string {
  if (!value || value.startsWith('0001-01-01')) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

export const ESP_TYPE = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';
export const LIMIT_TYPE = '#microsoft.graph.deviceEnrollmentLimitConfiguration';
export const SINGLE_PLATFORM_TYPE = '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration';
export const PLATFORMS_TYPE = '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration';
export const AZURE_AD_PROFILE_TYPE = '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile';
export const HYBRID_PROFILE_TYPE = '#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile';
export const FILTER_TYPE = '#microsoft.graph.deviceAndAppManagementAssignmentFilter';

/** Default configurations have priority 0 and come last in the portal's lists; the others by priority. */
export function byPortalPriority<T extends { priority?: number | null }>(a: T, b: T): number {
  const pa = a.priority ?? 0;
  const pb = b.priority ?? 0;
  if (pa === 0 || pb === 0) return pa === pb ? 0 : pa === 0 ? 1 : -1;
  return pa - pb;
}
