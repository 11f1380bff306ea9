// Settings Catalog policies (/beta/deviceManagement/configurationPolicies) as an Intune resource: the
// policy's own properties, its shape for $filter/$select, and the rules on platforms, technologies and the
// template reference. Device preparation policies are the ones made from a device preparation template.
// Source: Graph beta deviceManagementConfigurationPolicy (intune-deviceconfigv2-devicemanagementconfigurationpolicy.md).
import type { Scope } from '../server/context.js';
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { intuneBadRequest, textOf } from './errors.js';
import type { IntuneObject, IntuneResource } from './resource.js';
import { devicePreparationTemplate, DEVICE_PREPARATION_TEMPLATES, ENROLLMENT_TEMPLATE_FAMILY } from './device-preparation-templates.js';
import { checkStorable } from './value-checks.js';

export const CONFIGURATION_POLICIES = 'configurationPolicies';
export const POLICY_TYPE = '#microsoft.graph.deviceManagementConfigurationPolicy';

export const configurationRead = ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'] as const;
export const configurationWrite = ['DeviceManagementConfiguration.ReadWrite.All'] as const;

// Enum members from Microsoft's beta metadata (deviceManagementConfigurationPlatforms / …Technologies / …TemplateFamily).
const PLATFORMS = ['none', 'android', 'iOS', 'macOS', 'windows10X', 'windows10', 'linux', 'unknownFutureValue', 'androidEnterprise', 'aosp', 'visionOS', 'tvOS'];
const TECHNOLOGIES = [
  'none', 'mdm', 'windows10XManagement', 'configManager', 'intuneManagementExtension', 'thirdParty', 'documentGateway', 'appleRemoteManagement',
  'microsoftSense', 'exchangeOnline', 'mobileApplicationManagement', 'linuxMdm', 'extensibility', 'enrollment', 'endpointPrivilegeManagement',
  'unknownFutureValue', 'windowsOsRecovery', 'android',
];
const TEMPLATE_FAMILIES = [
  'none', 'endpointSecurityAntivirus', 'endpointSecurityDiskEncryption', 'endpointSecurityFirewall', 'endpointSecurityEndpointDetectionAndResponse',
  'endpointSecurityAttackSurfaceReduction', 'endpointSecurityAccountProtection', 'endpointSecurityApplicationControl',
  'endpointSecurityEndpointPrivilegeManagement', 'enrollmentConfiguration', 'appQuietTime', 'baseline', 'unknownFutureValue',
  'deviceConfigurationScripts', 'deviceConfigurationPolicies', 'windowsOsRecoveryPolicies', 'companyPortal', 'windowsRecoveryAndRemediationConfiguration',
];

const str: PropType = { kind: 'string' };
const flagsEnum = (typeName: string): PropType => ({ kind: 'enum', flags: true, typeName });

/** The shape $filter, $select and $orderby bind to (`technologies has 'enrollment'`, `TemplateReference/templateId eq …`). */
const policyShape: ResourceShape = intuneShape('deviceManagementConfigurationPolicy', {
  name: str,
  description: str,
  platforms: flagsEnum('microsoft.graph.deviceManagementConfigurationPlatforms'),
  technologies: flagsEnum('microsoft.graph.deviceManagementConfigurationTechnologies'),
  settingCount: { kind: 'int' },
  isAssigned: { kind: 'boolean' },
  creationSource: str,
  disableEntraGroupPolicyAssignment: { kind: 'boolean' },
  templateReference: {
    kind: 'complex',
    typeName: 'microsoft.graph.deviceManagementConfigurationPolicyTemplateReference',
    properties: {
      templateId: str,
      templateFamily: { kind: 'enum', typeName: 'microsoft.graph.deviceManagementConfigurationTemplateFamily' },
      templateDisplayName: str,
      templateDisplayVersion: str,
    },
  },
  priorityMetaData: { kind: 'complex', typeName: 'microsoft.graph.deviceManagementPriorityMetaData', properties: { priority: { kind: 'int' } } },
});

/** Bodies may round-trip a templateReference with annotations (`templateFamily@odata.type`): checked by hand below. */
const bodyShape: ResourceShape = { ...policyShape, properties: { ...policyShape.properties, templateReference: { kind: 'complex', properties: {} } } };

type Json = Record<string, unknown>;

/** A flags enum value ("mdm,microsoftSense") in Microsoft's spelling, or a 400 naming the property. */
function flagsValue(property: string, value: unknown, members: readonly string[]): string {
  const parts = typeof value === 'string' ? value.split(',').map((p) => p.trim()) : [];
  const canonical = parts.map((p) => members.find((m) => m.toLowerCase() === p.toLowerCase()));
  if (parts.length === 0 || canonical.some((c) => c === undefined)) {
    throw intuneBadRequest(`'${textOf(value)}' is not a valid value of '${property}'; use one or more of ${members.join(', ')} (comma-separated).`, property);
  }
  return [...new Set(canonical as string[])].join(',');
}

/** The stored templateReference: a device preparation template gets its family, name and version. */
function templateReferenceOf(raw: unknown, technologies: string): Json {
  if (raw === undefined || raw === null) return { templateId: '', templateFamily: 'none', templateDisplayName: null, templateDisplayVersion: null };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw intuneBadRequest("'templateReference' must be a deviceManagementConfigurationPolicyTemplateReference object.", 'templateReference');
  const ref = raw as Json;
  checkStorable(ref, 'templateReference');
  for (const key of Object.keys(ref)) {
    if (!key.includes('@odata.') && !['templateId', 'templateFamily', 'templateDisplayName', 'templateDisplayVersion'].includes(key)) {
      throw intuneBadRequest(`Property '${key}' is not part of deviceManagementConfigurationPolicyTemplateReference.`, `templateReference.${key}`);
    }
  }
  const templateId = ref.templateId ?? '';
  if (typeof templateId !== 'string') throw intuneBadRequest("'templateReference.templateId' must be a string.", 'templateReference.templateId');
  const family = ref.templateFamily === undefined || ref.templateFamily === null ? undefined : flagsValue('templateReference.templateFamily', ref.templateFamily, TEMPLATE_FAMILIES);
  const template = devicePreparationTemplate(templateId);
  if (template) {
    if (family !== undefined && family !== ENROLLMENT_TEMPLATE_FAMILY) {
      throw intuneBadRequest(`Template ${template.templateId} belongs to the '${ENROLLMENT_TEMPLATE_FAMILY}' family, not '${family}'.`, 'templateReference.templateFamily');
    }
    return { templateId: template.templateId, templateFamily: ENROLLMENT_TEMPLATE_FAMILY, templateDisplayName: template.displayName, templateDisplayVersion: template.displayVersion };
  }
  if (templateId !== '' && (family === ENROLLMENT_TEMPLATE_FAMILY || technologies.split(',').includes('enrollment'))) {
    throw intuneBadRequest(
      `'${templateId}' is not a device preparation template Tarmac knows; use ${DEVICE_PREPARATION_TEMPLATES.map((t) => t.templateId).join(' (user-driven) or ')} (automatic).`,
      'templateReference.templateId',
    );
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return { templateId, templateFamily: family ?? 'none', templateDisplayName: text(ref.templateDisplayName), templateDisplayVersion: text(ref.templateDisplayVersion) };
}

/** Rules of a policy's own properties, on create (existing undefined) and update; normalises `data`. */
async function checkPolicy(_scope: Scope, data: Json, existing: IntuneObject | undefined): Promise<void> {
  if (typeof data.name !== 'string' || data.name.trim() === '') throw intuneBadRequest("'name' is required.", 'name');
  const rawTemplateId = (data.templateReference as Json | null | undefined)?.templateId;
  const template = devicePreparationTemplate(rawTemplateId);
  if (template) {
    // Device preparation policies are Windows enrollment policies (graph-api.md §4.1).
    data.platforms ??= 'windows10';
    data.technologies ??= 'enrollment';
  }
  if (data.platforms === undefined) throw intuneBadRequest("'platforms' is required, e.g. 'windows10'.", 'platforms');
  if (data.technologies === undefined) throw intuneBadRequest("'technologies' is required, e.g. 'mdm'.", 'technologies');
  data.platforms = flagsValue('platforms', data.platforms, PLATFORMS);
  data.technologies = flagsValue('technologies', data.technologies, TECHNOLOGIES);
  data.templateReference = templateReferenceOf(data.templateReference, data.technologies as string);
  if (template) {
    if (data.platforms !== 'windows10') throw intuneBadRequest(`A device preparation policy's 'platforms' is 'windows10', not '${data.platforms}'.`, 'platforms');
    if (data.technologies !== 'enrollment') throw intuneBadRequest(`A device preparation policy's 'technologies' is 'enrollment', not '${data.technologies}'.`, 'technologies');
  }
  if (existing) {
    const before = String((existing.templateReference as Json | undefined)?.templateId ?? '');
    const after = String((data.templateReference as Json).templateId);
    if (before.toLowerCase() !== after.toLowerCase()) {
      throw intuneBadRequest(`The template of an existing policy cannot change (it is '${before}').`, 'templateReference.templateId');
    }
  }
}

export const configurationPolicies: IntuneResource = {
  collection: CONFIGURATION_POLICIES,
  path: '/deviceManagement/configurationPolicies',
  versions: ['beta'],
  types: { [POLICY_TYPE]: bodyShape },
  defaultType: POLICY_TYPE,
  shape: policyShape,
  permissions: { read: configurationRead, write: configurationWrite },
  required: ['name'],
  readOnly: ['settingCount', 'isAssigned', 'priorityMetaData'],
  defaults: () => ({ description: '', creationSource: null, settingCount: 0, isAssigned: false, priorityMetaData: null }),
  check: checkPolicy,
};
