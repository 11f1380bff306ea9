// Resource shapes shaped like Graph's, for the OData tests.
import type { PropType, ResourceShape } from '../../../src/graph/odata/index.js';

const str: PropType = { kind: 'string' };
const bool: PropType = { kind: 'boolean' };
const guid: PropType = { kind: 'guid' };
const datetime: PropType = { kind: 'datetime' };
const collectionOf = (of: PropType): PropType => ({ kind: 'collection', of });

export const userShape: ResourceShape = {
  typeName: 'microsoft.graph.user',
  columns: { id: 'id' },
  properties: {
    id: str,
    displayName: str,
    userPrincipalName: str,
    mail: str,
    accountEnabled: bool,
    createdDateTime: datetime,
    employeeHireDate: datetime,
    ageGroup: { kind: 'int' },
    proxyAddresses: collectionOf(str),
    assignedLicenses: collectionOf({
      kind: 'complex',
      typeName: 'microsoft.graph.assignedLicense',
      properties: { skuId: guid, disabledPlans: collectionOf(guid) },
    }),
    passwordProfile: {
      kind: 'complex',
      typeName: 'microsoft.graph.passwordProfile',
      properties: { forceChangePasswordNextSignIn: bool, password: str },
    },
  },
};

export const devicePolicyShape: ResourceShape = {
  typeName: 'microsoft.graph.deviceManagementConfigurationPolicy',
  columns: { id: 'id' },
  properties: {
    id: str,
    name: str,
    platforms: { kind: 'enum', flags: true, typeName: 'microsoft.graph.deviceManagementConfigurationPlatforms' },
    technologies: { kind: 'enum', flags: true, typeName: 'microsoft.graph.deviceManagementConfigurationTechnologies' },
    templateReference: {
      kind: 'complex',
      typeName: 'microsoft.graph.deviceManagementConfigurationPolicyTemplateReference',
      properties: { templateId: str, templateFamily: { kind: 'enum' } },
    },
    settingCount: { kind: 'int' },
  },
};

export const deviceShape: ResourceShape = {
  typeName: 'microsoft.graph.device',
  columns: { id: 'id' },
  properties: {
    id: str,
    displayName: str,
    physicalIds: collectionOf(str),
    azureADJoin: { kind: 'complex', properties: { isAdminConfigurable: bool, allowedToJoin: str } },
  },
};
