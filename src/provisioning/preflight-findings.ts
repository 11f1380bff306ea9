// The pre-flight checker's catalogue: every finding it can report, with its stable id, its severity, the
// message and the fix (built from the names of the objects involved) and the Microsoft doc the rule comes
// from. preflight.ts decides when a finding applies; what it says lives here, in one place.
// Sources: behaviour.md §6 (the misconfigurations a pre-flight checker should catch) and the docs it cites.

export type Severity = 'error' | 'warning' | 'info';

/** What a finding points at: the object an admin has to open to fix it. */
export interface FindingObject {
  readonly type: string;
  readonly id: string;
  readonly displayName: string;
}

export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly object: FindingObject;
  readonly message: string;
  readonly fix: string;
  readonly source: string;
}

const AUTOPILOT = 'https://learn.microsoft.com/autopilot';
const DP_TUTORIAL = `${AUTOPILOT}/device-preparation/tutorial/user-driven`;
const INTUNE_ENROLLMENT = 'https://learn.microsoft.com/mem/intune/enrollment';

/** The Microsoft docs the rules come from (behaviour.md §0 lists where each was read). */
export const SOURCES = {
  dpDeviceGroup: `${DP_TUTORIAL}/entra-join-device-group`,
  dpUserGroup: `${DP_TUTORIAL}/entra-join-user-group`,
  dpAppsScripts: `${DP_TUTORIAL}/entra-join-assign-apps-scripts`,
  dpPolicy: `${DP_TUTORIAL}/entra-join-autopilot-policy`,
  dpAutomaticEnrollment: `${DP_TUTORIAL}/entra-join-automatic-enrollment`,
  dpAllowJoin: `${DP_TUTORIAL}/entra-join-allow-users-to-join`,
  dpCorporateIdentifiers: `${DP_TUTORIAL}/entra-join-corporate-identifier`,
  dpKnownIssues: `${AUTOPILOT}/device-preparation/known-issues`,
  dpFaq: `${AUTOPILOT}/device-preparation/troubleshooting-faq`,
  dpCompare: `${AUTOPILOT}/device-preparation/compare`,
  apProfiles: `${AUTOPILOT}/profiles`,
  apEnrollment: `${AUTOPILOT}/enrollment-autopilot`,
  apAddDevices: `${AUTOPILOT}/add-devices`,
  esp: `${INTUNE_ENROLLMENT}/windows-enrollment-status`,
  restrictions: `${INTUNE_ENROLLMENT}/enrollment-restrictions-set`,
  entraDeviceSettings: 'https://learn.microsoft.com/entra/identity/devices/manage-device-identities',
} as const;

/** "a, b, c and 4 more" for at most `shown` names. */
export function listOf(names: readonly string[], total = names.length, shown = 3): string {
  const quoted = names.slice(0, shown).map((n) => `'${n}'`);
  const more = total - quoted.length;
  if (more > 0) return `${quoted.join(', ')} and ${more} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** The verb that agrees with a count: verb(1, 'is', 'are'). */
const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

interface Definition<P> {
  readonly severity: Severity;
  readonly source: string;
  /** A short title, for docs/preflight.md and the admin center. */
  readonly title: string;
  message(p: P): string;
  fix(p: P): string;
}

const def = <P>(d: Definition<P>): Definition<P> => d;

/** A policy as messages name it. */
interface Policy {
  readonly policy: string;
}
interface PolicyGroup extends Policy {
  readonly group: string;
}
interface Item extends Policy {
  readonly item: string;
}
interface Users extends Policy {
  readonly count: number;
  readonly users: readonly string[];
}
interface Devices {
  readonly count: number;
  readonly serials: readonly string[];
}

/** Every finding, in the order the report lists findings of one severity. */
export const FINDINGS = {
  // ---- Device preparation: the device group (behaviour.md §1.6, §6 DP 1-3, 19-20) -------------------------
  dpProvisioningClientMissing: def<{ policies: readonly string[]; appId: string }>({
    severity: 'error',
    source: SOURCES.dpDeviceGroup,
    title: 'The Intune Provisioning Client service principal is missing',
    message: (p) =>
      `The tenant has no service principal for the Intune Provisioning Client (appId ${p.appId}), so no device preparation device group can be owned by it and enrollment-time grouping fails for ${listOf(p.policies)}.`,
    fix: (p) => `Create it (New-MgServicePrincipal -AppId ${p.appId}, or POST /servicePrincipals {"appId":"${p.appId}"}), then add it as an owner of each device preparation device group.`,
  }),
  dpNoDeviceGroup: def<Policy>({
    severity: 'error',
    source: SOURCES.dpFaq,
    title: 'Device preparation policy without a device group',
    message: (p) => `The device preparation policy '${p.policy}' has no device group: devices are not grouped at enrollment, so every selected app and script is skipped.`,
    fix: (p) => `Open '${p.policy}' > Device group and select an assigned security group owned by the Intune Provisioning Client (setEnrollmentTimeDeviceMembershipTarget).`,
  }),
  dpDeviceGroupDeleted: def<PolicyGroup>({
    severity: 'error',
    source: SOURCES.dpKnownIssues,
    title: 'Device group deleted',
    message: (p) => `The device group ${p.group} of the device preparation policy '${p.policy}' no longer exists, so enrollment-time grouping fails and the selected apps and scripts are skipped.`,
    fix: (p) => `Create an assigned security group owned by the Intune Provisioning Client, assign the apps and scripts to it, and select it as the device group of '${p.policy}'.`,
  }),
  dpDeviceGroupNotSecurity: def<{ group: string; policies: readonly string[] }>({
    severity: 'error',
    source: SOURCES.dpDeviceGroup,
    title: 'Device group is not a security group',
    message: (p) => `The group '${p.group}', device group of ${listOf(p.policies)}, is not a security group (it is a Microsoft 365 group or not security enabled); device preparation cannot add devices to it.`,
    fix: (p) => `Create an assigned security group (Group type Security, Membership type Assigned), owned by the Intune Provisioning Client, and select it instead of '${p.group}'.`,
  }),
  dpDeviceGroupDynamic: def<{ group: string; policies: readonly string[] }>({
    severity: 'error',
    source: SOURCES.dpDeviceGroup,
    title: 'Device group has dynamic membership',
    message: (p) =>
      `The group '${p.group}', device group of ${listOf(p.policies)}, has dynamic membership; device preparation "only uses assigned groups", so devices are not added at enrollment.`,
    fix: (p) => `Change '${p.group}' to Membership type Assigned (or select another assigned security group), keeping the Intune Provisioning Client as owner.`,
  }),
  dpDeviceGroupNotOwned: def<{ group: string; policies: readonly string[]; appId: string }>({
    severity: 'error',
    source: SOURCES.dpDeviceGroup,
    title: 'Intune Provisioning Client is not an owner of the device group',
    message: (p) =>
      `The Intune Provisioning Client (appId ${p.appId}) is not an owner of '${p.group}', device group of ${listOf(p.policies)}: enrollment-time grouping fails and the selected apps and scripts are skipped.`,
    fix: (p) => `In Entra ID > Groups > '${p.group}' > Owners, add the service principal 'Intune Provisioning Client' (appId ${p.appId}); some tenants show it as 'Intune Autopilot ConfidentialClient'.`,
  }),
  dpDeviceGroupRoleAssignable: def<{ group: string; policies: readonly string[] }>({
    severity: 'warning',
    source: SOURCES.dpDeviceGroup,
    title: 'Device group can be assigned to Entra roles',
    message: (p) => `The group '${p.group}', device group of ${listOf(p.policies)}, was created with "Microsoft Entra roles can be assigned to the group" = Yes; the device group must be created with No.`,
    fix: (p) => `Create a new assigned security group with "Microsoft Entra roles can be assigned to the group" = No, owned by the Intune Provisioning Client, move the assignments of '${p.group}' to it and select it in the policy.`,
  }),
  dpDeviceGroupUsedByAutopilot: def<{ group: string; policies: readonly string[]; targets: readonly string[] }>({
    severity: 'warning',
    source: SOURCES.dpDeviceGroup,
    title: 'Device group reused by classic Autopilot',
    message: (p) => `The group '${p.group}', device group of ${listOf(p.policies)}, is also targeted by ${p.targets.join(', ')}; reusing the device preparation device group for classic Autopilot is not recommended.`,
    fix: (p) => `Use a separate group for the classic Autopilot profile or Enrollment Status Page, and keep '${p.group}' for device preparation only.`,
  }),
  dpDeviceGroupShared: def<{ group: string; policies: readonly string[] }>({
    severity: 'info',
    source: SOURCES.dpDeviceGroup,
    title: 'Device group shared by several policies',
    message: (p) => `The group '${p.group}' is the device group of ${p.policies.length} device preparation policies (${listOf(p.policies, p.policies.length, 5)}); this works but is not recommended.`,
    fix: (p) => `Give each device preparation policy its own assigned security group (owned by the Intune Provisioning Client) instead of sharing '${p.group}'.`,
  }),

  // ---- Device preparation: who gets the policy (§1.5, §6 DP 4-5) ---------------------------------------------
  dpPolicyNotAssigned: def<Policy>({
    severity: 'error',
    source: SOURCES.dpPolicy,
    title: 'Policy not assigned to a user group',
    message: (p) => `The device preparation policy '${p.policy}' is not assigned to any user group, so it is delivered to no one.`,
    fix: (p) => `Open '${p.policy}' > Assignments and include the security group of the users who set up devices.`,
  }),
  dpUserGroupDeleted: def<PolicyGroup>({
    severity: 'error',
    source: SOURCES.dpUserGroup,
    title: 'Assigned user group deleted',
    message: (p) => `The device preparation policy '${p.policy}' is assigned to the group ${p.group}, which no longer exists.`,
    fix: (p) => `Remove the deleted group from the assignments of '${p.policy}' and include an existing security group of users.`,
  }),
  dpUserGroupNotSecurity: def<{ group: string; policies: readonly string[] }>({
    severity: 'error',
    source: SOURCES.dpUserGroup,
    title: 'User group is not a security group',
    message: (p) => `The group '${p.group}', assigned to ${listOf(p.policies)}, is not a security group; the device preparation user group must be a security group (assigned or dynamic).`,
    fix: (p) => `Create a security group with the same users and assign the policy to it instead of '${p.group}'.`,
  }),
  dpUserGroupHasNonUsers: def<{ group: string; policies: readonly string[]; counts: string }>({
    severity: 'warning',
    source: SOURCES.dpUserGroup,
    title: 'User group contains devices or other non-user objects',
    message: (p) => `The group '${p.group}', assigned to ${listOf(p.policies)}, contains ${p.counts}; device preparation policies are delivered to users, so those members get nothing.`,
    fix: (p) => `Remove the devices and service principals from '${p.group}' (put devices in the policy's device group instead).`,
  }),
  dpPolicyNoUsers: def<Policy>({
    severity: 'warning',
    source: SOURCES.dpUserGroup,
    title: 'Policy reaches no users',
    message: (p) => `The device preparation policy '${p.policy}' is assigned, but its included groups (minus its excluded ones) hold no users, so it is delivered to no one.`,
    fix: (p) => `Add the users who set up devices to the user group of '${p.policy}' (check a dynamic group's rule), or assign the policy to another group.`,
  }),
  /** `winners`: the policies that win, already quoted with their priority. */
  dpPolicyShadowed: def<Policy & { count: number; total: number; winners: string }>({
    severity: 'warning',
    source: SOURCES.dpPolicy,
    title: 'Another policy with a higher priority wins for the same users',
    message: (p) =>
      p.count === p.total
        ? `The device preparation policy '${p.policy}' never applies: ${p.total === 1 ? 'the user it targets also gets' : `all ${p.total} users it targets also get`} ${p.winners}, which has a higher priority (smaller number) and wins.`
        : `For ${p.count} of the ${plural(p.total, 'user')} targeted by the device preparation policy '${p.policy}', ${p.winners} has a higher priority and wins.`,
    fix: (p) => `Reorder the device preparation policies (Priority column), or exclude the users of '${p.policy}' from the policy that wins, so each user gets the intended policy.`,
  }),

  // ---- Device preparation: apps and scripts (§1.7, §6 DP 6-9) -------------------------------------------------
  /** `items`: e.g. "app 0898a27b-…", the first few; `count`: how many. */
  dpSelectedItemMissing: def<Policy & { items: readonly string[]; count: number }>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected app or script no longer exists',
    message: (p) =>
      `The device preparation policy '${p.policy}' selects ${plural(p.count, 'app or script', 'apps or scripts')} that no longer ${verb(p.count, 'exists', 'exist')} (${p.items.slice(0, 3).join(', ')}${p.count > 3 ? ` and ${p.count - 3} more` : ''}); ${verb(p.count, 'it is', 'they are')} skipped.`,
    fix: (p) => `Edit '${p.policy}' > Apps and Scripts and remove or replace the deleted ${verb(p.count, 'item', 'items')}.`,
  }),
  dpAppUnsupportedType: def<Item & { type: string }>({
    severity: 'error',
    source: SOURCES.dpPolicy,
    title: 'Selected app of a type device preparation cannot install',
    message: (p) => `The app '${p.item}' selected in '${p.policy}' is of type ${p.type}; device preparation installs only LOB, Win32, Microsoft Store (WinGet), Microsoft 365 and Enterprise App Catalog apps.`,
    fix: (p) => `Remove '${p.item}' from the policy's Apps, or package it as a Win32 app and select that instead.`,
  }),
  dpAppNotAssigned: def<PolicyGroup & { item: string }>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected app not assigned to the device group',
    message: (p) => `The app '${p.item}' is selected in '${p.policy}' but not assigned to its device group '${p.group}', so it is skipped during setup.`,
    fix: (p) => `Assign '${p.item}' to '${p.group}' as Required, Included, in device (System) context.`,
  }),
  dpAppNotRequired: def<PolicyGroup & { item: string; intent: string }>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected app assigned to the device group but not as Required',
    message: (p) => `The app '${p.item}' selected in '${p.policy}' is assigned to the device group '${p.group}' as ${p.intent}, not Required, so it is skipped during setup.`,
    fix: (p) => `Change the assignment of '${p.item}' to '${p.group}' to Required.`,
  }),
  dpAppExcluded: def<PolicyGroup & { item: string }>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected app excludes the device group',
    message: (p) => `The app '${p.item}' selected in '${p.policy}' has the device group '${p.group}' in its Excluded groups; exclusion wins, so it is skipped during setup.`,
    fix: (p) => `Remove '${p.group}' from the Excluded groups of '${p.item}' and assign it to the group as Required, Included.`,
  }),
  dpAppUserContext: def<Item>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected app installs in user context',
    message: (p) => `The app '${p.item}' selected in '${p.policy}' installs in user context; during setup no user is signed in, so it is skipped.`,
    fix: (p) => `Set '${p.item}' to install in device (System) context (Win32: Install behavior System; LOB MSI: device context).`,
  }),
  dpScriptNotAssigned: def<PolicyGroup & { item: string }>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected script not assigned to the device group',
    message: (p) => `The script '${p.item}' is selected in '${p.policy}' but not assigned to its device group '${p.group}', so it does not run during setup.`,
    fix: (p) => `Assign '${p.item}' to '${p.group}' under Included groups.`,
  }),
  dpScriptExcluded: def<PolicyGroup & { item: string }>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected script excludes the device group',
    message: (p) => `The script '${p.item}' selected in '${p.policy}' has the device group '${p.group}' in its Excluded groups, so it does not run during setup.`,
    fix: (p) => `Move '${p.group}' from the Excluded to the Included groups of '${p.item}'.`,
  }),
  dpScriptRunsAsUser: def<Item>({
    severity: 'error',
    source: SOURCES.dpAppsScripts,
    title: 'Selected script runs with the logged on credentials',
    message: (p) => `The script '${p.item}' selected in '${p.policy}' has "Run this script using the logged on credentials" = Yes; during setup scripts must run as System, so it is skipped.`,
    fix: (p) => `Set "Run this script using the logged on credentials" to No on '${p.item}'.`,
  }),
  dpTooManyApps: def<Policy & { count: number }>({
    severity: 'error',
    source: SOURCES.dpPolicy,
    title: 'More than 25 apps selected',
    message: (p) => `The device preparation policy '${p.policy}' selects ${p.count} apps; at most 25 can be tracked during setup.`,
    fix: (p) => `Keep at most 25 apps in '${p.policy}' (the ones needed before the desktop); the rest can install after setup through the device group.`,
  }),
  dpTooManyScripts: def<Policy & { count: number }>({
    severity: 'error',
    source: SOURCES.dpPolicy,
    title: 'More than 10 scripts selected',
    message: (p) => `The device preparation policy '${p.policy}' selects ${p.count} scripts; at most 10 can run during setup.`,
    fix: (p) => `Keep at most 10 scripts in '${p.policy}', or combine scripts.`,
  }),
  dpTimeoutOutOfRange: def<Policy & { minutes: number }>({
    severity: 'error',
    source: SOURCES.dpPolicy,
    title: 'Timeout outside 15-720 minutes',
    message: (p) => `The device preparation policy '${p.policy}' allows ${p.minutes} minutes before showing an installation error; the setting takes 15 to 720 minutes.`,
    fix: (p) => `Set "Minutes allowed before showing installation error" of '${p.policy}' to a value from 15 to 720.`,
  }),
  dpTimeoutTooShort: def<Policy & { minutes: number; needed: number; items: number }>({
    severity: 'warning',
    source: SOURCES.dpPolicy,
    title: 'Timeout shorter than the tracked items can take',
    message: (p) =>
      `The device preparation policy '${p.policy}' allows ${p.minutes} minutes, but its ${plural(p.items, 'tracked item')} can take up to ${p.needed} minutes with the steps around them (the tenant's simulated worst case), so setup can time out.`,
    fix: (p) => `Raise "Minutes allowed before showing installation error" of '${p.policy}' to at least ${p.needed}, or track fewer items.`,
  }),

  // ---- Device preparation: the tenant settings its users meet (§1.3, §1.4, §1.9, §3.4, §6 DP 14-17) --------------
  dpUsersNotAllowedToJoin: def<Users>({
    severity: 'error',
    source: SOURCES.dpAllowJoin,
    title: 'Users of a policy may not join devices to Microsoft Entra ID',
    message: (p) => `${plural(p.count, 'user')} of the device preparation policy '${p.policy}' (${listOf(p.users, p.count)}) may not join devices to Microsoft Entra ID, so setup stops at the join.`,
    fix: () => `In Entra ID > Devices > Device settings, set "Users may join devices to Microsoft Entra" to All, or to Selected including the policy's user group.`,
  }),
  dpUserDeviceQuotaReached: def<Users & { quota: number }>({
    severity: 'warning',
    source: SOURCES.entraDeviceSettings,
    title: 'Users at the Entra per-user device quota',
    message: (p) => `${plural(p.count, 'user')} of the device preparation policy '${p.policy}' (${listOf(p.users, p.count)}) already ${verb(p.count, 'has', 'have')} ${p.quota} or more devices, the maximum number of devices per user, so joining another device fails.`,
    fix: (p) => `Delete stale devices of these users, or raise "Maximum number of devices per user" (now ${p.quota}) in Entra ID > Devices > Device settings.`,
  }),
  dpUsersOutsideMdmScope: def<Users & { scope: string }>({
    severity: 'error',
    source: SOURCES.dpAutomaticEnrollment,
    title: 'Users of a policy outside the MDM user scope',
    message: (p) =>
      `${plural(p.count, 'user')} of the device preparation policy '${p.policy}' (${listOf(p.users, p.count)}) ${verb(p.count, 'is', 'are')} outside the MDM user scope of Microsoft Intune (${p.scope}), so automatic enrollment fails (0x8018002b).`,
    fix: () => `In Entra ID > Mobility (MDM and WIP) > Microsoft Intune, set MDM user scope to All, or to Some including the policy's user group.`,
  }),
  dpWindowsPlatformBlocked: def<Users & { restriction: string }>({
    severity: 'error',
    source: SOURCES.restrictions,
    title: 'Windows enrollment blocked by a platform restriction',
    message: (p) => `The device platform restriction '${p.restriction}' blocks Windows (MDM) for ${plural(p.count, 'user')} of '${p.policy}' (${listOf(p.users, p.count)}): enrollment fails with 0x80180014.`,
    fix: (p) => `Allow Windows (MDM) in '${p.restriction}', or give these users a higher-priority restriction that allows it.`,
  }),
  dpPersonalBlockedNoIdentifiers: def<Users & { restriction: string }>({
    severity: 'error',
    source: SOURCES.dpCorporateIdentifiers,
    title: 'Personal Windows devices blocked without corporate identifiers',
    message: (p) =>
      `The device platform restriction '${p.restriction}' blocks personally owned Windows devices for ${plural(p.count, 'user')} of '${p.policy}' (${listOf(p.users, p.count)}), and the tenant has no Windows corporate identifiers: device preparation devices count as personal, so enrollment is blocked.`,
    fix: (p) => `Upload the devices' manufacturer, model and serial number as corporate identifiers (Devices > Enrollment > Corporate device identifiers), or allow personally owned Windows devices in '${p.restriction}'.`,
  }),
  dpStandardUserLocalAdmin: def<Users & { setting: string }>({
    severity: 'error',
    source: SOURCES.dpKnownIssues,
    title: 'Standard user with the Entra local administrator setting not All',
    message: (p) =>
      `The device preparation policy '${p.policy}' makes users standard users while "Registering user is added as local administrator on the device during Microsoft Entra join" is ${p.setting} for ${plural(p.count, 'user')} (${listOf(p.users, p.count)}): provisioning is skipped and the desktop appears without the apps (known issue).`,
    fix: (p) => `Set the Entra setting "Registering user is added as local administrator" to All, or set User account type of '${p.policy}' to Administrator.`,
  }),
  apRegistrationOverridesDevicePreparation: def<Devices & { policy: string; profile: string | null }>({
    severity: 'warning',
    source: SOURCES.dpCompare,
    title: 'Registered Autopilot devices of device preparation users run classic Autopilot',
    message: (p) =>
      `${plural(p.count, 'device')} registered with Windows Autopilot (${listOf(p.serials, p.count)}) ${verb(p.count, 'belongs', 'belong')} to users targeted by the device preparation policy '${p.policy}'; registration takes precedence, so ${verb(p.count, 'it runs', 'they run')} classic Autopilot ${p.profile ? `with the profile '${p.profile}'` : "with Autopilot's default profile"} instead.`,
    fix: () => `If these devices should use device preparation, deregister them: delete them from Intune (Windows devices), unassign the user and delete the Autopilot device record; leave the Entra device object.`,
  }),

  // ---- Classic Autopilot (§5.1, §5.2, §6 AP 1-4, 7) ----------------------------------------------------------
  apDeviceNoProfile: def<Devices>({
    severity: 'warning',
    source: SOURCES.apProfiles,
    title: 'Autopilot devices without a deployment profile',
    message: (p) => `${plural(p.count, 'Autopilot device')} (${listOf(p.serials, p.count)}) ${verb(p.count, 'has', 'have')} no deployment profile assigned (profile status Not assigned): ${verb(p.count, 'it gets', 'they get')} Autopilot's default behaviour.`,
    fix: () => `Assign a deployment profile to a group these devices are in (e.g. a dynamic group on [ZTDId]); deploy once the profile status is Assigned.`,
  }),
  apDeviceMultipleProfiles: def<Devices & { loser: string; winner: string }>({
    severity: 'warning',
    source: SOURCES.apProfiles,
    title: 'Several deployment profiles target the same devices',
    message: (p) =>
      `${plural(p.count, 'Autopilot device')} (${listOf(p.serials, p.count)}) ${verb(p.count, 'is', 'are')} in groups targeted by both '${p.winner}' and '${p.loser}'; the oldest created profile, '${p.winner}', wins, so '${p.loser}' never applies to ${verb(p.count, 'it', 'them')}.`,
    fix: (p) => `Target each device with one profile: remove the overlap between the groups of '${p.winner}' and '${p.loser}' (or use exclusions).`,
  }),
  apProfileExcludeWithAllDevices: def<{ profile: string }>({
    severity: 'warning',
    source: SOURCES.apProfiles,
    title: 'Profile assigned to All devices with exclusions',
    message: (p) => `The deployment profile '${p.profile}' is assigned to All devices and also has excluded groups; exclusions with All devices are not supported.`,
    fix: (p) => `Assign '${p.profile}' to a group of Autopilot devices (e.g. a dynamic group on [ZTDId]) instead of All devices, and exclude from that.`,
  }),
  apDynamicGroupRule: def<{ group: string; profiles: readonly string[]; rule: string; reason: string }>({
    severity: 'warning',
    source: SOURCES.apEnrollment,
    title: 'Autopilot profile group rule not based on Autopilot attributes',
    message: (p) => `The dynamic group '${p.group}', targeted by ${listOf(p.profiles)}, has the rule ${p.rule}, which ${p.reason}; only [ZTDId], [OrderID] and [PurchaseOrderId] are known before the out-of-box experience, so devices may not get their profile in time.`,
    fix: (p) => `Base the rule of '${p.group}' on the Autopilot attributes only, e.g. (device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")) or (device.devicePhysicalIds -any (_ -eq "[OrderID]:<group tag>")).`,
  }),
  apProfileGroupEmpty: def<{ group: string; profiles: readonly string[] }>({
    severity: 'warning',
    source: SOURCES.apEnrollment,
    title: 'Profile group holds no devices',
    message: (p) => `The group '${p.group}', targeted by ${listOf(p.profiles)}, holds no devices (a group tag that matches no registered device?), so the profile reaches no one through it.`,
    fix: (p) => `Check the rule or members of '${p.group}' against the devices' group tags ([OrderID]) and purchase orders.`,
  }),
  apNameTemplateInvalid: def<{ profile: string; template: string; problem: string }>({
    severity: 'error',
    source: SOURCES.apProfiles,
    title: 'Invalid device name template',
    message: (p) => `The device name template '${p.template}' of the deployment profile '${p.profile}' is invalid: ${p.problem}`,
    fix: (p) => `Edit '${p.profile}' > Apply device name template: at most 15 characters, letters, numbers and hyphens, not all numbers, macros %SERIAL% and %RAND:x% in capitals.`,
  }),
  apAssignedUserUnknown: def<Devices & { upn: string }>({
    severity: 'warning',
    source: SOURCES.apAddDevices,
    title: 'Autopilot device assigned to a user who does not exist',
    message: (p) => `${plural(p.count, 'Autopilot device')} (${listOf(p.serials, p.count)}) ${verb(p.count, 'is', 'are')} assigned to '${p.upn}', who is not a user of this tenant; the sign-in page is pre-filled with a wrong account.`,
    fix: (p) => `In Windows Autopilot devices, unassign '${p.upn}' or assign an existing licensed user.`,
  }),

  // ---- Enrollment Status Page (§5.4, §5.5, §3.2, §6 AP 5-6) --------------------------------------------------
  espDefaultNoProgress: def<{ esp: string; groups: readonly string[] }>({
    severity: 'warning',
    source: SOURCES.esp,
    title: 'Default Enrollment Status Page does not show progress while apps are meant to block',
    message: (p) =>
      `Autopilot devices in ${listOf(p.groups)} get the default Enrollment Status Page '${p.esp}', which does not show app and profile progress, so the Required apps assigned to them do not block setup and install after the desktop appears.`,
    fix: () => `Create a custom Enrollment Status Page with "Show app and profile configuration progress" = Yes (and "Block device use until all apps and profiles are installed" = Yes) and assign it to the Autopilot device group.`,
  }),
  espTimeoutTooShort: def<{ esp: string; minutes: number; needed: number; phase: string; items: number }>({
    severity: 'warning',
    source: SOURCES.esp,
    title: 'Enrollment Status Page timeout shorter than its apps can take',
    message: (p) =>
      `The Enrollment Status Page '${p.esp}' shows an error after ${p.minutes} minutes, but the ${plural(p.items, 'app')} it tracks in ${p.phase} can take up to ${p.needed} minutes (the tenant's simulated worst case), so setup can time out.`,
    fix: (p) => `Raise "Show an error when installation takes longer than specified number of minutes" of '${p.esp}' to at least ${p.needed}, or block on fewer apps.`,
  }),
  espMsiWin32Conflict: def<{ esp: string; msi: readonly string[]; win32: readonly string[] }>({
    severity: 'error',
    source: SOURCES.esp,
    title: 'LOB MSI and Win32 apps tracked together',
    message: (p) =>
      `The Enrollment Status Page '${p.esp}' tracks LOB MSI apps (${listOf(p.msi)}) together with Win32 apps (${listOf(p.win32)}) in Device setup; both use TrustedInstaller, so a Win32 install fails with "Another installation is in progress".`,
    fix: () => `Package the LOB MSI apps as Win32 apps (or use device preparation, which serializes them), so the Enrollment Status Page tracks one kind.`,
  }),
  espOfficeWithWin32: def<{ esp: string; office: readonly string[]; win32: readonly string[] }>({
    severity: 'warning',
    source: SOURCES.esp,
    title: 'Microsoft 365 Apps tracked alongside Win32 apps',
    message: (p) =>
      `The Enrollment Status Page '${p.esp}' tracks Microsoft 365 Apps (${listOf(p.office)}) alongside Win32 apps (${listOf(p.win32)}); the Microsoft 365 Apps (Windows 10 and later) type can hang the Enrollment Status Page when it installs at the same time.`,
    fix: () => `Deploy Microsoft 365 Apps as a Win32 app, or do not block on it.`,
  }),
  espTooManySelectedApps: def<{ esp: string; count: number }>({
    severity: 'error',
    source: SOURCES.esp,
    title: 'More than 100 blocking apps selected',
    message: (p) => `The Enrollment Status Page '${p.esp}' selects ${p.count} blocking apps; at most 100 can be selected.`,
    fix: (p) => `Select at most 100 apps in "Block device use until these required apps are installed" of '${p.esp}'.`,
  }),
  espSelectedAppNotRequired: def<{ esp: string; apps: readonly string[]; count: number }>({
    severity: 'warning',
    source: SOURCES.esp,
    title: 'Blocking app not assigned as Required',
    message: (p) => `The Enrollment Status Page '${p.esp}' blocks on ${listOf(p.apps, p.count)}, which ${verb(p.count, 'is', 'are')} not assigned as Required to any group, so ${verb(p.count, 'it is', 'they are')} never installed during setup.`,
    fix: () => `Assign each selected app as Required to the devices' or users' group, or remove it from the blocking list.`,
  }),
} as const;

export type FindingId = keyof typeof FINDINGS;
type ParamsOf<K extends FindingId> = Parameters<(typeof FINDINGS)[K]['message']>[0];

const ORDER = new Map((Object.keys(FINDINGS) as FindingId[]).map((id, i) => [id, i]));
const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** A finding of the catalogue about one object. */
export function finding<K extends FindingId>(id: K, object: FindingObject, params: ParamsOf<K>): Finding {
  const d = FINDINGS[id] as unknown as Definition<ParamsOf<K>>;
  return { id, severity: d.severity, object, message: d.message(params), fix: d.fix(params), source: d.source };
}

/** Worst first; then in catalogue order; then by the object's name and id, so a report reads the same each time. */
export function byWorstFirst(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    ORDER.get(a.id)! - ORDER.get(b.id)! ||
    a.object.displayName.localeCompare(b.object.displayName) ||
    a.object.id.localeCompare(b.object.id) ||
    a.message.localeCompare(b.message)
  );
}
