// Differential tests: for generated rules and generated users and devices, the compiled JS predicate, the
// tree-walking interpreter, SQLite and PostgreSQL (when TARMAC_TEST_DATABASE_URL is set, in a schema created
// and dropped here) select exactly the same ids. Rules with -match compile to a SQL prefilter that must keep
// every member; the JS predicate then decides, and the final results must agree.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type RuleSubject,
} from '../../src/rules/index.js';
import { GROUPS, MANAGERS, NOW, devices, ruleFor, users } from './differential-arbitraries.js';
import { OTHER_TENANT, openBackends, storeSubject, type RuleBackend, type StoredLink, type StoredObject } from './sql-backends.js';

const clock = { now: () => NOW };
const RUNS = Number(process.env.TARMAC_RULES_DIFF_RUNS ?? 150);

describe('rule back ends agree: JS, interpreter, SQLite and PostgreSQL', () => {
  let backends: RuleBackend[] = [];
  beforeAll(async () => {
    backends = await openBackends();
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
  });

  /** Stores the subjects; returns them as read back from storage (what the JS side evaluates). */
  function store(kind: ObjectKind, subjects: readonly RuleSubject[]) {
    const objects: StoredObject[] = [];
    const links: StoredLink[] = [];
    const readBack: { id: string; subject: RuleSubject }[] = [];
    for (const subject of subjects) {
      const id = subject.objectId as string;
      const stored = storeSubject(kind, id, subject);
      objects.push(stored.object);
      links.push(...stored.links);
      // The other tenant holds the same ids with every link, so a subquery that ignores the tenant shows.
      for (const group of GROUPS) links.push({ tenant: OTHER_TENANT, source: group, rel: 'members', target: id, targetKind: kind });
      if (kind === 'user') links.push({ tenant: OTHER_TENANT, source: id, rel: 'manager', target: MANAGERS[0]!, targetKind: 'user' });
      const memberOf = stored.links.filter((l) => l.rel === 'members').map((l) => l.source);
      const manager = stored.links.find((l) => l.rel === 'manager')?.target ?? null;
      readBack.push({ id, subject: subjectFromGraph(kind, { id, ...stored.object.data }, { memberOf, managerId: manager }) });
    }
    return { objects, links, readBack };
  }

  async function agree(kind: ObjectKind, subjects: readonly RuleSubject[], texts: readonly string[], aliased: boolean) {
    const { objects, links, readBack } = store(kind, subjects);
    await Promise.all(backends.map((b) => b.load(kind, objects, links, true)));
    for (const text of texts) {
      let rule;
      try {
        rule = checkRule(text, { kind });
      } catch (err) {
        if (err instanceof RuleError && err.detail === RuleDetail.tooLong) continue;
        throw new Error(`generated rule refused: ${text}\n${(err as Error).message}`);
      }
      const predicate = compileRuleJs(rule, { clock });
      const expected = readBack.filter((o) => predicate(o.subject)).map((o) => o.id).sort();
      const interpreted = readBack.filter((o) => evaluateRule(rule, o.subject, { clock })).map((o) => o.id).sort();
      expect(interpreted, `interpreter: ${text}`).toEqual(expected);
      const explained = readBack.filter((o) => explainRule(rule, o.subject, { clock }).expressionResult).map((o) => o.id).sort();
      expect(explained, `explanation: ${text}`).toEqual(expected);
      for (const backend of backends) {
        const alias = aliased ? 'u' : undefined;
        const selected = await backend.ids(kind, compileRuleSql(rule, backend.dialect, { alias, clock }), alias);
        if (rule.needsJsFilter) {
          // A prefilter keeps every member; the predicate decides on the rows it read.
          expect(expected.filter((id) => !selected.includes(id)), `${backend.dialect} prefilter dropped members: ${text}`).toEqual([]);
          const rows = await backend.rows(kind, selected);
          const byId = new Map(readBack.map((o) => [o.id, o.subject]));
          const final = rows
            .filter((row) => predicate(subjectFromGraph(kind, { id: row.id, ...row.data }, { memberOf: byId.get(row.id)!.memberOf as string[] })))
            .map((row) => row.id)
            .sort();
          expect(final, `${backend.dialect}: ${text}`).toEqual(expected);
        } else {
          expect(selected, `${backend.dialect}: ${text}`).toEqual(expected);
        }
      }
    }
  }

  it('user rules select the same users', async () => {
    await fc.assert(
      fc.asyncProperty(users, fc.array(ruleFor('user'), { minLength: 1, maxLength: 5 }), fc.boolean(), (subjects, texts, aliased) =>
        agree('user', subjects, texts, aliased),
      ),
      { numRuns: RUNS },
    );
  });

  it('device rules select the same devices', async () => {
    await fc.assert(
      fc.asyncProperty(devices, fc.array(ruleFor('device'), { minLength: 1, maxLength: 5 }), fc.boolean(), (subjects, texts, aliased) =>
        agree('device', subjects, texts, aliased),
      ),
      { numRuns: RUNS },
    );
  });
});
