// The control API's JSON as the monitor and the device simulator read it: deployments (with the screen the
// device shows), simulated devices, the tenant's clock and simulation settings, and explain's answer. Only
// the fields these screens use; the server's deployment-view.ts and explain.ts are the full definitions.

export type DeploymentPath = 'devicePreparation' | 'classicAutopilot' | 'entraJoin' | 'blocked';
export type DeploymentStatus = 'inProgress' | 'success' | 'failed';
export type ItemStatus = 'notStarted' | 'inProgress' | 'installed' | 'skipped' | 'failed';
export type UserAction = 'retry' | 'continueAnyway' | 'resetDevice' | 'collectLogs' | 'continue';

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

export interface DeploymentItem {
  readonly id: string;
  readonly displayName: string;
  readonly type?: string;
  readonly tracked: boolean;
  readonly phase: string | null;
  readonly status: ItemStatus;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly durationSeconds: number | null;
  readonly startedDateTime: string | null;
  readonly completedDateTime: string | null;
  readonly exitCode: number | null;
}

export interface DeploymentError {
  readonly code: string;
  readonly reason: string;
  readonly message: string;
  readonly stage: string;
}

export interface PolicyRef {
  readonly id: string;
  readonly name: string;
  readonly priority: number | null;
  readonly userAccountType: string;
  readonly timeoutMinutes: number;
  readonly customErrorMessage: string;
  readonly allowSkip: boolean;
  readonly allowDiagnostics: boolean;
  readonly deviceGroupId: string | null;
}

export interface StatusPageRef {
  readonly id: string;
  readonly displayName: string;
  readonly source: string;
  readonly showInstallationProgress: boolean;
  readonly timeoutMinutes: number;
  readonly customErrorMessage: string | null;
  readonly allowLogCollection: boolean;
  readonly allowDeviceUse: boolean;
  readonly allowDeviceReset: boolean;
  readonly blockRetry: boolean;
}

export interface TimelineEntry {
  readonly dateTime: string;
  readonly event: string;
  readonly detail?: string;
}

/** GET /_tarmac/tenants/{id}/deployments/{id}. */
export interface Deployment {
  readonly id: string;
  readonly deviceId: string;
  readonly serialNumber: string;
  readonly deviceName: string | null;
  readonly userPrincipalName: string;
  readonly userId: string | null;
  readonly path: DeploymentPath;
  readonly intendedPath: DeploymentPath | null;
  readonly pathReason: string | null;
  readonly status: DeploymentStatus;
  readonly phase: string | null;
  readonly stage: string;
  readonly running: boolean;
  readonly progressPercentage: number;
  readonly screen: Screen;
  readonly startedDateTime: string;
  readonly completedDateTime: string | null;
  readonly deploymentTimeSeconds: number | null;
  readonly nextTransitionDateTime: string | null;
  readonly attempt: number;
  readonly failures: number;
  readonly error: DeploymentError | null;
  readonly policy: PolicyRef | null;
  readonly profile: { readonly id: string | null; readonly displayName: string | null } | null;
  readonly enrollmentStatusPage: StatusPageRef | null;
  readonly apps: readonly DeploymentItem[];
  readonly scripts: readonly DeploymentItem[];
  readonly entraDeviceObjectId: string | null;
  readonly azureADDeviceId: string | null;
  readonly managedDeviceId: string | null;
  readonly ownership: string | null;
  readonly localAdministrator: boolean | null;
  readonly provisioningSkipped: boolean;
  readonly enrollmentTimeGrouping: { readonly groupId: string; readonly status: string; readonly reason: string | null } | null;
  readonly continuedAnyway: boolean;
  readonly logsCollected: boolean;
  readonly timeline: readonly TimelineEntry[];
}

export interface ItemBehaviour {
  readonly durationSeconds?: number | { readonly min: number; readonly max: number };
  readonly exitCode?: number;
  readonly hang?: boolean;
  readonly failureRate?: number;
  readonly failureExitCode?: number;
}

export interface DeviceBehaviour {
  readonly apps?: Readonly<Record<string, ItemBehaviour>>;
  readonly scripts?: Readonly<Record<string, ItemBehaviour>>;
}

/** GET /_tarmac/tenants/{id}/devices/{id}. */
export interface SimulatedDevice {
  readonly id: string;
  readonly ordinal: number;
  readonly serialNumber: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly windowsEdition: string;
  readonly osVersion: string;
  readonly tpmPresent: boolean;
  readonly state: 'oobe' | 'settingUp' | 'desktop';
  readonly deploymentId: string | null;
  readonly entraDeviceObjectId: string | null;
  readonly behaviour: DeviceBehaviour;
  readonly createdDateTime: string;
}

export interface ClockView {
  readonly now: string;
  readonly rate: number;
}

export interface SimulationView {
  readonly seed: string;
  readonly clock: ClockView;
  readonly defaults: { readonly app: ItemBehaviour; readonly script: ItemBehaviour };
  readonly apps: Readonly<Record<string, ItemBehaviour>>;
  readonly scripts: Readonly<Record<string, ItemBehaviour>>;
}

export interface List<T> {
  readonly value: T[];
}

// ---- explain ------------------------------------------------------------------------------------------

export type CheckResult = 'pass' | 'fail' | 'warning' | 'notChecked' | 'notApplicable';

export interface ExplainCheck {
  readonly id: string;
  readonly title: string;
  readonly result: CheckResult;
  readonly setting: string;
  readonly value: unknown;
  readonly detail: string;
  readonly errorCode?: string;
}

export interface ExplainPolicy {
  readonly id: string;
  readonly name: string;
  readonly mode: string;
  readonly priority: number | null;
  readonly targetsUser: boolean;
  readonly chosen: boolean;
  readonly why: string;
}

export interface ExplainPrediction {
  readonly path: string;
  readonly intendedPath?: string | null;
  readonly pathReason: string | null;
  readonly status?: DeploymentStatus;
  readonly error?: DeploymentError | null;
  readonly deploymentTimeSeconds?: number | null;
  readonly policy?: PolicyRef | null;
  readonly profile?: { readonly id: string | null; readonly displayName: string | null; readonly status?: string } | null;
  readonly enrollmentStatusPage?: StatusPageRef | null;
  readonly enrollmentTimeGrouping?: { readonly groupId: string; readonly status: string; readonly reason: string | null } | null;
  readonly ownership?: string | null;
  readonly corporateIdentifierId?: string | null;
  readonly localAdministrator?: boolean | null;
  readonly provisioningSkipped?: boolean;
  readonly deviceName?: string | null;
  readonly screen?: Screen;
  readonly apps?: readonly DeploymentItem[];
  readonly scripts?: readonly DeploymentItem[];
  readonly timeline?: readonly TimelineEntry[];
}

export interface Explanation {
  readonly user: { readonly id: string; readonly userPrincipalName: string; readonly displayName: string; readonly groupIds: readonly string[] } | null;
  readonly device: SimulatedDevice | null;
  readonly prediction: ExplainPrediction;
  readonly checks: readonly ExplainCheck[];
  readonly policies: readonly ExplainPolicy[];
  readonly lastDeployment: {
    readonly deploymentId: string;
    readonly status: DeploymentStatus;
    readonly matchesPrediction: boolean;
    readonly differences: readonly { readonly field: string; readonly predicted: unknown; readonly actual: unknown }[];
    readonly note: string;
  } | null;
}
