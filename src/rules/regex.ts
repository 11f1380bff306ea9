// The regular expressions of -match / -notMatch: a .NET-like dialect, case-insensitive and unanchored
// ("Regex and string operations aren't case sensitive", groups-dynamic-membership.md), run by a Thompson NFA
// so that evaluation takes time linear in the input: no pattern and no attribute value can backtrack.
//
// Accepted (the .NET syntax Entra's examples use):
//   literals; `.` (any character but \n); classes [a-z], [^…] with \d \w \s \D \W \S \p{Lu} \P{…} inside;
//   escapes \t \n \r \f \v \e \a \0 \xHH \uHHHH \cX and any escaped non-word character (\. \* \\ …);
//   \d \w \s (Unicode, as in .NET: \w = [\p{L}\p{Mn}\p{Nd}\p{Pc}]) and their negations; \p{Category};
//   anchors ^ $ \A \z \Z \b \B; groups ( ), (?: ), (?<name> ), (?'name' ); alternation |;
//   quantifiers * + ? {n} {n,} {n,m} (counts up to 1000), greedy or lazy; inline options (?i) (?m) (?s) (?n)
//   and (?ims:…); comments (?#…).
// Refused with a clear error, because a linear-time engine cannot run them: backreferences (\1, \k<name>),
// lookahead and lookbehind, atomic groups, conditionals, balancing groups, class subtraction, (?x), (?-i).
// Case folding is per UTF-16 unit with toLowerCase/toUpperCase; the input is matched unit by unit, as .NET does.
import { RuleDetail, RuleError } from './rule-error.js';

/** A compiled pattern. `test` answers whether it matches anywhere in the input (Regex.IsMatch). */
export interface RuleRegex {
  readonly source: string;
  test(input: string): boolean;
}

/** A pattern the engine refuses; `index` is the offset in the pattern. */
export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

/** Upper bound on the size of the compiled program, which bounds the work per input character. */
export const MAX_REGEX_PROGRAM = 10_000;
/** Upper bound on {n,m} counts. */
export const MAX_REGEX_REPEAT = 1000;
const MAX_GROUP_DEPTH = 100;

export function compileRegex(source: string): RuleRegex {
  const ast = new RegexParser(source).parse();
  const size = programSize(ast);
  if (size > MAX_REGEX_PROGRAM) {
    throw new RegexSyntaxError(
      `The regular expression is too complex (it expands to ${size > 1e9 ? 'more than 10^9' : Math.round(size)} steps; the limit is ${MAX_REGEX_PROGRAM}).`,
      0,
    );
  }
  return new NfaRegex(source, ast, size);
}

/**
 * Compiles the value of a -match / -notMatch for a rule: a RuleError at the offending character
 * (Entra's "Query compilation error." for an invalid regex) when the pattern is refused.
 * `valuePos` is the offset of the pattern's opening quote in the rule.
 */
export function compileRuleRegex(source: string, valuePos: number, valueEnd: number): RuleRegex {
  try {
    return compileRegex(source);
  } catch (err) {
    if (!(err instanceof RegexSyntaxError)) throw err;
    const at = Math.min(valuePos + 1 + err.index, Math.max(valuePos, valueEnd - 1));
    throw new RuleError(RuleDetail.compilationError, `Invalid regular expression: ${err.message}`, at, at + 1);
  }
}

// ---- syntax tree -----------------------------------------------------------------------------------

type CharTest = (unit: number) => boolean;
type AssertKind = 'start' | 'end' | 'endOrFinalNewline' | 'lineStart' | 'lineEnd' | 'wordBoundary' | 'notWordBoundary';

type Node =
  | { readonly t: 'char'; readonly test: CharTest }
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly options: readonly Node[] }
  | { readonly t: 'repeat'; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly t: 'assert'; readonly kind: AssertKind };

interface Flags {
  multiline: boolean;
  singleline: boolean;
}

class RegexParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation({ multiline: false, singleline: false });
    if (this.i < this.src.length) throw this.fail("Too many )'s.", this.i);
    return node;
  }

  private fail(message: string, index = this.i): RegexSyntaxError {
    return new RegexSyntaxError(message, index);
  }

  /** Alternatives up to a `)` or the end; inline options apply to the rest of the enclosing group. */
  private alternation(outer: Flags): Node {
    const flags = { ...outer };
    const options: Node[] = [this.sequence(flags)];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence(flags));
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  private sequence(flags: Flags): Node {
    const items: Node[] = [];
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!;
      if (ch === '|' || ch === ')') break;
      const atom = this.atom(flags);
      if (atom === undefined) continue; // an inline option or a comment
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const q = this.quantifier();
    if (!q) return atom;
    if (this.src[this.i] === '?') this.i++; // lazy: the same language
    const again = this.i;
    if (this.quantifier()) throw this.fail(`Nested quantifier '${this.src.slice(again, this.i)}'.`, again);
    return { t: 'repeat', node: atom, min: q.min, max: q.max };
  }

  /** `*`, `+`, `?`, or `{n}`, `{n,}`, `{n,m}`; a `{` that starts none of these is a literal (as in .NET). */
  private quantifier(): { min: number; max: number } | undefined {
    const ch = this.src[this.i];
    if (ch === '*' || ch === '+' || ch === '?') {
      this.i++;
      return ch === '*' ? { min: 0, max: Infinity } : ch === '+' ? { min: 1, max: Infinity } : { min: 0, max: 1 };
    }
    if (ch !== '{') return undefined;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
    if (!m) return undefined;
    const start = this.i;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REGEX_REPEAT || (max !== Infinity && max > MAX_REGEX_REPEAT)) {
      throw this.fail(`Repetition counts above ${MAX_REGEX_REPEAT} aren't supported.`, start);
    }
    if (min > max) throw this.fail('Illegal {x,y} with x > y.', start);
    this.i += m[0].length;
    return { min, max };
  }

  private atom(flags: Flags): Node | undefined {
    const ch = this.src[this.i]!;
    const at = this.i;
    switch (ch) {
      case '(':
        return this.group(flags);
      case '[':
        return this.charClass();
      case '.':
        this.i++;
        return { t: 'char', test: flags.singleline ? anyUnit : notNewline };
      case '^':
        this.i++;
        return { t: 'assert', kind: flags.multiline ? 'lineStart' : 'start' };
      case '$':
        this.i++;
        return { t: 'assert', kind: flags.multiline ? 'lineEnd' : 'endOrFinalNewline' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw this.fail(`Quantifier '${ch}' following nothing.`, at);
      case '{':
        if (/^\{\d+(,\d*)?\}/.test(this.src.slice(at, at + 24))) throw this.fail(`Quantifier '${this.src.slice(at, this.src.indexOf('}', at) + 1)}' following nothing.`, at);
        break;
    }
    this.i++;
    return literal(ch.charCodeAt(0));
  }

  private group(outer: Flags): Node | undefined {
    const open = this.i;
    this.i++;
    let flags = outer;
    if (this.src[this.i] === '?') {
      const rest = this.src.slice(this.i + 1, this.i + 4);
      if (rest.startsWith(':')) {
        this.i += 2;
      } else if (rest.startsWith('#')) {
        const close = this.src.indexOf(')', this.i);
        if (close < 0) throw this.fail('Unterminated (?#...) comment.', open);
        this.i = close + 1;
        return undefined;
      } else if (/^<[A-Za-z_]/.test(rest) || /^'[A-Za-z_]/.test(rest)) {
        const m = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(this.src.slice(this.i + 1));
        if (!m) throw this.fail('Balancing groups and invalid group names aren\'t supported.', open);
        this.i += 1 + m[0].length;
      } else if (rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
        throw this.fail("Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) aren't supported: Tarmac matches in linear time.", open);
      } else if (rest.startsWith('>')) {
        throw this.fail("Atomic groups (?>…) aren't supported.", open);
      } else if (rest.startsWith('(')) {
        throw this.fail("Conditional groups (?(…)…) aren't supported.", open);
      } else {
        const m = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(this.src.slice(this.i));
        if (!m) throw this.fail('Unrecognized grouping construct.', open);
        const changed = this.options(m[1]!, m[2], outer, open);
        this.i += m[0].length;
        if (m[3] === ')') {
          // (?m) and friends change the options of the rest of the enclosing group.
          Object.assign(outer, changed);
          return undefined;
        }
        flags = changed;
      }
    }
    if (++this.depth > MAX_GROUP_DEPTH) throw this.fail(`Groups nested more than ${MAX_GROUP_DEPTH} deep aren't supported.`, open);
    const node = this.alternation(flags);
    this.depth--;
    if (this.src[this.i] !== ')') throw this.fail("Not enough )'s.", open);
    this.i++;
    return node;
  }

  private options(on: string, off: string | undefined, outer: Flags, at: number): Flags {
    const flags = { ...outer };
    for (const option of on.toLowerCase()) {
      if (option === 'm') flags.multiline = true;
      else if (option === 's') flags.singleline = true;
      else if (option === 'i' || option === 'n') continue; // always case-insensitive; captures don't matter
      else if (option === 'x') throw this.fail("The inline option (?x) isn't supported.", at);
      else throw this.fail(`Unknown inline option '${option}'.`, at);
    }
    for (const option of (off ?? '').toLowerCase()) {
      if (option === 'm') flags.multiline = false;
      else if (option === 's') flags.singleline = false;
      else if (option === 'n' || option === 'x') continue;
      else if (option === 'i') throw this.fail("Comparisons are always case-insensitive: (?-i) isn't supported.", at);
      else throw this.fail(`Unknown inline option '${option}'.`, at);
    }
    return flags;
  }

  private escape(): Node {
    const at = this.i;
    const ch = this.src[this.i + 1];
    if (ch === undefined) throw this.fail('Illegal \\ at end of pattern.', at);
    switch (ch) {
      case 'A':
        this.i += 2;
        return { t: 'assert', kind: 'start' };
      case 'z':
        this.i += 2;
        return { t: 'assert', kind: 'end' };
      case 'Z':
        this.i += 2;
        return { t: 'assert', kind: 'endOrFinalNewline' };
      case 'b':
        this.i += 2;
        return { t: 'assert', kind: 'wordBoundary' };
      case 'B':
        this.i += 2;
        return { t: 'assert', kind: 'notWordBoundary' };
      case 'G':
        throw this.fail("\\G isn't supported.", at);
      case 'k':
        throw this.fail("Backreferences (\\k<name>) aren't supported: Tarmac matches in linear time.", at);
    }
    if (ch >= '1' && ch <= '9') throw this.fail(`Backreferences (\\${ch}) aren't supported: Tarmac matches in linear time.`, at);
    const item = this.classEscape(false);
    return typeof item === 'number' ? literal(item) : { t: 'char', test: (u) => matchesFolded(item, u) };
  }

  /**
   * An escape inside or outside a class, at `\`: a code unit, or a test for \d \w \s \p{…} and negations.
   * Inside a class `\b` is a backspace.
   */
  private classEscape(inClass: boolean): number | CharTest {
    const at = this.i;
    const ch = this.src[this.i + 1];
    if (ch === undefined) throw this.fail('Illegal \\ at end of pattern.', at);
    this.i += 2;
    switch (ch) {
      case 'd':
        return isDigitUnit;
      case 'D':
        return (u) => !isDigitUnit(u);
      case 'w':
        return isWordUnit;
      case 'W':
        return (u) => !isWordUnit(u);
      case 's':
        return isSpaceUnit;
      case 'S':
        return (u) => !isSpaceUnit(u);
      case 'p':
      case 'P': {
        const m = /^\{([A-Za-z]+)\}/.exec(this.src.slice(this.i, this.i + 40));
        if (!m) throw this.fail(`Incomplete \\${ch}{X} character escape.`, at);
        const test = unicodeCategory(m[1]!);
        if (!test) throw this.fail(`Unknown or unsupported Unicode category '${m[1]}' (use a general category such as Lu or Nd).`, at);
        this.i += m[0].length;
        return ch === 'p' ? test : (u) => !test(u);
      }
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'v':
        return 11;
      case 'f':
        return 12;
      case 'r':
        return 13;
      case 'e':
        return 27;
      case 'a':
        return 7;
      case 'b':
        if (inClass) return 8;
        break;
      case '0': {
        const m = /^[0-7]{0,2}/.exec(this.src.slice(this.i))!;
        this.i += m[0].length;
        return m[0] ? parseInt(m[0], 8) : 0;
      }
      case 'x':
      case 'u': {
        const digits = ch === 'x' ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw this.fail('Insufficient hex digits.', at);
        this.i += digits;
        return parseInt(hex, 16);
      }
      case 'c': {
        const letter = this.src[this.i];
        if (letter === undefined || !/[A-Za-z]/.test(letter)) throw this.fail('Missing control character.', at);
        this.i++;
        return letter.toUpperCase().charCodeAt(0) & 31;
      }
    }
    if (/[A-Za-z0-9_]/.test(ch)) throw this.fail(`Unrecognized escape sequence \\${ch}.`, at);
    this.i += ch.length - 1;
    return ch.charCodeAt(0);
  }

  private charClass(): Node {
    const open = this.i;
    this.i++;
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const ranges: number[] = [];
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      if (this.i >= this.src.length) throw this.fail('Unterminated [] set.', open);
      const ch = this.src[this.i]!;
      if (ch === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (ch === '-' && this.src[this.i + 1] === '[' && (ranges.length > 0 || tests.length > 0)) {
        throw this.fail("Character class subtraction [a-z-[aeiou]] isn't supported.", this.i);
      }
      const startAt = this.i;
      const low = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        if (this.src[this.i + 1] === '[') {
          if (typeof low === 'number') ranges.push(low, low);
          else tests.push(low);
          continue; // reported as subtraction on the next turn
        }
        this.i++;
        const high = this.classAtom();
        if (typeof low !== 'number' || typeof high !== 'number') {
          throw this.fail('A character range can\'t start or end with a class such as \\d.', startAt);
        }
        if (low > high) throw this.fail('[x-y] range in reverse order.', startAt);
        ranges.push(low, high);
      } else if (typeof low === 'number') {
        ranges.push(low, low);
      } else {
        tests.push(low);
      }
    }
    const inClass = (u: number) => {
      for (let k = 0; k < ranges.length; k += 2) if (u >= ranges[k]! && u <= ranges[k + 1]!) return true;
      for (const test of tests) if (test(u)) return true;
      return false;
    };
    return { t: 'char', test: negated ? (u) => !matchesFolded(inClass, u) : (u) => matchesFolded(inClass, u) };
  }

  private classAtom(): number | CharTest {
    if (this.src[this.i] === '\\') return this.classEscape(true);
    return this.src.charCodeAt(this.i++);
  }
}

function literal(unit: number): Node {
  const folded = fold().lower[unit]!;
  return { t: 'char', test: (u) => fold().lower[u] === folded };
}

/** A class under IgnoreCase: the unit, its lower-case or its upper-case form is in the class. */
function matchesFolded(test: CharTest, unit: number): boolean {
  const tables = fold();
  return test(unit) || test(tables.lower[unit]!) || test(tables.upper[unit]!);
}

const anyUnit: CharTest = () => true;
const notNewline: CharTest = (u) => u !== 10;

// ---- character tables (built once, on first use) --------------------------------------------------

let foldTables: { lower: Uint16Array; upper: Uint16Array } | undefined;

/** Simple case mappings per UTF-16 unit; a mapping that is not one unit long keeps the unit. */
function fold(): { lower: Uint16Array; upper: Uint16Array } {
  if (foldTables) return foldTables;
  const lower = new Uint16Array(65536);
  const upper = new Uint16Array(65536);
  for (let u = 0; u < 65536; u++) {
    const s = String.fromCharCode(u);
    const l = s.toLowerCase();
    const up = s.toUpperCase();
    lower[u] = l.length === 1 ? l.charCodeAt(0) : u;
    upper[u] = up.length === 1 ? up.charCodeAt(0) : u;
  }
  foldTables = { lower, upper };
  return foldTables;
}

const WORD = 1;
const DIGIT = 2;
const SPACE = 4;
let classTable: Uint8Array | undefined;

/** .NET's \w, \d and \s per UTF-16 unit. */
function classes(): Uint8Array {
  if (classTable) return classTable;
  const table = new Uint8Array(65536);
  const word = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}]$/u;
  const digit = /^\p{Nd}$/u;
  const space = /^[\f\n\r\t\v\x85\p{Z}]$/u;
  for (let u = 0; u < 65536; u++) {
    if (u >= 0xd800 && u <= 0xdfff) continue;
    const s = String.fromCharCode(u);
    table[u] = (word.test(s) ? WORD : 0) | (digit.test(s) ? DIGIT : 0) | (space.test(s) ? SPACE : 0);
  }
  classTable = table;
  return table;
}

const isWordUnit: CharTest = (u) => (classes()[u]! & WORD) !== 0;
const isDigitUnit: CharTest = (u) => (classes()[u]! & DIGIT) !== 0;
const isSpaceUnit: CharTest = (u) => (classes()[u]! & SPACE) !== 0;

const GENERAL_CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(' '),
);

function unicodeCategory(name: string): CharTest | undefined {
  if (!GENERAL_CATEGORIES.has(name)) return undefined;
  const pattern = new RegExp(`^\\p{${name}}$`, 'u');
  const table = new Uint8Array(65536);
  let built = false;
  return (u) => {
    if (!built) {
      for (let k = 0; k < 65536; k++) table[k] = pattern.test(String.fromCharCode(k)) ? 1 : 0;
      built = true;
    }
    return table[u] === 1;
  };
}

// ---- the program ----------------------------------------------------------------------------------

const CHAR = 0;
const SPLIT = 1;
const JUMP = 2;
const ASSERT = 3;
const MATCH = 4;

/** Instructions the node compiles to; computed before compiling so that huge programs are never built. */
function programSize(node: Node): number {
  switch (node.t) {
    case 'char':
    case 'assert':
      return 1;
    case 'seq':
      return node.items.reduce((sum, item) => sum + programSize(item), 0);
    case 'alt':
      return node.options.reduce((sum, option) => sum + programSize(option), 0) + 2 * (node.options.length - 1);
    case 'repeat': {
      const body = programSize(node.node);
      const optional = node.max === Infinity ? body + 2 : (node.max - node.min) * (body + 1);
      return node.min * body + optional;
    }
  }
}

class NfaRegex implements RuleRegex {
  private readonly ops: Uint8Array;
  private readonly arg: Int32Array;
  private readonly arg2: Int32Array;
  private readonly tests: (CharTest | undefined)[];
  private readonly asserts: (AssertKind | undefined)[];
  private count = 0;
  private readonly anchored: boolean;
  // Work lists, reused across calls (tests are synchronous).
  private readonly marks: Uint32Array;
  private readonly current: Int32Array;
  private readonly next: Int32Array;
  private readonly stack: Int32Array;
  private generation = 0;

  constructor(
    readonly source: string,
    ast: Node,
    size: number,
  ) {
    const length = size + 1;
    this.ops = new Uint8Array(length);
    this.arg = new Int32Array(length);
    this.arg2 = new Int32Array(length);
    this.tests = new Array(length);
    this.asserts = new Array(length);
    this.emit(ast);
    this.ops[this.count++] = MATCH;
    this.anchored = startsAnchored(ast);
    this.marks = new Uint32Array(this.count);
    this.current = new Int32Array(this.count);
    this.next = new Int32Array(this.count);
    this.stack = new Int32Array(3 * this.count + 3);
  }

  private emit(node: Node): void {
    switch (node.t) {
      case 'char':
        this.tests[this.count] = node.test;
        this.ops[this.count++] = CHAR;
        return;
      case 'assert':
        this.asserts[this.count] = node.kind;
        this.ops[this.count++] = ASSERT;
        return;
      case 'seq':
        for (const item of node.items) this.emit(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.options.forEach((option, k) => {
          if (k < node.options.length - 1) {
            const split = this.count++;
            this.ops[split] = SPLIT;
            this.arg[split] = split + 1;
            this.emit(option);
            jumps.push(this.count);
            this.ops[this.count++] = JUMP;
            this.arg2[split] = this.count;
          } else {
            this.emit(option);
          }
        });
        for (const jump of jumps) this.arg[jump] = this.count;
        return;
      }
      case 'repeat': {
        for (let k = 0; k < node.min; k++) this.emit(node.node);
        if (node.max === Infinity) {
          const split = this.count++;
          this.ops[split] = SPLIT;
          this.arg[split] = split + 1;
          this.emit(node.node);
          this.ops[this.count] = JUMP;
          this.arg[this.count++] = split;
          this.arg2[split] = this.count;
          return;
        }
        const splits: number[] = [];
        for (let k = node.min; k < node.max; k++) {
          const split = this.count++;
          this.ops[split] = SPLIT;
          this.arg[split] = split + 1;
          splits.push(split);
          this.emit(node.node);
        }
        for (const split of splits) this.arg2[split] = this.count;
        return;
      }
    }
  }

  test(input: string): boolean {
    const n = input.length;
    let current = this.current;
    let next = this.next;
    let count = 0;
    for (let pos = 0; ; pos++) {
      if (pos === 0 || !this.anchored) {
        if (pos === 0) this.generation++;
        const added = this.add(current, count, 0, input, pos);
        if (added < 0) return true;
        count = added;
      }
      if (pos === n || (count === 0 && this.anchored)) return false;
      const unit = input.charCodeAt(pos);
      this.generation++;
      let nextCount = 0;
      for (let k = 0; k < count; k++) {
        const pc = current[k]!;
        if (this.tests[pc]!(unit)) {
          nextCount = this.add(next, nextCount, pc + 1, input, pos + 1);
          if (nextCount < 0) return true;
        }
      }
      const swap = current;
      current = next;
      next = swap;
      count = nextCount;
      if (this.generation > 0xfffffff0) this.resetMarks();
    }
  }

  /** Adds the threads reachable from `start` without consuming input; -1 when MATCH is reachable. */
  private add(list: Int32Array, count: number, start: number, input: string, pos: number): number {
    const { ops, marks, stack } = this;
    const generation = this.generation;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const pc = stack[--top]!;
      if (marks[pc] === generation) continue;
      marks[pc] = generation;
      switch (ops[pc]) {
        case CHAR:
          list[count++] = pc;
          break;
        case MATCH:
          return -1;
        case JUMP:
          stack[top++] = this.arg[pc]!;
          break;
        case SPLIT:
          stack[top++] = this.arg2[pc]!;
          stack[top++] = this.arg[pc]!;
          break;
        case ASSERT:
          if (holds(this.asserts[pc]!, input, pos)) stack[top++] = pc + 1;
          break;
      }
    }
    return count;
  }

  private resetMarks(): void {
    this.marks.fill(0);
    this.generation = 1;
  }
}

function startsAnchored(node: Node): boolean {
  if (node.t === 'assert') return node.kind === 'start';
  if (node.t === 'seq') return node.items.length > 0 && startsAnchored(node.items[0]!);
  if (node.t === 'alt') return node.options.every(startsAnchored);
  if (node.t === 'repeat') return node.min > 0 && startsAnchored(node.node);
  return false;
}

function holds(kind: AssertKind, input: string, pos: number): boolean {
  const n = input.length;
  switch (kind) {
    case 'start':
      return pos === 0;
    case 'end':
      return pos === n;
    case 'endOrFinalNewline':
      return pos === n || (pos === n - 1 && input.charCodeAt(pos) === 10);
    case 'lineStart':
      return pos === 0 || input.charCodeAt(pos - 1) === 10;
    case 'lineEnd':
      return pos === n || input.charCodeAt(pos) === 10;
    case 'wordBoundary':
    case 'notWordBoundary': {
      const before = pos > 0 && isWordUnit(input.charCodeAt(pos - 1));
      const after = pos < n && isWordUnit(input.charCodeAt(pos));
      return (before !== after) === (kind === 'wordBoundary');
    }
  }
}
