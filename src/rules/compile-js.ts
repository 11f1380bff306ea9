// Compiles a checked rule to a specialised JS predicate over one RuleSubject: the tree becomes straight-line
// code (new Function) with literals pre-folded, short literals compared character by character, and no
// allocation per call. Same semantics as interpreter.ts, which the tests hold it to.
import { asciiLower } from '../graph/odata/compare.js';
import type { CheckedRule, RuleExpr, Test } from './checked-rule.js';
import { dateTimeAt, nowReader, type EvaluationOptions } from './interpreter.js';
import type { ScalarType } from './properties.js';
import type { RuleSubject } from './subject.js';
import { compareVersions, dateTimeValue, foldedContains, foldedEndsWith, foldedEquals, foldedStartsWith, versionValue } from './values.js';

export type RulePredicate = (subject: RuleSubject) => boolean;

/** Literals up to this length are compared inline, character by character. */
const UNROLL = 16;
/** -in lists up to this size are compared inline; longer ones use a Set. */
const INLINE_LIST = 6;

const HELPERS = {
  fold: asciiLower,
  eqF: foldedEquals,
  startsF: foldedStartsWith,
  endsF: foldedEndsWith,
  containsF: foldedContains,
  dt: dateTimeValue,
  ver: versionValue,
  cmpV: compareVersions,
  at: dateTimeAt,
  field: (item: unknown, name: string): unknown =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)[name] : undefined,
};

const cache = new WeakMap<CheckedRule, RulePredicate>();

/**
 * A predicate that answers whether a subject is a member. Rules that use system.now need `options.clock`;
 * predicates of other rules are cached per CheckedRule.
 */
export function compileRuleJs(rule: CheckedRule, options: EvaluationOptions = {}): RulePredicate {
  if (!rule.usesNow) {
    const cached = cache.get(rule);
    if (cached) return cached;
  }
  const generator = new Generator();
  const body = generator.expr(rule.root, undefined);
  const source = [
    '"use strict";',
    'const { fold, eqF, startsF, endsF, containsF, dt, ver, cmpV, at, field } = helpers;',
    ...generator.declarations,
    `return function rule(s) { return ${body}; };`,
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source holds no user text: literals are passed in `c`
  const factory = new Function('c', 'helpers', 'now', source) as (c: unknown[], helpers: typeof HELPERS, now: () => number) => RulePredicate;
  const predicate = factory(generator.constants, HELPERS, nowReader(rule, options));
  if (!rule.usesNow) cache.set(rule, predicate);
  return predicate;
}

/** The generated source of a rule's predicate, for debugging and tests. */
export function ruleJsSource(rule: CheckedRule): string {
  const generator = new Generator();
  const body = generator.expr(rule.root, undefined);
  return [...generator.declarations, `return function rule(s) { return ${body}; };`].join('\n');
}

class Generator {
  readonly declarations: string[] = [];
  readonly constants: unknown[] = [];
  private names = 0;

  private name(prefix: string): string {
    return `${prefix}${this.names++}`;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `c[${this.constants.length - 1}]`;
  }

  /** A JS boolean expression for `expr`; `item` is the variable holding the current -any / -all item. */
  expr(expr: RuleExpr, item: string | undefined): string {
    switch (expr.kind) {
      case 'and':
      case 'or':
        return `(${expr.operands.map((o) => this.expr(o, item)).join(expr.kind === 'and' ? ' && ' : ' || ')})`;
      case 'not':
        return `!${this.expr(expr.operand, item)}`;
      case 'compare': {
        const access =
          expr.operand.from === 'subject'
            ? member('s', expr.operand.property)
            : expr.operand.field === undefined
              ? item!
              : `field(${item}, ${JSON.stringify(expr.operand.field)})`;
        let test = this.test(expr.test, expr.type);
        if (expr.overItems) test = this.some(test);
        return `${expr.negated ? '!' : ''}${test}(${access})`;
      }
      case 'lambda': {
        const fn = this.name('q');
        const x = `x${this.names++}`;
        const body = this.expr(expr.body, x);
        const any = expr.quantifier === 'any';
        this.declarations.push(
          `function ${fn}(l) {`,
          `  if (!Array.isArray(l)) return ${!any};`,
          `  for (let i = 0; i < l.length; i++) { const ${x} = l[i]; if (${any ? '' : '!'}(${body})) return ${any}; }`,
          `  return ${!any};`,
          '}',
        );
        return `${fn}(${member('s', expr.property)})`;
      }
      case 'memberOf': {
        const fn = this.name('m');
        const ids = this.constant(new Set(expr.groupIds));
        this.declarations.push(
          `function ${fn}(l) {`,
          '  if (!Array.isArray(l)) return false;',
          `  for (let i = 0; i < l.length; i++) { const x = l[i]; if (typeof x === "string" && ${ids}.has(fold(x))) return true; }`,
          '  return false;',
          '}',
        );
        return `${fn}(s.memberOf)`;
      }
      case 'directReports':
        return `(typeof s.manager === "string" && fold(s.manager) === ${this.constant(expr.managerId)})`;
    }
  }

  /** Declares `function tN(v)`, the positive test on one raw value, and returns its name. */
  private test(test: Test, type: ScalarType): string {
    const fn = this.name('t');
    this.declarations.push(`function ${fn}(v) {`, ...this.testBody(test, type).map((line) => `  ${line}`), '}');
    return fn;
  }

  /** Declares a function that is true when any item of a list passes `test`. */
  private some(test: string): string {
    const fn = this.name('a');
    this.declarations.push(
      `function ${fn}(l) {`,
      '  if (!Array.isArray(l)) return false;',
      `  for (let i = 0; i < l.length; i++) if (${test}(l[i])) return true;`,
      '  return false;',
      '}',
    );
    return fn;
  }

  private testBody(test: Test, type: ScalarType): string[] {
    switch (type) {
      case 'string':
        return this.textTest(test);
      case 'boolean':
        if (test.op === 'isNull') return ['return typeof v !== "boolean";'];
        return [`return v === ${test.op === 'bool' && test.value};`];
      case 'dateTime': {
        if (test.op === 'isNull') return ['return dt(v) === null;'];
        if (test.op !== 'dateTime') return ['return false;'];
        const target = 'fixed' in test.at ? String(test.at.fixed) : `at(${this.constant(test.at)}, now)`;
        const cmp = test.cmp === 'eq' ? '===' : test.cmp === 'le' ? '<=' : '>=';
        return ['const d = dt(v);', `return d !== null && d ${cmp} ${target};`];
      }
      case 'version': {
        if (test.op === 'isNull') return ['return ver(v) === null;'];
        if (test.op !== 'version') return ['return false;'];
        const cmp = { eq: '===', lt: '<', le: '<=', gt: '>', ge: '>=' }[test.cmp];
        return ['const x = ver(v);', `return x !== null && cmpV(x, ${this.constant(test.version)}) ${cmp} 0;`];
      }
    }
  }

  private textTest(test: Test): string[] {
    const isText = 'typeof v === "string"';
    switch (test.op) {
      case 'isNull':
        return [`return !(${isText}) || v.length === 0;`];
      case 'isSet':
        return [`return ${isText} && v.length > 0;`];
      case 'eq':
        if (test.text.length > UNROLL) return [`return ${isText} && eqF(v, ${this.constant(test.text)});`];
        return [`if (!(${isText}) || v.length !== ${test.text.length}) return false;`, ...unrolled(test.text, '0'), 'return true;'];
      case 'startsWith':
        if (test.text.length > UNROLL) return [`return ${isText} && startsF(v, ${this.constant(test.text)});`];
        return [`if (!(${isText}) || v.length < ${test.text.length}) return false;`, ...unrolled(test.text, '0'), 'return true;'];
      case 'endsWith':
        if (test.text.length > UNROLL) return [`return ${isText} && endsF(v, ${this.constant(test.text)});`];
        return [
          `if (!(${isText}) || v.length < ${test.text.length}) return false;`,
          `const o = v.length - ${test.text.length};`,
          ...unrolled(test.text, 'o'),
          'return true;',
        ];
      case 'contains':
        return [`return ${isText} && containsF(v, ${this.constant(test.text)});`];
      case 'in': {
        const lines = [`if (!(${isText}) || v.length === 0) return ${test.orNull};`];
        if (test.texts.length <= INLINE_LIST) {
          const alternatives = test.texts.map((text) => `eqF(v, ${this.constant(text)})`);
          return [...lines, `return ${alternatives.length ? alternatives.join(' || ') : 'false'};`];
        }
        return [...lines, `return ${this.constant(new Set(test.texts))}.has(fold(v));`];
      }
      case 'match':
        return [`return ${isText} && v.length > 0 && ${this.constant(test.regex)}.test(v);`];
      default:
        return ['return false;'];
    }
  }
}

/** Statements comparing `v` from `offset` with a folded literal: ASCII letters in either case. */
function unrolled(text: string, offset: string): string[] {
  const lines = ['let u;'];
  for (let j = 0; j < text.length; j++) {
    const code = text.charCodeAt(j);
    const at = offset === '0' ? String(j) : `${offset} + ${j}`;
    if (code >= 97 && code <= 122) lines.push(`if ((u = v.charCodeAt(${at})) !== ${code} && u !== ${code - 32}) return false;`);
    else lines.push(`if (v.charCodeAt(${at}) !== ${code}) return false;`);
  }
  return lines;
}

/** `s.name` for identifier-like names, `s["name"]` otherwise. */
function member(object: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${object}.${name}` : `${object}[${JSON.stringify(name)}]`;
}
