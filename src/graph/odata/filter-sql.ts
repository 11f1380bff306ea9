// Compiles a bound $filter to a SQL condition for SQLite or PostgreSQL, with every value a bound parameter.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { valueKind } from './compare.js';
import type { BoundExpr, BoundFilter, TextFunction } from './filter-binder.js';
import type { BoundRef } from './property-path.js';
import { elementsSql, escapeLike, joinBalanced, likeSql, paramSql, valueSql, type SqlContext, type SqlDialect } from './sql-dialect.js';

const OPERATORS = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

const PATTERNS: Readonly<Record<TextFunction, (escaped: string) => string>> = {
  startswith: (s) => `${s}%`,
  endswith: (s) => `%${s}`,
  contains: (s) => `%${s}%`,
};

/**
 * The filter as a condition for a WHERE clause. It may yield NULL where the filter is false (NULL behaves as
 * false in WHERE, and keeps the plain `x = ?` form that indexes serve); `not` and `all` turn NULL into false
 * with `IS NOT TRUE`, so the result matches compileFilterJs exactly.
 *
 * `alias` qualifies the resource table's columns, e.g. when the query joins other tables.
 */
export function compileFilterSql(filter: BoundFilter, dialect: SqlDialect, alias?: string): RawBuilder<SqlBool> {
  const ctx: SqlContext = { shape: filter.shape, dialect, alias };
  return compile(ctx, filter.root) as RawBuilder<SqlBool>;
}

function compile(ctx: SqlContext, expr: BoundExpr): RawBuilder<unknown> {
  switch (expr.kind) {
    case 'const':
      return expr.value ? sql`TRUE` : sql`FALSE`;
    case 'and':
    case 'or':
      return joinBalanced(
        expr.operands.map((operand) => compile(ctx, operand)),
        expr.kind === 'and' ? 'AND' : 'OR',
      );
    case 'not':
      return sql`(${compile(ctx, expr.operand)}) IS NOT TRUE`;
    case 'compare':
      return sql`${valueSql(ctx, expr.ref)} ${sql.raw(OPERATORS[expr.op])} ${param(ctx, expr.ref, expr.value)}`;
    case 'isNull':
      return sql`${valueSql(ctx, expr.ref)} IS NULL`;
    case 'in':
      return compileIn(ctx, expr);
    case 'text':
      return likeSql(valueSql(ctx, expr.ref), PATTERNS[expr.fn](escapeLike(expr.value)));
    case 'has':
      return compileHas(ctx, expr);
    case 'lambda':
      return compileLambda(ctx, expr);
  }
}

function compileIn(ctx: SqlContext, expr: Extract<BoundExpr, { kind: 'in' }>): RawBuilder<unknown> {
  const value = valueSql(ctx, expr.ref);
  const parts: RawBuilder<unknown>[] = [];
  if (expr.values.length > 0) parts.push(sql`${value} IN (${sql.join(expr.values.map((v) => param(ctx, expr.ref, v)))})`);
  if (expr.orNull) parts.push(sql`${value} IS NULL`);
  return joinBalanced(parts, 'OR');
}

/** A flags enum is stored as "a,b"; each member must appear between commas. */
function compileHas(ctx: SqlContext, expr: Extract<BoundExpr, { kind: 'has' }>): RawBuilder<unknown> {
  const list = sql`(',' || replace(${valueSql(ctx, expr.ref)}, ' ', '') || ',')`;
  return joinBalanced(
    expr.members.map((member) => likeSql(list, `%,${escapeLike(member)},%`)),
    'AND',
  );
}

/** `any` is EXISTS over the elements; `all` is "no element for which the body is not true". */
function compileLambda(ctx: SqlContext, expr: Extract<BoundExpr, { kind: 'lambda' }>): RawBuilder<unknown> {
  const elements = elementsSql(ctx, expr.collection, expr.scope);
  if (!expr.body) return sql`EXISTS (SELECT 1 FROM ${elements})`;
  const body = compile(ctx, expr.body);
  if (expr.op === 'any') return sql`EXISTS (SELECT 1 FROM ${elements} WHERE ${body})`;
  return sql`NOT EXISTS (SELECT 1 FROM ${elements} WHERE (${body}) IS NOT TRUE)`;
}

const param = (ctx: SqlContext, ref: BoundRef, value: Parameters<typeof paramSql>[2]) =>
  paramSql(ctx.dialect, valueKind(ref.type)!, value);
