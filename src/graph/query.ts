// OData system query options as they arrive on the URL: recognised, checked for form, not yet bound to a
// resource (binding happens where the resource's shape is known, see collection.ts).
import { GraphError } from './errors.js';

export interface QueryOptions {
  readonly filter?: string;
  readonly select?: string;
  readonly orderby?: string;
  readonly expand?: string;
  readonly search?: string;
  readonly top?: number;
  readonly skip?: number;
  readonly skiptoken?: string;
  readonly count: boolean;
}

const KNOWN = new Set(['filter', 'select', 'orderby', 'expand', 'search', 'top', 'skip', 'skiptoken', 'count', 'format']);

const fail = (message: string) => new GraphError(400, 'BadRequest', message);

/**
 * Graph accepts system query options with or without the `$` prefix (case-insensitive names).
 * An unknown `$option` is a 400; other parameters are ignored, as Graph ignores them.
 */
export function parseQueryOptions(raw: Record<string, unknown>): QueryOptions {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const dollar = key.startsWith('$');
    const name = (dollar ? key.slice(1) : key).toLowerCase();
    if (!KNOWN.has(name)) {
      if (dollar) throw fail(`Query option '${key}' is not supported.`);
      continue;
    }
    if (Array.isArray(value)) throw fail(`Query option '$${name}' was specified more than once, but it must be specified at most once.`);
    if (typeof value !== 'string') continue;
    if (name in values) throw fail(`Query option '$${name}' was specified more than once, but it must be specified at most once.`);
    values[name] = value;
  }
  if (values.format !== undefined && values.format.toLowerCase() !== 'json') {
    throw fail(`Invalid value '${values.format}' for query option '$format'.`);
  }
  return {
    ...(values.filter !== undefined && { filter: values.filter }),
    ...(values.select !== undefined && { select: values.select }),
    ...(values.orderby !== undefined && { orderby: values.orderby }),
    ...(values.expand !== undefined && { expand: values.expand }),
    ...(values.search !== undefined && { search: values.search }),
    ...(values.skiptoken !== undefined && { skiptoken: values.skiptoken }),
    ...(values.top !== undefined && { top: integerOption('top', values.top) }),
    ...(values.skip !== undefined && { skip: integerOption('skip', values.skip) }),
    count: countOption(values.count),
  };
}

function integerOption(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) {
    throw fail(`Invalid value '${value}' for query option '$${name}': the value must be a non-negative integer.`);
  }
  return Number(value.trim());
}

function countOption(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw fail(`Invalid value '${value}' for query option '$count': the value must be 'true' or 'false'.`);
}
