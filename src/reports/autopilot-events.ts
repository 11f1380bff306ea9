// Classic Autopilot events (GET /beta/deviceManagement/autopilotEvents, graph-api.md §10.2): one
// deviceManagementAutopilotEvent per classic Autopilot deployment, kept 30 days on the tenant's clock like
// the Autopilot deployment report (behaviour.md §4). Built from the deployment records when read, so it is
// always what the engine stored. Properties and types: the beta resource page (every property of
// graph-schema.json's deviceManagementAutopilotEvent; durations are Edm.Duration).
import type { Scope } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { NEVER } from '../intune/autopilot-collections.js';
import { classicFacts, USER_DRIVEN_ENTRA_JOIN } from './classic-facts.js';
import { findRecord, recordPages, type DeploymentRecord, type RecordLookups } from './deployment-source.js';
import { graphDateTime, isoDuration } from './formats.js';

export const AUTOPILOT_EVENT_TYPE = '#microsoft.graph.deviceManagementAutopilotEvent';

const str: PropType = { kind: 'string' };
const datetime: PropType = { kind: 'datetime' };
const enumOf = (typeName: string): PropType => ({ kind: 'enum', typeName: `microsoft.graph.${typeName}` });

export const autopilotEventShape: ResourceShape = {
  typeName: 'microsoft.graph.deviceManagementAutopilotEvent',
  properties: {
    id: str,
    deviceId: str,
    userId: str,
    eventDateTime: datetime,
    deviceRegisteredDateTime: datetime,
    enrollmentStartDateTime: datetime,
    enrollmentType: enumOf('windowsAutopilotEnrollmentType'),
    deviceSerialNumber: str,
    managedDeviceName: str,
    userPrincipalName: str,
    windowsAutopilotDeploymentProfileDisplayName: str,
    enrollmentState: enumOf('enrollmentState'),
    windows10EnrollmentCompletionPageConfigurationDisplayName: str,
    windows10EnrollmentCompletionPageConfigurationId: str,
    deploymentState: enumOf('windowsAutopilotDeploymentState'),
    deviceSetupStatus: enumOf('windowsAutopilotDeploymentState'),
    accountSetupStatus: enumOf('windowsAutopilotDeploymentState'),
    osVersion: str,
    // Edm.Duration: compared as text, which orders durations of the same form.
    deploymentDuration: str,
    deploymentTotalDuration: str,
    deviceSetupDuration: str,
    accountSetupDuration: str,
    deploymentStartDateTime: datetime,
    deploymentEndDateTime: datetime,
    enrollmentFailureDetails: str,
  },
};

const at = (ms: number | null | undefined) => (ms === null || ms === undefined ? NEVER : graphDateTime(ms));

/** The event of one classic deployment, as of `asOf` (tenant ms). */
export function autopilotEventOf({ id, data: d }: DeploymentRecord, lookups: RecordLookups, asOf: number): Record<string, unknown> {
  const f = classicFacts(d, asOf);
  return {
    '@odata.type': AUTOPILOT_EVENT_TYPE,
    id,
    deviceId: d.managedDeviceId,
    userId: d.userId,
    eventDateTime: at(f.eventAt),
    deviceRegisteredDateTime: at(d.profile ? lookups.registeredAt.get(d.profile.autopilotDeviceId) : null),
    enrollmentStartDateTime: at(d.startedAt),
    enrollmentType: USER_DRIVEN_ENTRA_JOIN,
    deviceSerialNumber: d.serialNumber,
    managedDeviceName: d.deviceName,
    userPrincipalName: d.userPrincipalName,
    windowsAutopilotDeploymentProfileDisplayName: d.profile?.displayName ?? null,
    enrollmentState: f.enrollmentState,
    windows10EnrollmentCompletionPageConfigurationDisplayName: d.statusPage?.displayName ?? null,
    windows10EnrollmentCompletionPageConfigurationId: d.statusPage?.id ?? null,
    deploymentState: f.deploymentState,
    deviceSetupStatus: f.deviceSetupStatus,
    accountSetupStatus: f.accountSetupStatus,
    osVersion: lookups.osVersions.get(d.deviceId) ?? null,
    deploymentDuration: isoDuration(f.deploymentMs),
    deploymentTotalDuration: isoDuration(f.totalMs),
    deviceSetupDuration: isoDuration(f.deviceSetupMs),
    accountSetupDuration: isoDuration(f.accountSetupMs),
    deploymentStartDateTime: at(d.startedAt),
    deploymentEndDateTime: at(f.endedAt),
    enrollmentFailureDetails: f.enrollmentFailure,
  };
}

/** Every event still kept, oldest deployment first. */
export async function listAutopilotEvents(scope: Scope): Promise<Record<string, unknown>[]> {
  const asOf = scope.clock.now();
  const out: Record<string, unknown>[] = [];
  for await (const { records, lookups } of recordPages(scope, 'classicAutopilot', asOf)) for (const r of records) out.push(autopilotEventOf(r, lookups, asOf));
  return out;
}

export async function getAutopilotEvent(scope: Scope, id: string): Promise<Record<string, unknown>> {
  const asOf = scope.clock.now();
  const found = await findRecord(scope, 'classicAutopilot', id, asOf);
  if (!found) throw new GraphError(404, 'NotFound', `No Autopilot event with id '${id}' exists in this tenant.`);
  return autopilotEventOf(found.record, found.lookups, asOf);
}
