// Assignments of Settings Catalog policies (deviceManagementConfigurationPolicyAssignment) and the policy's
// isAssigned flag. A user-driven device preparation policy is assigned to user groups (or all users); an
// automatic-mode policy has no assignments (the Cloud PC provisioning policy assigns it).
// Source: graph-api.md §4.3; memdocs autopilot/device-preparation/tutorial/automatic/automatic-autopilot-policy.md
// ("there's no Assignments page"); Graph beta deviceManagementConfigurationPolicy assign.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { intuneBadRequest } from './errors.js';
import { getIntuneObject, saveIntuneObject, type IntuneObject } from './resource.js';
import {
  addAssignment,
  ALL_DEVICES_TARGET,
  ALL_USERS_TARGET,
  deleteAssignment,
  EXCLUSION_TARGET,
  GROUP_TARGET,
  listAssignments,
  replaceAssignments,
  type Assignment,
  type AssignmentKind,
} from './assignments.js';
import { CONFIGURATION_POLICIES } from './configuration-policies.js';
import { templateOfPolicy } from './device-preparation-templates.js';

export const POLICY_ASSIGNMENT_TYPE = '#microsoft.graph.deviceManagementConfigurationPolicyAssignment';
const SOURCES = ['direct', 'policySets'];

const kind = (targets: readonly string[]): AssignmentKind => ({
  collection: CONFIGURATION_POLICIES,
  odataType: POLICY_ASSIGNMENT_TYPE,
  targets,
  extraProperties: ['source', 'sourceId'],
});

/** What a policy may be assigned to: users for user-driven device preparation, anything for other policies. */
function assignmentKindOf(policy: IntuneObject): AssignmentKind {
  const mode = templateOfPolicy(policy)?.mode;
  if (mode === 'userDriven') return kind([GROUP_TARGET, EXCLUSION_TARGET, ALL_USERS_TARGET]);
  if (mode === 'automatic') return kind([]);
  return kind([GROUP_TARGET, EXCLUSION_TARGET, ALL_USERS_TARGET, ALL_DEVICES_TARGET]);
}

/** The read side only needs the collection. */
export const policyAssignmentKind = kind([]);

/** Adds Intune's server-set `source` ("direct" unless the client says policySets) and `sourceId` (the policy). */
function withSource(body: unknown, policyId: string, field: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  const source = b.source ?? 'direct';
  if (typeof source !== 'string' || !SOURCES.includes(source)) throw intuneBadRequest("'source' must be direct or policySets.", `${field}.source`);
  return { ...b, source, sourceId: policyId };
}

function refuseAutomatic(policy: IntuneObject, count: number): void {
  if (count > 0 && templateOfPolicy(policy)?.mode === 'automatic') {
    throw intuneBadRequest('An automatic-mode device preparation policy has no assignments; the Cloud PC provisioning policy assigns it.', 'assignments');
  }
}

async function markAssigned(scope: Scope, policy: IntuneObject): Promise<void> {
  const isAssigned = (await listAssignments(scope, policyAssignmentKind, policy.id)).length > 0;
  if (policy.isAssigned !== isAssigned) await saveIntuneObject(scope, { collection: CONFIGURATION_POLICIES }, policy.id, { ...policy, isAssigned });
}

/** `assign`: replaces every assignment, all-or-nothing, and keeps isAssigned true exactly when some remain. */
export async function assignPolicy(scope: Scope, policyId: string, bodies: unknown): Promise<Assignment[]> {
  if (!Array.isArray(bodies)) throw intuneBadRequest("'assignments' must be an array of deviceManagementConfigurationPolicyAssignment objects.", 'assignments');
  return inTransaction(scope, async (tx) => {
    const policy = await getIntuneObject(tx, { collection: CONFIGURATION_POLICIES }, policyId);
    refuseAutomatic(policy, bodies.length);
    const list = await replaceAssignments(tx, assignmentKindOf(policy), policy.id, bodies.map((b, i) => withSource(b, policy.id, `assignments[${i}]`)));
    await markAssigned(tx, policy);
    return list;
  });
}

/** `POST …/assignments`: adds one. */
export async function addPolicyAssignment(scope: Scope, policyId: string, body: unknown): Promise<Assignment> {
  return inTransaction(scope, async (tx) => {
    const policy = await getIntuneObject(tx, { collection: CONFIGURATION_POLICIES }, policyId);
    refuseAutomatic(policy, 1);
    const added = await addAssignment(tx, assignmentKindOf(policy), policy.id, withSource(body, policy.id, 'assignments[0]'));
    await markAssigned(tx, policy);
    return added;
  });
}

/** `DELETE …/assignments/{id}`. */
export async function removePolicyAssignment(scope: Scope, policyId: string, assignmentId: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const policy = await getIntuneObject(tx, { collection: CONFIGURATION_POLICIES }, policyId);
    await deleteAssignment(tx, policyAssignmentKind, policy.id, assignmentId);
    await markAssigned(tx, policy);
  });
}
