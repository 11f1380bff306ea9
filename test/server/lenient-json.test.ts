import { describe, expect, it } from 'vitest';
import { quoteBareKeys } from '../../src/server/lenient-json.js';

describe('bare JSON keys (as WindowsAutopilotIntune sends them)', () => {
  it('quotes keys, leaves strings and literals alone', () => {
    expect(JSON.parse(quoteBareKeys('{ groupTag: "Sales", displayName: "a, b: c" }')!)).toEqual({ groupTag: 'Sales', displayName: 'a, b: c' });
    expect(JSON.parse(quoteBareKeys('{a:{b: [1, true, null]}, "c": "{d: 1}"}')!)).toEqual({ a: { b: [1, true, null] }, c: '{d: 1}' });
    expect(JSON.parse(quoteBareKeys('{ "x": "\\" y: 1" , z : false }')!)).toEqual({ x: '" y: 1', z: false });
  });

  it('has nothing to quote in other broken JSON', () => {
    expect(quoteBareKeys('{"displayName":')).toBeUndefined();
    expect(quoteBareKeys('[true, false]')).toBeUndefined();
  });
});
