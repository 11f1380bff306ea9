// Differential tests: the JS predicate, SQLite and PostgreSQL must select (and order) exactly the same objects.
// PostgreSQL runs when TARMAC_TEST_DATABASE_URL is set, in a schema created and dropped here.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bindFilter,
  compareByOrderBy,
  compileFilterJs,
  compileFilterSql,
  compileOrderBySql,
  compileSearchJs,
  compileSearchSql,
  parseFilter,
  parseOrderBy,
  parseSearch,
  type SqlDialect,
} from '../../../src/graph/odata/index.js';
import { filters, itemShape, items, orderBys, searches } from './differential-arbitraries.js';

type Item = Record<string, unknown>;

interface Backend {
  readonly dialect: SqlDialect;
  /** Replaces the table's rows. */
  load(objects: readonly Item[]): Promise<void>;
  /** Ids of the rows matching `where`, in the order of `orderBy` and then id. */
  ids(where: RawBuilder<unknown> | undefined, orderBy: readonly RawBuilder<unknown>[], alias: string | undefined): Promise<string[]>;
  close(): Promise<void>;
}

function backend(dialect: SqlDialect, db: Kysely<any>, table: RawBuilder<unknown>): Backend {
  const json = (data: Item) => (dialect === 'postgres' ? sql`CAST(${JSON.stringify(data)} AS jsonb)` : sql`${JSON.stringify(data)}`);
  return {
    dialect,
    async load(objects) {
      await sql`DELETE FROM ${table}`.execute(db);
      for (const { id, ...data } of objects) await sql`INSERT INTO ${table} (id, data) VALUES (${id}, ${json(data)})`.execute(db);
    },
    async ids(where, orderBy, alias) {
      const from = alias ? sql`${table} AS ${sql.id(alias)}` : table;
      const id = alias ? sql.id(alias, 'id') : sql.id('id');
      const order = sql.join([...orderBy, dialect === 'postgres' ? sql`${id} COLLATE "C"` : id]);
      const result = await sql<{ id: string }>`SELECT ${id} AS id FROM ${from} WHERE ${where ?? sql`TRUE`} ORDER BY ${order}`.execute(db);
      return result.rows.map((row) => row.id);
    },
    close: () => db.destroy(),
  };
}

async function sqliteBackend(): Promise<Backend> {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  await sql`CREATE TABLE items (id TEXT PRIMARY KEY, data TEXT NOT NULL)`.execute(db);
  return backend('sqlite', db, sql.id('items'));
}

async function postgresBackend(url: string): Promise<Backend> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  const schema = `odata_test_${process.pid}_${Date.now()}`;
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
  await sql`CREATE TABLE ${sql.id(schema, 'items')} (id text PRIMARY KEY, data jsonb NOT NULL)`.execute(db);
  const inner = backend('postgres', db, sql.id(schema, 'items'));
  return {
    ...inner,
    async close() {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db);
      await inner.close();
    },
  };
}

const byId = (a: Item, b: Item) => ((a.id as string) < (b.id as string) ? -1 : 1);

describe('OData compilers agree: JS, SQLite and PostgreSQL', () => {
  const backends: Backend[] = [];
  const databaseUrl = process.env.TARMAC_TEST_DATABASE_URL;

  beforeAll(async () => {
    backends.push(await sqliteBackend());
    if (databaseUrl) backends.push(await postgresBackend(databaseUrl));
  });

  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
  });

  /** Checks that every back end returns `expected` (ids, in order) for the query. */
  async function agree(
    label: string,
    expected: string[],
    query: (b: Backend) => { where?: RawBuilder<unknown>; orderBy?: readonly RawBuilder<unknown>[]; alias?: string },
  ) {
    for (const b of backends) {
      const { where, orderBy = [], alias } = query(b);
      expect(await b.ids(where, orderBy, alias), `${b.dialect}: ${label}`).toEqual(expected);
    }
  }

  it('$filter selects the same objects', async () => {
    await fc.assert(
      fc.asyncProperty(items, fc.array(filters, { minLength: 1, maxLength: 5 }), fc.boolean(), async (objects, texts, aliased) => {
        await Promise.all(backends.map((b) => b.load(objects)));
        const alias = aliased ? 't' : undefined;
        for (const text of texts) {
          const bound = bindFilter(parseFilter(text), itemShape);
          const expected = objects.filter(compileFilterJs(bound)).map((o) => o.id as string);
          await agree(text, expected, (b) => ({ where: compileFilterSql(bound, b.dialect, alias), alias }));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('$orderby sorts the same way (ties broken by id)', async () => {
    await fc.assert(
      fc.asyncProperty(items, fc.array(orderBys, { minLength: 1, maxLength: 3 }), async (objects, texts) => {
        await Promise.all(backends.map((b) => b.load(objects)));
        for (const text of texts) {
          const orderBy = parseOrderBy(text, itemShape);
          const compare = compareByOrderBy(orderBy);
          const expected = [...objects].sort((a, b) => compare(a, b) || byId(a, b)).map((o) => o.id as string);
          await agree(text, expected, (b) => ({ orderBy: compileOrderBySql(orderBy, b.dialect) }));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('$search finds the same objects', async () => {
    await fc.assert(
      fc.asyncProperty(items, fc.array(searches, { minLength: 1, maxLength: 3 }), async (objects, texts) => {
        await Promise.all(backends.map((b) => b.load(objects)));
        for (const text of texts) {
          const search = parseSearch(text, itemShape);
          const expected = objects.filter(compileSearchJs(search)).map((o) => o.id as string);
          await agree(text, expected, (b) => ({ where: compileSearchSql(search, b.dialect) }));
        }
      }),
      { numRuns: 60 },
    );
  });
});
