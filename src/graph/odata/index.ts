// The OData query options of Graph collections: $filter, $orderby, $select and $search, compiled to SQL and JS.
export type { PropType, ResourceShape } from './shape.js';
export type { SqlDialect } from './sql-dialect.js';
export type { BoundRef } from './property-path.js';
export { MAX_QUERY_LENGTH } from './query-error.js';
/** Strict ISO 8601 reading of datetimes, as the query compilers read stored values (epoch ms or undefined). */
export { parseDateTime } from './compare.js';

export { parseFilter, MAX_FILTER_DEPTH, type FilterNode, type FilterLiteral, type CompareOp, type PathNode } from './filter-parser.js';
export { bindFilter, type BoundFilter, type BoundExpr } from './filter-binder.js';
export { compileFilterSql } from './filter-sql.js';
export { compileFilterJs, type Predicate } from './filter-js.js';
export { parseOrderBy, compileOrderBySql, compareByOrderBy, type OrderBy, type OrderByItem } from './orderby.js';
export { parseSelect, applySelect } from './select.js';
export { parseSearch, compileSearchSql, compileSearchJs, type BoundSearch, type SearchTerm } from './search.js';
