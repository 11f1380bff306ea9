// Thin Graph routes of /deviceManagement/windowsAutopilotDeploymentProfiles: the profile itself (list and get
// with $expand=assignments or assignedDevices, create, PATCH, delete), its assignments (to device groups, with
// exclusions, or to all devices) and assignedDevices, the Autopilot devices that get it.
// Assignment ids follow Intune's form `{profileId}_{groupId}_0`, which the WindowsAutopilotIntune module
// computes to delete an assignment (Remove-AutopilotProfileAssignments); exclusions end in `_1`.
import { sql, type SqlBool } from 'kysely';
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import { created, noContent, ok, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, memoryCollection, type CollectionSource, countCollection } from '../graph/collection.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import { readJson } from '../store/db.js';
import { intuneBadRequest, textOf } from './errors.js';
import { createIntuneObject, deleteIntuneObject, getIntuneObject, updateIntuneObject } from './resource.js';
import { ALL_DEVICES_TARGET, EXCLUSION_TARGET, GROUP_TARGET, addAssignment, deleteAssignment, getAssignment, listAssignments, type AssignmentKind } from './assignments.js';
import { intuneSource } from './routes-builder.js';
import { autopilotProfiles as res } from './autopilot-profiles.js';
import { deviceIdentityShape } from './autopilot-device-resource.js';
import { profileStates, refOf, withProfileState } from './autopilot-profile-status.js';
import { AUTOPILOT_DEVICES, PROFILE_ASSIGNMENT_TYPE } from './autopilot-collections.js';

const PATH = res.path;
/** Intune's id for the virtual "All devices" group in assignment ids. */
const ALL_DEVICES_GROUP = 'adadadad-808e-44e2-905a-0b7873a8a531';

export const profileAssignmentKind: AssignmentKind = {
  collection: res.collection,
  odataType: PROFILE_ASSIGNMENT_TYPE,
  targets: [GROUP_TARGET, EXCLUSION_TARGET, ALL_DEVICES_TARGET],
  extraProperties: ['source', 'sourceId'],
  assignmentId: (profileId, target) => `${profileId}_${String(target.groupId ?? ALL_DEVICES_GROUP)}_${target['@odata.type'] === EXCLUSION_TARGET ? 1 : 0}`,
};

/** The Autopilot devices whose profile is this one (all devices are read: use on demand only). */
async function assignedDevices(scope: Scope, profileId: string): Promise<Record<string, unknown>[]> {
  const rows = await scope.db
    .selectFrom('intune_objects')
    .select(['id', 'data', 'created_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', AUTOPILOT_DEVICES)
    .orderBy('id')
    .execute();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ id: r.id, data: readJson(r.data), createdAt: r.created_at }));
    const states = await profileStates(scope, chunk.map((r) => refOf(r.id, r.data, r.createdAt)));
    for (const r of chunk) {
      const state = states.get(r.id)!;
      if (state.profile?.id === profileId) out.push(withProfileState({ id: r.id, ...r.data }, state));
    }
  }
  return out;
}

const source: CollectionSource = {
  ...intuneSource(res),
  navigations: {
    assignments: { load: (scope, id) => listAssignments(scope, profileAssignmentKind, id) },
    assignedDevices: { load: assignedDevices },
  },
};

const ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.windowsAutopilotDeploymentProfileAssignment',
  properties: { id: { kind: 'string' }, target: { kind: 'complex', properties: {} }, source: { kind: 'string' }, sourceId: { kind: 'string' } },
};

/** `POST …/assignments`: one more target; the same target twice is refused, assignment filters are not supported. */
async function addProfileAssignment(scope: Scope, profileId: string, body: Record<string, unknown>) {
  const target = body.target as Record<string, unknown> | undefined;
  const filterType = target && typeof target === 'object' ? target.deviceAndAppManagementAssignmentFilterType : undefined;
  if (filterType !== undefined && filterType !== null && filterType !== 'none') {
    throw intuneBadRequest('Autopilot deployment profiles do not support assignment filters.', 'target.deviceAndAppManagementAssignmentFilterType');
  }
  return inTransaction(scope, async (tx) => {
    await getIntuneObject(tx, res, profileId);
    const stored = { source: 'direct', sourceId: profileId, ...body };
    const existing = await listAssignments(tx, profileAssignmentKind, profileId);
    const type = textOf((target as Record<string, unknown> | undefined)?.['@odata.type'] ?? '').replace(/^#?/, '#').toLowerCase();
    const groupId = textOf((target as Record<string, unknown> | undefined)?.groupId ?? '').toLowerCase();
    if (existing.some((a) => String(a.target['@odata.type']).toLowerCase() === type && String(a.target.groupId ?? '') === groupId)) {
      throw intuneBadRequest('This target is already assigned to the profile.', 'target');
    }
    return addAssignment(tx, profileAssignmentKind, profileId, stored);
  });
}

const inCollection = sql<SqlBool>`collection = ${res.collection}`;
const assignmentsPath = (req: GraphRequest) => `${PATH.slice(1)}('${req.params.id}')/assignments`;
const base = { versions: res.versions } as const;
const read = res.permissions.read;
const write = res.permissions.write;

export const autopilotProfileRoutes: GraphRouteDef[] = [
  { ...base, method: 'GET', path: PATH, permissions: read, handler: (req) => listCollection(req, source, inCollection) },
  {
    ...base,
    method: 'GET',
    path: `${PATH}/$count`,
    permissions: read,
    handler: (req) => countCollection(req, source, inCollection),
  },
  {
    ...base,
    method: 'POST',
    path: PATH,
    permissions: write,
    handler: async (req) => entityResult(req, source, await createIntuneObject(req.scope, res, requireObjectBody(req.body)), 201),
  },
  { ...base, method: 'GET', path: `${PATH}/:id`, permissions: read, handler: async (req) => entityResult(req, source, await getIntuneObject(req.scope, res, req.params.id!)) },
  {
    ...base,
    method: 'PATCH',
    path: `${PATH}/:id`,
    permissions: write,
    handler: async (req) => (await updateIntuneObject(req.scope, res, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { ...base, method: 'DELETE', path: `${PATH}/:id`, permissions: write, handler: async (req) => (await deleteIntuneObject(req.scope, res, req.params.id!), noContent) },
  {
    ...base,
    method: 'GET',
    path: `${PATH}/:id/assignedDevices`,
    permissions: read,
    handler: async (req) => {
      await getIntuneObject(req.scope, res, req.params.id!);
      const devices = await assignedDevices(req.scope, req.params.id!);
      return memoryCollection(req, `${PATH.slice(1)}('${req.params.id}')/assignedDevices`, devices, deviceIdentityShape, { typed: true });
    },
  },
  {
    ...base,
    method: 'GET',
    path: `${PATH}/:id/assignments`,
    permissions: read,
    handler: async (req) => {
      await getIntuneObject(req.scope, res, req.params.id!);
      return memoryCollection(req, assignmentsPath(req), await listAssignments(req.scope, profileAssignmentKind, req.params.id!), ASSIGNMENT_SHAPE, { typed: true });
    },
  },
  {
    ...base,
    method: 'GET',
    path: `${PATH}/:id/assignments/:assignmentId`,
    permissions: read,
    handler: async (req) =>
      ok({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await getAssignment(req.scope, profileAssignmentKind, req.params.id!, req.params.assignmentId!)) }),
  },
  {
    ...base,
    method: 'POST',
    path: `${PATH}/:id/assignments`,
    permissions: write,
    handler: async (req) =>
      created({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await addProfileAssignment(req.scope, req.params.id!, requireObjectBody(req.body))) }),
  },
  {
    ...base,
    method: 'DELETE',
    path: `${PATH}/:id/assignments/:assignmentId`,
    permissions: write,
    handler: async (req) => (await deleteAssignment(req.scope, profileAssignmentKind, req.params.id!, req.params.assignmentId!), noContent),
  },
];
