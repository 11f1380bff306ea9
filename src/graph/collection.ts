// Serves Graph collections and entities: binds $filter/$orderby/$select/$search to the resource's
// shape, runs them in the database, pages with @odata.nextLink, and applies Graph's rules for
// "advanced" directory queries (ConsistencyLevel: eventual). Source: Graph docs aad-advanced-queries.md.
import { sql, type SqlBool, type RawBuilder } from 'kysely';
import type { ResourceShape } from './odata/shape.js';
import {
  parseFilter,
  bindFilter,
  compileFilterSql,
  compileFilterJs,
  parseOrderBy,
  compileOrderBySql,
  compareByOrderBy,
  parseSelect,
  applySelect,
  parseSearch,
  compileSearchSql,
  compileSearchJs,
  type FilterNode,
} from './odata/index.js';
import { GraphError, badRequest } from './errors.js';
import type { GraphRequest, GraphResult } from './route.js';
import { applyExpand, parseExpand, type ExpandItem, type Navigation } from './expand.js';
import { readJson } from '../store/db.js';

export interface CollectionSource {
  readonly table: 'users' | 'groups' | 'devices' | 'service_principals' | 'applications' | 'intune_objects';
  /** Polymorphic collections (Intune's) show each item's @odata.type, which is stored in its data. */
  readonly polymorphic?: boolean;
  /** The v1.0 shape: what v1.0 serves, filters and selects. */
  readonly shape: ResourceShape;
  /** The beta shape, when beta has more properties than v1.0. */
  readonly betaShape?: ResourceShape;
  /** Path after the version root used in @odata.context, e.g. 'users'. */
  readonly contextPath: string;
  /** Properties v1.0 returns when there is no $select (users only). */
  readonly defaultSelect?: readonly string[];
  /** Directory resources follow the advanced-query rules and are capped at 999 per page. */
  readonly directory: boolean;
  /** Navigation properties that $expand may name. */
  readonly navigations?: Readonly<Record<string, Navigation>>;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

type Row = { id: string; data: unknown };

const allOf = (parts: RawBuilder<SqlBool>[]) => sql<SqlBool>`${sql.join(parts, sql` and `)}`;

export const isEventual = (req: GraphRequest) => String(req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';

/** `GET /{collection}`: filtered, sorted, paged in the database. */
export async function listCollection(req: GraphRequest, src: CollectionSource, extra?: RawBuilder<SqlBool>): Promise<GraphResult> {
  const q = req.query;
  const eventual = isEventual(req);
  const expand = expandItems(req, src);
  const filterAst = q.filter !== undefined ? parseFilter(q.filter) : undefined;
  if (src.directory) checkAdvancedQuery(filterAst, req, eventual);
  const where = [sql<SqlBool>`tenant_id = ${req.scope.tenantId}`];
  if (extra) where.push(extra);
  if (filterAst) where.push(compileFilterSql(bindFilter(filterAst, shapeFor(req, src)), req.scope.dialect));
  if (q.search !== undefined) where.push(compileSearchSql(parseSearch(q.search, shapeFor(req, src)), req.scope.dialect));
  const select = q.select !== undefined ? parseSelect(q.select, shapeFor(req, src)) : undefined;
  const orderBy = q.orderby !== undefined ? parseOrderBy(q.orderby, shapeFor(req, src)) : undefined;

  const top = pageSize(q.top, src);
  const offset = (q.skip ?? 0) + decodeSkipToken(q.skiptoken);
  const condition = allOf(where);
  let query = req.scope.db.selectFrom(src.table).select(['id', 'data']).where(condition);
  for (const term of orderBy ? compileOrderBySql(orderBy, req.scope.dialect) : []) query = query.orderBy(term);
  const rows = (await query.orderBy('id').limit(top + 1).offset(offset).execute()) as Row[];

  const more = rows.length > top;
  const items = rows.slice(0, top).map((r) => shapeItem(req, src, r.id, readJson(r.data), select));
  if (expand.length > 0) for (const item of items) await applyExpand(req.scope, item, expand, src.navigations ?? {});
  const body: Record<string, unknown> = { '@odata.context': contextUrl(req, src.contextPath, select) };
  // Directory objects count only as an advanced query; Intune collections always count.
  if (q.count && (eventual || !src.directory)) {
    const total = await req.scope.db.selectFrom(src.table).select((eb) => eb.fn.countAll<number>().as('n')).where(condition).executeTakeFirstOrThrow();
    body['@odata.count'] = Number(total.n);
  }
  if (more) body['@odata.nextLink'] = nextLink(req, offset + top);
  body.value = items;
  return { status: 200, body };
}

/** `GET /{collection}/$count`: a text/plain number; needs `ConsistencyLevel: eventual` on directory objects. */
export async function countCollection(req: GraphRequest, src: CollectionSource, extra?: RawBuilder<SqlBool>): Promise<GraphResult> {
  if (src.directory && !isEventual(req)) throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported.');
  const where = [sql<SqlBool>`tenant_id = ${req.scope.tenantId}`];
  if (extra) where.push(extra);
  if (req.query.filter !== undefined) where.push(compileFilterSql(bindFilter(parseFilter(req.query.filter), shapeFor(req, src)), req.scope.dialect));
  if (req.query.search !== undefined) where.push(compileSearchSql(parseSearch(req.query.search, shapeFor(req, src)), req.scope.dialect));
  const total = await req.scope.db
    .selectFrom(src.table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(allOf(where))
    .executeTakeFirstOrThrow();
  return { status: 200, body: String(Number(total.n)), contentType: 'text/plain; charset=utf-8' };
}

/** A single entity with @odata.context, $select and $expand applied. */
export async function entityResult(
  req: GraphRequest,
  src: Pick<CollectionSource, 'shape' | 'betaShape' | 'contextPath' | 'defaultSelect' | 'navigations' | 'polymorphic'>,
  obj: Record<string, unknown>,
  status = 200,
): Promise<GraphResult> {
  const expand = expandItems(req, src);
  const select = req.query.select !== undefined ? parseSelect(req.query.select, shapeFor(req, src)) : undefined;
  const { id, ...data } = obj;
  const item = await applyExpand(req.scope, shapeItem(req, src, String(id), data, select), expand, src.navigations ?? {});
  return { status, body: { '@odata.context': contextUrl(req, src.contextPath, select, true), ...item } };
}

function expandItems(req: GraphRequest, src: Pick<CollectionSource, 'shape' | 'contextPath' | 'navigations'>): ExpandItem[] {
  if (req.query.expand === undefined) return [];
  if (!src.navigations) throw badRequest(`Expanding navigation properties is not supported on '${src.contextPath}'.`);
  return parseExpand(req.query.expand, src.navigations, src.shape.typeName);
}

/**
 * A collection computed in memory (relation lists such as members): $filter, $select, $orderby, $search,
 * $count and paging work as on stored collections. `typed` keeps each item's @odata.type.
 */
export function memoryCollection(
  req: GraphRequest,
  contextPath: string,
  items: readonly Record<string, unknown>[],
  shape: ResourceShape,
  options: { typed?: boolean; directory?: boolean } = {},
): GraphResult {
  const q = req.query;
  const eventual = isEventual(req);
  const directory = options.directory ?? false;
  const filterAst = q.filter !== undefined ? parseFilter(q.filter) : undefined;
  if (directory) checkAdvancedQuery(filterAst, req, eventual);
  let list = [...items];
  if (filterAst) {
    const predicate = compileFilterJs(bindFilter(filterAst, shape));
    list = list.filter((o) => predicate(o));
  }
  if (q.search !== undefined) {
    const predicate = compileSearchJs(parseSearch(q.search, shape));
    list = list.filter((o) => predicate(o));
  }
  if (q.orderby !== undefined) list.sort(compareByOrderBy(parseOrderBy(q.orderby, shape)));
  const select = q.select !== undefined ? parseSelect(q.select, shape) : undefined;
  const top = pageSize(q.top, { directory });
  const offset = (q.skip ?? 0) + decodeSkipToken(q.skiptoken);
  const page = list.slice(offset, offset + top).map((o) => {
    const { '@odata.type': type, ...rest } = o;
    const picked = select ? applySelect(rest, select) : rest;
    return options.typed && type ? { '@odata.type': type, ...picked } : picked;
  });
  const body: Record<string, unknown> = { '@odata.context': contextUrl(req, contextPath, select) };
  if (q.count && (eventual || !directory)) body['@odata.count'] = list.length;
  if (offset + top < list.length) body['@odata.nextLink'] = nextLink(req, offset + top);
  body.value = page;
  return { status: 200, body };
}

export function shapeFor(req: GraphRequest, src: Pick<CollectionSource, 'shape' | 'betaShape'>): ResourceShape {
  return req.version === 'beta' && src.betaShape ? src.betaShape : src.shape;
}

/** An object as served: $select, else v1.0's default set, else every property the version has. */
function shapeItem(
  req: GraphRequest,
  src: Pick<CollectionSource, 'shape' | 'defaultSelect' | 'polymorphic'>,
  id: string,
  stored: Record<string, unknown>,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  const { '@odata.type': type, ...data } = stored;
  if (src.polymorphic && type !== undefined) return { '@odata.type': type, ...shapeItem(req, { ...src, polymorphic: false }, id, data, select) };
  if (select) return applySelect({ id, ...data }, select);
  if (req.version === 'beta') return { id, ...data };
  const out: Record<string, unknown> = {};
  if (src.defaultSelect) {
    for (const n of src.defaultSelect) out[n] = n === 'id' ? id : (data[n] ?? null);
    return out;
  }
  out.id = id;
  // v1.0 never shows a property that exists only in beta.
  for (const k in data) if (Object.hasOwn(src.shape.properties, k)) out[k] = data[k];
  return out;
}

function pageSize(top: number | undefined, src: Pick<CollectionSource, 'directory'>): number {
  if (top === undefined) return DEFAULT_PAGE;
  if (src.directory && (top < 1 || top > MAX_PAGE)) {
    throw new GraphError(400, 'Request_BadRequest', `Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  }
  return Math.max(1, Math.min(top, MAX_PAGE));
}

/**
 * Graph answers `ne`, `not`, `endswith`, `$search` and `$count` on directory objects only as advanced
 * queries: with `ConsistencyLevel: eventual` (and `$count=true` for the filter operators).
 */
function checkAdvancedQuery(ast: FilterNode | undefined, req: GraphRequest, eventual: boolean): void {
  if (req.query.search !== undefined && !eventual) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  }
  const op = ast && advancedOperator(ast);
  if (op && !(eventual && req.query.count)) {
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );
  }
}

function advancedOperator(node: FilterNode): string | undefined {
  switch (node.kind) {
    case 'compare':
      if (node.op === 'ne' && !(node.right.kind === 'literal' && node.right.literal.type === 'null')) return 'ne';
      return advancedOperator(node.left) ?? advancedOperator(node.right);
    case 'not':
      return 'not';
    case 'call':
      if (node.name.toLowerCase() === 'endswith') return 'endsWith';
      return node.args.map(advancedOperator).find(Boolean);
    case 'and':
    case 'or':
      return node.operands.map(advancedOperator).find(Boolean);
    case 'in':
      return advancedOperator(node.left);
    case 'lambda':
      return node.body ? advancedOperator(node.body) : undefined;
    default:
      return undefined;
  }
}

export function contextUrl(req: GraphRequest, path: string, select?: readonly string[], entity = false): string {
  const projection = select ? `(${select.join(',')})` : '';
  return `${req.origin}/${req.version}/$metadata#${path}${projection}${entity ? '/$entity' : ''}`;
}

function nextLink(req: GraphRequest, offset: number): string {
  const url = new URL(req.url, req.origin);
  for (const key of [...url.searchParams.keys()]) {
    if (/^\$?(skiptoken|skip)$/i.test(key)) url.searchParams.delete(key);
  }
  url.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset })).toString('base64url'));
  return url.toString().replace(/%24/g, '$');
}

function decodeSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the error below
  }
  throw badRequest(`The $skiptoken '${token}' is not valid.`);
}
