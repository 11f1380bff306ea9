// Parses a $filter string into an untyped syntax tree (names are checked later, by the binder).
// Grammar and precedence follow OData 4.01 URL conventions §5.1.1: not > comparison > and > or.
import { TokenCursor, type Token } from './lexer.js';
import { checkLength, queryError } from './query-error.js';

export type FilterLiteral =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number; readonly integer: boolean }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  | { readonly type: 'guid'; readonly value: string }
  /** Epoch milliseconds; a `date` is midnight UTC. */
  | { readonly type: 'datetime' | 'date'; readonly value: number }
  | { readonly type: 'enum'; readonly typeName: string; readonly value: string };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'has';

/** `a/b/c`: a property path, or a lambda variable followed by a path. */
export interface PathNode {
  readonly kind: 'path';
  readonly pos: number;
  readonly segments: readonly string[];
}

export type FilterNode =
  | { readonly kind: 'literal'; readonly pos: number; readonly literal: FilterLiteral }
  | PathNode
  | { readonly kind: 'compare'; readonly pos: number; readonly op: CompareOp; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'and' | 'or'; readonly pos: number; readonly operands: readonly FilterNode[] }
  | { readonly kind: 'not'; readonly pos: number; readonly operand: FilterNode }
  | { readonly kind: 'in'; readonly pos: number; readonly left: FilterNode; readonly items: readonly FilterNode[] }
  /** A function call such as `startswith(displayName,'a')`; `name` as written. */
  | { readonly kind: 'call'; readonly pos: number; readonly name: string; readonly args: readonly FilterNode[] }
  /** `collection/any(x: body)`; `any()` (no variable, no body) means "not empty". */
  | {
      readonly kind: 'lambda';
      readonly pos: number;
      readonly op: 'any' | 'all';
      readonly collection: PathNode;
      readonly variable?: string;
      readonly body?: FilterNode;
    };

/** Nesting beyond this is refused, so that no input can exhaust the stack. */
export const MAX_FILTER_DEPTH = 100;

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has']);

export function parseFilter(text: string): FilterNode {
  checkLength('$filter', text);
  return new FilterParser(text).parse();
}

class FilterParser {
  private readonly tokens: TokenCursor;
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = new TokenCursor(text);
  }

  parse(): FilterNode {
    const node = this.parseExpression();
    this.tokens.expect('end');
    return node;
  }

  private parseExpression(): FilterNode {
    return this.nested(() => this.parseChain('or', () => this.parseChain('and', () => this.parseComparison())));
  }

  /** `x and y and z` as one node with three operands, so long chains stay shallow. */
  private parseChain(keyword: 'and' | 'or', operand: () => FilterNode): FilterNode {
    const pos = this.tokens.peek().pos;
    const operands = [operand()];
    while (this.tokens.acceptKeyword(keyword)) operands.push(operand());
    return operands.length === 1 ? operands[0]! : { kind: keyword, pos, operands };
  }

  /** Left-associative: in `a eq b eq c` the first comparison nests inside the second, and counts as depth. */
  private parseComparison(): FilterNode {
    const depth = this.depth;
    let left = this.parseUnary();
    try {
      for (;;) {
        const token = this.tokens.peek();
        if (token.kind !== 'identifier' || !COMPARE_OPS.has(token.text.toLowerCase())) return left;
        this.tokens.next();
        this.enter();
        const op = token.text.toLowerCase() as CompareOp;
        left = { kind: 'compare', pos: token.pos, op, left, right: this.parseUnary() };
      }
    } finally {
      this.depth = depth;
    }
  }

  private parseUnary(): FilterNode {
    const pos = this.tokens.peek().pos;
    if (this.tokens.acceptKeyword('not')) return this.nested(() => ({ kind: 'not', pos, operand: this.parseUnary() }));
    const operand = this.parsePrimary();
    if (!this.tokens.isKeyword('in')) return operand;
    const inPos = this.tokens.next().pos;
    return { kind: 'in', pos: inPos, left: operand, items: this.parseList() };
  }

  /** `('a','b')` after `in`. */
  private parseList(): FilterNode[] {
    this.tokens.expect('(');
    const items = [this.parseExpression()];
    while (this.tokens.accept(',')) items.push(this.parseExpression());
    this.tokens.expect(')');
    return items;
  }

  private parsePrimary(): FilterNode {
    const token = this.tokens.next();
    switch (token.kind) {
      case '(': {
        const node = this.parseExpression();
        this.tokens.expect(')');
        return node;
      }
      case 'identifier':
        return this.parseIdentifier(token);
      case 'end':
        return this.tokens.fail(token);
      default:
        return { kind: 'literal', pos: token.pos, literal: literalOf(token) ?? this.tokens.fail(token) };
    }
  }

  private parseIdentifier(token: Extract<Token, { kind: 'identifier' }>): FilterNode {
    const keyword = token.text.toLowerCase();
    if (keyword === 'true' || keyword === 'false') {
      return { kind: 'literal', pos: token.pos, literal: { type: 'boolean', value: keyword === 'true' } };
    }
    if (keyword === 'null') return { kind: 'literal', pos: token.pos, literal: { type: 'null' } };
    if (this.tokens.peek().kind === '(') return this.parseCall(token);
    return this.parsePath(token);
  }

  private parseCall(name: Extract<Token, { kind: 'identifier' }>): FilterNode {
    this.tokens.expect('(');
    const args: FilterNode[] = [];
    if (!this.tokens.accept(')')) {
      do args.push(this.parseExpression());
      while (this.tokens.accept(','));
      this.tokens.expect(')');
    }
    return { kind: 'call', pos: name.pos, name: name.text, args };
  }

  /** `a/b/c`, possibly ending in `/any(...)` or `/all(...)`. */
  private parsePath(first: Extract<Token, { kind: 'identifier' }>): FilterNode {
    const segments = [first.text];
    while (this.tokens.accept('/')) {
      const segment = this.tokens.expect('identifier');
      const op = segment.text.toLowerCase();
      if ((op === 'any' || op === 'all') && this.tokens.peek().kind === '(') {
        return this.parseLambda(op, { kind: 'path', pos: first.pos, segments }, segment.pos);
      }
      segments.push(segment.text);
    }
    return { kind: 'path', pos: first.pos, segments };
  }

  private parseLambda(op: 'any' | 'all', collection: PathNode, pos: number): FilterNode {
    this.tokens.expect('(');
    if (op === 'any' && this.tokens.accept(')')) return { kind: 'lambda', pos, op, collection };
    const variable = this.tokens.expect('identifier').text;
    this.tokens.expect(':');
    const body = this.parseExpression();
    this.tokens.expect(')');
    return { kind: 'lambda', pos, op, collection, variable, body };
  }

  private nested<T>(parse: () => T): T {
    const depth = this.depth;
    this.enter();
    try {
      return parse();
    } finally {
      this.depth = depth;
    }
  }

  private enter(): void {
    if (++this.depth <= MAX_FILTER_DEPTH) return;
    const pos = this.tokens.peek().pos;
    throw queryError(
      `The $filter expression is nested too deeply (more than ${MAX_FILTER_DEPTH} levels) at position ${pos} in '${this.text}'.`,
    );
  }
}

function literalOf(token: Token): FilterLiteral | undefined {
  switch (token.kind) {
    case 'string':
    case 'guid':
      return { type: token.kind, value: token.value };
    case 'number':
      return { type: 'number', value: token.value, integer: token.integer };
    case 'datetime':
    case 'date':
      return { type: token.kind, value: token.value };
    case 'enum':
      return { type: 'enum', typeName: token.typeName, value: token.value };
    default:
      return undefined;
  }
}
