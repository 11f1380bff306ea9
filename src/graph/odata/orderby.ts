// $orderby: parses `displayName desc, userPrincipalName`, checks it against a shape, and sorts in SQL or in JS.
// Strings sort case-insensitively by code point; null sorts first ascending and last descending, as OData says.
import { sql, type RawBuilder } from 'kysely';
import { compareScalars, readPath, toScalar, valueKind, type Scalar } from './compare.js';
import { TokenCursor } from './lexer.js';
import { resolveProperty, type BoundRef } from './property-path.js';
import { checkLength, queryError } from './query-error.js';
import type { ResourceShape } from './shape.js';
import { valueSql, type SqlDialect } from './sql-dialect.js';

export interface OrderByItem {
  readonly ref: BoundRef;
  readonly descending: boolean;
}

export interface OrderBy {
  readonly shape: ResourceShape;
  readonly items: readonly OrderByItem[];
}

export function parseOrderBy(text: string, shape: ResourceShape): OrderBy {
  checkLength('$orderby', text);
  const tokens = new TokenCursor(text);
  const items: OrderByItem[] = [];
  do {
    const segments = [tokens.expect('identifier').text];
    while (tokens.accept('/')) segments.push(tokens.expect('identifier').text);
    const ref = resolveProperty(shape, segments);
    if (valueKind(ref.type) === undefined) {
      throw queryError(`The $orderby expression must evaluate to a single value of primitive type; '${segments.join('/')}' does not.`);
    }
    const descending = tokens.acceptKeyword('desc');
    if (!descending) tokens.acceptKeyword('asc');
    items.push({ ref, descending });
  } while (tokens.accept(','));
  tokens.expect('end');
  return { shape, items };
}

/** One ORDER BY term per item, direction and null placement included; append a unique key for a stable order. */
export function compileOrderBySql(orderBy: OrderBy, dialect: SqlDialect, alias?: string): RawBuilder<unknown>[] {
  const ctx = { shape: orderBy.shape, dialect, alias };
  return orderBy.items.map(({ ref, descending }) =>
    descending ? sql`${valueSql(ctx, ref)} DESC NULLS LAST` : sql`${valueSql(ctx, ref)} ASC NULLS FIRST`,
  );
}

/** The same order as compileOrderBySql, for objects in memory; ties compare as 0. */
export function compareByOrderBy(orderBy: OrderBy): (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) => number {
  const keys = orderBy.items.map(({ ref, descending }) => {
    const kind = valueKind(ref.type)!;
    return { read: (obj: unknown) => toScalar(kind, readPath(obj, ref.path)), sign: descending ? -1 : 1 };
  });
  return (a, b) => {
    for (const { read, sign } of keys) {
      const order = compareNullsFirst(read(a), read(b));
      if (order !== 0) return sign * order;
    }
    return 0;
  };
}

function compareNullsFirst(a: Scalar | null, b: Scalar | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareScalars(a, b);
}
