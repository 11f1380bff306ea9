// Role scope tags that resources carry: the built-in Default tag "0" and the check that every id a resource
// names exists (kept apart from scope-tags.ts, which serves the tags, so resource.ts can use it).
import type { Scope } from '../server/context.js';
import { intuneBadRequest } from './errors.js';

export const DEFAULT_SCOPE_TAG = { id: '0', displayName: 'Default', description: 'Default scope tag', isBuiltIn: true } as const;
export const SCOPE_TAGS = 'roleScopeTags';

export async function checkScopeTags(scope: Scope, value: unknown): Promise<void> {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw intuneBadRequest("'roleScopeTagIds' must be an array of scope tag ids.", 'roleScopeTagIds');
  const custom = (value as string[]).filter((id) => id !== DEFAULT_SCOPE_TAG.id);
  if (custom.length === 0) return;
  const rows = await scope.db
    .selectFrom('intune_objects')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', SCOPE_TAGS)
    .where('id', 'in', custom)
    .execute();
  const known = new Set(rows.map((r) => r.id));
  const missing = custom.filter((id) => !known.has(id));
  if (missing.length > 0) throw intuneBadRequest(`Scope tag ${missing.map((m) => `'${m}'`).join(', ')} does not exist.`, 'roleScopeTagIds');
}

