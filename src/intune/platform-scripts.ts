// Platform scripts (/beta/deviceManagement/deviceManagementScripts): Windows PowerShell scripts the Intune
// management extension runs, with their assignments in two forms, the current deviceManagementScriptAssignment
// (targets) and the legacy deviceManagementScriptGroupAssignment ({targetGroupId}), one store behind both.
// Sources: Graph beta intune-shared-devicemanagementscript-* and -assign ("returns 204 No Content");
// memdocs apps/intune-management-extension.md ("The script must be less than 200 KB (ASCII)");
// memdocs fundamentals/filters-supported-workloads.md ("PowerShell scripts for Windows" take no filters).
import { sql, type SqlBool } from 'kysely';
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { created, noContent, ok, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, memoryCollection, type CollectionSource } from '../graph/collection.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import type { PermissionSet } from '../identity/permissions.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { isGuid } from '../core/ids.js';
import {
  ALL_DEVICES_TARGET,
  ALL_USERS_TARGET,
  EXCLUSION_TARGET,
  GROUP_TARGET,
  addAssignment,
  deleteAssignment,
  getAssignment,
  listAssignments,
  replaceAssignments,
  type Assignment,
  type AssignmentKind,
} from './assignments.js';
import { intuneBadRequest, intuneNotFound } from './errors.js';
import { getIntuneObject, type IntuneResource } from './resource.js';
import { intuneRoutes, intuneSource } from './routes-builder.js';
import { RUN_AS_ACCOUNT } from './mobile-app-types.js';
import { arrayAt, checkBoolean, checkEnum, decodeBase64, objectAt } from './value-checks.js';

export const PLATFORM_SCRIPTS = 'deviceManagementScripts';
const TYPE = '#microsoft.graph.deviceManagementScript';
const GROUP_ASSIGNMENT_TYPE = '#microsoft.graph.deviceManagementScriptGroupAssignment';
/** "The script must be less than 200 KB (ASCII)." */
export const MAX_SCRIPT_BYTES = 200 * 1024;

// The docs name DeviceManagementManagedDevices.* (older pages) and DeviceManagementScripts.* (newer): both work.
const read: PermissionSet = ['DeviceManagementScripts.Read.All', 'DeviceManagementScripts.ReadWrite.All', 'DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];
const write: PermissionSet = ['DeviceManagementScripts.ReadWrite.All', 'DeviceManagementManagedDevices.ReadWrite.All'];

const shape = intuneShape('deviceManagementScript', {
  displayName: { kind: 'string' },
  description: { kind: 'string' },
  fileName: { kind: 'string' },
  runAsAccount: { kind: 'enum', typeName: 'microsoft.graph.runAsAccountType' },
  enforceSignatureCheck: { kind: 'boolean' },
  runAs32Bit: { kind: 'boolean' },
  // Edm.Binary: base64 text up to ~273 KB, checked by `check` rather than the generic string length cap.
  scriptContent: { kind: 'complex', properties: {} },
});

export const platformScripts: IntuneResource = {
  collection: PLATFORM_SCRIPTS,
  path: '/deviceManagement/deviceManagementScripts',
  versions: ['beta'],
  types: { [TYPE]: shape },
  defaultType: TYPE,
  shape,
  permissions: { read, write },
  required: ['displayName', 'scriptContent', 'fileName'],
  defaults: () => ({ description: null, runAsAccount: 'system', enforceSignatureCheck: false, runAs32Bit: false }),
  async check(_scope: Scope, data: Record<string, unknown>) {
    const content = decodeBase64(data.scriptContent, 'scriptContent');
    if (content.length === 0) throw intuneBadRequest("'scriptContent' is empty; upload the script's text, base64-encoded.", 'scriptContent');
    if (content.length >= MAX_SCRIPT_BYTES) throw intuneBadRequest(`The script is ${content.length} bytes; a platform script must be less than 200 KB.`, 'scriptContent');
    if (typeof data.fileName !== 'string' || !/\.ps1$/i.test(data.fileName)) throw intuneBadRequest("'fileName' must name a PowerShell script (*.ps1).", 'fileName');
    checkEnum(data.runAsAccount, RUN_AS_ACCOUNT, 'runAsAccount');
    checkBoolean(data.enforceSignatureCheck, 'enforceSignatureCheck');
    checkBoolean(data.runAs32Bit, 'runAs32Bit');
  },
};

export const scriptAssignmentKind: AssignmentKind = {
  collection: PLATFORM_SCRIPTS,
  odataType: '#microsoft.graph.deviceManagementScriptAssignment',
  targets: [GROUP_TARGET, EXCLUSION_TARGET, ALL_USERS_TARGET, ALL_DEVICES_TARGET],
};

/** Platform scripts for Windows take no assignment filters (filters-supported-workloads.md, "Not supported"). */
function refuseFilters(list: readonly Assignment[]): void {
  for (const [i, a] of list.entries()) {
    if (a.target.deviceAndAppManagementAssignmentFilterType !== 'none') {
      throw intuneBadRequest('Assignment filters are not supported for PowerShell scripts for Windows.', `assignments[${i}].target.deviceAndAppManagementAssignmentFilterType`);
    }
  }
}

/** A legacy {targetGroupId} entry as the target form of the shared model; `prefix` locates it in the body. */
function fromGroupAssignment(body: unknown, prefix: string): Record<string, unknown> {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const g = objectAt(body, prefix || 'body');
  if (!g) throw intuneBadRequest('A deviceManagementScriptGroupAssignment must be an object.', prefix || undefined);
  for (const key of Object.keys(g)) {
    if (!['@odata.type', '@odata.context', 'id', 'targetGroupId'].includes(key)) throw intuneBadRequest(`Property '${key}' is not part of deviceManagementScriptGroupAssignment.`, field(key));
  }
  if (typeof g.targetGroupId !== 'string' || !isGuid(g.targetGroupId)) throw intuneBadRequest("'targetGroupId' must be the id of a group.", field('targetGroupId'));
  return { target: { '@odata.type': GROUP_TARGET, groupId: g.targetGroupId } };
}

/** `POST …/assign`: either array (or both) replaces every assignment of the script, all-or-nothing. */
export async function assignPlatformScript(scope: Scope, scriptId: string, body: Record<string, unknown>): Promise<Assignment[]> {
  const current = arrayAt(body.deviceManagementScriptAssignments, 'deviceManagementScriptAssignments');
  const legacy = arrayAt(body.deviceManagementScriptGroupAssignments, 'deviceManagementScriptGroupAssignments').map((g, i) => fromGroupAssignment(g, `deviceManagementScriptGroupAssignments[${i}]`));
  return inTransaction(scope, async (tx) => {
    const list = await replaceAssignments(tx, scriptAssignmentKind, scriptId, [...current, ...legacy]);
    refuseFilters(list);
    return list;
  });
}

/** `POST …/assignments`: adds one (a filter is refused as on `assign`). */
export async function addPlatformScriptAssignment(scope: Scope, scriptId: string, body: unknown): Promise<Assignment> {
  return inTransaction(scope, async (tx) => {
    const added = await addAssignment(tx, scriptAssignmentKind, scriptId, body);
    refuseFilters([added]);
    return added;
  });
}

/** The legacy view: each included group as a deviceManagementScriptGroupAssignment (same id as the assignment). */
export async function listScriptGroupAssignments(scope: Scope, scriptId: string): Promise<Record<string, unknown>[]> {
  await getIntuneObject(scope, platformScripts, scriptId);
  return (await listAssignments(scope, scriptAssignmentKind, scriptId))
    .filter((a) => a.target['@odata.type'] === GROUP_TARGET)
    .map((a) => ({ '@odata.type': GROUP_ASSIGNMENT_TYPE, id: a.id, targetGroupId: a.target.groupId }));
}

async function getScriptGroupAssignment(scope: Scope, scriptId: string, id: string) {
  const found = (await listScriptGroupAssignments(scope, scriptId)).find((g) => g.id === id);
  if (!found) throw intuneNotFound('deviceManagementScriptGroupAssignment', id);
  return found;
}

const ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.deviceManagementScriptAssignment',
  properties: { id: { kind: 'string' }, target: { kind: 'complex', properties: {} } },
};
const GROUP_ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.deviceManagementScriptGroupAssignment',
  properties: { id: { kind: 'string' }, targetGroupId: { kind: 'string' } },
};

const path = platformScripts.path;
const versions = platformScripts.versions;
/** The collection with its navigations, for `$expand=assignments` / `$expand=groupAssignments`. */
const source: CollectionSource = {
  ...intuneSource(platformScripts),
  navigations: {
    assignments: { load: (scope, id) => listAssignments(scope, scriptAssignmentKind, id) },
    groupAssignments: { load: (scope, id) => listScriptGroupAssignments(scope, id) },
  },
};
const navPath = (req: GraphRequest, nav: string) => `${path.slice(1)}('${req.params.id}')/${nav}`;

/** `GET /deviceManagementScripts`: Graph leaves scriptContent null in lists; GET by id returns it. */
async function listScripts(req: GraphRequest) {
  const result = await listCollection(req, source, sql<SqlBool>`collection = ${PLATFORM_SCRIPTS}`);
  for (const item of (result.body as { value: Record<string, unknown>[] }).value) if ('scriptContent' in item) item.scriptContent = null;
  return result;
}

export const platformScriptRoutes: GraphRouteDef[] = [
  { method: 'GET', path, versions, permissions: read, handler: listScripts },
  { method: 'GET', path: `${path}/:id`, versions, permissions: read, handler: async (req) => entityResult(req, source, await getIntuneObject(req.scope, platformScripts, req.params.id!)) },
  ...intuneRoutes(platformScripts).filter((r) => !(r.method === 'GET' && (r.path === path || r.path === `${path}/:id`))),
  {
    method: 'POST',
    path: `${path}/:id/assign`,
    versions,
    permissions: write,
    handler: async (req) => (await assignPlatformScript(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    method: 'GET',
    path: `${path}/:id/assignments`,
    versions,
    permissions: read,
    handler: async (req) => {
      await getIntuneObject(req.scope, platformScripts, req.params.id!);
      return memoryCollection(req, navPath(req, 'assignments'), await listAssignments(req.scope, scriptAssignmentKind, req.params.id!), ASSIGNMENT_SHAPE, { typed: true });
    },
  },
  {
    method: 'GET',
    path: `${path}/:id/assignments/:assignmentId`,
    versions,
    permissions: read,
    handler: async (req) =>
      ok({ '@odata.context': contextUrl(req, navPath(req, 'assignments'), undefined, true), ...(await getAssignment(req.scope, scriptAssignmentKind, req.params.id!, req.params.assignmentId!)) }),
  },
  {
    method: 'POST',
    path: `${path}/:id/assignments`,
    versions,
    permissions: write,
    handler: async (req) =>
      created({ '@odata.context': contextUrl(req, navPath(req, 'assignments'), undefined, true), ...(await addPlatformScriptAssignment(req.scope, req.params.id!, requireObjectBody(req.body))) }),
  },
  {
    method: 'DELETE',
    path: `${path}/:id/assignments/:assignmentId`,
    versions,
    permissions: write,
    handler: async (req) => (await deleteAssignment(req.scope, scriptAssignmentKind, req.params.id!, req.params.assignmentId!), noContent),
  },
  {
    method: 'GET',
    path: `${path}/:id/groupAssignments`,
    versions,
    permissions: read,
    handler: async (req) => memoryCollection(req, navPath(req, 'groupAssignments'), await listScriptGroupAssignments(req.scope, req.params.id!), GROUP_ASSIGNMENT_SHAPE, { typed: true }),
  },
  {
    method: 'GET',
    path: `${path}/:id/groupAssignments/:groupAssignmentId`,
    versions,
    permissions: read,
    handler: async (req) =>
      ok({ '@odata.context': contextUrl(req, navPath(req, 'groupAssignments'), undefined, true), ...(await getScriptGroupAssignment(req.scope, req.params.id!, req.params.groupAssignmentId!)) }),
  },
  {
    method: 'POST',
    path: `${path}/:id/groupAssignments`,
    versions,
    permissions: write,
    handler: async (req) => {
      const added = await addPlatformScriptAssignment(req.scope, req.params.id!, fromGroupAssignment(requireObjectBody(req.body), ''));
      return created({ '@odata.context': contextUrl(req, navPath(req, 'groupAssignments'), undefined, true), '@odata.type': GROUP_ASSIGNMENT_TYPE, id: added.id, targetGroupId: added.target.groupId });
    },
  },
  {
    method: 'DELETE',
    path: `${path}/:id/groupAssignments/:groupAssignmentId`,
    versions,
    permissions: write,
    handler: async (req) => {
      await getScriptGroupAssignment(req.scope, req.params.id!, req.params.groupAssignmentId!);
      await deleteAssignment(req.scope, scriptAssignmentKind, req.params.id!, req.params.groupAssignmentId!);
      return noContent;
    },
  },
];
