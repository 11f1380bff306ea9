// Generators for the rule differential tests: users and devices (as RuleSubjects) and membership rules over
// the user and device property tables, drawing literals from the same small pools as the data so that
// comparisons often hit, in every spelling the language allows (with or without hyphen, any case, both quotes).
import fc from 'fast-check';

/** The evaluation clock of generated rules that use system.now. */
export const NOW = Date.parse('2024-07-01T00:00:00Z');

export const GROUPS = ['6fd2c87f-b296-42f0-b197-1e91e994b900', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', '0feaeb32-d00e-4d66-bd5a-43b5b83db82c'];
export const MANAGERS = ['62e19b97-8b3d-4d4a-a106-4ce66896a863', 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'];
export const CUSTOM_EXTENSION = 'extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber';

/** Mixed case, LIKE wildcards, quotes, backslashes, non-ASCII letters (which only ASCII folding leaves alone). */
const STRINGS = [
  '',
  'a',
  'A',
  'Sales',
  'sales',
  'SALES',
  'Sal',
  'les',
  'a%b',
  'a_b',
  "o'neil",
  'x\\y',
  'x"y',
  'É',
  'é',
  'Straße',
  '😀',
  'room 1',
  'Room',
  '[ZTDId]:abc',
  '[ztdid]:ABC',
  '[OrderID]:Tag1',
  'null',
  ' ',
  '42',
  'Windows',
  'WINDOWS',
];
const NEEDLES = ['', 'a', 'A', 's', 'SAL', 'les', '%', '_', "'", '\\', 'é', 'É', '[ztdid]', '[ZTDId]', ' ', 'null', '"', 'room 1', '😀', '42', 'windows', 'Sales'];
const PATTERNS = ['^s', 'a', 'les$', '^$', '.', '\\d', '[a-c]', 'é', '^(sales|room)', 'o.n', '^\\[ztdid\\]', 'a*', 'x\\\\y', '%', '^.{3}$', '\\bone\\b', '[^a-z]'];
const DATETIMES = ['2024-01-01T00:00:00Z', '2024-06-30T12:00:00Z', '2023-12-31T23:59:59.999Z', '2024-07-01T00:00:00Z', '2025-01-10T00:00:00Z'];
const DATETIME_LITERALS = ['2024-01-01T00:00:00Z', '2024-06-30T12:00:00Z', '2023-12-31T23:59:59.999Z', '2024-01-01', '2024-07-01T02:00:00+02:00'];
const DURATIONS = ['P1D', 'p30d', 'P1M', 'P1Y', 'PT12H', 'P2W', 'P0D'];
const PLAN_IDS = ['efb87545-963c-4e0d-99df-69c6916d9eb0', 'EFB87545-963C-4E0D-99DF-69C6916D9EB0', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5'];
const SERVICES = ['SCO', 'sco', 'exchange', 'MicrosoftCommunicationsOnline'];
const STATUSES = ['Enabled', 'enabled', 'Deleted', 'Suspended'];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
/** A value, or null (which the subject also expresses by a missing key). */
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const text = nullable(pick(STRINGS));
const texts = nullable(fc.array(nullable(pick(STRINGS)), { maxLength: 3 }));

const plan = fc.record(
  { servicePlanId: nullable(pick(PLAN_IDS)), service: nullable(pick(SERVICES)), capabilityStatus: nullable(pick(STATUSES)) },
  { requiredKeys: [] },
);

const user = fc.record(
  {
    department: text,
    city: text,
    displayName: text,
    jobTitle: text,
    mailNickName: text,
    mobile: text,
    telephoneNumber: text,
    extensionAttribute1: text,
    extensionAttribute15: text,
    [CUSTOM_EXTENSION]: text,
    accountEnabled: nullable(fc.boolean()),
    dirSyncEnabled: nullable(fc.boolean()),
    employeeHireDate: nullable(pick(DATETIMES)),
    otherMails: texts,
    proxyAddresses: texts,
    assignedPlans: nullable(fc.array(plan, { maxLength: 3 })),
    memberOf: fc.subarray([...GROUPS, GROUPS[0]!.toUpperCase()]),
    manager: nullable(pick([...MANAGERS, MANAGERS[0]!.toUpperCase()])),
  },
  { requiredKeys: [] },
);

const device = fc.record(
  {
    deviceOSType: text,
    deviceModel: text,
    deviceManufacturer: text,
    deviceTrustType: nullable(pick(['AzureAd', 'ServerAd', 'Workplace', 'AzureAD'])),
    deviceOwnership: nullable(pick(['Company', 'Personal', 'company'])),
    displayName: text,
    extensionAttribute1: text,
    accountEnabled: nullable(fc.boolean()),
    isRooted: nullable(fc.boolean()),
    devicePhysicalIds: texts,
    systemLabels: texts,
    memberOf: fc.subarray(GROUPS),
  },
  { requiredKeys: [] },
);

/** Ids shared by users and devices: 00000000-0000-4000-8000-0000000000NN. */
export const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export const users = fc.array(user, { maxLength: 10 }).map((list) => list.map((u, i) => ({ ...u, objectId: idOf(i) })));
export const devices = fc.array(device, { maxLength: 10 }).map((list) => list.map((d, i) => ({ ...d, objectId: idOf(i) })));

// ---- rules ----------------------------------------------------------------------------------------

type Kind = 'user' | 'device';

const USER_TEXT = ['department', 'city', 'displayName', 'jobTitle', 'mailNickName', 'mobile', 'telephoneNumber', 'extensionAttribute1', 'extensionAttribute15', CUSTOM_EXTENSION];
const DEVICE_TEXT = ['deviceOSType', 'deviceModel', 'deviceManufacturer', 'deviceTrustType', 'deviceOwnership', 'displayName', 'extensionAttribute1'];
const USER_BOOL = ['accountEnabled', 'dirSyncEnabled'];
const DEVICE_BOOL = ['accountEnabled', 'isRooted'];
const USER_COLLECTIONS = ['otherMails', 'proxyAddresses'];
const DEVICE_COLLECTIONS = ['devicePhysicalIds', 'systemLabels'];

/** A property name as a person might write it: canonical, or in another case (names match without case). */
const spelled = (name: string) =>
  name.startsWith('extension_') ? fc.constant(name) : fc.constantFrom(name, name, name.toLowerCase(), name[0]!.toUpperCase() + name.slice(1));

/** `-startsWith`, `startsWith`, `-STARTSWITH`, `-startswith`. */
const operator = (name: string) => fc.constantFrom(`-${name}`, `-${name}`, name, `-${name.toUpperCase()}`, `-${name.toLowerCase()}`);

/** A string literal in double quotes (`" escaped as `") or single quotes (' doubled). */
const quoted = (value: string) =>
  fc.constantFrom(`"${value.replaceAll('"', '`"')}"`, `'${value.replaceAll("'", "''")}'`);

const stringValue = (pool: readonly string[]) => pick(pool).chain(quoted);

const list = (pool: readonly string[]) =>
  fc.array(stringValue(pool), { maxLength: 4 }).chain((items) => fc.constantFrom(`[${items.join(', ')}]`, `[${items.join(',')}]`));

/** A comparison on a string value named `subject` (`user.department`, `_`, `assignedPlan.service`). */
function stringComparison(subject: string, pool: readonly string[] = NEEDLES): fc.Arbitrary<string> {
  const simple = fc
    .tuple(pick(['eq', 'ne', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'contains', 'notContains']), stringValue(pool))
    .chain(([op, value]) => operator(op).map((written) => `${subject} ${written} ${value}`));
  const nulls = fc.tuple(pick(['eq', 'ne']), fc.constantFrom('null', '$null', 'NULL')).chain(([op, value]) => operator(op).map((w) => `${subject} ${w} ${value}`));
  const lists = fc.tuple(pick(['in', 'notIn']), list(pool)).chain(([op, value]) => operator(op).map((w) => `${subject} ${w} ${value}`));
  const regex = fc.tuple(pick(['match', 'notMatch']), pick(PATTERNS)).chain(([op, pattern]) => operator(op).map((w) => `${subject} ${w} "${pattern}"`));
  const notBefore = fc
    .tuple(pick(['eq', 'startsWith', 'contains']), stringValue(pool))
    .map(([op, value]) => `${subject} -not -${op} ${value}`);
  const number = fc.constantFrom(`${subject} -eq 42`, `${subject} -in [42, "a"]`);
  return fc.oneof(
    { weight: 6, arbitrary: simple },
    { weight: 2, arbitrary: nulls },
    { weight: 2, arbitrary: lists },
    { weight: 2, arbitrary: regex },
    { weight: 1, arbitrary: notBefore },
    { weight: 1, arbitrary: number },
  );
}

function booleanComparison(subject: string): fc.Arbitrary<string> {
  return fc
    .tuple(pick(['eq', 'ne']), fc.constantFrom('true', 'false', 'True', 'FALSE', 'null', '"true"'))
    .chain(([op, value]) => operator(op).map((w) => `${subject} ${w} ${value}`));
}

function dateComparison(subject: string): fc.Arbitrary<string> {
  const fixed = pick(DATETIME_LITERALS).chain((d) => fc.constantFrom(d, `"${d}"`));
  const now = fc
    .tuple(fc.constantFrom('-plus', '-minus', 'plus'), pick(DURATIONS), fc.boolean())
    .map(([op, duration, parens]) => (parens ? `(system.now ${op} ${duration})` : `system.now ${op} ${duration}`));
  const value = fc.oneof(fixed, now, fc.constant('system.now'));
  return fc.oneof(
    fc.tuple(pick(['eq', 'ne', 'le', 'ge']), value).chain(([op, v]) => operator(op).map((w) => `${subject} ${w} ${v}`)),
    fc.constantFrom(`${subject} -eq null`, `${subject} -ne null`),
  );
}

/** A condition over the items of a collection (`_`, or `assignedPlan.<field>`), possibly combined. */
function itemCondition(leaf: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf, fc.constantFrom('-and', '-or', 'and', 'or')).map(([a, b, op]) => `${a} ${op} ${b}`) },
    { weight: 1, arbitrary: leaf.map((a) => `-not (${a})`) },
  );
}

function lambda(subject: string, leaf: fc.Arbitrary<string>, allowBare: boolean): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('-any', '-all', 'any', '-ALL'), itemCondition(leaf), fc.boolean(), leaf).map(([op, body, bare, single]) =>
    allowBare && bare ? `${subject} ${op} ${single}` : `${subject} ${op} (${body})`,
  );
}

function leafFor(kind: Kind): fc.Arbitrary<string> {
  const prefix = fc.constantFrom(kind, kind, kind.toUpperCase(), kind[0]!.toUpperCase() + kind.slice(1));
  const named = (names: readonly string[]) => fc.tuple(prefix, pick(names).chain(spelled)).map(([p, n]) => `${p}.${n}`);
  const textNames = kind === 'user' ? USER_TEXT : DEVICE_TEXT;
  const options: fc.Arbitrary<string>[] = [
    named(textNames).chain((s) => stringComparison(s, [...NEEDLES, ...STRINGS.slice(0, 8)])),
    named(textNames).chain((s) => stringComparison(s, [...NEEDLES, ...STRINGS.slice(0, 8)])),
    named(kind === 'user' ? USER_BOOL : DEVICE_BOOL).chain(booleanComparison),
    named(['objectId']).chain((s) => stringComparison(s, [idOf(0), idOf(1).toUpperCase(), idOf(2), '0000'])),
    named(kind === 'user' ? USER_COLLECTIONS : DEVICE_COLLECTIONS).chain((s) =>
      fc.oneof(
        lambda(s, stringComparison('_'), true),
        fc.tuple(pick(['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith']), stringValue(NEEDLES)).chain(
          ([op, v]) => operator(op).map((w) => `${s} ${w} ${v}`),
        ),
      ),
    ),
  ];
  if (kind === 'user') {
    options.push(named(['employeeHireDate']).chain(dateComparison));
    const planLeaf = fc.oneof(
      stringComparison('assignedPlan.servicePlanId', PLAN_IDS),
      stringComparison('assignedPlan.service', SERVICES),
      stringComparison('assignedPlan.capabilityStatus', STATUSES),
      stringComparison('assignedplan.CapabilityStatus', STATUSES),
    );
    options.push(named(['assignedPlans']).chain((s) => lambda(s, planLeaf, false)));
  }
  return fc.oneof(...options);
}

/** A rule over one kind: comparisons combined with and / or / not, with and without parentheses. */
export function ruleFor(kind: Kind): fc.Arbitrary<string> {
  const leaf = leafFor(kind);
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: leaf },
      { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
      { weight: 1, arbitrary: tie('expr').map((e) => `-not (${e})`) },
      { weight: 1, arbitrary: leaf.map((e) => `not ${e}`) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(tie('expr'), fc.constantFrom('-and', '-or', 'and', 'or', '-AND', '-Or'), tie('expr'))
          .map(([a, op, b]) => `${a} ${op} ${b}`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(tie('expr'), fc.constantFrom('-and', '-or'), tie('expr'))
          .map(([a, op, b]) => `(${a}) ${op} (${b})`),
      },
    ),
  }));
  const special =
    kind === 'user'
      ? fc.oneof(
          fc.subarray([...GROUPS, GROUPS[1]!.toUpperCase()], { minLength: 1 }).map((ids) => `user.memberOf -any (group.objectId -in [${ids.map((id) => `'${id}'`).join(', ')}])`),
          pick([...MANAGERS, MANAGERS[1]!.toUpperCase(), GROUPS[0]!]).map((id) => `Direct Reports for "${id}"`),
          fc.constant('user.objectId -ne null'),
        )
      : fc.oneof(
          fc.subarray(GROUPS, { minLength: 1 }).map((ids) => `(device.memberof -any (group.objectId -in [${ids.map((id) => `"${id}"`).join(',')}]))`),
          fc.constant('device.objectId -ne null'),
        );
  return fc.oneof({ weight: 9, arbitrary: expr }, { weight: 1, arbitrary: special });
}
