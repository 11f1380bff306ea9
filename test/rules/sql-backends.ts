// SQL back ends for rule tests: the users, devices and links tables (same columns as the directory's) in
// SQLite in memory and, when TARMAC_TEST_DATABASE_URL is set, in a fresh PostgreSQL schema dropped afterwards.
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import type { SqlDialect } from '../../src/graph/odata/index.js';
import { graphFromSubject, ruleTable, type ObjectKind, type RuleSubject } from '../../src/rules/index.js';

export const TENANT = 'tenant-a';
/** A second tenant holding the same ids, so that a subquery that forgets the tenant would be caught. */
export const OTHER_TENANT = 'tenant-b';

export interface StoredObject {
  readonly id: string;
  readonly data: Record<string, unknown>;
}

export interface StoredLink {
  readonly tenant: string;
  readonly source: string;
  readonly rel: 'members' | 'manager';
  readonly target: string;
  readonly targetKind: 'user' | 'device';
}

export interface RuleBackend {
  readonly dialect: SqlDialect;
  /** Replaces every row of the three tables; objects go to TENANT (and copies to OTHER_TENANT when asked). */
  load(kind: ObjectKind, objects: readonly StoredObject[], links: readonly StoredLink[], copyToOtherTenant?: boolean): Promise<void>;
  /** Ids (sorted) of TENANT's rows of the kind's table that satisfy `where`. */
  ids(kind: ObjectKind, where: RawBuilder<unknown>, alias?: string): Promise<string[]>;
  /** `data` of the rows, for post-filtering with the JS predicate. */
  rows(kind: ObjectKind, ids: readonly string[]): Promise<StoredObject[]>;
  close(): Promise<void>;
}

/** A RuleSubject as the stored object and links it reads back from. */
export function storeSubject(kind: ObjectKind, id: string, subject: RuleSubject): { object: StoredObject; links: StoredLink[] } {
  const { object, memberOf, managerId } = graphFromSubject(kind, subject);
  const { id: _ignored, ...data } = object;
  const links: StoredLink[] = memberOf.map((group) => ({ tenant: TENANT, source: group, rel: 'members', target: id, targetKind: kind }));
  if (managerId !== null) links.push({ tenant: TENANT, source: id, rel: 'manager', target: managerId, targetKind: 'user' });
  return { object: { id, data }, links };
}

function backend(dialect: SqlDialect, db: Kysely<any>, table: (name: string) => RawBuilder<unknown>, close: () => Promise<void>): RuleBackend {
  const json = (data: Record<string, unknown>) =>
    dialect === 'postgres' ? sql`CAST(${JSON.stringify(data)} AS jsonb)` : sql`${JSON.stringify(data)}`;
  return {
    dialect,
    async load(kind, objects, links, copyToOtherTenant = false) {
      for (const name of ['users', 'devices', 'links']) await sql`DELETE FROM ${table(name)}`.execute(db);
      const tenants = copyToOtherTenant ? [TENANT, OTHER_TENANT] : [TENANT];
      for (const tenant of tenants) {
        for (const object of objects) {
          await sql`INSERT INTO ${table(ruleTable(kind))} (tenant_id, id, data) VALUES (${tenant}, ${object.id}, ${json(object.data)})`.execute(db);
        }
      }
      for (const link of links) {
        await sql`INSERT INTO ${table('links')} (tenant_id, source_id, rel, target_id, target_kind)
                  VALUES (${link.tenant}, ${link.source}, ${link.rel}, ${link.target}, ${link.targetKind})`.execute(db);
      }
    },
    async ids(kind, where, alias) {
      const name = ruleTable(kind);
      const from = alias ? sql`${table(name)} AS ${sql.id(alias)}` : table(name);
      const qualifier = sql.id(alias ?? name);
      const result = await sql<{ id: string }>`SELECT ${qualifier}.id AS id FROM ${from}
        WHERE ${qualifier}.tenant_id = ${TENANT} AND (${where})`.execute(db);
      return result.rows.map((r) => r.id).sort();
    },
    async rows(kind, ids) {
      if (ids.length === 0) return [];
      const result = await sql<{ id: string; data: unknown }>`SELECT id, data FROM ${table(ruleTable(kind))}
        WHERE tenant_id = ${TENANT} AND id IN (${sql.join(ids.map((id) => sql`${id}`))})`.execute(db);
      return result.rows.map((r) => ({ id: r.id, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown> }));
    },
    close,
  };
}

export async function sqliteBackend(): Promise<RuleBackend> {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  for (const name of ['users', 'devices']) {
    await sql`CREATE TABLE ${sql.id(name)} (tenant_id TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (tenant_id, id))`.execute(db);
  }
  await sql`CREATE TABLE links (tenant_id TEXT NOT NULL, source_id TEXT NOT NULL, rel TEXT NOT NULL, target_id TEXT NOT NULL,
            target_kind TEXT NOT NULL, PRIMARY KEY (tenant_id, rel, source_id, target_id))`.execute(db);
  return backend('sqlite', db, (name) => sql.id(name), () => db.destroy());
}

/** PostgreSQL in a schema of its own (the search path points there, so that unqualified `links` resolves to it). */
export async function postgresBackend(url: string): Promise<RuleBackend> {
  const schema = `rules_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` }) }),
  });
  for (const name of ['users', 'devices']) {
    await sql`CREATE TABLE ${sql.id(name)} (tenant_id text NOT NULL, id text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (tenant_id, id))`.execute(db);
  }
  await sql`CREATE TABLE links (tenant_id text NOT NULL, source_id text NOT NULL, rel text NOT NULL, target_id text NOT NULL,
            target_kind text NOT NULL, PRIMARY KEY (tenant_id, rel, source_id, target_id))`.execute(db);
  return backend('postgres', db, (name) => sql.id(name), async () => {
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db);
    await db.destroy();
  });
}

/** SQLite always; PostgreSQL too when TARMAC_TEST_DATABASE_URL is set. */
export async function openBackends(): Promise<RuleBackend[]> {
  const backends = [await sqliteBackend()];
  const url = process.env.TARMAC_TEST_DATABASE_URL;
  if (url) backends.push(await postgresBackend(url));
  return backends;
}
