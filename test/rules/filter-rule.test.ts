// Intune assignment filter rules for Windows: the reference's examples and real filters check and evaluate;
// other platforms' properties, other operators and membership-rule syntax are refused.
import { describe, expect, it } from 'vitest';
import {
  RuleDetail,
  RuleError,
  checkFilterRule,
  checkRule,
  compileFilterRuleJs,
  compileRuleSql,
  explainFilterRule,
  filterSubjectFromManagedDevice,
} from '../../src/rules/index.js';

// A Windows managedDevice as Graph (beta) returns it.
const surface = filterSubjectFromManagedDevice({
  deviceName: 'DESKTOP-4F2K9',
  manufacturer: 'Microsoft Corporation',
  model: 'Surface Laptop 5',
  osVersion: '10.0.22631.3235',
  managedDeviceOwnerType: 'company',
  enrollmentProfileName: 'Autopilot Profile - Sales',
  deviceCategoryDisplayName: 'Engineering devices',
  joinType: 'azureADJoined',
  processorArchitecture: 'x64',
  skuNumber: 4,
});

const evaluate = (text: string, subject = surface) => compileFilterRuleJs(checkFilterRule(text))(subject);

describe('assignment filter rules', () => {
  it('maps a managed device to filter properties', () => {
    expect(surface).toEqual({
      cpuArchitecture: 'amd64',
      deviceCategory: 'Engineering devices',
      deviceName: 'DESKTOP-4F2K9',
      deviceOwnership: 'Corporate',
      deviceTrustType: 'Azure AD joined',
      enrollmentProfileName: 'Autopilot Profile - Sales',
      manufacturer: 'Microsoft Corporation',
      model: 'Surface Laptop 5',
      operatingSystemVersion: '10.0.22631.3235',
      osVersion: '10.0.22631.3235',
      operatingSystemSKU: 'Enterprise',
    });
    expect(filterSubjectFromManagedDevice({})).toMatchObject({ deviceOwnership: 'Unknown', deviceTrustType: 'Unknown', cpuArchitecture: 'unknown' });
  });

  it.each([
    ['(device.manufacturer -eq "Microsoft Corporation")', true],
    ['(device.manufacturer -startsWith "Micro")', true],
    ['(device.manufacturer -eq "Samsung") or (device.model -contains "Galaxy Note")', false],
    ['(device.manufacturer -eq "HP") or (device.manufacturer -eq "Hewlett-Packard")', false],
    ['(device.deviceName -startsWith "desktop")', true],
    ['(device.deviceName -in ["Scott\'s device", "Sara\'s device"])', false],
    ['(device.model -in ["Surface Laptop 5", "Surface Book 3"])', true],
    ['(device.model -notContains "Virtual") and (device.model -notIn ["Virtual Machine"])', true],
    ['(device.deviceCategory -contains "Engineering")', true],
    ['(device.deviceOwnership -eq "Corporate")', true],
    ['(device.deviceOwnership -ne "Personal")', true],
    ['(device.deviceTrustType -in ["Hybrid Azure AD joined","Azure AD joined"])', true],
    ['(device.deviceTrustType -ne "Azure AD registered")', true],
    ['(device.enrollmentProfileName -ne $null)', true],
    ['(device.enrollmentProfileName -eq Null)', false],
    ['(device.enrollmentProfileName -startsWith "Autopilot Profile")', true],
    ['(device.cpuArchitecture -eq "AMD64")', true],
    ['(device.cpuArchitecture -in ["x64", "arm64"])', false],
    ['(device.operatingSystemSKU -in ["Enterprise", "EnterpriseS", "EnterpriseN", "EnterpriseEval"])', true],
    ['(device.osVersion -startsWith "10.0.22")', true],
    ['(device.operatingSystemVersion -gt 10.0.22000.1000)', true],
    ['(device.operatingSystemVersion -le 10.0.22631.3235)', true],
    ['(device.operatingSystemVersion -lt 10.0.22631.3235)', false],
    ['(device.operatingSystemVersion -ge 10.0.22631.999)', true],
    ['(device.operatingSystemVersion -eq "10.0.22631.3235")', true],
    ['(device.operatingSystemVersion -ne 10.0.22631.3235.0)', false],
    ['(device.OSVERSION -STARTSWITH "10.0") AND (Device.Model EQ "surface laptop 5")', true],
    ['(device.osVersion -startsWith "10.0") and\n(device.manufacturer -eq "Microsoft Corporation") and\n(device.model -notContains "Virtual")', true],
    ['((device.manufacturer -eq "Dell Inc.") -or (device.manufacturer -eq "LENOVO")) -or (device.model -startsWith "Surface")', true],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it.each([
    ['(device.isRooted -eq "True")', RuleDetail.attributeNotSupported, 'not to Windows'],
    ['(device.deviceManagementType -eq "x")', RuleDetail.attributeNotSupported, 'Android'],
    ['(app.appVersion -eq "14.2.1")', RuleDetail.invalidObjectType, 'managed apps'],
    ['(user.department -eq "Sales")', RuleDetail.invalidObjectType, 'device.<property>'],
    ['(device.deviceOSType -eq "Windows")', RuleDetail.attributeNotSupported, "'deviceOSType' isn't a device property of assignment filters"],
    ['(device.modle -eq "x")', RuleDetail.attributeNotSupported, 'did you mean device.model'],
    ['(device.deviceOwnership -in ["Personal"])', RuleDetail.operatorNotSupported, "-in can't be used with 'deviceOwnership'"],
    ['(device.cpuArchitecture -startsWith "x")', RuleDetail.operatorNotSupported, '-eq, -ne, -in, -notIn'],
    ['(device.model -endsWith "5")', RuleDetail.compilationError, "-endsWith isn't an operator of assignment filter rules"],
    ['(device.model -match "^S")', RuleDetail.compilationError, "-match isn't an operator"],
    ['(device.model -gt "x")', RuleDetail.operatorNotSupported, "-gt can't be used with 'model'"],
    ['-not (device.model -eq "x")', RuleDetail.operatorNotSupported, 'no -not'],
    ['(device.model -not -eq "x")', RuleDetail.operatorNotSupported, 'no -not'],
    ['(device.operatingSystemVersion -startsWith "10")', RuleDetail.operatorNotSupported, '-gt, -ge, -lt, -le'],
    ['(device.operatingSystemVersion -gt "ten")', RuleDetail.invalidOperands, 'a version such as'],
    ['(device.operatingSystemVersion -in ["10.0"])', RuleDetail.operatorNotSupported, "-in can't be used"],
    ['(device.model -eq "x"', RuleDetail.compilationError, 'no matching )'],
    ['(device.model -eq x)', RuleDetail.noObjectType, 'quotes'],
    ['device.memberOf -any (group.objectId -in ["6fd2c87f-b296-42f0-b197-1e91e994b900"])', RuleDetail.compilationError, "-any isn't an operator"],
    ['Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863"', RuleDetail.compilationError, 'not an assignment filter'],
  ])('refuses %s', (text, detail, message) => {
    try {
      checkFilterRule(text);
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleError);
      const e = err as RuleError;
      expect(e.detail).toBe(detail);
      expect(e.message).toContain(message);
      expect(e.message).toMatch(/^Assignment filter rule validation error at position \d+: /);
      expect(e.code).toBe('BadRequest');
      expect(e.language).toBe('filter');
    }
  });

  it('explains a filter like a membership rule', () => {
    const rule = checkFilterRule('(device.manufacturer -eq "Microsoft Corporation") and (device.operatingSystemVersion -lt 10.0.22000)');
    const explanation = explainFilterRule(rule, surface);
    expect(explanation.expressionResult).toBe(false);
    expect(explanation.expressionEvaluationDetails[1]).toMatchObject({
      expression: 'device.operatingSystemVersion -lt 10.0.22000',
      operator: '-lt',
      value: '10.0.22000',
      actualValue: '10.0.22631.3235',
      decisive: true,
    });
  });

  it('keeps filters and membership rules apart', () => {
    expect(() => compileRuleSql(checkFilterRule('(device.model -eq "x")'), 'sqlite')).toThrow(/membership rules/);
    expect(() => compileFilterRuleJs(checkRule('device.deviceModel -eq "x"'))).toThrow(/assignment filter/);
  });

  it('compares versions part by part, a missing part counting as 0', () => {
    const at = (osVersion: string, text: string) => evaluate(text, filterSubjectFromManagedDevice({ osVersion }));
    expect(at('10.0', '(device.operatingSystemVersion -eq 10.0.0.0)')).toBe(true);
    expect(at('10.0.9', '(device.operatingSystemVersion -lt 10.0.10)')).toBe(true);
    expect(at('not a version', '(device.operatingSystemVersion -lt 10.0.10)')).toBe(false);
    expect(at('not a version', '(device.operatingSystemVersion -ne 10.0.10)')).toBe(true);
    expect(evaluate('(device.operatingSystemVersion -eq null)', filterSubjectFromManagedDevice({}))).toBe(true);
  });
});
