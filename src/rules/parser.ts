// Parses the text of a membership or filter rule into an untyped syntax tree with positions; names,
// operators and values are checked later, by the checker.
// Precedence, from the docs' table (groups-dynamic-membership.md, "Operator precedence"): comparisons bind
// tightest, then -not, then -and, then -or; -any/-all take a parenthesised body or one comparison.
import { keywordOf, TokenCursor, type Token } from './lexer.js';
import { RuleDetail, RuleError } from './rule-error.js';
import { STRING_OPERATORS } from './properties.js';

export interface Span {
  /** Offset of the first character. */
  readonly pos: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** `user.department`, `_`, `assignedPlan.service`, `group.objectId` as written. */
export interface PropertyRefSyntax extends Span {
  readonly text: string;
  /** The part before the first dot ('user', 'device', '_', 'assignedPlan', 'group', or anything else). */
  readonly object: string;
  /** The part after the first dot; '' for `_`. */
  readonly name: string;
}

/** An operator keyword as written: `name` is lower case, `dash` is '-', an en dash, or '' (no hyphen). */
export interface OperatorSyntax extends Span {
  readonly name: string;
  readonly dash: string;
}

export type ValueSyntax =
  | (Span & { readonly kind: 'string'; readonly value: string })
  /** An unquoted number, datetime or version. */
  | (Span & { readonly kind: 'literal'; readonly text: string })
  /** An unquoted name: true, false, null, $null, or a mistake such as an unquoted string. */
  | (Span & { readonly kind: 'word'; readonly text: string })
  | (Span & { readonly kind: 'array'; readonly items: readonly ValueSyntax[] })
  /** `system.now`, optionally `-plus` / `-minus` an ISO 8601 duration. */
  | (Span & { readonly kind: 'now'; readonly shift?: Span & { readonly sign: 1 | -1; readonly duration: string } });

export type SyntaxNode =
  | (Span & { readonly kind: 'and' | 'or'; readonly operands: readonly SyntaxNode[] })
  | (Span & { readonly kind: 'not'; readonly operator: OperatorSyntax; readonly operand: SyntaxNode })
  | (Span & {
      readonly kind: 'comparison';
      readonly property: PropertyRefSyntax;
      /** `-not` written between the property and the operator (`device.deviceModel -not -startsWith "x"`). */
      readonly not?: OperatorSyntax;
      readonly operator: OperatorSyntax;
      readonly value: ValueSyntax;
    })
  | (Span & {
      readonly kind: 'lambda';
      readonly property: PropertyRefSyntax;
      readonly operator: OperatorSyntax;
      readonly body: SyntaxNode;
    })
  | (Span & { readonly kind: 'directReports'; readonly managerId: string; readonly id: Span });

/** Comparison operators of both languages (the checker decides which a property allows). */
export const COMPARISON_KEYWORDS: ReadonlySet<string> = new Set([...STRING_OPERATORS, 'le', 'ge', 'lt', 'gt']);

const KEYWORDS: ReadonlySet<string> = new Set([...COMPARISON_KEYWORDS, 'and', 'or', 'not', 'any', 'all', 'plus', 'minus']);

/** Nesting beyond this is refused, so that no input can exhaust the stack of any compiler. */
export const MAX_RULE_DEPTH = 100;

export function parseRule(text: string): SyntaxNode {
  return new RuleParser(text).parse();
}

class RuleParser {
  private readonly tokens: TokenCursor;
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = new TokenCursor(text);
  }

  parse(): SyntaxNode {
    const first = this.tokens.peek();
    if (first.kind === 'end') throw this.error(RuleDetail.compilationError, 'The rule is empty.', first);
    if (isWord(first, 'direct') && isWord(this.tokens.peek(1), 'reports')) return this.parseDirectReports();
    const node = this.parseOr();
    const rest = this.tokens.peek();
    if (rest.kind !== 'end') throw this.unexpectedAfterExpression(rest);
    return node;
  }

  /** `Direct Reports for "<manager objectId>"`, which must be the whole rule. */
  private parseDirectReports(): SyntaxNode {
    const start = this.tokens.next().pos;
    this.tokens.next();
    const usage = 'Write Direct Reports for "<object id of the manager>".';
    const forWord = this.tokens.next();
    if (!isWord(forWord, 'for')) throw this.error(RuleDetail.compilationError, usage, forWord);
    const id = this.tokens.next();
    if (id.kind !== 'string') throw this.error(RuleDetail.compilationError, `${usage} The object id must be quoted.`, id);
    const rest = this.tokens.peek();
    if (rest.kind !== 'end') {
      throw this.error(RuleDetail.directReportsWithOtherRules, 'A Direct Reports rule must be the whole rule.', rest);
    }
    return { kind: 'directReports', pos: start, end: id.end, managerId: id.value, id: { pos: id.pos, end: id.end } };
  }

  private parseOr(): SyntaxNode {
    return this.parseChain('or', () => this.parseChain('and', () => this.parseNot()));
  }

  /** `a -and b -and c` as one node with three operands, so that long chains stay shallow. */
  private parseChain(keyword: 'and' | 'or', operand: () => SyntaxNode): SyntaxNode {
    const pos = this.tokens.peek().pos;
    const first = operand();
    const operands = [first];
    while (keywordOf(this.tokens.peek()) === keyword) {
      this.tokens.next();
      operands.push(operand());
    }
    if (operands.length === 1) return first;
    return { kind: keyword, pos, end: this.tokens.lastEnd(), operands };
  }

  private parseNot(): SyntaxNode {
    const token = this.tokens.peek();
    if (keywordOf(token) !== 'not') return this.parsePrimary();
    this.tokens.next();
    const operand = this.nested(() => this.parseNot());
    return { kind: 'not', pos: token.pos, end: this.tokens.lastEnd(), operator: operatorOf(token), operand };
  }

  private parsePrimary(): SyntaxNode {
    const token = this.tokens.peek();
    if (token.kind === '(') {
      this.tokens.next();
      const node = this.nested(() => this.parseOr());
      this.expectClose(token, ')');
      return node;
    }
    if (token.kind === 'word') {
      if (isPropertyRef(token)) {
        this.tokens.next();
        return this.parsePropertyExpression(token);
      }
      if (isWord(token, 'direct') && isWord(this.tokens.peek(1), 'reports')) {
        throw this.error(
          RuleDetail.directReportsWithOtherRules,
          'Direct Reports for "<id>" must be the whole rule, without parentheses or other expressions.',
          token,
        );
      }
    }
    throw this.expectedExpression(token);
  }

  /** What follows a property outside or inside a lambda: a comparison, or -any / -all. */
  private parsePropertyExpression(word: Extract<Token, { kind: 'word' }>): SyntaxNode {
    const property = propertyRef(word);
    const token = this.tokens.peek();
    const keyword = keywordOf(token);
    if (keyword === 'any' || keyword === 'all') return this.parseLambda(property);
    let not: OperatorSyntax | undefined;
    if (keyword === 'not') {
      this.tokens.next();
      not = operatorOf(token);
      const after = this.tokens.peek();
      if (!COMPARISON_KEYWORDS.has(keywordOf(after) ?? '')) {
        const isNull = after.kind === 'word' && /^\$?null$/i.test(after.text);
        throw this.error(
          isNull ? RuleDetail.invalidOperands : RuleDetail.compilationError,
          isNull
            ? `-not can't be used to compare with null: write ${property.text} -ne null.`
            : `-not after '${property.text}' must be followed by an operator, e.g. ${property.text} -not -startsWith "x".`,
          token,
          after.end,
        );
      }
    }
    const opToken = this.tokens.peek();
    const opName = keywordOf(opToken);
    if (opName === undefined || !COMPARISON_KEYWORDS.has(opName)) throw this.expectedOperator(property, opToken);
    this.tokens.next();
    const operator = operatorOf(opToken);
    const value = this.parseValue(operator);
    return { kind: 'comparison', pos: property.pos, end: value.end, property, not, operator, value };
  }

  private parseLambda(property: PropertyRefSyntax): SyntaxNode {
    const opToken = this.tokens.next();
    const operator = operatorOf(opToken);
    const next = this.tokens.peek();
    let body: SyntaxNode;
    if (next.kind === '(') {
      this.tokens.next();
      body = this.nested(() => this.parseOr());
      this.expectClose(next, ')');
    } else if (next.kind === 'word' && isPropertyRef(next)) {
      // Without parentheses the body is one comparison: `-any _ -startsWith "[ZTDId]"` (a documented form).
      this.tokens.next();
      body = this.nested(() => this.parsePropertyExpression(next));
    } else if (next.kind === 'string') {
      throw this.error(
        RuleDetail.invalidOperands,
        `The condition of ${display(operator)} is in quotes: remove them, e.g. ${property.text} ${display(operator)} (_ -contains "x").`,
        next,
      );
    } else {
      throw this.error(
        RuleDetail.invalidOperands,
        `${display(operator)} needs a condition in parentheses, e.g. ${property.text} ${display(operator)} (_ -startsWith "x").`,
        next.kind === 'end' ? opToken : next,
      );
    }
    return { kind: 'lambda', pos: property.pos, end: this.tokens.lastEnd(), property, operator, body };
  }

  private parseValue(operator: OperatorSyntax): ValueSyntax {
    const token = this.tokens.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', pos: token.pos, end: token.end, value: token.value };
      case 'literal':
        return { kind: 'literal', pos: token.pos, end: token.end, text: token.text };
      case 'word':
        if (token.text.toLowerCase() === 'system.now') return this.parseNow(token);
        return { kind: 'word', pos: token.pos, end: token.end, text: token.text };
      case '[':
        return this.parseArray(token);
      case '(': {
        // `(system.now -minus P30D)`: a parenthesised value.
        const inner = this.nested(() => this.parseValue(operator));
        this.expectClose(token, ')');
        return { ...inner, pos: token.pos, end: this.tokens.lastEnd() };
      }
      case 'end':
        throw this.error(RuleDetail.compilationError, `Expected a value after ${display(operator)}.`, operator);
      default:
        throw this.error(RuleDetail.compilationError, `Expected a value after ${display(operator)}, found ${shown(token, this.text)}.`, token);
    }
  }

  private parseNow(token: Extract<Token, { kind: 'word' }>): ValueSyntax {
    const op = this.tokens.peek();
    const keyword = keywordOf(op);
    if (keyword !== 'plus' && keyword !== 'minus') return { kind: 'now', pos: token.pos, end: token.end };
    this.tokens.next();
    const duration = this.tokens.next();
    if (duration.kind !== 'word') {
      throw this.error(
        RuleDetail.compilationError,
        `Expected an ISO 8601 duration such as P1D or PT12H after ${display(operatorOf(op))}.`,
        duration.kind === 'end' ? op : duration,
      );
    }
    const shift = { pos: op.pos, end: duration.end, sign: keyword === 'plus' ? 1 : -1, duration: duration.text } as const;
    return { kind: 'now', pos: token.pos, end: duration.end, shift };
  }

  /** `["a", "b"]` or `['a','b']`; the items are checked later. */
  private parseArray(open: Token): ValueSyntax {
    const items: ValueSyntax[] = [];
    if (!this.tokens.accept(']')) {
      for (;;) {
        const token = this.tokens.next();
        if (token.kind === 'string') items.push({ kind: 'string', pos: token.pos, end: token.end, value: token.value });
        else if (token.kind === 'literal') items.push({ kind: 'literal', pos: token.pos, end: token.end, text: token.text });
        else if (token.kind === 'word') items.push({ kind: 'word', pos: token.pos, end: token.end, text: token.text });
        else if (token.kind === 'end') throw this.error(RuleDetail.compilationError, 'This [ has no matching ].', open);
        else throw this.error(RuleDetail.compilationError, `Expected a list item, found ${shown(token, this.text)}.`, token);
        if (this.tokens.accept(']')) break;
        const separator = this.tokens.peek();
        if (separator.kind === 'end') throw this.error(RuleDetail.compilationError, 'This [ has no matching ].', open);
        if (!this.tokens.accept(',')) {
          throw this.error(RuleDetail.compilationError, `Expected , or ] in the list, found ${shown(separator, this.text)}.`, separator);
        }
      }
    }
    return { kind: 'array', pos: open.pos, end: this.tokens.lastEnd(), items };
  }

  private expectClose(open: Token, close: ')'): void {
    if (this.tokens.accept(close)) return;
    const token = this.tokens.peek();
    if (token.kind === 'end') {
      throw this.error(RuleDetail.compilationError, `This ( has no matching ).`, open);
    }
    throw this.error(
      RuleDetail.compilationError,
      `Expected ) to close the ( at position ${open.pos}, found ${shown(token, this.text)}. Are -and / -or missing?`,
      token,
    );
  }

  private unexpectedAfterExpression(token: Token): RuleError {
    if (token.kind === ')') return this.error(RuleDetail.compilationError, 'There is no ( to match this ).', token);
    if (token.kind === '(' || (token.kind === 'word' && isPropertyRef(token))) {
      return this.error(RuleDetail.compilationError, 'Expected -and or -or between two expressions.', token);
    }
    const keyword = keywordOf(token);
    if (keyword !== undefined && COMPARISON_KEYWORDS.has(keyword)) {
      return this.error(
        RuleDetail.compilationError,
        `${shown(token, this.text)} must follow a property, e.g. user.department -eq "Sales"; put parentheses around expressions you combine.`,
        token,
      );
    }
    return this.error(RuleDetail.compilationError, `Unexpected ${shown(token, this.text)}: expected -and, -or or the end of the rule.`, token);
  }

  private expectedExpression(token: Token): RuleError {
    if (token.kind === 'end') {
      const previous = this.tokens.previous();
      const written = previous ? `'${this.text.slice(previous.pos, previous.end)}'` : 'the start';
      return new RuleError(
        RuleDetail.compilationError,
        `The rule ends after ${written} where an expression is expected (a dangling -and, -or or -not?).`,
        previous?.pos ?? token.pos,
        previous?.end ?? token.end,
      );
    }
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase())) {
      return this.error(
        RuleDetail.noObjectType,
        `'${token.text}' has no object type: write user.${token.text} or device.${token.text}.`,
        token,
      );
    }
    if (token.kind === 'string' || token.kind === 'literal') {
      return this.error(
        RuleDetail.compilationError,
        'An expression starts with a property, e.g. user.department -eq "Sales".',
        token,
      );
    }
    return this.error(RuleDetail.compilationError, `Expected an expression, found ${shown(token, this.text)}.`, token);
  }

  private expectedOperator(property: PropertyRefSyntax, token: Token): RuleError {
    if (token.kind === 'operator') {
      return this.error(
        RuleDetail.compilationError,
        `Unknown operator '${this.text.slice(token.pos, token.end)}'. Operators: -eq, -ne, -startsWith, -notStartsWith, ` +
          '-endsWith, -notEndsWith, -contains, -notContains, -match, -notMatch, -in, -notIn, -any, -all.',
        token,
      );
    }
    const found = token.kind === 'end' ? 'the end of the rule' : shown(token, this.text);
    return this.error(
      RuleDetail.compilationError,
      `Expected an operator such as -eq after '${property.text}', found ${found}.`,
      token.kind === 'end' ? property : token,
    );
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_RULE_DEPTH) {
      const token = this.tokens.peek();
      throw this.error(RuleDetail.compilationError, `The rule is nested too deeply (more than ${MAX_RULE_DEPTH} levels).`, token);
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private error(detail: (typeof RuleDetail)[keyof typeof RuleDetail], hint: string, at: Span, end = at.end): RuleError {
    return new RuleError(detail, hint, at.pos, Math.max(end, at.pos));
  }
}

function isWord(token: Token, word: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === word;
}

/** A word that names a property: it has an object prefix (`user.x`), or is the lambda item `_`. */
function isPropertyRef(token: Extract<Token, { kind: 'word' }>): boolean {
  return token.text === '_' || (token.text.includes('.') && token.text.toLowerCase() !== 'system.now');
}

function propertyRef(token: Extract<Token, { kind: 'word' }>): PropertyRefSyntax {
  const dot = token.text.indexOf('.');
  const object = dot < 0 ? token.text : token.text.slice(0, dot);
  const name = dot < 0 ? '' : token.text.slice(dot + 1);
  return { pos: token.pos, end: token.end, text: token.text, object, name };
}

function operatorOf(token: Token): OperatorSyntax {
  if (token.kind === 'operator') return { pos: token.pos, end: token.end, name: token.name, dash: token.dash };
  const name = keywordOf(token) ?? '';
  return { pos: token.pos, end: token.end, name, dash: '' };
}

/** An operator as people write it, for messages: `-startsWith`. */
export function display(operator: { readonly name: string }): string {
  return `-${CANONICAL_KEYWORDS[operator.name] ?? operator.name}`;
}

const CANONICAL_KEYWORDS: Readonly<Record<string, string>> = {
  startswith: 'startsWith',
  notstartswith: 'notStartsWith',
  endswith: 'endsWith',
  notendswith: 'notEndsWith',
  contains: 'contains',
  notcontains: 'notContains',
  match: 'match',
  notmatch: 'notMatch',
  notin: 'notIn',
};

function shown(token: Token, text: string): string {
  if (token.kind === 'end') return 'the end of the rule';
  const written = text.slice(token.pos, token.end);
  return `'${written.length > 40 ? `${written.slice(0, 40)}…` : written}'`;
}
