// The Autopilot reports of the Reports Export API: their columns (Intune's "available reports" list,
// graph-api.md §10.1) and how each row is written from a deployment record. Every value is a string, as
// Intune writes them. Codes Microsoft documents: DeploymentStatus 1 in progress, 2 success, 3 failed;
// ResultCode 0 or the HRESULT as a signed 32-bit decimal. The rest are Tarmac's numbering, chosen to
// reproduce the live rows of graph-api.md §10.1 and written down in docs/compatibility.md ("Reports").
import type { DeploymentData, DeploymentItem, ItemStatus, Stage } from '../provisioning/deployment.js';
import type { DeploymentRecord, RecordLookups, ReportSource } from './deployment-source.js';
import { classicFacts, DEPLOYMENT_STATES, ENROLLMENT_STATES, ENROLLMENT_TYPES, USER_DRIVEN_ENTRA_JOIN } from './classic-facts.js';
import { appTypeName, reportDateTime, signedHresult, wholeSeconds } from './formats.js';

export type ReportRow = Record<string, string>;

export interface ReportDefinition {
  readonly name: string;
  /** Every column, in the order Intune's list gives them (the default when `select` is absent). */
  readonly columns: readonly string[];
  readonly source: ReportSource;
  /** The rows one deployment contributes, as of `asOf` (tenant ms). */
  rows(record: DeploymentRecord, lookups: RecordLookups, asOf: number): ReportRow[];
}

const str = (n: number) => String(n);

/** DeploymentStatus: 1 in progress, 2 success, 3 failed (observed, graph-api.md §10.1). */
const STATUS_CODES = { inProgress: 1, success: 2, failed: 3 } as const;

/** CurrentProvisioningPhase (undocumented): the phase last reported (behaviour.md §4), 4 once setup is done. */
const PROVISIONING_PHASE_CODES: Readonly<Record<string, number>> = { policyInstallation: 1, scriptInstallation: 2, appInstallation: 3 };
const PROVISIONING_DONE = 4;

/** Phase (undocumented): the step of setup the device is at; 0x700 added to the step a failure stopped at. */
const STAGE_CODES: Readonly<Record<Stage, number>> = {
  signIn: 1,
  entraJoin: 1,
  mdmEnrollment: 2,
  preparing: 3,
  installing: 4,
  accountSignIn: 4,
  setupComplete: 5,
  desktop: 6,
  failed: 4,
  stopped: 6,
};
const FAILED_FLAG = 0x700;

/** PolicyInstallStatus (undocumented, 2 = installed observed): 0 not started, 1 in progress, 2 installed, 3 failed, 4 skipped. */
const ITEM_STATUS_CODES: Readonly<Record<ItemStatus, number>> = { notStarted: 0, inProgress: 1, installed: 2, failed: 3, skipped: 4 };

function phaseCode(d: DeploymentData): number {
  if (d.status === 'failed' && d.error) return FAILED_FLAG | STAGE_CODES[d.error.stage];
  return STAGE_CODES[d.stage];
}

function provisioningPhaseCode(d: DeploymentData): number {
  if (d.status === 'success') return PROVISIONING_DONE;
  return PROVISIONING_PHASE_CODES[d.phase ?? 'policyInstallation'] ?? 1;
}

const enrolledAt = (d: DeploymentData) => d.timeline.find((e) => e.event === 'enrolled')?.at ?? d.startedAt;
const itemRows = (d: DeploymentData, kind: DeploymentItem['kind']) => d.items.filter((i) => i.kind === kind);

const autopilotV2: ReportDefinition = {
  name: 'AutopilotV2DeploymentStatus',
  columns: ['CurrentProvisioningPhase', 'DeploymentDurationTimeInSeconds', 'DeploymentStatus', 'DeviceId', 'DeviceName', 'EnrollmentTimeInUtc', 'Phase', 'ResultCode', 'SerialNumber', 'UPN'],
  source: 'devicePreparation',
  rows: ({ data: d }) => [
    {
      CurrentProvisioningPhase: str(provisioningPhaseCode(d)),
      // The admin center shows "In progress" for the deployment time of a running deployment.
      DeploymentDurationTimeInSeconds: str(d.completedAt === null ? 0 : wholeSeconds(d.startedAt, d.completedAt)),
      DeploymentStatus: str(STATUS_CODES[d.status]),
      DeviceId: d.managedDeviceId ?? '',
      DeviceName: d.deviceName ?? '',
      EnrollmentTimeInUtc: reportDateTime(enrolledAt(d)),
      Phase: str(phaseCode(d)),
      ResultCode: str(d.status === 'failed' ? signedHresult(d.error?.code) : 0),
      SerialNumber: d.serialNumber,
      UPN: d.userPrincipalName,
    },
  ],
};

const autopilotV2Apps: ReportDefinition = {
  name: 'AutopilotV2DeploymentStatusDetailedAppInfo',
  columns: ['ApplicationId', 'ApplicationName', 'AppType', 'DeviceId', 'IsAdminSelected', 'PolicyInstallStatus'],
  source: 'devicePreparation',
  // Every app of the deployment: those selected in the policy (tracked) and those that install afterwards.
  rows: ({ data: d }) =>
    itemRows(d, 'app').map((i) => ({
      ApplicationId: i.id,
      ApplicationName: i.displayName,
      AppType: appTypeName(i.odataType),
      DeviceId: d.managedDeviceId ?? '',
      IsAdminSelected: i.tracked ? 'True' : 'False',
      PolicyInstallStatus: str(ITEM_STATUS_CODES[i.status]),
    })),
};

const autopilotV2Scripts: ReportDefinition = {
  name: 'AutopilotV2DeploymentStatusDetailedScriptInfo',
  columns: ['DeviceId', 'DisplayName', 'PolicyId', 'PolicyInstallStatus'],
  source: 'devicePreparation',
  // Only the scripts selected in the policy: the report has no column to tell the others apart.
  rows: ({ data: d }) =>
    itemRows(d, 'script')
      .filter((i) => i.tracked)
      .map((i) => ({ DeviceId: d.managedDeviceId ?? '', DisplayName: i.displayName, PolicyId: i.id, PolicyInstallStatus: str(ITEM_STATUS_CODES[i.status]) })),
};

const seconds = (ms: number) => str(Math.round(ms / 1000));
const deploymentStateCode = (s: (typeof DEPLOYMENT_STATES)[number]) => str(DEPLOYMENT_STATES.indexOf(s));

const autopilotV1: ReportDefinition = {
  name: 'AutopilotV1DeploymentStatus',
  columns: [
    'AccountSetupDuration', 'AutopilotProfileName', 'DeploymentDuration', 'DeploymentEndDateTime', 'DeploymentStartDateTime', 'DeploymentState',
    'DeploymentTotalDuration', 'DeviceId', 'DeviceName', 'DeviceRegisteredDateTime', 'DeviceSerialNumber', 'DeviceSetupDuration', 'DeviceSetupStatus',
    'EnrollmentDateTime', 'EnrollmentMethod', 'EnrollmentStatus', 'ESPPolicyId', 'ESPPolicyName', 'EspDeviceSetupFailureDetails',
    'EspUserSetupFailureDetails', 'FailureDetails', 'FailureReason', 'OS', 'OSVersion', 'UPN', 'UserId', 'UserSetupStatus',
  ],
  source: 'classicAutopilot',
  rows: ({ data: d }, lookups, asOf) => {
    const f = classicFacts(d, asOf);
    const error = d.status === 'failed' ? d.error : null;
    const registered = d.profile ? lookups.registeredAt.get(d.profile.autopilotDeviceId) : undefined;
    return [
      {
        AccountSetupDuration: seconds(f.accountSetupMs),
        AutopilotProfileName: d.profile?.displayName ?? '',
        DeploymentDuration: seconds(f.deploymentMs),
        DeploymentEndDateTime: reportDateTime(f.endedAt),
        DeploymentStartDateTime: reportDateTime(d.startedAt),
        DeploymentState: deploymentStateCode(f.deploymentState),
        DeploymentTotalDuration: seconds(f.totalMs),
        DeviceId: d.managedDeviceId ?? '',
        DeviceName: d.deviceName ?? '',
        DeviceRegisteredDateTime: reportDateTime(registered ?? null),
        DeviceSerialNumber: d.serialNumber,
        DeviceSetupDuration: seconds(f.deviceSetupMs),
        DeviceSetupStatus: deploymentStateCode(f.deviceSetupStatus),
        EnrollmentDateTime: reportDateTime(f.enrolledAt),
        EnrollmentMethod: str(ENROLLMENT_TYPES.indexOf(USER_DRIVEN_ENTRA_JOIN)),
        EnrollmentStatus: str(ENROLLMENT_STATES.indexOf(f.enrollmentState)),
        ESPPolicyId: d.statusPage?.id ?? '',
        ESPPolicyName: d.statusPage?.displayName ?? '',
        EspDeviceSetupFailureDetails: f.deviceSetupFailure ?? '',
        EspUserSetupFailureDetails: f.accountSetupFailure ?? '',
        FailureDetails: error?.message ?? '',
        FailureReason: error?.code ?? '',
        OS: 'Windows',
        OSVersion: lookups.osVersions.get(d.deviceId) ?? '',
        UPN: d.userPrincipalName,
        UserId: d.userId ?? '',
        UserSetupStatus: deploymentStateCode(f.accountSetupStatus),
      },
    ];
  },
};

export const REPORTS: readonly ReportDefinition[] = [autopilotV2, autopilotV2Apps, autopilotV2Scripts, autopilotV1];

/** A report by name, matched ignoring case (Intune's report names are case-insensitive). */
export function findReport(name: string): ReportDefinition | undefined {
  const lower = name.toLowerCase();
  return REPORTS.find((r) => r.name.toLowerCase() === lower);
}
