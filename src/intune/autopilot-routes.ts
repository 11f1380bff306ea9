// Every Graph route of Windows Autopilot registration: corporate identifiers, hardware hash imports, the
// registered devices, deployment profiles and their assignments, and the Autopilot settings (sync).
import type { GraphRouteDef } from '../graph/route.js';
import { corporateIdentifierRoutes } from './corporate-identifiers.js';
import { autopilotImportRoutes } from './autopilot-imports.js';
import { autopilotDeviceRoutes } from './autopilot-devices.js';
import { autopilotProfileRoutes } from './autopilot-profile-routes.js';
import { autopilotSettingsRoutes } from './autopilot-settings.js';

export const autopilotRoutes: GraphRouteDef[] = [
  ...corporateIdentifierRoutes,
  ...autopilotImportRoutes,
  ...autopilotDeviceRoutes,
  ...autopilotProfileRoutes,
  ...autopilotSettingsRoutes,
];
