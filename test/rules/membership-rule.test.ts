// The membership rule language beyond the corpus: spellings, precedence, null and collection semantics,
// special rules, and the checker's errors (Entra's wording, a position, a hint a person can act on).
import { describe, expect, it } from 'vitest';
import { errorBody } from '../../src/graph/errors.js';
import {
  MAX_MEMBEROF_GROUPS,
  RuleDetail,
  RuleError,
  checkRule,
  compileRuleJs,
  evaluateRule,
  validateRuleLength,
  type CheckedRule,
  type ObjectKind,
  type RuleSubject,
} from '../../src/rules/index.js';

function errorOf(text: string, kind?: ObjectKind): RuleError {
  try {
    checkRule(text, kind ? { kind } : {});
  } catch (err) {
    expect(err).toBeInstanceOf(RuleError);
    return err as RuleError;
  }
  throw new Error(`expected ${text} to be refused`);
}

/** The kinds of the operands of a rule whose root is -and / -or. */
function operandKinds(rule: CheckedRule): string[] {
  const root = rule.root;
  return root.kind === 'and' || root.kind === 'or' ? root.operands.map((o) => o.kind) : [];
}

/** Evaluates with both the compiled predicate and the interpreter, which must agree. */
function evaluate(text: string, subject: RuleSubject, kind?: ObjectKind): boolean {
  const rule = checkRule(text, kind ? { kind } : {});
  const compiled = compileRuleJs(rule)(subject);
  expect(evaluateRule(rule, subject), 'interpreter').toBe(compiled);
  return compiled;
}

describe('spellings', () => {
  it.each([
    'user.department -eq "Sales"',
    'user.department eq "Sales"',
    'user.department -EQ "Sales"',
    'user.department -Eq "Sales"',
    'user.department-eq "Sales"',
    "user.department -eq 'Sales'",
    'USER.DEPARTMENT -eq "sales"',
    '(((user.department -eq "Sales")))',
    '  user.department\n  -eq\n  "Sales"  ',
    'user.department\t-in\t[ "Sales" ,"HR" ]',
    'user.department -in ["Sales",\n"HR"]',
  ])('%s', (text) => {
    expect(evaluate(text, { department: 'SALES' })).toBe(true);
  });

  it('accepts every operator with or without the hyphen, in any case', () => {
    const subject = { department: 'Sales' };
    const cases: [string, string, boolean][] = [
      ['ne', '"x"', true],
      ['startsWith', '"sa"', true],
      ['notStartsWith', '"sa"', false],
      ['endsWith', '"LES"', true],
      ['notEndsWith', '"les"', false],
      ['contains', '"ale"', true],
      ['notContains', '"ale"', false],
      ['match', '"^s.l"', true],
      ['notMatch', '"^s.l"', false],
      ['in', '["x","sales"]', true],
      ['notIn', '["x","sales"]', false],
    ];
    for (const [op, value, expected] of cases) {
      for (const written of [`-${op}`, op, `-${op.toUpperCase()}`, `-${op.toLowerCase()}`]) {
        expect(evaluate(`user.department ${written} ${value}`, subject), written).toBe(expected);
      }
    }
  });

  it('accepts and, or and not with or without the hyphen', () => {
    const subject = { department: 'Sales', country: 'US' };
    expect(evaluate('user.department -eq "Sales" AND user.country -eq "US"', subject)).toBe(true);
    expect(evaluate('user.department -eq "x" Or user.country -eq "US"', subject)).toBe(true);
    expect(evaluate('NOT user.department -eq "x"', subject)).toBe(true);
    expect(evaluate('(user.department -eq "Sales") -and -not (user.country -eq "UK")', subject)).toBe(true);
  });

  it('warns, but accepts, an en dash, a non-canonical property casing and -not before an operator', () => {
    const rule = checkRule('user.mail –ne null -and user.MAIL -ne null -and user.mail -not -eq "x"');
    expect(rule.warnings.map((w) => w.position)).toEqual([10, 24, 58]);
    expect(rule.warnings[0]!.message).toContain('en dash');
    expect(rule.warnings[1]!.message).toContain('user.mail');
    expect(rule.warnings[2]!.message).toContain('-ne is the documented form');
  });

  it('unescapes `" in double quotes and \'\' in single quotes; a backslash is literal', () => {
    expect(evaluate('user.department -eq "a`"b"', { department: 'a"b' })).toBe(true);
    expect(evaluate("user.department -eq 'it''s'", { department: "it's" })).toBe(true);
    expect(evaluate('user.department -eq "a\\b"', { department: 'a\\b' })).toBe(true);
    expect(evaluate('user.department -eq "a`b"', { department: 'a`b' })).toBe(true);
  });

  it('compares an unquoted number with a string property as written', () => {
    expect(evaluate('user.extensionAttribute1 -eq 42', { extensionAttribute1: '42' })).toBe(true);
    expect(evaluate('user.extensionAttribute1 -eq 007', { extensionAttribute1: '7' })).toBe(false);
    expect(evaluate('user.extensionAttribute1 -in [1, 2, "3"]', { extensionAttribute1: '3' })).toBe(true);
  });
});

describe('precedence', () => {
  it('-and binds tighter than -or', () => {
    const rule = checkRule('user.city -eq "a" -or user.city -eq "b" -and user.country -eq "c"');
    expect(rule.root.kind).toBe('or');
    expect(operandKinds(rule)).toEqual(['compare', 'and']);
    expect(evaluate(rule.text, { city: 'a' })).toBe(true);
    expect(evaluate(rule.text, { city: 'b' })).toBe(false);
  });

  it('-not binds looser than a comparison and tighter than -and', () => {
    expect(checkRule('-not user.city -eq "a"').root.kind).toBe('not');
    expect(checkRule('-not user.city -eq "a" -and user.country -eq "b"').root.kind).toBe('and');
    expect(evaluate('-not user.city -eq "a" -and user.country -eq "b"', { city: 'x', country: 'b' })).toBe(true);
  });

  it('an unparenthesised -any body is one comparison; -and after it joins the outer rule', () => {
    const text = 'device.devicePhysicalIds -any _ -startsWith "[ZTDId]" -and device.deviceOSType -eq "Windows"';
    const rule = checkRule(text);
    expect(rule.root.kind).toBe('and');
    expect(evaluate(text, { devicePhysicalIds: ['[ZTDId]:x'], deviceOSType: 'windows' })).toBe(true);
    expect(evaluate(text, { devicePhysicalIds: ['[ZTDId]:x'], deviceOSType: 'iOS' })).toBe(false);
  });

  it('keeps a flat chain flat and parenthesised groups nested', () => {
    const rule = checkRule('(user.city -eq "a" -and user.city -eq "b") -and user.city -eq "c" -and user.city -eq "d"');
    expect(operandKinds(rule)).toEqual(['and', 'compare', 'compare']);
  });
});

describe('null, empty and missing values', () => {
  it.each([
    ['user.department -eq null', {}, true],
    ['user.department -eq $null', { department: '' }, true],
    ['user.department -ne null', { department: 'x' }, true],
    ['user.department -eq "x"', {}, false],
    ['user.department -ne "x"', {}, true],
    ['user.department -startsWith "x"', {}, false],
    ['user.department -notStartsWith "x"', {}, true],
    ['user.department -notContains "x"', { department: null }, true],
    ['user.department -in ["x"]', {}, false],
    ['user.department -notIn ["x"]', {}, true],
    ['user.department -in ["x", ""]', {}, true],
    ['user.department -eq ""', {}, true],
    ['user.department -ne ""', { department: 'x' }, true],
    ['user.department -startsWith ""', { department: 'x' }, true],
    ['user.department -startsWith ""', {}, false],
    ['user.department -match ".*"', {}, false],
    ['user.department -notMatch "x"', {}, true],
    ['user.accountEnabled -eq null', {}, true],
    ['user.accountEnabled -ne true', {}, true],
    ['user.accountEnabled -eq "TRUE"', { accountEnabled: true }, true],
    ['user.department -eq "42"', { department: 42 }, false],
  ] as const)('%s on %j is %s', (text, subject, expected) => {
    expect(evaluate(text, subject)).toBe(expected);
  });
});

describe('collections', () => {
  it('direct operators test any item; negated ones test that no item passes', () => {
    const subject = { otherMails: ['a@contoso.com', 'b@fabrikam.com'] };
    expect(evaluate('user.otherMails -endsWith "@CONTOSO.com"', subject)).toBe(true);
    expect(evaluate('user.otherMails -notEndsWith "@contoso.com"', subject)).toBe(false);
    expect(evaluate('user.otherMails -notEndsWith "@outlook.com"', subject)).toBe(true);
    expect(evaluate('user.otherMails -contains "fabrikam"', subject)).toBe(true);
    expect(evaluate('user.otherMails -notContains "x"', {})).toBe(true);
    expect(evaluate('user.proxyAddresses -startsWith "smtp:"', {})).toBe(false);
  });

  it('-any is false and -all is true over no items', () => {
    expect(evaluate('user.otherMails -any (_ -eq "x")', { otherMails: [] })).toBe(false);
    expect(evaluate('user.otherMails -all (_ -eq "x")', { otherMails: [] })).toBe(true);
    expect(evaluate('user.assignedPlans -all (assignedPlan.servicePlanId -eq null)', {})).toBe(true);
  });

  it('evaluates an -any body per item, with -and, -or and -not inside', () => {
    const plans = [
      { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', service: 'exchange', capabilityStatus: 'Deleted' },
      { servicePlanId: 'x', service: 'SCO', capabilityStatus: 'Enabled' },
    ];
    expect(evaluate('user.assignedPlans -any (assignedPlan.service -eq "sco" -and -not (assignedPlan.capabilityStatus -ne "enabled"))', { assignedPlans: plans })).toBe(true);
    expect(evaluate('user.assignedPlans -any (assignedPlan.service -eq "exchange" -and assignedPlan.capabilityStatus -eq "Enabled")', { assignedPlans: plans })).toBe(false);
    expect(evaluate('user.assignedPlans -all (assignedPlan.capabilityStatus -in ["enabled", "deleted"])', { assignedPlans: plans })).toBe(true);
    expect(evaluate('device.devicePhysicalIds -any (_ -match "^\\[ztdid\\]" -or _ -eq "x")', { devicePhysicalIds: ['[ZTDId]:1'] })).toBe(true);
  });
});

describe('special rules', () => {
  it('memberOf: direct membership in one of the groups, ids compared without case', () => {
    const rule = checkRule("user.memberOf -any (group.objectId -in ['6FD2C87F-B296-42F0-B197-1E91E994B900', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5'])");
    expect(rule.special).toBe('memberOf');
    expect(rule.memberOfGroupIds).toEqual(['6fd2c87f-b296-42f0-b197-1e91e994b900', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5']);
    expect(rule.properties).toEqual(['memberOf']);
    expect(compileRuleJs(rule)({ memberOf: ['6fd2c87f-b296-42f0-b197-1e91e994b900'] })).toBe(true);
    expect(compileRuleJs(rule)({ memberOf: ['0feaeb32-d00e-4d66-bd5a-43b5b83db82c'] })).toBe(false);
    expect(compileRuleJs(rule)({})).toBe(false);
    expect(checkRule('(device.memberOf -any (group.objectid -in ["6fd2c87f-b296-42f0-b197-1e91e994b900"]))').kind).toBe('device');
  });

  it('Direct Reports: keywords in any case, the manager id without case', () => {
    const rule = checkRule("direct   REPORTS\nFor '62E19B97-8B3D-4D4A-A106-4CE66896A863'");
    expect(rule.special).toBe('directReports');
    expect(rule.managerId).toBe('62e19b97-8b3d-4d4a-a106-4ce66896a863');
    expect(rule.kind).toBe('user');
    expect(rule.properties).toEqual(['manager']);
    expect(compileRuleJs(rule)({ manager: '62e19b97-8b3d-4d4a-a106-4ce66896a863' })).toBe(true);
    expect(compileRuleJs(rule)({ manager: null })).toBe(false);
  });

  it('the "all users" and "all devices" rules', () => {
    expect(evaluate('user.objectId -ne null', { objectId: '62e19b97-8b3d-4d4a-a106-4ce66896a863' })).toBe(true);
    expect(evaluate('device.objectId -ne null', { objectId: 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb' }, 'device')).toBe(true);
  });

  it('employeeHireDate against datetimes and system.now', () => {
    const clock = { now: () => Date.parse('2025-01-01T00:00:00Z') };
    const check = (text: string, hired: string) => compileRuleJs(checkRule(text), { clock })({ employeeHireDate: hired });
    expect(check('user.employeeHireDate -ge system.now -plus p1d', '2025-01-02T00:00:00Z')).toBe(true);
    expect(check('user.employeeHireDate -ge system.now -plus P1D', '2025-01-01T12:00:00Z')).toBe(false);
    expect(check('user.employeeHireDate -ge (system.now -minus P30D)', '2024-12-15T00:00:00Z')).toBe(true);
    expect(check('user.employeeHireDate -le system.now -minus P1M', '2024-12-01T00:00:00Z')).toBe(true);
    expect(check('user.employeeHireDate -eq "2024-12-01"', '2024-12-01T00:00:00Z')).toBe(true);
    expect(check('user.employeeHireDate -ne 2024-12-01T00:00:00Z', '2024-12-01T00:00:00.000Z')).toBe(false);
    expect(checkRule('user.employeeHireDate -ge system.now').usesNow).toBe(true);
    expect(() => compileRuleJs(checkRule('user.employeeHireDate -ge system.now'))).toThrow(/clock/);
  });

  it('custom extension properties, whatever the case of the app id', () => {
    const rule = checkRule('user.extension_C272A57B722D4EB29BFE327874AE79CB_OfficeNumber -eq "123"');
    expect(rule.properties).toEqual(['extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber']);
    expect(compileRuleJs(rule)({ extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber: '123' })).toBe(true);
  });

  it('lists the properties a rule reads, and flags -match rules for a JS post-filter', () => {
    const rule = checkRule('user.city -eq "a" -or user.otherMails -any (_ -match "x") -or user.City -ne "b"');
    expect(rule.properties).toEqual(['city', 'otherMails']);
    expect(rule.needsJsFilter).toBe(true);
    expect(checkRule('user.city -eq "a"').needsJsFilter).toBe(false);
  });
});

describe('length', () => {
  const padded = (length: number) => {
    const head = 'user.department -eq "';
    return `${head}${'x'.repeat(length - head.length - 1)}"`;
  };
  it('accepts 3,072 characters and refuses 3,073, at position 3072', () => {
    expect(() => checkRule(padded(3072))).not.toThrow();
    const err = errorOf(padded(3073));
    expect(err.detail).toBe(RuleDetail.tooLong);
    expect(err.position).toBe(3072);
    expect(err.message).toContain('3,073 characters; the limit is 3,072');
    expect(() => validateRuleLength(padded(3073))).toThrow(RuleError);
    expect(() => validateRuleLength(padded(3072))).not.toThrow();
  });
  it('counts white space', () => {
    expect(errorOf(`${padded(3000)}${' '.repeat(73)}`).detail).toBe(RuleDetail.tooLong);
  });
});

describe('errors', () => {
  it.each([
    // [rule, detail, position, text the message must contain]
    ['user.invalidProperty -eq "Value"', RuleDetail.attributeNotSupported, 0, "'invalidProperty' isn't a user property"],
    ['user.departmen -eq "Sales"', RuleDetail.attributeNotSupported, 0, 'did you mean user.department'],
    ['user.deviceOSType -eq "Windows"', RuleDetail.attributeNotSupported, 0, 'it is a device property'],
    ['device.organizationalUnit -eq "x"', RuleDetail.attributeNotSupported, 0, 'no longer supported'],
    ['user.manager -eq "x"', RuleDetail.attributeNotSupported, 0, 'Direct Reports'],
    ['user.accountEnabled -contains true', RuleDetail.operatorNotSupported, 20, "-contains can't be used with 'accountEnabled'"],
    ['user.department -le "x"', RuleDetail.operatorNotSupported, 16, "-le can't be used with 'department'"],
    ['user.otherMails -eq "x"', RuleDetail.operatorNotSupported, 16, '-any / -all with _'],
    ['user.assignedPlans -eq "x"', RuleDetail.operatorNotSupported, 19, 'item by item'],
    ['user.department -gt "x"', RuleDetail.compilationError, 16, "-gt isn't an operator of membership rules"],
    ['user.department -like "x"', RuleDetail.compilationError, 16, "Unknown operator '-like'"],
    ['user.department "x"', RuleDetail.compilationError, 16, 'Expected an operator such as -eq'],
    ['user.department -eq', RuleDetail.compilationError, 16, 'Expected a value after -eq'],
    ['user.department -eq "x" user.city -eq "y"', RuleDetail.compilationError, 24, 'Expected -and or -or'],
    ['user.department -eq "x")', RuleDetail.compilationError, 23, 'no ( to match'],
    ['(user.department -eq "x" -or', RuleDetail.compilationError, 25, 'dangling'],
    ['user.department -eq “Sales”', RuleDetail.compilationError, 20, 'straight quotes'],
    ['user.department -eq "x" ; drop table', RuleDetail.compilationError, 24, "The character ';'"],
    ['', RuleDetail.compilationError, 0, 'empty'],
    ['"Sales" -eq user.department', RuleDetail.compilationError, 0, 'starts with a property'],
    ['department -eq "x"', RuleDetail.noObjectType, 0, 'write user.department'],
    ['user.department -eq Sales', RuleDetail.noObjectType, 20, 'in quotes'],
    ['user.department -eq user.city', RuleDetail.invalidOperands, 20, 'not with another property'],
    ['users.department -eq "x"', RuleDetail.invalidObjectType, 0, "'users' isn't an object type"],
    ['user.department -eq "x" -or device.deviceModel -eq "y"', RuleDetail.invalidObjectType, 28, "follows 'user.department' at position 0"],
    ['user.department -eq ["a"]', RuleDetail.invalidOperands, 20, 'use -in'],
    ['user.department -in "a"', RuleDetail.invalidOperands, 20, 'needs a list'],
    ['user.department -in [null]', RuleDetail.invalidOperands, 21, 'not listed'],
    ['user.department -in [["a"]]', RuleDetail.compilationError, 21, 'Expected a list item'],
    ['user.department -in ["a" "b"]', RuleDetail.compilationError, 25, 'Expected , or ]'],
    ['user.department -in ["a",', RuleDetail.compilationError, 20, 'no matching ]'],
    ['user.department -eq true', RuleDetail.invalidOperands, 20, 'put the value in quotes'],
    ['user.department -startsWith null', RuleDetail.invalidOperands, 28, 'null can only be used with -eq and -ne'],
    ['user.mail -not -eq null', RuleDetail.invalidOperands, 10, '-ne null'],
    ['user.mail -not "x"', RuleDetail.compilationError, 10, 'must be followed by an operator'],
    ['user.accountEnabled -eq "yes"', RuleDetail.invalidOperands, 24, 'true or false'],
    ['user.employeeHireDate -ge "yesterday"', RuleDetail.invalidOperands, 26, 'ISO 8601 datetime'],
    ['user.employeeHireDate -ge system.now -plus p1x', RuleDetail.invalidOperands, 37, 'ISO 8601 duration'],
    ['user.employeeHireDate -ge system.now -plus', RuleDetail.compilationError, 37, 'duration'],
    ['user.department -eq system.now', RuleDetail.invalidOperands, 20, 'datetime property'],
    ['device.deviceOSType -any (_ -eq "Windows")', RuleDetail.invalidOperands, 20, 'has a single value'],
    ['device.devicePhysicalIds -all "_ -contains \'[ZTDId]\'"', RuleDetail.invalidOperands, 30, 'in quotes'],
    ['device.devicePhysicalIds -any', RuleDetail.invalidOperands, 25, 'needs a condition'],
    ['user.assignedPlans -any (_ -eq "x")', RuleDetail.wrongProperty, 25, 'assignedPlan.servicePlanId'],
    ['user.assignedPlans -any (assignedPlan.name -eq "x")', RuleDetail.wrongProperty, 25, "Property 'name' cannot be applied to object 'assignedPlan'"],
    ['user.otherMails -any (assignedPlan.service -eq "x")', RuleDetail.wrongProperty, 22, 'items of otherMails are named _'],
    ['user.otherMails -any (user.city -eq "x")', RuleDetail.compilationError, 22, 'only the item can be named'],
    ['_ -eq "x"', RuleDetail.compilationError, 0, 'inside them'],
    ['user.otherMails -any (_ -any (_ -eq "x"))', RuleDetail.invalidOperands, 24, 'not to an item'],
    ['group.objectId -in ["x"]', RuleDetail.wrongProperty, 0, 'memberOf rule'],
    ["user.memberOf -all (group.objectId -in ['6fd2c87f-b296-42f0-b197-1e91e994b900'])", RuleDetail.operatorNotSupported, 14, 'only supports -any'],
    ["user.memberOf -any (group.displayName -in ['x'])", RuleDetail.wrongProperty, 20, "Property 'displayName' cannot be applied to object 'Group'"],
    ["user.memberOf -any (group.objectId -eq '6fd2c87f-b296-42f0-b197-1e91e994b900')", RuleDetail.operatorNotSupported, 35, 'group.objectId -in'],
    ["user.memberOf -any (group.objectId -in ['Sales'])", RuleDetail.invalidOperands, 40, 'not a group object id'],
    ['user.memberOf -any (group.objectId -in [])', RuleDetail.invalidOperands, 39, 'empty'],
    ["user.memberOf -any (group.objectId -in ['6fd2c87f-b296-42f0-b197-1e91e994b900'] -or group.objectId -in ['c1ec4a95-1f05-45b3-a911-aa3fa01094f5'])", RuleDetail.operatorNotSupported, 20, "can't be used with other operators"],
    ["-not user.memberOf -any (group.objectId -in ['6fd2c87f-b296-42f0-b197-1e91e994b900'])", RuleDetail.memberOfWithOtherRules, 5, 'whole rule'],
    ['user.memberOf -eq "x"', RuleDetail.operatorNotSupported, 14, 'memberOf is used as'],
    ['Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863" -and user.city -eq "x"', RuleDetail.directReportsWithOtherRules, 58, 'whole rule'],
    ['(Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863")', RuleDetail.directReportsWithOtherRules, 1, 'without parentheses'],
    ['user.city -eq "x" -or Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863"', RuleDetail.directReportsWithOtherRules, 22, 'whole rule'],
    ['Direct Reports for "Bob"', RuleDetail.invalidOperands, 19, 'GUID'],
    ['Direct Reports for 62e19b97', RuleDetail.compilationError, 19, 'must be quoted'],
    ['Direct Reports to "62e19b97-8b3d-4d4a-a106-4ce66896a863"', RuleDetail.compilationError, 15, 'Direct Reports for'],
    ['user.department -match "a(b"', RuleDetail.compilationError, 25, "Not enough )'s"],
    ['user.department -match "(?<=a)b"', RuleDetail.compilationError, 24, 'lookbehind'],
    ['user.department -match "(a)\\1"', RuleDetail.compilationError, 27, 'Backreferences'],
  ] as const)('%s', (text, detail, position, message) => {
    const err = errorOf(text);
    expect(err.detail).toBe(detail);
    expect(err.position).toBe(position);
    expect(err.message).toContain(message);
  });

  it('refuses a rule of the wrong kind for the group', () => {
    const err = errorOf('device.deviceOSType -eq "Windows"', 'user');
    expect(err.detail).toBe(RuleDetail.invalidObjectType);
    expect(err.message).toContain('This rule is for a user group');
    expect(errorOf('Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863"', 'device').message).toContain('user groups');
    expect(checkRule('device.deviceOSType -eq "Windows"').kind).toBe('device');
  });

  it(`refuses a memberOf rule with more than ${MAX_MEMBEROF_GROUPS} groups`, () => {
    const ids = Array.from({ length: MAX_MEMBEROF_GROUPS + 1 }, (_, i) => `'00000000-0000-4000-8000-${String(i).padStart(12, '0')}'`);
    expect(errorOf(`user.memberOf -any (group.objectId -in [${ids.join(',')}])`).message).toContain(`at most ${MAX_MEMBEROF_GROUPS} groups`);
    expect(() => checkRule(`user.memberOf -any (group.objectId -in [${ids.slice(1).join(',')}])`)).not.toThrow();
  });

  it("is a Graph 400 in Graph's error shape", () => {
    const err = errorOf('user.invalidProperty -eq "Value"');
    expect(err.status).toBe(400);
    expect(err.code).toBe('Request_BadRequest');
    expect(err.message).toBe(
      "Dynamic membership rule validation error at position 0: Attribute not supported. 'invalidProperty' isn't a user property.",
    );
    const body = errorBody(err, { date: '2024-01-01T00:00:00', 'request-id': 'r', 'client-request-id': 'c' });
    expect(body).toEqual({ error: { code: 'Request_BadRequest', message: err.message, innerError: { date: '2024-01-01T00:00:00', 'request-id': 'r', 'client-request-id': 'c' } } });
    expect(errorOf('(accountEnabled -eq true)').code).toBe('InvalidObjectTypeException');
  });
});
