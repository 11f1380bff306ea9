// $filter on deviceEnrollmentConfigurationType as the admin center writes it. The defaults serve the plain type
// ('limit', 'platformRestrictions', …) yet the admin center's blades find them by the default's own name
// ("deviceEnrollmentConfigurationType eq 'Limit' or deviceEnrollmentConfigurationType eq 'DefaultLimit'"), and its
// platform restrictions blade asks for 'SinglePlatformRestriction' and gets the all-platforms default too.
// A comparison with such a name is widened here to "or the object is that default" (matched by its id).
import type { BoundExpr, BoundFilter, BoundRef } from '../graph/odata/index.js';
import { ENROLLMENT_KINDS } from './enrollment-configuration-types.js';

const PROPERTY = 'deviceEnrollmentConfigurationType';
const ID_REF: BoundRef = { scope: 0, path: ['id'], type: { kind: 'string' } };

/** Lower-cased type name → lower-cased id suffixes of the defaults that name also finds. */
const ALIASES: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const kind of ENROLLMENT_KINDS) {
    for (const alias of kind.aliases) {
      const key = alias.toLowerCase();
      map.set(key, [...new Set([...(map.get(key) ?? []), `_${kind.defaultSuffix.toLowerCase()}`])]);
    }
  }
  return map;
})();

const isTypeRef = (ref: BoundRef) => ref.scope === 0 && ref.path.length === 1 && ref.path[0] === PROPERTY;

const defaultsNamed = (value: unknown): BoundExpr[] =>
  (ALIASES.get(String(value)) ?? []).map((suffix) => ({ kind: 'text', fn: 'endswith', ref: ID_REF, value: suffix }) as BoundExpr);

function widen(expr: BoundExpr): BoundExpr {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return { kind: expr.kind, operands: expr.operands.map(widen) };
    case 'not':
      return { kind: 'not', operand: widen(expr.operand) };
    case 'compare': {
      if (expr.op !== 'eq' || !isTypeRef(expr.ref)) return expr;
      const extra = defaultsNamed(expr.value);
      return extra.length === 0 ? expr : { kind: 'or', operands: [expr, ...extra] };
    }
    case 'in': {
      if (!isTypeRef(expr.ref)) return expr;
      const extra = expr.values.flatMap(defaultsNamed);
      return extra.length === 0 ? expr : { kind: 'or', operands: [expr, ...extra] };
    }
    default:
      return expr;
  }
}

export function withDefaultTypeNames(filter: BoundFilter): BoundFilter {
  return { shape: filter.shape, root: widen(filter.root) };
}
