// Dynamic groups: the members of a group with groupTypes DynamicMembership are exactly the users or devices
// its rule selects, kept right as objects, rules and memberships change. Membership is stored as ordinary
// `members` links, so members, memberOf and everything targeted at groups follow.
// Source: Entra docs groups-dynamic-membership.md (no manual members; users or devices, never both;
// Paused freezes membership) and groups-dynamic-rule-member-of.md (memberOf rules).
import { sql } from 'kysely';
import type { Scope } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { readJson, writeJson } from '../store/db.js';
import {
  checkRule,
  compileRuleJs,
  compileRuleSql,
  ruleTable,
  subjectFromGraph,
  explainRule,
  type CheckedRule,
  type RuleExplanation,
  type RulePredicate,
} from '../rules/index.js';
import { GraphError, badRequest, resourceNotFound } from '../graph/errors.js';
import { isGuid } from '../core/ids.js';
import { linkSources, linkTargets } from './links.js';
import type { GroupRow } from './tables.js';
import { isDynamic, isUnified } from './group-types.js';

export type RuleKind = 'user' | 'device';

/** The indexed rule columns of a group row, derived from its Graph data (one place sets them). */
export function ruleColumns(data: Record<string, unknown>): Pick<GroupRow, 'membership_rule' | 'rule_kind' | 'rule_state'> {
  if (!isDynamic(data)) return { membership_rule: null, rule_kind: null, rule_state: null };
  const rule = checkRule(String(data.membershipRule));
  return { membership_rule: rule.text, rule_kind: rule.kind, rule_state: data.membershipRuleProcessingState === 'Paused' ? 'Paused' : 'On' };
}

/**
 * Checks a dynamic group's rule when the group is created or changed: valid, and users only for a
 * Microsoft 365 group ("Microsoft 365 groups hold users only").
 */
export function checkGroupRule(data: Record<string, unknown>): CheckedRule | undefined {
  if (!isDynamic(data)) return undefined;
  const rule = checkRule(String(data.membershipRule ?? ''));
  if (isUnified(data) && rule.kind === 'device') {
    throw new GraphError(400, 'Request_BadRequest', 'A Microsoft 365 group can only have users as members; use a security group for a device rule.', {
      target: 'membershipRule',
    });
  }
  return rule;
}

/** "You can't manually add or remove a member of a dynamic membership group." */
export const manualMemberRefused = () =>
  new GraphError(
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation. The members of a dynamic membership group follow its rule and cannot be added or removed manually.',
  );

// Compiled predicates by rule text: a pure function of the text, so no other process can make one wrong.
const predicates = new Map<string, { rule: CheckedRule; predicate: RulePredicate }>();
const PREDICATE_CACHE_LIMIT = 5_000;

/** A rule checked and compiled; cached unless it reads the clock (system.now), which differs by scope. */
export function compiledRule(text: string, scope: Scope): { rule: CheckedRule; predicate: RulePredicate } {
  let entry = predicates.get(text);
  if (!entry) {
    const rule = checkRule(text);
    entry = { rule, predicate: compileRuleJs(rule, { clock: scope.clock }) };
    if (rule.usesNow) return entry;
    if (predicates.size >= PREDICATE_CACHE_LIMIT) predicates.delete(predicates.keys().next().value!);
    predicates.set(text, entry);
  }
  return entry;
}


/**
 * Recomputes a dynamic group's whole membership in the database (after it is created, its rule changes
 * or processing is turned back On). A paused group keeps its members. Then groups whose memberOf rule
 * reads this group follow.
 */
export async function recomputeGroup(scope: Scope, groupId: string, visited: Set<string> = new Set()): Promise<void> {
  if (visited.has(groupId)) return;
  visited.add(groupId);
  const group = await scope.db
    .selectFrom('groups')
    .select(['data', 'membership_rule', 'rule_kind', 'rule_state'])
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', groupId)
    .executeTakeFirst();
  if (!group?.membership_rule) return;
  const data = readJson(group.data);
  if (group.rule_state !== 'On') {
    if (data.membershipRuleProcessingStatus !== null) await saveStatus(scope, groupId, data, null);
    return;
  }
  const { rule, predicate } = compiledRule(group.membership_rule, scope);
  const changed = rule.needsJsFilter ? await recomputeInJs(scope, groupId, rule, predicate) : await recomputeInSql(scope, groupId, rule);
  const status = data.membershipRuleProcessingStatus as { lastMembershipUpdated?: string } | null | undefined;
  const lastMembershipUpdated = changed || !status?.lastMembershipUpdated ? isoNow(scope.clock) : status.lastMembershipUpdated;
  await saveStatus(scope, groupId, data, { status: 'Succeeded', lastMembershipUpdated, errorMessage: null });
  if (changed) for (const dependent of await memberOfDependents(scope, groupId)) await recomputeGroup(scope, dependent, visited);
}

/** Whole-tenant evaluation in SQL: add what the rule selects, remove what it no longer selects. */
async function recomputeInSql(scope: Scope, groupId: string, rule: CheckedRule): Promise<boolean> {
  const table = ruleTable(rule.kind);
  const where = compileRuleSql(rule, scope.dialect, { alias: 'o', clock: scope.clock });
  const added = await sql`
    insert into links (tenant_id, source_id, rel, target_id, target_kind)
    select o.tenant_id, ${groupId}, 'members', o.id, ${rule.kind}
    from ${sql.table(table)} as o
    where o.tenant_id = ${scope.tenantId} and (${where})
      and not exists (select 1 from links l where l.tenant_id = o.tenant_id and l.rel = 'members' and l.source_id = ${groupId} and l.target_id = o.id)`.execute(scope.db);
  const removed = await sql`
    delete from links
    where tenant_id = ${scope.tenantId} and rel = 'members' and source_id = ${groupId}
      and not exists (select 1 from ${sql.table(table)} as o where o.tenant_id = links.tenant_id and o.id = links.target_id and (${where}))`.execute(scope.db);
  return Number(added.numAffectedRows ?? 0n) + Number(removed.numAffectedRows ?? 0n) > 0;
}

/** Rules with -match: SQL narrows the candidates, the JS predicate decides (see compileRuleSql). */
async function recomputeInJs(scope: Scope, groupId: string, rule: CheckedRule, predicate: RulePredicate): Promise<boolean> {
  const where = compileRuleSql(rule, scope.dialect, { alias: 'o', clock: scope.clock });
  const rows = await sql<{ id: string; data: unknown }>`
    select o.id, o.data from ${sql.table(ruleTable(rule.kind))} as o where o.tenant_id = ${scope.tenantId} and (${where})`.execute(scope.db);
  const wanted = new Set(rows.rows.filter((r) => predicate(subjectFromGraph(rule.kind, { id: r.id, ...readJson(r.data) }))).map((r) => r.id));
  const current = new Set((await linkTargets(scope, 'members', groupId)).map((t) => t.id));
  const add = [...wanted].filter((id) => !current.has(id));
  const remove = [...current].filter((id) => !wanted.has(id));
  await setMembership(scope, groupId, rule.kind, add, remove);
  return add.length + remove.length > 0;
}

/**
 * Re-evaluates every active dynamic group of the object's kind for one user or device that was created or
 * changed (attributes, manager, or membership of a group a memberOf rule reads). Rules that read memberOf
 * are evaluated after the others, so they see memberships this change produced.
 */
export async function reevaluateObject(scope: Scope, kind: RuleKind, objectId: string): Promise<void> {
  const groups = await scope.db
    .selectFrom('groups')
    .select(['id', 'membership_rule'])
    .where('tenant_id', '=', scope.tenantId)
    .where('rule_kind', '=', kind)
    .where('rule_state', '=', 'On')
    .execute();
  if (groups.length === 0) return;
  const object = await scope.db
    .selectFrom(ruleTable(kind))
    .select(['id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', objectId)
    .executeTakeFirst();
  if (!object) return;
  const graphObject = { id: object.id, ...readJson(object.data) };
  const rules = groups.map((g) => ({ id: g.id, ...compiledRule(g.membership_rule!, scope) }));
  const managerId = kind === 'user' && rules.some((r) => r.rule.special === 'directReports') ? ((await linkTargets(scope, 'manager', objectId))[0]?.id ?? null) : null;
  const changedGroups = new Set<string>();
  // Plain rules first; then memberOf rules until nothing moves, so a memberOf group that lists another
  // memberOf group sees its new membership (bounded: each round must move something).
  const plain = rules.filter((r) => r.rule.special !== 'memberOf');
  const memberOfRules = rules.filter((r) => r.rule.special === 'memberOf');
  const evaluate = async (batch: typeof rules): Promise<boolean> => {
    const memberOf = await linkSources(scope, 'members', objectId);
    const current = new Set(memberOf);
    const subject = subjectFromGraph(kind, graphObject, { memberOf, managerId });
    let moved = false;
    for (const r of batch) {
      const wanted = r.predicate(subject);
      if (wanted === current.has(r.id)) continue;
      await setMembership(scope, r.id, kind, wanted ? [objectId] : [], wanted ? [] : [objectId]);
      changedGroups.add(r.id);
      moved = true;
    }
    return moved;
  };
  await evaluate(plain);
  for (let round = 0; round <= memberOfRules.length && (await evaluate(memberOfRules)); round++);
  for (const groupId of changedGroups) await touchStatus(scope, groupId);
}

/** Groups whose memberOf rule reads the given group, to recompute when its membership changes. */
export async function memberOfDependents(scope: Scope, groupId: string): Promise<string[]> {
  const rows = await scope.db
    .selectFrom('groups')
    .select(['id', 'membership_rule'])
    .where('tenant_id', '=', scope.tenantId)
    .where('rule_state', '=', 'On')
    .where('membership_rule', 'is not', null)
    .execute();
  return rows.filter((g) => g.id !== groupId && compiledRule(g.membership_rule!, scope).rule.memberOfGroupIds.includes(groupId)).map((g) => g.id);
}

async function setMembership(scope: Scope, groupId: string, kind: RuleKind, add: readonly string[], remove: readonly string[]) {
  for (let i = 0; i < add.length; i += 500) {
    await scope.db
      .insertInto('links')
      .values(add.slice(i, i + 500).map((id) => ({ tenant_id: scope.tenantId, source_id: groupId, rel: 'members', target_id: id, target_kind: kind })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  for (let i = 0; i < remove.length; i += 500) {
    await scope.db
      .deleteFrom('links')
      .where('tenant_id', '=', scope.tenantId)
      .where('rel', '=', 'members')
      .where('source_id', '=', groupId)
      .where('target_id', 'in', remove.slice(i, i + 500))
      .execute();
  }
}

/** Beta's membershipRuleProcessingStatus: null while paused. */
async function saveStatus(scope: Scope, groupId: string, data: Record<string, unknown>, status: Record<string, unknown> | null) {
  await scope.db
    .updateTable('groups')
    .set({ data: writeJson({ ...data, membershipRuleProcessingStatus: status }) })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', groupId)
    .execute();
}

async function touchStatus(scope: Scope, groupId: string) {
  const row = await scope.db.selectFrom('groups').select('data').where('tenant_id', '=', scope.tenantId).where('id', '=', groupId).executeTakeFirst();
  if (row) await saveStatus(scope, groupId, readJson(row.data), { status: 'Succeeded', lastMembershipUpdated: isoNow(scope.clock), errorMessage: null });
}

export interface MembershipExplanation {
  readonly rule: CheckedRule;
  readonly memberId: string;
  readonly explanation: RuleExplanation;
}

/**
 * Evaluates a rule (given, or the group's own) for one user or device and explains every expression with
 * the object's actual values: the service behind evaluateDynamicMembership and Tarmac's explain.
 */
export async function explainMembership(scope: Scope, input: { memberId: unknown; membershipRule?: unknown; groupId?: string }): Promise<MembershipExplanation> {
  if (typeof input.memberId !== 'string' || !isGuid(input.memberId)) throw badRequest("'memberId' must be the object id of a user or device.", 'memberId');
  const memberId = input.memberId.toLowerCase();
  let text = input.membershipRule;
  if (text === undefined && input.groupId) {
    const group = await scope.db.selectFrom('groups').select(['membership_rule']).where('tenant_id', '=', scope.tenantId).where('id', '=', input.groupId.toLowerCase()).executeTakeFirst();
    if (!group) throw resourceNotFound(input.groupId);
    if (!group.membership_rule) throw badRequest('The group has no dynamic membership rule; pass one in membershipRule.', 'membershipRule');
    text = group.membership_rule;
  }
  if (typeof text !== 'string') throw badRequest("'membershipRule' is required.", 'membershipRule');
  const rule = checkRule(text);
  const object = await scope.db.selectFrom(ruleTable(rule.kind)).select(['id', 'data']).where('tenant_id', '=', scope.tenantId).where('id', '=', memberId).executeTakeFirst();
  if (!object) {
    throw badRequest(`'${input.memberId}' is not a ${rule.kind} of this tenant; a ${rule.kind} rule is evaluated for ${rule.kind}s.`, 'memberId');
  }
  const memberOf = await linkSources(scope, 'members', memberId);
  const managerId = rule.kind === 'user' ? ((await linkTargets(scope, 'manager', memberId))[0]?.id ?? null) : null;
  const subject = subjectFromGraph(rule.kind, { id: object.id, ...readJson(object.data) }, { memberOf, managerId });
  return { rule, memberId, explanation: explainRule(rule, subject, { clock: scope.clock }) };
}
