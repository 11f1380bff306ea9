// Opens the database (SQLite file or memory by default, PostgreSQL for scale-out) and runs migrations.
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver } from 'kysely';
import SQLite from 'better-sqlite3';
import type { Tables } from './tables.js';
import { migrateToLatest } from './migrations.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Tables>;
  readonly dialect: DialectName;
  /** Where the data lives, for the start-up banner (never includes a password). */
  readonly description: string;
  /** PostgreSQL schema holding Tarmac's tables, when not the default one. */
  readonly schema?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` for PostgreSQL; a `?schema=name` parameter selects (and creates) a schema. */
  readonly url?: string;
  /** SQLite file path; ignored when `url` is given. */
  readonly file?: string;
  /** SQLite in memory: nothing is written to disk. */
  readonly memory?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<Db> {
  const db = options.url ? await openPostgres(options.url) : openSqlite(options.memory ? ':memory:' : options.file!);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

function openSqlite(file: string): Db {
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(handle) }) });
  return {
    kysely,
    dialect: 'sqlite',
    description: file === ':memory:' ? 'SQLite in memory' : `SQLite ${file}`,
    close: () => kysely.destroy(),
  };
}

/**
 * Write transactions start with BEGIN IMMEDIATE: with a plain (deferred) BEGIN, a transaction that read
 * before another process's commit cannot upgrade to writing (SQLITE_BUSY, which no timeout cures).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver() as SqliteDriver;
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused. Safe because Kysely runs
 * one query at a time on its single SQLite connection.
 */
function withStatementCache(handle: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = handle.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
    close: () => handle.close(),
  };
}

async function openPostgres(url: string): Promise<Db> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name '${schema}'`);
  // Loaded only when PostgreSQL is used, to keep the embedded start fast and small.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  if (schema) {
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(kysely);
    } catch (err) {
      // Two processes starting together can race on "if not exists"; the loser finds the schema made.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  parsed.password = '';
  return {
    kysely,
    dialect: 'postgres',
    description: `PostgreSQL ${parsed.host}${parsed.pathname}${schema ? ` (schema ${schema})` : ''}`,
    ...(schema ? { schema } : {}),
    close: () => kysely.destroy(),
  };
}

/** JSON columns are TEXT on SQLite and JSONB on PostgreSQL; reads give a string or an object. */
export function readJson<T = Record<string, unknown>>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export const writeJson = (value: unknown): string => JSON.stringify(value);

/** True when a write failed on a primary key or unique constraint (both dialects). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when PostgreSQL refused a value (SQLSTATE class 22, data exception: a NUL character, a bad JSON escape). */
export function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
