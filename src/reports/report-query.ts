// The parts of an export request that shape the file: `select` (which columns, in which order), `filter`
// (which rows) and `search`. Checked when the job is created, so a bad request stores nothing
// (DESIGN principle 7). A report filter such as "(DeploymentStatus eq '3') and (UPN eq 'a@b.c')" is read
// with Tarmac's OData $filter compiler over the report's columns, every column a string; column names,
// as in `select`, are matched ignoring case (Intune's own example selects "ownerType" for OwnerType).
import { bindFilter, compileFilterJs, parseFilter, type ResourceShape } from '../graph/odata/index.js';
import { findProperty } from '../graph/odata/shape.js';
import { GraphError } from '../graph/errors.js';
import { intuneBadRequest } from '../intune/errors.js';
import type { ReportDefinition, ReportRow } from './report-definitions.js';

export interface ReportQuery {
  /** The columns written, canonical names in the requested order. */
  readonly columns: readonly string[];
  /** Whether a row is written (filter and search). */
  readonly keep: (row: ReportRow) => boolean;
}

const shapes = new WeakMap<ReportDefinition, ResourceShape>();

function shapeOf(report: ReportDefinition): ResourceShape {
  let shape = shapes.get(report);
  if (!shape) {
    shape = { typeName: report.name, properties: Object.fromEntries(report.columns.map((c) => [c, { kind: 'string' } as const])) };
    shapes.set(report, shape);
  }
  return shape;
}

/** Canonical column names of `select` (absent or empty: every column); a 400 names an unknown column. */
export function selectColumns(report: ReportDefinition, select: readonly string[] | null): string[] {
  if (!select || select.length === 0) return [...report.columns];
  const shape = shapeOf(report);
  const seen = new Set<string>();
  return select.map((name) => {
    const column = findProperty(shape.properties, name.trim());
    if (!column) throw intuneBadRequest(`'${name}' is not a column of the report ${report.name}; its columns are ${report.columns.join(', ')}.`, 'select');
    if (seen.has(column)) throw intuneBadRequest(`The column '${column}' is selected more than once.`, 'select');
    seen.add(column);
    return column;
  });
}

/** The filter's predicate over report rows; a 400 names a syntax error or an unknown column. */
export function compileReportFilter(report: ReportDefinition, filter: string | null): (row: ReportRow) => boolean {
  if (filter === null || filter.trim() === '') return () => true;
  try {
    return compileFilterJs(bindFilter(parseFilter(filter), shapeOf(report)));
  } catch (err) {
    if (err instanceof GraphError && err.status === 400) throw intuneBadRequest(`Invalid filter: ${err.message}`, 'filter');
    throw err;
  }
}

/** A row matches a search when one of its values contains the text, ignoring case. */
function compileSearch(search: string | null): (row: ReportRow) => boolean {
  const text = search?.trim().toLowerCase();
  if (!text) return () => true;
  return (row) => {
    for (const key in row) if (row[key]!.toLowerCase().includes(text)) return true;
    return false;
  };
}

export function compileReportQuery(report: ReportDefinition, q: { select: readonly string[] | null; filter: string | null; search: string | null }): ReportQuery {
  const columns = selectColumns(report, q.select);
  const filter = compileReportFilter(report, q.filter);
  const search = compileSearch(q.search);
  return { columns, keep: (row) => filter(row) && search(row) };
}
