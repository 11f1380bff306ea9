// Role scope tags (/beta/deviceManagement/roleScopeTags). Every tenant has the built-in tag "Default" with
// id "0"; resources carry roleScopeTagIds, and every id must name an existing tag.
import type { Scope } from '../server/context.js';
import { DEFAULT_SCOPE_TAG, SCOPE_TAGS } from './scope-tag-check.js';
import { created, noContent, ok, requireObjectBody, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, memoryCollection } from '../graph/collection.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { intuneBadRequest } from './errors.js';
import { createIntuneObject, deleteIntuneObject, getIntuneObject, listIntuneObjects, updateIntuneObject, type IntuneResource } from './resource.js';

const rbacRead = ['DeviceManagementRBAC.Read.All', 'DeviceManagementRBAC.ReadWrite.All'] as const;
const rbacWrite = ['DeviceManagementRBAC.ReadWrite.All'] as const;
const TAG_TYPE = '#microsoft.graph.roleScopeTag';
const tagShape = intuneShape('roleScopeTag', { displayName: { kind: 'string' }, description: { kind: 'string' }, isBuiltIn: { kind: 'boolean' } });

export const roleScopeTags: IntuneResource = {
  collection: SCOPE_TAGS,
  path: '/deviceManagement/roleScopeTags',
  versions: ['beta'],
  types: { [TAG_TYPE]: tagShape },
  defaultType: TAG_TYPE,
  shape: tagShape,
  permissions: { read: rbacRead, write: rbacWrite },
  required: ['displayName'],
  readOnly: ['isBuiltIn'],
  scopeTags: false,
  defaults: () => ({ description: '', isBuiltIn: false }),
  newObjectId: nextTagId,
};

const builtIn = () => ({ '@odata.type': TAG_TYPE, ...DEFAULT_SCOPE_TAG, id: DEFAULT_SCOPE_TAG.id });
const refuseBuiltIn = (id: string) => {
  if (id === DEFAULT_SCOPE_TAG.id) throw intuneBadRequest('The built-in Default scope tag cannot be changed or deleted.', 'id');
};

/** Intune numbers scope tags: the built-in one is "0", the next ones "1", "2"… */
async function nextTagId(scope: Scope): Promise<string> {
  const ids = (await listIntuneObjects(scope, SCOPE_TAGS)).map((t) => Number(t.id)).filter(Number.isInteger);
  return String(Math.max(0, ...ids) + 1);
}

export const roleScopeTagRoutes: GraphRouteDef[] = [
  {
    method: 'GET',
    path: '/deviceManagement/roleScopeTags',
    versions: ['beta'],
    permissions: rbacRead,
    handler: async (req) => memoryCollection(req, 'deviceManagement/roleScopeTags', [builtIn(), ...(await listIntuneObjects(req.scope, SCOPE_TAGS))], tagShape, { typed: true }),
  },
  {
    method: 'GET',
    path: '/deviceManagement/roleScopeTags/:id',
    versions: ['beta'],
    permissions: rbacRead,
    handler: async (req) =>
      ok({
        '@odata.context': contextUrl(req, 'deviceManagement/roleScopeTags', undefined, true),
        ...(req.params.id === DEFAULT_SCOPE_TAG.id ? builtIn() : await getIntuneObject(req.scope, roleScopeTags, req.params.id!)),
      }),
  },
  {
    method: 'POST',
    path: '/deviceManagement/roleScopeTags',
    versions: ['beta'],
    permissions: rbacWrite,
    handler: async (req) =>
      created({
        '@odata.context': contextUrl(req, 'deviceManagement/roleScopeTags', undefined, true),
        ...(await createIntuneObject(req.scope, roleScopeTags, requireObjectBody(req.body))),
      }),
  },
  {
    method: 'PATCH',
    path: '/deviceManagement/roleScopeTags/:id',
    versions: ['beta'],
    permissions: rbacWrite,
    handler: async (req) => (refuseBuiltIn(req.params.id!), await updateIntuneObject(req.scope, roleScopeTags, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    method: 'DELETE',
    path: '/deviceManagement/roleScopeTags/:id',
    versions: ['beta'],
    permissions: rbacWrite,
    handler: async (req) => (refuseBuiltIn(req.params.id!), await deleteIntuneObject(req.scope, roleScopeTags, req.params.id!), noContent),
  },
];
