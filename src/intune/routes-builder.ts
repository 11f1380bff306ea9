// Builds the thin Graph routes of an Intune collection from its definition: list, $count, get, create,
// PATCH and delete. (Assignable resources add their own assignments routes, whose rules differ.)
import { sql } from 'kysely';
import { noContent, requireObjectBody, type GraphRouteDef } from '../graph/route.js';
import { countCollection, entityResult, listCollection, type CollectionSource } from '../graph/collection.js';
import { createIntuneObject, deleteIntuneObject, getIntuneObject, updateIntuneObject, type IntuneResource } from './resource.js';

/** The collection as the generic Graph collection code sees it. */
export function intuneSource(res: IntuneResource): CollectionSource {
  return { table: 'intune_objects', shape: res.shape, contextPath: res.path.slice(1), directory: false, polymorphic: true };
}

const inCollection = (res: IntuneResource) => sql<boolean>`collection = ${res.collection}`;

export function intuneRoutes(res: IntuneResource): GraphRouteDef[] {
  const src = intuneSource(res);
  const base = { versions: res.versions };
  return [
    { ...base, method: 'GET', path: res.path, permissions: res.permissions.read, handler: (req) => listCollection(req, src, inCollection(res)) },
    {
      ...base,
      method: 'GET',
      path: `${res.path}/$count`,
      permissions: res.permissions.read,
      handler: (req) => countCollection(req, src, inCollection(res)),
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
}
