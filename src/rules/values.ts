// Reading the values rules compare: strings (case-folded), datetimes, `system.now` shifted by an ISO 8601
// duration, and dotted versions (Intune's operatingSystemVersion).
import { asciiLower, parseDateTime } from '../graph/odata/compare.js';

/**
 * A string in comparable form, or null. A missing value, JSON null, an empty string and anything that is
 * not a string all count as null (Graph does not keep empty strings on directory objects).
 */
export function textValue(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Case folding for comparisons: ASCII letters only, exactly as SQLite's and PostgreSQL's lower() do. */
export const fold = asciiLower;

export function booleanValue(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** Epoch milliseconds of an ISO 8601 datetime string, or null. */
export function dateTimeValue(value: unknown): number | null {
  return typeof value === 'string' ? (parseDateTime(value) ?? null) : null;
}

/** An ISO 8601 duration: `P1D`, `p30d`, `PT12H`, `P1Y2M3W4DT5H6M7.5S` (case-insensitive). */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly milliseconds: number;
}

const DURATION = /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6}(?:\.\d{1,3})?)S)?)?$/i;

export function parseDuration(text: string): Duration | undefined {
  const m = DURATION.exec(text);
  if (!m || text.length < 3 || /T$/i.test(text)) return undefined;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  return {
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    milliseconds: Math.round(((n(5) * 60 + n(6)) * 60 + n(7)) * 1000),
  };
}

/** `at` shifted by a duration (calendar arithmetic in UTC for years, months and days). */
export function shiftDateTime(at: number, duration: Duration, sign: 1 | -1): number {
  const date = new Date(at);
  if (duration.years || duration.months) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + sign * (duration.years * 12 + duration.months));
    // Clamp to the last day of the target month (Jan 31 + P1M is Feb 28/29).
    const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, last));
  }
  if (duration.days) date.setUTCDate(date.getUTCDate() + sign * duration.days);
  return date.getTime() + sign * duration.milliseconds;
}

/** A dotted version such as 10.0.22631.3235, as numbers; undefined if it is not one. */
export function parseVersion(text: string): readonly number[] | undefined {
  if (!/^\d{1,15}(?:\.\d{1,15}){0,7}$/.test(text)) return undefined;
  return text.split('.').map(Number);
}

export function versionValue(value: unknown): readonly number[] | null {
  return typeof value === 'string' ? (parseVersion(value.trim()) ?? null) : null;
}

/** Compares versions part by part; a missing part counts as 0 (10.0 equals 10.0.0.0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether `value`, folded, starts with / ends with / contains / equals the folded `needle`, without allocating. */
export function foldedEquals(value: string, needle: string): boolean {
  return value.length === needle.length && foldedAt(value, needle, 0);
}

export function foldedStartsWith(value: string, needle: string): boolean {
  return value.length >= needle.length && foldedAt(value, needle, 0);
}

export function foldedEndsWith(value: string, needle: string): boolean {
  return value.length >= needle.length && foldedAt(value, needle, value.length - needle.length);
}

export function foldedContains(value: string, needle: string): boolean {
  const last = value.length - needle.length;
  for (let i = 0; i <= last; i++) if (foldedAt(value, needle, i)) return true;
  return false;
}

/** `needle` is already folded; compares it with `value` from `offset`, folding ASCII upper case. */
function foldedAt(value: string, needle: string, offset: number): boolean {
  for (let j = 0; j < needle.length; j++) {
    let unit = value.charCodeAt(offset + j);
    if (unit >= 65 && unit <= 90) unit += 32;
    if (unit !== needle.charCodeAt(j)) return false;
  }
  return true;
}
