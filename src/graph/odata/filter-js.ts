// Compiles a bound $filter to a JS predicate over full Graph objects, with the same semantics as filter-sql.ts.
import { compareScalars, readPath, toScalar, valueKind, type Scalar } from './compare.js';
import type { BoundExpr, BoundFilter } from './filter-binder.js';
import type { BoundRef } from './property-path.js';

export type Predicate = (obj: Readonly<Record<string, unknown>>) => boolean;

/** The values in scope: [0] is the object, [n] the current element of the n-th enclosing lambda. */
type Env = unknown[];
type Test = (env: Env) => boolean;
type Read = (env: Env) => Scalar | null;

/** Compiles once to a tree of closures; calling the predicate does no parsing or lookup by name. */
export function compileFilterJs(filter: BoundFilter): Predicate {
  const test = compile(filter.root);
  return (obj) => test([obj]);
}

function compile(expr: BoundExpr): Test {
  switch (expr.kind) {
    case 'const': {
      const value = expr.value;
      return () => value;
    }
    case 'and': {
      const tests = expr.operands.map(compile);
      return (env) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i]!(env)) return false;
        return true;
      };
    }
    case 'or': {
      const tests = expr.operands.map(compile);
      return (env) => {
        for (let i = 0; i < tests.length; i++) if (tests[i]!(env)) return true;
        return false;
      };
    }
    case 'not': {
      const test = compile(expr.operand);
      return (env) => !test(env);
    }
    case 'compare':
      return compileCompare(expr);
    case 'isNull': {
      const read = reader(expr.ref);
      return (env) => read(env) === null;
    }
    case 'in': {
      const read = reader(expr.ref);
      const values = new Set(expr.values);
      const orNull = expr.orNull;
      return (env) => {
        const value = read(env);
        return value === null ? orNull : values.has(value);
      };
    }
    case 'text':
      return compileText(expr);
    case 'has': {
      const read = reader(expr.ref);
      const needles = expr.members.map((member) => `,${member},`);
      return (env) => {
        const value = read(env);
        if (value === null) return false;
        const list = `,${(value as string).replaceAll(' ', '')},`;
        return needles.every((needle) => list.includes(needle));
      };
    }
    case 'lambda':
      return compileLambda(expr);
  }
}

function compileCompare(expr: Extract<BoundExpr, { kind: 'compare' }>): Test {
  const read = reader(expr.ref);
  const target = expr.value;
  if (expr.op === 'eq') return (env) => read(env) === target;
  const accept = { gt: (c: number) => c > 0, ge: (c: number) => c >= 0, lt: (c: number) => c < 0, le: (c: number) => c <= 0 }[expr.op];
  return (env) => {
    const value = read(env);
    return value !== null && accept(compareScalars(value, target));
  };
}

function compileText(expr: Extract<BoundExpr, { kind: 'text' }>): Test {
  const read = reader(expr.ref);
  const needle = expr.value;
  const match = {
    startswith: (s: string) => s.startsWith(needle),
    endswith: (s: string) => s.endsWith(needle),
    contains: (s: string) => s.includes(needle),
  }[expr.fn];
  return (env) => {
    const value = read(env);
    return value !== null && match(value as string);
  };
}

/** Anything but an array counts as an empty collection: `any` is false and `all` is true. */
function compileLambda(expr: Extract<BoundExpr, { kind: 'lambda' }>): Test {
  const { scope, path } = expr.collection;
  const elements = (env: Env) => readPath(env[scope], path);
  if (!expr.body) {
    return (env) => {
      const list = elements(env);
      return Array.isArray(list) && list.length > 0;
    };
  }
  const body = compile(expr.body);
  const inner = expr.scope;
  const wanted = expr.op === 'any';
  return (env) => {
    const list = elements(env);
    if (!Array.isArray(list)) return !wanted;
    for (const element of list) {
      env[inner] = element;
      if (body(env) === wanted) return wanted;
    }
    return !wanted;
  };
}

function reader(ref: BoundRef): Read {
  const kind = valueKind(ref.type)!;
  const { scope, path } = ref;
  return (env) => toScalar(kind, readPath(env[scope], path));
}
