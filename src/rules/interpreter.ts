// The reference semantics of a checked rule: a plain tree-walking evaluator. The explainer builds on it, the
// tests use it as a third opinion, and the benchmark measures the compiled predicate against it.
//
// Null rules (undocumented; see docs/compatibility.md): a missing value, JSON null and "" are null; every
// positive test on null is false, a negated operator is the negation of the positive one (so
// `user.department -ne "Sales"` holds for a user without department); -any over no items is false,
// -all over no items is true (the docs' "no assigned plans" example).
import type { Clock } from '../core/clock.js';
import type { CheckedRule, DateTimeOperand, Operand, RuleExpr, Test } from './checked-rule.js';
import type { ScalarType } from './properties.js';
import type { RuleSubject } from './subject.js';
import {
  booleanValue,
  compareVersions,
  dateTimeValue,
  fold,
  foldedContains,
  foldedEndsWith,
  foldedEquals,
  foldedStartsWith,
  shiftDateTime,
  textValue,
  versionValue,
} from './values.js';

export interface EvaluationOptions {
  /** The clock `system.now` reads; required for rules that use it (CheckedRule.usesNow). */
  readonly clock?: Clock;
}

/** Evaluates a checked rule for one subject by walking the tree. */
export function evaluateRule(rule: CheckedRule, subject: RuleSubject, options: EvaluationOptions = {}): boolean {
  const now = nowReader(rule, options);
  return evaluate(rule.root, subject, undefined, now);
}

/** `() => epoch ms` for rules that use system.now; throws when such a rule is given no clock. */
export function nowReader(rule: CheckedRule, options: EvaluationOptions): () => number {
  const clock = options.clock;
  if (clock) return () => clock.now();
  if (rule.usesNow) throw new TypeError('This rule uses system.now: evaluate it with a clock ({ clock }).');
  return () => {
    throw new TypeError('This rule has no system.now.');
  };
}

function evaluate(expr: RuleExpr, subject: RuleSubject, item: unknown, now: () => number): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.operands.every((operand) => evaluate(operand, subject, item, now));
    case 'or':
      return expr.operands.some((operand) => evaluate(operand, subject, item, now));
    case 'not':
      return !evaluate(expr.operand, subject, item, now);
    case 'compare':
      return compare(expr, readOperand(expr.operand, subject, item), now);
    case 'lambda': {
      const items = listOf(subject[expr.property]);
      return expr.quantifier === 'any'
        ? items.some((element) => evaluate(expr.body, subject, element, now))
        : items.every((element) => evaluate(expr.body, subject, element, now));
    }
    case 'memberOf':
      return isMemberOf(expr.groupIds, subject.memberOf);
    case 'directReports':
      return reportsTo(expr.managerId, subject.manager);
  }
}

/** A comparison on the raw value of its operand (a list for a direct operator on a string collection). */
export function compare(expr: Extract<RuleExpr, { kind: 'compare' }>, raw: unknown, now: () => number): boolean {
  const passed = expr.overItems
    ? listOf(raw).some((element) => passes(expr.test, expr.type, element, now))
    : passes(expr.test, expr.type, raw, now);
  return passed !== expr.negated;
}

/** The raw value an operand names: a subject property, the current item, or a field of the item. */
export function readOperand(operand: Operand, subject: RuleSubject, item: unknown): unknown {
  if (operand.from === 'subject') return subject[operand.property];
  if (operand.field === undefined) return item;
  return item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)[operand.field] : undefined;
}

/** Anything but an array has no items. */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function isMemberOf(groupIds: readonly string[], memberOf: unknown): boolean {
  return listOf(memberOf).some((id) => typeof id === 'string' && groupIds.includes(fold(id)));
}

export function reportsTo(managerId: string, manager: unknown): boolean {
  return typeof manager === 'string' && fold(manager) === managerId;
}

/** The positive test on one raw value of the given type. */
export function passes(test: Test, type: ScalarType, raw: unknown, now: () => number): boolean {
  switch (type) {
    case 'string': {
      const value = textValue(raw);
      switch (test.op) {
        case 'isNull':
          return value === null;
        case 'isSet':
          return value !== null;
        case 'eq':
          return value !== null && foldedEquals(value, test.text);
        case 'startsWith':
          return value !== null && foldedStartsWith(value, test.text);
        case 'endsWith':
          return value !== null && foldedEndsWith(value, test.text);
        case 'contains':
          return value !== null && foldedContains(value, test.text);
        case 'in':
          return value === null ? test.orNull : test.texts.includes(fold(value));
        case 'match':
          return value !== null && test.regex.test(value);
        default:
          return false;
      }
    }
    case 'boolean': {
      const value = booleanValue(raw);
      if (test.op === 'isNull') return value === null;
      return test.op === 'bool' && value === test.value;
    }
    case 'dateTime': {
      const value = dateTimeValue(raw);
      if (test.op === 'isNull') return value === null;
      if (test.op !== 'dateTime' || value === null) return false;
      const at = dateTimeAt(test.at, now);
      return test.cmp === 'eq' ? value === at : test.cmp === 'le' ? value <= at : value >= at;
    }
    case 'version': {
      const value = versionValue(raw);
      if (test.op === 'isNull') return value === null;
      if (test.op !== 'version' || value === null) return false;
      const c = compareVersions(value, test.version);
      switch (test.cmp) {
        case 'eq':
          return c === 0;
        case 'lt':
          return c < 0;
        case 'le':
          return c <= 0;
        case 'gt':
          return c > 0;
        case 'ge':
          return c >= 0;
      }
    }
  }
}

/** The instant a datetime operand denotes now. */
export function dateTimeAt(at: DateTimeOperand, now: () => number): number {
  if ('fixed' in at) return at.fixed;
  const current = now();
  return at.shift ? shiftDateTime(current, at.shift.duration, at.shift.sign) : current;
}
