// Intune assignment filter rules for Windows managed devices ("Edit filter"): the same grammar and back end as
// membership rules, with the filter property table and operators.
// Source: learn.microsoft.com/intune/intune-service/fundamentals/filters-device-properties (2026-02):
// "Managed device properties" (those that apply to Windows) and "Supported operators".
import type { CheckedRule } from './checked-rule.js';
import { checkRuleText, type RuleSpec } from './checker.js';
import { compileRuleJs, type RulePredicate } from './compile-js.js';
import { explainRule, type RuleExplanation } from './explain.js';
import type { ObjectKind, RuleProperty, ScalarType } from './properties.js';
import type { RuleSubject } from './subject.js';

const ops = (...names: string[]): ReadonlySet<string> => new Set(names);

/** "Enter the full string value (using -eq, -ne, -in, -notIn) or partial value (using -startswith, -contains, -notcontains)". */
const STRING_OPERATORS = ops('eq', 'ne', 'in', 'notin', 'startswith', 'contains', 'notcontains');
/** Properties with a fixed set of values and -eq, -ne, -in, -notIn (cpuArchitecture, deviceTrustType). */
const CHOICE_OPERATORS = ops('eq', 'ne', 'in', 'notin');
/** deviceOwnership: "Personal, Corporate, or unknown values using the -eq and -ne operators". */
const EQUALITY_OPERATORS = ops('eq', 'ne');
/** operatingSystemVersion (preview): -eq, -ne, -gt, -ge, -lt, -le on versions. */
const VERSION_OPERATORS = ops('eq', 'ne', 'gt', 'ge', 'lt', 'le');

const property = (name: string, type: ScalarType, operators: ReadonlySet<string>): RuleProperty => ({
  name,
  type: { kind: 'scalar', type },
  operators,
});

/** The managed device properties a Windows filter can use. */
export const FILTER_PROPERTIES: readonly RuleProperty[] = [
  property('cpuArchitecture', 'string', CHOICE_OPERATORS),
  property('deviceCategory', 'string', STRING_OPERATORS),
  property('deviceName', 'string', STRING_OPERATORS),
  property('deviceOwnership', 'string', EQUALITY_OPERATORS),
  property('deviceTrustType', 'string', CHOICE_OPERATORS),
  property('enrollmentProfileName', 'string', STRING_OPERATORS),
  property('manufacturer', 'string', STRING_OPERATORS),
  property('model', 'string', STRING_OPERATORS),
  property('operatingSystemVersion', 'version', VERSION_OPERATORS),
  property('osVersion', 'string', STRING_OPERATORS),
  property('operatingSystemSKU', 'string', STRING_OPERATORS),
];

/** Properties of the filter reference that don't apply to Windows. */
const OTHER_PLATFORMS: Readonly<Record<string, string>> = {
  isrooted: 'isRooted applies to Android and iOS/iPadOS filters, not to Windows.',
  devicemanagementtype: 'deviceManagementType applies to Android filters, not to Windows.',
};

const index = new Map(FILTER_PROPERTIES.map((p) => [p.name.toLowerCase(), p]));

/**
 * Intune documents no length limit for a filter rule; Tarmac applies the membership rule limit (3,072), which
 * also bounds the work of parsing.
 */
export const MAX_FILTER_RULE_LENGTH = 3072;

const FILTER: RuleSpec = {
  language: 'filter',
  maxLength: MAX_FILTER_RULE_LENGTH,
  objectKind: (object) => (object.toLowerCase() === 'device' ? 'device' : undefined),
  unknownObjectHint: (object) =>
    object.toLowerCase() === 'app'
      ? 'app.<property> belongs to filters for managed apps; this is a filter for managed devices (device.<property>).'
      : `'${object}' isn't an object type: managed device filters name device.<property>.`,
  findProperty: (_kind: ObjectKind, name: string) => index.get(name.toLowerCase()),
  properties: () => FILTER_PROPERTIES,
  unknownPropertyHint: (_kind, name) => OTHER_PLATFORMS[name.toLowerCase()],
  operators: new Set([...STRING_OPERATORS, ...VERSION_OPERATORS]),
  // "Properties, operations and values are case insensitive"; the reference lists no -not, -endsWith, -match.
  allowNot: false,
  allowCollections: false,
  warnOnCasing: false,
};

/** Parses and checks a Windows managed-device assignment filter rule; throws a RuleError (400 BadRequest). */
export function checkFilterRule(text: string): CheckedRule {
  return checkRuleText(text, FILTER, { kind: 'device' });
}

/** A predicate over a filter subject (see filterSubjectFromManagedDevice). */
export function compileFilterRuleJs(rule: CheckedRule): RulePredicate {
  assertFilter(rule);
  return compileRuleJs(rule);
}

export function explainFilterRule(rule: CheckedRule, subject: RuleSubject): RuleExplanation {
  assertFilter(rule);
  return explainRule(rule, subject);
}

function assertFilter(rule: CheckedRule): void {
  if (rule.language !== 'filter') throw new TypeError('Expected an assignment filter rule (checkFilterRule).');
}

/** Windows OS SKU numbers and the names filter rules use (the reference's operatingSystemSKU table). */
const OS_SKUS: Readonly<Record<number, string>> = {
  4: 'Enterprise',
  27: 'EnterpriseN',
  48: 'Professional',
  49: 'BusinessN',
  72: 'EnterpriseEval',
  84: 'EnterpriseNEval',
  98: 'CoreN',
  99: 'CoreCountrySpecific',
  100: 'CoreSingleLanguage',
  101: 'Core',
  111: 'Core',
  119: 'PPIPro',
  121: 'Education',
  122: 'EducationN',
  123: 'IoTUAP',
  125: 'EnterpriseS',
  126: 'EnterpriseSN',
  129: 'EnterpriseSEval',
  131: 'IoTUAPCommercial',
  136: 'Holographic',
  138: 'ProfessionalSingleLanguage',
  161: 'ProfessionalWorkstation',
  162: 'ProfessionalN',
  164: 'ProfessionalEducation',
  165: 'ProfessionalEducationN',
  171: 'EnterpriseG',
  172: 'EnterpriseGN',
  175: 'ServerRdsh',
  188: 'IoTEnterprise',
  202: 'CloudEditionN',
  203: 'CloudEdition',
};

const OWNERSHIP: Readonly<Record<string, string>> = { company: 'Corporate', personal: 'Personal' };
/** managedDevice.joinType (beta) → the filter's deviceTrustType values. */
const JOIN_TYPES: Readonly<Record<string, string>> = {
  azureadjoined: 'Azure AD joined',
  azureadregistered: 'Azure AD registered',
  hybridazureadjoined: 'Hybrid Azure AD joined',
};
/** managedDevice.processorArchitecture (beta) → cpuArchitecture ("an x64 device is amd64" on Windows). */
const ARCHITECTURES: Readonly<Record<string, string>> = { x64: 'amd64', x86: 'x86', arm64: 'arm64' };

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The filter subject of a Graph managedDevice (beta property names): deviceName, manufacturer, model,
 * osVersion (also operatingSystemVersion), managedDeviceOwnerType → deviceOwnership (Corporate / Personal /
 * Unknown), enrollmentProfileName, deviceCategoryDisplayName → deviceCategory, joinType → deviceTrustType,
 * processorArchitecture → cpuArchitecture, skuNumber → operatingSystemSKU. An explicit `operatingSystemSKU`
 * (a name) wins over skuNumber.
 */
export function filterSubjectFromManagedDevice(device: Readonly<Record<string, unknown>>): RuleSubject {
  const owner = str(device.managedDeviceOwnerType)?.toLowerCase();
  const join = str(device.joinType)?.toLowerCase();
  const architecture = str(device.processorArchitecture)?.toLowerCase();
  const sku = str(device.operatingSystemSKU) ?? (typeof device.skuNumber === 'number' ? (OS_SKUS[device.skuNumber] ?? null) : null);
  return {
    cpuArchitecture: architecture === undefined ? 'unknown' : (ARCHITECTURES[architecture] ?? 'unknown'),
    deviceCategory: str(device.deviceCategoryDisplayName),
    deviceName: str(device.deviceName),
    deviceOwnership: owner === undefined ? 'Unknown' : (OWNERSHIP[owner] ?? 'Unknown'),
    deviceTrustType: join === undefined ? 'Unknown' : (JOIN_TYPES[join] ?? 'Unknown'),
    enrollmentProfileName: str(device.enrollmentProfileName),
    manufacturer: str(device.manufacturer),
    model: str(device.model),
    operatingSystemVersion: str(device.osVersion),
    osVersion: str(device.osVersion),
    operatingSystemSKU: sku,
  };
}
