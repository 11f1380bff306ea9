// The checked form of a rule that every back end reads: property names resolved, operators normalised to a
// positive test plus a negation flag, literal values folded to comparable form.
import type { RuleLanguage, RuleWarning } from './rule-error.js';
import type { ObjectKind, ScalarType } from './properties.js';
import type { RuleRegex } from './regex.js';
import type { Duration } from './values.js';

/** Where a compared value comes from. */
export type Operand =
  /** A property of the user or device; `property` is the canonical rule name (a RuleSubject key). */
  | { readonly from: 'subject'; readonly property: string }
  /** The current item of -any / -all: the item itself (`_`) or a field of it (`assignedPlan.service`). */
  | { readonly from: 'item'; readonly field?: string };

/** A datetime to compare with: fixed, or `system.now` shifted, read from the clock at evaluation. */
export type DateTimeOperand =
  | { readonly fixed: number }
  | { readonly now: true; readonly shift?: { readonly sign: 1 | -1; readonly duration: Duration } };

/**
 * The positive form of a comparison on one value (null when missing). Text in tests is folded (ASCII lower
 * case) and non-empty; an empty literal was turned into a null test by the checker.
 */
export type Test =
  | { readonly op: 'isNull' }
  /** Set (not null): what `-startsWith ""`, `-endsWith ""` and `-contains ""` test. */
  | { readonly op: 'isSet' }
  | { readonly op: 'eq' | 'startsWith' | 'endsWith' | 'contains'; readonly text: string }
  /** Equal to one of `texts`; `orNull` when the list held an empty string. */
  | { readonly op: 'in'; readonly texts: readonly string[]; readonly orNull: boolean }
  | { readonly op: 'match'; readonly regex: RuleRegex }
  | { readonly op: 'bool'; readonly value: boolean }
  | { readonly op: 'dateTime'; readonly cmp: 'eq' | 'le' | 'ge'; readonly at: DateTimeOperand }
  | { readonly op: 'version'; readonly cmp: 'eq' | 'lt' | 'le' | 'gt' | 'ge'; readonly version: readonly number[] };

interface Located {
  /** Offset of the expression in the rule text, outer parentheses excluded. */
  readonly pos: number;
  readonly end: number;
}

export type RuleExpr =
  | (Located & { readonly kind: 'and' | 'or'; readonly operands: readonly RuleExpr[] })
  | (Located & { readonly kind: 'not'; readonly operand: RuleExpr })
  | (Located & {
      readonly kind: 'compare';
      readonly operand: Operand;
      readonly type: ScalarType;
      /**
       * A direct operator on a string collection (`user.otherMails -endsWith "@contoso.com"`): the positive
       * test holds when any item passes it; a negated operator holds when no item passes the positive test.
       */
      readonly overItems: boolean;
      readonly test: Test;
      /** -ne, -notStartsWith, … or `-not` before the operator: the result of `test` is inverted. */
      readonly negated: boolean;
      /** The operator as Entra's docs spell it, e.g. `-startsWith` (for explanations). */
      readonly operator: string;
      /** The compared value as written (case kept): a string, a list, a boolean, null, a datetime or version text. */
      readonly value: unknown;
      /** The property name for explanations, e.g. `displayName`, `assignedPlan.service`. */
      readonly label: string;
    })
  | (Located & {
      readonly kind: 'lambda';
      readonly quantifier: 'any' | 'all';
      /** The collection property (canonical name). */
      readonly property: string;
      readonly items: 'strings' | 'plans';
      readonly body: RuleExpr;
    })
  /** `memberOf -any (group.objectId -in [...])`: a direct member of one of the groups (ids lower-cased). */
  | (Located & { readonly kind: 'memberOf'; readonly groupIds: readonly string[] })
  /** `Direct Reports for "<id>"`: the user's manager is that user (id lower-cased). */
  | (Located & { readonly kind: 'directReports'; readonly managerId: string });

export interface CheckedRule {
  readonly language: RuleLanguage;
  /** The rule as written. */
  readonly text: string;
  /** Whether the rule selects users or devices. */
  readonly kind: ObjectKind;
  /** The special whole-rule forms. */
  readonly special?: 'directReports' | 'memberOf';
  /** The manager's object id (lower case) of a Direct Reports rule. */
  readonly managerId?: string;
  /** Group ids (lower case) a memberOf rule reads, in the order written, without duplicates. */
  readonly memberOfGroupIds: readonly string[];
  /** Canonical names of the properties the rule reads: a change to any other property can't change the result. */
  readonly properties: readonly string[];
  /**
   * True when the rule uses -match / -notMatch. SQL cannot run .NET-like regular expressions faithfully, so
   * compileRuleSql then returns a prefilter (a superset of the members) and the JS predicate decides.
   */
  readonly needsJsFilter: boolean;
  /** True when the rule reads the clock (`system.now`). */
  readonly usesNow: boolean;
  readonly warnings: readonly RuleWarning[];
  readonly root: RuleExpr;
}
