// Entra's dynamic membership rule language and Intune's assignment filter rules: parse and check, compile
// to a JS predicate and to SQL, and explain a result.
export { RuleError, RuleDetail, type RuleLanguage, type RuleWarning } from './rule-error.js';
export type { CheckedRule, RuleExpr, Test, Operand, DateTimeOperand } from './checked-rule.js';
export { checkRule, validateRuleLength, MAX_MEMBERSHIP_RULE_LENGTH } from './membership-rule.js';
export { MAX_MEMBEROF_GROUPS } from './checker.js';
export {
  USER_PROPERTIES,
  DEVICE_PROPERTIES,
  ASSIGNED_PLAN_FIELDS,
  findProperty,
  type ObjectKind,
  type RuleProperty,
  type PropertyType,
  type ScalarType,
} from './properties.js';
export { subjectFromGraph, graphFromSubject, graphPathOf, readGraphPath, type RuleSubject, type SubjectExtras } from './subject.js';
export { compileRuleJs, ruleJsSource, type RulePredicate } from './compile-js.js';
export { evaluateRule, type EvaluationOptions } from './interpreter.js';
export { compileRuleSql, ruleTable, type RuleSqlOptions } from './compile-sql.js';
export {
  explainRule,
  toGraphEvaluationDetails,
  toEvaluateDynamicMembershipResult,
  decidingExpressions,
  type RuleExplanation,
  type ExplanationKind,
  type ExpressionEvaluationDetails,
  type EvaluateDynamicMembershipResult,
  type PropertyToEvaluate,
} from './explain.js';
export {
  checkFilterRule,
  compileFilterRuleJs,
  explainFilterRule,
  filterSubjectFromManagedDevice,
  FILTER_PROPERTIES,
  MAX_FILTER_RULE_LENGTH,
} from './filter-rule.js';
export { compileRegex, RegexSyntaxError, MAX_REGEX_PROGRAM, MAX_REGEX_REPEAT, type RuleRegex } from './regex.js';
