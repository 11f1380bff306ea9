// The -match engine: .NET-like syntax, case-insensitive unanchored search, refusals with positions, agreement
// with JavaScript's backtracking engine on the common subset, and linear time on patterns that make
// backtracking engines explode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REGEX_PROGRAM, RegexSyntaxError, RuleDetail, RuleError, checkRule, compileRegex } from '../../src/rules/index.js';

const matches = (pattern: string, input: string) => compileRegex(pattern).test(input);

function refusal(pattern: string): RegexSyntaxError {
  try {
    compileRegex(pattern);
  } catch (err) {
    expect(err).toBeInstanceOf(RegexSyntaxError);
    return err as RegexSyntaxError;
  }
  throw new Error(`expected ${pattern} to be refused`);
}

describe('regex: documented and reported behaviour', () => {
  it.each([
    ['^Da.*', 'Da', true],
    ['^Da.*', 'Dav', true],
    ['^Da.*', 'David', true],
    ['^Da.*', 'aDa', false],
    ['.*vid', 'David', true],
    ['.*vid', 'Da', false],
    ['.*on', 'Boston Heights', true], // unanchored: behaves like contains "on" (azure-docs #63734)
    ['@domain.ext$', 'bob@DOMAIN.EXT', true],
    ['\\Aa\\d{3}.*', 'A123 building', true], // \A works (azure-docs #50859)
    ['\\Aa\\d{3}.*', 'xa123', false],
    ['^sales$', 'SALES', true],
  ])('%s on %s is %s', (pattern, input, expected) => {
    expect(matches(pattern, input)).toBe(expected);
  });

  it('follows .NET where it differs from JavaScript', () => {
    expect(matches('abc$', 'abc\n')).toBe(true); // $ also matches before a final newline
    expect(matches('abc\\Z', 'abc\n')).toBe(true);
    expect(matches('abc\\z', 'abc\n')).toBe(false);
    expect(matches('a.b', 'a\rb')).toBe(true); // . excludes only \n
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('(?m)^b', 'a\nb')).toBe(true);
    expect(matches('^b', 'a\nb')).toBe(false);
    expect(matches('^\\w+$', 'Straße')).toBe(true); // \w is Unicode
    expect(matches('^\\d$', '٣')).toBe(true); // Arabic-Indic digit three
    expect(matches('\\p{Lu}', 'É')).toBe(true);
    expect(matches('^\\P{L}+$', '123')).toBe(true);
    expect(matches('é', 'CAFÉ')).toBe(true); // regex case folding is Unicode, unlike -eq
    expect(matches('[a-z]', 'Q')).toBe(true);
    expect(matches('[^a-z]', 'Q')).toBe(false);
    expect(matches('a{', 'a{')).toBe(true); // a { that starts no quantifier is a literal
    expect(matches('(?i)x', 'X')).toBe(true);
    expect(matches('(?<word>ab)+', 'abab')).toBe(true);
    expect(matches("(?'word'ab)c", 'abc')).toBe(true);
    expect(matches('a(?#comment)b', 'ab')).toBe(true);
    expect(matches('\\x41\\u0042\\t', 'ab\t')).toBe(true);
    expect(matches('\\bone\\b', 'some one here')).toBe(true);
    expect(matches('\\bone\\b', 'someone')).toBe(false);
    expect(matches('x*?', '')).toBe(true);
  });

  it.each([
    ['*@domain.ext', "Quantifier '*' following nothing", 0],
    ['a**', 'Nested quantifier', 2],
    ['a{3,2}', 'x > y', 1],
    ['[z-a]', 'reverse order', 1],
    ['(a', "Not enough )'s", 0],
    ['a)', "Too many )'s", 1],
    ['[a', 'Unterminated [] set', 0],
    ['\\q', 'Unrecognized escape sequence', 0],
    ['a\\', 'Illegal \\ at end of pattern', 1],
    ['(a)\\1', 'Backreferences', 3],
    ['(?<n>a)\\k<n>', 'Backreferences', 7],
    ['(?=a)', 'Lookahead and lookbehind', 0],
    ['x(?<!a)', 'Lookahead and lookbehind', 1],
    ['(?>a)', 'Atomic groups', 0],
    ['(?(a)b|c)', 'Conditional', 0],
    ['[a-z-[aeiou]]', 'subtraction', 4],
    ['(?x)a b', '(?x)', 0],
    ['(?-i)a', '(?-i)', 0],
    ['a{1001}', 'above 1000', 1],
    ['\\p{IsGreek}', 'Unicode category', 0],
    ['[\\d-z]', "can't start or end with a class", 1],
  ])('refuses %s (%s) at %i', (pattern, message, index) => {
    const err = refusal(pattern);
    expect(err.message).toContain(message);
    expect(err.index).toBe(index);
  });

  it('refuses programs that would be too large, before building them', () => {
    const err = refusal('(a{1000}){1000}');
    expect(err.message).toContain(`limit is ${MAX_REGEX_PROGRAM}`);
    expect(() => compileRegex('[0-9]{3,1000}')).not.toThrow();
  });

  it('reports an invalid pattern in a rule at its position, as a Query compilation error', () => {
    try {
      checkRule('user.userPrincipalName -match "ab(c"');
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleError);
      expect((err as RuleError).detail).toBe(RuleDetail.compilationError);
      expect((err as RuleError).position).toBe(33);
      expect((err as RuleError).message).toContain("Not enough )'s");
    }
  });
});

describe('regex: linear time', () => {
  const evil: [string, string][] = [
    ['(a+)+$', `${'a'.repeat(5000)}!`],
    ['(a|a)*b', 'a'.repeat(5000)],
    ['(a*)*b', 'a'.repeat(5000)],
    ['^(\\w+\\s?)*$', `${'word '.repeat(1000)}!`],
    ['(x+x+)+y', 'x'.repeat(5000)],
    ['(.*a){20}', 'a'.repeat(3000)],
    ['^(a|aa|aaa)*$', `${'a'.repeat(4000)}b`],
    ['(\\d+)*[a-z]{0,40}\\d{1,100}!', '1'.repeat(2000)],
  ];
  it.each(evil)('%s on a long input takes milliseconds', (pattern, input) => {
    const regex = compileRegex(pattern);
    const started = performance.now();
    regex.test(input);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('a rule with a hostile pattern and a hostile value evaluates quickly', () => {
    const rule = checkRule('user.displayName -match "^(a+)+$"');
    expect(rule.needsJsFilter).toBe(true);
  });
});

describe('regex: agrees with JavaScript on the common subset (ASCII, no newlines)', () => {
  const atom = fc.constantFrom('a', 'b', 'A', 'B', '1', '_', '-', ' ', 'x', '.', '\\d', '\\w', '\\s', '\\D', '\\W', '[ab]', '[^a]', '[a-c]', '[A-Z]', '[\\d_]', '\\.', '\\-', '\\b', '\\B');
  const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{0,2}', '{1,}', '*?', '+?', '??');
  // Groups get bounded quantifiers only: nested unbounded ones send JavaScript's backtracking engine (the
  // oracle here) into exponential time, which is the very thing Tarmac's engine avoids.
  const groupQuantifier = fc.constantFrom('', '', '?', '{2}', '{0,2}', '??');
  const { alternation } = fc.letrec<{ alternation: string; item: string }>((tie) => ({
    item: fc.oneof(
      { depthSize: 'small' },
      { weight: 4, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => (a === '\\b' || a === '\\B' ? a : a + q)) },
      { weight: 1, arbitrary: fc.tuple(tie('alternation'), fc.constantFrom('(', '(?:'), groupQuantifier).map(([inner, open, q]) => `${open}${inner})${q}`) },
    ),
    alternation: fc
      .array(fc.array(tie('item'), { maxLength: 4 }).map((items) => items.join('')), { minLength: 1, maxLength: 3 })
      .map((options) => options.join('|')),
  }));
  const pattern = fc.tuple(fc.constantFrom('', '^'), alternation, fc.constantFrom('', '$')).map(([a, b, c]) => `${a}${b}${c}`);
  const input = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', '1', '_', ' ', '-', '.', 'x', 'c'), maxLength: 12 });

  it('gives the same answers', () => {
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 6 }), (p, inputs) => {
        const ours = compileRegex(p);
        const theirs = new RegExp(p, 'i');
        for (const s of inputs) expect(ours.test(s), `${p} on ${JSON.stringify(s)}`).toBe(theirs.test(s));
      }),
      { numRuns: Number(process.env.TARMAC_REGEX_RUNS ?? 3000) },
    );
  });
});
