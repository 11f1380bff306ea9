// The stored form of a deployment: everything the engine needs to take the next step, and everything the
// control API, reports and explain show. One JSON document per deployment, rewritten by each transition.
import type { ItemKind } from './simulation.js';

/** Which setup the device runs (behaviour.md §3.1): classic Autopilot wins over device preparation. */
export type DeploymentPath = 'devicePreparation' | 'classicAutopilot' | 'entraJoin' | 'blocked';
export type DeploymentStatus = 'inProgress' | 'success' | 'failed';

/**
 * Where the engine is. signIn → entraJoin → mdmEnrollment → preparing (IME, MDM sync, building the list of
 * tracked items) → installing (tracked items, one at a time) → [accountSignIn → installing: the ESP's account
 * setup] → setupComplete (device preparation's "Required setup complete") → desktop. `failed` waits for the
 * user's choice on the failure screen; `stopped` is a blocked or reset deployment.
 */
export type Stage = 'signIn' | 'entraJoin' | 'mdmEnrollment' | 'preparing' | 'installing' | 'accountSignIn' | 'setupComplete' | 'desktop' | 'failed' | 'stopped';

/**
 * The phase a report shows: device preparation's three (behaviour.md §4) or the Enrollment Status Page's
 * three categories (§5.4).
 */
export type Phase = 'policyInstallation' | 'scriptInstallation' | 'appInstallation' | 'devicePreparation' | 'deviceSetup' | 'accountSetup';

export type ItemStatus = 'notStarted' | 'inProgress' | 'installed' | 'skipped' | 'failed';

export interface DeploymentItem {
  readonly kind: ItemKind;
  readonly id: string;
  readonly displayName: string;
  /** The app's @odata.type; null for scripts. */
  readonly odataType: string | null;
  /** The phase it installs in; null when it installs after setup (not tracked). */
  readonly phase: Phase | null;
  readonly tracked: boolean;
  status: ItemStatus;
  /** A stable code and a sentence saying why an item is skipped, failed, or not tracked. */
  reasonCode: string | null;
  reason: string | null;
  /** Simulated seconds it takes (null: it hangs) and the exit code it ends with. */
  readonly durationSeconds: number | null;
  readonly exitCode: number;
  startedAt: number | null;
  completedAt: number | null;
}

export interface DeploymentError {
  /** The error code a person would search for, e.g. 0x8018002b or AADSTS50126. */
  readonly code: string;
  /** A stable machine-readable reason, e.g. mdmUserScope, timeout, appFailed. */
  readonly reason: string;
  readonly message: string;
  /** The stage it happened at. */
  readonly stage: Stage;
}

export interface TimelineEntry {
  readonly at: number;
  readonly event: string;
  readonly detail?: string;
}

export interface PolicyRef {
  readonly id: string;
  readonly name: string;
  readonly priority: number | null;
  readonly userAccountType: 'administrator' | 'standardUser';
  readonly timeoutMinutes: number;
  readonly customErrorMessage: string;
  readonly allowSkip: boolean;
  readonly allowDiagnostics: boolean;
  readonly deviceGroupId: string | null;
}

export interface ProfileRef {
  /** null: a registered device with no profile assigned gets Autopilot's default behaviour. */
  readonly id: string | null;
  readonly displayName: string | null;
  readonly deviceNameTemplate: string | null;
  readonly userType: 'administrator' | 'standard';
  readonly oobe: Readonly<Record<string, unknown>>;
  /** The profile's Language (Region): 'os-default' or a locale such as en-US. */
  readonly locale: string;
  readonly autopilotDeviceId: string;
}

export interface StatusPageRef {
  readonly id: string;
  readonly displayName: string;
  readonly source: 'device' | 'user' | 'default';
  readonly showInstallationProgress: boolean;
  readonly timeoutMinutes: number;
  readonly customErrorMessage: string | null;
  readonly allowLogCollection: boolean;
  readonly allowDeviceUse: boolean;
  readonly allowDeviceReset: boolean;
  readonly blockRetry: boolean;
  readonly selectedAppIds: readonly string[];
}

export interface DeploymentData {
  readonly deviceId: string;
  readonly serialNumber: string;
  /** The device's how-manieth deployment (1 = first); part of the key of its random draws. */
  readonly sequence: number;
  userId: string | null;
  readonly userPrincipalName: string;
  /** The path taken; 'blocked' when a check stopped it, with the path it was on in intendedPath. */
  path: DeploymentPath;
  intendedPath: Exclude<DeploymentPath, 'blocked'> | null;
  /** Why this path: the registration, the winning policy, or the absence of both. */
  pathReason: string | null;
  status: DeploymentStatus;
  stage: Stage;
  phase: Phase | null;
  readonly startedAt: number;
  completedAt: number | null;
  /** Retries so far (the first run is attempt 1), and failures so far. */
  attempt: number;
  failures: number;
  /** When the current timed span began and when it times out (null: no timeout runs). */
  spanStartedAt: number;
  deadlineAt: number | null;
  policy: PolicyRef | null;
  profile: ProfileRef | null;
  /** The out-of-box experience pages the user saw before signing in. */
  oobePages: { readonly shown: readonly string[]; readonly hidden: readonly string[] } | null;
  statusPage: StatusPageRef | null;
  items: DeploymentItem[];
  error: DeploymentError | null;
  entraObjectId: string | null;
  azureADDeviceId: string | null;
  managedDeviceId: string | null;
  deviceName: string | null;
  ownership: 'company' | 'personal' | null;
  corporateIdentifierId: string | null;
  localAdministrator: boolean | null;
  /** Device preparation skipped provisioning (standard user with the Entra local admin setting not All, §1.9). */
  provisioningSkipped: boolean;
  enrollmentTimeGrouping: { readonly groupId: string; readonly status: 'added' | 'failed'; readonly reason: string | null } | null;
  /** The user chose "Continue anyway" / "use the device" after a failure. */
  continuedAnyway: boolean;
  logsCollected: boolean;
  timeline: TimelineEntry[];
}
