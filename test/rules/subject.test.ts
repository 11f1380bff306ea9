// The one mapping from stored Graph objects to rule property names, and its inverse.
import { describe, expect, it } from 'vitest';
import {
  DEVICE_PROPERTIES,
  USER_PROPERTIES,
  checkRule,
  compileRuleJs,
  graphFromSubject,
  subjectFromGraph,
} from '../../src/rules/index.js';

const user = {
  id: '62e19b97-8b3d-4d4a-a106-4ce66896a863',
  accountEnabled: true,
  onPremisesSyncEnabled: null,
  employeeHireDate: '2024-01-15T00:00:00Z',
  city: 'Lagos',
  country: 'NG',
  companyName: 'Contoso',
  department: 'Sales',
  displayName: 'Adele Vance',
  employeeId: 'E123',
  faxNumber: '+1 555 0100',
  givenName: 'Adele',
  jobTitle: 'Retail Manager',
  mail: 'adele@contoso.com',
  mailNickname: 'adelev',
  mobilePhone: '+1 555 0101',
  onPremisesDistinguishedName: 'CN=Adele,OU=Users,DC=contoso,DC=com',
  onPremisesSecurityIdentifier: 'S-1-5-21-1',
  passwordPolicies: 'DisablePasswordExpiration',
  officeLocation: '18/2111',
  postalCode: '98052',
  preferredLanguage: 'en-US',
  onPremisesSipInfo: { sipPrimaryAddress: 'sip:adele@contoso.com' },
  state: 'LA',
  streetAddress: '1 Main St',
  surname: 'Vance',
  businessPhones: ['+1 555 0102', '+1 555 0103'],
  usageLocation: 'NG',
  userPrincipalName: 'adele@contoso.com',
  userType: 'Member',
  otherMails: ['adele@fabrikam.com'],
  proxyAddresses: ['SMTP:adele@contoso.com'],
  assignedPlans: [{ servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', service: 'SCO', capabilityStatus: 'Enabled', assignedDateTime: '2024-01-01T00:00:00Z' }],
  onPremisesExtensionAttributes: { extensionAttribute1: 'one', extensionAttribute15: 'Marketing' },
  extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber: '123',
};

const device = {
  id: 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb',
  accountEnabled: true,
  deviceCategory: 'BYOD',
  deviceId: 'd4fe7726-5966-431c-b3b8-cddc8fdb717d',
  mdmAppId: '0000000a-0000-0000-c000-000000000000',
  manufacturer: 'Microsoft Corporation',
  model: 'Surface Laptop 5',
  displayName: 'DESKTOP-1',
  operatingSystem: 'Windows',
  operatingSystemVersion: '10.0.22631.3235',
  deviceOwnership: 'Company',
  physicalIds: ['[ZTDId]:abc', '[OrderID]:Sales'],
  trustType: 'AzureAd',
  enrollmentProfileName: 'Autopilot',
  isRooted: false,
  managementType: 'MDM',
  profileType: 'RegisteredDevice',
  systemLabels: ['M365Managed'],
  extensionAttributes: { extensionAttribute1: 'kiosk' },
};

describe('subjectFromGraph', () => {
  it('maps every user property', () => {
    const subject = subjectFromGraph('user', user, { memberOf: ['g1'], managerId: 'm1' });
    expect(subject).toMatchObject({
      objectId: user.id,
      accountEnabled: true,
      dirSyncEnabled: null,
      employeeHireDate: '2024-01-15T00:00:00Z',
      facsimileTelephoneNumber: '+1 555 0100',
      mailNickName: 'adelev',
      mobile: '+1 555 0101',
      physicalDeliveryOfficeName: '18/2111',
      sipProxyAddress: 'sip:adele@contoso.com',
      telephoneNumber: '+1 555 0102',
      extensionAttribute1: 'one',
      extensionAttribute15: 'Marketing',
      extensionAttribute2: undefined,
      extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber: '123',
      otherMails: ['adele@fabrikam.com'],
      assignedPlans: user.assignedPlans,
      memberOf: ['g1'],
      manager: 'm1',
    });
    for (const property of USER_PROPERTIES) expect(Object.hasOwn(subject, property.name), property.name).toBe(true);
  });

  it('maps every device property', () => {
    const subject = subjectFromGraph('device', device);
    expect(subject).toMatchObject({
      objectId: device.id,
      deviceManagementAppId: '0000000a-0000-0000-c000-000000000000',
      deviceManufacturer: 'Microsoft Corporation',
      deviceModel: 'Surface Laptop 5',
      deviceOSType: 'Windows',
      deviceOSVersion: '10.0.22631.3235',
      devicePhysicalIds: ['[ZTDId]:abc', '[OrderID]:Sales'],
      deviceTrustType: 'AzureAd',
      extensionAttribute1: 'kiosk',
      memberOf: [],
    });
    expect(subject).not.toHaveProperty('manager');
    for (const property of DEVICE_PROPERTIES) expect(Object.hasOwn(subject, property.name), property.name).toBe(true);
  });

  it('lets rules use Graph data as stored (AzureAd against AzureAD, group tags, SKUs)', () => {
    const subject = subjectFromGraph('device', device);
    const rule = (text: string) => compileRuleJs(checkRule(text, { kind: 'device' }))(subject);
    expect(rule('device.deviceTrustType -eq "AzureAD"')).toBe(true);
    expect(rule('(device.devicePhysicalIDs -any (_ -eq "[OrderID]:sales")) -and (device.deviceManagementAppId -eq "0000000A-0000-0000-C000-000000000000")')).toBe(true);
    expect(rule('device.deviceOSVersion -startsWith "10.0.2" -and device.extensionAttribute1 -eq "KIOSK"')).toBe(true);
  });

  it('round-trips through graphFromSubject', () => {
    const subject = subjectFromGraph('user', user, { memberOf: ['g1'], managerId: 'm1' });
    const { object, memberOf, managerId } = graphFromSubject('user', subject);
    expect(memberOf).toEqual(['g1']);
    expect(managerId).toBe('m1');
    expect(object.businessPhones).toEqual(['+1 555 0102']);
    expect(object.onPremisesSipInfo).toEqual({ sipPrimaryAddress: 'sip:adele@contoso.com' });
    expect(subjectFromGraph('user', object, { memberOf, managerId })).toEqual(subject);
  });
});
