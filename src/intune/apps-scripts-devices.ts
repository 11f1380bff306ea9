// The Graph routes of mobile apps, platform scripts and managed devices (one entry for routes.ts).
import type { GraphRouteDef } from '../graph/route.js';
import { mobileAppRoutes } from './mobile-apps.js';
import { platformScriptRoutes } from './platform-scripts.js';
import { managedDeviceRoutes } from './managed-devices.js';

export const appsScriptsDevicesRoutes: GraphRouteDef[] = [...mobileAppRoutes, ...platformScriptRoutes, ...managedDeviceRoutes];
