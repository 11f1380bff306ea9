// Explains a rule's result for one user or device: a tree per expression shaped like Graph's
// expressionEvaluationDetails (group: evaluateDynamicMembership, beta), plus which sub-expressions decided
// the outcome, with the operator, the compared value and the actual attribute values.
import type { CheckedRule, RuleExpr } from './checked-rule.js';
import { compare, isMemberOf, listOf, nowReader, readOperand, reportsTo, type EvaluationOptions } from './interpreter.js';
import type { RuleSubject } from './subject.js';

/** Graph's propertyToEvaluate: the property an expression read and its value as a string. */
export interface PropertyToEvaluate {
  readonly propertyName: string;
  readonly propertyValue: string | null;
}

/** Graph's expressionEvaluationDetails, exactly. */
export interface ExpressionEvaluationDetails {
  readonly expressionResult: boolean;
  readonly expression: string;
  readonly expressionEvaluationDetails?: readonly ExpressionEvaluationDetails[];
  readonly propertyToEvaluate?: PropertyToEvaluate;
}

/** Graph's evaluateDynamicMembershipResult. */
export interface EvaluateDynamicMembershipResult {
  readonly membershipRule: string;
  readonly membershipRuleEvaluationResult: boolean;
  readonly membershipRuleEvaluationDetails: ExpressionEvaluationDetails;
}

export type ExplanationKind = 'and' | 'or' | 'not' | 'comparison' | 'any' | 'all' | 'memberOf' | 'directReports';

/** One expression of the rule, evaluated; Graph's fields plus Tarmac's. */
export interface RuleExplanation {
  /** The expression as written in the rule, without outer parentheses. */
  readonly expression: string;
  readonly expressionResult: boolean;
  /** For comparisons (and memberOf / Direct Reports): the property read and its actual value. */
  readonly propertyToEvaluate: PropertyToEvaluate | null;
  /** Sub-expressions; for -any / -all, the condition evaluated for each item. */
  readonly expressionEvaluationDetails: readonly RuleExplanation[];
  // Tarmac's own fields.
  readonly kind: ExplanationKind;
  /** Offsets of the expression in the rule text. */
  readonly position: number;
  readonly end: number;
  /**
   * True when this expression decided the outcome: it is the whole rule, or its parent was decisive and its
   * result alone settles the parent's (a false operand of a false -and, a true operand of a true -or, every
   * operand of a true -and or a false -or).
   */
  readonly decisive: boolean;
  /** The operator as Entra spells it (`-startsWith`), for comparisons and -any / -all. */
  readonly operator?: string;
  /** The value compared with, as written in the rule (a string, a list, true/false, null, a datetime). */
  readonly value?: unknown;
  /** The attribute's actual value (a list for multi-valued properties). */
  readonly actualValue?: unknown;
  /** Inside -any / -all: the item this evaluation is for. */
  readonly item?: unknown;
}

interface Draft {
  expression: string;
  expressionResult: boolean;
  propertyToEvaluate: PropertyToEvaluate | null;
  expressionEvaluationDetails: Draft[];
  kind: ExplanationKind;
  position: number;
  end: number;
  decisive: boolean;
  operator?: string;
  value?: unknown;
  actualValue?: unknown;
  item?: unknown;
}

/** Evaluates the rule for one subject and explains every expression. */
export function explainRule(rule: CheckedRule, subject: RuleSubject, options: EvaluationOptions = {}): RuleExplanation {
  const now = nowReader(rule, options);
  const root = explain(rule, rule.root, subject, undefined, false, now);
  markDecisive(root, true);
  return root;
}

function explain(rule: CheckedRule, expr: RuleExpr, subject: RuleSubject, item: unknown, inItem: boolean, now: () => number): Draft {
  const base = { expression: rule.text.slice(expr.pos, expr.end), position: expr.pos, end: expr.end, decisive: false };
  const withItem = inItem ? { item } : {};
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const children = expr.operands.map((o) => explain(rule, o, subject, item, inItem, now));
      const result = expr.kind === 'and' ? children.every((c) => c.expressionResult) : children.some((c) => c.expressionResult);
      return { ...base, ...withItem, kind: expr.kind, expressionResult: result, propertyToEvaluate: null, expressionEvaluationDetails: children };
    }
    case 'not': {
      const child = explain(rule, expr.operand, subject, item, inItem, now);
      return { ...base, ...withItem, kind: 'not', operator: '-not', expressionResult: !child.expressionResult, propertyToEvaluate: null, expressionEvaluationDetails: [child] };
    }
    case 'compare': {
      const raw = readOperand(expr.operand, subject, item);
      return {
        ...base,
        ...withItem,
        kind: 'comparison',
        operator: expr.operator,
        value: expr.value,
        actualValue: raw ?? null,
        expressionResult: compare(expr, raw, now),
        propertyToEvaluate: { propertyName: expr.label, propertyValue: graphString(raw) },
        expressionEvaluationDetails: [],
      };
    }
    case 'lambda': {
      const raw = subject[expr.property];
      const children = listOf(raw).map((element) => explain(rule, expr.body, subject, element, true, now));
      const result = expr.quantifier === 'any' ? children.some((c) => c.expressionResult) : children.every((c) => c.expressionResult);
      return {
        ...base,
        kind: expr.quantifier,
        operator: `-${expr.quantifier}`,
        actualValue: raw ?? null,
        expressionResult: result,
        propertyToEvaluate: { propertyName: expr.property, propertyValue: graphString(raw) },
        expressionEvaluationDetails: children,
      };
    }
    case 'memberOf':
      return {
        ...base,
        kind: 'memberOf',
        operator: '-any',
        value: expr.groupIds,
        actualValue: subject.memberOf ?? [],
        expressionResult: isMemberOf(expr.groupIds, subject.memberOf),
        propertyToEvaluate: { propertyName: 'memberOf', propertyValue: graphString(subject.memberOf ?? []) },
        expressionEvaluationDetails: [],
      };
    case 'directReports':
      return {
        ...base,
        kind: 'directReports',
        value: expr.managerId,
        actualValue: subject.manager ?? null,
        expressionResult: reportsTo(expr.managerId, subject.manager),
        propertyToEvaluate: { propertyName: 'manager', propertyValue: graphString(subject.manager) },
        expressionEvaluationDetails: [],
      };
  }
}

/** Which children settle their parent's result (see RuleExplanation.decisive). */
function markDecisive(node: Draft, decisive: boolean): void {
  node.decisive = decisive;
  const result = node.expressionResult;
  for (const child of node.expressionEvaluationDetails) {
    let settles: boolean;
    switch (node.kind) {
      case 'and':
      case 'all':
        settles = result || !child.expressionResult;
        break;
      case 'or':
      case 'any':
        settles = !result || child.expressionResult;
        break;
      default:
        settles = true;
    }
    markDecisive(child, decisive && settles);
  }
}

/** A value as Graph's propertyValue (a string): text as is, other values as JSON, null as null. */
function graphString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Exactly Graph's shape: expressionResult, expression, children when there are some, propertyToEvaluate when read. */
export function toGraphEvaluationDetails(explanation: RuleExplanation): ExpressionEvaluationDetails {
  const children = explanation.expressionEvaluationDetails;
  return {
    expressionResult: explanation.expressionResult,
    expression: explanation.expression,
    ...(children.length ? { expressionEvaluationDetails: children.map(toGraphEvaluationDetails) } : {}),
    ...(explanation.propertyToEvaluate ? { propertyToEvaluate: { ...explanation.propertyToEvaluate } } : {}),
  };
}

/** Graph's evaluateDynamicMembershipResult for a rule and its explanation. */
export function toEvaluateDynamicMembershipResult(rule: CheckedRule, explanation: RuleExplanation): EvaluateDynamicMembershipResult {
  return {
    membershipRule: rule.text,
    membershipRuleEvaluationResult: explanation.expressionResult,
    membershipRuleEvaluationDetails: toGraphEvaluationDetails(explanation),
  };
}

/** The innermost expressions that decided the outcome: the comparisons to look at first. */
export function decidingExpressions(explanation: RuleExplanation): RuleExplanation[] {
  const out: RuleExplanation[] = [];
  const walk = (node: RuleExplanation) => {
    if (!node.decisive) return;
    const decisiveChildren = node.expressionEvaluationDetails.filter((c) => c.decisive);
    if (decisiveChildren.length === 0) out.push(node);
    else decisiveChildren.forEach(walk);
  };
  walk(explanation);
  return out;
}
