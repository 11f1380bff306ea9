// The directory screens' pure rules (web/src/pages/directory/): the rule editor's highlighting (every character
// covered, the error's range marked, never a failure on half-typed text) and the form checks, held against the
// server's own rules where the server has them (password complexity, the rule lexer's tokens).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meetsComplexity } from '../../src/core/password.js';
import { tokenize } from '../../src/rules/lexer.js';
import { firstPropertyOf, highlightRuns, lineAndColumn, tokenizeRule, type RuleTokenKind } from '../../web/src/pages/directory/rule-syntax.js';
import {
  generatePassword,
  groupMailNickname,
  groupTypeLabel,
  kindOf,
  mailNicknameProblem,
  membershipTypeLabel,
  passwordProblem,
  ruleSubject,
  userNameProblem,
} from '../../web/src/pages/directory/objects.js';

const kinds = (text: string) => tokenizeRule(text).filter((t) => t.kind !== 'space').map((t) => [t.kind, text.slice(t.start, t.end)] as [RuleTokenKind, string]);

describe('rule highlighting', () => {
  it('colours operators, properties, strings and values', () => {
    expect(kinds('(device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")) -and -not (device.accountEnabled -eq true)')).toEqual([
      ['punctuation', '('],
      ['property', 'device.devicePhysicalIds'],
      ['logical', '-any'],
      ['punctuation', '('],
      ['property', '_'],
      ['operator', '-startsWith'],
      ['string', '"[ZTDId]"'],
      ['punctuation', ')'],
      ['punctuation', ')'],
      ['logical', '-and'],
      ['logical', '-not'],
      ['punctuation', '('],
      ['property', 'device.accountEnabled'],
      ['operator', '-eq'],
      ['literal', 'true'],
      ['punctuation', ')'],
    ]);
    // Without the dash, any letter case, single quotes with a doubled quote, lists, system.now, Direct Reports.
    expect(kinds("user.city eq 'O''Hara' or user.jobTitle -In ['a', \"b`\"c\"]")).toEqual([
      ['property', 'user.city'],
      ['operator', 'eq'],
      ['string', "'O''Hara'"],
      ['logical', 'or'],
      ['property', 'user.jobTitle'],
      ['operator', '-In'],
      ['punctuation', '['],
      ['string', "'a'"],
      ['punctuation', ','],
      ['string', '"b`"c"'],
      ['punctuation', ']'],
    ]);
    expect(kinds('user.employeeHireDate -ge system.now -plus p1d')).toEqual([
      ['property', 'user.employeeHireDate'],
      ['operator', '-ge'],
      ['literal', 'system.now'],
      ['operator', '-plus'],
      ['text', 'p1d'],
    ]);
    expect(kinds('Direct Reports for "6a1b"').map((k) => k[0])).toEqual(['logical', 'logical', 'logical', 'string']);
  });

  it('covers every character of any text, in order, and agrees with the server lexer on what it accepts', () => {
    const pieces = fc.constantFrom('(', ')', ' ', '-and', 'or', '-eq', '"x y"', "'q''q'", 'user.city', 'device.', '_', '-', '–any', '"open', '[', ',', '12', 'true', '$null', '\n', 'é', '`"');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.string({ maxLength: 5 }), (parts, noise) => {
        const text = parts.join('') + noise;
        const tokens = tokenizeRule(text);
        let pos = 0;
        for (const t of tokens) {
          expect(t.start).toBe(pos);
          expect(t.end).toBeGreaterThan(t.start);
          pos = t.end;
        }
        expect(pos).toBe(text.length);
        // Where the server's lexer reads the text, its strings and operators are ours too.
        let server: ReturnType<typeof tokenize>;
        try {
          server = tokenize(text);
        } catch {
          return;
        }
        const ours = new Set(tokens.filter((t) => t.kind === 'string').map((t) => `${t.start}:${t.end}`));
        for (const s of server.filter((s) => s.kind === 'string')) expect(ours.has(`${s.pos}:${s.end}`)).toBe(true);
      }),
    );
  });

  it("marks the error's range, and an error at the end with one space", () => {
    const rule = '(user.department -eq "Sales") -and (user.citty -eq "Oslo")';
    const runs = highlightRuns(rule, { position: 36, end: 46 });
    expect(runs.map((r) => r.text).join('')).toBe(rule);
    expect(runs.filter((r) => r.error).map((r) => r.text)).toEqual(['user.citty']);
    // A range that cuts a token: the token is split, keeping its colour.
    const cut = highlightRuns('user.department -eq "Sales"', { position: 21, end: 24 });
    expect(cut.filter((r) => r.error)).toEqual([{ text: 'Sal', kind: 'string', error: true }]);
    const open = '(user.city -eq "Oslo"';
    expect(highlightRuns(open, { position: open.length, end: open.length }).at(-1)).toEqual({ text: ' ', kind: 'space', error: true });
    expect(highlightRuns('', { position: 0, end: 0 })).toEqual([{ text: ' ', kind: 'space', error: true }]);
    expect(highlightRuns(rule).some((r) => r.error)).toBe(false);
  });

  it('gives lines and columns, and the property of the wrong kind', () => {
    expect(lineAndColumn('a\nbc -eq', 5)).toEqual({ line: 2, column: 4 });
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(firstPropertyOf('(user.department -eq "x") -and (user.city -eq "y")', 'user')).toEqual({ position: 1, end: 16 });
    expect(firstPropertyOf('(device.model -eq "x")', 'user')).toBeUndefined();
  });
});

describe('form checks', () => {
  it("checks passwords as Entra does, and generates ones it accepts", () => {
    for (const pw of ['', 'short', 'alllowercase', 'ALLUPPER123', 'Abcdefg1', 'abc!defg1', 'Tarmac-Demo-2026!', 'a'.repeat(257), 'Åbcdefg1']) {
      expect(passwordProblem(pw) === undefined, pw).toBe(meetsComplexity(pw));
    }
    fc.assert(fc.property(fc.integer(), (seed) => {
      let s = seed;
      const random = (n: number) => {
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        return s % n;
      };
      const pw = generatePassword(random);
      expect(meetsComplexity(pw)).toBe(true);
      expect(pw).toHaveLength(16);
    }));
  });

  it('checks user names and mail nicknames', () => {
    expect(userNameProblem('AdeleV')).toBeUndefined();
    expect(userNameProblem("o'brien.j-k")).toBeUndefined();
    expect(userNameProblem('')).toBe('Enter a user name.');
    expect(userNameProblem('a@b.com')).toMatch(/without the domain/);
    expect(userNameProblem('a b')).toMatch(/can contain only/);
    expect(userNameProblem('.a')).toMatch(/period/);
    expect(userNameProblem('a..b')).toMatch(/period/);
    expect(userNameProblem('x'.repeat(65))).toMatch(/64/);
    expect(mailNicknameProblem('dp-devices')).toBeUndefined();
    expect(mailNicknameProblem('dp devices')).toMatch(/can contain only/);
    expect(groupMailNickname('Autopilot device preparation devices', '0a1b2')).toBe('Autopilotdevicepreparationdevices-0a1b2');
    expect(groupMailNickname('Ünïcode ✓', '0a1b2')).toBe('Unicode-0a1b2');
    expect(groupMailNickname('✓✓', '0a1b2')).toBe('group-0a1b2');
    expect(groupMailNickname('x'.repeat(100), '0a1b2')).toHaveLength(64);
  });

  it('names group and membership types as the portal does', () => {
    expect(groupTypeLabel({ groupTypes: [], securityEnabled: true, mailEnabled: false })).toBe('Security');
    expect(groupTypeLabel({ groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true })).toBe('Microsoft 365');
    expect(membershipTypeLabel({ groupTypes: [] })).toBe('Assigned');
    expect(membershipTypeLabel({ groupTypes: ['DynamicMembership'], membershipRule: '(device.devicePhysicalIDs -any (_ -contains "[ZTDID]"))' })).toBe('Dynamic Device');
    expect(membershipTypeLabel({ groupTypes: ['dynamicmembership'], membershipRule: 'user.department -eq "device.x"' })).toBe('Dynamic User');
    expect(ruleSubject('Direct Reports for "6a1b"')).toBe('user');
    expect(ruleSubject('')).toBeUndefined();
    expect(kindOf({ id: 'x', '@odata.type': '#microsoft.graph.servicePrincipal' })).toBe('servicePrincipal');
    expect(kindOf({ id: 'x' }, 'group')).toBe('group');
  });
});
