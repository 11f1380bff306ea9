// Relations between directory objects (group members and owners, a device's registered owners and
// users, a policy's included groups), stored as rows of `links`. Errors use Graph's exact wording.
import type { Scope } from '../server/context.js';
import { isUniqueViolation } from '../store/db.js';
import { GraphError } from '../graph/errors.js';
import type { ObjectKind } from './tables.js';

export type Relation = 'members' | 'owners' | 'registeredOwners' | 'registeredUsers' | 'includedGroups' | 'manager';

export interface LinkTarget {
  readonly id: string;
  readonly kind: ObjectKind;
}

const alreadyExists = (rel: string) =>
  new GraphError(
    400,
    'Request_BadRequest',
    `One or more added object references already exist for the following modified properties: '${rel}'.`,
  );

/** Whether the source holds the target in the relation (a point lookup, whatever the group's size). */
export async function hasLink(scope: Scope, rel: Relation, sourceId: string, targetId: string): Promise<boolean> {
  const row = await scope.db
    .selectFrom('links')
    .select('target_id')
    .where('tenant_id', '=', scope.tenantId)
    .where('rel', '=', rel)
    .where('source_id', '=', sourceId)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function addLink(scope: Scope, rel: Relation, sourceId: string, target: LinkTarget): Promise<void> {
  if (await hasLink(scope, rel, sourceId, target.id)) throw alreadyExists(rel);
  try {
    await scope.db
      .insertInto('links')
      .values({ tenant_id: scope.tenantId, rel, source_id: sourceId, target_id: target.id, target_kind: target.kind })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyExists(rel);
    throw err;
  }
}

export async function removeLink(scope: Scope, rel: Relation, sourceId: string, targetId: string): Promise<void> {
  const result = await scope.db
    .deleteFrom('links')
    .where('tenant_id', '=', scope.tenantId)
    .where('rel', '=', rel)
    .where('source_id', '=', sourceId)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      `One or more removed object references do not exist for the following modified properties: '${rel}'.`,
    );
  }
}

/** The objects a source holds in a relation (a group's members), in a stable order. */
export async function linkTargets(scope: Scope, rel: Relation, sourceId: string): Promise<LinkTarget[]> {
  const rows = await scope.db
    .selectFrom('links')
    .select(['target_id', 'target_kind'])
    .where('tenant_id', '=', scope.tenantId)
    .where('rel', '=', rel)
    .where('source_id', '=', sourceId)
    .orderBy('target_id')
    .execute();
  return rows.map((r) => ({ id: r.target_id, kind: r.target_kind }));
}

/** The sources that hold an object in a relation (the groups a user is a member of). */
export async function linkSources(scope: Scope, rel: Relation, targetId: string): Promise<string[]> {
  const rows = await scope.db
    .selectFrom('links')
    .select('source_id')
    .where('tenant_id', '=', scope.tenantId)
    .where('rel', '=', rel)
    .where('target_id', '=', targetId)
    .orderBy('source_id')
    .execute();
  return rows.map((r) => r.source_id);
}

/** Removes every relation an object takes part in, on either side (the object is being deleted). */
export async function deleteLinksOf(scope: Scope, id: string): Promise<void> {
  await scope.db
    .deleteFrom('links')
    .where('tenant_id', '=', scope.tenantId)
    .where((eb) => eb.or([eb('source_id', '=', id), eb('target_id', '=', id)]))
    .execute();
}
