// The enrollment configurations every Intune tenant has, "All users and all devices", priority 0: the default
// Enrollment Status Page, device limit restriction (5 devices), device platform restrictions (all platforms
// allowed, Windows Mobile blocked), Windows Hello for Business and Windows Restore settings.
// Source: a real tenant's GET /beta/deviceManagement/deviceEnrollmentConfigurations (ids "<tenantId>_DefaultLimit",
// createdDateTime 0001-01-01, roleScopeTagIds []), and memdocs enrollment-restrictions-set.md ("Default
// restrictions are automatically provided for both device type and device limit enrollment restrictions").
import type { Scope } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { writeJson } from '../store/db.js';
import {
  ENROLLMENT_CONFIGURATIONS,
  ENROLLMENT_KINDS,
  ESP_TYPE,
  HELLO_TYPE,
  LIMIT_TYPE,
  PLATFORMS_TYPE,
  RESTORE_TYPE,
  defaultId,
  kindOf,
  type EnrollmentKind,
} from './enrollment-configuration-types.js';
import { defaultStatusPageSettings } from './enrollment-status-page.js';
import { defaultWindowsHelloSettings } from './enrollment-windows-hello.js';
import type { IntuneObject } from './resource.js';

export const DEFAULT_DISPLAY_NAME = 'All users and all devices';
/** Intune serves its built-in objects with .NET's minimum date. */
export const BUILT_IN_CREATED = '0001-01-01T00:00:00Z';
export const DEFAULT_DEVICE_LIMIT = 5;

/** A restriction that allows the platform; versions "" (no bound) as the default object serves them. */
const allow = (versions: string | null = '') => ({
  platformBlocked: false,
  personalDeviceEnrollmentBlocked: false,
  osMinimumVersion: versions,
  osMaximumVersion: versions,
  blockedManufacturers: [],
  blockedSkus: [],
});

const SETTINGS: Readonly<Record<string, () => Record<string, unknown>>> = {
  [ESP_TYPE]: () => ({
    description: 'This is the default enrollment status screen configuration applied with the lowest priority to all users and all devices regardless of group membership.',
    ...defaultStatusPageSettings(),
  }),
  [LIMIT_TYPE]: () => ({
    description: 'This is the default Device Limit Restriction applied with the lowest priority to all users regardless of group membership.',
    limit: DEFAULT_DEVICE_LIMIT,
  }),
  [PLATFORMS_TYPE]: () => ({
    description: 'This is the default Device Type Restriction applied with the lowest priority to all users regardless of group membership.',
    androidRestriction: allow(),
    androidForWorkRestriction: allow(),
    iosRestriction: allow(),
    macOSRestriction: allow(null),
    macRestriction: allow(null),
    windowsRestriction: allow(),
    windowsMobileRestriction: { ...allow(), platformBlocked: true },
    windowsHomeSkuRestriction: allow(null),
    tvosRestriction: allow(null),
    visionOSRestriction: allow(null),
  }),
  [HELLO_TYPE]: () => ({
    description: 'This is the default Windows Hello for Business configuration applied with the lowest priority to all users regardless of group membership.',
    ...defaultWindowsHelloSettings(),
  }),
  [RESTORE_TYPE]: () => ({
    description: 'This is the default Windows Restore configuration applied with the lowest priority to all users and all devices regardless of group membership.',
    state: 'notConfigured',
  }),
};

/** One default configuration as stored (without id). */
function defaultData(kind: EnrollmentKind, now: string): Record<string, unknown> {
  return {
    '@odata.type': kind.odataType,
    displayName: DEFAULT_DISPLAY_NAME,
    priority: 0,
    createdDateTime: BUILT_IN_CREATED,
    lastModifiedDateTime: now,
    version: 0,
    roleScopeTagIds: [],
    deviceEnrollmentConfigurationType: kind.configurationType,
    ...SETTINGS[kind.odataType]!(),
  };
}

/** The default of a kind as a new tenant has it (also the fallback for a tenant that lacks the row). */
export function builtInDefault(tenantId: string, odataType: string, now: string): IntuneObject {
  const kind = kindOf(odataType)!;
  return { id: defaultId(tenantId, kind), ...defaultData(kind, now) };
}

/** Creates the defaults; called once, inside the transaction that creates the tenant. */
export async function createDefaultEnrollmentConfigurations(scope: Scope): Promise<void> {
  const now = isoNow(scope.clock);
  const seen = new Set<string>();
  for (const kind of ENROLLMENT_KINDS) {
    const id = defaultId(scope.tenantId, kind);
    // The per-platform kind has no default of its own: the all-platforms object is the platforms' default.
    if (seen.has(id) || !SETTINGS[kind.odataType]) continue;
    seen.add(id);
    await scope.db
      .insertInto('intune_objects')
      .values({
        tenant_id: scope.tenantId,
        collection: ENROLLMENT_CONFIGURATIONS,
        id,
        odata_type: kind.odataType,
        unique_key: null,
        data: writeJson(defaultData(kind, now)),
        created_at: now,
      })
      .execute();
  }
}
