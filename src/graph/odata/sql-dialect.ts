// The SQL the query compilers share, per dialect: reading Graph values stored as JSON in comparable form
// (the SQL side of compare.ts), parameters, LIKE patterns and the element tables of lambdas.
//
// Storage convention: a resource table has the columns named in `shape.columns` plus `data`, the rest of the
// Graph object as JSON (TEXT on SQLite, read with json_extract / json_each; JSONB on PostgreSQL, read with
// -> / ->> / jsonb_array_elements).
import { sql, type RawBuilder } from 'kysely';
import type { BoundRef } from './property-path.js';
import { valueKind, type Scalar, type ValueKind } from './compare.js';
import type { ResourceShape } from './shape.js';

export type SqlDialect = 'sqlite' | 'postgres';

/** What a compiled fragment reads from: the resource table, optionally under an alias. */
export interface SqlContext {
  readonly shape: ResourceShape;
  readonly dialect: SqlDialect;
  readonly alias?: string;
}

// SQLite's strftime gives the same text as Date.prototype.toISOString, so datetimes compare as strings.
const SQLITE_ISO = sql.lit('%Y-%m-%dT%H:%M:%fZ');

/**
 * A scalar in comparable form: text lower-cased (ASCII only, see compare.ts) and ordered by code point,
 * booleans, numbers as doubles, datetimes normalized. Null when the value is missing or null.
 */
export function valueSql(ctx: SqlContext, ref: BoundRef): RawBuilder<unknown> {
  const raw = rawSql(ctx, ref);
  const kind = valueKind(ref.type);
  if (ctx.dialect === 'sqlite') {
    // json_extract already returns booleans as 1/0 and numbers as numbers.
    if (kind === 'text') return sql`lower(${raw})`;
    if (kind === 'datetime') return sql`strftime(${SQLITE_ISO}, ${raw})`;
    return raw;
  }
  switch (kind) {
    case 'text':
      return sql`lower(${raw} COLLATE "C")`;
    case 'boolean':
      return sql`CAST(${raw} AS boolean)`;
    case 'number':
      return sql`CAST(${raw} AS double precision)`;
    default:
      return sql`CAST(${raw} AS timestamptz)`;
  }
}

/** A comparable value as a bound parameter of the same SQL type as valueSql gives. */
export function paramSql(dialect: SqlDialect, kind: ValueKind, value: Scalar): RawBuilder<unknown> {
  if (kind === 'datetime') value = new Date(value as number).toISOString();
  if (dialect === 'sqlite') return typeof value === 'boolean' ? sql`${value ? 1 : 0}` : sql`${value}`;
  switch (kind) {
    case 'text':
      return sql`${value}`;
    case 'boolean':
      return sql`CAST(${value} AS boolean)`;
    case 'number':
      return sql`CAST(${value} AS double precision)`;
    default:
      return sql`CAST(${value} AS timestamptz)`;
  }
}

/** `value LIKE pattern`, where the pattern has already been through escapeLike. */
export const likeSql = (value: RawBuilder<unknown>, pattern: string) => sql`${value} LIKE ${pattern} ESCAPE '\\'`;

/** Escapes LIKE's wildcards so that user input matches literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * A FROM item over the elements of a collection, exposing one column named `lambda_<scope>`. Anything but an
 * array (missing, null) has no elements. The odd column name keeps unqualified columns of the resource
 * table visible inside the subquery (json_each has its own `id`, `key`, `value`... columns).
 */
export function elementsSql(ctx: SqlContext, collection: BoundRef, scope: number): RawBuilder<unknown> {
  const element = elementName(scope);
  if (ctx.dialect === 'sqlite') {
    const { base, path } = jsonLocation(ctx, collection);
    const jsonPath = sqlitePath(path);
    return sql`(SELECT value AS ${element} FROM json_each(${base}, ${jsonPath}) WHERE json_type(${base}, ${jsonPath}) = 'array')`;
  }
  const json = postgresJson(ctx, collection);
  return sql`jsonb_array_elements(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} END) AS ${element}(${element})`;
}

/** Joins fragments with AND / OR as a balanced tree, so that long chains stay within SQLite's depth limit. */
export function joinBalanced(parts: readonly RawBuilder<unknown>[], operator: 'AND' | 'OR'): RawBuilder<unknown> {
  if (parts.length === 1) return parts[0]!;
  const middle = parts.length >> 1;
  const left = joinBalanced(parts.slice(0, middle), operator);
  const right = joinBalanced(parts.slice(middle), operator);
  return sql`(${left} ${sql.raw(operator)} ${right})`;
}

const elementName = (scope: number) => sql.id(`lambda_${scope}`);

/** The stored value as SQLite returns it, or as text on PostgreSQL. */
function rawSql(ctx: SqlContext, ref: BoundRef): RawBuilder<unknown> {
  const { base, path } = jsonLocation(ctx, ref);
  if (ctx.dialect === 'sqlite') return path.length === 0 ? base : sql`json_extract(${base}, ${sqlitePath(path)})`;
  if (path.length === 0) return ref.scope === 0 ? sql`CAST(${base} AS text)` : sql`(${base} #>> '{}')`;
  return sql`(${postgresJson(ctx, { ...ref, path: path.slice(0, -1) })} ->> ${sql.lit(path.at(-1)!)})`;
}

/** The value as JSONB on PostgreSQL. */
function postgresJson(ctx: SqlContext, ref: BoundRef): RawBuilder<unknown> {
  const { base, path } = jsonLocation(ctx, ref);
  return path.reduce<RawBuilder<unknown>>((json, name) => sql`${json} -> ${sql.lit(name)}`, base);
}

/**
 * Where a value lives: a real column, the `data` document, or a lambda element, plus the JSON path inside it.
 * Paths are shape-checked canonical names, inlined as literals so that expression indexes can match.
 */
function jsonLocation(ctx: SqlContext, ref: BoundRef): { base: RawBuilder<unknown>; path: readonly string[] } {
  if (ref.scope > 0) return { base: sql`${elementName(ref.scope)}`, path: ref.path };
  const [first, ...rest] = ref.path;
  const columns = ctx.shape.columns ?? {};
  if (first !== undefined && Object.hasOwn(columns, first)) return { base: columnSql(ctx, columns[first]!), path: rest };
  return { base: columnSql(ctx, 'data'), path: ref.path };
}

const columnSql = (ctx: SqlContext, column: string) => (ctx.alias ? sql.id(ctx.alias, column) : sql.id(column));

const sqlitePath = (path: readonly string[]) => sql.lit(`$${path.map((name) => `."${name}"`).join('')}`);
