// How Graph values compare in $filter, $orderby and $search: the JS side of the semantics the SQL compilers mirror.
import type { PropType } from './shape.js';

/** The comparison a primitive type uses: guids and enums compare as text. */
export type ValueKind = 'text' | 'boolean' | 'number' | 'datetime';

/** A value in comparable form: text lower-cased, datetimes as epoch milliseconds. */
export type Scalar = string | number | boolean;

export function valueKind(type: PropType): ValueKind | undefined {
  switch (type.kind) {
    case 'string':
    case 'guid':
    case 'enum':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'number':
      return 'number';
    case 'datetime':
      return 'datetime';
    default:
      return undefined;
  }
}

/**
 * Directory string comparisons ignore case. Only ASCII letters are folded, because that is what SQLite's
 * lower() and PostgreSQL's lower() under the "C" collation do; all three back ends must agree.
 */
export function asciiLower(text: string): string {
  let upper = false;
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 65 && unit <= 90) upper = true;
    else if (unit > 127) ascii = false;
  }
  if (!upper) return text;
  return ascii ? text.toLowerCase() : text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/**
 * Orders strings by code point, as SQLite (BINARY) and PostgreSQL (COLLATE "C") order UTF-8 text.
 * Plain `<` compares UTF-16 units, which puts U+10000 and above before U+E000..U+FFFF.
 */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Moves surrogates (U+D800..U+DFFF) above U+E000..U+FFFF so that unit order becomes code point order.
const codePointRank = (unit: number) => (unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Epoch milliseconds of an ISO 8601 date or datetime, or undefined if it is not one. Without a zone the time is
 * UTC (as SQLite reads it); digits below the millisecond are dropped.
 */
export function parseDateTime(text: string): number | undefined {
  const m = ISO_DATETIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((s) => (s === undefined ? undefined : Number(s)));
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (month! < 1 || month! > 12 || day! < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!); // not Date.UTC, which maps years 0-99 to 1900-1999
  if (date.getUTCDate() !== day) return undefined; // e.g. February 30
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - zoneOffsetMillis(m[8]);
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

/** A stored value in comparable form; anything that is not a value of the kind counts as null. */
export function toScalar(kind: ValueKind, value: unknown): Scalar | null {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? asciiLower(value) : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'datetime':
      return typeof value === 'string' ? (parseDateTime(value) ?? null) : null;
  }
}

/** Compares two comparable values of the same kind. */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'string') return compareText(a, b as string);
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Reads a property path from a Graph object; a missing step reads as undefined. */
export function readPath(value: unknown, path: readonly string[]): unknown {
  for (let i = 0; i < path.length; i++) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, path[i]!) ? (value as Record<string, unknown>)[path[i]!] : undefined;
  }
  return value;
}
