// The windowsAutopilotDeviceIdentity resource (/deviceManagement/windowsAutopilotDeviceIdentities): its shapes
// (v1.0 and beta) and its definition in the Intune resource model. A device identity is created by an import,
// never by a client's POST; its deployment profile status is computed when it is read.
// Source: Graph beta windowsAutopilotDeviceIdentity (graph-api.md §6.1).
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { GRAPH_ENTITIES } from '../graph/schema/entities.generated.js';
import { intuneBadRequest } from './errors.js';
import type { IntuneResource } from './resource.js';
import { serialKey } from './autopilot-registration.js';
import { AUTOPILOT_DEVICES, DEVICE_IDENTITY_TYPE, serviceConfigRead, serviceConfigWrite } from './autopilot-collections.js';

const str: PropType = { kind: 'string' };
const datetime: PropType = { kind: 'datetime' };
const enumeration: PropType = { kind: 'enum' };

/** Every property of the beta type, typed so that $filter, $orderby and $select work on each. */
export const deviceIdentityShape: ResourceShape = intuneShape('windowsAutopilotDeviceIdentity', {
  deploymentProfileAssignmentStatus: enumeration,
  deploymentProfileAssignmentDetailedStatus: enumeration,
  deploymentProfileAssignedDateTime: datetime,
  groupTag: str,
  purchaseOrderIdentifier: str,
  serialNumber: str,
  productKey: str,
  manufacturer: str,
  model: str,
  enrollmentState: enumeration,
  lastContactedDateTime: datetime,
  addressableUserName: str,
  userPrincipalName: str,
  resourceName: str,
  skuNumber: str,
  systemFamily: str,
  azureActiveDirectoryDeviceId: str,
  azureAdDeviceId: str,
  managedDeviceId: str,
  displayName: str,
  deviceAccountUpn: str,
  deviceAccountPassword: str,
  deviceFriendlyName: str,
  remediationState: enumeration,
  remediationStateLastModifiedDateTime: datetime,
  userlessEnrollmentStatus: enumeration,
});

/** v1.0 has only the properties Microsoft's v1.0 metadata lists. */
export const deviceIdentityV1Shape: ResourceShape = {
  ...deviceIdentityShape,
  properties: Object.fromEntries(
    Object.entries(deviceIdentityShape.properties).filter(([name]) => name === 'id' || name in GRAPH_ENTITIES.windowsAutopilotDeviceIdentity.v1),
  ),
};

/** Properties computed when a device is read: they cannot be filtered or sorted on in the database. */
export const COMPUTED_PROPERTIES = ['deploymentProfileAssignmentStatus', 'deploymentProfileAssignedDateTime'] as const;

export const autopilotDevices: IntuneResource = {
  collection: AUTOPILOT_DEVICES,
  path: '/deviceManagement/windowsAutopilotDeviceIdentities',
  versions: ['v1.0', 'beta'],
  types: { [DEVICE_IDENTITY_TYPE]: deviceIdentityShape },
  defaultType: DEVICE_IDENTITY_TYPE,
  shape: deviceIdentityShape,
  permissions: { read: serviceConfigRead, write: serviceConfigWrite },
  scopeTags: false,
  uniqueKey: (data) => serialKey(String(data.serialNumber ?? '')),
  duplicateError: (key) => intuneBadRequest(`A device with serial number '${key}' is already registered (ZtdDeviceAlreadyAssigned).`, 'serialNumber'),
};
