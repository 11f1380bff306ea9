// Parser and checker fuzz: whatever the text, checkRule / checkFilterRule return a CheckedRule or throw a
// RuleError with a position inside the text, quickly, and never anything else (no crash, no hang, no stack
// overflow). What checks also compiles to JS and SQL and evaluates without throwing.
// A longer hunt: TARMAC_RULES_FUZZ_RUNS=100000 npx vitest run test/rules/fuzz.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RuleError,
  checkFilterRule,
  checkRule,
  compileFilterRuleJs,
  compileRuleJs,
  compileRuleSql,
  explainRule,
  type CheckedRule,
} from '../../src/rules/index.js';
import { ruleFor } from './differential-arbitraries.js';

const RUNS = Number(process.env.TARMAC_RULES_FUZZ_RUNS ?? 3000);
/** Per input, parse + check + compile + evaluate; generous, to stay clear of noisy CI machines. */
const BUDGET_MS = 250;
const clock = { now: () => Date.parse('2024-07-01T00:00:00Z') };

const subjects = [
  {},
  { department: 'Sales', displayName: 'a'.repeat(1024), otherMails: ['x@y', 'A'.repeat(500)], accountEnabled: true, memberOf: ['x'], manager: 'm' },
  { deviceOSType: 'Windows', devicePhysicalIds: ['[ZTDId]:1', '[OrderID]:x'.repeat(50)], deviceModel: `${'ab'.repeat(400)}!` },
];

/** Runs one input through everything; returns what happened. */
function exercise(text: string, check: (text: string) => CheckedRule): 'ok' | 'error' {
  const started = performance.now();
  let outcome: 'ok' | 'error';
  try {
    const rule = check(text);
    if (rule.language === 'membership') {
      const predicate = compileRuleJs(rule, { clock });
      for (const subject of subjects) {
        predicate(subject);
        explainRule(rule, subject, { clock });
      }
      compileRuleSql(rule, 'sqlite', { clock });
      compileRuleSql(rule, 'postgres', { clock, alias: 'u' });
    } else {
      const predicate = compileFilterRuleJs(rule);
      for (const subject of subjects) predicate(subject);
    }
    outcome = 'ok';
  } catch (err) {
    if (!(err instanceof RuleError)) throw new Error(`${text}: threw ${(err as Error)?.stack ?? String(err)}`);
    expect(err.status).toBe(400);
    expect(err.position, text).toBeGreaterThanOrEqual(0);
    expect(err.position, text).toBeLessThanOrEqual(text.length);
    expect(err.end, text).toBeGreaterThanOrEqual(err.position);
    expect(err.end, text).toBeLessThanOrEqual(Math.max(text.length, err.position + 1));
    expect(err.message).toContain(`position ${err.position}`);
    outcome = 'error';
  }
  expect(performance.now() - started, text).toBeLessThan(BUDGET_MS);
  return outcome;
}

const membership = (text: string) => checkRule(text);
const userGroup = (text: string) => checkRule(text, { kind: 'user' });
const filter = (text: string) => checkFilterRule(text);

// Pieces of real rules, so that random sequences get deep into the parser and checker.
const FRAGMENTS = [
  'user.department',
  'user.DEPARTMENT',
  'device.deviceOSType',
  'device.devicePhysicalIds',
  'user.otherMails',
  'user.assignedPlans',
  'user.memberOf',
  'device.memberof',
  'user.employeeHireDate',
  'user.accountEnabled',
  'user.extensionAttribute7',
  'user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber',
  'device.model',
  'device.operatingSystemVersion',
  'app.appVersion',
  'user',
  'user.',
  '_',
  'assignedPlan.servicePlanId',
  'assignedPlan.nope',
  'group.objectId',
  'group.displayName',
  '-eq',
  'eq',
  '-NE',
  '–ne',
  '-startsWith',
  '-notStartsWith',
  '-endsWith',
  '-contains',
  '-notContains',
  '-match',
  '-notMatch',
  '-in',
  '-notIn',
  '-le',
  '-ge',
  '-gt',
  '-lt',
  '-any',
  '-all',
  'any',
  '-and',
  'and',
  '-or',
  'OR',
  '-not',
  'not',
  '-plus',
  '-minus',
  '(',
  ')',
  '(',
  ')',
  '[',
  ']',
  ',',
  '"Sales"',
  "'Sales'",
  '""',
  '"`"x`""',
  "'it''s'",
  '"unterminated',
  'null',
  '$null',
  'true',
  'False',
  'Contoso',
  '42',
  '-1.5',
  '10.0.22631.3235',
  '2020-06-10T18:13:20Z',
  '2020-13-45',
  'system.now',
  'p1d',
  'PT',
  'Direct',
  'Reports',
  'for',
  '"62e19b97-8b3d-4d4a-a106-4ce66896a863"',
  "['11111111-2222-3333-4444-555555555555']",
  '["a","b"]',
  '"^(a+)+$"',
  '"*@x"',
  '"(?<=a)b"',
  '"\\\\1"',
  '"[a-z]{1,1000}"',
  '"(a{1000}){1000}"',
  '“smart”',
  '\n',
  '\t',
  '\u00a0',
  '.',
  '-',
  '$',
  '\\',
  '`',
];

const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).chain((parts) =>
  fc.array(fc.constantFrom(' ', '', '  ', '\n'), { minLength: parts.length, maxLength: parts.length }).map((gaps) =>
    parts.map((part, i) => part + gaps[i]).join(''),
  ),
);

/** A generated valid rule with characters deleted, duplicated or replaced by fragments. */
const mutated = fc
  .tuple(
    fc.oneof(ruleFor('user'), ruleFor('device')),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'duplicate', 'insert'), fc.constantFrom(...FRAGMENTS)), { maxLength: 3 }),
  )
  .map(([rule, edits]) => {
    let text = rule;
    for (const [at, edit, fragment] of edits) {
      const i = text.length ? at % text.length : 0;
      if (edit === 'delete') text = text.slice(0, i) + text.slice(i + 1);
      else if (edit === 'duplicate') text = text.slice(0, i + 1) + text.slice(i);
      else text = `${text.slice(0, i)} ${fragment} ${text.slice(i)}`;
    }
    return text;
  });

const REGEX_CHARS = ['a', 'b', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\', 'd', 'w', 's', 'b', 'B', '1', '2', ',', '-', '<', '>', '=', '!', ':', '#', 'k', 'p', 'P', 'x', 'u', '0', 'Z', 'z', 'A', 'G', "'", ' ', 'é', 'i', 'm', 'n'];
const regexRule = fc
  .array(fc.constantFrom(...REGEX_CHARS), { maxLength: 40 })
  .map((chars) => `user.displayName -match "${chars.join('')}"`);

describe('rule parser and checker fuzz', () => {
  it('any text: a rule or a positioned RuleError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        exercise(text, membership);
        exercise(text, filter);
      }),
      { numRuns: RUNS },
    );
  });

  it('fragments of real rules, in any order', () => {
    fc.assert(
      fc.property(soup, fc.boolean(), (text, asUser) => {
        exercise(text, asUser ? userGroup : membership);
        exercise(text, filter);
      }),
      { numRuns: RUNS },
    );
  });

  it('valid rules with a few characters changed', () => {
    let ok = 0;
    let refused = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        if (exercise(text, membership) === 'ok') ok++;
        else refused++;
      }),
      { numRuns: RUNS },
    );
    expect(ok).toBeGreaterThan(RUNS / 20);
    expect(refused).toBeGreaterThan(RUNS / 20);
  });

  it('regular expressions of every shape', () => {
    let ok = 0;
    fc.assert(
      fc.property(regexRule, (text) => {
        if (exercise(text, membership) === 'ok') ok++;
      }),
      { numRuns: RUNS },
    );
    expect(ok).toBeGreaterThan(RUNS / 20);
  });

  it.each([
    ['deep parentheses', `${'('.repeat(5000)}user.city -eq "a"${')'.repeat(5000)}`],
    ['a long -not chain', `${'-not '.repeat(3000)}user.city -eq "a"`],
    ['deep regex groups', `user.city -match "${'('.repeat(1400)}a${')'.repeat(1400)}"`],
    ['a long -or chain', Array.from({ length: 150 }, (_, i) => `user.city -eq "${i}"`).join(' -or ').slice(0, 3072)],
    ['a rule of 3,073 characters', `user.city -eq "${'a'.repeat(3056)}"`],
    ['only whitespace', ' \n\t '],
    ['empty', ''],
    ['nested lists', 'user.city -in [[["a"]]]'],
    ['a long list', `user.city -in [${Array.from({ length: 500 }, (_, i) => `"${i}"`).join(',')}]`.slice(0, 3072)],
  ])('%s', (_name, text) => {
    exercise(text, membership);
    exercise(text, filter);
  });

  it('refuses nesting beyond the limit with a position, not a stack overflow', () => {
    const text = `${'('.repeat(200)}user.city -eq "a"${')'.repeat(200)}`;
    expect(() => checkRule(text)).toThrow(/nested too deeply/);
  });
});
