// Mutation fuzzing of every Intune write: each create route, each PATCH and each action that takes a body starts
// from a payload real tools send (the portal, Terraform, CIPP, Microsoft365DSC, the PowerShell modules) and gets
// one to three mutations: a property anywhere in the body (inside settings[i].settingInstance…, target,
// installExperience, rules[i]…) replaced by a hostile JSON value (wrong types, huge strings, deep nesting, NUL
// characters, lone surrogates, arrays for objects, numbers beyond int32, 1e999, NaN-ish strings), deleted, wrapped
// in an array, turned into a string, renamed in another letter case, or an unknown property added. PATCH bodies are
// random subsets of the payload.
// For every answer: no 5xx; an error is Graph's envelope, refused by validation (not by the database); and a
// refused request changed nothing (the collections it touches read the same before and after: all-or-nothing).
// fast-check prints the seed and the mutation of any failure.
//
// A longer hunt: TARMAC_FUZZ_RUNS=20000 TARMAC_FUZZ_TIME_LIMIT_MS=1800000 npx vitest run test/intune/mutation-fuzz.test.ts
// (TARMAC_FUZZ_SEED=<n> replays a run; TARMAC_FUZZ_ONLY=<substring> fuzzes the operations whose name contains it.)
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { expectGraphError, isGraphErrorBody } from '../helpers/errors.js';
import { automaticPolicy, createGroup, userDrivenPolicy } from './device-preparation-fixtures.js';

/** Mutated requests in all (the snapshots that check all-or-nothing come on top). */
const RUNS = Number(process.env.TARMAC_FUZZ_RUNS ?? 1500);
const TIME_LIMIT_MS = Number(process.env.TARMAC_FUZZ_TIME_LIMIT_MS ?? 25_000);
const SEED = process.env.TARMAC_FUZZ_SEED !== undefined ? Number(process.env.TARMAC_FUZZ_SEED) : undefined;
const ONLY = process.env.TARMAC_FUZZ_ONLY;
const REQUEST_TIMEOUT_MS = 20_000;
/** TARMAC_FUZZ_STATS=1 prints, per operation, how many answers had each status (to see that mutations get past the first checks). */
const STATS = process.env.TARMAC_FUZZ_STATS === '1';
const stats = new Map<string, Map<string, number>>();

const APPS = '/beta/deviceAppManagement/mobileApps';
const SCRIPTS = '/beta/deviceManagement/deviceManagementScripts';
const POLICIES = '/beta/deviceManagement/configurationPolicies';
const ENROLLMENT = '/beta/deviceManagement/deviceEnrollmentConfigurations';
const CORPORATE = '/beta/deviceManagement/importedDeviceIdentities';
const IMPORTS = '/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities';
const DEVICES = '/beta/deviceManagement/windowsAutopilotDeviceIdentities';
const PROFILES = '/beta/deviceManagement/windowsAutopilotDeploymentProfiles';
const FILTERS = '/beta/deviceManagement/assignmentFilters';
const TAGS = '/beta/deviceManagement/roleScopeTags';
const MANAGED = '/beta/deviceManagement/managedDevices';

const ESP = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';
const SINGLE = '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration';
const LIMIT = '#microsoft.graph.deviceEnrollmentLimitConfiguration';
const GROUP_TARGET = '#microsoft.graph.groupAssignmentTarget';
const EXCLUSION_TARGET = '#microsoft.graph.exclusionGroupAssignmentTarget';

let t: TestServer;
let a: TestTenant;
/** Ids of the objects the operations work on. */
const fx: Record<string, string> = {};
let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${++counter}`;

// ---- valid payloads (as the tests of each area send them) ---------------------------------------------------

type Json = Record<string, unknown>;

const win32Body = (): Json => ({
  '@odata.type': '#microsoft.graph.win32LobApp',
  applicableArchitectures: 'x64,x86',
  allowAvailableUninstall: false,
  description: 'Install 7-Zip',
  developer: '',
  displayName: '7-Zip 22.01 (x64)',
  fileName: '7z2201-x64.intunewin',
  setupFilePath: '7z2201-x64.msi',
  installCommandLine: 'msiexec.exe /i "7z2201-x64.msi" /qn',
  uninstallCommandLine: 'msiexec.exe /x "{23170F69-40C1-2702-2201-000001000000}" /qn',
  informationUrl: '',
  isFeatured: false,
  roleScopeTagIds: ['0'],
  notes: '',
  minimumSupportedWindowsRelease: '1909',
  msiInformation: {
    packageType: 'perMachine',
    productCode: '{23170F69-40C1-2702-2201-000001000000}',
    productName: '7-Zip 22.01 (x64 edition)',
    productVersion: '22.01.00.0',
    publisher: 'Igor Pavlov',
    requiresReboot: false,
    upgradeCode: '{23170F69-40C1-2702-0000-000004000000}',
  },
  owner: '',
  privacyInformationUrl: '',
  publisher: 'Igor Pavlov',
  returnCodes: [
    { returnCode: 0, type: 'success' },
    { returnCode: 3010, type: 'softReboot' },
    { returnCode: 1618, type: 'retry' },
  ],
  rules: [
    {
      '@odata.type': '#microsoft.graph.win32LobAppProductCodeRule',
      ruleType: 'detection',
      productCode: '{23170F69-40C1-2702-2201-000001000000}',
      productVersionOperator: 'greaterThanOrEqual',
      productVersion: '22.01.00.0',
    },
    {
      '@odata.type': '#microsoft.graph.win32LobAppRegistryRule',
      ruleType: 'requirement',
      check32BitOn64System: false,
      keyPath: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso',
      valueName: 'Ready',
      operationType: 'exists',
      operator: 'notConfigured',
      comparisonValue: null,
    },
  ],
  installExperience: { runAsAccount: 'system', deviceRestartBehavior: 'suppress', maxRunTimeInMinutes: 60 },
});

/** The older Win32 form (IntuneWin32App before rules existed): detectionRules and requirementRules. */
const win32DetectionBody = (): Json => {
  const { rules: _rules, ...rest } = win32Body();
  return {
    ...rest,
    displayName: 'Contoso agent',
    detectionRules: [
      { '@odata.type': '#microsoft.graph.win32LobAppFileSystemDetection', path: 'C:\\Program Files\\Contoso', fileOrFolderName: 'agent.exe', check32BitOn64System: false, detectionType: 'exists', operator: 'notConfigured', detectionValue: null },
    ],
    requirementRules: [{ '@odata.type': '#microsoft.graph.win32LobAppPowerShellScriptRequirement', displayName: 'check', enforceSignatureCheck: false, runAs32Bit: false, scriptContent: 'JA==', detectionType: 'boolean', operator: 'equal', detectionValue: 'true' }],
  };
};

const winGetBody = (): Json => ({
  '@odata.type': '#microsoft.graph.winGetApp',
  packageIdentifier: '9NZVDKPMR9RD',
  displayName: 'Mozilla Firefox',
  description: 'Web browser',
  publisher: 'Mozilla',
  isFeatured: false,
  roleScopeTagIds: ['0'],
  installExperience: { '@odata.type': '#microsoft.graph.winGetAppInstallExperience', runAsAccount: 'system' },
});

const officeBody = (): Json => ({
  '@odata.type': '#microsoft.graph.officeSuiteApp',
  displayName: 'Microsoft 365 Apps for Windows 10 and later',
  description: 'Microsoft 365 Apps for Windows 10 and later',
  isFeatured: false,
  roleScopeTagIds: ['0'],
  autoAcceptEula: true,
  productIds: ['o365ProPlusRetail'],
  excludedApps: { '@odata.type': '#microsoft.graph.excludedApps', access: true, bing: false, groove: true, teams: false, word: false },
  useSharedComputerActivation: true,
  updateChannel: 'current',
  officeSuiteAppDefaultFileFormat: 'officeOpenXMLFormat',
  officePlatformArchitecture: 'x64',
  localesToInstall: [],
  installProgressDisplayLevel: 'none',
  shouldUninstallOlderVersionsOfOffice: true,
  targetVersion: '',
  updateVersion: '',
  officeConfigurationXml: null,
  publisher: 'Microsoft',
});

const msiBody = (): Json => ({
  '@odata.type': '#microsoft.graph.windowsMobileMSI',
  displayName: 'Contoso VPN',
  description: 'VPN client',
  publisher: 'Contoso',
  isFeatured: false,
  commandLine: '/qn',
  productCode: '{11111111-2222-3333-4444-555555555555}',
  productVersion: '1.0.0',
  ignoreVersionDetection: false,
  useDeviceContext: true,
  fileName: 'vpn.msi',
});

const SCRIPT = 'Write-Output "Install X"\r\nNew-Item -Path C:\\ProgramData\\X -ItemType Directory -Force\r\n';
const scriptBody = (): Json => ({
  '@odata.type': '#microsoft.graph.deviceManagementScript',
  displayName: 'Install X',
  description: 'Prepares X during OOBE',
  scriptContent: Buffer.from(SCRIPT, 'utf8').toString('base64'),
  runAsAccount: 'system',
  runAs32Bit: false,
  enforceSignatureCheck: false,
  fileName: 'Install-X.ps1',
  roleScopeTagIds: ['0'],
});

/** A Settings Catalog policy that is not device preparation (structural checks only). */
const mdmPolicy = (): Json => ({
  name: 'Fuzz MDM policy',
  description: 'Defender',
  platforms: 'windows10',
  technologies: 'mdm,microsoftSense',
  roleScopeTagIds: ['0'],
  templateReference: { templateId: '', templateFamily: 'none' },
  settings: [
    {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
        settingDefinitionId: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring',
        choiceSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingValue', value: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1', children: [] },
      },
    },
  ],
});

const portalEsp = (): Json => ({
  '@odata.type': ESP,
  id: '5b1a5e2e-2bc2-4f5f-9d53-0bd0b1f3f7a1',
  displayName: unique('ESP '),
  description: 'test',
  showInstallationProgress: true,
  blockDeviceSetupRetryByUser: false,
  allowDeviceResetOnInstallFailure: true,
  allowLogCollectionOnInstallFailure: true,
  customErrorMessage: 'Setup could not be completed. Please try again or contact your support person for help.',
  installProgressTimeoutInMinutes: 60,
  allowDeviceUseOnInstallFailure: true,
  selectedMobileAppIds: [fx.win32],
  trackInstallProgressForAutopilotOnly: true,
  disableUserStatusTrackingAfterFirstUser: true,
  roleScopeTagIds: ['0'],
  allowNonBlockingAppInstallation: false,
  installQualityUpdates: true,
});

const windowsRestriction = (): Json => ({
  '@odata.type': SINGLE,
  displayName: unique('Windows restriction '),
  description: '',
  deviceEnrollmentConfigurationType: 'singlePlatformRestriction',
  platformType: 'windows',
  platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: '10.0.19045', osMaximumVersion: null, blockedManufacturers: ['Contoso'], blockedSkus: [] },
});

const limitBody = (): Json => ({ '@odata.type': LIMIT, displayName: unique('Limit '), description: '', limit: 5, roleScopeTagIds: ['0'] });

const restrictionMember = () => ({ platformBlocked: false, personalDeviceEnrollmentBlocked: false, osMinimumVersion: '', osMaximumVersion: '', blockedManufacturers: [], blockedSkus: [] });
const defaultRestrictions = (): Json => ({
  '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
  windowsRestriction: { ...restrictionMember(), osMinimumVersion: '10.0.19045' },
  iosRestriction: restrictionMember(),
  androidRestriction: restrictionMember(),
  windowsMobileRestriction: { ...restrictionMember(), platformBlocked: true },
});

const helloBody = (): Json => ({
  '@odata.type': '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration',
  state: 'enabled',
  pinMinimumLength: 6,
  pinMaximumLength: 127,
  pinUppercaseCharactersUsage: 'allowed',
  pinLowercaseCharactersUsage: 'allowed',
  pinSpecialCharactersUsage: 'disallowed',
  securityDeviceRequired: false,
  unlockWithBiometricsEnabled: true,
  remotePassportEnabled: true,
  pinPreviousBlockCount: 0,
  pinExpirationInDays: 0,
  enhancedBiometricsState: 'notConfigured',
  securityKeyForSignIn: 'notConfigured',
});

const corporateBody = (identifier = unique('Contoso,Model X,SER')): Json => ({
  '@odata.type': '#microsoft.graph.importedDeviceIdentity',
  importedDeviceIdentifier: identifier,
  importedDeviceIdentityType: 'manufacturerModelSerial',
  description: 'Lab',
  platform: 'windows',
});

const onlineBody = (): Json => ({
  '@odata.type': '#microsoft.graph.importedWindowsAutopilotDeviceIdentity',
  groupTag: 'Sales',
  serialNumber: unique('FUZZ'),
  productKey: '',
  hardwareIdentifier: randomBytes(120).toString('base64'),
  assignedUserPrincipalName: a.users[0]!.userPrincipalName,
  state: { '@odata.type': 'microsoft.graph.importedWindowsAutopilotDeviceIdentityState', deviceImportStatus: 'pending', deviceRegistrationId: '', deviceErrorCode: 0, deviceErrorName: '' },
});

const portalProfile = (): Json => ({
  '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
  displayName: unique('Profile '),
  description: '',
  locale: 'en-US',
  preprovisioningAllowed: false,
  deviceType: 'windowsPc',
  hardwareHashExtractionEnabled: false,
  roleScopeTagIds: ['0'],
  hybridAzureADJoinSkipConnectivityCheck: false,
  outOfBoxExperienceSetting: { deviceUsageType: 'singleUser', escapeLinkHidden: true, privacySettingsHidden: true, eulaHidden: true, userType: 'standard', keyboardSelectionPageSkipped: true },
  deviceNameTemplate: 'CON-%SERIAL%',
});

/** The deprecated names, as New-AutopilotProfile (WindowsAutopilotIntune) sends them. */
const moduleProfile = (): Json => ({
  '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
  displayName: unique('Module profile '),
  language: 'os-default',
  extractHardwareHash: true,
  enableWhiteGlove: true,
  deviceType: 'windowsPc',
  outOfBoxExperienceSettings: { hidePrivacySettings: true, hideEULA: true, userType: 'standard', deviceUsageType: 'shared', skipKeyboardSelectionPage: true, hideEscapeLink: true },
  deviceNameTemplate: 'KIOSK-%RAND:4%',
});

const filterBody = (): Json => ({
  '@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter',
  displayName: 'Surface devices',
  description: 'Only Surface hardware',
  platform: 'windows10AndLater',
  rule: '(device.manufacturer -eq "Microsoft Corporation") and (device.model -startsWith "Surface")',
  roleScopeTags: ['0'],
});

const groupTarget = (groupId: string, filter?: string): Json => ({
  '@odata.type': GROUP_TARGET,
  groupId,
  deviceAndAppManagementAssignmentFilterId: filter ?? null,
  deviceAndAppManagementAssignmentFilterType: filter ? 'include' : 'none',
});

const win32Assignments = (): Json => ({
  mobileAppAssignments: [
    {
      '@odata.type': '#microsoft.graph.mobileAppAssignment',
      intent: 'required',
      target: groupTarget(fx.deviceGroup!, fx.filter),
      settings: {
        '@odata.type': '#microsoft.graph.win32LobAppAssignmentSettings',
        notifications: 'showReboot',
        deliveryOptimizationPriority: 'foreground',
        autoUpdateSettings: { autoUpdateSupersededAppsState: 'enabled' },
        restartSettings: { gracePeriodInMinutes: 1440, countdownDisplayBeforeRestartInMinutes: 15, restartNotificationSnoozeDurationInMinutes: 240 },
        installTimeSettings: { useLocalTime: true, startDateTime: '2026-01-01T00:00:00Z', deadlineDateTime: '2026-02-01T00:00:00Z' },
      },
    },
    { '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'available', target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' }, settings: null },
    { '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'uninstall', target: { '@odata.type': EXCLUSION_TARGET, groupId: fx.otherGroup }, settings: null },
  ],
});

const winGetAssignments = (): Json => ({
  mobileAppAssignments: [
    {
      '@odata.type': '#microsoft.graph.mobileAppAssignment',
      intent: 'available',
      target: groupTarget(fx.userGroup!),
      settings: { '@odata.type': '#microsoft.graph.winGetAppAssignmentSettings', notifications: 'showAll', installTimeSettings: null, restartSettings: null },
    },
  ],
});

const scriptAssignments = (): Json => ({
  deviceManagementScriptAssignments: [{ '@odata.type': '#microsoft.graph.deviceManagementScriptAssignment', target: { '@odata.type': GROUP_TARGET, groupId: fx.deviceGroup } }],
  deviceManagementScriptGroupAssignments: [{ '@odata.type': '#microsoft.graph.deviceManagementScriptGroupAssignment', targetGroupId: fx.otherGroup }],
});

const policyAssignments = (): Json => ({
  assignments: [
    { '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicyAssignment', target: groupTarget(fx.userGroup!), source: 'direct' },
    { '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicyAssignment', target: { '@odata.type': EXCLUSION_TARGET, groupId: fx.otherGroup } },
  ],
});

// ---- the operations fuzzed ----------------------------------------------------------------------------------

/** The state an operation may change, read before and after it. */
type Area = 'apps' | 'scripts' | 'policies' | 'enrollment' | 'corporate' | 'imports' | 'devices' | 'profiles' | 'filters' | 'tags' | 'entra';

interface Op {
  readonly name: string;
  readonly method: 'POST' | 'PATCH' | 'PUT';
  path(): string;
  /** A valid body; a PATCH is sent a random part of it. */
  body(): Json;
  readonly areas: readonly Area[];
  /** Whether the unmutated body must succeed (false: the route refuses every body, e.g. POST managedDevices). */
  readonly valid?: boolean;
  /** Undoes a success, so that collections stay small and the valid body keeps succeeding. */
  undo?(body: any): Promise<void>;
}

const del = async (path: string) => {
  const res = await a.graph('DELETE', path);
  if (res.status >= 300 && res.status !== 404) throw new Error(`cleanup DELETE ${path}: ${res.status} ${await res.text()}`);
};
const deleteCreated = (collection: string) => async (body: any) => {
  if (typeof body?.id === 'string') await del(`${collection}/${encodeURIComponent(body.id)}`);
};
const deleteImports = async (records: any[]) => {
  for (const r of records) {
    await del(`${IMPORTS}/${r.id}`);
    if (r.state?.deviceRegistrationId) await del(`${DEVICES}/${r.state.deviceRegistrationId}`);
  }
};

const create = (name: string, path: string, body: () => Json, areas: Area[], extra: Partial<Op> = {}): Op => ({
  name: `create ${name}`,
  method: 'POST',
  path: () => path,
  body,
  areas,
  undo: deleteCreated(path),
  ...extra,
});
const patch = (name: string, path: () => string, body: () => Json, areas: Area[], method: 'PATCH' | 'PUT' = 'PATCH'): Op => ({ name: `${method} ${name}`, method, path, body, areas });
const action = (name: string, path: () => string, body: () => Json, areas: Area[], undo?: Op['undo']): Op => ({ name, method: 'POST', path, body, areas, ...(undo ? { undo } : {}) });

const OPS: Op[] = [
  // Mobile apps
  create('win32LobApp', APPS, win32Body, ['apps']),
  create('win32LobApp with detectionRules', APPS, win32DetectionBody, ['apps']),
  create('win32CatalogApp', APPS, () => ({ ...win32Body(), '@odata.type': '#microsoft.graph.win32CatalogApp', mobileAppCatalogPackageId: '3a1a1f6a-2b9c-4b5e-9f4d-0d1f6f0a7c11' }), ['apps']),
  create('winGetApp', APPS, winGetBody, ['apps']),
  create('officeSuiteApp', APPS, officeBody, ['apps']),
  create('windowsMobileMSI', APPS, msiBody, ['apps']),
  patch('win32LobApp', () => `${APPS}/${fx.win32}`, win32Body, ['apps']),
  patch('winGetApp', () => `${APPS}/${fx.winGet}`, winGetBody, ['apps']),
  patch('officeSuiteApp', () => `${APPS}/${fx.office}`, officeBody, ['apps']),
  patch('windowsMobileMSI', () => `${APPS}/${fx.msi}`, msiBody, ['apps']),
  action('assign win32LobApp (mobileAppAssignments)', () => `${APPS}/${fx.win32}/assign`, win32Assignments, ['apps']),
  action('assign winGetApp (mobileAppAssignments)', () => `${APPS}/${fx.winGet}/assign`, winGetAssignments, ['apps']),
  action('add a win32LobApp assignment', () => `${APPS}/${fx.win32}/assignments`, () => ({ ...(win32Assignments().mobileAppAssignments as Json[])[0]!, target: groupTarget(fx.addGroup!, fx.filter) }), ['apps'], async (b) => del(`${APPS}/${fx.win32}/assignments/${b.id}`)),
  // Platform scripts
  create('deviceManagementScript', SCRIPTS, scriptBody, ['scripts']),
  patch('deviceManagementScript', () => `${SCRIPTS}/${fx.script}`, scriptBody, ['scripts']),
  action('assign deviceManagementScript (both forms)', () => `${SCRIPTS}/${fx.script}/assign`, scriptAssignments, ['scripts']),
  action('add a script assignment', () => `${SCRIPTS}/${fx.script}/assignments`, () => (scriptAssignments().deviceManagementScriptAssignments as Json[])[0]!, ['scripts'], async (b) => del(`${SCRIPTS}/${fx.script}/assignments/${b.id}`)),
  action('add a script groupAssignment', () => `${SCRIPTS}/${fx.script}/groupAssignments`, () => (scriptAssignments().deviceManagementScriptGroupAssignments as Json[])[0]!, ['scripts'], async (b) => del(`${SCRIPTS}/${fx.script}/groupAssignments/${b.id}`)),
  // Settings Catalog and device preparation policies
  create('user-driven device preparation policy', POLICIES, () => userDrivenPolicy({ name: unique('DPP '), deviceGroup: fx.deviceGroup!, apps: [JSON.stringify({ id: fx.win32, type: '#microsoft.graph.win32LobApp' })], scripts: [fx.script!] }), ['policies']),
  create('automatic device preparation policy', POLICIES, () => automaticPolicy(unique('W365 '), [JSON.stringify({ id: fx.winGet, type: '#microsoft.graph.winGetApp' })], [fx.script!]), ['policies']),
  create('Settings Catalog policy', POLICIES, mdmPolicy, ['policies']),
  patch('user-driven device preparation policy', () => `${POLICIES}/${fx.dpp}`, () => userDrivenPolicy({ name: 'DPP fixture', deviceGroup: fx.deviceGroup! }), ['policies']),
  patch('Settings Catalog policy', () => `${POLICIES}/${fx.mdm}`, mdmPolicy, ['policies']),
  patch('automatic device preparation policy', () => `${POLICIES}/${fx.auto}`, () => automaticPolicy('W365 fixture'), ['policies'], 'PUT'),
  action('assign user-driven policy', () => `${POLICIES}/${fx.dpp}/assign`, policyAssignments, ['policies']),
  action('assign Settings Catalog policy', () => `${POLICIES}/${fx.mdm}/assign`, () => ({ assignments: [{ target: { ...groupTarget(fx.deviceGroup!, fx.filter) } }, { target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] }), ['policies']),
  action('add a policy assignment', () => `${POLICIES}/${fx.mdm}/assignments`, () => ({ target: groupTarget(fx.otherGroup!) }), ['policies'], async (b) => del(`${POLICIES}/${fx.mdm}/assignments/${b.id}`)),
  action('reorder', () => `${POLICIES}/${fx.dpp}/reorder`, () => ({ priority: 1 }), ['policies']),
  action('createCopy', () => `${POLICIES}/${fx.dpp}/createCopy`, () => ({ displayName: unique('Copy '), description: 'copied' }), ['policies'], deleteCreated(POLICIES)),
  action('setEnrollmentTimeDeviceMembershipTarget', () => `${POLICIES}/${fx.dpp}/setEnrollmentTimeDeviceMembershipTarget`, () => ({ enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: fx.deviceGroup }] }), ['policies']),
  action('assignJustInTimeConfiguration', () => `${POLICIES}/${fx.dpp}/assignJustInTimeConfiguration`, () => ({ justInTimeAssignments: { '@odata.type': 'microsoft.graph.deviceManagementConfigurationJustInTimeAssignmentPolicy', targetType: 'entraSecurityGroup', target: [fx.deviceGroup] } }), ['policies']),
  // Enrollment Status Page, restrictions and limits
  create('Enrollment Status Page', ENROLLMENT, portalEsp, ['enrollment']),
  create('platform restriction', ENROLLMENT, windowsRestriction, ['enrollment']),
  create('device limit restriction', ENROLLMENT, limitBody, ['enrollment']),
  patch('Enrollment Status Page', () => `${ENROLLMENT}/${fx.esp}`, portalEsp, ['enrollment']),
  patch('platform restriction', () => `${ENROLLMENT}/${fx.restriction}`, windowsRestriction, ['enrollment']),
  patch('default platform restrictions', () => `${ENROLLMENT}/${a.tenantId}_DefaultPlatformRestrictions`, defaultRestrictions, ['enrollment']),
  patch('default Windows Hello for Business', () => `${ENROLLMENT}/${a.tenantId}_DefaultWindowsHelloForBusiness`, helloBody, ['enrollment']),
  patch('default limit', () => `${ENROLLMENT}/${a.tenantId}_DefaultLimit`, () => ({ '@odata.type': LIMIT, limit: 5, description: 'default' }), ['enrollment']),
  action('setPriority', () => `${ENROLLMENT}/${fx.esp2}/setPriority`, () => ({ priority: 1 }), ['enrollment']),
  action('assign Enrollment Status Page', () => `${ENROLLMENT}/${fx.esp}/assign`, () => ({ enrollmentConfigurationAssignments: [{ '@odata.type': '#microsoft.graph.enrollmentConfigurationAssignment', target: groupTarget(fx.deviceGroup!), source: 'direct' }] }), ['enrollment']),
  action('add a restriction assignment', () => `${ENROLLMENT}/${fx.restriction}/assignments`, () => ({ '@odata.type': '#microsoft.graph.enrollmentConfigurationAssignment', target: groupTarget(fx.userGroup!) }), ['enrollment'], async (b) => del(`${ENROLLMENT}/${fx.restriction}/assignments/${b.id}`)),
  // Corporate identifiers
  create('importedDeviceIdentity', CORPORATE, () => corporateBody(), ['corporate']),
  patch('importedDeviceIdentity', () => `${CORPORATE}/${fx.corporate}`, () => corporateBody(fx.corporateIdentifier), ['corporate']),
  action('importDeviceIdentityList', () => `${CORPORATE}/importDeviceIdentityList`, () => ({ importedDeviceIdentities: [corporateBody(), { ...corporateBody(unique('35')), importedDeviceIdentityType: 'imei', platform: 'android' }], overwriteImportedDeviceIdentities: false }), ['corporate'], async (b) => {
    for (const r of b.value ?? []) if (r.status === true) await del(`${CORPORATE}/${r.id}`);
  }),
  action('searchExistingIdentities', () => `${CORPORATE}/searchExistingIdentities`, () => ({ importedDeviceIdentities: [corporateBody(fx.corporateIdentifier)] }), ['corporate']),
  // Windows Autopilot
  create('importedWindowsAutopilotDeviceIdentity', IMPORTS, onlineBody, ['imports', 'devices', 'entra'], { undo: async (b) => deleteImports([b]) }),
  action('import', () => `${IMPORTS}/import`, () => ({ importedWindowsAutopilotDeviceIdentities: [onlineBody(), onlineBody()] }), ['imports', 'devices', 'entra'], async (b) => deleteImports(b.value ?? [])),
  action('assignUserToDevice', () => `${DEVICES}/${fx.device}/assignUserToDevice`, () => ({ userPrincipalName: a.users[0]!.userPrincipalName, addressableUserName: 'Adele' }), ['devices']),
  action('updateDeviceProperties', () => `${DEVICES}/${fx.device}/updateDeviceProperties`, () => ({ userPrincipalName: a.users[1]!.userPrincipalName, addressableUserName: 'Alex', groupTag: 'HR', displayName: 'CON-1234', deviceAccountUpn: '', deviceAccountPassword: '', deviceFriendlyName: 'Front desk' }), ['devices', 'entra']),
  create('deployment profile', PROFILES, portalProfile, ['profiles']),
  create('deployment profile (deprecated names)', PROFILES, moduleProfile, ['profiles']),
  patch('deployment profile', () => `${PROFILES}/${fx.profile}`, portalProfile, ['profiles']),
  patch('deployment profile (deprecated names)', () => `${PROFILES}/${fx.profile}`, moduleProfile, ['profiles']),
  action('add a profile assignment', () => `${PROFILES}/${fx.profile}/assignments`, () => ({ '@odata.type': '#microsoft.graph.windowsAutopilotDeploymentProfileAssignment', target: { '@odata.type': GROUP_TARGET, groupId: fx.deviceGroup } }), ['profiles'], async (b) => del(`${PROFILES}/${fx.profile}/assignments/${b.id}`)),
  // Filters, scope tags, managed devices
  create('assignment filter', FILTERS, filterBody, ['filters']),
  patch('assignment filter', () => `${FILTERS}/${fx.filter}`, filterBody, ['filters']),
  action('validateFilter', () => `${FILTERS}/validateFilter`, () => ({ deviceAndAppManagementAssignmentFilter: filterBody() }), ['filters']),
  create('role scope tag', TAGS, () => ({ '@odata.type': '#microsoft.graph.roleScopeTag', displayName: unique('Tag '), description: 'Fuzz' }), ['tags']),
  patch('role scope tag', () => `${TAGS}/${fx.tag}`, () => ({ displayName: 'Fuzz tag', description: 'Fuzz' }), ['tags']),
  create('managedDevice', MANAGED, () => ({ '@odata.type': '#microsoft.graph.managedDevice', deviceName: 'CON-1' }), [], { valid: false }),
];

// ---- state snapshots (all-or-nothing) -----------------------------------------------------------------------

const AREA_READS: Record<Area, () => [string, string][]> = {
  apps: () => [['GET', `${APPS}?$expand=assignments`], ['GET', `${APPS}/$count`]],
  scripts: () => [['GET', `${SCRIPTS}?$expand=assignments`], ['GET', `${SCRIPTS}/${fx.script}`], ['GET', `${SCRIPTS}/$count`]],
  policies: () => [['GET', `${POLICIES}?$expand=settings,assignments`], ['POST', `${POLICIES}/${fx.dpp}/retrieveEnrollmentTimeDeviceMembershipTarget`], ['GET', `${POLICIES}/$count`]],
  enrollment: () => [['GET', `${ENROLLMENT}?$expand=assignments`], ['GET', `${ENROLLMENT}/$count`]],
  corporate: () => [['GET', CORPORATE], ['GET', `${CORPORATE}/$count`]],
  imports: () => [['GET', IMPORTS], ['GET', `${IMPORTS}/$count`]],
  devices: () => [['GET', DEVICES], ['GET', `${DEVICES}/$count`]],
  profiles: () => [['GET', `${PROFILES}?$expand=assignments`], ['GET', `${PROFILES}/$count`]],
  filters: () => [['GET', FILTERS], ['GET', `${FILTERS}/$count`]],
  tags: () => [['GET', TAGS]],
  entra: () => [['GET', `/v1.0/devices/${fx.entraDevice}`], ['GET', '/v1.0/devices/$count']],
};

async function readArea(area: Area): Promise<string> {
  const parts: string[] = [];
  for (const [method, path] of AREA_READS[area]()) {
    const res = await a.graph(method, path, undefined, { consistencylevel: 'eventual' });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`snapshot ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    parts.push(`${method} ${path}\n${text}`);
  }
  return parts.join('\n');
}

/** Snapshots of each area since the last success (a refused request must leave them as they were). */
const snapshots = new Map<Area, string>();
async function snapshot(area: Area): Promise<string> {
  let s = snapshots.get(area);
  if (s === undefined) snapshots.set(area, (s = await readArea(area)));
  return s;
}

// ---- mutations ----------------------------------------------------------------------------------------------

/** A value written into the request text as it is (not through JSON.stringify): 1e999, deep nesting, huge strings. */
class Raw {
  constructor(
    readonly label: string,
    readonly make: () => string,
  ) {}
  [fc.toStringMethod](): string {
    return `Raw(${this.label})`;
  }
}

const deepArray = (depth: number) => new Raw(`[ x${depth}`, () => `${'['.repeat(depth)}1${']'.repeat(depth)}`);
const deepObject = (depth: number) => new Raw(`{ x${depth}`, () => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const longArray = (length: number) => new Raw(`[…] x${length}`, () => `[${Array.from({ length }, () => '""').join(',')}]`);
const hugeString = (length: number, unit = 'x') => new Raw(`'${unit}' x${length}`, () => JSON.stringify(unit.repeat(length)));
const literal = (text: string) => new Raw(text, () => text);

const SPECIAL_VALUES: unknown[] = [
  null, true, false, 0, -1, 1, 1.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 32, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324,
  '', ' ', '\t', 'NaN', 'Infinity', '-Infinity', '1e999', '0x1F', '1,5', '١٢٣', 'null', 'true', 'undefined', '[]', '{}',
  '\u0000', 'a\u0000b', '\ud800', '\udc00', 'x\ud83d', '\ude00x', '😀', '\u202eevil', '\ufeff', '%00', '%', "'", "''", '"', '\\',
  "'; drop table intune_objects; --", '${x}', '{{x}}', '__proto__', 'constructor', '../../etc', 'https://evil.example/x', '<script>',
  '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{6a59ea83-02bd-468f-a40b-f2c3d1821983}',
  '2024-13-45T99:99:99Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.9999999Z', '#microsoft.graph.nothing', '#microsoft.graph.win32LobApp',
  'microsoft.graph.groupAssignmentTarget', 'x86,x64,nope', 'windows10,nope', 'required', 'os-default', '%SERIAL%%SERIAL%',
  [], {}, [null], [[]], [{}], [1, 'a', null], { '@odata.type': '#microsoft.graph.nothing' }, { '@odata.type': null }, { value: null },
  { toString: '' }, { valueOf: 1, toString: null }, { toJSON: 1 }, [{ toString: [] }], { length: 3 }, { 0: 'a', length: 1 },
  literal('1e999'), literal('-1e999'), literal('1E400'), literal('-0'), literal('123456789012345678901234567890'), literal('0.0000000000000000000001e-400'),
];

/** Hostile JSON values: every type, edge numbers, text no database stores, huge and deeply nested values, real ids. */
const hostile = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(...Object.values(fx), `${a.users[0]!.userPrincipalName}`, a.tenantId) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 400_000 }).chain((n) => fc.constantFrom(hugeString(n), hugeString(Math.ceil(n / 2), '😀'), hugeString(n, '\u0000'))) },
    { weight: 1, arbitrary: fc.constantFrom(2, 40, 99, 100, 1000, 10_000, 100_000, 1_000_000).chain((d) => fc.constantFrom(deepArray(d), deepObject(d))) },
    { weight: 1, arbitrary: fc.constantFrom(101, 1001, 5001, 300_000).map(longArray) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...SPECIAL_VALUES), { maxLength: 5 }) },
  );

const UNKNOWN_KEYS = [
  'nope', 'Id', 'id', 'ID', '@odata.type', '@odata.context', '@odata.id', 'x@odata.type', 'members@odata.bind', '__proto__', 'constructor',
  'prototype', 'toString', 'hasOwnProperty', '', ' ', 'displayname', 'DISPLAYNAME', 'createdDateTime', 'lastModifiedDateTime', 'isAssigned',
  'priority', 'version', 'settings', 'Settings', 'assignments', 'roleScopeTagIds', 'publishingState', 'settingCount', 'priorityMetaData',
  'deviceEnrollmentConfigurationType', 'isBuiltIn', 'payloads', '\u0000', '\ud800', 'a.b', '$filter', 'value', 'target', 'intent',
];

type Step =
  | { readonly kind: 'replace' | 'delete' | 'wrap' | 'unwrap' | 'stringify' | 'recase'; readonly pick: number; readonly value?: unknown }
  | { readonly kind: 'add'; readonly pick: number; readonly key: string; readonly value: unknown };

interface Mutation {
  readonly steps: readonly Step[];
  /** PATCH only: which top-level properties of the valid body are sent. */
  readonly keep: readonly boolean[];
}

const mutations = (): fc.Arbitrary<Mutation> => {
  const pick = fc.nat();
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick, value: hostile() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), pick, key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...UNKNOWN_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), value: hostile() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('wrap' as const, 'unwrap' as const, 'stringify' as const, 'recase' as const), pick }) },
  );
  return fc.record({
    steps: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 12, arbitrary: fc.array(step, { minLength: 1, maxLength: 3 }) }),
    keep: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  });
};

type Path = readonly (string | number)[];
const isContainer = (v: unknown): v is Json | unknown[] => v !== null && typeof v === 'object' && !(v instanceof Raw);

/** Every node below the root (`containers`: only objects and arrays, root included). */
function nodes(value: unknown, filter: (v: unknown) => boolean, withRoot = false, at: Path = [], out: Path[] = []): Path[] {
  if ((withRoot || at.length > 0) && filter(value)) out.push(at);
  if (isContainer(value)) {
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) nodes(v, filter, withRoot, [...at, k], out);
  }
  return out;
}

/** Sets an own property (so that '__proto__' is a key like any other). */
const put = (o: Json, key: string, value: unknown) => Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });

function copy<T>(v: T): T {
  if (!isContainer(v)) return v;
  if (Array.isArray(v)) return v.map(copy) as T;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) put(out, k, copy(x));
  return out as T;
}

function at(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = at(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent[key as number] = value;
  else put(parent as Json, key as string, value);
}

function deleteAt(root: unknown, path: Path): void {
  const parent = at(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Json)[key as string];
}

/** The body a mutation makes of a valid body (a PATCH keeps part of it first). */
function mutate(valid: Json, m: Mutation, partial: boolean): Json {
  let body = copy(valid);
  if (partial) body = Object.fromEntries(Object.entries(body).filter((_, i) => m.keep[i % m.keep.length]));
  for (const s of m.steps) {
    if (s.kind === 'add') {
      const objects = nodes(body, (v) => isContainer(v) && !Array.isArray(v), true);
      const target = at(body, objects[s.pick % objects.length]!) as Json;
      put(target, s.key, copy(s.value));
      continue;
    }
    const candidates = s.kind === 'recase' ? nodes(body, () => true).filter((p) => typeof p[p.length - 1] === 'string') : nodes(body, s.kind === 'unwrap' ? Array.isArray : () => true);
    if (candidates.length === 0) continue;
    const path = candidates[s.pick % candidates.length]!;
    const current = at(body, path);
    if (s.kind === 'replace') setAt(body, path, copy(s.value));
    if (s.kind === 'delete') deleteAt(body, path);
    if (s.kind === 'wrap') setAt(body, path, [current]);
    if (s.kind === 'unwrap') setAt(body, path, (current as unknown[])[0] ?? null);
    if (s.kind === 'recase') {
      // The same property under another letter case (Graph matches names without regard to case; some checks may not).
      const name = path[path.length - 1] as string;
      const other = name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase();
      deleteAt(body, path);
      setAt(body, [...path.slice(0, -1), other], current);
    }
    if (s.kind === 'stringify') setAt(body, path, current instanceof Raw ? current.label : JSON.stringify(current) ?? 'undefined');
  }
  return body;
}

/** The request text, with Raw values written as they are. */
function serialise(body: Json): string {
  const raws: Raw[] = [];
  const text = JSON.stringify(body, (_k, v) => (v instanceof Raw ? `\u0001RAW${raws.push(v) - 1}\u0001` : v));
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!.make());
}

// ---- sending and checking -----------------------------------------------------------------------------------

interface Outcome {
  readonly status: number;
  readonly body: any;
  readonly where: string;
}

async function send(op: Op, text: string): Promise<Outcome> {
  const path = op.path();
  const res = await fetch(`${t.url}${path}`, {
    method: op.method,
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
    body: text,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const answer = await res.text();
  if (STATS) {
    const counts = stats.get(op.name) ?? new Map<string, number>();
    const key = res.status < 300 ? String(res.status) : `${res.status} ${/"target":"([^"]*)"/.exec(answer)?.[1] ?? '-'}`;
    stats.set(op.name, counts.set(key, (counts.get(key) ?? 0) + 1));
  }
  const where = `${op.method} ${path} ${text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text}\n-> ${res.status} ${answer.slice(0, 600)}`;
  expect(res.status, where).toBeLessThan(500);
  expect(res.headers.get('request-id'), where).toMatch(/^[0-9a-f-]{36}$/);
  if (res.status < 300) return { status: res.status, body: answer ? JSON.parse(answer) : undefined, where };
  const parsed = JSON.parse(answer);
  expect(isGraphErrorBody(parsed), `not Graph's error envelope: ${where}`).toBe(true);
  await expectGraphError(new Response(answer, { status: res.status, headers: res.headers }), res.status);
  // Validation refuses bad values naming the field; the database's own refusal (a NUL character, an unpaired
  // surrogate, a value nested too deep reaching PostgreSQL) means a check is missing.
  expect(parsed.error.message, `refused by the database, not by validation: ${where}`).not.toMatch(/cannot be stored or compared/);
  return { status: res.status, body: parsed, where };
}

/** Sends a body; a refused one must leave every area the operation touches as it was. */
async function attempt(op: Op, body: Json): Promise<Outcome> {
  const before = new Map<Area, string>();
  for (const area of op.areas) before.set(area, await snapshot(area));
  const outcome = await send(op, serialise(body));
  if (outcome.status >= 300) {
    for (const area of op.areas) {
      snapshots.delete(area);
      expect(await snapshot(area), `a refused request changed ${area}: ${outcome.where}`).toBe(before.get(area));
    }
    return outcome;
  }
  snapshots.clear();
  await op.undo?.(outcome.body);
  return outcome;
}

// ---- fixtures -----------------------------------------------------------------------------------------------

async function post(path: string, body: unknown): Promise<any> {
  const res = await json(a.graph('POST', path, body));
  if (res.status >= 300) throw new Error(`fixture POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const securityGroup = (name: string) => ({ displayName: name, mailEnabled: false, mailNickname: name.replace(/\W/g, ''), securityEnabled: true });

beforeAll(async () => {
  t = await startTestServer();
  a = await createTestTenant(t, 'demo', 'Mutation fuzz');
  fx.userGroup = (await post('/v1.0/groups', securityGroup('Fuzz users'))).id;
  await post(`/v1.0/groups/${fx.userGroup}/members/$ref`, { '@odata.id': `${t.url}/v1.0/directoryObjects/${a.users[0]!.id}` });
  fx.otherGroup = (await post('/v1.0/groups', securityGroup('Fuzz other'))).id;
  fx.addGroup = (await post('/v1.0/groups', securityGroup('Fuzz added'))).id;
  fx.deviceGroup = await createGroup(a, 'assignedSecurity', true);
  fx.filter = (await post(FILTERS, filterBody())).id;
  fx.tag = (await post(TAGS, { displayName: 'Fuzz tag', description: 'Fuzz' })).id;
  fx.win32 = (await post(APPS, win32Body())).id;
  fx.winGet = (await post(APPS, winGetBody())).id;
  fx.office = (await post(APPS, officeBody())).id;
  fx.msi = (await post(APPS, msiBody())).id;
  fx.script = (await post(SCRIPTS, scriptBody())).id;
  fx.dpp = (await post(POLICIES, userDrivenPolicy({ name: 'DPP fixture', deviceGroup: fx.deviceGroup }))).id;
  fx.auto = (await post(POLICIES, automaticPolicy('W365 fixture'))).id;
  fx.mdm = (await post(POLICIES, mdmPolicy())).id;
  fx.esp = (await post(ENROLLMENT, portalEsp())).id;
  fx.esp2 = (await post(ENROLLMENT, portalEsp())).id;
  fx.restriction = (await post(ENROLLMENT, windowsRestriction())).id;
  fx.corporateIdentifier = unique('Contoso,Fixture,SER');
  fx.corporate = (await post(CORPORATE, corporateBody(fx.corporateIdentifier))).id;
  const record = await post(IMPORTS, onlineBody());
  fx.device = record.state.deviceRegistrationId;
  const deviceId = (await json(a.graph('GET', `${DEVICES}/${fx.device}`))).body.azureAdDeviceId;
  fx.entraDevice = (await json(a.graph('GET', `/v1.0/devices?$filter=deviceId eq '${deviceId}'`))).body.value[0].id;
  fx.profile = (await post(PROFILES, portalProfile())).id;
}, 120_000);
afterAll(async () => {
  if (STATS) for (const [name, counts] of stats) console.log(`${name}: ${[...counts].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${n}× ${k}`).join(', ')}`);
  await t?.close();
});

// ---- the tests ----------------------------------------------------------------------------------------------

const ops = OPS.filter((op) => !ONLY || op.name.includes(ONLY));
const runsPerOp = Math.max(5, Math.ceil(RUNS / ops.length));
const timePerOp = Math.max(1_000, Math.floor(TIME_LIMIT_MS / ops.length));

describe('Intune mutation fuzz', () => {
  it('starts from payloads every route accepts', async () => {
    for (const op of ops) {
      if (op.valid === false) continue;
      const outcome = await attempt(op, op.body());
      expect(outcome.status, `the valid payload is refused: ${outcome.where}`).toBeLessThan(300);
    }
  }, 60_000);

  it('refuses the inputs that once answered 500 or reached the database, naming the field', async () => {
    const cases: [method: Op['method'], path: string, body: Json, target: string | undefined][] = [
      ['POST', TAGS, { '@odata.type': deepArray(10_000), displayName: 'x' }, undefined],
      ['PATCH', `${POLICIES}/${fx.mdm}`, { templateReference: { templateId: '', nope: deepObject(10_000) } }, undefined],
      ['POST', TAGS, { '@odata.type': { toString: '' }, displayName: 'x' }, '@odata.type'],
      ['POST', ENROLLMENT, { ...windowsRestriction(), platformRestriction: { osMinimumVersion: { toString: '' } } }, 'platformRestriction.osMinimumVersion'],
      ['PATCH', `${POLICIES}/${fx.mdm}`, { templateReference: { templateFamily: [{ toString: 1 }] } }, 'templateReference.templateFamily'],
      ['POST', APPS, { ...win32Body(), msiInformation: { '': '\udc00' } }, 'msiInformation'],
      ['POST', `${CORPORATE}/searchExistingIdentities`, { importedDeviceIdentities: [{ importedDeviceIdentifier: 'a\u0000' }] }, 'importedDeviceIdentities[0].importedDeviceIdentifier'],
      ['POST', IMPORTS, { ...onlineBody(), groupTag: '\ude00x' }, 'groupTag'],
      ['POST', `${DEVICES}/${fx.device}/updateDeviceProperties`, { userPrincipalName: '\u0000' }, 'userPrincipalName'],
      ['POST', `${APPS}/${fx.winGet}/assign`, { mobileAppAssignments: [{ ...(winGetAssignments().mobileAppAssignments as Json[])[0]!, settings: { notifications: 'showAll', nope: '\u0000' } }] }, 'assignments[0].settings'],
    ];
    const areas: Area[] = ['apps', 'enrollment', 'policies', 'corporate', 'imports', 'devices', 'tags'];
    for (const [method, path, body, target] of cases) {
      const outcome = await attempt({ name: 'regression', method, path: () => path, body: () => body, areas }, body);
      expect(outcome.status, outcome.where).toBe(400);
      if (target) expect(outcome.body.error.target, outcome.where).toBe(target);
    }
  });

  for (const op of ops) {
    it(
      `${op.name}: ${runsPerOp} mutated bodies, no 5xx, errors in Graph's envelope, refused requests change nothing`,
      async () => {
        await fc.assert(
          fc.asyncProperty(mutations(), async (m) => {
            await attempt(op, mutate(op.body(), m, op.method !== 'POST'));
          }),
          { numRuns: runsPerOp, interruptAfterTimeLimit: timePerOp, markInterruptAsFailure: false, ...(SEED !== undefined ? { seed: SEED } : {}) },
        );
      },
      timePerOp + 60_000,
    );
  }
});
