// Mobile apps (/deviceAppManagement/mobileApps, v1.0 and beta): the Windows app types device preparation
// and classic Autopilot deliver, polymorphic by @odata.type, with their assignments. The per-type rules
// are in mobile-app-types.ts, the assignment rules in mobile-app-assignments.ts. Source: Graph beta
// intune-apps-mobileapp-* and intune-apps-mobileappassignment-*; graph-api.md §8.1.
import { sql, type SqlBool } from 'kysely';
import type { Scope } from '../server/context.js';
import { created, noContent, ok, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, memoryCollection, type CollectionSource } from '../graph/collection.js';
import type { QueryOptions } from '../graph/query.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import type { PermissionSet } from '../identity/permissions.js';
import { getAssignment, listAssignments } from './assignments.js';
import { getIntuneObject, type IntuneObject, type IntuneResource } from './resource.js';
import { intuneRoutes, intuneSource } from './routes-builder.js';
import { splitIsOf } from './isof-filter.js';
import { MOBILE_APP_TYPES, appType, mobileAppShape, typesDerivedFrom } from './mobile-app-types.js';
import {
  MOBILE_APPS,
  addMobileAppAssignment,
  assignMobileApp,
  deleteMobileAppAssignment,
  mobileAppAssignmentKind,
} from './mobile-app-assignments.js';

const read: PermissionSet = ['DeviceManagementApps.Read.All', 'DeviceManagementApps.ReadWrite.All'];
const write: PermissionSet = ['DeviceManagementApps.ReadWrite.All'];

/** Read-only mobileApp properties the service computes; a client's values are ignored, as Intune ignores them. */
const SERVER_SET = ['isAssigned', 'publishingState', 'uploadState', 'dependentAppCount', 'supersedingAppCount', 'supersededAppCount', 'size'] as const;

export const mobileApps: IntuneResource = {
  collection: MOBILE_APPS,
  path: '/deviceAppManagement/mobileApps',
  versions: ['v1.0', 'beta'],
  types: Object.fromEntries(Object.values(MOBILE_APP_TYPES).map((t) => [t.odataType, t.shape])),
  shape: mobileAppShape,
  permissions: { read, write },
  required: ['displayName'],
  defaults: (odataType) => appType(odataType).defaults(),
  async check(_scope: Scope, data: Record<string, unknown>, existing: IntuneObject | undefined) {
    const type = appType(data['@odata.type']);
    const base = existing ?? type.defaults();
    for (const name of SERVER_SET) if (name in base) data[name] = base[name];
    type.check(data, existing);
  },
};

const ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.mobileAppAssignment',
  properties: {
    id: { kind: 'string' },
    intent: { kind: 'enum', typeName: 'microsoft.graph.installIntent' },
    target: { kind: 'complex', properties: {} },
    settings: { kind: 'complex', properties: {} },
    source: { kind: 'enum', typeName: 'microsoft.graph.deviceAndAppManagementAssignmentSource' },
    sourceId: { kind: 'string' },
  },
};

const path = mobileApps.path;
/** The collection with its `assignments` navigation, for `$expand=assignments` (used by assignment reports). */
const source: CollectionSource = {
  ...intuneSource(mobileApps),
  navigations: { assignments: { load: (scope, id) => listAssignments(scope, mobileAppAssignmentKind, id) } },
};
const assignmentsPath = (req: GraphRequest) => `${path.slice(1)}('${req.params.id}')/assignments`;

/** `GET /mobileApps`, where `$filter` may also hold isof('microsoft.graph.win32LobApp') terms. */
async function listApps(req: GraphRequest) {
  const split = splitIsOf(req.query.filter, typesDerivedFrom);
  const { filter: _filter, ...others } = req.query;
  const query: QueryOptions = split.rest !== undefined ? { ...others, filter: split.rest } : others;
  const inCollection = sql<SqlBool>`collection = ${MOBILE_APPS}`;
  const condition = !split.types
    ? inCollection
    : split.types.length === 0
      ? sql<SqlBool>`1 = 0`
      : sql<SqlBool>`collection = ${MOBILE_APPS} and odata_type in (${sql.join(split.types)})`;
  return listCollection({ ...req, query }, source, condition);
}

export const mobileAppRoutes: GraphRouteDef[] = [
  { method: 'GET', path, versions: mobileApps.versions, permissions: read, handler: listApps },
  {
    method: 'GET',
    path: `${path}/:id`,
    versions: mobileApps.versions,
    permissions: read,
    handler: async (req) => entityResult(req, source, await getIntuneObject(req.scope, mobileApps, req.params.id!)),
  },
  ...intuneRoutes(mobileApps).filter((r) => !(r.method === 'GET' && (r.path === path || r.path === `${path}/:id`))),
  {
    method: 'GET',
    path: `${path}/:id/assignments`,
    versions: mobileApps.versions,
    permissions: read,
    handler: async (req) => {
      await getIntuneObject(req.scope, mobileApps, req.params.id!);
      return memoryCollection(req, assignmentsPath(req), await listAssignments(req.scope, mobileAppAssignmentKind, req.params.id!), ASSIGNMENT_SHAPE, { typed: true });
    },
  },
  {
    method: 'GET',
    path: `${path}/:id/assignments/:assignmentId`,
    versions: mobileApps.versions,
    permissions: read,
    handler: async (req) =>
      ok({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await getAssignment(req.scope, mobileAppAssignmentKind, req.params.id!, req.params.assignmentId!)) }),
  },
  {
    method: 'POST',
    path: `${path}/:id/assignments`,
    versions: mobileApps.versions,
    permissions: write,
    handler: async (req) =>
      created({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await addMobileAppAssignment(req.scope, req.params.id!, requireObjectBody(req.body))) }),
  },
  {
    method: 'DELETE',
    path: `${path}/:id/assignments/:assignmentId`,
    versions: mobileApps.versions,
    permissions: write,
    handler: async (req) => (await deleteMobileAppAssignment(req.scope, req.params.id!, req.params.assignmentId!), noContent),
  },
  {
    // "If successful, this action returns a 204 No Content response code." (intune-apps-mobileapp-assign)
    method: 'POST',
    path: `${path}/:id/assign`,
    versions: mobileApps.versions,
    permissions: write,
    handler: async (req) => (await assignMobileApp(req.scope, req.params.id!, requireObjectBody(req.body).mobileAppAssignments ?? []), noContent),
  },
];
