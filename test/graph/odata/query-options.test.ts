// $orderby, $select and $search parsing, Graph's errors for them, and the SQL every compiler emits.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/graph/errors.js';
import {
  applySelect,
  bindFilter,
  compareByOrderBy,
  compileFilterSql,
  compileSearchJs,
  parseFilter,
  parseOrderBy,
  parseSearch,
  parseSelect,
} from '../../../src/graph/odata/index.js';
import { userShape } from './shapes.js';

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).status).toBe(400);
    return (err as GraphError).message;
  }
  throw new Error('expected a GraphError');
}

describe('parseOrderBy', () => {
  it('binds paths case-insensitively with their direction', () => {
    const orderBy = parseOrderBy('DisplayName desc, userPrincipalName, passwordProfile/Password ASC', userShape);
    expect(orderBy.items.map((i) => [i.ref.path.join('/'), i.descending])).toEqual([
      ['displayName', true],
      ['userPrincipalName', false],
      ['passwordProfile/password', false],
    ]);
  });

  it('sorts case-insensitively, null first ascending and last descending', () => {
    const users = [{ id: '1', displayName: 'b' }, { id: '2' }, { id: '3', displayName: 'A' }, { id: '4', displayName: 'C' }];
    const sorted = (text: string) => [...users].sort(compareByOrderBy(parseOrderBy(text, userShape))).map((u) => u.id);
    expect(sorted('displayName')).toEqual(['2', '3', '1', '4']);
    expect(sorted('displayName desc')).toEqual(['4', '1', '3', '2']);
  });

  it.each([
    ['displayName up', "Syntax error at position 12 in 'displayName up'."],
    ['', "Syntax error at position 0 in ''."],
    ['displayName,', "Syntax error at position 12 in 'displayName,'."],
    ['foo', "Could not find a property named 'foo' on type 'microsoft.graph.user'."],
    ['proxyAddresses', "The $orderby expression must evaluate to a single value of primitive type; 'proxyAddresses' does not."],
  ])('%s', (text, message) => {
    expect(errorOf(() => parseOrderBy(text, userShape))).toBe(message);
  });
});

describe('parseSelect and applySelect', () => {
  it('returns canonical names once each, in the order asked', () => {
    expect(parseSelect('DisplayName, id,displayname,MAIL', userShape)).toEqual(['displayName', 'id', 'mail']);
    expect(parseSelect('*', userShape)).toEqual(Object.keys(userShape.properties));
  });

  it.each([
    ['displayName,foo', "Could not find a property named 'foo' on type 'microsoft.graph.user'."],
    ['displayName mail', "Syntax error at position 12 in 'displayName mail'."],
    ["displayName eq 'x'", "Syntax error at position 12 in 'displayName eq 'x''."],
  ])('%s', (text, message) => {
    expect(errorOf(() => parseSelect(text, userShape))).toBe(message);
  });

  it('keeps id, @odata annotations and the selected properties, with null for missing ones', () => {
    const user = { '@odata.type': '#microsoft.graph.user', id: 'u1', displayName: 'Adele', mail: 'a@x', accountEnabled: true };
    expect(applySelect(user, ['displayName', 'userPrincipalName'])).toEqual({
      '@odata.type': '#microsoft.graph.user',
      id: 'u1',
      displayName: 'Adele',
      userPrincipalName: null,
    });
  });
});

describe('parseSearch', () => {
  const people = [
    { id: '1', displayName: 'Adele Vance', mail: 'adelev@contoso.com' },
    { id: '2', displayName: 'Caravan Room', mail: 'room@contoso.com' },
    { id: '3', displayName: 'Meeting room 2' },
  ];
  const found = (text: string) => people.filter(compileSearchJs(parseSearch(text, userShape))).map((p) => p.id);

  it('matches words that start with the term, ignoring case', () => {
    expect(found('"displayName:van"')).toEqual(['1']);
    expect(found('"displayName:ROOM"')).toEqual(['2', '3']);
    expect(found('"displayName:room" AND "mail:room"')).toEqual(['2']);
    expect(found('"displayName:adele" OR "mail:room" AND "displayName:caravan"')).toEqual(['1', '2']);
    expect(found('"displayName:meeting room"')).toEqual(['3']);
  });

  it.each([
    ['displayName:room', "Syntax error at position 0 in 'displayName:room': $search expects double-quoted clauses such as \"displayName:room\"."],
    ['"room"', 'Invalid $search clause "room": use "property:term", e.g. "displayName:room".'],
    ['"displayName:"', 'Invalid $search clause "displayName:": use "property:term", e.g. "displayName:room".'],
    ['"displayName:a" "mail:b"', "Syntax error at position 16 in '\"displayName:a\" \"mail:b\"'."],
    ['"displayName:a" NOT "mail:b"', "Syntax error at position 16 in '\"displayName:a\" NOT \"mail:b\"'."],
    ['"displayName:a', "There is an unterminated string literal at position 0 in '\"displayName:a'."],
    ['"foo:a"', "Could not find a property named 'foo' on type 'microsoft.graph.user'."],
    ['"accountEnabled:true"', "The property 'accountEnabled' cannot be used in $search: only string properties can be searched."],
  ])('%s', (text, message) => {
    expect(errorOf(() => parseSearch(text, userShape))).toBe(message);
  });
});

describe('compiled SQL', () => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });

  it('passes every user value as a parameter', () => {
    const hostile = "x'); DROP TABLE users; --";
    const filter = bindFilter(parseFilter(`displayName eq '${hostile.replaceAll("'", "''")}' or startswith(mail,'%_')`), userShape);
    const compiled = compileFilterSql(filter, 'sqlite').compile(db);
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.parameters).toEqual([hostile.toLowerCase(), '\\%\\_%']);
  });

  it('reads real columns directly and the rest from the JSON document', () => {
    const filter = bindFilter(parseFilter("id eq 'A' and accountEnabled"), userShape);
    expect(compileFilterSql(filter, 'sqlite', 'u').compile(db).sql).toBe(
      `(lower("u"."id") = ? AND json_extract("u"."data", '$."accountEnabled"') = ?)`,
    );
  });
});

describe('speed', () => {
  it('parses and binds a typical filter in microseconds', () => {
    const text = "(technologies has 'enrollment') and startswith(displayName,'a') and assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)";
    const shape = { ...userShape, properties: { ...userShape.properties, technologies: { kind: 'enum' as const, flags: true } } };
    const runs = 20_000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) bindFilter(parseFilter(text), shape);
    expect(((performance.now() - started) / runs) * 1000).toBeLessThan(100); // microseconds
  });
});

describe('hostile input', () => {
  const parsers = [parseOrderBy, parseSelect, parseSearch];
  it('returns a result or a 400 GraphError for any string', () => {
    const text = fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: fc.constantFrom(...'"aA :,/()*\\ ORANDdesc'), maxLength: 100 }));
    fc.assert(
      fc.property(text, fc.constantFrom(...parsers), (input, parse) => {
        try {
          parse(input, userShape);
        } catch (err) {
          if (!(err instanceof GraphError) || err.status !== 400) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
