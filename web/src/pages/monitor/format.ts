// Words and numbers as Intune's monitoring screens write them: deployment status and phase, item status,
// deployment time, dates. Pure functions, shared by the monitor and the device simulator.
import type { DeploymentStatus, ItemStatus, UserAction } from './types';

export const STATUS_LABEL: Readonly<Record<DeploymentStatus, string>> = { inProgress: 'In progress', success: 'Success', failed: 'Failed' };

/** The report's Phase column: the phase last reported (behaviour.md §4); initial setup counts as policy installation. */
export const PHASE_LABEL: Readonly<Record<string, string>> = {
  policyInstallation: 'Policy installation',
  scriptInstallation: 'Script installation',
  appInstallation: 'App installation',
  devicePreparation: 'Device preparation',
  deviceSetup: 'Device setup',
  accountSetup: 'Account setup',
};

export const phaseLabel = (phase: string | null): string => PHASE_LABEL[phase ?? 'policyInstallation'] ?? phase ?? '';

/** Apps and scripts in the details pane: Installed, In progress, Skipped, Failed (and Not started before their turn). */
export const ITEM_STATUS_LABEL: Readonly<Record<ItemStatus, string>> = {
  installed: 'Installed',
  inProgress: 'In progress',
  skipped: 'Skipped',
  failed: 'Failed',
  notStarted: 'Not started',
};

export const ACTION_LABEL: Readonly<Record<UserAction, string>> = {
  retry: 'Retry',
  continueAnyway: 'Continue anyway',
  resetDevice: 'Reset device',
  collectLogs: 'Collect logs',
  continue: 'Continue',
};

/** The control API path of each button of the device's screen. */
export const ACTION_PATH: Readonly<Record<UserAction, string>> = {
  retry: 'retry',
  continueAnyway: 'continue-anyway',
  resetDevice: 'reset-device',
  collectLogs: 'collect-logs',
  continue: 'continue',
};

export const PATH_LABEL: Readonly<Record<string, string>> = {
  devicePreparation: 'Windows Autopilot device preparation',
  classicAutopilot: 'Windows Autopilot (classic)',
  entraJoin: 'Microsoft Entra join with automatic enrollment',
  blocked: 'Blocked',
  dependsOnUser: 'Depends on the user who signs in',
};

/** "5 minutes 12 seconds" shortened as the portal does: "5m 12s", "1h 3m", "42s". */
export function durationText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return r ? `${m}m ${r}s` : `${m}m`;
  return `${r}s`;
}

/** PT5M12S (Edm.Duration) in seconds; null when it does not parse. */
export function isoDurationSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text);
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

/** "11/21/2026, 1:09:43 PM" in UTC: the tenant clock is virtual, so times are shown as UTC, stated once on screen. */
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC' });

export function dateTimeText(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1) return '';
  return dateTimeFormat.format(d);
}

export function timeText(iso: string | number): string {
  return timeFormat.format(new Date(iso));
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
