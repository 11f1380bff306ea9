// `tarmac rules check` / `tarmac rules eval` through the real CLI (dist/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/process.js';

const tarmac = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'tarmac-cli-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

describe('tarmac rules check', () => {
  it('accepts the tutorial rules (exit 0)', () => {
    const r = tarmac('rules', 'check', '(device.devicePhysicalIds -any (_ -eq "[OrderID]:Sales"))');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/valid device rule/);
  });

  it('points at the problem (exit 1)', () => {
    const r = tarmac('rules', 'check', 'user.accountEnabled -contains true');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Operator isn't supported on attribute/);
    const [, ruleLine, caretLine] = r.out.trimEnd().split('\n');
    expect(ruleLine).toBe('  user.accountEnabled -contains true');
    expect(caretLine!.indexOf('^')).toBe(ruleLine!.indexOf('-contains'));
  });

  it('prints JSON with --json', () => {
    const r = tarmac('rules', 'check', 'user.department -eq', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ valid: false, position: expect.any(Number) });
  });
});

describe('tarmac rules eval', () => {
  it('explains a match and a miss with the actual values', () => {
    const rule = '(device.devicePhysicalIds -any (_ -contains "[ZTDId]")) -and (device.deviceModel -startsWith "Surface")';
    const hit = tarmac('rules', 'eval', rule, '--object', file('hit.json', { devicePhysicalIds: ['[ZTDId]:abc'], deviceModel: 'Surface Laptop 6' }));
    expect(hit.code).toBe(0);
    expect(hit.out.split('\n')[0]).toMatch(/match/);
    const miss = tarmac('rules', 'eval', rule, '--object', file('miss.json', { physicalIds: [], model: 'Surface Pro' }), '--graph', '--json');
    expect(miss.code).toBe(1);
    const body = JSON.parse(miss.out);
    expect(body.match).toBe(false);
    expect(body.explanation.expressionEvaluationDetails[0]).toMatchObject({ expressionResult: false, decisive: true });
  });

  it('reports an unreadable object file (exit 2)', () => {
    expect(tarmac('rules', 'eval', 'user.city -eq "x"', '--object', join(dir, 'missing.json')).code).toBe(2);
  });
});
