// Directory objects of every kind: where each kind is stored, how a row becomes its Graph form, and
// lookups by id across kinds (for $ref bodies, getByIds and mixed member lists).
import type { Scope } from '../server/context.js';
import { readJson } from '../store/db.js';
import type { ObjectKind } from './tables.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import { applicationShape, deviceShape, groupShape, servicePrincipalShape, userShape } from '../graph/schema/shapes.js';

type KindTable = 'users' | 'groups' | 'devices' | 'service_principals' | 'applications';

export interface KindInfo {
  readonly kind: ObjectKind;
  readonly table: KindTable;
  /** The entity set under the version root, e.g. 'users'. */
  readonly entitySet: string;
  readonly odataType: string;
  readonly shape: ResourceShape;
}

export const KINDS: Readonly<Record<ObjectKind, KindInfo>> = {
  user: { kind: 'user', table: 'users', entitySet: 'users', odataType: '#microsoft.graph.user', shape: userShape },
  group: { kind: 'group', table: 'groups', entitySet: 'groups', odataType: '#microsoft.graph.group', shape: groupShape },
  device: { kind: 'device', table: 'devices', entitySet: 'devices', odataType: '#microsoft.graph.device', shape: deviceShape },
  servicePrincipal: {
    kind: 'servicePrincipal',
    table: 'service_principals',
    entitySet: 'servicePrincipals',
    odataType: '#microsoft.graph.servicePrincipal',
    shape: servicePrincipalShape,
  },
  application: {
    kind: 'application',
    table: 'applications',
    entitySet: 'applications',
    odataType: '#microsoft.graph.application',
    shape: applicationShape,
  },
};

export type GraphObject = Record<string, unknown> & { id: string };

/** A stored row in its Graph form, with `@odata.type` so mixed collections can tell kinds apart. */
export function toGraphObject(kind: ObjectKind, row: { id: string; data: unknown }): GraphObject {
  return { '@odata.type': KINDS[kind].odataType, ...readJson(row.data), id: row.id };
}

export async function findObject(scope: Scope, id: string, kinds: readonly ObjectKind[] = Object.keys(KINDS) as ObjectKind[]) {
  for (const kind of kinds) {
    const row = await scope.db
      .selectFrom(KINDS[kind].table)
      .select(['id', 'data'])
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row) return { kind, object: toGraphObject(kind, row) };
  }
  return undefined;
}

/**
 * Objects by id whatever their kind (directoryObjects/getByIds): one query per kind, in the order of
 * `ids`; unknown ids are left out.
 */
export async function findObjectsByIds(scope: Scope, ids: readonly string[], kinds: readonly ObjectKind[] = Object.keys(KINDS) as ObjectKind[]): Promise<GraphObject[]> {
  const wanted = [...new Set(ids.map((i) => i.toLowerCase()))];
  const found = new Map<string, GraphObject>();
  for (const kind of kinds) await fetchKind(scope, kind, wanted, found);
  return wanted.map((id) => found.get(id)).filter((o): o is GraphObject => o !== undefined);
}

/** Loads objects by id, kind by kind, keeping the order of `refs`; missing ids are left out. */
export async function loadObjects(scope: Scope, refs: readonly { id: string; kind: ObjectKind }[]): Promise<GraphObject[]> {
  const found = new Map<string, GraphObject>();
  const byKind = new Map<ObjectKind, string[]>();
  for (const r of refs) {
    const ids = byKind.get(r.kind);
    if (ids) ids.push(r.id);
    else byKind.set(r.kind, [r.id]);
  }
  for (const [kind, ids] of byKind) await fetchKind(scope, kind, ids, found);
  return refs.map((r) => found.get(r.id)).filter((o): o is GraphObject => o !== undefined);
}

/** Reads the objects of one kind with the given ids (500 per query) into `found`. */
async function fetchKind(scope: Scope, kind: ObjectKind, ids: readonly string[], found: Map<string, GraphObject>): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await scope.db
      .selectFrom(KINDS[kind].table)
      .select(['id', 'data'])
      .where('tenant_id', '=', scope.tenantId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.id, toGraphObject(kind, row));
  }
}

/** Parses the object id out of an `@odata.id` reference URL (`…/directoryObjects/{id}`, `…/groups('{id}')`). */
export function idFromReference(ref: string): string | undefined {
  const m = /\/(?:directoryObjects|users|groups|devices|servicePrincipals|applications|contacts)(?:\/|\(')?([0-9a-fA-F-]{36})(?:'\))?\/?$/.exec(
    ref.trim(),
  );
  return m ? m[1]!.toLowerCase() : undefined;
}
