// Builds the thin Graph routes of an Intune collection from its definition: list, get, create, PATCH,
// delete, and, for assignable resources, `assignments` and the `assign` action.
import { sql } from 'kysely';
import { created, noContent, ok, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, memoryCollection, type CollectionSource } from '../graph/collection.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import { createIntuneObject, deleteIntuneObject, getIntuneObject, updateIntuneObject, type IntuneResource } from './resource.js';
import { addAssignment, deleteAssignment, getAssignment, listAssignments, replaceAssignments, type AssignmentKind } from './assignments.js';

export interface AssignAction {
  readonly kind: AssignmentKind;
  /** The array's name in the `assign` body, e.g. 'mobileAppAssignments'. */
  readonly bodyKey: string;
  /** Configuration policies answer `assign` with 200 and the assignments; the others with 204. */
  readonly returnsValue?: boolean;
}

/** The collection as the generic Graph collection code sees it. */
export function intuneSource(res: IntuneResource): CollectionSource {
  return { table: 'intune_objects', shape: res.shape, contextPath: res.path.slice(1), directory: false, polymorphic: true };
}

const inCollection = (res: IntuneResource) => sql<boolean>`collection = ${res.collection}`;

const ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.assignment',
  properties: { id: { kind: 'string' }, intent: { kind: 'string' }, target: { kind: 'complex', properties: {} }, source: { kind: 'string' } },
};

export function intuneRoutes(res: IntuneResource, assign?: AssignAction): GraphRouteDef[] {
  const src = intuneSource(res);
  const base = { versions: res.versions };
  const routes: GraphRouteDef[] = [
    { ...base, method: 'GET', path: res.path, permissions: res.permissions.read, handler: (req) => listCollection(req, src, inCollection(res)) },
    {
      ...base,
      method: 'GET',
      path: `${res.path}/$count`,
      permissions: res.permissions.read,
      handler: async (req) => {
        const rows = await req.scope.db.selectFrom('intune_objects').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', req.scope.tenantId).where('collection', '=', res.collection).executeTakeFirstOrThrow();
        return { status: 200, body: String(Number(rows.n)), contentType: 'text/plain; charset=utf-8' };
      },
    },
    {
      ...base,
      method: 'POST',
      path: res.path,
      permissions: res.permissions.write,
      handler: async (req) => entityResult(req, src, await createIntuneObject(req.scope, res, requireObjectBody(req.body)), 201),
    },
    { ...base, method: 'GET', path: `${res.path}/:id`, permissions: res.permissions.read, handler: async (req) => entityResult(req, src, await getIntuneObject(req.scope, res, req.params.id!)) },
    {
      ...base,
      method: 'PATCH',
      path: `${res.path}/:id`,
      permissions: res.permissions.write,
      handler: async (req) => (await updateIntuneObject(req.scope, res, req.params.id!, requireObjectBody(req.body)), noContent),
    },
    { ...base, method: 'DELETE', path: `${res.path}/:id`, permissions: res.permissions.write, handler: async (req) => (await deleteIntuneObject(req.scope, res, req.params.id!), noContent) },
  ];
  if (!assign) return routes;
  const kind = assign.kind;
  const assignmentsPath = (req: GraphRequest) => `${res.path.slice(1)}('${req.params.id}')/assignments`;
  return [
    ...routes,
    {
      ...base,
      method: 'GET',
      path: `${res.path}/:id/assignments`,
      permissions: res.permissions.read,
      handler: async (req) => {
        await getIntuneObject(req.scope, res, req.params.id!);
        return memoryCollection(req, assignmentsPath(req), await listAssignments(req.scope, kind, req.params.id!), ASSIGNMENT_SHAPE, { typed: true });
      },
    },
    {
      ...base,
      method: 'GET',
      path: `${res.path}/:id/assignments/:assignmentId`,
      permissions: res.permissions.read,
      handler: async (req) => ok({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await getAssignment(req.scope, kind, req.params.id!, req.params.assignmentId!)) }),
    },
    {
      ...base,
      method: 'POST',
      path: `${res.path}/:id/assignments`,
      permissions: res.permissions.write,
      handler: async (req) => created({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await addAssignment(req.scope, kind, req.params.id!, requireObjectBody(req.body))) }),
    },
    {
      ...base,
      method: 'DELETE',
      path: `${res.path}/:id/assignments/:assignmentId`,
      permissions: res.permissions.write,
      handler: async (req) => (await deleteAssignment(req.scope, kind, req.params.id!, req.params.assignmentId!), noContent),
    },
    {
      ...base,
      method: 'POST',
      path: `${res.path}/:id/assign`,
      permissions: res.permissions.write,
      handler: async (req) => {
        const body = requireObjectBody(req.body);
        const list = await replaceAssignments(req.scope, kind, req.params.id!, body[assign.bodyKey] ?? []);
        return assign.returnsValue ? ok({ '@odata.context': contextUrl(req, `Collection(${kind.odataType.slice(1)})`), value: list }) : noContent;
      },
    },
  ];
}
