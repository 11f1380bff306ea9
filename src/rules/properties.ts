// The user and device properties a membership rule can name: their types, the operators each allows, and
// where each value lives in the stored Graph object. This table is the one mapping from rule names to
// Graph names; the subject reader (JS) and the SQL compiler both read it.
// Source: learn.microsoft.com/entra/identity/users/groups-dynamic-membership ("Supported properties",
// "Supported expression operators"), with per-type operators from the 2017 version of that page.

/** The value a rule compares: a property of the object, or an element of a collection inside -any/-all. */
export type ScalarType = 'string' | 'boolean' | 'dateTime' | 'version';

export type PropertyType =
  | { readonly kind: 'scalar'; readonly type: ScalarType }
  /** A string collection (otherMails, proxyAddresses, devicePhysicalIds, systemLabels): items are `_`. */
  | { readonly kind: 'strings' }
  /** assignedPlans: items are `assignedPlan.<field>`. */
  | { readonly kind: 'plans' }
  /** memberOf (preview): only `-any (group.objectId -in [...])`; read from the links table, not the object. */
  | { readonly kind: 'memberOf' };

export interface RuleProperty {
  /** The canonical rule name, e.g. `department`, `devicePhysicalIds`; also the key in a RuleSubject. */
  readonly name: string;
  readonly type: PropertyType;
  /** Operator keywords allowed (lower case, without the hyphen). */
  readonly operators: ReadonlySet<string>;
  /**
   * Where the value is in the stored Graph object: property names, or a number for an array index
   * (telephoneNumber is businessPhones[0]). Undefined for memberOf, which comes from group links.
   */
  readonly graph?: readonly (string | number)[];
}

export type ObjectKind = 'user' | 'device';

const ops = (...names: string[]): ReadonlySet<string> => new Set(names);

/** Strings: every comparison operator of the current table (groups-dynamic-membership.md). */
export const STRING_OPERATORS = ops(
  'eq',
  'ne',
  'startswith',
  'notstartswith',
  'endswith',
  'notendswith',
  'contains',
  'notcontains',
  'match',
  'notmatch',
  'in',
  'notin',
);
/** Booleans: -eq and -ne only (2017 table). */
const BOOLEAN_OPERATORS = ops('eq', 'ne');
/** employeeHireDate: -eq, -le, -ge are documented; -ne is accepted as the negation of -eq. */
const DATETIME_OPERATORS = ops('eq', 'ne', 'le', 'ge');
/**
 * String collections: -contains / -notContains (2017), -startsWith / -endsWith / -notEndsWith in today's
 * examples (otherMails, proxyAddresses, systemLabels), plus -notStartsWith for symmetry; -any / -all with `_`.
 */
const COLLECTION_OPERATORS = ops('contains', 'notcontains', 'startswith', 'notstartswith', 'endswith', 'notendswith', 'any', 'all');
const PLAN_OPERATORS = ops('any', 'all');
const MEMBEROF_OPERATORS = ops('any');

const text = (name: string, graph: readonly (string | number)[] = [name]): RuleProperty => ({
  name,
  type: { kind: 'scalar', type: 'string' },
  operators: STRING_OPERATORS,
  graph,
});
const flag = (name: string, graph: readonly string[] = [name]): RuleProperty => ({
  name,
  type: { kind: 'scalar', type: 'boolean' },
  operators: BOOLEAN_OPERATORS,
  graph,
});
const texts = (name: string, graph: readonly string[] = [name]): RuleProperty => ({
  name,
  type: { kind: 'strings' },
  operators: COLLECTION_OPERATORS,
  graph,
});
const memberOf: RuleProperty = { name: 'memberOf', type: { kind: 'memberOf' }, operators: MEMBEROF_OPERATORS };

/** extensionAttribute1…15: onPremisesExtensionAttributes on users, extensionAttributes on devices. */
const extensionAttributes = (container: string): RuleProperty[] =>
  Array.from({ length: 15 }, (_, i) => text(`extensionAttribute${i + 1}`, [container, `extensionAttribute${i + 1}`]));

export const USER_PROPERTIES: readonly RuleProperty[] = [
  flag('accountEnabled'),
  flag('dirSyncEnabled', ['onPremisesSyncEnabled']),
  { name: 'employeeHireDate', type: { kind: 'scalar', type: 'dateTime' }, operators: DATETIME_OPERATORS, graph: ['employeeHireDate'] },
  text('city'),
  text('country'),
  text('companyName'),
  text('department'),
  text('displayName'),
  text('employeeId'),
  text('facsimileTelephoneNumber', ['faxNumber']),
  text('givenName'),
  text('jobTitle'),
  text('mail'),
  text('mailNickName', ['mailNickname']),
  text('mobile', ['mobilePhone']),
  text('objectId', ['id']),
  text('onPremisesDistinguishedName'),
  text('onPremisesSecurityIdentifier'),
  text('passwordPolicies'),
  text('physicalDeliveryOfficeName', ['officeLocation']),
  text('postalCode'),
  text('preferredLanguage'),
  text('sipProxyAddress', ['onPremisesSipInfo', 'sipPrimaryAddress']),
  text('state'),
  text('streetAddress'),
  text('surname'),
  text('telephoneNumber', ['businessPhones', 0]),
  text('usageLocation'),
  text('userPrincipalName'),
  text('userType'),
  texts('otherMails'),
  texts('proxyAddresses'),
  { name: 'assignedPlans', type: { kind: 'plans' }, operators: PLAN_OPERATORS, graph: ['assignedPlans'] },
  memberOf,
  ...extensionAttributes('onPremisesExtensionAttributes'),
];

export const DEVICE_PROPERTIES: readonly RuleProperty[] = [
  flag('accountEnabled'),
  text('deviceCategory'),
  text('deviceId'),
  text('deviceManagementAppId', ['mdmAppId']),
  text('deviceManufacturer', ['manufacturer']),
  text('deviceModel', ['model']),
  text('displayName'),
  text('deviceOSType', ['operatingSystem']),
  text('deviceOSVersion', ['operatingSystemVersion']),
  text('deviceOwnership'),
  texts('devicePhysicalIds', ['physicalIds']),
  text('deviceTrustType', ['trustType']),
  text('enrollmentProfileName'),
  flag('isRooted'),
  text('managementType'),
  memberOf,
  text('objectId', ['id']),
  text('profileType'),
  texts('systemLabels'),
  ...extensionAttributes('extensionAttributes'),
];

/** The items of assignedPlans ("capabilityStatus, service, servicePlanId"). */
export const ASSIGNED_PLAN_FIELDS: readonly string[] = ['servicePlanId', 'service', 'capabilityStatus'];

/**
 * Custom extension properties: `extension_<app id without dashes>_<name>` (users only), compared as strings;
 * in Graph they are top-level properties of the user with the same name.
 */
const CUSTOM_EXTENSION = /^extension_([0-9a-f]{32})_([A-Za-z0-9_]+)$/i;

/** Whether a name has the form of a custom extension property. */
export const isCustomExtension = (name: string): boolean => CUSTOM_EXTENSION.test(name);

/**
 * The canonical name of a custom extension property: the app id part in lower case, the rest as written
 * (rules and Graph may spell the hex digits of the app id differently).
 */
export function customExtensionKey(name: string): string {
  const m = CUSTOM_EXTENSION.exec(name);
  return m ? `extension_${m[1]!.toLowerCase()}_${m[2]}` : name;
}

/** Properties that older docs listed and Entra no longer recognises, with what to say about them. */
const RETIRED: Readonly<Record<string, string>> = {
  organizationalunit: "organizationalUnit is no longer supported: Entra doesn't recognise it, so no devices would be added.",
  domainname: 'domainName was only listed in 2017 and is not a supported device property.',
  manager: 'manager can only be used through the Direct Reports rule: Direct Reports for "<manager object id>".',
};

const indexes = new WeakMap<readonly RuleProperty[], ReadonlyMap<string, RuleProperty>>();

function index(table: readonly RuleProperty[]): ReadonlyMap<string, RuleProperty> {
  let map = indexes.get(table);
  if (!map) {
    map = new Map(table.map((p) => [p.name.toLowerCase(), p]));
    indexes.set(table, map);
  }
  return map;
}

export const propertiesOf = (kind: ObjectKind): readonly RuleProperty[] => (kind === 'user' ? USER_PROPERTIES : DEVICE_PROPERTIES);

/**
 * The property a rule names, matched without regard to case: Microsoft's own examples write
 * devicePhysicalIDs, employeehiredate, memberof and mailNickname. Custom extension properties keep the
 * spelling written.
 */
export function findProperty(kind: ObjectKind, name: string): RuleProperty | undefined {
  const found = index(propertiesOf(kind)).get(name.toLowerCase());
  if (found) return found;
  if (kind === 'user' && CUSTOM_EXTENSION.test(name)) return text(customExtensionKey(name));
  return undefined;
}

/** Why a name is not supported, when there is more to say than "not a property". */
export const retiredProperty = (name: string): string | undefined => RETIRED[name.toLowerCase()];
