// Thin Graph routes of /deviceManagement/windowsAutopilotDeviceIdentities: list and get (with each device's
// deployment profile status, computed when read, and $expand=deploymentProfile,intendedDeploymentProfile
// as the WindowsAutopilotIntune module asks), $count, delete, and the actions assignUserToDevice,
// unassignUserFromDevice and updateDeviceProperties.
import { sql, type SqlBool } from 'kysely';
import { noContent, ok, requireObjectBody, type GraphRequest, type GraphResult, type GraphRouteDef } from '../graph/route.js';
import { entityResult, listCollection, type CollectionSource, countCollection } from '../graph/collection.js';
import { parseSelect } from '../graph/odata/index.js';
import type { Scope } from '../server/context.js';
import { GraphError } from '../graph/errors.js';
import { intuneBadRequest } from './errors.js';
import { getIntuneObject, type IntuneObject } from './resource.js';
import { autopilotDevices as res, COMPUTED_PROPERTIES, deviceIdentityShape, deviceIdentityV1Shape } from './autopilot-device-resource.js';
import { assignUserToDevice, deleteAutopilotDevice, unassignUserFromDevice, updateDeviceProperties } from './autopilot-device-actions.js';
import { deviceRefs, profileStates, withProfileState, type ProfileState } from './autopilot-profile-status.js';
import { AUTOPILOT_DEVICES } from './autopilot-collections.js';

const PATH = res.path;

async function stateOf(scope: Scope, id: string): Promise<ProfileState> {
  const [ref] = await deviceRefs(scope, AUTOPILOT_DEVICES, [id]);
  return (await profileStates(scope, ref ? [ref] : [])).get(id) ?? { status: 'notAssigned', profile: null, assignedDateTime: null };
}

const profileNavigation = {
  single: true,
  load: async (scope: Scope, id: string) => {
    const { profile } = await stateOf(scope, id);
    return profile ? [profile] : [];
  },
};

const source: CollectionSource = {
  table: 'intune_objects',
  shape: deviceIdentityV1Shape,
  betaShape: deviceIdentityShape,
  contextPath: PATH.slice(1),
  directory: false,
  polymorphic: true,
  // The profile the device has and the one it is meant to have: the same, as Tarmac assigns at once.
  navigations: { deploymentProfile: profileNavigation, intendedDeploymentProfile: profileNavigation },
};

const inCollection = sql<SqlBool>`collection = ${AUTOPILOT_DEVICES}`;
const COMPUTED = new RegExp(`\\b(${COMPUTED_PROPERTIES.join('|')})\\b`, 'i');

/** The profile status is computed, not stored: the database cannot filter or sort on it. */
function refuseComputedQuery(req: GraphRequest): void {
  for (const [option, text] of [['$filter', req.query.filter], ['$orderby', req.query.orderby]] as const) {
    const m = text !== undefined ? COMPUTED.exec(text) : null;
    if (m) throw intuneBadRequest(`${option} on '${m[1]}' is not supported: Tarmac computes it when it reads each device. Filter the results instead.`, option);
  }
}

/** Adds each listed device's profile status (beta only; honouring $select). */
async function listDevices(req: GraphRequest): Promise<GraphResult> {
  refuseComputedQuery(req);
  const result = await listCollection(req, source, inCollection);
  if (req.version !== 'beta') return result;
  const body = result.body as { value: Record<string, unknown>[] };
  const select = req.query.select !== undefined ? new Set(parseSelect(req.query.select, deviceIdentityShape)) : undefined;
  if (select && !COMPUTED_PROPERTIES.some((p) => select.has(p))) return result;
  const states = await profileStates(req.scope, await deviceRefs(req.scope, AUTOPILOT_DEVICES, body.value.map((d) => String(d.id))));
  body.value = body.value.map((item) => {
    const state = states.get(String(item.id));
    if (!state) return item;
    const full = withProfileState({}, state);
    const added = Object.fromEntries(Object.entries(full).filter(([k]) => !select || select.has(k)));
    return { ...item, ...added };
  });
  return result;
}

async function getDevice(req: GraphRequest): Promise<GraphResult> {
  const device = await getIntuneObject(req.scope, res, req.params.id!);
  const shown: IntuneObject = req.version === 'beta' ? (withProfileState(device, await stateOf(req.scope, device.id)) as IntuneObject) : device;
  return entityResult(req, source, shown);
}

const base = { versions: res.versions } as const;
const read = res.permissions.read;
const write = res.permissions.write;

export const autopilotDeviceRoutes: GraphRouteDef[] = [
  { ...base, method: 'GET', path: PATH, permissions: read, handler: listDevices },
  {
    ...base,
    method: 'GET',
    path: `${PATH}/$count`,
    permissions: read,
    handler: (req) => countCollection(req, source, inCollection),
  },
  { ...base, method: 'GET', path: `${PATH}/:id`, permissions: read, handler: getDevice },
  { ...base, method: 'DELETE', path: `${PATH}/:id`, permissions: write, handler: async (req) => (await deleteAutopilotDevice(req.scope, req.params.id!), noContent) },
  {
    ...base,
    method: 'POST',
    path: `${PATH}/:id/assignUserToDevice`,
    permissions: write,
    handler: async (req) => (await assignUserToDevice(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    ...base,
    method: 'POST',
    path: `${PATH}/:id/unassignUserFromDevice`,
    permissions: write,
    handler: async (req) => (await unassignUserFromDevice(req.scope, req.params.id!), noContent),
  },
  {
    ...base,
    method: 'POST',
    path: `${PATH}/:id/updateDeviceProperties`,
    permissions: write,
    handler: async (req) => (await updateDeviceProperties(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    method: 'GET',
    path: `${PATH}/:id/deploymentProfile`,
    versions: ['beta'],
    permissions: read,
    handler: async (req) => {
      await getIntuneObject(req.scope, res, req.params.id!);
      const { profile } = await stateOf(req.scope, req.params.id!);
      if (!profile) throw new GraphError(404, 'NotFound', 'The device has no deployment profile assigned.');
      return ok({ '@odata.context': `${req.origin}/beta/$metadata#deviceManagement/windowsAutopilotDeploymentProfiles/$entity`, ...profile });
    },
  },
];
