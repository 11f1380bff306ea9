// Splits the text of an OData query option ($filter, $orderby, $select) into tokens, and walks them for parsers.
import { parseDateTime } from './compare.js';
import { queryError, syntaxError } from './query-error.js';

export type Token =
  /** A name, possibly qualified (`microsoft.graph.user`); keywords are identifiers too. */
  | { readonly kind: 'identifier'; readonly pos: number; readonly text: string }
  | { readonly kind: 'string'; readonly pos: number; readonly value: string }
  | { readonly kind: 'number'; readonly pos: number; readonly value: number; readonly integer: boolean }
  | { readonly kind: 'guid'; readonly pos: number; readonly value: string }
  /** Epoch milliseconds; a `date` is midnight UTC. */
  | { readonly kind: 'datetime' | 'date'; readonly pos: number; readonly value: number }
  /** `microsoft.graph.someEnum'value'`. */
  | { readonly kind: 'enum'; readonly pos: number; readonly typeName: string; readonly value: string }
  | { readonly kind: Punctuation | 'end'; readonly pos: number };

export type TokenKind = Token['kind'];

// Sticky patterns, tried in this order at a token start. A literal must not run into a name ([\w.:+-] after it).
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w.:+-])/y;
const DATETIME = /\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w.:+-])/y;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.:+-])/y;
const IDENTIFIER = /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/y;
type Punctuation = '(' | ')' | ',' | '/' | ':' | '*';
const PUNCTUATION = new Set<string>(['(', ')', ',', '/', ':', '*'] satisfies Punctuation[]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    if (pos >= text.length) break;
    const token = readToken(text, pos);
    tokens.push(token.token);
    pos = token.end;
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

function readToken(text: string, pos: number): { token: Token; end: number } {
  const ch = text[pos]!;
  if (PUNCTUATION.has(ch)) return { token: { kind: ch as Punctuation, pos }, end: pos + 1 };
  if (ch === "'") {
    const { value, end } = readString(text, pos);
    return { token: { kind: 'string', pos, value }, end };
  }
  if (/[0-9a-fA-F]/.test(ch)) {
    const guid = match(GUID, text, pos);
    if (guid) return { token: { kind: 'guid', pos, value: guid[0] }, end: pos + guid[0].length };
  }
  if (/[\d-]/.test(ch)) return readNumberOrDate(text, pos);
  const name = match(IDENTIFIER, text, pos);
  if (name) {
    const end = pos + name[0].length;
    if (text[end] !== "'") return { token: { kind: 'identifier', pos, text: name[0] }, end };
    // An enum literal is a qualified type name followed by a string.
    if (!name[0].includes('.')) throw syntaxError(end, text);
    const literal = readString(text, end);
    return { token: { kind: 'enum', pos, typeName: name[0], value: literal.value }, end: literal.end };
  }
  throw queryError(`Syntax error: character '${ch}' is not valid at position ${pos} in '${text}'.`);
}

function readNumberOrDate(text: string, pos: number): { token: Token; end: number } {
  const date = match(DATETIME, text, pos);
  if (date) {
    const value = parseDateTime(date[0]);
    if (value === undefined) throw syntaxError(pos, text);
    return { token: { kind: date[1] ? 'datetime' : 'date', pos, value }, end: pos + date[0].length };
  }
  const number = match(NUMBER, text, pos);
  if (number) {
    const token: Token = { kind: 'number', pos, value: Number(number[0]), integer: !number[1] && !number[2] };
    return { token, end: pos + number[0].length };
  }
  if (text[pos] === '-' && !/\d/.test(text[pos + 1] ?? '')) {
    throw queryError(`Syntax error: character '-' is not valid at position ${pos} in '${text}'.`);
  }
  throw syntaxError(pos, text);
}

/** A single-quoted string starting at `pos`, where '' stands for one quote. */
function readString(text: string, pos: number): { value: string; end: number } {
  let value = '';
  let from = pos + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote < 0) throw queryError(`There is an unterminated string literal at position ${pos} in '${text}'.`);
    value += text.slice(from, quote);
    if (text[quote + 1] !== "'") return { value, end: quote + 1 };
    value += "'";
    from = quote + 2;
  }
}

function match(pattern: RegExp, text: string, pos: number): RegExpExecArray | null {
  pattern.lastIndex = pos;
  return pattern.exec(text);
}

/** A cursor over the tokens of one query option, for recursive-descent parsers. */
export class TokenCursor {
  private readonly tokens: Token[];
  private index = 0;

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
  }

  peek(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** Consumes the next token if it has this kind. */
  accept<K extends TokenKind>(kind: K): Extract<Token, { kind: K }> | undefined {
    const token = this.peek();
    if (token.kind !== kind) return undefined;
    this.next();
    return token as Extract<Token, { kind: K }>;
  }

  expect<K extends TokenKind>(kind: K): Extract<Token, { kind: K }> {
    return this.accept(kind) ?? this.fail();
  }

  /** Whether the next token is this keyword (case-insensitive), without consuming it. */
  isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text.toLowerCase() === word;
  }

  /** Consumes the next token if it is this keyword. */
  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  /** A syntax error at the next token (or at the given one). */
  fail(token: Token = this.peek()): never {
    throw syntaxError(token.pos, this.text);
  }
}
