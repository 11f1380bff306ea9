// Whether an Entra group is a "device group" or a "user group" in Intune's sense, for the assignment rules
// that depend on it (an app's Available intent is valid for user groups only). A dynamic group is what its
// rule selects; an assigned group is what its direct members are. An empty or mixed group is undecided.
// Source: memdocs apps/apps-deploy.md ("Available assignments are only valid when assigning to user groups").
import type { Scope } from '../server/context.js';

export type GroupAudience = 'user' | 'device' | 'mixed' | 'unknown';

export async function groupAudience(scope: Scope, groupId: string): Promise<GroupAudience> {
  const group = await scope.db
    .selectFrom('groups')
    .select('rule_kind')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', groupId)
    .executeTakeFirst();
  if (!group) return 'unknown';
  if (group.rule_kind === 'device' || group.rule_kind === 'user') return group.rule_kind;
  const kinds = await scope.db
    .selectFrom('links')
    .select('target_kind')
    .distinct()
    .where('tenant_id', '=', scope.tenantId)
    .where('rel', '=', 'members')
    .where('source_id', '=', groupId)
    .execute();
  const set = new Set(kinds.map((k) => k.target_kind));
  if (set.size === 0) return 'unknown';
  if (set.size === 1 && set.has('device')) return 'device';
  if (set.size === 1 && set.has('user')) return 'user';
  return 'mixed';
}
