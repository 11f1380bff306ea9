// Assignments of Intune resources to groups, all users or all devices, with optional assignment filters.
// One model for every assignable resource (apps, scripts, configuration policies, enrollment
// configurations, Autopilot profiles); each resource says which targets and fields it accepts.
// Source: Graph docs deviceAndAppManagementAssignmentTarget and its subtypes; mobileAppAssignment.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isGuid, newId } from '../core/ids.js';
import { readJson, writeJson } from '../store/db.js';
import { findObject } from '../directory/objects.js';
import { intuneBadRequest, intuneNotFound, textOf } from './errors.js';
import { getIntuneObject } from './resource.js';
import { checkStorable } from './value-checks.js';

export const GROUP_TARGET = '#microsoft.graph.groupAssignmentTarget';
export const EXCLUSION_TARGET = '#microsoft.graph.exclusionGroupAssignmentTarget';
export const ALL_USERS_TARGET = '#microsoft.graph.allLicensedUsersAssignmentTarget';
export const ALL_DEVICES_TARGET = '#microsoft.graph.allDevicesAssignmentTarget';
export const ASSIGNMENT_FILTERS = 'assignmentFilters';

const FILTER_TYPES = new Set(['none', 'include', 'exclude']);

export interface AssignmentKind {
  /** The collection of the assigned resource. */
  readonly collection: string;
  /** The assignment's own @odata.type, e.g. '#microsoft.graph.mobileAppAssignment'. */
  readonly odataType: string;
  /** Target types the resource accepts. */
  readonly targets: readonly string[];
  /** App assignments carry an intent (required / available / uninstall). */
  readonly intents?: readonly string[];
  /** Extra properties of the assignment besides target (e.g. settings, source, sourceId). */
  readonly extraProperties?: readonly string[];
  /**
   * The id of a new assignment, for resources whose assignment ids clients compute (Autopilot profiles:
   * `{profileId}_{groupId}_0`); a new GUID when absent.
   */
  assignmentId?(objectId: string, target: Readonly<Record<string, unknown>>): string;
}

export type Assignment = Record<string, unknown> & { id: string; target: Record<string, unknown> };

/** Checks one assignment body and returns it in stored form (with a new id). */
async function checkAssignment(scope: Scope, kind: AssignmentKind, body: unknown, index: number, objectId: string): Promise<Assignment> {
  const field = (name: string) => `assignments[${index}].${name}`;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw intuneBadRequest(`Assignment ${index} must be an object.`, `assignments[${index}]`);
  const a = body as Record<string, unknown>;
  const allowed = new Set(['@odata.type', 'id', 'target', 'intent', ...(kind.extraProperties ?? [])]);
  for (const key of Object.keys(a)) if (!allowed.has(key)) throw intuneBadRequest(`Property '${key}' is not part of ${kind.odataType.slice(1)}.`, field(key));
  const target = a.target as Record<string, unknown> | undefined;
  if (!target || typeof target !== 'object' || Array.isArray(target)) throw intuneBadRequest("Each assignment needs a 'target'.", field('target'));
  const type = textOf(target['@odata.type'] ?? '').replace(/^#?/, '#');
  const targetType = kind.targets.find((t) => t.toLowerCase() === type.toLowerCase());
  if (!targetType) throw intuneBadRequest(`Target type '${textOf(target['@odata.type'])}' is not supported here; use one of ${kind.targets.join(', ')}.`, field('target.@odata.type'));
  const stored: Record<string, unknown> = { '@odata.type': targetType };
  if (targetType === GROUP_TARGET || targetType === EXCLUSION_TARGET) {
    const groupId = target.groupId;
    if (typeof groupId !== 'string' || !isGuid(groupId)) throw intuneBadRequest("'groupId' must be the id of a group.", field('target.groupId'));
    if (!(await findObject(scope, groupId.toLowerCase(), ['group']))) throw intuneBadRequest(`Group '${groupId}' does not exist.`, field('target.groupId'));
    stored.groupId = groupId.toLowerCase();
  }
  const filterType = target.deviceAndAppManagementAssignmentFilterType ?? 'none';
  const filterId = target.deviceAndAppManagementAssignmentFilterId ?? null;
  if (typeof filterType !== 'string' || !FILTER_TYPES.has(filterType)) {
    throw intuneBadRequest("'deviceAndAppManagementAssignmentFilterType' must be none, include or exclude.", field('target.deviceAndAppManagementAssignmentFilterType'));
  }
  if (filterType !== 'none') {
    if (targetType === EXCLUSION_TARGET) throw intuneBadRequest('An exclusion assignment cannot use an assignment filter.', field('target.deviceAndAppManagementAssignmentFilterId'));
    if (typeof filterId !== 'string') throw intuneBadRequest(`A '${filterType}' filter needs 'deviceAndAppManagementAssignmentFilterId'.`, field('target.deviceAndAppManagementAssignmentFilterId'));
    await getIntuneObject(scope, { collection: ASSIGNMENT_FILTERS }, filterId).catch(() => {
      throw intuneBadRequest(`Assignment filter '${filterId}' does not exist.`, field('target.deviceAndAppManagementAssignmentFilterId'));
    });
  }
  stored.deviceAndAppManagementAssignmentFilterId = filterType === 'none' ? null : filterId;
  stored.deviceAndAppManagementAssignmentFilterType = filterType;
  const out: Record<string, unknown> = { '@odata.type': kind.odataType, id: kind.assignmentId?.(objectId, stored) ?? newId(), target: stored };
  if (kind.intents) {
    if (typeof a.intent !== 'string' || !kind.intents.includes(a.intent)) throw intuneBadRequest(`'intent' must be one of ${kind.intents.join(', ')}.`, field('intent'));
    out.intent = a.intent;
  }
  for (const p of kind.extraProperties ?? []) {
    if (a[p] === undefined) continue;
    checkStorable(a[p], field(p));
    out[p] = a[p];
  }
  return out as Assignment;
}

/** The `assign` action: replaces the whole set, all-or-nothing. */
export async function replaceAssignments(scope: Scope, kind: AssignmentKind, objectId: string, bodies: unknown): Promise<Assignment[]> {
  if (!Array.isArray(bodies)) throw intuneBadRequest('The assignments must be an array.', 'assignments');
  return inTransaction(scope, async (tx) => {
    await getIntuneObject(tx, kind, objectId);
    const checked: Assignment[] = [];
    for (const [i, b] of bodies.entries()) checked.push(await checkAssignment(tx, kind, b, i, objectId));
    const seen = new Set<string>();
    for (const a of checked) {
      const key = `${a.target['@odata.type']}|${a.target.groupId ?? ''}`;
      if (seen.has(key)) throw intuneBadRequest('The same target is assigned twice.', 'assignments');
      seen.add(key);
    }
    await tx.db.deleteFrom('intune_assignments').where('tenant_id', '=', tx.tenantId).where('collection', '=', kind.collection).where('object_id', '=', objectId).execute();
    for (const a of checked) await insertAssignment(tx, kind, objectId, a);
    return checked;
  });
}

/** `POST …/assignments`: adds one. */
export async function addAssignment(scope: Scope, kind: AssignmentKind, objectId: string, body: unknown): Promise<Assignment> {
  return inTransaction(scope, async (tx) => {
    await getIntuneObject(tx, kind, objectId);
    const a = await checkAssignment(tx, kind, body, 0, objectId);
    await insertAssignment(tx, kind, objectId, a);
    return a;
  });
}

async function insertAssignment(scope: Scope, kind: AssignmentKind, objectId: string, a: Assignment) {
  await scope.db
    .insertInto('intune_assignments')
    .values({
      tenant_id: scope.tenantId,
      collection: kind.collection,
      object_id: objectId,
      id: a.id,
      target_type: String(a.target['@odata.type']),
      group_id: (a.target.groupId as string | undefined) ?? null,
      intent: (a.intent as string | undefined) ?? null,
      data: writeJson(a),
    })
    .execute();
}

export async function listAssignments(scope: Scope, kind: Pick<AssignmentKind, 'collection'>, objectId: string): Promise<Assignment[]> {
  const rows = await scope.db
    .selectFrom('intune_assignments')
    .select('data')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', kind.collection)
    .where('object_id', '=', objectId)
    .orderBy('id')
    .execute();
  return rows.map((r) => readJson<Assignment>(r.data));
}

export async function getAssignment(scope: Scope, kind: AssignmentKind, objectId: string, id: string): Promise<Assignment> {
  const found = (await listAssignments(scope, kind, objectId)).find((a) => a.id === id);
  if (!found) throw intuneNotFound(`${kind.collection} assignment`, id);
  return found;
}

export async function deleteAssignment(scope: Scope, kind: AssignmentKind, objectId: string, id: string): Promise<void> {
  const result = await scope.db
    .deleteFrom('intune_assignments')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', kind.collection)
    .where('object_id', '=', objectId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw intuneNotFound(`${kind.collection} assignment`, id);
}
