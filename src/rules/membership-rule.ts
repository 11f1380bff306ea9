// Entra's dynamic membership rule language: what sets it apart from assignment filters, and checkRule.
import type { CheckedRule } from './checked-rule.js';
import { checkLength, checkRuleText, type RuleSpec } from './checker.js';
import { findProperty, propertiesOf, retiredProperty, STRING_OPERATORS, type ObjectKind } from './properties.js';

/** "The total length of the body of your membership rule can't exceed 3,072 characters." (groups-dynamic-membership.md) */
export const MAX_MEMBERSHIP_RULE_LENGTH = 3072;

const MEMBERSHIP: RuleSpec = {
  language: 'membership',
  maxLength: MAX_MEMBERSHIP_RULE_LENGTH,
  objectKind: (object) => {
    const lower = object.toLowerCase();
    return lower === 'user' || lower === 'device' ? lower : undefined;
  },
  findProperty,
  properties: propertiesOf,
  unknownPropertyHint: (_kind, name) => retiredProperty(name),
  operators: new Set([...STRING_OPERATORS, 'le', 'ge']),
  allowNot: true,
  allowCollections: true,
  warnOnCasing: true,
};

/**
 * Parses and checks a membership rule. Throws a RuleError (400, with the position and Entra's wording) when
 * the rule is invalid, including a user rule given for a device group (`kind`) or the reverse.
 */
export function checkRule(text: string, options: { readonly kind?: ObjectKind } = {}): CheckedRule {
  return checkRuleText(text, MEMBERSHIP, options);
}

/** The 3,072-character limit alone (every character counts, white space included), as a RuleError. */
export function validateRuleLength(text: string): void {
  checkLength(text, MEMBERSHIP);
}
