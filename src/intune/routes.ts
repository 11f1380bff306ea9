// Every Intune route, area by area (each area file defines its resources and routes).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/context.js';
import { registerGraphRoutes } from '../graph/route.js';
import { assignmentFilterRoutes } from './assignment-filters.js';
import { roleScopeTagRoutes } from './scope-tags.js';
import { enrollmentConfigurationRoutes } from './enrollment-configuration-routes.js';
import { configurationPolicyRoutes } from './configuration-policy-routes.js';
import { appsScriptsDevicesRoutes } from './apps-scripts-devices.js';
import { autopilotRoutes } from './autopilot-routes.js';

export function registerIntuneRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGraphRoutes(app, ctx, [...roleScopeTagRoutes, ...assignmentFilterRoutes, ...enrollmentConfigurationRoutes, ...configurationPolicyRoutes, ...appsScriptsDevicesRoutes, ...autopilotRoutes]);
}
