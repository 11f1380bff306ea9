// Enrollment restrictions: device platform restrictions (per platform, and the default's all-platforms form) and
// device limit restrictions. Checks their settings and compares OS versions as Intune does.
// Source: memdocs intune/enrollment/enrollment-restrictions-set.md (version formats per platform, "Windows supports
// major.minor.build.rev", the rev number Windows does not report) and behaviour.md §1.4 ("You can set the device
// limit from 1 to 15"); Graph beta intune-onboarding-deviceenrollmentplatformrestriction.md.
import { intuneBadRequest, textOf } from './errors.js';

/** Graph's enrollmentRestrictionPlatformType values a per-platform restriction may name. */
export const RESTRICTION_PLATFORMS = ['android', 'androidForWork', 'ios', 'mac', 'windows', 'linux'] as const;
export type RestrictionPlatform = (typeof RESTRICTION_PLATFORMS)[number];

export const MIN_DEVICE_LIMIT = 1;
export const MAX_DEVICE_LIMIT = 15;

export interface PlatformRestriction {
  platformBlocked: boolean;
  personalDeviceEnrollmentBlocked: boolean;
  osMinimumVersion: string | null;
  osMaximumVersion: string | null;
  blockedManufacturers: string[];
  blockedSkus: string[];
}

/** How many dotted numbers a version may have on each platform; the default object's other members take any. */
const VERSION_PARTS: Readonly<Record<string, readonly [number, number]>> = {
  windows: [2, 4], // major.minor.build.rev
  android: [1, 4], // major.minor.rev.build
  androidForWork: [1, 4],
  ios: [1, 3], // major.minor.rev
  mac: [1, 3],
};
const ANY_VERSION: readonly [number, number] = [1, 4];

const MEMBERS = new Set(['platformBlocked', 'personalDeviceEnrollmentBlocked', 'osMinimumVersion', 'osMaximumVersion', 'blockedManufacturers', 'blockedSkus']);

/** The platform a legacy all-platforms member restricts, for its version format. */
export function platformOfMember(member: string): string {
  if (member.startsWith('windows')) return 'windows';
  if (member.startsWith('androidForWork')) return 'androidForWork';
  if (member.startsWith('android')) return 'android';
  if (member.startsWith('ios')) return 'ios';
  if (member.startsWith('mac')) return 'mac';
  return 'other';
}

/** Checks one deviceEnrollmentPlatformRestriction and returns it complete (missing members get their defaults). */
export function checkRestriction(value: unknown, field: string, platform: string): PlatformRestriction {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw intuneBadRequest(`'${field}' must be a deviceEnrollmentPlatformRestriction object.`, field);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!key.startsWith('@odata.') && !MEMBERS.has(key)) throw intuneBadRequest(`Property '${key}' is not part of deviceEnrollmentPlatformRestriction.`, `${field}.${key}`);
  }
  const flag = (name: string): boolean => {
    const x = v[name] ?? false;
    if (typeof x !== 'boolean') throw intuneBadRequest(`'${field}.${name}' must be true or false.`, `${field}.${name}`);
    return x;
  };
  const list = (name: string): string[] => {
    const x = v[name] ?? [];
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 256)) {
      throw intuneBadRequest(`'${field}.${name}' must be an array of names.`, `${field}.${name}`);
    }
    return x as string[];
  };
  const min = version(v.osMinimumVersion, `${field}.osMinimumVersion`, platform);
  const max = version(v.osMaximumVersion, `${field}.osMaximumVersion`, platform);
  if (min && max && compareVersions(min, max) > 0) {
    throw intuneBadRequest(`The minimum OS version ${min} is higher than the maximum ${max}.`, `${field}.osMinimumVersion`);
  }
  return {
    platformBlocked: flag('platformBlocked'),
    personalDeviceEnrollmentBlocked: flag('personalDeviceEnrollmentBlocked'),
    // The default object keeps "" for "no limit"; both forms mean the same.
    osMinimumVersion: (v.osMinimumVersion as string | null | undefined) ?? null,
    osMaximumVersion: (v.osMaximumVersion as string | null | undefined) ?? null,
    blockedManufacturers: list('blockedManufacturers'),
    blockedSkus: list('blockedSkus'),
  };
}

/** A version string in the platform's format, or null when none is set ("" or null). */
function version(value: unknown, field: string, platform: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const [fewest, most] = VERSION_PARTS[platform] ?? ANY_VERSION;
  const parts = typeof value === 'string' ? value.split('.') : [];
  if (parts.length < fewest || parts.length > most || !parts.every((p) => /^\d{1,9}$/.test(p))) {
    const form = platform === 'windows' ? 'major.minor.build.rev, e.g. 10.0.22631' : `up to ${most} dot-separated numbers`;
    throw intuneBadRequest(`'${textOf(value)}' is not a valid ${platform} version for '${field.split('.').pop()}'; use ${form}.`, field);
  }
  return value as string;
}

/** Compares dotted versions part by part; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** A per-platform restriction: platformType is required, never changes, and names a platform Intune restricts. */
export function checkSinglePlatform(data: Record<string, unknown>, existing: Record<string, unknown> | undefined): void {
  const platform = data.platformType;
  if (existing && platform !== existing.platformType) {
    throw intuneBadRequest(`The platform of a restriction cannot change (it is ${String(existing.platformType)}).`, 'platformType');
  }
  if (typeof platform !== 'string' || !(RESTRICTION_PLATFORMS as readonly string[]).includes(platform)) {
    throw intuneBadRequest(`'platformType' must be one of ${RESTRICTION_PLATFORMS.join(', ')}.`, 'platformType');
  }
  data.platformRestriction = checkRestriction(data.platformRestriction ?? {}, 'platformRestriction', platform);
}

/** The default's all-platforms form: each member present is checked; Windows Mobile stays blocked (retired). */
export function checkAllPlatforms(data: Record<string, unknown>, members: readonly string[]): void {
  for (const member of members) {
    const value = data[member];
    if (value === null || value === undefined) continue;
    const checked = checkRestriction(value, member, platformOfMember(member));
    if (member === 'windowsMobileRestriction' && !checked.platformBlocked) {
      throw intuneBadRequest('Windows Mobile is retired and its enrollment stays blocked.', 'windowsMobileRestriction.platformBlocked');
    }
    data[member] = checked;
  }
}

/** A device limit restriction: how many devices a user may enroll, 1 to 15. */
export function checkLimit(data: Record<string, unknown>): void {
  const limit = data.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < MIN_DEVICE_LIMIT || limit > MAX_DEVICE_LIMIT) {
    throw intuneBadRequest(`'limit' must be a whole number of devices from ${MIN_DEVICE_LIMIT} to ${MAX_DEVICE_LIMIT}.`, 'limit');
  }
}
