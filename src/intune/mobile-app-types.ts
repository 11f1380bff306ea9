// The Windows app types of /deviceAppManagement/mobileApps that Tarmac serves, one entry per @odata.type:
// its shape, server-set defaults, the values Intune requires and checks, which assignment settings type it
// takes and where it installs (system or user context). Sources: Graph beta resources win32LobApp,
// win32CatalogApp, windowsMobileMSI, winGetApp, officeSuiteApp and their enums; memdocs apps-win32-add.md,
// lob-apps-windows.md, apps-deploy.md; behaviour.md §1.7 (supported types in device preparation).
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { intuneShape, unionShape } from '../graph/schema/shapes.js';
import { intuneBadRequest } from './errors.js';
import { arrayAt, checkBoolean, checkEnum, checkFlags, checkInteger, nestedType, objectAt, requireValue, type Json } from './value-checks.js';

export type InstallContext = 'system' | 'user';

export const WIN32_LOB_APP = '#microsoft.graph.win32LobApp';
export const WIN32_CATALOG_APP = '#microsoft.graph.win32CatalogApp';
export const WINDOWS_MSI_APP = '#microsoft.graph.windowsMobileMSI';
export const WINGET_APP = '#microsoft.graph.winGetApp';
export const OFFICE_SUITE_APP = '#microsoft.graph.officeSuiteApp';

export interface MobileAppType {
  readonly odataType: string;
  readonly shape: ResourceShape;
  /** The mobileAppAssignmentSettings subtypes an assignment of this app may carry (none: settings stay null). */
  readonly settingsTypes: readonly string[];
  /** Win32 apps may be made Available to device groups; every other type to user groups only (apps-deploy.md). */
  readonly availableToDevices: boolean;
  /** Properties Intune sets when the app is created (the client's values come on top). */
  defaults(): Json;
  /** Intune's checks of the whole object, on create (existing undefined) and on every PATCH. */
  check(data: Json, existing: Json | undefined): void;
  /** Where the app installs on the device. */
  installContext(app: Json): InstallContext;
}

// Enum members from Microsoft's metadata (msgraph-beta-sdk models).
export const RUN_AS_ACCOUNT = ['system', 'user'] as const;
const WINDOWS_ARCHITECTURE = ['none', 'x86', 'x64', 'arm', 'neutral', 'arm64'];
/** "Possible values are: null, x86, x64, arm64" (win32LobApp.allowedArchitectures). */
const ALLOWED_ARCHITECTURES = ['x86', 'x64', 'arm64'];
const RESTART_BEHAVIOR = ['basedOnReturnCode', 'allow', 'suppress', 'force'];
const RETURN_CODE_TYPE = ['failed', 'success', 'softReboot', 'hardReboot', 'retry'];
const RULE_TYPE = ['detection', 'requirement'];
const WIN32_RULES = ['FileSystemRule', 'PowerShellScriptRule', 'ProductCodeRule', 'RegistryRule', 'ProcessRule'].map((t) => `#microsoft.graph.win32LobApp${t}`);
const WIN32_DETECTIONS = ['PowerShellScriptDetection', 'RegistryDetection', 'FileSystemDetection', 'ProductCodeDetection'].map((t) => `#microsoft.graph.win32LobApp${t}`);
const WIN32_REQUIREMENTS = ['FileSystemRequirement', 'PowerShellScriptRequirement', 'RegistryRequirement'].map((t) => `#microsoft.graph.win32LobApp${t}`);
const OFFICE_PRODUCT_ID = ['o365ProPlusRetail', 'o365BusinessRetail', 'visioProRetail', 'projectProRetail'];
const OFFICE_UPDATE_CHANNEL = ['none', 'current', 'deferred', 'firstReleaseCurrent', 'firstReleaseDeferred', 'monthlyEnterprise'];
const OFFICE_PROGRESS_LEVEL = ['none', 'full'];
const OFFICE_FILE_FORMAT = ['notConfigured', 'officeOpenXMLFormat', 'officeOpenDocumentFormat', 'unknownFutureValue'];
const OFFICE_EXCLUDED_APPS = ['access', 'bing', 'excel', 'groove', 'infoPath', 'lync', 'oneDrive', 'oneNote', 'outlook', 'powerPoint', 'publisher', 'sharePointDesigner', 'teams', 'visio', 'word'];

const str: PropType = { kind: 'string' };
const bool: PropType = { kind: 'boolean' };
const int: PropType = { kind: 'int' };
const strings: PropType = { kind: 'collection', of: str };

/** Server-computed mobileApp properties, typed so that $filter and $orderby can use them (isAssigned eq true). */
const COMMON_TYPED: Record<string, PropType> = {
  isAssigned: bool,
  uploadState: int,
  publishingState: { kind: 'enum', typeName: 'microsoft.graph.mobileAppPublishingState' },
  dependentAppCount: int,
  supersedingAppCount: int,
  supersededAppCount: int,
  roleScopeTagIds: strings,
};
const WIN32_TYPED: Record<string, PropType> = {
  ...COMMON_TYPED,
  applicableArchitectures: { kind: 'enum', flags: true, typeName: 'microsoft.graph.windowsArchitecture' },
  allowedArchitectures: { kind: 'enum', flags: true, typeName: 'microsoft.graph.windowsArchitecture' },
  displayVersion: str,
  allowAvailableUninstall: bool,
};

const withTypeName = (shape: ResourceShape, entity: string): ResourceShape => ({ ...shape, typeName: `microsoft.graph.${entity}` });

/** mobileApp properties every type starts with, as Intune returns them on a new app. */
function mobileAppDefaults(): Json {
  return {
    description: null,
    publisher: null,
    largeIcon: null,
    isFeatured: false,
    privacyInformationUrl: null,
    informationUrl: null,
    owner: null,
    developer: null,
    notes: null,
    // Tarmac has no content upload: every app is ready and published from creation (docs/compatibility.md).
    uploadState: 1,
    publishingState: 'published',
    isAssigned: false,
    dependentAppCount: 0,
    supersedingAppCount: 0,
    supersededAppCount: 0,
  };
}

const lobDefaults = (): Json => ({ ...mobileAppDefaults(), committedContentVersion: null, fileName: null, size: 0 });

/** Every type: a name and a publisher (the Intune admin center requires both on every app type). */
function checkCommon(data: Json): void {
  requireValue(data, 'displayName');
  requireValue(data, 'publisher');
  checkBoolean(data.isFeatured, 'isFeatured');
}

/** A value fixed at creation ("Required at creation time, cannot be modified on existing objects"). */
function immutable(data: Json, existing: Json | undefined, read: (o: Json) => unknown, field: string): void {
  if (existing && JSON.stringify(read(data) ?? null) !== JSON.stringify(read(existing) ?? null)) {
    throw intuneBadRequest(`'${field}' is set when the app is created and cannot be changed.`, field);
  }
}

const win32InstallExperienceDefault = () => ({ '@odata.type': '#microsoft.graph.win32LobAppInstallExperience', runAsAccount: 'system', deviceRestartBehavior: 'basedOnReturnCode', maxRunTimeInMinutes: 60 });

/** win32LobApp (and the Enterprise App Catalog's win32CatalogApp, which derives from it). */
function checkWin32(data: Json): void {
  checkCommon(data);
  // Graph refuses a Win32 app without fileName or without a detection rule (seen: 400 "The Win32LobApp
  // must have at least one detection rule specified.").
  requireValue(data, 'fileName');
  if (data.activeInstallScript == null) requireValue(data, 'installCommandLine');
  if (data.activeUninstallScript == null) requireValue(data, 'uninstallCommandLine');
  const experience = objectAt(data.installExperience, 'installExperience');
  if (experience) {
    requireValue(experience, 'runAsAccount', 'installExperience.runAsAccount');
    checkEnum(experience.runAsAccount, RUN_AS_ACCOUNT, 'installExperience.runAsAccount');
    checkEnum(experience.deviceRestartBehavior, RESTART_BEHAVIOR, 'installExperience.deviceRestartBehavior');
    checkInteger(experience.maxRunTimeInMinutes, 'installExperience.maxRunTimeInMinutes', 1, 1440);
  }
  checkFlags(data.applicableArchitectures, WINDOWS_ARCHITECTURE, 'applicableArchitectures');
  checkFlags(data.allowedArchitectures, ALLOWED_ARCHITECTURES, 'allowedArchitectures');
  for (const name of ['minimumFreeDiskSpaceInMB', 'minimumMemoryInMB', 'minimumNumberOfProcessors', 'minimumCpuSpeedInMHz']) checkInteger(data[name], name);
  for (const [i, code] of arrayAt(data.returnCodes, 'returnCodes').entries()) {
    const c = objectAt(code, `returnCodes[${i}]`) ?? {};
    checkInteger(c.returnCode, `returnCodes[${i}].returnCode`, -(2 ** 31), 2 ** 31 - 1);
    requireValue(c, 'type', `returnCodes[${i}].type`);
    checkEnum(c.type, RETURN_CODE_TYPE, `returnCodes[${i}].type`);
  }
  let detections = 0;
  for (const [i, rule] of arrayAt(data.rules, 'rules').entries()) {
    const r = objectAt(rule, `rules[${i}]`) ?? {};
    nestedType(r, WIN32_RULES, `rules[${i}]`);
    requireValue(r, 'ruleType', `rules[${i}].ruleType`);
    checkEnum(r.ruleType, RULE_TYPE, `rules[${i}].ruleType`);
    if (r.ruleType === 'detection') detections++;
  }
  for (const [i, rule] of arrayAt(data.detectionRules, 'detectionRules').entries()) {
    nestedType(objectAt(rule, `detectionRules[${i}]`) ?? {}, WIN32_DETECTIONS, `detectionRules[${i}]`);
    detections++;
  }
  for (const [i, rule] of arrayAt(data.requirementRules, 'requirementRules').entries()) {
    nestedType(objectAt(rule, `requirementRules[${i}]`) ?? {}, WIN32_REQUIREMENTS, `requirementRules[${i}]`);
  }
  if (detections === 0) throw intuneBadRequest('The Win32LobApp must have at least one detection rule specified.', 'rules');
}

function win32Defaults(): Json {
  return {
    ...lobDefaults(),
    installCommandLine: null,
    uninstallCommandLine: null,
    applicableArchitectures: 'none',
    allowedArchitectures: null,
    minimumSupportedOperatingSystem: null,
    minimumFreeDiskSpaceInMB: null,
    minimumMemoryInMB: null,
    minimumNumberOfProcessors: null,
    minimumCpuSpeedInMHz: null,
    detectionRules: [],
    requirementRules: [],
    rules: [],
    installExperience: win32InstallExperienceDefault(),
    returnCodes: [],
    msiInformation: null,
    setupFilePath: null,
    minimumSupportedWindowsRelease: null,
    displayVersion: null,
    allowAvailableUninstall: false,
    activeInstallScript: null,
    activeUninstallScript: null,
  };
}

/** Win32 apps run as the installExperience says (System by default, as the admin center proposes). */
const win32Context = (app: Json): InstallContext => ((app.installExperience as Json | null)?.runAsAccount === 'user' ? 'user' : 'system');

const win32Shape = withTypeName(intuneShape('win32LobApp', WIN32_TYPED), 'win32LobApp');

const win32LobApp: MobileAppType = {
  odataType: WIN32_LOB_APP,
  shape: win32Shape,
  settingsTypes: ['#microsoft.graph.win32LobAppAssignmentSettings'],
  availableToDevices: true,
  defaults: win32Defaults,
  check: (data) => checkWin32(data),
  installContext: win32Context,
};

/** Enterprise App Catalog apps: a win32LobApp that references a catalog package (added 2506 for DP). */
const win32CatalogApp: MobileAppType = {
  odataType: WIN32_CATALOG_APP,
  shape: withTypeName(intuneShape('win32LobApp', { ...WIN32_TYPED, mobileAppCatalogPackageId: str }), 'win32CatalogApp'),
  settingsTypes: ['#microsoft.graph.win32CatalogAppAssignmentSettings', '#microsoft.graph.win32LobAppAssignmentSettings'],
  availableToDevices: true,
  defaults: () => ({ ...win32Defaults(), mobileAppCatalogPackageId: null }),
  check(data, existing) {
    requireValue(data, 'mobileAppCatalogPackageId');
    immutable(data, existing, (o) => o.mobileAppCatalogPackageId, 'mobileAppCatalogPackageId');
    checkWin32(data);
  },
  installContext: win32Context,
};

/**
 * Line-of-business MSI. `useDeviceContext`: "If true, app will be installed for all users. If false, app
 * will be installed per-user. If null, service will use the MSI package's default install context. In case
 * of dual-mode MSI, this default will be per-user. Cannot be changed after initial creation."
 */
const windowsMobileMSI: MobileAppType = {
  odataType: WINDOWS_MSI_APP,
  shape: withTypeName(intuneShape('windowsMobileMSI', { ...COMMON_TYPED, useDeviceContext: bool, identityVersion: str }), 'windowsMobileMSI'),
  settingsTypes: [],
  availableToDevices: false,
  defaults: () => ({ ...lobDefaults(), commandLine: null, productCode: null, productVersion: null, ignoreVersionDetection: false, identityVersion: null, useDeviceContext: null }),
  check(data, existing) {
    checkCommon(data);
    checkBoolean(data.useDeviceContext, 'useDeviceContext');
    checkBoolean(data.ignoreVersionDetection, 'ignoreVersionDetection');
    immutable(data, existing, (o) => o.useDeviceContext, 'useDeviceContext');
  },
  // Tarmac has no MSI package to read. null (the package's own context) counts as device context, as for the
  // common per-machine MSI assigned to devices; only a dual-mode MSI set to per-user (false) installs as the user.
  installContext: (app) => (app.useDeviceContext === false ? 'user' : 'system'),
};

/** Microsoft Store app (new), backed by WinGet: packageIdentifier and installExperience are fixed at creation. */
const winGetApp: MobileAppType = {
  odataType: WINGET_APP,
  shape: withTypeName(intuneShape('winGetApp', { ...COMMON_TYPED, packageIdentifier: str, manifestHash: str }), 'winGetApp'),
  settingsTypes: ['#microsoft.graph.winGetAppAssignmentSettings'],
  availableToDevices: false,
  defaults: () => ({ ...mobileAppDefaults(), manifestHash: null, packageIdentifier: null, installExperience: null }),
  check(data, existing) {
    checkCommon(data);
    requireValue(data, 'packageIdentifier');
    const experience = objectAt(data.installExperience, 'installExperience');
    if (!experience) throw intuneBadRequest("'installExperience' is required.", 'installExperience');
    requireValue(experience, 'runAsAccount', 'installExperience.runAsAccount');
    checkEnum(experience.runAsAccount, RUN_AS_ACCOUNT, 'installExperience.runAsAccount');
    immutable(data, existing, (o) => o.packageIdentifier, 'packageIdentifier');
    immutable(data, existing, (o) => (o.installExperience as Json | null)?.runAsAccount, 'installExperience.runAsAccount');
  },
  installContext: (app) => ((app.installExperience as Json | null)?.runAsAccount === 'user' ? 'user' : 'system'),
};

/** Microsoft 365 Apps: configured by products and channel, or by a configuration XML; always system context. */
const officeSuiteApp: MobileAppType = {
  odataType: OFFICE_SUITE_APP,
  shape: withTypeName(
    intuneShape('officeSuiteApp', {
      ...COMMON_TYPED,
      autoAcceptEula: bool,
      shouldUninstallOlderVersionsOfOffice: bool,
      useSharedComputerActivation: bool,
      targetVersion: str,
      updateVersion: str,
      updateChannel: { kind: 'enum', typeName: 'microsoft.graph.officeUpdateChannel' },
      officePlatformArchitecture: { kind: 'enum', flags: true, typeName: 'microsoft.graph.windowsArchitecture' },
      installProgressDisplayLevel: { kind: 'enum', typeName: 'microsoft.graph.officeSuiteInstallProgressDisplayLevel' },
      officeSuiteAppDefaultFileFormat: { kind: 'enum', typeName: 'microsoft.graph.officeSuiteDefaultFileFormatType' },
      productIds: { kind: 'collection', of: { kind: 'enum', typeName: 'microsoft.graph.officeProductId' } },
      localesToInstall: strings,
    }),
    'officeSuiteApp',
  ),
  settingsTypes: [],
  availableToDevices: false,
  defaults: () => ({
    ...mobileAppDefaults(),
    autoAcceptEula: false,
    productIds: [],
    excludedApps: null,
    useSharedComputerActivation: false,
    updateChannel: 'none',
    officeSuiteAppDefaultFileFormat: 'notConfigured',
    officePlatformArchitecture: 'none',
    localesToInstall: [],
    installProgressDisplayLevel: 'none',
    shouldUninstallOlderVersionsOfOffice: false,
    targetVersion: null,
    updateVersion: null,
    officeConfigurationXml: null,
  }),
  check(data) {
    checkCommon(data);
    const products = arrayAt(data.productIds, 'productIds');
    for (const [i, p] of products.entries()) checkEnum(p, OFFICE_PRODUCT_ID, `productIds[${i}]`);
    if (products.length === 0 && data.officeConfigurationXml == null) {
      throw intuneBadRequest("'productIds' must name at least one Office product (or give 'officeConfigurationXml').", 'productIds');
    }
    checkEnum(data.updateChannel, OFFICE_UPDATE_CHANNEL, 'updateChannel');
    checkFlags(data.officePlatformArchitecture, WINDOWS_ARCHITECTURE, 'officePlatformArchitecture');
    checkEnum(data.installProgressDisplayLevel, OFFICE_PROGRESS_LEVEL, 'installProgressDisplayLevel');
    checkEnum(data.officeSuiteAppDefaultFileFormat, OFFICE_FILE_FORMAT, 'officeSuiteAppDefaultFileFormat');
    const excluded = objectAt(data.excludedApps, 'excludedApps');
    for (const [k, v] of Object.entries(excluded ?? {})) {
      if (k.startsWith('@odata.')) continue;
      if (!OFFICE_EXCLUDED_APPS.includes(k)) throw intuneBadRequest(`'excludedApps.${k}' is not an Office app; use ${OFFICE_EXCLUDED_APPS.join(', ')}.`, `excludedApps.${k}`);
      checkBoolean(v, `excludedApps.${k}`);
    }
  },
  // "Microsoft 365 apps are installed in the device (system) context" (the Office Deployment Tool runs as System).
  installContext: () => 'system',
};

export const MOBILE_APP_TYPES: Readonly<Record<string, MobileAppType>> = Object.fromEntries(
  [win32LobApp, win32CatalogApp, windowsMobileMSI, winGetApp, officeSuiteApp].map((t) => [t.odataType, t]),
);

export function appType(odataType: unknown): MobileAppType {
  const t = MOBILE_APP_TYPES[String(odataType)];
  if (!t) throw new Error(`not a mobile app type Tarmac serves: ${String(odataType)}`);
  return t;
}

/** The type names `isof('microsoft.graph.x')` matches: the type and the types derived from it. */
export function typesDerivedFrom(typeName: string): string[] {
  const t = `#${typeName.replace(/^#/, '')}`.toLowerCase();
  const all = Object.keys(MOBILE_APP_TYPES);
  if (t === '#microsoft.graph.mobileapp') return all;
  if (t === '#microsoft.graph.mobilelobapp') return [WIN32_LOB_APP, WIN32_CATALOG_APP, WINDOWS_MSI_APP];
  if (t === WIN32_LOB_APP.toLowerCase()) return [WIN32_LOB_APP, WIN32_CATALOG_APP];
  return all.filter((name) => name.toLowerCase() === t);
}

/** Every property of every app type, for $filter, $select and $orderby over the collection. */
export const mobileAppShape = unionShape('microsoft.graph.mobileApp', Object.values(MOBILE_APP_TYPES).map((t) => t.shape));

/**
 * The smallest Win32 app create body Intune accepts (install in System context, detected by a file), as
 * `tarmac demo`, the benches and the tests send it.
 */
export function minimalWin32AppBody(name: string, extra: Json = {}): Json {
  const file = name.replace(/\W/g, '');
  return {
    '@odata.type': WIN32_LOB_APP,
    displayName: name,
    description: name,
    publisher: 'Contoso',
    fileName: `${file}.intunewin`,
    setupFilePath: 'setup.exe',
    installCommandLine: 'setup.exe /quiet',
    uninstallCommandLine: 'setup.exe /uninstall /quiet',
    applicableArchitectures: 'x64',
    minimumSupportedWindowsRelease: '1909',
    rules: [{ '@odata.type': '#microsoft.graph.win32LobAppFileSystemRule', ruleType: 'detection', path: 'C:\\Program Files\\Contoso', fileOrFolderName: `${file}.exe`, check32BitOn64System: false, operationType: 'exists' }],
    installExperience: { runAsAccount: 'system', deviceRestartBehavior: 'suppress' },
    returnCodes: [{ returnCode: 0, type: 'success' }],
    ...extra,
  };
}
