// Generators for the differential tests: objects conforming to one shape, and $filter / $orderby / $search text
// over it, drawing literals from the same small pools as the data so that comparisons often hit.
import fc from 'fast-check';
import type { PropType, ResourceShape } from '../../../src/graph/odata/index.js';

const str: PropType = { kind: 'string' };
const guid: PropType = { kind: 'guid' };
const datetime: PropType = { kind: 'datetime' };
const bool: PropType = { kind: 'boolean' };
const int: PropType = { kind: 'int' };

export const itemShape: ResourceShape = {
  typeName: 'microsoft.graph.testItem',
  columns: { id: 'id' },
  properties: {
    id: str,
    name: str,
    mail: str,
    enabled: bool,
    count: int,
    score: { kind: 'number' },
    created: datetime,
    sku: guid,
    kind: { kind: 'enum', typeName: 'microsoft.graph.itemKind' },
    tech: { kind: 'enum', flags: true },
    tags: { kind: 'collection', of: str },
    flags: { kind: 'collection', of: bool },
    nums: { kind: 'collection', of: int },
    licenses: {
      kind: 'collection',
      of: {
        kind: 'complex',
        typeName: 'microsoft.graph.testLicense',
        properties: { skuId: guid, enabled: bool, since: datetime, plans: { kind: 'collection', of: str } },
      },
    },
    settings: {
      kind: 'complex',
      properties: { label: str, level: int, inner: { kind: 'complex', properties: { on: bool, code: str } } },
    },
  },
};

// Mixed case, LIKE wildcards, quotes, backslashes, non-ASCII letters (which only ASCII case folding leaves
// alone) and characters on both sides of the UTF-16 surrogate range (to check code point ordering).
const STRINGS = ['', 'a', 'A', 'ab', 'aB c', 'b', 'Zed', 'zed', 'a%b', 'a_b', "o'neil", 'x\\y', 'É', 'é', '\uFB00', '😀', 'room 1', 'Room', 'a b'];
const NEEDLES = ['', 'a', 'A', 'b', '%', '_', "'", 'zed', 'é', 'room', ' ', '\\', 'B C', '😀'];
const INTS = [-3, 0, 1, 2, 10];
const NUMBERS = [-1.5, 0, 0.25, 2, 1000];
const DATETIMES = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.500Z', '2023-12-31T23:59:59.999Z', '2024-06-30T12:00:00Z', '2024-01-01T01:00:00+01:00'];
const DATETIME_LITERALS = ['2024-01-01T00:00:00Z', '2024-01-01', '2024-01-01T00:00:00.5Z', '2024-01-01T02:00:00+02:00', '2023-12-31T23:59:59.999Z', '2024-06-30'];
const GUIDS = ['6fd2c87f-b296-42f0-b197-1e91e994b900', '6FD2C87F-B296-42F0-B197-1E91E994B900', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5'];
const KINDS = ['Alpha', 'beta', 'GAMMA'];
const TECH = ['mdm', 'mdm,enrollment', 'Enrollment', 'mdm, windows10XManagement', ''];
const TECH_MEMBERS = ['mdm', 'enrollment', 'MDM,Enrollment', 'windows10xmanagement', 'enroll'];

/** A value, null, or (through the record's optional keys) missing. */
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const list = <T>(arb: fc.Arbitrary<T>) => nullable(fc.array(arb, { maxLength: 3 }));

const license = fc.record(
  { skuId: nullable(pick(GUIDS)), enabled: nullable(fc.boolean()), since: nullable(pick(DATETIMES)), plans: list(pick(STRINGS)) },
  { requiredKeys: [] },
);

const item = fc.record(
  {
    name: nullable(pick(STRINGS)),
    mail: nullable(pick(STRINGS)),
    enabled: nullable(fc.boolean()),
    count: nullable(pick(INTS)),
    score: nullable(pick(NUMBERS)),
    created: nullable(pick(DATETIMES)),
    sku: nullable(pick(GUIDS)),
    kind: nullable(pick(KINDS)),
    tech: nullable(pick(TECH)),
    tags: list(nullable(pick(STRINGS))),
    flags: list(fc.boolean()),
    nums: list(pick(INTS)),
    licenses: list(nullable(license)),
    settings: nullable(
      fc.record(
        {
          label: nullable(pick(STRINGS)),
          level: nullable(pick(INTS)),
          inner: nullable(fc.record({ on: nullable(fc.boolean()), code: nullable(pick(STRINGS)) }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** Objects with ids i00, i01, ...; the id is a real column, the rest goes to `data`. */
export const items = fc
  .array(item, { maxLength: 12 })
  .map((objects) => objects.map((o, i) => ({ id: `i${String(i).padStart(2, '0')}`, ...o }) as Record<string, unknown>));

type FieldType = 'string' | 'boolean' | 'int' | 'number' | 'datetime' | 'guid' | 'enum' | 'flags';

interface Field {
  readonly path: string;
  readonly type: FieldType;
}

interface Collection {
  readonly path: string;
  /** What the lambda variable denotes: fields relative to it ('' for a primitive element). */
  readonly element: readonly Field[];
  readonly nested?: readonly Collection[];
}

const ROOT_FIELDS: readonly Field[] = [
  { path: 'id', type: 'string' },
  { path: 'name', type: 'string' },
  { path: 'Mail', type: 'string' },
  { path: 'enabled', type: 'boolean' },
  { path: 'count', type: 'int' },
  { path: 'score', type: 'number' },
  { path: 'created', type: 'datetime' },
  { path: 'sku', type: 'guid' },
  { path: 'kind', type: 'enum' },
  { path: 'tech', type: 'flags' },
  { path: 'settings/label', type: 'string' },
  { path: 'Settings/Level', type: 'int' },
  { path: 'settings/inner/on', type: 'boolean' },
  { path: 'settings/inner/code', type: 'string' },
];

const ROOT_COLLECTIONS: readonly Collection[] = [
  { path: 'tags', element: [{ path: '', type: 'string' }] },
  { path: 'flags', element: [{ path: '', type: 'boolean' }] },
  { path: 'nums', element: [{ path: '', type: 'int' }] },
  {
    path: 'licenses',
    element: [
      { path: 'skuId', type: 'guid' },
      { path: 'enabled', type: 'boolean' },
      { path: 'since', type: 'datetime' },
    ],
    nested: [{ path: 'plans', element: [{ path: '', type: 'string' }] }],
  },
];

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

function literal(type: FieldType): fc.Arbitrary<string> {
  const withNull = (arb: fc.Arbitrary<string>) => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant('null') });
  switch (type) {
    case 'string':
      return withNull(pick([...STRINGS, ...NEEDLES]).map(quote));
    case 'boolean':
      return withNull(fc.constantFrom('true', 'false'));
    case 'int':
      return withNull(pick(INTS).map(String));
    case 'number':
      return withNull(pick([...NUMBERS, ...INTS]).map(String));
    case 'datetime':
      return withNull(pick(DATETIME_LITERALS));
    case 'guid':
      return withNull(pick(GUIDS));
    case 'enum':
      return withNull(fc.oneof(pick(KINDS).map(quote), pick(KINDS).map((k) => `microsoft.graph.itemKind${quote(k)}`)));
    case 'flags':
      return withNull(pick(TECH).map(quote));
  }
}

/** Names a field from inside a lambda (`x/skuId`, `x`) or from the resource. */
const at = (variable: string | undefined, field: Field) => (variable ? (field.path ? `${variable}/${field.path}` : variable) : field.path);

function comparison(subject: string, field: Field): fc.Arbitrary<string> {
  const ops = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
  return fc
    .tuple(ops, literal(field.type), fc.boolean())
    .map(([op, value, flipped]) => (flipped ? `${value} ${op} ${subject}` : `${subject} ${op} ${value}`));
}

function leaf(field: Field, subject: string): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [comparison(subject, field)];
  options.push(
    fc
      .array(literal(field.type), { minLength: 1, maxLength: 3 })
      .map((values) => `${subject} in (${values.join(', ')})`),
  );
  if (field.type === 'string') {
    options.push(
      fc
        .tuple(fc.constantFrom('startswith', 'endswith', 'contains', 'StartsWith'), pick(NEEDLES))
        .map(([fn, needle]) => `${fn}(${subject}, ${quote(needle)})`),
    );
  }
  if (field.type === 'boolean') options.push(fc.constant(subject));
  if (field.type === 'flags') options.push(pick(TECH_MEMBERS).map((m) => `${subject} has ${quote(m)}`));
  return fc.oneof(...options);
}

interface Scope {
  readonly fields: readonly { field: Field; variable?: string }[];
  readonly collections: readonly { collection: Collection; variable?: string }[];
  readonly variables: readonly string[];
}

const ROOT_SCOPE: Scope = {
  fields: ROOT_FIELDS.map((field) => ({ field })),
  collections: ROOT_COLLECTIONS.map((collection) => ({ collection })),
  variables: [],
};

function lambda(scope: Scope, depth: number): fc.Arbitrary<string> {
  return fc.constantFrom(...scope.collections).chain(({ collection, variable: owner }) => {
    const path = at(owner, { path: collection.path, type: 'string' });
    const variable = `v${scope.variables.length}`;
    const inner: Scope = {
      // The body sees the element and, sometimes, the resource's own fields (correlated references).
      fields: [...collection.element.map((field) => ({ field, variable })), ...ROOT_SCOPE.fields.slice(0, 3)],
      collections: (collection.nested ?? []).map((nested) => ({ collection: nested, variable })),
      variables: [...scope.variables, variable],
    };
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant(`${path}/any()`) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.constantFrom('any', 'all'), predicate(inner, depth - 1))
          .map(([op, body]) => `${path}/${op}(${variable}: ${body})`),
      },
    );
  });
}

function predicate(scope: Scope, depth: number): fc.Arbitrary<string> {
  const leaves = fc.constantFrom(...scope.fields).chain(({ field, variable }) => leaf(field, at(variable, field)));
  if (depth <= 0) return leaves;
  const sub = fc.constant(null).chain(() => predicate(scope, depth - 1));
  const options = [
    { weight: 4, arbitrary: leaves },
    { weight: 2, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `(${a}) and (${b})`) },
    { weight: 2, arbitrary: fc.tuple(sub, sub, sub).map(([a, b, c]) => `${a} or ${b} and ${c}`) },
    { weight: 1, arbitrary: sub.map((a) => `not (${a})`) },
  ];
  if (scope.collections.length > 0) options.push({ weight: 2, arbitrary: lambda(scope, depth) });
  return fc.oneof(...options);
}

export const filters = predicate(ROOT_SCOPE, 3);

const SORTABLE = ROOT_FIELDS.filter((f) => f.type !== 'flags').map((f) => f.path);

export const orderBys = fc
  .array(fc.tuple(pick(SORTABLE), fc.constantFrom('', ' asc', ' desc', ' DESC')), { minLength: 1, maxLength: 3 })
  .map((keys) => keys.map(([path, direction]) => `${path}${direction}`).join(', '));

export const searches = fc
  .array(fc.tuple(pick(['name', 'Mail', 'id']), pick(NEEDLES.filter((n) => n.trim() !== '')), fc.constantFrom(' AND ', ' OR ')), {
    minLength: 1,
    maxLength: 3,
  })
  .map((clauses) =>
    clauses
      .map(([property, term, joiner], i) => `${i > 0 ? joiner : ''}"${property}:${term.replaceAll('\\', '\\\\')}"`)
      .join(''),
  );
