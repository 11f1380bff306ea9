// The error of an invalid membership rule or assignment filter rule: a Graph 400 that names the position,
// Entra's wording for the problem, and what to do about it.
import { GraphError } from '../graph/errors.js';

/** Which language a rule is written in: Entra's dynamic membership rules or Intune's assignment filters. */
export type RuleLanguage = 'membership' | 'filter';

/**
 * Entra's own wording for rule errors, where it is known (groups-troubleshooting.md, "Query error remediation";
 * the Graph code InvalidObjectTypeException / "No object type" is from msgraph-sdk-dotnet #2601).
 */
export const RuleDetail = {
  attributeNotSupported: 'Attribute not supported.',
  operatorNotSupported: "Operator isn't supported on attribute.",
  compilationError: 'Query compilation error.',
  invalidOperands: 'Invalid operands found for operator.',
  wrongProperty: 'Wrong property applied.',
  noObjectType: 'No object type',
  invalidObjectType: 'Invalid object type.',
  memberOfWithOtherRules: "The memberOf attribute can't be used with other rules.",
  directReportsWithOtherRules: "Direct Reports can't be combined with other rules.",
  tooLong: 'The rule is too long.',
} as const;

export type RuleDetailText = (typeof RuleDetail)[keyof typeof RuleDetail];

/**
 * Graph answers an invalid membership rule with 400 `Request_BadRequest` (directory resources use Request_*
 * codes), except a rule naming no object type, which real Graph reports as `InvalidObjectTypeException`.
 * Intune resources (assignment filters) use the generic `BadRequest`.
 */
function graphCode(language: RuleLanguage, detail: string): string {
  if (language === 'filter') return 'BadRequest';
  return detail === RuleDetail.noObjectType ? 'InvalidObjectTypeException' : 'Request_BadRequest';
}

export class RuleError extends GraphError {
  constructor(
    /** Entra's short wording, e.g. "Attribute not supported.". */
    readonly detail: RuleDetailText,
    /** What is wrong here and how to fix it, in Tarmac's words. */
    readonly hint: string,
    /** 0-based offset (UTF-16 units) in the rule text where the problem starts. */
    readonly position: number,
    /** Offset just past the offending text (at least position + 1 unless the rule is empty there). */
    readonly end: number = position + 1,
    readonly language: RuleLanguage = 'membership',
  ) {
    const what = language === 'membership' ? 'Dynamic membership rule' : 'Assignment filter rule';
    super(400, graphCode(language, detail), `${what} validation error at position ${position}: ${detail} ${hint}`.trim());
    this.name = 'RuleError';
  }

  /** The same error reported for the other language (the parser and checker are shared). */
  withLanguage(language: RuleLanguage): RuleError {
    return language === this.language ? this : new RuleError(this.detail, this.hint, this.position, this.end, language);
  }
}

/** A non-fatal remark about a valid rule: an accepted spelling that Entra's docs do not use. */
export interface RuleWarning {
  readonly position: number;
  readonly end: number;
  readonly message: string;
}
