// How a deployment looks from outside: the control API's JSON, and the screen the device shows now
// (behaviour.md §1.8 for device preparation, §5.4-§5.5 for the Enrollment Status Page).
import type { DeploymentData, DeploymentItem, Phase } from './deployment.js';
import { availableActions, ESP_DEFAULT_ERROR, RUNNING_STAGES, type Deployment, type UserAction } from './engine.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface Screen {
  /** oobe, error, settingUp, enrollmentStatusPage, working, failure, requiredSetupComplete, desktop. */
  readonly kind: string;
  readonly title: string;
  readonly message?: string;
  readonly errorCode?: string;
  readonly progressPercentage?: number;
  readonly categories?: readonly { readonly name: string; readonly status: string; readonly detail?: string }[];
  readonly actions: readonly UserAction[];
  readonly diagnosticsLink?: boolean;
}

/** Device preparation's percentage is elapsed time over the timeout, 100 when done (behaviour.md §1.8, §7.9). */
export function progressPercentage(d: DeploymentData, now: number): number {
  if (d.status === 'success') return 100;
  const end = d.status === 'failed' ? (d.completedAt ?? now) : now;
  if (d.policy) {
    const pct = ((end - d.spanStartedAt) / (d.policy.timeoutMinutes * 60_000)) * 100;
    return Math.max(0, Math.min(99, Math.floor(pct)));
  }
  const tracked = d.items.filter((i) => i.tracked && i.status !== 'skipped');
  if (tracked.length === 0) return 0;
  return Math.min(99, Math.floor((tracked.filter((i) => i.status === 'installed').length / tracked.length) * 100));
}

const ESP_CATEGORIES: readonly [Phase, string][] = [
  ['devicePreparation', 'Device preparation'],
  ['deviceSetup', 'Device setup'],
  ['accountSetup', 'Account setup'],
];

function categories(d: DeploymentData) {
  const order = ESP_CATEGORIES.map(([p]) => p);
  const current = order.indexOf(d.phase ?? 'devicePreparation');
  return ESP_CATEGORIES.map(([phase, name], index) => {
    const items = d.items.filter((i) => i.tracked && i.phase === phase);
    const done = items.filter((i) => i.status === 'installed').length;
    const status =
      d.status === 'success' || index < current ? 'complete' : index > current ? 'waiting' : d.stage === 'failed' ? 'failed' : d.stage === 'preparing' && phase !== 'devicePreparation' ? 'identifying' : 'inProgress';
    return { name, status, ...(items.length > 0 ? { detail: `Apps (${done} of ${items.length} installed)` } : {}) };
  });
}

export function screenOf(d: DeploymentData, now: number): Screen {
  const actions = availableActions(d);
  if (d.stage === 'stopped') {
    if (d.path === 'blocked') {
      const signIn = d.error?.code.startsWith('AADSTS');
      return { kind: 'error', title: signIn ? 'Sign in' : 'Something went wrong', message: d.error?.message, errorCode: d.error?.code, actions };
    }
    return { kind: 'oobe', title: "Let's start with region. Is this right?", actions };
  }
  if (d.stage === 'desktop') return { kind: 'desktop', title: 'Desktop', actions };
  if (d.stage === 'setupComplete') return { kind: 'requiredSetupComplete', title: 'Required setup complete', message: 'Your device is set up for work. Select Continue to go to the desktop.', actions };
  if (d.stage === 'failed') {
    const message = d.policy ? d.policy.customErrorMessage : (d.statusPage?.customErrorMessage ?? ESP_DEFAULT_ERROR);
    return {
      kind: 'failure',
      title: d.policy ? 'Setting up for work or school' : 'Setting up your device for work',
      message,
      errorCode: d.error?.code,
      progressPercentage: progressPercentage(d, now),
      ...(d.statusPage ? { categories: categories(d) } : {}),
      actions,
      diagnosticsLink: d.policy ? d.policy.allowDiagnostics : (d.statusPage?.allowLogCollection ?? false),
    };
  }
  if (d.policy || d.intendedPath === 'devicePreparation') {
    return { kind: 'settingUp', title: 'Setting up for work or school', progressPercentage: progressPercentage(d, now), actions };
  }
  if (d.statusPage?.showInstallationProgress) {
    return { kind: 'enrollmentStatusPage', title: 'Setting up your device for work', progressPercentage: progressPercentage(d, now), categories: categories(d), actions };
  }
  return { kind: 'working', title: 'Just a moment…', actions };
}

function itemView(i: DeploymentItem) {
  return {
    id: i.id,
    displayName: i.displayName,
    ...(i.kind === 'app' ? { type: i.odataType } : {}),
    tracked: i.tracked,
    phase: i.phase,
    status: i.status,
    reasonCode: i.reasonCode,
    reason: i.reason,
    durationSeconds: i.durationSeconds,
    startedDateTime: iso(i.startedAt),
    completedDateTime: iso(i.completedAt),
    exitCode: i.status === 'installed' || i.status === 'failed' ? (i.reasonCode === 'timeout' ? null : i.exitCode) : null,
  };
}

export function deploymentView(deployment: Deployment, now: number) {
  const d = deployment.data;
  return {
    id: deployment.id,
    deviceId: d.deviceId,
    serialNumber: d.serialNumber,
    deviceName: d.deviceName,
    userPrincipalName: d.userPrincipalName,
    userId: d.userId,
    path: d.path,
    intendedPath: d.intendedPath,
    pathReason: d.pathReason,
    status: d.status,
    phase: d.phase,
    stage: d.stage,
    running: RUNNING_STAGES.has(d.stage),
    progressPercentage: progressPercentage(d, now),
    screen: screenOf(d, now),
    startedDateTime: iso(d.startedAt),
    completedDateTime: iso(d.completedAt),
    deploymentTimeSeconds: d.completedAt === null ? null : Math.round((d.completedAt - d.startedAt) / 1000),
    nextTransitionDateTime: iso(deployment.wakeAt),
    attempt: d.attempt,
    failures: d.failures,
    error: d.error,
    policy: d.policy,
    profile: d.profile,
    oobePages: d.oobePages,
    enrollmentStatusPage: d.statusPage,
    apps: d.items.filter((i) => i.kind === 'app').map(itemView),
    scripts: d.items.filter((i) => i.kind === 'script').map(itemView),
    entraDeviceObjectId: d.entraObjectId,
    azureADDeviceId: d.azureADDeviceId,
    managedDeviceId: d.managedDeviceId,
    ownership: d.ownership,
    corporateIdentifierId: d.corporateIdentifierId,
    localAdministrator: d.localAdministrator,
    provisioningSkipped: d.provisioningSkipped,
    enrollmentTimeGrouping: d.enrollmentTimeGrouping,
    continuedAnyway: d.continuedAnyway,
    logsCollected: d.logsCollected,
    timeline: d.timeline.map((t) => ({ dateTime: iso(t.at), event: t.event, ...(t.detail !== undefined ? { detail: t.detail } : {}) })),
  };
}
