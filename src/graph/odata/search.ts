// $search on directory objects: `"displayName:room" OR "mail:room"`, a tokenized prefix match, in SQL and in JS.
// Graph splits values into words and matches words that start with the term, ignoring case
// (learn.microsoft.com/graph/search-query-parameter, "Using $search on directory object collections").
// Tarmac approximates the word split: a term matches at the start of the value or right after a space
// ("van" finds "Adele Vance", not "Caravan"). SQL and JS implement exactly that approximation.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { asciiLower, readPath } from './compare.js';
import { resolveProperty, type BoundRef } from './property-path.js';
import { checkLength, queryError, syntaxError } from './query-error.js';
import type { ResourceShape } from './shape.js';
import { escapeLike, joinBalanced, likeSql, valueSql, type SqlDialect } from './sql-dialect.js';

export interface SearchTerm {
  readonly ref: BoundRef;
  /** Lower-cased. */
  readonly term: string;
}

/** OR of ANDs: AND binds tighter than OR, and there are no parentheses. */
export interface BoundSearch {
  readonly shape: ResourceShape;
  readonly anyOf: readonly (readonly SearchTerm[])[];
}

export function parseSearch(text: string, shape: ResourceShape): BoundSearch {
  checkLength('$search', text);
  const anyOf: SearchTerm[][] = [];
  let allOf: SearchTerm[] = [];
  let pos = skipSpaces(text, 0);
  for (;;) {
    const clause = readClause(text, pos);
    allOf.push(bindClause(clause.body, shape));
    pos = skipSpaces(text, clause.end);
    if (pos === text.length) break;
    const operator = /^(AND|OR)(?=[\s"])/i.exec(text.slice(pos, pos + 4))?.[1]?.toUpperCase();
    if (!operator) throw syntaxError(pos, text);
    if (operator === 'OR') {
      anyOf.push(allOf);
      allOf = [];
    }
    pos = skipSpaces(text, pos + operator.length);
  }
  anyOf.push(allOf);
  return { shape, anyOf };
}

export function compileSearchSql(search: BoundSearch, dialect: SqlDialect, alias?: string): RawBuilder<SqlBool> {
  const ctx = { shape: search.shape, dialect, alias };
  const termSql = ({ ref, term }: SearchTerm) => {
    const value = valueSql(ctx, ref);
    const escaped = escapeLike(term);
    return sql`(${likeSql(value, `${escaped}%`)} OR ${likeSql(value, `% ${escaped}%`)})`;
  };
  const conjunctions = search.anyOf.map((allOf) => joinBalanced(allOf.map(termSql), 'AND'));
  return joinBalanced(conjunctions, 'OR') as RawBuilder<SqlBool>;
}

export function compileSearchJs(search: BoundSearch): (obj: Readonly<Record<string, unknown>>) => boolean {
  const matches = (obj: unknown, { ref, term }: SearchTerm) => {
    const value = readPath(obj, ref.path);
    if (typeof value !== 'string') return false;
    const lower = asciiLower(value);
    return lower.startsWith(term) || lower.includes(` ${term}`);
  };
  return (obj) => search.anyOf.some((allOf) => allOf.every((term) => matches(obj, term)));
}

/** A double-quoted clause starting at `pos`; `\"` and `\\` escape inside it. */
function readClause(text: string, pos: number): { body: string; end: number } {
  if (text[pos] !== '"') {
    throw queryError(`Syntax error at position ${pos} in '${text}': $search expects double-quoted clauses such as "displayName:room".`);
  }
  let body = '';
  for (let i = pos + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') return { body, end: i + 1 };
    if (ch === '\\' && i + 1 < text.length) body += text[++i];
    else body += ch;
  }
  throw queryError(`There is an unterminated string literal at position ${pos} in '${text}'.`);
}

function bindClause(body: string, shape: ResourceShape): SearchTerm {
  const colon = body.indexOf(':');
  const term = body.slice(colon + 1).trim();
  if (colon < 0 || term === '') {
    throw queryError(`Invalid $search clause "${body}": use "property:term", e.g. "displayName:room".`);
  }
  const ref = resolveProperty(shape, [body.slice(0, colon).trim()]);
  if (ref.type.kind !== 'string') {
    throw queryError(`The property '${ref.path[0]}' cannot be used in $search: only string properties can be searched.`);
  }
  return { ref, term: asciiLower(term) };
}

function skipSpaces(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  return pos;
}
