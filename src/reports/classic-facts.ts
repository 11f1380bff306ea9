// What a classic Autopilot deployment looks like to Intune's monitoring: its enrollment and deployment
// states, the Enrollment Status Page's device and account setup phases, and how long each took. Shared by
// the Autopilot events (Graph) and the AutopilotV1DeploymentStatus report, so the two always agree.
// Enums and their order: Graph's windowsAutopilotDeploymentState, enrollmentState and
// windowsAutopilotEnrollmentType (graph-schema.json; member order as the Graph docs list them, which the
// report's numeric codes follow).
import type { DeploymentData } from '../provisioning/deployment.js';

export const DEPLOYMENT_STATES = ['unknown', 'success', 'inProgress', 'failure', 'successWithTimeout', 'notAttempted', 'disabled', 'successOnRetry'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];
export const ENROLLMENT_STATES = ['unknown', 'enrolled', 'pendingReset', 'failed', 'notContacted', 'blocked'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
export const ENROLLMENT_TYPES = [
  'unknown',
  'azureADJoinedWithAutopilotProfile',
  'offlineDomainJoined',
  'azureADJoinedUsingDeviceAuthWithAutopilotProfile',
  'azureADJoinedUsingDeviceAuthWithoutAutopilotProfile',
  'azureADJoinedWithOfflineAutopilotProfile',
  'azureADJoinedWithWhiteGlove',
  'offlineDomainJoinedWithWhiteGlove',
  'offlineDomainJoinedWithOfflineAutopilotProfile',
] as const;
/** User-driven Microsoft Entra join, the only classic mode Tarmac runs (behaviour.md §5). */
export const USER_DRIVEN_ENTRA_JOIN = 'azureADJoinedWithAutopilotProfile';

export interface ClassicFacts {
  readonly enrollmentState: EnrollmentState;
  readonly deploymentState: DeploymentState;
  readonly deviceSetupStatus: DeploymentState;
  readonly accountSetupStatus: DeploymentState;
  /** When the device enrolled in Intune (null: it did not). */
  readonly enrolledAt: number | null;
  /** When the deployment ended (null: still running). */
  readonly endedAt: number | null;
  /** The last thing that happened. */
  readonly eventAt: number;
  readonly deviceSetupMs: number;
  readonly accountSetupMs: number;
  /** Start to the end of setup; start to the desktop. */
  readonly deploymentMs: number;
  readonly totalMs: number;
  readonly enrollmentFailure: string | null;
  readonly deviceSetupFailure: string | null;
  readonly accountSetupFailure: string | null;
}

const firstEvent = (d: DeploymentData, event: string): number | null => d.timeline.find((e) => e.event === event)?.at ?? null;

/** Device setup covers the ESP's Device preparation and Device setup categories; account setup is the third. */
const espPart = (d: DeploymentData): 0 | 1 => (d.phase === 'accountSetup' ? 1 : 0);

function setupStatus(d: DeploymentData, part: 0 | 1): DeploymentState {
  if (d.path === 'blocked' || d.statusPage === null) return 'notAttempted';
  if (!d.statusPage.showInstallationProgress) return 'disabled';
  if (d.status === 'success') return 'success';
  const current = espPart(d);
  if (part < current) return 'success';
  if (part > current) return 'notAttempted';
  return d.status === 'failed' ? 'failure' : 'inProgress';
}

/** The facts of a classic deployment as of `asOf` (tenant ms): times of a running deployment run to asOf. */
export function classicFacts(d: DeploymentData, asOf: number): ClassicFacts {
  const end = d.completedAt ?? asOf;
  const trackingAt = firstEvent(d, 'tracking');
  const accountAt = firstEvent(d, 'accountSetupStarted');
  const desktopAt = firstEvent(d, 'desktop');
  const blocked = d.path === 'blocked';
  const error = d.status === 'failed' ? d.error : null;
  const described = error ? `${error.code}: ${error.message}` : null;
  return {
    enrollmentState: d.managedDeviceId !== null ? 'enrolled' : blocked ? 'failed' : 'notContacted',
    deploymentState: d.status === 'success' ? (d.attempt > 1 ? 'successOnRetry' : 'success') : d.status === 'failed' ? 'failure' : 'inProgress',
    deviceSetupStatus: setupStatus(d, 0),
    accountSetupStatus: setupStatus(d, 1),
    enrolledAt: firstEvent(d, 'enrolled'),
    endedAt: d.completedAt,
    eventAt: d.timeline.length > 0 ? d.timeline[d.timeline.length - 1]!.at : d.startedAt,
    deviceSetupMs: trackingAt === null ? 0 : Math.max(0, (accountAt ?? end) - trackingAt),
    accountSetupMs: accountAt === null ? 0 : Math.max(0, end - accountAt),
    deploymentMs: Math.max(0, end - d.startedAt),
    totalMs: Math.max(0, (desktopAt ?? end) - d.startedAt),
    enrollmentFailure: blocked ? described : null,
    deviceSetupFailure: !blocked && espPart(d) === 0 ? described : null,
    accountSetupFailure: !blocked && espPart(d) === 1 ? described : null,
  };
}
