// Facts about the caller's tenant that directory rules need (its verified domain).
import type { Scope } from '../server/context.js';

export async function tenantDomain(scope: Scope): Promise<string> {
  const row = await scope.db.selectFrom('tenants').select('domain').where('id', '=', scope.tenantId).executeTakeFirstOrThrow();
  return row.domain;
}
