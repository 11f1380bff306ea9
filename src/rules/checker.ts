// Checks a rule's syntax tree against a language's property table and lowers it to the CheckedRule that the
// JS and SQL compilers and the explainer share. Every refusal is a RuleError at the offending text, worded as
// Entra words it where that is known (groups-troubleshooting.md, "Query error remediation").
import { isGuid } from '../core/ids.js';
import { parseDateTime } from '../graph/odata/compare.js';
import type { CheckedRule, DateTimeOperand, Operand, RuleExpr, Test } from './checked-rule.js';
import { tokenize } from './lexer.js';
import { display, parseRule, type OperatorSyntax, type PropertyRefSyntax, type Span, type SyntaxNode, type ValueSyntax } from './parser.js';
import { ASSIGNED_PLAN_FIELDS, STRING_OPERATORS, type ObjectKind, type RuleProperty, type ScalarType } from './properties.js';
import { compileRuleRegex } from './regex.js';
import { RuleDetail, RuleError, type RuleDetailText, type RuleLanguage, type RuleWarning } from './rule-error.js';
import { fold, parseDuration, parseVersion } from './values.js';

/** What distinguishes one rule language from the other; the grammar is shared. */
export interface RuleSpec {
  readonly language: RuleLanguage;
  /** Longest accepted rule text, in UTF-16 units. */
  readonly maxLength: number;
  /** The object kind an object prefix (`user`, `device`, as written) names, or undefined. */
  objectKind(object: string): ObjectKind | undefined;
  /** Why an object prefix is refused (e.g. `app.` in a device filter); undefined for the generic message. */
  unknownObjectHint?(object: string): string | undefined;
  findProperty(kind: ObjectKind, name: string): RuleProperty | undefined;
  properties(kind: ObjectKind): readonly RuleProperty[];
  /** Extra words about a property name that is not in the table (retired or other-platform properties). */
  unknownPropertyHint?(kind: ObjectKind, name: string): string | undefined;
  /** Comparison operators the language has at all (lower case). */
  readonly operators: ReadonlySet<string>;
  readonly allowNot: boolean;
  /** -any / -all, memberOf and Direct Reports. */
  readonly allowCollections: boolean;
  /** Warn when a property's casing differs from the canonical name. */
  readonly warnOnCasing: boolean;
}

export interface CheckOptions {
  /** The membership type of the group: a user rule on a device group (or the reverse) is refused. */
  readonly kind?: ObjectKind;
}

/** The operator keyword → the positive test it negates or not. */
const OPERATORS: Readonly<Record<string, { readonly base: string; readonly negated: boolean }>> = {
  eq: { base: 'eq', negated: false },
  ne: { base: 'eq', negated: true },
  startswith: { base: 'startsWith', negated: false },
  notstartswith: { base: 'startsWith', negated: true },
  endswith: { base: 'endsWith', negated: false },
  notendswith: { base: 'endsWith', negated: true },
  contains: { base: 'contains', negated: false },
  notcontains: { base: 'contains', negated: true },
  match: { base: 'match', negated: false },
  notmatch: { base: 'match', negated: true },
  in: { base: 'in', negated: false },
  notin: { base: 'in', negated: true },
  le: { base: 'le', negated: false },
  ge: { base: 'ge', negated: false },
  lt: { base: 'lt', negated: false },
  gt: { base: 'gt', negated: false },
};

/** At most this many groups in one memberOf rule (groups-dynamic-rule-member-of.md, "Preview limitations"). */
export const MAX_MEMBEROF_GROUPS = 50;

/** Refuses text longer than the language allows; every character counts, white space included. */
export function checkLength(text: string, spec: RuleSpec): void {
  if (text.length <= spec.maxLength) return;
  throw new RuleError(
    RuleDetail.tooLong,
    `It has ${text.length.toLocaleString('en-US')} characters; the limit is ${spec.maxLength.toLocaleString('en-US')}.`,
    spec.maxLength,
    text.length,
    spec.language,
  );
}

export function checkRuleText(text: string, spec: RuleSpec, options: CheckOptions = {}): CheckedRule {
  checkLength(text, spec);
  try {
    const syntax = parseRule(text);
    return new Checker(text, spec, options).check(syntax);
  } catch (err) {
    if (err instanceof RuleError) throw err.withLanguage(spec.language);
    throw err;
  }
}

type Resolved =
  | { readonly from: 'subject'; readonly property: RuleProperty; readonly ref: PropertyRefSyntax }
  | { readonly from: 'item'; readonly field?: string; readonly label: string; readonly ref: PropertyRefSyntax };

/** The items of the innermost -any / -all. */
interface ItemScope {
  readonly items: 'strings' | 'plans';
  readonly property: RuleProperty;
}

class Checker {
  private kind: ObjectKind | undefined;
  /** The first property that fixed the kind, for messages about mixed rules. */
  private kindFrom: PropertyRefSyntax | undefined;
  private readonly used = new Set<string>();
  private readonly warnings: RuleWarning[] = [];
  private needsJsFilter = false;
  private usesNow = false;

  constructor(
    private readonly text: string,
    private readonly spec: RuleSpec,
    options: CheckOptions,
  ) {
    this.kind = options.kind;
  }

  check(syntax: SyntaxNode): CheckedRule {
    this.warnAboutDashes();
    const root = syntax.kind === 'directReports' ? this.directReports(syntax) : this.node(syntax, undefined, true);
    const base = {
      language: this.spec.language,
      text: this.text,
      kind: this.kind ?? 'user',
      memberOfGroupIds: [] as readonly string[],
      properties: [...this.used],
      needsJsFilter: this.needsJsFilter,
      usesNow: this.usesNow,
      warnings: this.warnings,
      root,
    };
    if (root.kind === 'directReports') return { ...base, kind: 'user', special: 'directReports', managerId: root.managerId, properties: ['manager'] };
    if (root.kind === 'memberOf') return { ...base, special: 'memberOf', memberOfGroupIds: root.groupIds };
    return base;
  }

  private directReports(node: Extract<SyntaxNode, { kind: 'directReports' }>): RuleExpr {
    if (!this.spec.allowCollections) throw this.error(RuleDetail.compilationError, 'Direct Reports is a membership rule, not an assignment filter.', node);
    if (this.kind === 'device') {
      throw this.error(RuleDetail.invalidObjectType, 'Direct Reports is a rule for user groups; this is a device group.', node);
    }
    if (!isGuid(node.managerId.trim())) {
      throw this.error(RuleDetail.invalidOperands, `Direct Reports needs the manager's object id (a GUID); '${node.managerId}' is not one.`, node.id);
    }
    this.kind = 'user';
    return { kind: 'directReports', pos: node.pos, end: node.end, managerId: node.managerId.trim().toLowerCase() };
  }

  private node(node: SyntaxNode, scope: ItemScope | undefined, isRoot: boolean): RuleExpr {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, pos: node.pos, end: node.end, operands: node.operands.map((o) => this.node(o, scope, false)) };
      case 'not':
        if (!this.spec.allowNot) throw this.notUnsupported(node.operator);
        return { kind: 'not', pos: node.pos, end: node.end, operand: this.node(node.operand, scope, false) };
      case 'comparison':
        return this.comparison(node, scope);
      case 'lambda':
        return this.lambda(node, scope, isRoot);
      case 'directReports':
        throw this.error(RuleDetail.directReportsWithOtherRules, 'A Direct Reports rule must be the whole rule.', node);
    }
  }

  // ---- -any / -all ------------------------------------------------------------------------------

  private lambda(node: Extract<SyntaxNode, { kind: 'lambda' }>, scope: ItemScope | undefined, isRoot: boolean): RuleExpr {
    const op = display(node.operator);
    if (!this.spec.allowCollections) throw this.operatorUnknown(node.operator);
    const resolved = this.resolve(node.property, scope);
    if (resolved.from === 'item') {
      throw this.error(RuleDetail.invalidOperands, `${op} applies to a multi-valued property of the ${this.kind ?? 'object'}, not to an item.`, node.operator);
    }
    const property = resolved.property;
    const quantifier = node.operator.name as 'any' | 'all';
    switch (property.type.kind) {
      case 'memberOf':
        return this.memberOf(node, property, isRoot);
      case 'strings':
      case 'plans': {
        const items = property.type.kind;
        const body = this.node(node.body, { items, property }, false);
        return { kind: 'lambda', pos: node.pos, end: node.end, quantifier, property: property.name, items, body };
      }
      default:
        throw this.error(
          RuleDetail.invalidOperands,
          `${op} applies to multi-valued properties (${this.collectionNames()}); '${property.name}' has a single value: compare it directly, e.g. ${node.property.text} -eq "…".`,
          node.operator,
        );
    }
  }

  private collectionNames(): string {
    const kind = this.kind ?? 'user';
    return this.spec
      .properties(kind)
      .filter((p) => p.type.kind !== 'scalar')
      .map((p) => p.name)
      .join(', ');
  }

  /** `memberOf -any (group.objectId -in ['<id>', …])`, which must be the whole rule. */
  private memberOf(node: Extract<SyntaxNode, { kind: 'lambda' }>, property: RuleProperty, isRoot: boolean): RuleExpr {
    const usage = `Write ${node.property.text} -any (group.objectId -in ['<group id>', …]).`;
    if (!isRoot) throw this.error(RuleDetail.memberOfWithOtherRules, 'A memberOf rule must be the whole rule.', node.property);
    if (node.operator.name !== 'any') throw this.error(RuleDetail.operatorNotSupported, `memberOf only supports -any. ${usage}`, node.operator);
    const body = node.body;
    if (body.kind !== 'comparison') {
      const at = body.kind === 'lambda' ? body.operator : body;
      throw this.error(RuleDetail.operatorNotSupported, `memberOf can't be used with other operators. ${usage}`, at);
    }
    const ref = body.property;
    if (ref.object.toLowerCase() !== 'group') {
      throw this.error(RuleDetail.wrongProperty, `Inside memberOf, name the group's id as group.objectId. ${usage}`, ref);
    }
    if (ref.name.toLowerCase() !== 'objectid') {
      throw this.error(RuleDetail.wrongProperty, `Property '${ref.name}' cannot be applied to object 'Group': use group.objectId.`, ref);
    }
    if (body.not || body.operator.name !== 'in') {
      throw this.error(RuleDetail.operatorNotSupported, `memberOf takes group.objectId -in [...]. ${usage}`, body.not ?? body.operator);
    }
    if (body.value.kind !== 'array') throw this.error(RuleDetail.invalidOperands, `-in needs a list of group ids. ${usage}`, body.value);
    const ids: string[] = [];
    for (const item of body.value.items) {
      const id = item.kind === 'string' ? item.value.trim() : item.kind === 'literal' || item.kind === 'word' ? item.text : '';
      if (!isGuid(id)) throw this.error(RuleDetail.invalidOperands, `'${id}' is not a group object id (a GUID).`, item);
      if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
    }
    if (ids.length === 0) throw this.error(RuleDetail.invalidOperands, `The list of groups is empty. ${usage}`, body.value);
    if (ids.length > MAX_MEMBEROF_GROUPS) {
      throw this.error(RuleDetail.invalidOperands, `A memberOf rule can name at most ${MAX_MEMBEROF_GROUPS} groups; this one names ${ids.length}.`, body.value);
    }
    this.used.add(property.name);
    return { kind: 'memberOf', pos: node.pos, end: node.end, groupIds: ids };
  }

  // ---- comparisons ------------------------------------------------------------------------------

  private comparison(node: Extract<SyntaxNode, { kind: 'comparison' }>, scope: ItemScope | undefined): RuleExpr {
    const resolved = this.resolve(node.property, scope);
    const keyword = node.operator.name;
    const mapping = OPERATORS[keyword];
    if (!mapping || !this.spec.operators.has(keyword)) throw this.operatorUnknown(node.operator);
    if (node.not) {
      if (!this.spec.allowNot) throw this.notUnsupported(node.not);
      this.warn(node.not, `'-not ${display(node.operator)}' isn't in Microsoft's documentation; ${this.negatedSpelling(keyword)} is the documented form.`);
    }
    let type: ScalarType;
    let overItems = false;
    let operand: Operand;
    let label: string;
    let allowed: ReadonlySet<string>;
    if (resolved.from === 'item') {
      type = 'string';
      operand = { from: 'item', ...(resolved.field ? { field: resolved.field } : {}) };
      label = resolved.label;
      allowed = STRING_OPERATORS;
    } else {
      const property = resolved.property;
      label = property.name;
      operand = { from: 'subject', property: property.name };
      allowed = property.operators;
      switch (property.type.kind) {
        case 'scalar':
          type = property.type.type;
          break;
        case 'strings':
          type = 'string';
          overItems = true;
          break;
        case 'plans':
          throw this.error(
            RuleDetail.operatorNotSupported,
            `assignedPlans is compared item by item: ${node.property.text} -any (assignedPlan.servicePlanId -eq "…" -and assignedPlan.capabilityStatus -eq "Enabled").`,
            node.operator,
          );
        case 'memberOf':
          throw this.error(
            RuleDetail.operatorNotSupported,
            `memberOf is used as ${node.property.text} -any (group.objectId -in ['<group id>', …]).`,
            node.operator,
          );
      }
    }
    if (!allowed.has(keyword)) throw this.operatorNotAllowed(node, label, allowed, overItems);
    const { test, value } = this.value(node, type, mapping.base, label);
    if (test.op === 'match') this.needsJsFilter = true;
    return {
      kind: 'compare',
      pos: node.pos,
      end: node.end,
      operand,
      type,
      overItems,
      test,
      negated: mapping.negated !== Boolean(node.not),
      operator: display(node.operator),
      value,
      label,
    };
  }

  private negatedSpelling(keyword: string): string {
    const negations: Record<string, string> = {
      eq: '-ne',
      startswith: '-notStartsWith',
      endswith: '-notEndsWith',
      contains: '-notContains',
      match: '-notMatch',
      in: '-notIn',
    };
    return negations[keyword] ?? `the operator without -not`;
  }

  /** The positive test for a comparison's value, and the value as written (for explanations). */
  private value(
    node: Extract<SyntaxNode, { kind: 'comparison' }>,
    type: ScalarType,
    base: string,
    label: string,
  ): { test: Test; value: unknown } {
    const syntax = node.value;
    const op = display(node.operator);
    if (syntax.kind === 'word' && /^\$?null$/i.test(syntax.text)) {
      if (base !== 'eq') {
        throw this.error(RuleDetail.invalidOperands, `null can only be used with -eq and -ne, e.g. ${node.property.text} -ne null.`, syntax);
      }
      if (node.not) throw this.error(RuleDetail.invalidOperands, `-not can't be used to compare with null: write ${node.property.text} -ne null.`, node.not);
      return { test: { op: 'isNull' }, value: null };
    }
    if (syntax.kind === 'array' && base !== 'in') {
      throw this.error(RuleDetail.invalidOperands, `${op} compares with one value; to compare with a list use -in or -notIn.`, syntax);
    }
    if (base === 'in' && syntax.kind !== 'array') {
      throw this.error(RuleDetail.invalidOperands, `${op} needs a list, e.g. ${node.property.text} ${op} ["a", "b"].`, syntax);
    }
    switch (type) {
      case 'string':
        return this.stringValue(node, base, label);
      case 'boolean': {
        const value = this.booleanValue(syntax, label);
        return { test: { op: 'bool', value }, value };
      }
      case 'dateTime':
        return this.dateTimeValue(syntax, base, label);
      case 'version':
        return this.versionValue(syntax, base, label);
    }
  }

  private stringValue(node: Extract<SyntaxNode, { kind: 'comparison' }>, base: string, label: string): { test: Test; value: unknown } {
    const syntax = node.value;
    if (base === 'in') {
      const items = (syntax as Extract<ValueSyntax, { kind: 'array' }>).items;
      const texts: string[] = [];
      let orNull = false;
      for (const item of items) {
        const text = this.text1(item, label, true);
        if (text === '') orNull = true;
        else if (!texts.includes(fold(text))) texts.push(fold(text));
      }
      return { test: { op: 'in', texts, orNull }, value: items.map((item) => this.text1(item, label, true)) };
    }
    const text = this.text1(syntax, label, false);
    if (base === 'match') {
      const regex = compileRuleRegex(text, syntax.pos, syntax.end);
      return { test: { op: 'match', regex }, value: text };
    }
    if (base === 'eq' || base === 'startsWith' || base === 'endsWith' || base === 'contains') {
      // An empty string is null: `-eq ""` tests for null, `-startsWith ""` holds for any value that is set.
      if (text === '') return { test: { op: base === 'eq' ? 'isNull' : 'isSet' }, value: text };
      return { test: { op: base, text: fold(text) }, value: text };
    }
    throw new Error(`unexpected operator ${base}`);
  }

  /** The text of a string value: a quoted string, or an unquoted number (compared as written). */
  private text1(syntax: ValueSyntax, label: string, inList: boolean): string {
    switch (syntax.kind) {
      case 'string':
        return syntax.value;
      case 'literal':
        return syntax.text;
      case 'word':
        if (/^\$?null$/i.test(syntax.text)) {
          throw this.error(RuleDetail.invalidOperands, 'null can only be compared with -eq or -ne, not listed.', syntax);
        }
        if (/^(true|false)$/i.test(syntax.text)) {
          throw this.error(RuleDetail.invalidOperands, `'${label}' is a string: put the value in quotes ("${syntax.text}").`, syntax);
        }
        if (syntax.text.includes('.')) {
          throw this.error(RuleDetail.invalidOperands, `Compare '${label}' with a value, not with another property ('${syntax.text}'); string values are written in quotes.`, syntax);
        }
        throw this.error(RuleDetail.noObjectType, `The value ${syntax.text} isn't quoted: string values are written in quotes, e.g. "${syntax.text}".`, syntax);
      case 'now':
        throw this.error(RuleDetail.invalidOperands, `system.now can only be compared with a datetime property; '${label}' is a string.`, syntax);
      case 'array':
        throw this.error(RuleDetail.invalidOperands, inList ? 'Lists cannot be nested.' : 'Expected one value, found a list.', syntax);
    }
  }

  private booleanValue(syntax: ValueSyntax, label: string): boolean {
    const text = syntax.kind === 'string' ? syntax.value : syntax.kind === 'word' ? syntax.text : undefined;
    if (text !== undefined && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    throw this.error(RuleDetail.invalidOperands, `'${label}' is true or false: compare it with true, false or null.`, syntax);
  }

  private dateTimeValue(syntax: ValueSyntax, base: string, label: string): { test: Test; value: unknown } {
    const cmp = base as 'eq' | 'le' | 'ge';
    const written = this.text.slice(syntax.pos, syntax.end);
    if (syntax.kind === 'now') {
      this.usesNow = true;
      let at: DateTimeOperand = { now: true };
      if (syntax.shift) {
        const duration = parseDuration(syntax.shift.duration);
        if (!duration) {
          throw this.error(RuleDetail.invalidOperands, `'${syntax.shift.duration}' isn't an ISO 8601 duration such as P1D, P2W or PT12H.`, syntax.shift);
        }
        at = { now: true, shift: { sign: syntax.shift.sign, duration } };
      }
      return { test: { op: 'dateTime', cmp, at }, value: written };
    }
    const text = syntax.kind === 'string' ? syntax.value : syntax.kind === 'literal' ? syntax.text : undefined;
    const fixed = text === undefined ? undefined : parseDateTime(text.trim());
    if (fixed === undefined) {
      throw this.error(
        RuleDetail.invalidOperands,
        `'${label}' is a datetime: compare it with an ISO 8601 datetime such as 2020-06-10T18:13:20Z, or with system.now -plus P1D.`,
        syntax,
      );
    }
    return { test: { op: 'dateTime', cmp, at: { fixed } }, value: text };
  }

  private versionValue(syntax: ValueSyntax, base: string, label: string): { test: Test; value: unknown } {
    const text = syntax.kind === 'string' ? syntax.value : syntax.kind === 'literal' ? syntax.text : undefined;
    const version = text === undefined ? undefined : parseVersion(text.trim());
    if (!version) {
      throw this.error(RuleDetail.invalidOperands, `'${label}' is a version: compare it with a version such as 10.0.22631.3235.`, syntax);
    }
    return { test: { op: 'version', cmp: base as 'eq' | 'lt' | 'le' | 'gt' | 'ge', version }, value: text };
  }

  // ---- names ------------------------------------------------------------------------------------

  /** Resolves a property reference: an item of the enclosing -any / -all, or a property of the object. */
  private resolve(ref: PropertyRefSyntax, scope: ItemScope | undefined): Resolved {
    const object = ref.object.toLowerCase();
    if (ref.text === '_') {
      if (scope?.items === 'strings') return { from: 'item', label: scope.property.name, ref };
      if (scope?.items === 'plans') {
        throw this.error(RuleDetail.wrongProperty, `Inside an assignedPlans condition, name a field of the plan: ${ASSIGNED_PLAN_FIELDS.map((f) => `assignedPlan.${f}`).join(', ')}.`, ref);
      }
      throw this.error(RuleDetail.compilationError, "'_' stands for the current item of -any / -all and can only be used inside them.", ref);
    }
    if (object === 'assignedplan') {
      if (scope?.items !== 'plans') {
        throw this.error(
          RuleDetail.wrongProperty,
          scope ? `'${ref.text}' names a field of an assigned plan; items of ${scope.property.name} are named _.` : "'assignedPlan.' names a field of an assigned plan, inside user.assignedPlans -any (…) or -all (…).",
          ref,
        );
      }
      const field = ASSIGNED_PLAN_FIELDS.find((f) => f.toLowerCase() === ref.name.toLowerCase());
      if (!field) {
        throw this.error(RuleDetail.wrongProperty, `Property '${ref.name}' cannot be applied to object 'assignedPlan': use ${ASSIGNED_PLAN_FIELDS.join(', ')}.`, ref);
      }
      if (field !== ref.name) this.casingWarning(ref, `assignedPlan.${field}`);
      return { from: 'item', field, label: `assignedPlan.${field}`, ref };
    }
    if (object === 'group') {
      throw this.error(RuleDetail.wrongProperty, "'group.' can only be used in a memberOf rule: user.memberOf -any (group.objectId -in ['<group id>']).", ref);
    }
    const kind = this.spec.objectKind(ref.object);
    if (!kind) {
      const hint =
        this.spec.unknownObjectHint?.(ref.object) ??
        `'${ref.object}' isn't an object type: properties are named ${this.spec.allowCollections ? 'user.<property> or device.<property>' : 'device.<property>'}.`;
      throw this.error(RuleDetail.invalidObjectType, hint, ref);
    }
    if (scope) {
      throw this.error(
        RuleDetail.compilationError,
        `Inside -any / -all only the item can be named (${scope.items === 'plans' ? 'assignedPlan.<field>' : '_'}), not '${ref.text}'.`,
        ref,
      );
    }
    this.fixKind(kind, ref);
    if (!ref.name) throw this.error(RuleDetail.attributeNotSupported, `Name a property after '${ref.object}.'.`, ref);
    const property = this.spec.findProperty(kind, ref.name);
    if (!property) throw this.unknownProperty(kind, ref);
    if (this.spec.warnOnCasing && property.name !== ref.name && !property.name.startsWith('extension_')) {
      this.casingWarning(ref, `${ref.object}.${property.name}`);
    }
    if (property.type.kind !== 'memberOf') this.used.add(property.name);
    return { from: 'subject', property, ref };
  }

  private fixKind(kind: ObjectKind, ref: PropertyRefSyntax): void {
    if (this.kind === undefined) {
      this.kind = kind;
      this.kindFrom = ref;
      return;
    }
    if (this.kind === kind) return;
    if (!this.kindFrom) {
      throw this.error(
        RuleDetail.invalidObjectType,
        `This rule is for a ${this.kind} group: it can only name ${this.kind} properties (${this.kind}.<property>), and '${ref.text}' is a ${kind} property.`,
        ref,
      );
    }
    throw this.error(
      RuleDetail.invalidObjectType,
      `A rule can reference users or devices, not both: '${ref.text}' follows '${this.kindFrom.text}' at position ${this.kindFrom.pos}.`,
      ref,
    );
  }

  private unknownProperty(kind: ObjectKind, ref: PropertyRefSyntax): RuleError {
    const extra = this.spec.unknownPropertyHint?.(kind, ref.name);
    if (extra) return this.error(RuleDetail.attributeNotSupported, extra, ref);
    const other: ObjectKind = kind === 'user' ? 'device' : 'user';
    const elsewhere = this.spec.allowCollections && this.spec.findProperty(other, ref.name);
    const guesses = similarNames(this.spec.properties(kind), ref.name);
    let hint = `'${ref.name}' isn't a ${kind} property${this.spec.language === 'filter' ? ' of assignment filters' : ''}`;
    if (elsewhere) hint += ` (it is a ${other} property)`;
    hint += guesses.length ? `; did you mean ${guesses.map((g) => `${ref.object}.${g}`).join(' or ')}?` : '.';
    return this.error(RuleDetail.attributeNotSupported, hint, ref);
  }

  private operatorNotAllowed(
    node: Extract<SyntaxNode, { kind: 'comparison' }>,
    label: string,
    allowed: ReadonlySet<string>,
    overItems: boolean,
  ): RuleError {
    const list = [...allowed].filter((k) => k !== 'any' && k !== 'all').map((k) => display({ name: k }));
    const collections = overItems ? `, or -any / -all with _ (e.g. ${node.property.text} -any (_ ${display(node.operator)} …))` : '';
    return this.error(
      RuleDetail.operatorNotSupported,
      `${display(node.operator)} can't be used with '${label}'; it supports ${list.join(', ')}${collections}.`,
      node.operator,
    );
  }

  private operatorUnknown(operator: OperatorSyntax): RuleError {
    const allowed = [...this.spec.operators].map((k) => display({ name: k })).join(', ');
    return this.error(RuleDetail.compilationError, `${display(operator)} isn't an operator of ${this.languageName()}; the operators are ${allowed}.`, operator);
  }

  private notUnsupported(operator: OperatorSyntax): RuleError {
    return this.error(
      RuleDetail.operatorNotSupported,
      `${this.languageName()} have no -not: use the negated operator instead (-ne, -notIn, -notContains).`,
      operator,
    );
  }

  private languageName(): string {
    return this.spec.language === 'membership' ? 'membership rules' : 'assignment filter rules';
  }

  // ---- warnings and errors ----------------------------------------------------------------------

  private casingWarning(ref: Span, canonical: string): void {
    this.warn(ref, `Entra documents property names as case sensitive: the canonical spelling is ${canonical}.`);
  }

  private warnAboutDashes(): void {
    for (const token of tokenize(this.text)) {
      if (token.kind === 'operator' && token.dash !== '-') {
        this.warn(token, `The operator is written with an en dash (–, U+2013), as in some of Microsoft's examples; use a hyphen (-).`);
      }
    }
  }

  private warn(at: Span, message: string): void {
    this.warnings.push({ position: at.pos, end: at.end, message });
  }

  private error(detail: RuleDetailText, hint: string, at: Span): RuleError {
    return new RuleError(detail, hint, at.pos, Math.max(at.end, at.pos), this.spec.language);
  }
}

/** The closest property names, for "did you mean" hints. */
function similarNames(table: readonly RuleProperty[], name: string): string[] {
  const wanted = name.toLowerCase();
  return table
    .map((p) => ({ name: p.name, distance: editDistance(wanted, p.name.toLowerCase()) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
    .slice(0, 2)
    .map((c) => c.name);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8 || a.length > 64 || b.length > 64) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
