// The $filter binder: canonical names, Graph's error messages, OData's null rules; and the JS predicate on examples.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/graph/errors.js';
import { bindFilter, compileFilterJs, parseFilter, type BoundExpr, type ResourceShape } from '../../../src/graph/odata/index.js';
import { devicePolicyShape, deviceShape, userShape } from './shapes.js';

const bind = (filter: string, shape: ResourceShape = userShape) => bindFilter(parseFilter(filter), shape).root;

function errorOf(filter: string, shape: ResourceShape = userShape): string {
  try {
    bind(filter, shape);
  } catch (err) {
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).status).toBe(400);
    return (err as GraphError).message;
  }
  throw new Error(`expected '${filter}' to fail`);
}

describe('bindFilter', () => {
  it('matches property names case-insensitively and uses the canonical names', () => {
    expect(bind("TemplateReference/TemplateID eq 'x'", devicePolicyShape)).toEqual({
      kind: 'compare',
      op: 'eq',
      ref: { scope: 0, path: ['templateReference', 'templateId'], type: { kind: 'string' } },
      value: 'x',
    });
    expect(bind('AzureADJoin/isAdminConfigurable', deviceShape)).toMatchObject({
      kind: 'compare',
      ref: { path: ['azureADJoin', 'isAdminConfigurable'] },
      value: true,
    });
  });

  it('binds lambda variables in their own scope', () => {
    expect(bind('assignedLicenses/any(x:x/skuId eq 6FD2C87F-B296-42F0-B197-1E91E994B900)')).toEqual({
      kind: 'lambda',
      op: 'any',
      scope: 1,
      collection: { scope: 0, path: ['assignedLicenses'], type: userShape.properties.assignedLicenses },
      body: {
        kind: 'compare',
        op: 'eq',
        ref: { scope: 1, path: ['skuId'], type: { kind: 'guid' } },
        value: '6fd2c87f-b296-42f0-b197-1e91e994b900',
      },
    });
    expect(bind("assignedLicenses/any(l: l/disabledPlans/any(p: p eq c1ec4a95-1f05-45b3-a911-aa3fa01094f5) and mail eq 'x')"))
      .toMatchObject({ body: { kind: 'and', operands: [{ kind: 'lambda', scope: 2, collection: { scope: 1 } }, { ref: { scope: 0 } }] } });
  });

  it('applies the null rules of OData', () => {
    const mail = { scope: 0, path: ['mail'], type: { kind: 'string' } };
    expect(bind('mail eq null')).toEqual({ kind: 'isNull', ref: mail });
    expect(bind('mail ne null')).toEqual({ kind: 'not', operand: { kind: 'isNull', ref: mail } });
    expect(bind("mail ne 'A'")).toEqual({ kind: 'not', operand: { kind: 'compare', op: 'eq', ref: mail, value: 'a' } });
    expect(bind('mail gt null')).toEqual({ kind: 'const', value: false });
    expect(bind("'b' lt mail")).toEqual({ kind: 'compare', op: 'gt', ref: mail, value: 'b' });
    expect(bind("startswith(mail, null)")).toEqual({ kind: 'const', value: false });
  });

  it('flattens and/or chains and normalizes literals', () => {
    const root = bind("(mail eq 'a' and mail eq 'b') and (mail eq 'c' or mail eq 'd') and createdDateTime ge 2024-01-01");
    expect(root.kind).toBe('and');
    const operands = (root as Extract<BoundExpr, { kind: 'and' | 'or' }>).operands;
    expect(operands.map((o) => o.kind)).toEqual(['compare', 'compare', 'or', 'compare']);
    expect(operands[3]).toMatchObject({ value: Date.UTC(2024, 0, 1) });
    expect(bind("technologies has 'MDM,Enrollment'", devicePolicyShape)).toMatchObject({ kind: 'has', members: ['mdm', 'enrollment'] });
    expect(bind("id in ('A', null)")).toMatchObject({ kind: 'in', values: ['a'], orNull: true });
    expect(
      bind("platforms eq microsoft.graph.deviceManagementConfigurationPlatforms'windows10'", devicePolicyShape),
    ).toMatchObject({ kind: 'compare', value: 'windows10' });
  });

  it.each([
    ['foo eq 1', "Could not find a property named 'foo' on type 'microsoft.graph.user'."],
    ['assignedLicenses/any(x: x/foo eq 1)', "Could not find a property named 'foo' on type 'microsoft.graph.assignedLicense'."],
    ['displayName/foo eq 1', "Could not find a property named 'foo' on type 'Edm.String'."],
    [
      "accountEnabled eq 'yes'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.",
    ],
    [
      "'yes' ne accountEnabled",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Boolean' for operator kind 'NotEqual'.",
    ],
    [
      "assignedLicenses/any(x: x/skuId eq '6fd2c87f-b296-42f0-b197-1e91e994b900')",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
    ],
    [
      'ageGroup gt 1.5 and createdDateTime lt 5',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.Int32' for operator kind 'LessThan'.",
    ],
    [
      "displayName has 'a'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.String' for operator kind 'Has'.",
    ],
    [
      "id in ('a', 1)",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'In'.",
    ],
    [
      "startswith(accountEnabled,'a')",
      "No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      "proxyAddresses eq 'x'",
      "The operand for a binary operator 'Equal' is not a single value. Binary operators require both operands to be single values.",
    ],
    [
      "assignedLicenses/skuId eq 'x'",
      "The parent value for a property access of a property 'skuId' is not a single value. Property access can only be applied to a single value.",
    ],
    ["displayName/any(x: x eq 'a')", "The parent value for the lambda expression 'any' must be a collection; 'displayName' is of type 'Edm.String'."],
    ["assignedLicenses/any(x: x/disabledPlans/any(x: x eq null))", "The range variable 'x' has already been declared."],
    [
      "assignedLicenses/any(x: proxyAddresses/any(p: p eq 'a'))",
      "The lambda expression 'any' inside another lambda must iterate over a collection of the enclosing lambda's variable, e.g. assignedLicenses/any(l: l/disabledPlans/any(p: p eq ...)).",
    ],
    ["tolower(displayName) eq 'a'", "The operands of 'eq' must be a property and a literal, e.g. displayName eq 'x'."],
    ["length(displayName)", 'The function \'length\' is not supported in $filter. Supported functions: startswith, endswith, contains.'],
    ['displayName eq mail', "The operands of 'eq' must be a property and a literal, e.g. displayName eq 'x'."],
    ['displayName', 'The $filter expression must evaluate to a single boolean value.'],
    ["'a'", 'The $filter expression must evaluate to a single boolean value.'],
  ])('%s', (filter, message) => {
    expect(errorOf(filter)).toBe(message);
  });

  it('checks enum literals against the declared enum type', () => {
    expect(errorOf("platforms eq microsoft.graph.other'windows10'", devicePolicyShape)).toBe(
      "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.deviceManagementConfigurationPlatforms' and 'microsoft.graph.other' for operator kind 'Equal'.",
    );
    expect(errorOf("technologies has ''", devicePolicyShape)).toBe("The string '' is not a valid enumeration type constant.");
  });
});

describe('compileFilterJs', () => {
  const adele = {
    id: 'A1',
    displayName: 'Adele Vance',
    mail: 'AdeleV@contoso.com',
    accountEnabled: true,
    createdDateTime: '2024-03-01T10:00:00Z',
    proxyAddresses: ['SMTP:AdeleV@contoso.com', 'smtp:adele@contoso.net'],
    assignedLicenses: [{ skuId: '6FD2C87F-B296-42F0-B197-1E91E994B900', disabledPlans: [] }],
  };
  const ghost = { id: 'g2', displayName: 'ghost', accountEnabled: false, proxyAddresses: [] };
  const matching = (filter: string) => [adele, ghost].filter(compileFilterJs(bindFilter(parseFilter(filter), userShape))).map((u) => u.id);

  it.each([
    ["displayName eq 'ADELE VANCE'", ['A1']],
    ["startswith(displayName,'adele') and accountEnabled eq true", ['A1']],
    ["proxyAddresses/any(x:startswith(x,'smtp:'))", ['A1']],
    ['proxyAddresses/any()', ['A1']],
    ["proxyAddresses/all(x:startswith(x,'smtp:'))", ['A1', 'g2']],
    ['assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)', ['A1']],
    ['mail eq null', ['g2']],
    ["mail ne 'x'", ['A1', 'g2']],
    ["mail lt 'z'", ['A1']],
    ["not (mail lt 'z')", ['g2']],
    ['createdDateTime ge 2024-03-01T11:00:00+01:00', ['A1']],
    ['createdDateTime gt 2024-03-01', ['A1']],
    ["id in ('a1', 'G2')", ['A1', 'g2']],
    ['not accountEnabled', ['g2']],
    ["contains(displayName, 'e v')", ['A1']],
    ["endswith(mail, '.COM')", ['A1']],
  ])('%s', (filter, ids) => {
    expect(matching(filter)).toEqual(ids);
  });

  it('matches flags enums with has', () => {
    const policy = { id: 'p', technologies: 'mdm,enrollment', platforms: 'windows10', templateReference: { templateId: 't_1' } };
    const test = (filter: string) => compileFilterJs(bindFilter(parseFilter(filter), devicePolicyShape))(policy);
    expect(test("(technologies has 'enrollment') and (platforms eq 'windows10') and (TemplateReference/templateId eq 'T_1')")).toBe(true);
    expect(test("technologies has 'enroll'")).toBe(false);
    expect(test("technologies has 'Enrollment,MDM'")).toBe(true);
  });

  it('takes microseconds per call', () => {
    const predicate = compileFilterJs(
      bindFilter(parseFilter("startswith(displayName,'a') and proxyAddresses/any(x:startswith(x,'smtp:'))"), userShape),
    );
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) predicate(adele);
    expect((performance.now() - started) / 100_000).toBeLessThan(0.02);
  });
});
