// Splits the text of a membership or filter rule into tokens with positions.
// Operators may be written with or without the hyphen and in any letter case ("Operators can be used with or
// without the hyphen (-) prefix", learn.microsoft.com/entra/identity/users/groups-dynamic-membership).
import { RuleDetail, RuleError } from './rule-error.js';

export type Token =
  | { readonly kind: '(' | ')' | '[' | ']' | ',' | 'end'; readonly pos: number; readonly end: number }
  /** `"…"` with `` `" `` for a quote, or `'…'` with `''` for a quote; `value` is unescaped. */
  | { readonly kind: 'string'; readonly pos: number; readonly end: number; readonly value: string }
  /**
   * A hyphenated keyword such as `-eq` or `-and`; `name` is lower-cased without the dash. `dash` is the
   * character written: '-' or an en dash (U+2013), which Microsoft's own examples contain.
   */
  | { readonly kind: 'operator'; readonly pos: number; readonly end: number; readonly name: string; readonly dash: string }
  /** A name: `user.department`, `_`, `true`, `$null`, `and`, `system.now`, `p1d`, `Direct`… */
  | { readonly kind: 'word'; readonly pos: number; readonly end: number; readonly text: string }
  /** An unquoted run starting with a digit (or `-` and a digit): a number, a datetime or a version. */
  | { readonly kind: 'literal'; readonly pos: number; readonly end: number; readonly text: string };

export type TokenKind = Token['kind'];

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*/y;
const LITERAL = /-?[0-9][0-9A-Za-z.:+-]*/y;
const OPERATOR_NAME = /[A-Za-z]+/y;
const EN_DASH = '\u2013';
const SMART_QUOTES = new Set(['\u201c', '\u201d', '\u201e', '\u2018', '\u2019', '\u201a']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
    if (pos >= text.length) break;
    const token = readToken(text, pos);
    tokens.push(token);
    pos = token.end;
  }
  tokens.push({ kind: 'end', pos: text.length, end: text.length });
  return tokens;
}

/** Any Unicode white space separates tokens, line breaks included (rules may span lines). */
function isSpace(unit: number): boolean {
  if (unit === 32 || (unit >= 9 && unit <= 13)) return true;
  if (unit < 128) return false;
  return /\s/.test(String.fromCharCode(unit));
}

function readToken(text: string, pos: number): Token {
  const ch = text[pos]!;
  switch (ch) {
    case '(':
    case ')':
    case '[':
    case ']':
    case ',':
      return { kind: ch, pos, end: pos + 1 };
    case '"':
      return readDoubleQuoted(text, pos);
    case "'":
      return readSingleQuoted(text, pos);
  }
  if (ch === '-' || ch === EN_DASH) {
    const next = text.charCodeAt(pos + 1);
    if (ch === '-' && next >= 48 && next <= 57) return readLiteral(text, pos);
    OPERATOR_NAME.lastIndex = pos + 1;
    const name = OPERATOR_NAME.exec(text);
    if (name) {
      return { kind: 'operator', pos, end: pos + 1 + name[0].length, name: name[0].toLowerCase(), dash: ch };
    }
    throw new RuleError(
      RuleDetail.compilationError,
      `'${ch}' must be followed by an operator name such as -eq, -and or -not.`,
      pos,
    );
  }
  const unit = text.charCodeAt(pos);
  if (unit >= 48 && unit <= 57) return readLiteral(text, pos);
  WORD.lastIndex = pos;
  const word = WORD.exec(text);
  if (word) {
    const end = pos + word[0].length;
    if (text[end] === '.') {
      throw new RuleError(RuleDetail.compilationError, `Expected a property name after '${word[0]}.'.`, end, end + 1);
    }
    return { kind: 'word', pos, end, text: word[0] };
  }
  if (SMART_QUOTES.has(ch)) {
    throw new RuleError(
      RuleDetail.compilationError,
      `The typographic quote ${ch} isn't a string delimiter: use straight quotes (" or ').`,
      pos,
    );
  }
  if (ch === '\u2014' || ch === '\u2212' || ch === '\u2012') {
    throw new RuleError(RuleDetail.compilationError, `Operators start with a hyphen (-), not ${ch}.`, pos);
  }
  const shown = unit < 32 || unit === 127 ? `U+${unit.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCodePoint(text.codePointAt(pos)!)}'`;
  throw new RuleError(RuleDetail.compilationError, `The character ${shown} isn't valid here.`, pos);
}

function readLiteral(text: string, pos: number): Token {
  LITERAL.lastIndex = pos;
  const run = LITERAL.exec(text)![0];
  return { kind: 'literal', pos, end: pos + run.length, text: run };
}

/**
 * A double-quoted string. A quote inside is written `` `" `` (the escape the docs show:
 * user.department -eq "`"Sales`"" for the value "Sales"); every other character, backticks and
 * backslashes included, stands for itself.
 */
function readDoubleQuoted(text: string, pos: number): Token {
  let value = '';
  let from = pos + 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '`' && text[i + 1] === '"') {
      value += text.slice(from, i) + '"';
      from = ++i + 1;
    } else if (ch === '"') {
      return { kind: 'string', pos, end: i + 1, value: value + text.slice(from, i) };
    }
  }
  throw unterminated(text, pos);
}

/** A single-quoted string, where '' stands for one quote ("escaped by using two single quotes"). */
function readSingleQuoted(text: string, pos: number): Token {
  let value = '';
  let from = pos + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote < 0) throw unterminated(text, pos);
    value += text.slice(from, quote);
    if (text[quote + 1] !== "'") return { kind: 'string', pos, end: quote + 1, value };
    value += "'";
    from = quote + 2;
  }
}

const unterminated = (text: string, pos: number) =>
  new RuleError(
    RuleDetail.compilationError,
    `The string that starts here has no closing ${text[pos]}.`,
    pos,
    text.length,
  );

/** A cursor over the tokens of one rule, for the recursive-descent parser. */
export class TokenCursor {
  private readonly tokens: Token[];
  private index = 0;

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** The end of the last consumed token. */
  lastEnd(): number {
    return this.index === 0 ? 0 : this.tokens[this.index - 1]!.end;
  }

  /** The last consumed token, if any. */
  previous(): Token | undefined {
    return this.index === 0 ? undefined : this.tokens[this.index - 1];
  }

  accept<K extends TokenKind>(kind: K): Extract<Token, { kind: K }> | undefined {
    const token = this.peek();
    if (token.kind !== kind) return undefined;
    this.next();
    return token as Extract<Token, { kind: K }>;
  }
}

/** The keyword a token spells (lower case), whether written `-and` or `and`; undefined for other tokens. */
export function keywordOf(token: Token): string | undefined {
  if (token.kind === 'operator') return token.name;
  if (token.kind === 'word' && !token.text.includes('.')) return token.text.toLowerCase();
  return undefined;
}
