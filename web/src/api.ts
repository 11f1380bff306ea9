// The admin center's only way to Tarmac: Graph with the user's delegated token, the control API with the
// control key, the tenant's token endpoint for sign-in. Every screen goes through these functions and hooks,
// so errors, expired sign-ins and refused keys are handled in one place.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { getSession, setControlKey, signOut } from './session';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A failed call: Graph's error envelope (code, message, target), the token endpoint's AADSTS error, or no answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The field Graph names as the cause, when it names one. */
    readonly target?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Graph only: this token instead of the session's (signing in reads /me before the session exists). */
  readonly token?: string;
}

/** A Graph collection page. */
export interface GraphList<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.count'?: number;
}

/** Where the page was loaded from: the API is on the same origin, under the same path. */
const base = location.pathname.replace(/[^/]*$/, '');

function url(path: string): string {
  return base + path.replace(/^\//, '');
}

/**
 * Calls Graph as the signed-in user. `path` starts with the version (`/v1.0/users`, `/beta/deviceManagement/...`);
 * an `@odata.nextLink` of this server is accepted as it is.
 */
export async function graph<T = any>(method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const { signedIn } = getSession();
  const token = options.token ?? signedIn?.token;
  if (!token) throw new ApiError(401, 'NotSignedIn', 'Sign in to call Microsoft Graph.');
  if (!options.token && signedIn && signedIn.expiresAt <= Date.now()) {
    signOut('Your sign-in expired. Sign in again.', signedIn.tenant.tenantId);
    throw new ApiError(401, 'TokenExpired', 'Your sign-in expired.');
  }
  const relative = relativePath(path);
  if (!/^\/(v1\.0|beta)\//.test(relative)) throw new Error(`graph() paths start with /v1.0/ or /beta/, not '${path}'`);
  const response = await send(url(relative), method, body, { ...options.headers, authorization: `Bearer ${token}` }, options.signal);
  if (response.status === 401 && !options.token && signedIn) signOut('Tarmac no longer accepts your sign-in. Sign in again.', signedIn.tenant.tenantId);
  return readResult<T>(response);
}

/** An absolute URL (a nextLink) as a path below the app's base. */
function relativePath(path: string): string {
  if (!/^https?:/i.test(path)) return path;
  const u = new URL(path);
  const p = u.pathname + u.search;
  return base !== '/' && p.startsWith(base) ? p.slice(base.length - 1) : p;
}

/** Reads every page of a Graph collection (following `@odata.nextLink`). */
export async function graphAll<T = any>(path: string, options: CallOptions = {}): Promise<T[]> {
  const items: T[] = [];
  for (let next: string | undefined = path; next; ) {
    const page: GraphList<T> = await graph<GraphList<T>>('GET', next, undefined, options);
    items.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return items;
}

/** Calls the control API with the control key; `path` is below /_tarmac, e.g. `/tenants`. */
export async function control<T = any>(method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const { controlKey } = getSession();
  if (!controlKey) throw new ApiError(401, 'NoControlKey', 'Enter the control key first.');
  const response = await send(url(`/_tarmac${path}`), method, body, { ...options.headers, authorization: `Bearer ${controlKey}` }, options.signal);
  if (response.status === 401) setControlKey(null, 'Tarmac refused the control key. Enter the key the server printed when it started.');
  return readResult<T>(response);
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

/**
 * The OAuth password grant at the tenant's token endpoint, as a public client (the tenant's admin
 * application), for a delegated Graph token. Entra's errors come back as ApiError with the AADSTS message.
 */
export async function passwordGrant(tenantId: string, clientId: string, username: string, password: string): Promise<IssuedToken> {
  const form = new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password, scope: 'https://graph.microsoft.com/.default' });
  const response = await request(url(`/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const token = await readResult<{ access_token: string; expires_in: number }>(response);
  return { accessToken: token.access_token, expiresIn: token.expires_in };
}

async function send(target: string, method: Method, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  return request(target, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
}

async function request(target: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(target, init);
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(0, 'NetworkError', 'Tarmac did not answer. Is the server still running?');
  }
}

async function readResult<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  throw errorOf(response, body);
}

function errorOf(response: Response, body: any): ApiError {
  const requestId = response.headers.get('request-id') ?? undefined;
  // Graph and the control API: {"error": {"code", "message", "target"?, "innerError"}}.
  if (body && typeof body.error === 'object' && body.error !== null) {
    const e = body.error;
    return new ApiError(response.status, String(e.code ?? 'Error'), String(e.message ?? response.statusText), e.target === undefined ? undefined : String(e.target), requestId);
  }
  // The token endpoint: {"error": "invalid_grant", "error_description": "AADSTS50126: ... Trace ID: ..."}.
  if (body && typeof body.error === 'string') {
    const description = String(body.error_description ?? body.error).replace(/\s+Trace ID:.*$/s, '');
    return new ApiError(response.status, body.error, description, undefined, requestId);
  }
  return new ApiError(response.status, 'HttpError', `${response.status} ${response.statusText}`.trim(), undefined, requestId);
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'Error', err instanceof Error ? err.message : String(err));
}

// ---- React hooks ------------------------------------------------------------------------------------

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  /** True until the first answer, and while a reload or a new request is under way. */
  readonly loading: boolean;
  readonly reload: () => void;
}

export interface LoadOptions {
  /** Reload every `poll` milliseconds after the previous answer (live screens). */
  readonly poll?: number;
}

/**
 * Runs `load` when `deps` change (and on reload or every `poll` ms), keeping the last data while it
 * reloads so a live screen does not flicker. A superseded or unmounted load is aborted.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: DependencyList, options: LoadOptions = {}): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: load !== null });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  // Other data: forget what was shown.
  useEffect(() => setState({ loading: latest.current !== null }), deps);

  useEffect(() => {
    if (!latest.current) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      setState((s) => (s.loading ? s : { ...s, loading: true }));
      try {
        const data = await latest.current!(controller.signal);
        if (!controller.signal.aborted) setState({ data, loading: false });
      } catch (err) {
        if (controller.signal.aborted) return;
        setState((s) => ({ data: s.data, error: asApiError(err), loading: false }));
      }
      if (options.poll && !controller.signal.aborted) timer = setTimeout(run, options.poll);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick, options.poll]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** GET a Graph path as the signed-in user (null: nothing to load yet). */
export function useGraph<T = any>(path: string | null, options: LoadOptions = {}): Resource<T> {
  return useLoad(path === null ? null : (signal) => graph<T>('GET', path, undefined, { signal }), [path], options);
}

/** GET a control API path (below /_tarmac) with the control key (null: nothing to load yet). */
export function useControl<T = any>(path: string | null, options: LoadOptions = {}): Resource<T> {
  return useLoad(path === null ? null : (signal) => control<T>('GET', path, undefined, { signal }), [path], options);
}
