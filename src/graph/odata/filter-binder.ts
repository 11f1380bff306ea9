// Checks a $filter syntax tree against a resource shape and lowers it to a small typed tree the compilers share.
// Names become canonical, literals become comparable values, and OData's null rules are applied here once.
import { asciiLower, valueKind, type Scalar } from './compare.js';
import type { CompareOp, FilterLiteral, FilterNode, PathNode } from './filter-parser.js';
import { resolveMembers, resolveProperty, type BoundRef } from './property-path.js';
import { queryError } from './query-error.js';
import { edmTypeName, type PropType, type ResourceShape } from './shape.js';

export type TextFunction = 'startswith' | 'endswith' | 'contains';

/**
 * Every node is a predicate that is true or false, never null: a comparison with a missing value is false,
 * as OData's lifted operators say (MS-ODATA §2.2.3.6.1.1.5).
 */
export type BoundExpr =
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly BoundExpr[] }
  | { readonly kind: 'not'; readonly operand: BoundExpr }
  /** `ref op value`; strings in `value` are lower-cased, datetimes are epoch milliseconds. */
  | { readonly kind: 'compare'; readonly op: 'eq' | 'gt' | 'ge' | 'lt' | 'le'; readonly ref: BoundRef; readonly value: Scalar }
  | { readonly kind: 'isNull'; readonly ref: BoundRef }
  | { readonly kind: 'in'; readonly ref: BoundRef; readonly values: readonly Scalar[]; readonly orNull: boolean }
  /** A string function; `value` is lower-cased. */
  | { readonly kind: 'text'; readonly fn: TextFunction; readonly ref: BoundRef; readonly value: string }
  /** A flags enum contains every one of `members` (lower-cased). */
  | { readonly kind: 'has'; readonly ref: BoundRef; readonly members: readonly string[] }
  /** `any` / `all` over a collection; the element is scope `scope`. `any()` has no body. */
  | {
      readonly kind: 'lambda';
      readonly op: 'any' | 'all';
      readonly collection: BoundRef;
      readonly scope: number;
      readonly body?: BoundExpr;
    };

export interface BoundFilter {
  readonly shape: ResourceShape;
  readonly root: BoundExpr;
}

interface RangeVariable {
  readonly name: string;
  readonly scope: number;
  readonly type: PropType;
}

const OPERATOR_KIND: Readonly<Record<CompareOp | 'in', string>> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  has: 'Has',
  in: 'In',
};

type OrderingOp = Exclude<CompareOp, 'has'>;

/** `5 lt x` is `x gt 5`. */
const MIRRORED: Readonly<Record<OrderingOp, OrderingOp>> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

const TEXT_FUNCTIONS = new Set<string>(['startswith', 'endswith', 'contains']);

export function bindFilter(ast: FilterNode, shape: ResourceShape): BoundFilter {
  return { shape, root: new FilterBinder(shape).predicate(ast, []) };
}

class FilterBinder {
  constructor(private readonly shape: ResourceShape) {}

  predicate(node: FilterNode, scope: readonly RangeVariable[]): BoundExpr {
    switch (node.kind) {
      case 'and':
      case 'or':
        return this.chain(node.kind, node.operands, scope);
      case 'not':
        return { kind: 'not', operand: this.predicate(node.operand, scope) };
      case 'compare':
        return this.compare(node.op, node.left, node.right, scope);
      case 'in':
        return this.in(node.left, node.items, scope);
      case 'call':
        return this.call(node.name, node.args, scope);
      case 'lambda':
        return this.lambda(node.op, node.collection, node.variable, node.body, scope);
      case 'path': {
        // A bare boolean property (`accountEnabled`) is the predicate `accountEnabled eq true`.
        const ref = this.resolve(node, scope);
        if (ref.type.kind === 'boolean') return { kind: 'compare', op: 'eq', ref, value: true };
        throw notBoolean();
      }
      case 'literal':
        if (node.literal.type === 'boolean') return { kind: 'const', value: node.literal.value };
        throw notBoolean();
    }
  }

  /** Flattens `(a and b) and c` into one list, so the compilers see shallow trees. */
  private chain(kind: 'and' | 'or', operands: readonly FilterNode[], scope: readonly RangeVariable[]): BoundExpr {
    const bound: BoundExpr[] = [];
    for (const operand of operands) {
      const expr = this.predicate(operand, scope);
      if (expr.kind === kind) bound.push(...expr.operands);
      else bound.push(expr);
    }
    return { kind, operands: bound };
  }

  private compare(op: CompareOp, left: FilterNode, right: FilterNode, scope: readonly RangeVariable[]): BoundExpr {
    const swapped = left.kind === 'literal' && right.kind !== 'literal';
    const [pathNode, literalNode] = swapped ? [right, left] : [left, right];
    if (pathNode.kind !== 'path' || literalNode.kind !== 'literal') {
      throw queryError(`The operands of '${op}' must be a property and a literal, e.g. displayName eq 'x'.`);
    }
    const ref = this.scalar(pathNode, scope, op);
    const literal = literalNode.literal;
    const incompatible = () => {
      const types = [edmTypeName(ref.type), literalTypeName(literal)];
      return incompatibleTypes(swapped ? types.reverse() : types, OPERATOR_KIND[op]);
    };
    if (op === 'has') return has(ref, literal, incompatible);
    const value = comparable(ref.type, literal, incompatible);
    return lowerComparison(swapped ? MIRRORED[op] : op, ref, value);
  }

  private in(left: FilterNode, items: readonly FilterNode[], scope: readonly RangeVariable[]): BoundExpr {
    if (left.kind !== 'path') throw queryError("The left operand of 'in' must be a property, e.g. id in ('a','b').");
    const ref = this.scalar(left, scope, 'in');
    const values: Scalar[] = [];
    let orNull = false;
    for (const item of items) {
      if (item.kind !== 'literal') throw queryError("The right operand of 'in' must be a list of literals, e.g. id in ('a','b').");
      const value = comparable(ref.type, item.literal, () =>
        incompatibleTypes([edmTypeName(ref.type), literalTypeName(item.literal)], OPERATOR_KIND.in),
      );
      if (value === null) orNull = true;
      else values.push(value);
    }
    return { kind: 'in', ref, values, orNull };
  }

  private call(name: string, args: readonly FilterNode[], scope: readonly RangeVariable[]): BoundExpr {
    const fn = name.toLowerCase();
    if (!TEXT_FUNCTIONS.has(fn)) {
      throw queryError(`The function '${name}' is not supported in $filter. Supported functions: startswith, endswith, contains.`);
    }
    const noSignature = () =>
      queryError(
        `No function signature for the function with name '${fn}' matches the specified arguments. ` +
          `The function signatures considered are: ${fn}(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
    const [target, argument] = args;
    if (args.length !== 2 || target!.kind !== 'path' || argument!.kind !== 'literal') throw noSignature();
    const ref = this.resolve(target!, scope);
    const literal = argument!.literal;
    if (ref.type.kind !== 'string' || (literal.type !== 'string' && literal.type !== 'null')) throw noSignature();
    if (literal.type === 'null') return { kind: 'const', value: false };
    return { kind: 'text', fn: fn as TextFunction, ref, value: asciiLower(literal.value) };
  }

  private lambda(
    op: 'any' | 'all',
    collectionNode: PathNode,
    variable: string | undefined,
    body: FilterNode | undefined,
    scope: readonly RangeVariable[],
  ): BoundExpr {
    const collection = this.resolve(collectionNode, scope);
    if (collection.type.kind !== 'collection') {
      throw queryError(
        `The parent value for the lambda expression '${op}' must be a collection; ` +
          `'${collection.path.join('/')}' is of type '${edmTypeName(collection.type)}'.`,
      );
    }
    const depth = scope.length + 1;
    if (depth > 1 && collection.scope !== depth - 1) throw nestedLambdaError(op);
    if (variable === undefined || body === undefined) return { kind: 'lambda', op, collection, scope: depth };
    if (scope.some((v) => v.name === variable)) throw queryError(`The range variable '${variable}' has already been declared.`);
    const inner = [...scope, { name: variable, scope: depth, type: collection.type.of }];
    return { kind: 'lambda', op, collection, scope: depth, body: this.predicate(body, inner) };
  }

  /** A path that must denote a single primitive value, as comparison operands do. */
  private scalar(node: PathNode, scope: readonly RangeVariable[], op: CompareOp | 'in'): BoundRef {
    const ref = this.resolve(node, scope);
    if (ref.type.kind === 'collection') {
      throw queryError(
        `The operand for a binary operator '${OPERATOR_KIND[op]}' is not a single value. ` +
          'Binary operators require both operands to be single values.',
      );
    }
    return ref;
  }

  /** Resolves `a/b/c` to canonical names: a range variable first, then the resource's properties. */
  private resolve(node: PathNode, scope: readonly RangeVariable[]): BoundRef {
    const [first, ...rest] = node.segments;
    const variable = findVariable(scope, first!);
    if (!variable) return resolveProperty(this.shape, node.segments);
    return resolveMembers({ scope: variable.scope, path: [], type: variable.type }, rest);
  }
}

/** The innermost range variable of that name (lambdas may nest). */
function findVariable(scope: readonly RangeVariable[], name: string): RangeVariable | undefined {
  for (let i = scope.length - 1; i >= 0; i--) if (scope[i]!.name === name) return scope[i];
  return undefined;
}

/** Applies OData's null rules: `eq null` tests for null, an ordering against null is false, `ne` is `not eq`. */
function lowerComparison(op: OrderingOp, ref: BoundRef, value: Scalar | null): BoundExpr {
  if (value === null) {
    if (op === 'eq') return { kind: 'isNull', ref };
    if (op === 'ne') return { kind: 'not', operand: { kind: 'isNull', ref } };
    return { kind: 'const', value: false };
  }
  if (op === 'ne') return { kind: 'not', operand: { kind: 'compare', op: 'eq', ref, value } };
  return { kind: 'compare', op, ref, value };
}

/** `technologies has 'enrollment'`; a literal naming several flags ('mdm,enrollment') needs all of them. */
function has(ref: BoundRef, literal: FilterLiteral, incompatible: () => Error): BoundExpr {
  if (ref.type.kind !== 'enum') throw incompatible();
  const value = comparable(ref.type, literal, incompatible);
  if (value === null) return { kind: 'const', value: false };
  const members = String(value).split(',').map((m) => m.trim()).filter(Boolean);
  if (members.length === 0) throw queryError(`The string '${String(value)}' is not a valid enumeration type constant.`);
  return { kind: 'has', ref, members };
}

/** A literal converted to the comparable form of the property's type, or an error if the types cannot meet. */
function comparable(type: PropType, literal: FilterLiteral, incompatible: () => Error): Scalar | null {
  if (literal.type === 'null') return null;
  switch (type.kind) {
    case 'string':
      if (literal.type === 'string') return asciiLower(literal.value);
      break;
    case 'enum':
      if (literal.type === 'string') return asciiLower(literal.value);
      if (literal.type === 'enum' && sameEnum(type.typeName, literal.typeName)) return asciiLower(literal.value);
      break;
    case 'guid':
      if (literal.type === 'guid') return asciiLower(literal.value);
      break;
    case 'boolean':
      if (literal.type === 'boolean') return literal.value;
      break;
    case 'int':
    case 'number':
      if (literal.type === 'number') return literal.value;
      break;
    case 'datetime':
      // A date literal means midnight UTC of that day.
      if (literal.type === 'datetime' || literal.type === 'date') return literal.value;
      break;
  }
  throw incompatible();
}

const sameEnum = (declared: string | undefined, written: string) =>
  declared === undefined || declared.toLowerCase() === written.toLowerCase();

function literalTypeName(literal: FilterLiteral): string {
  switch (literal.type) {
    case 'string':
      return 'Edm.String';
    case 'number':
      return !literal.integer ? 'Edm.Decimal' : Math.abs(literal.value) > 2 ** 31 ? 'Edm.Int64' : 'Edm.Int32';
    case 'boolean':
      return 'Edm.Boolean';
    case 'guid':
      return 'Edm.Guid';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'date':
      return 'Edm.Date';
    case 'enum':
      return literal.typeName;
    case 'null':
      return 'null';
  }
}

const incompatibleTypes = ([left, right]: string[], operatorKind: string) =>
  queryError(
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' ` +
      `for operator kind '${operatorKind}'.`,
  );

/**
 * A lambda inside another must walk a collection of the enclosing element, so that evaluation stays linear in
 * the size of the data: `tags/any(a: tags/any(b: tags/any(c: ...)))` would cost n^depth.
 */
const nestedLambdaError = (op: string) =>
  queryError(
    `The lambda expression '${op}' inside another lambda must iterate over a collection of the enclosing lambda's variable, ` +
      'e.g. assignedLicenses/any(l: l/disabledPlans/any(p: p eq ...)).',
  );

const notBoolean = () => queryError('The $filter expression must evaluate to a single boolean value.');
