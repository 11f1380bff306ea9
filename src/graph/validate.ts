// Checks a request body against a resource shape: unknown properties, wrong types and over-long strings
// are rejected with Graph's directory wording before anything is written.
import type { PropType, ResourceShape } from './odata/shape.js';
import { GraphError } from './errors.js';
import { isGuid } from '../core/ids.js';
import { parseDateTime } from './odata/index.js';

export interface BodyRules {
  /** Resource name used in messages, e.g. 'User'. */
  readonly resource: string;
  /** Properties a client may not set (id, createdDateTime…). */
  readonly readOnly?: readonly string[];
  /** Maximum lengths Entra enforces, by property. Other strings are capped at DEFAULT_MAX_LENGTH. */
  readonly maxLength?: Readonly<Record<string, number>>;
  /** Extra accepted keys that are not properties, e.g. 'members@odata.bind'. */
  readonly extraKeys?: readonly string[];
  /** Directory resources answer Request_BadRequest (the default); Intune's answer BadRequest. */
  readonly errorCode?: string;
}

const DEFAULT_MAX_LENGTH = 1024;
const MAX_COLLECTION = 1000;

export const invalidValue = (property: string, resource: string, code = 'Request_BadRequest') =>
  new GraphError(400, code, `Invalid value specified for property '${property}' of resource '${resource}'.`, {
    target: property,
  });

/**
 * Returns the body's properties under their canonical names (clients may send any letter case), or
 * throws a 400 that names the first offending property.
 */
export function validateBody(body: Record<string, unknown>, shape: ResourceShape, rules: BodyRules): Record<string, unknown> {
  const byLower = lowerCaseNames(shape);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type' || key === '@odata.context' || rules.extraKeys?.includes(key)) continue;
    const name = byLower.get(key.toLowerCase());
    if (!name) {
      throw new GraphError(400, rules.errorCode ?? 'Request_BadRequest', `Property '${key}' does not exist as a declared property or extension property.`, {
        target: key,
      });
    }
    if (rules.readOnly?.includes(name)) {
      throw new GraphError(400, rules.errorCode ?? 'Request_BadRequest', `Property '${name}' is read-only and cannot be set.`, { target: name });
    }
    const max = rules.maxLength?.[name] ?? DEFAULT_MAX_LENGTH;
    const type = shape.properties[name]!;
    if (!conforms(value, type, max)) throw invalidValue(name, rules.resource, rules.errorCode);
    // Datetimes are stored in one form so that SQL and JS compare them alike.
    out[name] = type.kind === 'datetime' && typeof value === 'string' ? graphDateTime(parseDateTime(value)!) : value;
  }
  return out;
}

/** Text both databases store as sent: no NUL character and no unpaired UTF-16 surrogate. */
const storable = (s: string) => !/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** Whether every string and property name inside a JSON value is text both databases store. */
export function storableJson(value: unknown): boolean {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.every(storableJson);
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => storable(k) && storableJson(v));
  return true;
}

const lowerCaseIndex = new WeakMap<ResourceShape, ReadonlyMap<string, string>>();

function lowerCaseNames(shape: ResourceShape): ReadonlyMap<string, string> {
  let index = lowerCaseIndex.get(shape);
  if (!index) {
    index = new Map(Object.keys(shape.properties).map((k) => [k.toLowerCase(), k]));
    lowerCaseIndex.set(shape, index);
  }
  return index;
}

function conforms(value: unknown, type: PropType, maxLength: number): boolean {
  if (value === null) return type.kind !== 'collection';
  switch (type.kind) {
    case 'string':
    case 'enum':
      return typeof value === 'string' && value.length <= maxLength && storable(value);
    case 'guid':
      return typeof value === 'string' && isGuid(value);
    case 'datetime':
      return typeof value === 'string' && value.length <= 40 && parseDateTime(value) !== undefined;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'collection':
      return Array.isArray(value) && value.length <= MAX_COLLECTION && value.every((v) => v !== null && conforms(v, type.of, maxLength));
    case 'complex':
      // A type whose members Tarmac does not model (beta-only or rarely used) accepts any JSON value both databases store.
      if (Object.keys(type.properties).length === 0) return storableJson(value);
      if (typeof value !== 'object' || Array.isArray(value)) return false;
      return Object.entries(value as Record<string, unknown>).every(([k, v]) => {
        if (k.startsWith('@odata.')) return storable(k) && storableJson(v);
        const member = type.properties[k];
        return member !== undefined && conforms(v, member, DEFAULT_MAX_LENGTH);
      });
  }
}

/** Graph's form of a DateTimeOffset: UTC, milliseconds only when there are some. */
export function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
