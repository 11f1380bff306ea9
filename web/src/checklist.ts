// The setup checklist of the home page: the steps of the two tutorials, and the status of each in a tenant,
// from what Graph shows (is the step's configuration there?) and the pre-flight findings (is it right?).
// Pure functions over plain data: no imports, so the server's tests can check it against the catalogue.
//   Device preparation: learn.microsoft.com/autopilot/device-preparation/tutorial/user-driven/entra-join-workflow
//   Classic Autopilot: learn.microsoft.com/autopilot/tutorial/user-driven/azure-ad-join-workflow

export type StepStatus = 'done' | 'attention' | 'notStarted';
export type Tutorial = 'devicePreparation' | 'classic';

export interface Step {
  readonly id: string;
  readonly tutorial: Tutorial;
  readonly number: number;
  readonly title: string;
  readonly optional?: boolean;
  /** The admin center screen that fixes it (a route path). */
  readonly route: string;
  /** The Microsoft tutorial page of the step. */
  readonly doc: string;
  /** Pre-flight finding ids (docs/preflight.md) that are about this step. */
  readonly findings: readonly string[];
}

const DP_DOC = 'https://learn.microsoft.com/autopilot/device-preparation/tutorial/user-driven';
const AP_DOC = 'https://learn.microsoft.com/autopilot/tutorial/user-driven';

export const STEPS: readonly Step[] = [
  {
    id: 'dp1',
    tutorial: 'devicePreparation',
    number: 1,
    title: 'Set up Windows automatic Intune enrollment',
    route: '/tenant-settings',
    doc: `${DP_DOC}/entra-join-automatic-enrollment`,
    findings: ['dpUsersOutsideMdmScope', 'dpWindowsPlatformBlocked'],
  },
  {
    id: 'dp2',
    tutorial: 'devicePreparation',
    number: 2,
    title: 'Allow users to join devices to Microsoft Entra ID',
    route: '/tenant-settings',
    doc: `${DP_DOC}/entra-join-allow-users-to-join`,
    findings: ['dpUsersNotAllowedToJoin', 'dpUserDeviceQuotaReached'],
  },
  {
    id: 'dp3',
    tutorial: 'devicePreparation',
    number: 3,
    title: 'Create an assigned device group',
    route: '/groups',
    doc: `${DP_DOC}/entra-join-device-group`,
    findings: [
      'dpProvisioningClientMissing',
      'dpNoDeviceGroup',
      'dpDeviceGroupDeleted',
      'dpDeviceGroupNotSecurity',
      'dpDeviceGroupDynamic',
      'dpDeviceGroupNotOwned',
      'dpDeviceGroupRoleAssignable',
      'dpDeviceGroupUsedByAutopilot',
      'dpDeviceGroupShared',
    ],
  },
  {
    id: 'dp4',
    tutorial: 'devicePreparation',
    number: 4,
    title: 'Create a user group',
    route: '/groups',
    doc: `${DP_DOC}/entra-join-user-group`,
    findings: ['dpUserGroupDeleted', 'dpUserGroupNotSecurity', 'dpUserGroupHasNonUsers', 'dpPolicyNoUsers'],
  },
  {
    id: 'dp5',
    tutorial: 'devicePreparation',
    number: 5,
    title: 'Assign applications and PowerShell scripts to device group',
    route: '/apps',
    doc: `${DP_DOC}/entra-join-assign-apps-scripts`,
    findings: ['dpAppNotAssigned', 'dpAppNotRequired', 'dpAppExcluded', 'dpAppUserContext', 'dpScriptNotAssigned', 'dpScriptExcluded', 'dpScriptRunsAsUser'],
  },
  {
    id: 'dp6',
    tutorial: 'devicePreparation',
    number: 6,
    title: 'Create Windows Autopilot device preparation policy',
    route: '/devices/device-preparation',
    doc: `${DP_DOC}/entra-join-autopilot-policy`,
    findings: [
      'dpPolicyNotAssigned',
      'dpPolicyShadowed',
      'dpSelectedItemMissing',
      'dpAppUnsupportedType',
      'dpTooManyApps',
      'dpTooManyScripts',
      'dpTimeoutOutOfRange',
      'dpTimeoutTooShort',
      'dpStandardUserLocalAdmin',
    ],
  },
  {
    id: 'dp7',
    tutorial: 'devicePreparation',
    number: 7,
    title: 'Add Windows corporate identifiers',
    optional: true,
    route: '/devices/corporate-identifiers',
    doc: `${DP_DOC}/entra-join-corporate-identifier`,
    findings: ['dpPersonalBlockedNoIdentifiers'],
  },
  {
    id: 'ap1',
    tutorial: 'classic',
    number: 1,
    title: 'Create a device group',
    route: '/groups',
    doc: `${AP_DOC}/azure-ad-join-device-group`,
    findings: ['apDynamicGroupRule', 'apProfileGroupEmpty'],
  },
  {
    id: 'ap2',
    tutorial: 'classic',
    number: 2,
    title: 'Configure and assign the Enrollment Status Page',
    route: '/devices/enrollment-status-page',
    doc: `${AP_DOC}/azure-ad-join-esp`,
    findings: ['espDefaultNoProgress', 'espTimeoutTooShort', 'espMsiWin32Conflict', 'espOfficeWithWin32', 'espTooManySelectedApps', 'espSelectedAppNotRequired'],
  },
  {
    id: 'ap3',
    tutorial: 'classic',
    number: 3,
    title: 'Create an Autopilot deployment profile',
    route: '/devices/deployment-profiles',
    doc: `${AP_DOC}/azure-ad-join-autopilot-profile`,
    findings: ['apNameTemplateInvalid'],
  },
  {
    id: 'ap4',
    tutorial: 'classic',
    number: 4,
    title: 'Assign the profile to the device group',
    route: '/devices/deployment-profiles',
    doc: `${AP_DOC}/azure-ad-join-autopilot-profile`,
    findings: ['apProfileExcludeWithAllDevices', 'apDeviceMultipleProfiles', 'apDeviceNoProfile'],
  },
  {
    id: 'ap5',
    tutorial: 'classic',
    number: 5,
    title: 'Import devices',
    route: '/devices/autopilot',
    doc: `${AP_DOC}/azure-ad-join-register-device`,
    findings: ['apAssignedUserUnknown', 'apRegistrationOverridesDevicePreparation'],
  },
];

// ---- What the checklist reads ----------------------------------------------------------------------

/** As in src/intune/device-preparation-templates.ts (the user-driven template of the tutorial). */
export const USER_DRIVEN_TEMPLATE_ID = '80d33118-b7b4-40d8-b15f-81be745e053f_1';
export const DPP_DEVICE_GROUP_SETTING = 'enrollment_autopilot_dpp_devicesecuritygroupids';
export const DPP_APPS_SETTING = 'enrollment_autopilot_dpp_allowedappids';
export const DPP_SCRIPTS_SETTING = 'enrollment_autopilot_dpp_allowedscriptids';
export const ESP_TYPE = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';

export interface Assignment {
  readonly target?: { readonly '@odata.type'?: string; readonly groupId?: string };
}

export interface SettingInstance {
  readonly settingDefinitionId?: string;
  readonly simpleSettingValue?: { readonly value?: unknown };
  readonly simpleSettingCollectionValue?: readonly { readonly value?: unknown }[];
}

/** A configurationPolicy with `$expand=settings,assignments`. */
export interface ConfigurationPolicy {
  readonly id: string;
  readonly name?: string;
  readonly priorityMetaData?: { readonly priority?: number } | null;
  readonly templateReference?: { readonly templateId?: string } | null;
  readonly settings?: readonly { readonly settingInstance?: SettingInstance }[];
  readonly assignments?: readonly Assignment[];
}

export interface TenantReads {
  /** GET /beta/policies/mobileDeviceManagementPolicies/{Intune}: `appliesTo` none, some or all. */
  readonly mdmAppliesTo: string;
  /** GET /beta/policies/deviceRegistrationPolicy: azureADJoin.allowedToJoin['@odata.type']. */
  readonly allowedToJoinType: string;
  readonly configurationPolicies: readonly ConfigurationPolicy[];
  readonly corporateIdentifiers: number;
  /** Dynamic groups (id, name, rule). */
  readonly dynamicGroups: readonly { readonly id: string; readonly displayName: string; readonly membershipRule?: string | null }[];
  /** deviceEnrollmentConfigurations with `$expand=assignments`. */
  readonly enrollmentConfigurations: readonly {
    readonly '@odata.type'?: string;
    readonly id: string;
    readonly displayName?: string;
    readonly priority?: number;
    readonly showInstallationProgress?: boolean;
    readonly assignments?: readonly Assignment[];
  }[];
  /** windowsAutopilotDeploymentProfiles with `$expand=assignments`. */
  readonly deploymentProfiles: readonly { readonly id: string; readonly displayName?: string; readonly assignments?: readonly Assignment[] }[];
  readonly autopilotDevices: number;
  /** Names of the groups the above refer to, by id. */
  readonly groupNames: Readonly<Record<string, string>>;
}

export interface Finding {
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly object: { readonly type: string; readonly id: string; readonly displayName: string };
  readonly message: string;
  readonly fix: string;
  readonly source: string;
}

export interface StepResult {
  readonly step: Step;
  readonly status: StepStatus;
  /** What was found, in a sentence. */
  readonly detail: string;
  /** Findings about the step, worst first (info findings do not change the status). */
  readonly findings: readonly Finding[];
}

export interface Checklist {
  readonly steps: readonly StepResult[];
  /** Findings no step claims (a catalogue entry added after this list): shown apart rather than lost. */
  readonly other: readonly Finding[];
}

// ---- Status ----------------------------------------------------------------------------------------

export function checklist(reads: TenantReads, findings: readonly Finding[]): Checklist {
  const claimed = new Set(STEPS.flatMap((s) => s.findings));
  const steps = STEPS.map((step) => {
    const own = findings.filter((f) => step.findings.includes(f.id));
    const configured = CONFIGURED[step.id]!(reads);
    const needsAttention = own.some((f) => f.severity !== 'info');
    const status: StepStatus = needsAttention ? 'attention' : configured.done ? 'done' : 'notStarted';
    return { step, status, detail: configured.detail, findings: own };
  });
  return { steps, other: findings.filter((f) => !claimed.has(f.id)) };
}

interface Configured {
  readonly done: boolean;
  readonly detail: string;
}

const names = (list: readonly string[]) => list.map((n) => `'${n}'`).join(', ');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function devicePreparationPolicies(reads: TenantReads): readonly ConfigurationPolicy[] {
  return reads.configurationPolicies.filter((p) => p.templateReference?.templateId === USER_DRIVEN_TEMPLATE_ID);
}

function setting(policy: ConfigurationPolicy, id: string): SettingInstance | undefined {
  return policy.settings?.map((s) => s.settingInstance).find((i) => i?.settingDefinitionId === id);
}

function deviceGroupOf(policy: ConfigurationPolicy): string | undefined {
  const value = setting(policy, DPP_DEVICE_GROUP_SETTING)?.simpleSettingValue?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function collectionCount(policy: ConfigurationPolicy, id: string): number {
  return setting(policy, id)?.simpleSettingCollectionValue?.length ?? 0;
}

function targetsOf(assignments: readonly Assignment[] | undefined, reads: TenantReads): string[] {
  return (assignments ?? []).flatMap((a) => {
    const type = a.target?.['@odata.type'] ?? '';
    if (type.endsWith('exclusionGroupAssignmentTarget')) return [];
    if (type.endsWith('allLicensedUsersAssignmentTarget')) return ['All users'];
    if (type.endsWith('allDevicesAssignmentTarget')) return ['All devices'];
    const id = a.target?.groupId;
    return id ? [`'${reads.groupNames[id] ?? id}'`] : [];
  });
}

const isDefaultPage = (c: TenantReads['enrollmentConfigurations'][number]) => c.priority === 0 || c.id.endsWith('DefaultWindows10EnrollmentCompletionPageConfiguration');

/** Per step: is its configuration there, and what was found. */
const CONFIGURED: Readonly<Record<string, (reads: TenantReads) => Configured>> = {
  dp1: (r) => ({
    done: r.mdmAppliesTo === 'all' || r.mdmAppliesTo === 'some',
    detail: `MDM user scope of Microsoft Intune: ${{ all: 'All', some: 'Some', none: 'None' }[r.mdmAppliesTo] ?? r.mdmAppliesTo}.`,
  }),
  dp2: (r) => {
    const kind = r.allowedToJoinType.replace('#microsoft.graph.', '');
    const label = { allDeviceRegistrationMembership: 'All', enumeratedDeviceRegistrationMembership: 'Selected', noDeviceRegistrationMembership: 'None' }[kind] ?? kind;
    return { done: kind !== 'noDeviceRegistrationMembership', detail: `Users may join devices to Microsoft Entra: ${label}.` };
  },
  dp3: (r) => {
    const withGroup = devicePreparationPolicies(r).filter((p) => deviceGroupOf(p));
    if (withGroup.length === 0) return { done: false, detail: 'No device preparation policy has a device group yet.' };
    const groups = [...new Set(withGroup.map((p) => r.groupNames[deviceGroupOf(p)!] ?? deviceGroupOf(p)!))];
    return { done: true, detail: `Device group ${names(groups)}, used by ${plural(withGroup.length, 'device preparation policy', 'device preparation policies')}.` };
  },
  dp4: (r) => {
    const targets = [...new Set(devicePreparationPolicies(r).flatMap((p) => targetsOf(p.assignments, r)))];
    if (targets.length === 0) return { done: false, detail: 'No device preparation policy is assigned to a user group yet.' };
    return { done: true, detail: `Device preparation is assigned to ${targets.join(', ')}.` };
  },
  dp5: (r) => {
    const policies = devicePreparationPolicies(r);
    const apps = policies.reduce((n, p) => n + collectionCount(p, DPP_APPS_SETTING), 0);
    const scripts = policies.reduce((n, p) => n + collectionCount(p, DPP_SCRIPTS_SETTING), 0);
    if (apps + scripts === 0) return { done: false, detail: 'No device preparation policy installs apps or scripts yet.' };
    return { done: true, detail: `Setup installs ${plural(apps, 'app')} and ${plural(scripts, 'script')} from the device group's assignments.` };
  },
  dp6: (r) => {
    const policies = devicePreparationPolicies(r);
    if (policies.length === 0) return { done: false, detail: 'No user-driven device preparation policy yet.' };
    const assigned = policies.filter((p) => targetsOf(p.assignments, r).length > 0);
    return {
      done: assigned.length > 0,
      detail: `${plural(policies.length, 'policy', 'policies')}: ${names(policies.map((p) => p.name ?? p.id))}${assigned.length < policies.length ? `; ${policies.length - assigned.length} not assigned` : ''}.`,
    };
  },
  dp7: (r) => ({
    done: r.corporateIdentifiers > 0,
    detail: r.corporateIdentifiers > 0 ? 'Corporate identifiers are imported.' : 'Optional: no corporate identifiers imported.',
  }),
  ap1: (r) => {
    const autopilotGroups = r.dynamicGroups.filter((g) => /devicePhysicalIds/i.test(g.membershipRule ?? '') && /ZTDId|OrderID|PurchaseOrderId/i.test(g.membershipRule ?? ''));
    const profileGroups = [...new Set(r.deploymentProfiles.flatMap((p) => targetsOf(p.assignments, r)))];
    const shown = autopilotGroups.length > 0 ? names(autopilotGroups.map((g) => g.displayName)) : profileGroups.join(', ');
    if (!shown) return { done: false, detail: 'No group of Autopilot devices yet (a dynamic group on [ZTDId] or a group tag).' };
    return { done: true, detail: `Autopilot device groups: ${shown}.` };
  },
  ap2: (r) => {
    const pages = r.enrollmentConfigurations.filter((c) => c['@odata.type'] === ESP_TYPE);
    const assigned = pages.filter((p) => !isDefaultPage(p) && targetsOf(p.assignments, r).length > 0);
    if (assigned.length > 0) return { done: true, detail: `${names(assigned.map((p) => p.displayName ?? p.id))} assigned to ${[...new Set(assigned.flatMap((p) => targetsOf(p.assignments, r)))].join(', ')}.` };
    if (pages.some((p) => isDefaultPage(p) && p.showInstallationProgress)) return { done: true, detail: 'The default Enrollment Status Page shows app and profile installation progress.' };
    return { done: false, detail: 'No Enrollment Status Page shows installation progress yet.' };
  },
  ap3: (r) =>
    r.deploymentProfiles.length > 0
      ? { done: true, detail: `${plural(r.deploymentProfiles.length, 'profile')}: ${names(r.deploymentProfiles.map((p) => p.displayName ?? p.id))}.` }
      : { done: false, detail: 'No Windows Autopilot deployment profile yet.' },
  ap4: (r) => {
    const assigned = r.deploymentProfiles.filter((p) => targetsOf(p.assignments, r).length > 0);
    if (assigned.length === 0) return { done: false, detail: 'No deployment profile is assigned yet.' };
    return { done: true, detail: assigned.map((p) => `'${p.displayName ?? p.id}' → ${targetsOf(p.assignments, r).join(', ')}`).join('; ') + '.' };
  },
  ap5: (r) =>
    r.autopilotDevices > 0
      ? { done: true, detail: `${plural(r.autopilotDevices, 'device')} registered with Windows Autopilot.` }
      : { done: false, detail: 'No device registered with Windows Autopilot yet.' },
};

/** Group ids the checklist names (device groups and assignment targets), for one lookup of their names. */
export function referencedGroupIds(reads: Omit<TenantReads, 'groupNames'>): string[] {
  const ids = new Set<string>();
  for (const p of reads.configurationPolicies) {
    if (p.templateReference?.templateId !== USER_DRIVEN_TEMPLATE_ID) continue;
    const group = deviceGroupOf(p);
    if (group) ids.add(group);
    for (const a of p.assignments ?? []) if (a.target?.groupId) ids.add(a.target.groupId);
  }
  for (const x of [...reads.enrollmentConfigurations, ...reads.deploymentProfiles]) for (const a of x.assignments ?? []) if (a.target?.groupId) ids.add(a.target.groupId);
  return [...ids];
}
