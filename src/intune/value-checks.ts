// Checks of single values in Intune request bodies (enum members, flags enums, nested objects, base64
// binaries), each failing with Intune's 400 `BadRequest` naming the field.
import { storableJson } from '../graph/validate.js';
import { intuneBadRequest, textOf } from './errors.js';

export type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value that must be an object (or null/absent); returns it, or undefined. */
export function objectAt(value: unknown, field: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw intuneBadRequest(`'${field}' must be an object.`, field);
  return value;
}

/** A value that must be an array (or null/absent); returns it, or []. */
export function arrayAt(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw intuneBadRequest(`'${field}' must be an array.`, field);
  return value;
}

/** An enum member (Graph serialises enums as their member names); null and absent pass. */
export function checkEnum(value: unknown, members: readonly string[], field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !members.includes(value)) throw intuneBadRequest(`'${field}' must be one of ${members.join(', ')}.`, field);
}

/** A flags enum: members joined by commas ("x86,x64"); null and absent pass. */
export function checkFlags(value: unknown, members: readonly string[], field: string): void {
  if (value === undefined || value === null) return;
  const parts = typeof value === 'string' ? value.split(',').map((p) => p.trim()) : [];
  if (parts.length === 0 || parts.some((p) => !members.includes(p))) {
    throw intuneBadRequest(`'${field}' must be one or more of ${members.join(', ')}, separated by commas.`, field);
  }
}

/** Text both databases store (in a string, or anywhere inside a JSON value): no NUL character, no unpaired surrogate. */
export function checkStorable(value: unknown, field: string): void {
  if (!storableJson(value)) throw intuneBadRequest(`'${field}' contains text that cannot be stored (a NUL character or an unpaired surrogate).`, field);
}

export function checkBoolean(value: unknown, field: string): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') throw intuneBadRequest(`'${field}' must be true or false.`, field);
}

export function checkInteger(value: unknown, field: string, min = 0, max = 2 ** 31 - 1): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw intuneBadRequest(`'${field}' must be a whole number from ${min} to ${max}.`, field);
  }
}

/** A required value: present, not null, not an empty string. */
export function requireValue(data: Json, name: string, field = name): void {
  const v = data[name];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) throw intuneBadRequest(`'${field}' is required.`, field);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes an Edm.Binary value (standard base64, as OData serialises it); throws a 400 naming the field. */
export function decodeBase64(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) throw intuneBadRequest(`'${field}' must be base64-encoded content.`, field);
  return Buffer.from(value, 'base64');
}

/** The `@odata.type` of a nested object, normalised to '#microsoft.graph.x', matched case-insensitively. */
export function nestedType(value: Json, allowed: readonly string[], field: string, required = true): string | undefined {
  const given = value['@odata.type'];
  if (given === undefined || given === null) {
    if (required) throw intuneBadRequest(`'${field}' must name its type in '@odata.type' (one of ${allowed.join(', ')}).`, `${field}.@odata.type`);
    return undefined;
  }
  const normalised = typeof given === 'string' ? `#${given.replace(/^#/, '')}`.toLowerCase() : '';
  const found = allowed.find((t) => t.toLowerCase() === normalised);
  if (!found) throw intuneBadRequest(`'${textOf(given)}' is not a type '${field}' accepts; use one of ${allowed.join(', ')}.`, `${field}.@odata.type`);
  return found;
}
