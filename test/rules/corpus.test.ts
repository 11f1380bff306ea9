// The rule corpus (fixtures/rule-corpus.json, from the research notes on Entra's rule language): every valid
// rule checks and evaluates to the expected result in JS, in the interpreter, in the explanation, and in SQL
// (SQLite, and PostgreSQL when TARMAC_TEST_DATABASE_URL is set); every invalid rule is a positioned RuleError.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import {
  RuleDetail,
  RuleError,
  checkRule,
  compileRuleJs,
  compileRuleSql,
  evaluateRule,
  explainRule,
  subjectFromGraph,
  type ObjectKind,
} from '../../src/rules/index.js';
import { openBackends, storeSubject, type RuleBackend } from './sql-backends.js';

interface CorpusCase {
  readonly rule: string;
  readonly kind: ObjectKind;
  readonly valid: boolean;
  readonly object: Record<string, unknown>;
  readonly expected: boolean | null;
  readonly note: string;
  readonly confidence: string;
}

const corpus = JSON.parse(readFileSync(new URL('./fixtures/rule-corpus.json', import.meta.url), 'utf8')) as CorpusCase[];

/**
 * Cases where Tarmac decided against the corpus's inference, with the reason (also in docs/compatibility.md).
 * Keyed by the index in the corpus. None at present: every case passes as written.
 */
const DECIDED_AGAINST: Readonly<Record<number, string>> = {};

/** The detail (Entra's wording) each invalid case must carry. */
const EXPECTED_DETAIL: Readonly<Record<string, string>> = {
  'user.department -eq ["Sales","Marketing"]': RuleDetail.invalidOperands,
  '(user.userPrincipalName -match "*@domain.ext")': RuleDetail.compilationError,
  'user.mail -not null': RuleDetail.invalidOperands,
  '(user.invalidProperty -eq "Value")': RuleDetail.attributeNotSupported,
  '(user.department -eq "Sales") (user.department -eq "Marketing")': RuleDetail.compilationError,
  '(accountEnabled -eq true) and (user.userType -eq "Member")': RuleDetail.noObjectType,
  '(user.companyName -startsWith Contoso)': RuleDetail.noObjectType,
  '(user.department -eq "Sales"': RuleDetail.compilationError,
  'user.department -eq "Sales': RuleDetail.compilationError,
  'user.department -eq "Sales" -and': RuleDetail.compilationError,
  'user.department -eq "Sales" -and device.deviceOSType -eq "Windows"': RuleDetail.invalidObjectType,
  'device.deviceOSType -any (_ -eq "Windows")': RuleDetail.invalidOperands,
};

const clockOf = (object: Record<string, unknown>): Clock | undefined =>
  typeof object.$now === 'string' ? { now: () => Date.parse(object.$now as string) } : undefined;

const subjectOf = (object: Record<string, unknown>) => {
  const { $now: _now, ...subject } = object;
  return subject;
};

const label = (c: CorpusCase, i: number) => `#${i} ${c.kind} ${c.rule.length > 90 ? `${c.rule.slice(0, 90)}…` : c.rule}`;

describe('rule corpus', () => {
  const cases = corpus.map((c, i) => [label(c, i), c, i] as const);

  it('has the cases the research notes describe', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    expect(corpus.some((c) => c.rule.length === 3072)).toBe(true);
  });

  it.each(cases.filter(([, c, i]) => c.valid && !(i in DECIDED_AGAINST)))('valid %s', (_label, c) => {
    const rule = checkRule(c.rule, { kind: c.kind });
    expect(rule.kind).toBe(c.kind);
    const clock = clockOf(c.object);
    const subject = subjectOf(c.object);
    expect(compileRuleJs(rule, { clock })(subject), 'compiled JS').toBe(c.expected);
    expect(evaluateRule(rule, subject, { clock }), 'interpreter').toBe(c.expected);
    expect(explainRule(rule, subject, { clock }).expressionResult, 'explanation').toBe(c.expected);
  });

  it.each(cases.filter(([, c, i]) => !c.valid && !(i in DECIDED_AGAINST)))('invalid %s', (_label, c) => {
    let error: unknown;
    try {
      checkRule(c.rule, { kind: c.kind });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuleError);
    const e = error as RuleError;
    expect(e.status).toBe(400);
    expect(['Request_BadRequest', 'InvalidObjectTypeException']).toContain(e.code);
    expect(e.position).toBeGreaterThanOrEqual(0);
    expect(e.position).toBeLessThanOrEqual(c.rule.length);
    expect(e.end).toBeGreaterThanOrEqual(e.position);
    expect(e.message).toContain(`position ${e.position}`);
    expect(e.message).toContain(e.detail);
    const detail = EXPECTED_DETAIL[c.rule];
    if (detail) expect(e.detail).toBe(detail);
  });

  it('lists every case decided against with a reason', () => {
    for (const [index, reason] of Object.entries(DECIDED_AGAINST)) {
      expect(corpus[Number(index)], `case ${index}`).toBeDefined();
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});

describe('rule corpus in SQL', () => {
  let backends: RuleBackend[] = [];
  beforeAll(async () => {
    backends = await openBackends();
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
  });

  const valid = corpus.map((c, i) => [label(c, i), c, i] as const).filter(([, c, i]) => c.valid && !(i in DECIDED_AGAINST));

  it.each(valid)('%s', async (_label, c) => {
    const rule = checkRule(c.rule, { kind: c.kind });
    const clock = clockOf(c.object);
    const subject = subjectOf(c.object);
    const id = typeof subject.objectId === 'string' ? subject.objectId : '0f0e0d0c-0000-4000-8000-000000000001';
    const stored = storeSubject(c.kind, id, { ...subject, objectId: id });
    // A second object with nothing set, which no positive rule selects.
    const empty = storeSubject(c.kind, '0f0e0d0c-0000-4000-8000-000000000002', { objectId: '0f0e0d0c-0000-4000-8000-000000000002' });
    const predicate = compileRuleJs(rule, { clock });
    for (const backend of backends) {
      await backend.load(c.kind, [stored.object, empty.object], [...stored.links, ...empty.links]);
      for (const alias of [undefined, 'candidate']) {
        let ids = await backend.ids(c.kind, compileRuleSql(rule, backend.dialect, { alias, clock }), alias);
        if (rule.needsJsFilter) {
          const rows = await backend.rows(c.kind, ids);
          ids = rows.filter((row) => predicate(subjectFromGraph(c.kind, { id: row.id, ...row.data }))).map((row) => row.id);
        }
        expect(ids.includes(id), `${backend.dialect}${alias ? ' (aliased)' : ''}`).toBe(c.expected);
        const expectEmpty = predicate(subjectFromGraph(c.kind, { id: empty.object.id, ...empty.object.data }));
        expect(ids.includes(empty.object.id), `${backend.dialect}: the empty object`).toBe(expectEmpty);
      }
    }
  });
});
