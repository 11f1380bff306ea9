// Names shared by the classic Windows Autopilot files: the collections in `intune_objects`, the Graph types,
// the permissions (graph-api.md §11.4: DeviceManagementServiceConfig.*) and Intune's placeholder values.
import type { PermissionSet } from '../identity/permissions.js';

export const AUTOPILOT_DEVICES = 'windowsAutopilotDeviceIdentities';
export const AUTOPILOT_IMPORTS = 'importedWindowsAutopilotDeviceIdentities';
export const AUTOPILOT_PROFILES = 'windowsAutopilotDeploymentProfiles';
export const AUTOPILOT_SETTINGS = 'windowsAutopilotSettings';

export const DEVICE_IDENTITY_TYPE = '#microsoft.graph.windowsAutopilotDeviceIdentity';
export const IMPORTED_IDENTITY_TYPE = '#microsoft.graph.importedWindowsAutopilotDeviceIdentity';
export const IMPORT_STATE_TYPE = 'microsoft.graph.importedWindowsAutopilotDeviceIdentityState';
export const AZURE_AD_PROFILE_TYPE = '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile';
export const HYBRID_PROFILE_TYPE = '#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile';
export const PROFILE_ASSIGNMENT_TYPE = '#microsoft.graph.windowsAutopilotDeploymentProfileAssignment';

export const serviceConfigRead: PermissionSet = ['DeviceManagementServiceConfig.Read.All', 'DeviceManagementServiceConfig.ReadWrite.All'];
export const serviceConfigWrite: PermissionSet = ['DeviceManagementServiceConfig.ReadWrite.All'];

/** Intune's "never" for dates a device has not reached yet. */
export const NEVER = '0001-01-01T00:00:00Z';
/** Intune's value of `managedDeviceId` for a device that has not enrolled. */
export const NO_MANAGED_DEVICE = '00000000-0000-0000-0000-000000000000';
