// Assertions on the two error envelopes clients parse: Graph's {"error":{code,message,innerError}} and the
// Entra token endpoint's {error, error_description: "AADSTSnnn: …", error_codes}.
import { expect } from 'vitest';

export interface GraphErrorExpectation {
  /** The exact `error.code`. */
  readonly code?: string;
  /** Text (or pattern) the message must contain. */
  readonly message?: string | RegExp;
  /** The property the message must name. */
  readonly field?: string;
}

/** True when `body` is a Graph error envelope with a complete innerError. */
export function isGraphErrorBody(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return false;
  const e = error as Record<string, unknown>;
  const inner = e.innerError as Record<string, unknown> | undefined;
  return (
    typeof e.code === 'string' &&
    e.code.length > 0 &&
    typeof e.message === 'string' &&
    e.message.length > 0 &&
    !!inner &&
    typeof inner.date === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(inner.date) &&
    typeof inner['request-id'] === 'string' &&
    typeof inner['client-request-id'] === 'string'
  );
}

/** True when `body` is an Entra token endpoint error (AADSTS). */
export function isEntraErrorBody(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.error === 'string' &&
    typeof b.error_description === 'string' &&
    /^AADSTS\d+: \S/.test(b.error_description) &&
    Array.isArray(b.error_codes) &&
    b.error_codes.length > 0 &&
    b.error_codes.every((c) => typeof c === 'number')
  );
}

/** Reads the response and checks it is the Graph error expected; returns the parsed body. */
export async function expectGraphError(res: Response, status: number, expected: GraphErrorExpectation = {}): Promise<any> {
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`expected a JSON error body with status ${status}, got ${res.status}: ${text.slice(0, 500)}`);
  }
  expect({ status: res.status, body }).toMatchObject({ status, body: { error: expect.any(Object) } });
  expect(isGraphErrorBody(body), `not a Graph error envelope: ${text.slice(0, 500)}`).toBe(true);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  // The innerError ids are the ones the response headers carry, so a support ticket can quote either.
  expect(body.error.innerError['request-id']).toBe(res.headers.get('request-id'));
  if (expected.code) expect(body.error.code).toBe(expected.code);
  if (typeof expected.message === 'string') expect(body.error.message).toContain(expected.message);
  if (expected.message instanceof RegExp) expect(body.error.message).toMatch(expected.message);
  if (expected.field) expect(body.error.message).toContain(expected.field);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // never a stack trace
  return body;
}

/** Reads the response and checks it is the token endpoint error expected. */
export async function expectEntraError(res: Response, status: number, error: string, aadsts: number): Promise<any> {
  const text = await res.text();
  const body = JSON.parse(text);
  expect({ status: res.status, error: body.error, error_codes: body.error_codes }).toEqual({ status, error, error_codes: [aadsts] });
  expect(isEntraErrorBody(body), `not an Entra error: ${text.slice(0, 500)}`).toBe(true);
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${aadsts}: `));
  expect(body.access_token).toBeUndefined();
  return body;
}
