// The kinds of device enrollment configuration (/beta/deviceManagement/deviceEnrollmentConfigurations): their
// @odata.type, the deviceEnrollmentConfigurationType Intune serves, the id suffix Intune gives them, the priority
// family they are ranked in, and the shapes their bodies and queries bind to.
// Source: Graph beta intune-shared-deviceenrollmentconfiguration.md and the type pages it links; ids and served
// values as a real tenant returns them ("<tenantId>_DefaultLimit", "<guid>_SinglePlatformRestriction").
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { intuneShape, unionShape } from '../graph/schema/shapes.js';

export const ENROLLMENT_CONFIGURATIONS = 'deviceEnrollmentConfigurations';

export const ESP_TYPE = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';
export const LIMIT_TYPE = '#microsoft.graph.deviceEnrollmentLimitConfiguration';
export const SINGLE_PLATFORM_TYPE = '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration';
export const PLATFORMS_TYPE = '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration';
export const HELLO_TYPE = '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration';
export const RESTORE_TYPE = '#microsoft.graph.windowsRestoreDeviceEnrollmentConfiguration';

export interface EnrollmentKind {
  readonly odataType: string;
  /** The deviceEnrollmentConfigurationType Intune serves for objects of this kind (defaults included). */
  readonly configurationType: string;
  /** Custom objects are "<guid>_<idSuffix>"; undefined when only the default exists. */
  readonly idSuffix?: string;
  /** The default every tenant has is "<tenantId>_<defaultSuffix>". */
  readonly defaultSuffix: string;
  /** Other names a client may give deviceEnrollmentConfigurationType for this kind (the default's names). */
  readonly aliases: readonly string[];
  /** How many custom objects a tenant may have (memdocs enrollment-restrictions-set.md, windows-enrollment-status.md). */
  readonly maxCustom?: number;
  /** The resource-limit group the maximum counts over. */
  readonly limitGroup?: string;
}

export const ENROLLMENT_KINDS: readonly EnrollmentKind[] = [
  {
    odataType: ESP_TYPE,
    configurationType: 'windows10EnrollmentCompletionPageConfiguration',
    idSuffix: 'Windows10EnrollmentCompletionPageConfiguration',
    defaultSuffix: 'DefaultWindows10EnrollmentCompletionPageConfiguration',
    aliases: ['defaultWindows10EnrollmentCompletionPageConfiguration'],
    // "Default + 50" Enrollment Status Page profiles (behaviour.md §5.5).
    maxCustom: 50,
    limitGroup: 'Enrollment Status Page profiles',
  },
  {
    odataType: LIMIT_TYPE,
    configurationType: 'limit',
    idSuffix: 'Limit',
    defaultSuffix: 'DefaultLimit',
    aliases: ['defaultLimit'],
    maxCustom: 25,
    limitGroup: 'device limit restrictions',
  },
  {
    odataType: SINGLE_PLATFORM_TYPE,
    configurationType: 'singlePlatformRestriction',
    idSuffix: 'SinglePlatformRestriction',
    // Per-platform restrictions have no default of their own: the all-platforms default below is theirs.
    defaultSuffix: 'DefaultPlatformRestrictions',
    aliases: [],
    maxCustom: 25,
    limitGroup: 'device platform restrictions',
  },
  {
    // Only the tenant's default uses the all-platforms form; custom restrictions are per platform.
    odataType: PLATFORMS_TYPE,
    configurationType: 'platformRestrictions',
    defaultSuffix: 'DefaultPlatformRestrictions',
    aliases: ['defaultPlatformRestrictions', 'singlePlatformRestriction'],
  },
  {
    odataType: HELLO_TYPE,
    configurationType: 'windowsHelloForBusiness',
    defaultSuffix: 'DefaultWindowsHelloForBusiness',
    aliases: ['defaultWindowsHelloForBusiness'],
  },
  {
    odataType: RESTORE_TYPE,
    configurationType: 'windowsRestore',
    defaultSuffix: 'WindowsRestore',
    aliases: [],
  },
];

export function kindOf(odataType: unknown): EnrollmentKind | undefined {
  const t = typeof odataType === 'string' ? `#${odataType.replace(/^#/, '')}`.toLowerCase() : '';
  return ENROLLMENT_KINDS.find((k) => k.odataType.toLowerCase() === t);
}

export const CREATABLE_KINDS = ENROLLMENT_KINDS.filter((k) => k.idSuffix !== undefined);

/** The id of one of the defaults every tenant has. */
export const defaultId = (tenantId: string, kind: EnrollmentKind) => `${tenantId}_${kind.defaultSuffix}`;

/** Whether an object is one of the tenant's defaults (priority 0, applies to everyone). */
export function isDefaultConfiguration(tenantId: string, id: string): boolean {
  return id.startsWith(`${tenantId}_`) && ENROLLMENT_KINDS.some((k) => id === defaultId(tenantId, k));
}

/**
 * The group custom objects are ranked in: Enrollment Status Page profiles together, device limit restrictions
 * together, and platform restrictions per platform (the admin center lists each platform's own order).
 */
export function priorityFamily(data: Readonly<Record<string, unknown>>): string {
  const kind = kindOf(data['@odata.type']);
  const base = kind?.configurationType ?? 'unknown';
  return kind?.odataType === SINGLE_PLATFORM_TYPE ? `${base}/${String(data.platformType)}` : base;
}

// ----- Shapes ------------------------------------------------------------------------------------------------

const str: PropType = { kind: 'string' };
const bool: PropType = { kind: 'boolean' };
const int: PropType = { kind: 'int' };
const strings: PropType = { kind: 'collection', of: str };
const enumOf = (name: string): PropType => ({ kind: 'enum', typeName: `microsoft.graph.${name}` });
/** Any JSON value: the service checks these itself, with messages naming the member at fault. */
const opaque: PropType = { kind: 'complex', properties: {} };

export const RESTRICTION_SHAPE: PropType = {
  kind: 'complex',
  typeName: 'microsoft.graph.deviceEnrollmentPlatformRestriction',
  properties: {
    platformBlocked: bool,
    personalDeviceEnrollmentBlocked: bool,
    osMinimumVersion: str,
    osMaximumVersion: str,
    blockedManufacturers: strings,
    blockedSkus: strings,
  },
};

/** Properties every configuration has, typed where Tarmac reads them. */
const base: Record<string, PropType> = {
  displayName: str,
  description: str,
  priority: int,
  version: int,
  deviceEnrollmentConfigurationType: enumOf('deviceEnrollmentConfigurationType'),
  roleScopeTagIds: strings,
};

const espSettings: Record<string, PropType> = {
  showInstallationProgress: bool,
  blockDeviceSetupRetryByUser: bool,
  allowDeviceResetOnInstallFailure: bool,
  allowLogCollectionOnInstallFailure: bool,
  installProgressTimeoutInMinutes: int,
  allowDeviceUseOnInstallFailure: bool,
  selectedMobileAppIds: strings,
  allowNonBlockingAppInstallation: bool,
  installQualityUpdates: bool,
  trackInstallProgressForAutopilotOnly: bool,
  disableUserStatusTrackingAfterFirstUser: bool,
};

const LEGACY_RESTRICTIONS = [
  'androidRestriction', 'androidForWorkRestriction', 'iosRestriction', 'macOSRestriction', 'macRestriction',
  'windowsRestriction', 'windowsMobileRestriction', 'windowsHomeSkuRestriction', 'tvosRestriction', 'visionOSRestriction',
] as const;
export const LEGACY_RESTRICTION_PROPERTIES: readonly string[] = LEGACY_RESTRICTIONS;

const helloSettings: Record<string, PropType> = {
  state: enumOf('enablement'),
  pinMinimumLength: int,
  pinMaximumLength: int,
  pinUppercaseCharactersUsage: enumOf('windowsHelloForBusinessPinUsage'),
  pinLowercaseCharactersUsage: enumOf('windowsHelloForBusinessPinUsage'),
  pinSpecialCharactersUsage: enumOf('windowsHelloForBusinessPinUsage'),
  securityDeviceRequired: bool,
  unlockWithBiometricsEnabled: bool,
  remotePassportEnabled: bool,
  pinPreviousBlockCount: int,
  pinExpirationInDays: int,
  enhancedBiometricsState: enumOf('enablement'),
  securityKeyForSignIn: enumOf('enablement'),
  enhancedSignInSecurity: int,
};

/** A type Microsoft's v1.0 metadata (entities.generated.ts) does not describe, written out here. */
function handShape(typeName: string, own: Record<string, PropType>): ResourceShape {
  const common = intuneShape('deviceEnrollmentConfiguration', base);
  return { typeName: `microsoft.graph.${typeName}`, properties: { ...common.properties, ...own }, columns: { id: 'id' } };
}

/**
 * Two shapes per type: the body shape the foundation checks writes against (members Tarmac checks itself are
 * left open, so its messages name the member), and the query shape $filter/$select/$orderby bind to.
 */
function shapesOf(body: ResourceShape, typedForQuery: Record<string, PropType>) {
  return { body, query: { ...body, properties: { ...body.properties, ...typedForQuery } } };
}

const restrictionsTyped = Object.fromEntries(LEGACY_RESTRICTIONS.map((n) => [n, RESTRICTION_SHAPE]));

const SHAPES = {
  [ESP_TYPE]: shapesOf(intuneShape('windows10EnrollmentCompletionPageConfiguration', { ...base, ...espSettings, customErrorMessage: opaque }), {
    customErrorMessage: str,
  }),
  [LIMIT_TYPE]: shapesOf(intuneShape('deviceEnrollmentLimitConfiguration', { ...base, limit: int }), {}),
  [SINGLE_PLATFORM_TYPE]: shapesOf(
    // Microsoft's metadata lists this type without its base type; the base properties are added here.
    handShape('deviceEnrollmentPlatformRestrictionConfiguration', { platformType: enumOf('enrollmentRestrictionPlatformType'), platformRestriction: opaque }),
    { platformRestriction: RESTRICTION_SHAPE },
  ),
  [PLATFORMS_TYPE]: shapesOf(
    handShape('deviceEnrollmentPlatformRestrictionsConfiguration', Object.fromEntries(LEGACY_RESTRICTIONS.map((n) => [n, opaque]))),
    restrictionsTyped,
  ),
  [HELLO_TYPE]: shapesOf(handShape('deviceEnrollmentWindowsHelloForBusinessConfiguration', helloSettings), {}),
  [RESTORE_TYPE]: shapesOf(handShape('windowsRestoreDeviceEnrollmentConfiguration', { state: enumOf('enablement') }), {}),
};

/** Body shapes by @odata.type (IntuneResource.types). */
export const BODY_SHAPES: Readonly<Record<string, ResourceShape>> = Object.fromEntries(Object.entries(SHAPES).map(([t, s]) => [t, s.body]));

/** The collection's query shape: every property of every type. */
export const QUERY_SHAPE: ResourceShape = unionShape(
  'microsoft.graph.deviceEnrollmentConfiguration',
  Object.values(SHAPES).map((s) => s.query),
);
