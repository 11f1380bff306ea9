// Windows Autopilot deployment profiles (/deviceManagement/windowsAutopilotDeploymentProfiles): the
// definition (types, defaults, checks) and the rules a profile must meet to be saved.
// Sources: Graph beta azureADWindowsAutopilotDeploymentProfile (graph-api.md §6.4); memdocs autopilot/
// profiles.md ("Up to 350 profiles can be created per tenant"; name template rules, see
// device-name-template.ts); behaviour.md §5.2.
// Several settings exist twice, a current property and a deprecated one (outOfBoxExperienceSetting /
// outOfBoxExperienceSettings, locale / language, hardwareHashExtractionEnabled / extractHardwareHash,
// preprovisioningAllowed / enableWhiteGlove). Tarmac keeps both in step: whichever a client changes sets the
// other (the WindowsAutopilotIntune module PATCHes the deprecated ones and sends the current ones unchanged).
import type { Scope } from '../server/context.js';
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { intuneBadRequest } from './errors.js';
import type { IntuneObject, IntuneResource } from './resource.js';
import { deviceNameTemplateProblem } from './device-name-template.js';
import { AUTOPILOT_PROFILES, AZURE_AD_PROFILE_TYPE, HYBRID_PROFILE_TYPE, serviceConfigRead, serviceConfigWrite } from './autopilot-collections.js';

export const MAX_PROFILES = 350;
const MAX_DISPLAY_NAME = 200;
const MAX_DESCRIPTION = 1500;
export const USER_TYPES = ['administrator', 'standard'] as const;
export const DEVICE_USAGE_TYPES = ['singleUser', 'shared'] as const;
export const DEVICE_TYPES = ['windowsPc', 'holoLens', 'surfaceHub2', 'surfaceHub2S', 'virtualMachine', 'unknownFutureValue'] as const;

const str: PropType = { kind: 'string' };
const bool: PropType = { kind: 'boolean' };
const enumeration: PropType = { kind: 'enum' };

/** The current OOBE property's members, each with its deprecated twin and Graph's default. */
const OOBE_FIELDS = [
  ['privacySettingsHidden', 'hidePrivacySettings', false],
  ['eulaHidden', 'hideEULA', false],
  ['userType', 'userType', 'administrator'],
  ['deviceUsageType', 'deviceUsageType', 'singleUser'],
  ['keyboardSelectionPageSkipped', 'skipKeyboardSelectionPage', false],
  ['escapeLinkHidden', 'hideEscapeLink', false],
] as const;

/** Current and deprecated scalar twins and their defaults. */
const SCALAR_PAIRS = [
  ['locale', 'language', 'os-default'],
  ['hardwareHashExtractionEnabled', 'extractHardwareHash', false],
  ['preprovisioningAllowed', 'enableWhiteGlove', false],
] as const;

const oobeType = (which: 0 | 1): PropType => ({
  kind: 'complex',
  properties: Object.fromEntries(OOBE_FIELDS.map((f) => [f[which], typeof f[2] === 'boolean' ? bool : enumeration])),
});

const common: Record<string, PropType> = {
  displayName: str,
  description: str,
  language: str,
  locale: str,
  deviceNameTemplate: str,
  deviceType: enumeration,
  managementServiceAppId: str,
  enableWhiteGlove: bool,
  preprovisioningAllowed: bool,
  extractHardwareHash: bool,
  hardwareHashExtractionEnabled: bool,
  outOfBoxExperienceSetting: oobeType(0),
  outOfBoxExperienceSettings: oobeType(1),
  enrollmentStatusScreenSettings: { kind: 'complex', properties: {} },
  // Part of the hybrid type; the WindowsAutopilotIntune module also sends it for Entra join profiles (ignored there).
  hybridAzureADJoinSkipConnectivityCheck: bool,
};

export const profileShape: ResourceShape = { ...intuneShape('windowsAutopilotDeploymentProfile', common), typeName: 'microsoft.graph.windowsAutopilotDeploymentProfile' };

const isEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkEnum(value: unknown, allowed: readonly string[], field: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) throw intuneBadRequest(`'${String(value)}' is not a valid value for '${field}'; use one of ${allowed.join(', ')}.`, field);
}

/** Keeps a current property and its deprecated twin equal, taking the one the client changed. */
function mergeScalarPair(data: Record<string, unknown>, existing: IntuneObject | undefined, current: string, deprecated: string, fallback: unknown): void {
  const changed = (name: string) => data[name] !== undefined && (!existing || !isEqual(data[name], existing[name]));
  const normal = (v: unknown) => (current === 'locale' && (v === '' || v === null) ? fallback : v);
  const c = changed(current);
  const d = changed(deprecated);
  if (c && d && !isEqual(normal(data[current]), normal(data[deprecated]))) {
    throw intuneBadRequest(`'${current}' and its deprecated twin '${deprecated}' disagree; send only one of them.`, current);
  }
  const value = c ? data[current] : d ? data[deprecated] : existing ? (existing[current] ?? existing[deprecated] ?? fallback) : fallback;
  data[current] = data[deprecated] = normal(value) ?? fallback;
}

/** The OOBE settings in both shapes, from whichever the client changed (field by field). */
function mergeOobe(data: Record<string, unknown>, existing: IntuneObject | undefined): void {
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
  const current = obj(data.outOfBoxExperienceSetting);
  const deprecated = obj(data.outOfBoxExperienceSettings);
  const before = obj(existing?.outOfBoxExperienceSetting);
  const currentChanged = current && (!existing || !isEqual(current, existing.outOfBoxExperienceSetting));
  const deprecatedChanged = deprecated && (!existing || !isEqual(deprecated, existing.outOfBoxExperienceSettings));
  const next: Record<string, unknown> = {};
  const old: Record<string, unknown> = {};
  for (const [name, twin, fallback] of OOBE_FIELDS) {
    const base = before?.[name] ?? fallback;
    const vc = currentChanged ? current![name] : undefined;
    const vd = deprecatedChanged ? deprecated![twin] : undefined;
    let value: unknown;
    if (vc !== undefined && vd !== undefined && vc !== vd) {
      // On create both come from the client; on update the one still equal to the stored value is stale.
      if (!existing) throw intuneBadRequest(`outOfBoxExperienceSetting.${name} and the deprecated outOfBoxExperienceSettings.${twin} disagree; send only one of them.`, `outOfBoxExperienceSetting.${name}`);
      if (vc === base) value = vd;
      else if (vd === base) value = vc;
      else throw intuneBadRequest(`outOfBoxExperienceSetting.${name} and the deprecated outOfBoxExperienceSettings.${twin} disagree; send only one of them.`, `outOfBoxExperienceSetting.${name}`);
    } else value = vc ?? vd ?? base;
    if (value === null) value = fallback;
    if (name === 'userType') checkEnum(value, USER_TYPES, 'outOfBoxExperienceSetting.userType');
    if (name === 'deviceUsageType') checkEnum(value, DEVICE_USAGE_TYPES, 'outOfBoxExperienceSetting.deviceUsageType');
    next[name] = value;
    old[twin] = value;
  }
  data.outOfBoxExperienceSetting = next;
  data.outOfBoxExperienceSettings = old;
}

/**
 * The oldest profile wins a conflict, so creation times must order profiles strictly: milliseconds (Intune's
 * own times have fractions of a second), and one millisecond after the newest profile when the clock has
 * not moved on (a virtual clock, or two profiles in the same millisecond).
 */
async function creationTime(scope: Scope): Promise<string> {
  const newest = await scope.db
    .selectFrom('intune_objects')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', AUTOPILOT_PROFILES)
    .executeTakeFirst();
  const last = newest?.at ? Date.parse(String(newest.at)) : -Infinity;
  return new Date(Math.max(scope.clock.now(), last + 1)).toISOString();
}

const LOCALE = /^(os-default|[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*)$/;

async function checkProfile(scope: Scope, data: Record<string, unknown>, existing: IntuneObject | undefined): Promise<void> {
  const type = String(data['@odata.type']);
  if (type === AZURE_AD_PROFILE_TYPE) delete data.hybridAzureADJoinSkipConnectivityCheck;
  if (typeof data.displayName !== 'string' || data.displayName.trim() === '') throw intuneBadRequest("'displayName' is required.", 'displayName');
  if (data.displayName.length > MAX_DISPLAY_NAME) throw intuneBadRequest(`'displayName' is limited to ${MAX_DISPLAY_NAME} characters.`, 'displayName');
  if (typeof data.description === 'string' && data.description.length > MAX_DESCRIPTION) {
    throw intuneBadRequest(`'description' is limited to ${MAX_DESCRIPTION} characters.`, 'description');
  }
  if (!existing) {
    const row = await scope.db
      .selectFrom('intune_objects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', AUTOPILOT_PROFILES)
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= MAX_PROFILES) throw intuneBadRequest(`A tenant can have at most ${MAX_PROFILES} Autopilot deployment profiles.`, 'displayName');
    data.createdDateTime = data.lastModifiedDateTime = await creationTime(scope);
  }
  for (const [current, deprecated, fallback] of SCALAR_PAIRS) mergeScalarPair(data, existing, current, deprecated, fallback);
  if (typeof data.locale !== 'string' || !LOCALE.test(data.locale)) throw intuneBadRequest(`'${String(data.locale)}' is not a locale such as en-US or os-default.`, 'locale');
  mergeOobe(data, existing);
  checkEnum(data.deviceType ?? 'windowsPc', DEVICE_TYPES, 'deviceType');
  const template = data.deviceNameTemplate ?? '';
  if (typeof template !== 'string') throw intuneBadRequest("'deviceNameTemplate' must be a string.", 'deviceNameTemplate');
  if (template !== '' && type === HYBRID_PROFILE_TYPE) {
    throw intuneBadRequest('A device name template applies to Microsoft Entra join profiles only; a hybrid join profile takes its name prefix from the domain join profile.', 'deviceNameTemplate');
  }
  const problem = deviceNameTemplateProblem(template);
  if (problem) throw intuneBadRequest(problem, 'deviceNameTemplate');
  data.deviceNameTemplate = template;
}

export const autopilotProfiles: IntuneResource = {
  collection: AUTOPILOT_PROFILES,
  path: '/deviceManagement/windowsAutopilotDeploymentProfiles',
  versions: ['v1.0', 'beta'],
  types: { [AZURE_AD_PROFILE_TYPE]: profileShape, [HYBRID_PROFILE_TYPE]: profileShape },
  defaultType: AZURE_AD_PROFILE_TYPE,
  shape: profileShape,
  permissions: { read: serviceConfigRead, write: serviceConfigWrite },
  required: ['displayName'],
  defaults: (type) => ({
    description: '',
    deviceNameTemplate: '',
    deviceType: 'windowsPc',
    managementServiceAppId: null,
    enrollmentStatusScreenSettings: null,
    ...(type === HYBRID_PROFILE_TYPE ? { hybridAzureADJoinSkipConnectivityCheck: false } : {}),
  }),
  check: checkProfile,
  /** A profile assigned to groups cannot be deleted; remove its assignments first. */
  async beforeDelete(scope: Scope, object: IntuneObject) {
    const row = await scope.db
      .selectFrom('intune_assignments')
      .select('id')
      .where('tenant_id', '=', scope.tenantId)
      .where('collection', '=', AUTOPILOT_PROFILES)
      .where('object_id', '=', object.id)
      .executeTakeFirst();
    if (row) throw intuneBadRequest('The profile is assigned to groups; remove its assignments before deleting it.', 'id');
  },
};
