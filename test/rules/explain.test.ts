// Explanations: Graph's evaluateDynamicMembership shape (the doc example exactly), and Tarmac's own answer to
// "which sub-expression decided, with which values".
import { describe, expect, it } from 'vitest';
import {
  checkRule,
  decidingExpressions,
  explainRule,
  toEvaluateDynamicMembershipResult,
  toGraphEvaluationDetails,
} from '../../src/rules/index.js';

describe('Graph shape', () => {
  it('matches the evaluateDynamicMembership doc example exactly', () => {
    const rule = checkRule('(user.displayName -startsWith "EndTestUser")');
    const explanation = explainRule(rule, { displayName: 'EndTestUser001' });
    // The response of "Example 2" in group-evaluatedynamicmembership.md (Graph beta).
    expect(JSON.parse(JSON.stringify(toEvaluateDynamicMembershipResult(rule, explanation)))).toStrictEqual({
      membershipRule: '(user.displayName -startsWith "EndTestUser")',
      membershipRuleEvaluationResult: true,
      membershipRuleEvaluationDetails: {
        expressionResult: true,
        expression: 'user.displayName -startsWith "EndTestUser"',
        propertyToEvaluate: { propertyName: 'displayName', propertyValue: 'EndTestUser001' },
      },
    });
  });

  it('nests expressions as written, without their outer parentheses', () => {
    const rule = checkRule('(user.department -eq "Sales") -or (user.department -eq "Marketing")');
    const details = toGraphEvaluationDetails(explainRule(rule, { department: 'Marketing' }));
    expect(details).toStrictEqual({
      expressionResult: true,
      expression: '(user.department -eq "Sales") -or (user.department -eq "Marketing")',
      expressionEvaluationDetails: [
        {
          expressionResult: false,
          expression: 'user.department -eq "Sales"',
          propertyToEvaluate: { propertyName: 'department', propertyValue: 'Marketing' },
        },
        {
          expressionResult: true,
          expression: 'user.department -eq "Marketing"',
          propertyToEvaluate: { propertyName: 'department', propertyValue: 'Marketing' },
        },
      ],
    });
  });

  it('reports missing values as null and lists as JSON', () => {
    const rule = checkRule('user.mail -ne null -and user.otherMails -contains "x"');
    const [mail, otherMails] = toGraphEvaluationDetails(explainRule(rule, { otherMails: ['a', 'x@y'] })).expressionEvaluationDetails!;
    expect(mail!.propertyToEvaluate).toEqual({ propertyName: 'mail', propertyValue: null });
    expect(otherMails!.propertyToEvaluate).toEqual({ propertyName: 'otherMails', propertyValue: '["a","x@y"]' });
  });
});

describe("Tarmac's explanation", () => {
  it('marks the false operand of a false -and as the one that decided', () => {
    const rule = checkRule('(user.department -eq "Sales") -and (user.country -eq "US") -and (user.city -ne null)');
    const explanation = explainRule(rule, { department: 'sales', country: 'UK', city: 'London' });
    expect(explanation.expressionResult).toBe(false);
    expect(explanation.decisive).toBe(true);
    const deciding = decidingExpressions(explanation);
    expect(deciding.map((e) => e.expression)).toEqual(['user.country -eq "US"']);
    expect(deciding[0]).toMatchObject({
      kind: 'comparison',
      operator: '-eq',
      value: 'US',
      actualValue: 'UK',
      position: 36,
      end: 57,
      expressionResult: false,
    });
  });

  it('marks every operand of a true -and, and only the true operands of a true -or', () => {
    const and = explainRule(checkRule('user.city -eq "a" -and user.country -eq "b"'), { city: 'A', country: 'B' });
    expect(decidingExpressions(and).map((e) => e.expression)).toEqual(['user.city -eq "a"', 'user.country -eq "b"']);
    const or = explainRule(checkRule('user.city -eq "a" -or user.country -eq "b" -or user.state -eq "c"'), { city: 'x', country: 'b', state: 'c' });
    expect(decidingExpressions(or).map((e) => e.expression)).toEqual(['user.country -eq "b"', 'user.state -eq "c"']);
  });

  it('follows precedence: Marketing OR (Sales AND US)', () => {
    const rule = checkRule('user.department -eq "Marketing" -or user.department -eq "Sales" -and user.country -eq "US"');
    const explanation = explainRule(rule, { department: 'Marketing', country: 'UK' });
    expect(explanation.expressionResult).toBe(true);
    expect(explanation.expressionEvaluationDetails.map((e) => [e.expression, e.expressionResult])).toEqual([
      ['user.department -eq "Marketing"', true],
      ['user.department -eq "Sales" -and user.country -eq "US"', false],
    ]);
    expect(decidingExpressions(explanation).map((e) => e.expression)).toEqual(['user.department -eq "Marketing"']);
  });

  it('explains -not and the operator written before the value', () => {
    const rule = checkRule('(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")');
    const explanation = explainRule(rule, { department: 'Sales', jobTitle: 'SDE II' });
    const not = explanation.expressionEvaluationDetails[1]!;
    expect(not).toMatchObject({ kind: 'not', operator: '-not', expressionResult: false, decisive: true });
    expect(not.expressionEvaluationDetails[0]).toMatchObject({ expression: 'user.jobTitle -startsWith "SDE"', expressionResult: true, decisive: true });
  });

  it('explains -any item by item, naming the item that decided', () => {
    const rule = checkRule('device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")');
    const explanation = explainRule(rule, { devicePhysicalIds: ['[USER-GID]:1', '[ZTDId]:abc', '[OrderID]:tag'] });
    expect(explanation).toMatchObject({ kind: 'any', operator: '-any', expressionResult: true });
    expect(explanation.expressionEvaluationDetails.map((e) => [e.item, e.expressionResult, e.decisive])).toEqual([
      ['[USER-GID]:1', false, false],
      ['[ZTDId]:abc', true, true],
      ['[OrderID]:tag', false, false],
    ]);
    expect(decidingExpressions(explanation)[0]).toMatchObject({
      expression: '_ -startsWith "[ZTDId]"',
      propertyToEvaluate: { propertyName: 'devicePhysicalIds', propertyValue: '[ZTDId]:abc' },
    });
    const graph = toGraphEvaluationDetails(explanation);
    expect(graph.propertyToEvaluate).toEqual({ propertyName: 'devicePhysicalIds', propertyValue: '["[USER-GID]:1","[ZTDId]:abc","[OrderID]:tag"]' });
    expect(graph.expressionEvaluationDetails).toHaveLength(3);
  });

  it('explains an -all over no items as decided by the -all itself', () => {
    const explanation = explainRule(checkRule('user.assignedPlans -all (assignedPlan.servicePlanId -eq null)'), {});
    expect(explanation.expressionResult).toBe(true);
    expect(decidingExpressions(explanation).map((e) => e.kind)).toEqual(['all']);
  });

  it('explains assigned plans with the field that was read', () => {
    const rule = checkRule('user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")');
    const explanation = explainRule(rule, { assignedPlans: [{ service: 'SCO', capabilityStatus: 'Suspended' }] });
    expect(explanation.expressionResult).toBe(false);
    expect(decidingExpressions(explanation).map((e) => [e.expression, e.propertyToEvaluate])).toEqual([
      ['assignedPlan.capabilityStatus -eq "Enabled"', { propertyName: 'assignedPlan.capabilityStatus', propertyValue: 'Suspended' }],
    ]);
  });

  it('explains memberOf and Direct Reports rules', () => {
    const memberOf = explainRule(checkRule("user.memberOf -any (group.objectId -in ['6fd2c87f-b296-42f0-b197-1e91e994b900'])"), {
      memberOf: ['c1ec4a95-1f05-45b3-a911-aa3fa01094f5'],
    });
    expect(memberOf).toMatchObject({
      kind: 'memberOf',
      expressionResult: false,
      value: ['6fd2c87f-b296-42f0-b197-1e91e994b900'],
      actualValue: ['c1ec4a95-1f05-45b3-a911-aa3fa01094f5'],
    });
    const reports = explainRule(checkRule('Direct Reports for "62e19b97-8b3d-4d4a-a106-4ce66896a863"'), { manager: '62E19B97-8B3D-4D4A-A106-4CE66896A863' });
    expect(reports).toMatchObject({ kind: 'directReports', expressionResult: true, propertyToEvaluate: { propertyName: 'manager' } });
  });

  it('gives the operator, the compared value and the actual value of every comparison', () => {
    const rule = checkRule('user.city -in ["Lagos", "Abuja"] -or user.accountEnabled -eq True -or user.employeeHireDate -le 2020-06-10T18:13:20Z');
    const [city, enabled, hired] = explainRule(rule, { city: 'Enugu', accountEnabled: false, employeeHireDate: '2019-01-01T00:00:00Z' }).expressionEvaluationDetails;
    expect(city).toMatchObject({ operator: '-in', value: ['Lagos', 'Abuja'], actualValue: 'Enugu', expressionResult: false });
    expect(enabled).toMatchObject({ operator: '-eq', value: true, actualValue: false, expressionResult: false });
    expect(hired).toMatchObject({ operator: '-le', value: '2020-06-10T18:13:20Z', expressionResult: true, decisive: true });
  });
});
