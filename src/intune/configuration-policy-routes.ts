// Graph routes of /beta/deviceManagement/configurationPolicies (thin: parse, call a service, serialise):
// the collection, $expand=settings/assignments, /settings, assignments and assign, reorder, createCopy, and the
// enrollment-time device membership and just-in-time actions of device preparation policies.
// Source: Graph beta deviceManagementConfigurationPolicy "Methods" table; graph-api.md §4.
import { sql } from 'kysely';
import { created, noContent, ok, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, memoryCollection, type CollectionSource, countCollection } from '../graph/collection.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import type { Navigation } from '../graph/expand.js';
import { GraphError } from '../graph/errors.js';
import { inTransaction } from '../server/context.js';
import { getIntuneObject } from './resource.js';
import { intuneSource } from './routes-builder.js';
import { getAssignment, listAssignments } from './assignments.js';
import { CONFIGURATION_POLICIES, configurationPolicies, configurationRead, configurationWrite } from './configuration-policies.js';
import { loadSettings } from './configuration-policy-settings.js';
import { copyConfigurationPolicy, createConfigurationPolicy, deleteConfigurationPolicy, policySettings, updateConfigurationPolicy } from './configuration-policy-service.js';
import { addPolicyAssignment, assignPolicy, policyAssignmentKind, POLICY_ASSIGNMENT_TYPE, removePolicyAssignment } from './configuration-policy-assignments.js';
import { reorderPolicy } from './policy-priority.js';
import {
  assignJustInTimeConfiguration,
  clearEnrollmentTimeDeviceMembershipTarget,
  retrieveEnrollmentTimeDeviceMembershipTarget,
  retrieveJustInTimeConfiguration,
  setEnrollmentTimeDeviceMembershipTarget,
} from './enrollment-time-device-membership.js';

const BASE = '/deviceManagement/configurationPolicies';
const base = { versions: ['beta'] as const };

const navigations: Record<string, Navigation> = {
  settings: { load: (scope, id) => loadSettings(scope, id), contained: true },
  assignments: { load: (scope, id) => listAssignments(scope, policyAssignmentKind, id) },
};
const src: CollectionSource = { ...intuneSource(configurationPolicies), navigations };

const SETTING_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.deviceManagementConfigurationSetting',
  properties: { id: { kind: 'string' }, settingInstance: { kind: 'complex', properties: {} } },
};
const ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.deviceManagementConfigurationPolicyAssignment',
  properties: { id: { kind: 'string' }, target: { kind: 'complex', properties: {} }, source: { kind: 'string' }, sourceId: { kind: 'string' } },
};

const inCollection = sql<boolean>`collection = ${CONFIGURATION_POLICIES}`;
const policyPath = (req: GraphRequest, nav: string) => `deviceManagement/configurationPolicies('${req.params.id}')/${nav}`;
const policyOf = (req: GraphRequest) => getIntuneObject(req.scope, configurationPolicies, req.params.id!);
/** An action's result: a complex value is the object itself, a primitive is wrapped in `value` (OData JSON). */
const complexResult = (req: GraphRequest, typeName: string, value: Record<string, unknown>) => ok({ '@odata.context': contextUrl(req, typeName), ...value });
const booleanResult = (req: GraphRequest, value: boolean) => ok({ '@odata.context': contextUrl(req, 'Edm.Boolean'), value });
/** Actions that take no parameters accept an empty or absent body. */
const optionalBody = (body: unknown) => (body === undefined || body === null || body === '' ? {} : requireObjectBody(body));

export const configurationPolicyRoutes: GraphRouteDef[] = [
  { ...base, method: 'GET', path: BASE, permissions: configurationRead, handler: (req) => listCollection(req, src, inCollection) },
  {
    ...base,
    method: 'GET',
    path: `${BASE}/$count`,
    permissions: configurationRead,
    handler: (req) => countCollection(req, src, inCollection),
  },
  {
    ...base,
    method: 'POST',
    path: BASE,
    permissions: configurationWrite,
    handler: async (req) => entityResult(req, src, await createConfigurationPolicy(req.scope, requireObjectBody(req.body)), 201),
  },
  { ...base, method: 'GET', path: `${BASE}/:id`, permissions: configurationRead, handler: async (req) => entityResult(req, src, await policyOf(req)) },
  {
    ...base,
    method: 'PATCH',
    path: `${BASE}/:id`,
    permissions: configurationWrite,
    handler: async (req) => (await updateConfigurationPolicy(req.scope, req.params.id!, requireObjectBody(req.body), false), noContent),
  },
  {
    ...base,
    method: 'PUT',
    path: `${BASE}/:id`,
    permissions: configurationWrite,
    handler: async (req) => (await updateConfigurationPolicy(req.scope, req.params.id!, requireObjectBody(req.body), true), noContent),
  },
  { ...base, method: 'DELETE', path: `${BASE}/:id`, permissions: configurationWrite, handler: async (req) => (await deleteConfigurationPolicy(req.scope, req.params.id!), noContent) },
  {
    ...base,
    method: 'GET',
    path: `${BASE}/:id/settings`,
    permissions: configurationRead,
    handler: async (req) => memoryCollection(req, policyPath(req, 'settings'), await policySettings(req.scope, req.params.id!), SETTING_SHAPE, { typed: true }),
  },
  {
    ...base,
    method: 'GET',
    path: `${BASE}/:id/settings/:settingId`,
    permissions: configurationRead,
    handler: async (req) => {
      const setting = (await policySettings(req.scope, req.params.id!)).find((s) => s.id === req.params.settingId);
      if (!setting) throw new GraphError(404, 'NotFound', `Policy '${req.params.id}' has no setting with id '${req.params.settingId}'.`);
      return ok({ '@odata.context': contextUrl(req, policyPath(req, 'settings'), undefined, true), ...setting });
    },
  },
  {
    ...base,
    method: 'GET',
    path: `${BASE}/:id/assignments`,
    permissions: configurationRead,
    handler: async (req) => {
      const policy = await policyOf(req);
      return memoryCollection(req, policyPath(req, 'assignments'), await listAssignments(req.scope, policyAssignmentKind, policy.id), ASSIGNMENT_SHAPE, { typed: true });
    },
  },
  {
    ...base,
    method: 'GET',
    path: `${BASE}/:id/assignments/:assignmentId`,
    permissions: configurationRead,
    handler: async (req) =>
      ok({ '@odata.context': contextUrl(req, policyPath(req, 'assignments'), undefined, true), ...(await getAssignment(req.scope, policyAssignmentKind, req.params.id!, req.params.assignmentId!)) }),
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/assignments`,
    permissions: configurationWrite,
    handler: async (req) => created({ '@odata.context': contextUrl(req, policyPath(req, 'assignments'), undefined, true), ...(await addPolicyAssignment(req.scope, req.params.id!, requireObjectBody(req.body))) }),
  },
  {
    ...base,
    method: 'DELETE',
    path: `${BASE}/:id/assignments/:assignmentId`,
    permissions: configurationWrite,
    handler: async (req) => (await removePolicyAssignment(req.scope, req.params.id!, req.params.assignmentId!), noContent),
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/assign`,
    permissions: configurationWrite,
    handler: async (req) => {
      const list = await assignPolicy(req.scope, req.params.id!, requireObjectBody(req.body).assignments ?? []);
      return ok({ '@odata.context': contextUrl(req, `Collection(${POLICY_ASSIGNMENT_TYPE.slice(1)})`), value: list });
    },
  },
  // Graph documents DeviceManagementConfiguration.Read.All for reorder and the membership actions.
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/reorder`,
    permissions: configurationWrite,
    handler: async (req) => {
      const body = requireObjectBody(req.body);
      await inTransaction(req.scope, async (tx) => reorderPolicy(tx, await getIntuneObject(tx, configurationPolicies, req.params.id!), body));
      return noContent;
    },
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/createCopy`,
    permissions: configurationWrite,
    handler: async (req) => entityResult(req, src, await copyConfigurationPolicy(req.scope, req.params.id!, requireObjectBody(req.body)), 200),
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/setEnrollmentTimeDeviceMembershipTarget`,
    permissions: configurationRead,
    handler: async (req) =>
      complexResult(req, 'microsoft.graph.enrollmentTimeDeviceMembershipTargetResult', await setEnrollmentTimeDeviceMembershipTarget(req.scope, await policyOf(req), requireObjectBody(req.body))),
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/retrieveEnrollmentTimeDeviceMembershipTarget`,
    permissions: configurationRead,
    handler: async (req) => {
      optionalBody(req.body);
      return complexResult(req, 'microsoft.graph.enrollmentTimeDeviceMembershipTargetResult', await retrieveEnrollmentTimeDeviceMembershipTarget(req.scope, await policyOf(req)));
    },
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/clearEnrollmentTimeDeviceMembershipTarget`,
    permissions: configurationRead,
    handler: async (req) => {
      optionalBody(req.body);
      return booleanResult(req, await clearEnrollmentTimeDeviceMembershipTarget(req.scope, await policyOf(req)));
    },
  },
  {
    ...base,
    method: 'POST',
    path: `${BASE}/:id/assignJustInTimeConfiguration`,
    permissions: configurationRead,
    handler: async (req) => booleanResult(req, await assignJustInTimeConfiguration(req.scope, await policyOf(req), requireObjectBody(req.body))),
  },
  ...(['POST', 'GET'] as const).map(
    (method): GraphRouteDef => ({
      ...base,
      method,
      path: `${BASE}/:id/retrieveJustInTimeConfiguration`,
      permissions: configurationRead,
      handler: async (req) => {
        if (method === 'POST') optionalBody(req.body);
        return complexResult(req, 'microsoft.graph.deviceManagementConfigurationJustInTimeAssignmentPolicy', await retrieveJustInTimeConfiguration(req.scope, await policyOf(req)));
      },
    }),
  ),
];
