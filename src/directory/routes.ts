// Graph routes of the directory: users, groups, devices, directoryObjects and the two Entra policies of
// the tutorials' first steps. Each route parses, calls a service, serialises.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/context.js';
import { noContent, ok, registerGraphRoutes, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { countCollection, entityResult, listCollection, memoryCollection, contextUrl, type CollectionSource } from '../graph/collection.js';
import { badRequest, GraphError } from '../graph/errors.js';
import { permissions as P } from '../identity/permissions.js';
import { groupShape, userShape, deviceShape, groupBetaShape, userBetaShape, deviceBetaShape } from '../graph/schema/shapes.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import { isGuid } from '../core/ids.js';
import { KINDS, findObject, findObjectsByIds, loadObjects } from './objects.js';
import type { ObjectKind } from './tables.js';
import {
  createUser,
  deleteUser,
  directReportsOf,
  findUserRow,
  getUser,
  managerOf,
  removeManager,
  setManager,
  updateUser,
  USER_DEFAULT_PROPERTIES,
} from './users.js';
import type { Scope } from '../server/context.js';
import type { Navigation } from '../graph/expand.js';
import * as groups from './groups.js';
import * as devices from './devices.js';
import { linkSources, linkTargets, type LinkTarget } from './links.js';
import { getDeviceRegistrationPolicy, putDeviceRegistrationPolicy } from './device-registration-policy.js';
import * as mdm from './mobility-policies.js';
import { explainMembership } from './dynamic-membership.js';
import { toEvaluateDynamicMembershipResult } from '../rules/index.js';

const groupRefs = (ids: readonly string[]): LinkTarget[] => ids.map((id) => ({ id, kind: 'group' as const }));
const deviceRefs = (ids: readonly string[]): LinkTarget[] => ids.map((id) => ({ id, kind: 'device' as const }));

/** A navigation property whose objects come from a list of references. */
const nav = (refs: (scope: Scope, id: string) => Promise<LinkTarget[]>, single = false): Navigation => ({
  load: async (scope, id) => loadObjects(scope, await refs(scope, id)),
  single,
});
const memberOfNav = nav(async (scope, id) => groupRefs(await groups.memberOf(scope, id)));

const usersSource: CollectionSource = {
  table: 'users',
  shape: userShape,
  betaShape: userBetaShape,
  contextPath: 'users',
  defaultSelect: USER_DEFAULT_PROPERTIES,
  directory: true,
  navigations: {
    memberOf: memberOfNav,
    transitiveMemberOf: nav(async (scope, id) => groupRefs(await groups.transitiveMemberOf(scope, id))),
    manager: nav(managerOf, true),
    directReports: nav(directReportsOf),
    registeredDevices: nav(async (scope, id) => deviceRefs(await linkSources(scope, 'registeredUsers', id))),
    ownedDevices: nav(async (scope, id) => deviceRefs(await linkSources(scope, 'registeredOwners', id))),
  },
};
const groupsSource: CollectionSource = {
  table: 'groups',
  shape: groupShape,
  betaShape: groupBetaShape,
  contextPath: 'groups',
  directory: true,
  navigations: { members: nav(groups.groupMembers), owners: nav(groups.groupOwners), memberOf: memberOfNav },
};
const devicesSource: CollectionSource = {
  table: 'devices',
  shape: deviceShape,
  betaShape: deviceBetaShape,
  contextPath: 'devices',
  directory: true,
  navigations: {
    registeredOwners: nav((scope, id) => linkTargets(scope, 'registeredOwners', id)),
    registeredUsers: nav((scope, id) => linkTargets(scope, 'registeredUsers', id)),
    memberOf: memberOfNav,
  },
};

/** Any directory object: the union of every kind's properties, for filters over mixed lists. */
const directoryObjectShape: ResourceShape = {
  typeName: 'microsoft.graph.directoryObject',
  properties: Object.assign({}, ...Object.values(KINDS).map((k) => k.shape.properties)),
  columns: { id: 'id' },
};

/** `members/microsoft.graph.user` style cast segments. */
function castKind(cast: string | undefined): ObjectKind | undefined {
  if (cast === undefined) return undefined;
  const kind = Object.values(KINDS).find((k) => k.odataType.slice(1).toLowerCase() === cast.toLowerCase());
  if (!kind) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${cast}'.`);
  return kind.kind;
}

/** Serves a list of directory objects (members, memberOf…) with optional cast segment. */
async function objectList(req: GraphRequest, contextPath: string, refs: readonly LinkTarget[]) {
  const kind = castKind(req.params.cast);
  const objects = await loadObjects(req.scope, kind ? refs.filter((r) => r.kind === kind) : refs);
  const shape = kind ? KINDS[kind].shape : directoryObjectShape;
  return memoryCollection(req, kind ? `${contextPath}/${KINDS[kind].odataType.slice(1)}` : contextPath, objects, shape, { typed: true, directory: true });
}

/** Routes shared by every kind of directory object: memberOf, transitiveMemberOf, checkMemberGroups, getMemberGroups. */
function membershipRoutes(prefix: string, read: readonly string[], resolve: (req: GraphRequest) => Promise<string>): GraphRouteDef[] {
  const permissions = [...read, ...P.groupsRead] as GraphRouteDef['permissions'];
  return [
    ...['', '/:cast'].flatMap((cast) => [
      {
        method: 'GET' as const,
        path: `${prefix}/memberOf${cast}`,
        permissions,
        handler: async (req: GraphRequest) => objectList(req, 'directoryObjects', groupRefs(await groups.memberOf(req.scope, await resolve(req)))),
      },
      {
        method: 'GET' as const,
        path: `${prefix}/transitiveMemberOf${cast}`,
        permissions,
        handler: async (req: GraphRequest) =>
          objectList(req, 'directoryObjects', groupRefs(await groups.transitiveMemberOf(req.scope, await resolve(req)))),
      },
    ]),
    {
      method: 'POST',
      path: `${prefix}/checkMemberGroups`,
      permissions,
      handler: async (req) =>
        ok({ '@odata.context': contextUrl(req, 'Collection(Edm.String)'), value: await groups.checkMemberGroups(req.scope, await resolve(req), requireObjectBody(req.body)) }),
    },
    {
      method: 'POST',
      path: `${prefix}/getMemberGroups`,
      permissions,
      handler: async (req) =>
        ok({ '@odata.context': contextUrl(req, 'Collection(Edm.String)'), value: await groups.getMemberGroups(req.scope, await resolve(req), requireObjectBody(req.body)) }),
    },
  ];
}

const userId = async (req: GraphRequest) => (await findUserRow(req.scope, req.params.id!)).id;
const groupId = async (req: GraphRequest) => (await groups.findGroupRow(req.scope, req.params.id!)).id;
const deviceId = async (req: GraphRequest) => (await devices.findDeviceRow(req.scope, req.params.id!)).id;

/** `DELETE …/members/$ref?$id=…` is the query-string form of `DELETE …/members/{id}/$ref`. */
function refIdFromQuery(req: GraphRequest): string {
  const raw = new URL(req.url, req.origin).searchParams.get('$id');
  const id = raw?.match(/([0-9a-fA-F-]{36})\)?'?\)?\/?$/)?.[1];
  if (!id) throw badRequest("Specify the reference to remove as '/{id}/$ref' or with the '$id' query parameter.");
  return id;
}

const userRoutes: GraphRouteDef[] = [
  { method: 'GET', path: '/users', permissions: P.usersRead, handler: (req) => listCollection(req, usersSource) },
  { method: 'GET', path: '/users/$count', permissions: P.usersRead, handler: (req) => countCollection(req, usersSource) },
  {
    method: 'POST',
    path: '/users',
    permissions: P.usersWrite,
    handler: async (req) => entityResult(req, usersSource, await createUser(req.scope, requireObjectBody(req.body)), 201),
  },
  { method: 'GET', path: '/users/:id', permissions: P.usersRead, handler: async (req) => entityResult(req, usersSource, await getUser(req.scope, req.params.id!)) },
  {
    method: 'PATCH',
    path: '/users/:id',
    permissions: P.usersWrite,
    handler: async (req) => (await updateUser(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { method: 'DELETE', path: '/users/:id', permissions: P.usersWrite, handler: async (req) => (await deleteUser(req.scope, req.params.id!), noContent) },
  ...(['registeredDevices', 'ownedDevices'] as const).map(
    (nav): GraphRouteDef => ({
      method: 'GET',
      path: `/users/:id/${nav}`,
      permissions: [...P.usersRead, ...P.devicesRead] as GraphRouteDef['permissions'],
      handler: async (req) => {
        const rel = nav === 'ownedDevices' ? 'registeredOwners' : 'registeredUsers';
        const ids = await linkSources(req.scope, rel, await userId(req));
        return objectList(req, 'directoryObjects', ids.map((id) => ({ id, kind: 'device' as const })));
      },
    }),
  ),
  {
    method: 'GET',
    path: '/users/:id/manager',
    permissions: P.usersRead,
    handler: async (req) => {
      const [manager] = await loadObjects(req.scope, await managerOf(req.scope, await userId(req)));
      if (!manager) throw new GraphError(404, 'Request_ResourceNotFound', "Resource 'manager' does not exist or one of its queried reference-property objects are not present.");
      return ok({ '@odata.context': contextUrl(req, 'directoryObjects', undefined, true), ...manager });
    },
  },
  { method: 'PUT', path: '/users/:id/manager/$ref', permissions: P.usersWrite, handler: async (req) => (await setManager(req.scope, req.params.id!, requireObjectBody(req.body)), noContent) },
  { method: 'DELETE', path: '/users/:id/manager/$ref', permissions: P.usersWrite, handler: async (req) => (await removeManager(req.scope, req.params.id!), noContent) },
  {
    method: 'GET',
    path: '/users/:id/directReports',
    permissions: P.usersRead,
    handler: async (req) => objectList(req, 'directoryObjects', await directReportsOf(req.scope, await userId(req))),
  },
  ...membershipRoutes('/users/:id', P.usersRead, userId),
  // `/me` is the signed-in user of a delegated token.
  { method: 'GET', path: '/me', permissions: P.usersRead, handler: async (req) => entityResult(req, usersSource, await getUser(req.scope, meId(req))) },
  ...membershipRoutes('/me', P.usersRead, async (req) => meId(req)),
];

function meId(req: GraphRequest): string {
  if (req.principal.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
  return req.principal.objectId;
}

const groupRoutes: GraphRouteDef[] = [
  { method: 'GET', path: '/groups', permissions: P.groupsRead, handler: (req) => listCollection(req, groupsSource) },
  { method: 'GET', path: '/groups/$count', permissions: P.groupsRead, handler: (req) => countCollection(req, groupsSource) },
  {
    method: 'POST',
    path: '/groups',
    permissions: P.groupsWrite,
    handler: async (req) => entityResult(req, groupsSource, await groups.createGroup(req.scope, requireObjectBody(req.body)), 201),
  },
  { method: 'GET', path: '/groups/:id', permissions: P.groupsRead, handler: async (req) => entityResult(req, groupsSource, await groups.getGroup(req.scope, req.params.id!)) },
  {
    method: 'PATCH',
    path: '/groups/:id',
    permissions: P.groupsWrite,
    handler: async (req) => (await groups.updateGroup(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { method: 'DELETE', path: '/groups/:id', permissions: P.groupsWrite, handler: async (req) => (await groups.deleteGroup(req.scope, req.params.id!), noContent) },
  ...['', '/:cast'].flatMap((cast): GraphRouteDef[] => [
    {
      method: 'GET',
      path: `/groups/:id/members${cast}`,
      permissions: P.groupsRead,
      handler: async (req) => objectList(req, 'directoryObjects', await groups.groupMembers(req.scope, await groupId(req))),
    },
    {
      method: 'GET',
      path: `/groups/:id/transitiveMembers${cast}`,
      permissions: P.groupsRead,
      handler: async (req) => objectList(req, 'directoryObjects', await groups.transitiveMembers(req.scope, await groupId(req))),
    },
    {
      method: 'GET',
      path: `/groups/:id/owners${cast}`,
      permissions: P.groupsRead,
      handler: async (req) => objectList(req, 'directoryObjects', await groups.groupOwners(req.scope, await groupId(req))),
    },
  ]),
  ...(['members', 'owners'] as const).flatMap((rel): GraphRouteDef[] => [
    {
      method: 'POST',
      path: `/groups/:id/${rel}/$ref`,
      permissions: rel === 'members' ? P.groupMembersWrite : P.groupsWrite,
      handler: async (req) => (await groups.addReference(req.scope, req.params.id!, rel, requireObjectBody(req.body)), noContent),
    },
    {
      method: 'DELETE',
      path: `/groups/:id/${rel}/:target/$ref`,
      permissions: rel === 'members' ? P.groupMembersWrite : P.groupsWrite,
      handler: async (req) => (await groups.removeReference(req.scope, req.params.id!, rel, req.params.target!), noContent),
    },
    {
      method: 'DELETE',
      path: `/groups/:id/${rel}/$ref`,
      permissions: rel === 'members' ? P.groupMembersWrite : P.groupsWrite,
      handler: async (req) => (await groups.removeReference(req.scope, req.params.id!, rel, refIdFromQuery(req)), noContent),
    },
  ]),
  ...membershipRoutes('/groups/:id', P.groupsRead, groupId),
  ...['/groups/evaluateDynamicMembership', '/groups/:id/evaluateDynamicMembership'].map(
    (path): GraphRouteDef => ({
      method: 'POST',
      path,
      versions: ['beta'],
      permissions: P.groupsRead,
      handler: async (req) => {
        const body = requireObjectBody(req.body);
        if (!req.params.id && body.membershipRule === undefined) throw badRequest("'membershipRule' is required.", 'membershipRule');
        const group = req.params.id ? await groupId(req) : undefined;
        const { rule, explanation } = await explainMembership(req.scope, { memberId: body.memberId, membershipRule: body.membershipRule, groupId: group });
        return ok({ '@odata.context': contextUrl(req, 'microsoft.graph.evaluateDynamicMembershipResult'), ...toEvaluateDynamicMembershipResult(rule, explanation) });
      },
    }),
  ),
];

const deviceRoutes: GraphRouteDef[] = [
  { method: 'GET', path: '/devices', permissions: P.devicesRead, handler: (req) => listCollection(req, devicesSource) },
  { method: 'GET', path: '/devices/$count', permissions: P.devicesRead, handler: (req) => countCollection(req, devicesSource) },
  {
    method: 'POST',
    path: '/devices',
    permissions: P.devicesWrite,
    handler: async (req) => entityResult(req, devicesSource, await devices.createDevice(req.scope, requireObjectBody(req.body)), 201),
  },
  { method: 'GET', path: '/devices/:id', permissions: P.devicesRead, handler: async (req) => entityResult(req, devicesSource, await devices.getDevice(req.scope, req.params.id!)) },
  {
    method: 'PATCH',
    path: '/devices/:id',
    permissions: P.devicesWrite,
    handler: async (req) => (await devices.updateDevice(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { method: 'DELETE', path: '/devices/:id', permissions: P.devicesWrite, handler: async (req) => (await devices.deleteDevice(req.scope, req.params.id!), noContent) },
  ...(['registeredOwners', 'registeredUsers'] as const).flatMap((rel): GraphRouteDef[] => [
    ...['', '/:cast'].map(
      (cast): GraphRouteDef => ({
        method: 'GET',
        path: `/devices/:id/${rel}${cast}`,
        permissions: P.devicesRead,
        handler: async (req) => {
          return objectList(req, 'directoryObjects', await linkTargets(req.scope, rel, await deviceId(req)));
        },
      }),
    ),
    {
      method: 'POST',
      path: `/devices/:id/${rel}/$ref`,
      permissions: P.devicesWrite,
      handler: async (req) => (await devices.addDeviceUser(req.scope, req.params.id!, rel, requireObjectBody(req.body)), noContent),
    },
    {
      method: 'DELETE',
      path: `/devices/:id/${rel}/:target/$ref`,
      permissions: P.devicesWrite,
      handler: async (req) => (await devices.removeDeviceUser(req.scope, req.params.id!, rel, req.params.target!), noContent),
    },
  ]),
  ...membershipRoutes('/devices/:id', P.devicesRead, deviceId),
];

const directoryObjectRoutes: GraphRouteDef[] = [
  {
    method: 'GET',
    path: '/directoryObjects/:id',
    permissions: P.directoryRead,
    handler: async (req) => {
      const found = isGuid(req.params.id!) ? await findObject(req.scope, req.params.id!.toLowerCase()) : undefined;
      if (!found) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`);
      return ok({ '@odata.context': contextUrl(req, 'directoryObjects', undefined, true), ...found.object });
    },
  },
  {
    method: 'POST',
    path: '/directoryObjects/getByIds',
    permissions: P.directoryRead,
    handler: async (req) => {
      const body = requireObjectBody(req.body);
      const ids = body.ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) throw badRequest("'ids' must be a non-empty array of object ids.", 'ids');
      if (ids.length > 1000) throw badRequest('A maximum of 1000 ids can be requested at once.', 'ids');
      const objects = await findObjectsByIds(req.scope, (ids as string[]).filter(isGuid), typesFilter(body.types));
      return ok({ '@odata.context': contextUrl(req, 'directoryObjects'), value: objects });
    },
  },
  ...membershipRoutes('/directoryObjects/:id', P.directoryRead, async (req) => {
    const found = isGuid(req.params.id!) ? await findObject(req.scope, req.params.id!.toLowerCase()) : undefined;
    if (!found) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`);
    return found.object.id;
  }),
];

function typesFilter(types: unknown): ObjectKind[] | undefined {
  if (types === undefined || types === null) return undefined;
  if (!Array.isArray(types)) throw badRequest("'types' must be an array of type names.", 'types');
  return types.map((t) => {
    const kind = Object.values(KINDS).find((k) => k.kind.toLowerCase() === String(t).toLowerCase().replace(/^microsoft\.graph\./, ''));
    if (!kind) throw badRequest(`'${t}' is not a supported directory object type.`, 'types');
    return kind.kind;
  });
}

const policyRoutes: GraphRouteDef[] = [
  {
    method: 'GET',
    path: '/policies/deviceRegistrationPolicy',
    permissions: P.deviceRegistrationPolicyRead,
    handler: async (req) => ok({ '@odata.context': contextUrl(req, 'policies/deviceRegistrationPolicy', undefined, true), ...(await getDeviceRegistrationPolicy(req.scope)) }),
  },
  {
    method: 'PUT',
    path: '/policies/deviceRegistrationPolicy',
    permissions: P.deviceRegistrationPolicyWrite,
    handler: async (req) =>
      ok({
        '@odata.context': contextUrl(req, 'policies/deviceRegistrationPolicy', undefined, true),
        ...(await putDeviceRegistrationPolicy(req.scope, requireObjectBody(req.body))),
      }),
  },
  {
    method: 'GET',
    path: '/policies/mobileDeviceManagementPolicies',
    versions: ['beta'],
    permissions: P.mobilityPolicyRead,
    handler: async (req) => ok({ '@odata.context': contextUrl(req, 'policies/mobileDeviceManagementPolicies'), value: await mdm.listMobilityPolicies(req.scope) }),
  },
  {
    method: 'GET',
    path: '/policies/mobileDeviceManagementPolicies/:id',
    versions: ['beta'],
    permissions: P.mobilityPolicyRead,
    handler: async (req) => {
      const policy = await mdm.getMobilityPolicy(req.scope, req.params.id!);
      const expand = req.query.expand?.trim().toLowerCase();
      if (expand !== undefined && expand !== 'includedgroups') throw badRequest(`Could not find a property named '${req.query.expand}' on type 'microsoft.graph.mobilityManagementPolicy'.`);
      if (expand) policy.includedGroups = await loadObjects(req.scope, await mdm.includedGroups(req.scope, req.params.id!));
      return ok({ '@odata.context': contextUrl(req, 'policies/mobileDeviceManagementPolicies', undefined, true), ...policy });
    },
  },
  {
    method: 'PATCH',
    path: '/policies/mobileDeviceManagementPolicies/:id',
    versions: ['beta'],
    permissions: P.mobilityPolicyWrite,
    handler: async (req) => (await mdm.updateMobilityPolicy(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    method: 'GET',
    path: '/policies/mobileDeviceManagementPolicies/:id/includedGroups',
    versions: ['beta'],
    permissions: P.mobilityPolicyRead,
    handler: async (req) => {
      await mdm.getMobilityPolicy(req.scope, req.params.id!);
      const objects = await loadObjects(req.scope, await mdm.includedGroups(req.scope, req.params.id!));
      return memoryCollection(req, 'groups', objects, groupShape, { directory: true });
    },
  },
  {
    method: 'POST',
    path: '/policies/mobileDeviceManagementPolicies/:id/includedGroups/$ref',
    versions: ['beta'],
    permissions: P.mobilityPolicyWrite,
    handler: async (req) => (await mdm.addIncludedGroup(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    method: 'DELETE',
    path: '/policies/mobileDeviceManagementPolicies/:id/includedGroups/:group/$ref',
    versions: ['beta'],
    permissions: P.mobilityPolicyWrite,
    handler: async (req) => (await mdm.removeIncludedGroup(req.scope, req.params.id!, req.params.group!), noContent),
  },
];

export function registerDirectoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGraphRoutes(app, ctx, [...userRoutes, ...groupRoutes, ...deviceRoutes, ...directoryObjectRoutes, ...policyRoutes]);
}
