// Resource shapes for query binding and body validation, built from Microsoft's metadata
// (entities.generated.ts) plus the few complex types the directory needs, written by hand.
import type { PropType, ResourceShape } from '../odata/shape.js';
import { GRAPH_ENTITIES } from './entities.generated.js';

const str: PropType = { kind: 'string' };
const bool: PropType = { kind: 'boolean' };
const guid: PropType = { kind: 'guid' };
const datetime: PropType = { kind: 'datetime' };
const strings: PropType = { kind: 'collection', of: str };

/** Complex types whose members can be queried ($filter, rules); others are opaque objects. */
const COMPLEX: Record<string, Record<string, PropType>> = {
  'graph.assignedLicense': { skuId: guid, disabledPlans: { kind: 'collection', of: guid } },
  'graph.assignedPlan': { assignedDateTime: datetime, capabilityStatus: str, service: str, servicePlanId: guid },
  'graph.passwordProfile': { forceChangePasswordNextSignIn: bool, forceChangePasswordNextSignInWithMfa: bool, password: str },
  'graph.objectIdentity': { signInType: str, issuer: str, issuerAssignedId: str },
  'graph.alternativeSecurityId': { type: { kind: 'int' }, identityProvider: str, key: str },
  'graph.onPremisesExtensionAttributes': Object.fromEntries(
    Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, str]),
  ),
  'graph.passwordCredential': {
    customKeyIdentifier: str,
    displayName: str,
    endDateTime: datetime,
    hint: str,
    keyId: guid,
    secretText: str,
    startDateTime: datetime,
  },
  'graph.appRole': {
    allowedMemberTypes: strings,
    description: str,
    displayName: str,
    id: guid,
    isEnabled: bool,
    origin: str,
    value: str,
  },
};

const EDM: Record<string, PropType> = {
  'Edm.String': str,
  'Edm.Boolean': bool,
  'Edm.Guid': guid,
  'Edm.DateTimeOffset': datetime,
  'Edm.Int32': { kind: 'int' },
  'Edm.Int64': { kind: 'int' },
  'Edm.Double': { kind: 'number' },
};

export function edmToPropType(type: string): PropType {
  const collection = /^Collection\((.+)\)$/.exec(type);
  if (collection) return { kind: 'collection', of: edmToPropType(collection[1]!) };
  const edm = EDM[type];
  if (edm) return edm;
  const complex = COMPLEX[type];
  if (complex) return { kind: 'complex', properties: complex };
  // Other graph.* types: enums serialise as strings; unknown complex types stay opaque.
  return type.startsWith('graph.') && /Configuration$|Type$|State$/.test(type) ? { kind: 'enum' } : { kind: 'complex', properties: {} };
}

type EntityName = keyof typeof GRAPH_ENTITIES;

function shapeOf(entity: EntityName, extra: Record<string, PropType> = {}): ResourceShape {
  const properties: Record<string, PropType> = { id: str };
  for (const [name, type] of Object.entries(GRAPH_ENTITIES[entity].v1)) properties[name] = edmToPropType(type);
  return { typeName: `microsoft.graph.${entity}`, properties: { ...properties, ...extra }, columns: { id: 'id' } };
}

/** v1.0 plus the properties only beta has (typed where Tarmac uses them, opaque otherwise). */
function betaShapeOf(entity: EntityName, v1: ResourceShape, typed: Record<string, PropType> = {}): ResourceShape {
  const extra: Record<string, PropType> = {};
  for (const name of GRAPH_ENTITIES[entity].betaOnly) extra[name] = typed[name] ?? { kind: 'complex', properties: {} };
  return { ...v1, properties: { ...v1.properties, ...extra } };
}

const extensionAttributes = edmToPropType('graph.onPremisesExtensionAttributes');

export const userShape = shapeOf('user');
export const groupShape = shapeOf('group');
export const deviceShape = shapeOf('device', { extensionAttributes });
export const servicePrincipalShape = shapeOf('servicePrincipal');

export const userBetaShape = betaShapeOf('user', userShape);
export const groupBetaShape = betaShapeOf('group', groupShape, {
  membershipRuleProcessingStatus: { kind: 'complex', properties: { status: str, lastMembershipUpdated: datetime, errorMessage: str } },
});
export const deviceBetaShape = betaShapeOf('device', deviceShape);
export const servicePrincipalBetaShape = betaShapeOf('servicePrincipal', servicePrincipalShape);
export const applicationShape: ResourceShape = {
  typeName: 'microsoft.graph.application',
  columns: { id: 'id' },
  properties: {
    id: str,
    appId: str,
    displayName: str,
    description: str,
    signInAudience: str,
    createdDateTime: datetime,
    identifierUris: strings,
    tags: strings,
    notes: str,
    passwordCredentials: { kind: 'collection', of: edmToPropType('graph.passwordCredential') },
    keyCredentials: { kind: 'collection', of: { kind: 'complex', properties: {} } },
    requiredResourceAccess: { kind: 'collection', of: { kind: 'complex', properties: {} } },
    web: { kind: 'complex', properties: {} },
    publicClient: { kind: 'complex', properties: {} },
    spa: { kind: 'complex', properties: {} },
    api: { kind: 'complex', properties: {} },
    appRoles: { kind: 'collection', of: edmToPropType('graph.appRole') },
    isFallbackPublicClient: bool,
    publisherDomain: str,
  },
};


/**
 * Beta-only property names come without types; type the few kinds clients filter and sort on, keep the
 * rest opaque (any JSON value).
 */
function guessType(name: string): PropType {
  if (/DateTime$/.test(name)) return datetime;
  if (/^(displayName|description|name|publisher|developer|owner|notes|fileName|displayVersion|version|packageIdentifier)$/.test(name)) return str;
  if (name === 'roleScopeTagIds') return strings;
  return { kind: 'complex', properties: {} };
}

/** Base types of beta-only Intune types (Microsoft's v1.0 metadata names the others). */
const BETA_BASE_TYPES: Readonly<Record<string, string>> = {
  winGetApp: 'mobileApp',
  officeSuiteApp: 'mobileApp',
};

/** Every property of a Graph type and its base types, v1.0 typed and beta-only guessed. */
function allProperties(entity: EntityName): Record<string, PropType> {
  const info = GRAPH_ENTITIES[entity] as { baseType?: string; v1: Record<string, string>; betaOnly: readonly string[] };
  const baseName = (info.baseType ?? BETA_BASE_TYPES[entity])?.replace(/^graph\./, '');
  const base = baseName && baseName in GRAPH_ENTITIES && baseName !== 'entity' ? allProperties(baseName as EntityName) : {};
  const own: Record<string, PropType> = {};
  for (const [name, type] of Object.entries(info.v1)) own[name] = edmToPropType(type);
  for (const name of info.betaOnly) own[name] = guessType(name);
  return { ...base, ...own };
}

/** The shape of an Intune type (beta), with typed overrides where Tarmac checks values. */
export function intuneShape(entity: EntityName, typed: Record<string, PropType> = {}): ResourceShape {
  return {
    typeName: `microsoft.graph.${entity}`,
    properties: { id: str, createdDateTime: datetime, lastModifiedDateTime: datetime, roleScopeTagIds: strings, ...allProperties(entity), ...typed },
    columns: { id: 'id' },
  };
}

/** The union of several types' shapes, for $filter/$select over a polymorphic collection. */
export function unionShape(typeName: string, shapes: readonly ResourceShape[]): ResourceShape {
  return { typeName, properties: Object.assign({}, ...shapes.map((s) => s.properties)), columns: { id: 'id' } };
}
