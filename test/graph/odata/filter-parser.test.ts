// The $filter parser: real-world filters, Graph-style error positions, and hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/graph/errors.js';
import { parseFilter, type FilterNode } from '../../../src/graph/odata/index.js';

/** Throws unless `run` throws a 400 GraphError; returns its message. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).status).toBe(400);
    expect((err as GraphError).code).toBe('BadRequest');
    return (err as GraphError).message;
  }
  throw new Error('expected a GraphError');
}

describe('parseFilter: real-world filters', () => {
  const filters = [
    "physicalIds/any(p:p eq '[ZTDId]:x')",
    "proxyAddresses/any(x:startswith(x,'smtp:'))",
    'assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)',
    'physicalIds/any()',
    "TemplateReference/templateId eq 'x'",
    'azureADJoin/isAdminConfigurable eq true',
    "startswith(displayName,'a') and accountEnabled eq true",
    "userPrincipalName eq 'a''b@contoso.com'",
    'not(accountEnabled eq true)',
    "(technologies has 'enrollment') and (platforms eq 'windows10') and (TemplateReference/templateId eq '80d33118-b7b4-40d8-b15f-81be745e053f_1')",
    "appId eq 'f1346770-5b25-470b-88bd-d5744ab7952c'",
    'createdDateTime ge 2024-01-01T00:00:00Z',
    "id in ('a','b')",
    "endswith(mail,'@contoso.com')",
    "contains(displayName,'room')",
    "platforms eq microsoft.graph.devicePlatformType'windows10'",
    'score gt -1.5 or score lt 10',
    "registrationDateTime le 2024-06-30T12:00:00.123+02:00 and registrationDateTime gt 2024-01-01",
    'mail eq null',
    "groupTypes/any(c:c eq 'DynamicMembership')",
    "assignedPlans/all(p: p/capabilityStatus eq 'Enabled')",
    "STARTSWITH(displayName,'a') AND NOT accountEnabled EQ TRUE",
  ];
  it.each(filters)('parses %s', (filter) => {
    expect(() => parseFilter(filter)).not.toThrow();
  });

  it('builds the expected tree', () => {
    expect(parseFilter("startswith(displayName,'a') and accountEnabled eq true")).toEqual({
      kind: 'and',
      pos: 0,
      operands: [
        {
          kind: 'call',
          pos: 0,
          name: 'startswith',
          args: [
            { kind: 'path', pos: 11, segments: ['displayName'] },
            { kind: 'literal', pos: 23, literal: { type: 'string', value: 'a' } },
          ],
        },
        {
          kind: 'compare',
          pos: 47,
          op: 'eq',
          left: { kind: 'path', pos: 32, segments: ['accountEnabled'] },
          right: { kind: 'literal', pos: 50, literal: { type: 'boolean', value: true } },
        },
      ],
    });
  });

  it('reads literals', () => {
    const literalOf = (text: string) => {
      const node = parseFilter(`x eq ${text}`) as Extract<FilterNode, { kind: 'compare' }>;
      return (node.right as Extract<FilterNode, { kind: 'literal' }>).literal;
    };
    expect(literalOf("'a''b'")).toEqual({ type: 'string', value: "a'b" });
    expect(literalOf("''")).toEqual({ type: 'string', value: '' });
    expect(literalOf('-42')).toEqual({ type: 'number', value: -42, integer: true });
    expect(literalOf('3.25')).toEqual({ type: 'number', value: 3.25, integer: false });
    expect(literalOf('1e3')).toEqual({ type: 'number', value: 1000, integer: false });
    expect(literalOf('False')).toEqual({ type: 'boolean', value: false });
    expect(literalOf('NULL')).toEqual({ type: 'null' });
    expect(literalOf('6FD2C87F-b296-42f0-b197-1e91e994b900')).toEqual({ type: 'guid', value: '6FD2C87F-b296-42f0-b197-1e91e994b900' });
    expect(literalOf('2024-01-01T00:00:00Z')).toEqual({ type: 'datetime', value: Date.UTC(2024, 0, 1) });
    expect(literalOf('2024-01-01T02:00:00+02:00')).toEqual({ type: 'datetime', value: Date.UTC(2024, 0, 1) });
    expect(literalOf('2024-02-29')).toEqual({ type: 'date', value: Date.UTC(2024, 1, 29) });
    expect(literalOf("microsoft.graph.platform'windows10'")).toEqual({
      type: 'enum',
      typeName: 'microsoft.graph.platform',
      value: 'windows10',
    });
  });

  it('gives not a higher precedence than comparisons, and and a higher one than or', () => {
    const node = parseFilter('not a eq true or b eq 1 and c eq 2');
    expect(node.kind).toBe('or');
    const [first, second] = (node as Extract<FilterNode, { kind: 'and' | 'or' }>).operands;
    expect(first).toMatchObject({ kind: 'compare', left: { kind: 'not' } });
    expect(second).toMatchObject({ kind: 'and' });
  });

  it('parses lambdas with and without a variable', () => {
    expect(parseFilter('physicalIds/any()')).toEqual({
      kind: 'lambda',
      pos: 12,
      op: 'any',
      collection: { kind: 'path', pos: 0, segments: ['physicalIds'] },
    });
    expect(parseFilter('a/b/ALL(x: x/c eq 1)')).toMatchObject({
      kind: 'lambda',
      op: 'all',
      variable: 'x',
      collection: { segments: ['a', 'b'] },
      body: { kind: 'compare', left: { segments: ['x', 'c'] } },
    });
  });
});

describe('parseFilter: errors', () => {
  it.each([
    ['displayName eq @', "Syntax error: character '@' is not valid at position 15 in 'displayName eq @'."],
    ['displayName eq', "Syntax error at position 14 in 'displayName eq'."],
    ['', "Syntax error at position 0 in ''."],
    ["displayName eq 'abc", "There is an unterminated string literal at position 15 in 'displayName eq 'abc'."],
    ["(displayName eq 'a'", "Syntax error at position 19 in '(displayName eq 'a''."],
    ["displayName eq 'a' foo", "Syntax error at position 19 in 'displayName eq 'a' foo'."],
    ['x eq 2024-13-01T00:00:00Z', "Syntax error at position 5 in 'x eq 2024-13-01T00:00:00Z'."],
    ['x eq 2024-01-01T00:00:00', "Syntax error at position 5 in 'x eq 2024-01-01T00:00:00'."],
    ['x eq 1.2.3', "Syntax error at position 5 in 'x eq 1.2.3'."],
    ["x eq foo'bar'", "Syntax error at position 8 in 'x eq foo'bar''."],
    ['x eq - 1', "Syntax error: character '-' is not valid at position 5 in 'x eq - 1'."],
    ['a/all()', "Syntax error at position 6 in 'a/all()'."],
    ['id in ()', "Syntax error at position 7 in 'id in ()'."],
    ['a/any(x x eq 1)', "Syntax error at position 8 in 'a/any(x x eq 1)'."],
  ])('%s', (filter, message) => {
    expect(errorOf(() => parseFilter(filter))).toBe(message);
  });

  it('refuses filters longer than a URL can carry', () => {
    expect(errorOf(() => parseFilter(`displayName eq '${'a'.repeat(9000)}'`))).toMatch(/too long/);
  });

  it('refuses deep nesting instead of overflowing the stack', () => {
    expect(errorOf(() => parseFilter('('.repeat(10_000)))).toMatch(/too long/);
    expect(errorOf(() => parseFilter(`${'('.repeat(8000)}a eq 1${')'.repeat(100)}`))).toMatch(/nested too deeply/);
    expect(errorOf(() => parseFilter(`${'not '.repeat(2000)}a`))).toMatch(/nested too deeply/);
    expect(errorOf(() => parseFilter(`${'a/any(x:'.repeat(900)}`))).toMatch(/nested too deeply/);
    expect(errorOf(() => parseFilter(`a${' eq 1'.repeat(1000)}`))).toMatch(/nested too deeply/);
    expect(() => parseFilter(`a${' eq 1'.repeat(50)}`)).not.toThrow();
  });

  it('keeps long flat chains shallow', () => {
    const filter = Array.from({ length: 500 }, (_, i) => `id eq '${i}'`).join(' or ');
    const node = parseFilter(filter) as Extract<FilterNode, { kind: 'and' | 'or' }>;
    expect(node.operands).toHaveLength(500);
  });
});

describe('parseFilter: hostile input', () => {
  const alphabet = [..."abcdeqnotrulsyhmi '()/:,-.0123456789TZ@$\"*\\"];
  const filterish = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 200 }),
    fc.array(
      fc.constantFrom('(', ')', 'not ', ' and ', ' or ', 'a', 'a/b', ' eq ', "'x'", '1', 'true', 'any(', 'x:', ',', ' in ', '/'),
      { maxLength: 60 },
    ).map((parts) => parts.join('')),
  );

  it('returns a tree or a 400 GraphError for any string, quickly', () => {
    fc.assert(
      fc.property(filterish, (text) => {
        const started = performance.now();
        try {
          parseFilter(text);
        } catch (err) {
          if (!(err instanceof GraphError) || err.status !== 400) throw err;
        }
        expect(performance.now() - started).toBeLessThan(50);
      }),
      { numRuns: 2000 },
    );
  });
});
