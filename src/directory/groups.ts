// Groups: security and Microsoft 365, assigned or dynamic (the rule is stored as given here; making it
// live belongs to the rules module), with members and owners.
// Source: Graph docs "Create group" (group-post-groups.md), "Add members" (group-post-members.md).
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError, badRequest, resourceNotFound } from '../graph/errors.js';
import { invalidValue, validateBody, type BodyRules } from '../graph/validate.js';
// Writes accept beta's properties too; v1.0 responses leave the beta-only ones out.
import { groupBetaShape as groupShape } from '../graph/schema/shapes.js';
import { findObject, idFromReference, type GraphObject } from './objects.js';
import { addLink, deleteLinksOf, linkSources, linkTargets, removeLink, type LinkTarget } from './links.js';
import type { ObjectKind } from './tables.js';
import { tenantDomain } from './tenant-info.js';
import { isDynamic, isUnified } from './group-types.js';
import { checkGroupRule, manualMemberRefused, memberOfDependents, recomputeGroup, reevaluateObject, ruleColumns } from './dynamic-membership.js';

const RULES: BodyRules = {
  resource: 'Group',
  readOnly: ['id', 'createdDateTime', 'deletedDateTime', 'renewedDateTime', 'securityIdentifier', 'mail', 'proxyAddresses', 'onPremisesSyncEnabled'],
  maxLength: { displayName: 256, mailNickname: 64, description: 1024, membershipRule: 3072 },
  extraKeys: ['members@odata.bind', 'owners@odata.bind'],
};

const REQUIRED_ON_CREATE = ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'] as const;
const GROUP_TYPES = new Set(['unified', 'dynamicmembership']);
const MAIL_NICKNAME = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]{1,64}$/;
/** Graph accepts at most 20 members and owners together in one create request. */
const MAX_BINDS_ON_CREATE = 20;

const MEMBER_KINDS: readonly ObjectKind[] = ['user', 'group', 'device', 'servicePrincipal'];
const OWNER_KINDS: readonly ObjectKind[] = ['user', 'servicePrincipal'];

export async function createGroup(scope: Scope, body: Record<string, unknown>): Promise<GraphObject> {
  const input = validateBody(body, groupShape, RULES);
  for (const name of REQUIRED_ON_CREATE) {
    if (input[name] === undefined || input[name] === null) {
      throw new GraphError(400, 'Request_BadRequest', `Property '${name}' is required when creating the object.`, { target: name });
    }
  }
  checkGroupSettings(input);
  const memberRefs = bindList(body, 'members@odata.bind');
  const ownerRefs = bindList(body, 'owners@odata.bind');
  if (memberRefs.length + ownerRefs.length > MAX_BINDS_ON_CREATE) {
    throw badRequest(`A maximum of ${MAX_BINDS_ON_CREATE} members and owners can be added when creating a group.`);
  }
  const id = newId();
  const now = isoNow(scope.clock);
  const unified = isUnified(input);
  const domain = await tenantDomain(scope);
  const data: Record<string, unknown> = {
    classification: null,
    description: null,
    expirationDateTime: null,
    groupTypes: [],
    isAssignableToRole: null,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    theme: null,
    visibility: unified ? 'Public' : null,
    ...input,
    createdDateTime: now,
    renewedDateTime: now,
    mail: unified ? `${input.mailNickname}@${domain}` : null,
    proxyAddresses: unified ? [`SMTP:${input.mailNickname}@${domain}`] : [],
    securityIdentifier: securityIdentifier(id),
  };
  if (isDynamic(data) && data.membershipRuleProcessingState == null) data.membershipRuleProcessingState = 'On';
  if (isDynamic(data) && memberRefs.length > 0) throw manualMemberRefused();
  return inTransaction(scope, async (tx) => {
    await tx.db.insertInto('groups').values({ tenant_id: tx.tenantId, id, data: writeJson(data), ...ruleColumns(data) }).execute();
    for (const ref of memberRefs) await addMemberById(tx, id, ref, 'members');
    for (const ref of ownerRefs) await addMemberById(tx, id, ref, 'owners');
    if (isDynamic(data)) await recomputeGroup(tx, id);
    return getGroup(tx, id);
  });
}

export async function updateGroup(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const patch = validateBody(body, groupShape, { ...RULES, extraKeys: [] });
  await inTransaction(scope, async (tx) => {
    const row = await findGroupRow(tx, id);
    const data = { ...readJson(row.data), ...patch };
    checkGroupSettings(data);
    if (isDynamic(data) && data.membershipRuleProcessingState == null) data.membershipRuleProcessingState = 'On';
    // A group that stops being dynamic keeps its members as assigned ones and has no processing status.
    if (!isDynamic(data)) delete data.membershipRuleProcessingStatus;
    const columns = ruleColumns(data);
    await tx.db.updateTable('groups').set({ data: writeJson(data), ...columns }).where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    // Entra reprocesses a group whose rule or processing state changes (editing the rule forces it).
    if (columns.membership_rule !== row.membership_rule || columns.rule_state !== row.rule_state) await recomputeGroup(tx, row.id);
  });
}

export async function deleteGroup(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const row = await findGroupRow(tx, id);
    const dependents = await memberOfDependents(tx, row.id);
    await tx.db.deleteFrom('groups').where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await deleteLinksOf(tx, row.id);
    for (const dependent of dependents) await recomputeGroup(tx, dependent);
  });
}

export async function getGroup(scope: Scope, id: string): Promise<GraphObject> {
  const row = await findGroupRow(scope, id);
  return { id: row.id, ...readJson(row.data) };
}

export async function findGroupRow(scope: Scope, id: string) {
  const row = isGuid(id)
    ? await scope.db
        .selectFrom('groups')
        .selectAll()
        .where('tenant_id', '=', scope.tenantId)
        .where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw resourceNotFound(id);
  return row;
}

/** `POST /groups/{id}/members/$ref` and `…/owners/$ref` with `{"@odata.id": "…/directoryObjects/{id}"}`. */
export async function addReference(scope: Scope, groupId: string, rel: 'members' | 'owners', body: Record<string, unknown>): Promise<void> {
  const ref = body['@odata.id'];
  if (typeof ref !== 'string') throw badRequest("The request body must contain '@odata.id' with a reference URL.", '@odata.id');
  await inTransaction(scope, async (tx) => {
    const group = await findGroupRow(tx, groupId);
    if (rel === 'members' && group.membership_rule) throw manualMemberRefused();
    const member = await addMemberById(tx, group.id, ref, rel);
    if (rel === 'members') await followMembershipChange(tx, member);
  });
}

export async function removeReference(scope: Scope, groupId: string, rel: 'members' | 'owners', targetId: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const group = await findGroupRow(tx, groupId);
    if (rel === 'members' && group.membership_rule) throw manualMemberRefused();
    const member = (await linkTargets(tx, rel, group.id)).find((t) => t.id === targetId.toLowerCase());
    await removeLink(tx, rel, group.id, targetId.toLowerCase());
    if (rel === 'members' && member) await followMembershipChange(tx, member);
  });
}

/** A user or device joined or left a group: memberOf rules that read that group may now decide otherwise. */
async function followMembershipChange(scope: Scope, member: LinkTarget): Promise<void> {
  if (member.kind === 'user' || member.kind === 'device') await reevaluateObject(scope, member.kind, member.id);
}

async function addMemberById(scope: Scope, groupId: string, reference: string, rel: 'members' | 'owners'): Promise<LinkTarget> {
  const targetId = idFromReference(reference) ?? (isGuid(reference) ? reference.toLowerCase() : undefined);
  if (!targetId) throw badRequest(`Invalid object identifier '${reference}'.`, '@odata.id');
  const allowed = rel === 'members' ? MEMBER_KINDS : OWNER_KINDS;
  const found = await findObject(scope, targetId, allowed);
  if (!found) throw resourceNotFound(targetId);
  if (rel === 'members' && found.kind === 'group') {
    if (targetId === groupId) throw badRequest('A group cannot be a member of itself.');
    const group = await getGroup(scope, groupId);
    if (isUnified(group)) throw badRequest('Microsoft 365 groups cannot have groups as members.');
  }
  const target = { id: targetId, kind: found.kind };
  await addLink(scope, rel, groupId, target);
  return target;
}

export const groupMembers = (scope: Scope, groupId: string) => linkTargets(scope, 'members', groupId);
export const groupOwners = (scope: Scope, groupId: string) => linkTargets(scope, 'owners', groupId);

/** Members through nested groups, each once (Graph's transitiveMembers). */
export async function transitiveMembers(scope: Scope, groupId: string): Promise<LinkTarget[]> {
  const seen = new Map<string, LinkTarget>();
  const queue = [groupId];
  const visited = new Set(queue);
  while (queue.length > 0) {
    for (const member of await linkTargets(scope, 'members', queue.shift()!)) {
      if (!seen.has(member.id)) seen.set(member.id, member);
      if (member.kind === 'group' && !visited.has(member.id)) {
        visited.add(member.id);
        queue.push(member.id);
      }
    }
  }
  seen.delete(groupId);
  return [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The groups an object is a member of, directly or through nesting. */
export async function transitiveMemberOf(scope: Scope, objectId: string): Promise<string[]> {
  const result = new Set<string>();
  const queue = [objectId];
  while (queue.length > 0) {
    for (const groupId of await linkSources(scope, 'members', queue.shift()!)) {
      if (!result.has(groupId)) {
        result.add(groupId);
        queue.push(groupId);
      }
    }
  }
  result.delete(objectId);
  return [...result].sort();
}

export const memberOf = (scope: Scope, objectId: string) => linkSources(scope, 'members', objectId);

/** `checkMemberGroups`: which of up to 20 given groups the object belongs to, transitively. */
export async function checkMemberGroups(scope: Scope, objectId: string, body: Record<string, unknown>): Promise<string[]> {
  const ids = body.groupIds;
  if (!Array.isArray(ids) || !ids.every((g) => typeof g === 'string')) throw invalidValue('groupIds', 'checkMemberGroups');
  if (ids.length > 20) throw badRequest('The number of groups in groupIds cannot exceed 20.', 'groupIds');
  const groups = new Set(await transitiveMemberOf(scope, objectId));
  return (ids as string[]).filter((g) => groups.has(g.toLowerCase()));
}

/** `getMemberGroups`: every group the object belongs to, transitively; optionally security groups only. */
export async function getMemberGroups(scope: Scope, objectId: string, body: Record<string, unknown>): Promise<string[]> {
  const only = body.securityEnabledOnly;
  if (typeof only !== 'boolean') throw invalidValue('securityEnabledOnly', 'getMemberGroups');
  const ids = await transitiveMemberOf(scope, objectId);
  if (!only) return ids;
  const result: string[] = [];
  for (const id of ids) if ((await getGroup(scope, id)).securityEnabled === true) result.push(id);
  return result;
}

function checkGroupSettings(data: Record<string, unknown>): void {
  const types = data.groupTypes;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string' && GROUP_TYPES.has(t.toLowerCase()))) {
      throw invalidValue('groupTypes', 'Group');
    }
  }
  if (typeof data.mailNickname === 'string' && !MAIL_NICKNAME.test(data.mailNickname)) throw invalidValue('mailNickname', 'Group');
  if (data.mailEnabled === true && !isUnified(data)) {
    throw badRequest('Creating mail-enabled security groups or distribution groups is not supported; only Microsoft 365 groups can be mail-enabled.', 'mailEnabled');
  }
  if (isUnified(data) && data.mailEnabled !== true) throw invalidValue('mailEnabled', 'Group');
  const state = data.membershipRuleProcessingState;
  if (state != null && state !== 'On' && state !== 'Paused') throw invalidValue('membershipRuleProcessingState', 'Group');
  if (isDynamic(data) && (typeof data.membershipRule !== 'string' || data.membershipRule.trim() === '')) {
    throw badRequest("A dynamic group requires a 'membershipRule'.", 'membershipRule');
  }
  if (!isDynamic(data) && typeof data.membershipRule === 'string' && data.membershipRule !== '') {
    throw badRequest("'membershipRule' can only be set on a group whose groupTypes include 'DynamicMembership'.", 'membershipRule');
  }
  checkGroupRule(data);
}


function bindList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalidValue(key, 'Group');
  return value as string[];
}

/** Entra derives a group's SID from its object id (S-1-12-1 followed by the GUID's four 32-bit words). */
function securityIdentifier(id: string): string {
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  // The GUID's first three fields are little-endian in its binary form.
  const le = Buffer.concat([bytes.subarray(0, 4).reverse(), bytes.subarray(4, 6).reverse(), bytes.subarray(6, 8).reverse(), bytes.subarray(8)]);
  const words = [0, 4, 8, 12].map((o) => le.readUInt32LE(o));
  return `S-1-12-1-${words.join('-')}`;
}
