// Password hashing for simulated accounts. A salted HMAC-SHA-256 rather than a slow KDF: Tarmac is a
// rehearsal environment whose passwords are test data, and bulk user creation must stay fast
// (documented in docs/compatibility.md).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `${salt}$${digest(salt, password)}`;
}

export function verifyPassword(password: string, stored: string | null): boolean {
  if (!stored) return false;
  const [salt, expected] = stored.split('$');
  if (!salt || !expected) return false;
  const actual = Buffer.from(digest(salt, password));
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

function digest(salt: string, password: string): string {
  return createHmac('sha256', salt).update(password).digest('base64url');
}

/** Entra's rule: 8–256 characters with at least three of lowercase, uppercase, digits and symbols. */
export function meetsComplexity(password: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  return classes >= 3;
}
