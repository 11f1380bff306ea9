// Compiles a checked membership rule to a SQL condition over the `users` or `devices` table (SQLite or
// PostgreSQL), for whole-tenant evaluation; memberOf and Direct Reports read the `links` table. Every value
// from the rule is a bound parameter. Same semantics as interpreter.ts; the differential tests hold all three
// to the same answers.
//
// -match / -notMatch: SQL has no faithful equivalent of a case-insensitive .NET regex (SQLite has no regex
// at all; PostgreSQL's ARE differ in syntax and case folding). For rules with rule.needsJsFilter the
// condition is a prefilter: every member satisfies it, and the JS predicate must decide for each row found.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Clock } from '../core/clock.js';
import { escapeLike, joinBalanced, likeSql, paramSql, type SqlDialect } from '../graph/odata/sql-dialect.js';
import type { CheckedRule, Operand, RuleExpr, Test } from './checked-rule.js';
import { dateTimeAt, nowReader } from './interpreter.js';
import { findProperty, isCustomExtension, type ObjectKind, type ScalarType } from './properties.js';

export interface RuleSqlOptions {
  /** The alias of the users / devices table in the caller's query; by default the table's own name. */
  readonly alias?: string;
  /** The clock `system.now` reads (fixed when the SQL is built); required for rules that use it. */
  readonly clock?: Clock;
}

/** The table a rule selects from. */
export const ruleTable = (kind: ObjectKind): 'users' | 'devices' => (kind === 'user' ? 'users' : 'devices');

/**
 * A condition for the WHERE clause of a query over `users` (user rules) or `devices` (device rules), whose
 * columns are `tenant_id`, `id` and `data` (the Graph object as JSON). It may yield NULL where the rule is
 * false. When `rule.needsJsFilter`, it is a prefilter: run the JS predicate on the rows it selects (such rules
 * never use memberOf or Direct Reports, so subjectFromGraph(kind, data) is all the predicate needs).
 */
export function compileRuleSql(rule: CheckedRule, dialect: SqlDialect, options: RuleSqlOptions = {}): RawBuilder<SqlBool> {
  if (rule.language !== 'membership') throw new TypeError('Only membership rules compile to SQL.');
  const context: Context = {
    dialect,
    kind: rule.kind,
    table: sql.id(options.alias ?? ruleTable(rule.kind)),
    now: rule.usesNow ? nowReader(rule, options) : () => 0,
    scopes: 0,
  };
  const where = rule.needsJsFilter ? mayBe(context, rule.root, true) : exact(context, rule.root);
  return where as RawBuilder<SqlBool>;
}

interface Context {
  readonly dialect: SqlDialect;
  readonly kind: ObjectKind;
  /** The users / devices table (or its alias). */
  readonly table: RawBuilder<unknown>;
  readonly now: () => number;
  /** Counter for the names of item tables (e_1, e_2…). */
  scopes: number;
}

type Sql = RawBuilder<unknown>;

/** The enclosing -any / -all items, if any. */
interface Items {
  readonly scope: number;
}

const TRUE: Sql = sql`TRUE`;
const FALSE: Sql = sql`FALSE`;

function exact(ctx: Context, expr: RuleExpr, items?: Items): Sql {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return joinBalanced(
        expr.operands.map((o) => exact(ctx, o, items)),
        expr.kind === 'and' ? 'AND' : 'OR',
      );
    case 'not':
      return isNotTrue(exact(ctx, expr.operand, items));
    case 'compare':
      return comparison(ctx, expr, items);
    case 'lambda': {
      const scope = ++ctx.scopes;
      const from = elements(ctx, expr.property, scope);
      const body = exact(ctx, expr.body, { scope });
      return expr.quantifier === 'any'
        ? sql`EXISTS (SELECT 1 FROM ${from} WHERE ${body})`
        : sql`NOT EXISTS (SELECT 1 FROM ${from} WHERE ${isNotTrue(body)})`;
    }
    case 'memberOf':
      return sql`EXISTS (SELECT 1 FROM links AS rule_links WHERE rule_links.tenant_id = ${column(ctx, 'tenant_id')} AND rule_links.rel = ${'members'} AND rule_links.target_id = ${column(ctx, 'id')} AND lower(rule_links.source_id) IN (${sql.join(expr.groupIds.map((id) => sql`${id}`))}))`;
    case 'directReports':
      return sql`EXISTS (SELECT 1 FROM links AS rule_links WHERE rule_links.tenant_id = ${column(ctx, 'tenant_id')} AND rule_links.rel = ${'manager'} AND rule_links.source_id = ${column(ctx, 'id')} AND lower(rule_links.target_id) = ${expr.managerId})`;
  }
}

/**
 * A condition that holds whenever `expr` may be true (`want` true) or may be false (`want` false), where a
 * regular expression counts as unknown: the prefilter of rules with -match / -notMatch.
 */
function mayBe(ctx: Context, expr: RuleExpr, want: boolean, items?: Items): Sql {
  if (!usesRegex(expr)) {
    const condition = exact(ctx, expr, items);
    return want ? condition : isNotTrue(condition);
  }
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const parts = expr.operands.map((o) => mayBe(ctx, o, want, items));
      return joinBalanced(parts, (expr.kind === 'and') === want ? 'AND' : 'OR');
    }
    case 'not':
      return mayBe(ctx, expr.operand, !want, items);
    case 'compare': {
      // The positive test (value set and the pattern matches) may be true when the value is set, and may
      // always be false.
      const positiveMayBe = want !== expr.negated;
      if (!positiveMayBe) return TRUE;
      return isNotTrue(nullTest(ctx, expr.type, operandValue(ctx, expr.operand, expr.type, items)));
    }
    case 'lambda': {
      const scope = ++ctx.scopes;
      const from = elements(ctx, expr.property, scope);
      // any: may be true if some item may be; may be false if every item may be false. all: the reverse.
      if ((expr.quantifier === 'any') === want) return sql`EXISTS (SELECT 1 FROM ${from} WHERE ${mayBe(ctx, expr.body, want, { scope })})`;
      return sql`NOT EXISTS (SELECT 1 FROM ${from} WHERE ${isNotTrue(mayBe(ctx, expr.body, want, { scope }))})`;
    }
    default:
      return want ? exact(ctx, expr, items) : isNotTrue(exact(ctx, expr, items));
  }
}

function usesRegex(expr: RuleExpr): boolean {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return expr.operands.some(usesRegex);
    case 'not':
      return usesRegex(expr.operand);
    case 'compare':
      return expr.test.op === 'match';
    case 'lambda':
      return usesRegex(expr.body);
    default:
      return false;
  }
}

const isNotTrue = (condition: Sql): Sql => sql`(${condition}) IS NOT TRUE`;

function comparison(ctx: Context, expr: Extract<RuleExpr, { kind: 'compare' }>, items?: Items): Sql {
  let condition: Sql;
  if (expr.overItems) {
    // A direct operator on a string collection: the positive test on any item.
    const scope = ++ctx.scopes;
    const from = elements(ctx, (expr.operand as Extract<Operand, { from: 'subject' }>).property, scope);
    condition = sql`EXISTS (SELECT 1 FROM ${from} WHERE ${test(ctx, expr.test, expr.type, itemValue(ctx, scope, undefined, 'string'))})`;
  } else {
    condition = test(ctx, expr.test, expr.type, operandValue(ctx, expr.operand, expr.type, items));
  }
  return expr.negated ? isNotTrue(condition) : condition;
}

/** The positive test on a value in comparable form (text lower-cased, booleans, datetimes). */
function test(ctx: Context, t: Test, type: ScalarType, value: Sql): Sql {
  switch (t.op) {
    case 'isNull':
      return nullTest(ctx, type, value);
    case 'isSet':
      return isNotTrue(nullTest(ctx, type, value));
    case 'eq':
      return sql`${value} = ${t.text}`;
    case 'startsWith':
      return likeSql(value, `${escapeLike(t.text)}%`);
    case 'endsWith':
      return likeSql(value, `%${escapeLike(t.text)}`);
    case 'contains':
      return likeSql(value, `%${escapeLike(t.text)}%`);
    case 'in': {
      const parts: Sql[] = [];
      if (t.texts.length > 0) parts.push(sql`${value} IN (${sql.join(t.texts.map((text) => sql`${text}`))})`);
      if (t.orNull) parts.push(nullTest(ctx, type, value));
      return parts.length ? joinBalanced(parts, 'OR') : FALSE;
    }
    case 'bool':
      return sql`${value} = ${paramSql(ctx.dialect, 'boolean', t.value)}`;
    case 'dateTime': {
      const at = paramSql(ctx.dialect, 'datetime', dateTimeAt(t.at, ctx.now));
      return sql`${value} ${sql.raw(t.cmp === 'eq' ? '=' : t.cmp === 'le' ? '<=' : '>=')} ${at}`;
    }
    case 'match':
      throw new Error('-match has no exact SQL form; compile the rule as a prefilter');
    case 'version':
      throw new Error('versions appear in assignment filters, which have no SQL form');
  }
}

/** Null for rules: SQL NULL, and for text also the empty string. */
function nullTest(_ctx: Context, type: ScalarType, value: Sql): Sql {
  return type === 'string' ? sql`(${value} IS NULL OR ${value} = '')` : sql`${value} IS NULL`;
}

// ---- reading values -----------------------------------------------------------------------------

const column = (ctx: Context, name: string): Sql => sql`${ctx.table}.${sql.id(name)}`;

function operandValue(ctx: Context, operand: Operand, type: ScalarType, items?: Items): Sql {
  if (operand.from === 'item') return itemValue(ctx, items!.scope, operand.field, type);
  const path = pathOf(ctx, operand.property);
  if (path.length === 1 && path[0] === 'id') return lower(ctx, column(ctx, 'id'));
  return typedJson(ctx, column(ctx, 'data'), path, type);
}

function pathOf(ctx: Context, name: string): readonly (string | number)[] {
  const property = findProperty(ctx.kind, name);
  if (!property?.graph) throw new Error(`no stored value for rule property ${name}`);
  return property.graph;
}

/**
 * The value at a JSON path, if it has the JSON type the property has (other values read as NULL, as the JS
 * side reads them), in comparable form.
 */
function typedJson(ctx: Context, base: Sql, path: readonly (string | number)[], type: ScalarType): Sql {
  if (ctx.dialect === 'sqlite') {
    const p = sqlitePath(path);
    switch (type) {
      case 'string':
        return lower(ctx, sql`CASE WHEN json_type(${base}, ${p}) = 'text' THEN json_extract(${base}, ${p}) END`);
      case 'boolean':
        return sql`CASE json_type(${base}, ${p}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`;
      case 'dateTime':
        return sql`strftime('%Y-%m-%dT%H:%M:%fZ', CASE WHEN json_type(${base}, ${p}) = 'text' THEN json_extract(${base}, ${p}) END)`;
      case 'version':
        throw new Error('versions have no SQL form');
    }
  }
  const json = path.reduce<Sql>((value, step) => sql`${value} -> ${postgresKey(step)}`, base);
  return postgresTyped(ctx, json, type);
}

function postgresTyped(ctx: Context, json: Sql, type: ScalarType): Sql {
  switch (type) {
    case 'string':
      return lower(ctx, sql`CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END`);
    case 'boolean':
      return sql`CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN CAST(${json} AS boolean) END`;
    case 'dateTime':
      return sql`CAST(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END AS timestamptz)`;
    case 'version':
      throw new Error('versions have no SQL form');
  }
}

/** Text lower-cased as compare.ts folds it: ASCII letters only (PostgreSQL under the "C" collation). */
function lower(ctx: Context, text: Sql): Sql {
  return ctx.dialect === 'sqlite' ? sql`lower(${text})` : sql`lower((${text}) COLLATE "C")`;
}

/** `$."a"."b"[0]`; a custom extension name (user input, though validated) is bound, never inlined. */
function sqlitePath(path: readonly (string | number)[]): Sql {
  const text = `$${path.map((step) => (typeof step === 'number' ? `[${step}]` : `."${step}"`)).join('')}`;
  return path.some((step) => typeof step === 'string' && isCustomExtension(step)) ? sql`${text}` : sql.lit(text);
}

function postgresKey(step: string | number): Sql {
  if (typeof step === 'number') return sql.lit(step);
  return isCustomExtension(step) ? sql`CAST(${step} AS text)` : sql.lit(step);
}

/**
 * The items of a collection property as a FROM item named e_<scope>, with (SQLite) the JSON type of each
 * item in t_<scope>. Anything but an array has no items.
 */
function elements(ctx: Context, property: string, scope: number): Sql {
  const path = pathOf(ctx, property);
  const data = column(ctx, 'data');
  const item = sql.id(`e_${scope}`);
  if (ctx.dialect === 'sqlite') {
    const p = sqlitePath(path);
    return sql`(SELECT value AS ${item}, type AS ${sql.id(`t_${scope}`)} FROM json_each(${data}, ${p}) WHERE json_type(${data}, ${p}) = 'array')`;
  }
  const json = path.reduce<Sql>((value, step) => sql`${value} -> ${postgresKey(step)}`, data);
  return sql`jsonb_array_elements(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} END) AS ${item}(${item})`;
}

/** The current item (a string) or a field of it (an assigned plan), in comparable form. */
function itemValue(ctx: Context, scope: number, field: string | undefined, type: ScalarType): Sql {
  const item = sql.id(`e_${scope}`);
  const itemType = sql.id(`t_${scope}`);
  if (ctx.dialect === 'sqlite') {
    if (field === undefined) return lower(ctx, sql`CASE WHEN ${itemType} = 'text' THEN ${item} END`);
    const p = sql.lit(`$."${field}"`);
    return lower(ctx, sql`CASE WHEN ${itemType} = 'object' THEN CASE WHEN json_type(${item}, ${p}) = 'text' THEN json_extract(${item}, ${p}) END END`);
  }
  return postgresTyped(ctx, field === undefined ? sql`${item}` : sql`${item} -> ${sql.lit(field)}`, type);
}
