// Highlighting of dynamic membership rules for the rule editor: a forgiving tokenizer (it never fails: the
// server's check says what is wrong, this only colours) and the runs of text the editor draws, with the
// range of the server's error marked. Pure functions, no imports.

export type RuleTokenKind =
  /** -and, -or, -not, -any, -all (also without the dash), Direct Reports for. */
  | 'logical'
  /** -eq, -contains, -startsWith, -match, -in, … and -plus / -minus of system.now. */
  | 'operator'
  /** user.department, device.devicePhysicalIds, _, assignedPlan.servicePlanId, group.objectId. */
  | 'property'
  | 'string'
  /** true, false, null, $null, numbers, datetimes, system.now. */
  | 'literal'
  | 'punctuation'
  | 'space'
  /** Anything else: an unknown word or operator, a stray character. */
  | 'text';

export interface RuleToken {
  readonly kind: RuleTokenKind;
  readonly start: number;
  readonly end: number;
}

const LOGICAL = new Set(['and', 'or', 'not', 'any', 'all']);
const OPERATORS = new Set([
  'eq',
  'ne',
  'startswith',
  'notstartswith',
  'endswith',
  'notendswith',
  'contains',
  'notcontains',
  'match',
  'notmatch',
  'in',
  'notin',
  'le',
  'ge',
  'plus',
  'minus',
]);
const LITERAL_WORDS = new Set(['true', 'false', 'null', '$null']);
const DIRECT_REPORTS = new Set(['direct', 'reports', 'for']);

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*\.?/y;
const NUMBER = /-?[0-9][0-9A-Za-z.:+-]*/y;
const OPERATOR_NAME = /[A-Za-z]+/y;
const SPACE = /\s+/y;

function matchAt(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  return re.exec(text)?.[0];
}

/** Splits a rule into tokens covering every character, in order. */
export function tokenizeRule(text: string): RuleToken[] {
  const tokens: RuleToken[] = [];
  let pos = 0;
  const push = (kind: RuleTokenKind, end: number) => {
    tokens.push({ kind, start: pos, end });
    pos = end;
  };
  while (pos < text.length) {
    const ch = text[pos]!;
    const space = matchAt(SPACE, text, pos);
    if (space) {
      push('space', pos + space.length);
      continue;
    }
    if ('()[],'.includes(ch)) {
      push('punctuation', pos + 1);
      continue;
    }
    if (ch === '"' || ch === "'") {
      push('string', stringEnd(text, pos));
      continue;
    }
    if (ch === '-' || ch === '\u2013') {
      const next = text[pos + 1] ?? '';
      if (ch === '-' && next >= '0' && next <= '9') {
        push('literal', pos + matchAt(NUMBER, text, pos)!.length);
        continue;
      }
      const name = matchAt(OPERATOR_NAME, text, pos + 1);
      if (name) {
        const lower = name.toLowerCase();
        push(LOGICAL.has(lower) ? 'logical' : OPERATORS.has(lower) ? 'operator' : 'text', pos + 1 + name.length);
        continue;
      }
      push('text', pos + 1);
      continue;
    }
    if (ch >= '0' && ch <= '9') {
      push('literal', pos + matchAt(NUMBER, text, pos)!.length);
      continue;
    }
    const word = matchAt(WORD, text, pos);
    if (word) {
      push(wordKind(word), pos + word.length);
      continue;
    }
    push('text', pos + 1);
  }
  return tokens;
}

function wordKind(word: string): RuleTokenKind {
  const lower = word.toLowerCase();
  if (lower === 'system.now') return 'literal';
  if (word.includes('.') || word === '_') return 'property';
  if (LITERAL_WORDS.has(lower)) return 'literal';
  if (LOGICAL.has(lower) || DIRECT_REPORTS.has(lower)) return 'logical';
  if (OPERATORS.has(lower)) return 'operator';
  return 'text';
}

/** Where a quoted string ends: after its closing quote, or at the end of the text when it has none. */
function stringEnd(text: string, start: number): number {
  const quote = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    // "…`"…" escapes a double quote with a backtick; '…''…' doubles a single quote.
    if (quote === '"' && c === '`' && text[i + 1] === '"') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return text.length;
}

export interface ErrorRange {
  readonly position: number;
  readonly end: number;
}

export interface HighlightRun {
  readonly text: string;
  readonly kind: RuleTokenKind;
  /** Inside the error's range. */
  readonly error: boolean;
}

/**
 * The runs of text the editor draws: tokens split where the error's range starts and ends. An error at the
 * end of the text (a missing parenthesis, an empty rule) gets a run of one space, so that it shows.
 */
export function highlightRuns(text: string, error?: ErrorRange): HighlightRun[] {
  const from = error ? Math.max(0, Math.min(error.position, text.length)) : -1;
  const to = error ? Math.min(text.length, Math.max(error.end, error.position + 1)) : -1;
  const runs: HighlightRun[] = [];
  for (const token of tokenizeRule(text)) {
    const cuts = [token.start, token.end];
    for (const c of [from, to]) if (c > token.start && c < token.end) cuts.push(c);
    cuts.sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i]!, cuts[i + 1]!];
      if (a === b) continue;
      runs.push({ text: text.slice(a, b), kind: token.kind, error: error !== undefined && a >= from && b <= to });
    }
  }
  if (error && from >= text.length) runs.push({ text: ' ', kind: 'space', error: true });
  return runs;
}

/** 1-based line and column of an offset, for the error message. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * The range of the first property of the wrong kind (`device.…` in a rule for users), to mark when the rule is
 * valid but does not fit the group's membership type.
 */
export function firstPropertyOf(text: string, subject: 'user' | 'device'): ErrorRange | undefined {
  for (const t of tokenizeRule(text)) {
    if (t.kind === 'property' && text.slice(t.start, t.end).toLowerCase().startsWith(`${subject}.`)) return { position: t.start, end: t.end };
  }
  return undefined;
}
