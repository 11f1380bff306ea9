// Who is signed in: the control key (for /_tarmac only), the tenant, the user and their delegated token.
// A tiny store kept in localStorage so a reload stays signed in; React reads it with useSession().
import { useSyncExternalStore } from 'react';

export interface Tenant {
  readonly tenantId: string;
  readonly domain: string;
  readonly displayName: string;
  /** The tenant's admin application: the public client users sign in with. */
  readonly adminClientId: string | null;
}

export interface SignedInUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
}

export interface SignedIn {
  readonly tenant: Tenant;
  readonly user: SignedInUser;
  /** Delegated Graph access token from the tenant's token endpoint. */
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface SessionState {
  readonly controlKey: string | null;
  readonly signedIn: SignedIn | null;
  /** The tenant chosen last, preselected by the sign-in form. */
  readonly lastTenantId: string | null;
  /** Why the user was sent back to sign in (an expired token, a refused key), shown on the sign-in form. */
  readonly notice: string | null;
}

const KEYS = { controlKey: 'tarmac.controlKey', signedIn: 'tarmac.signedIn', lastTenantId: 'tarmac.lastTenantId' } as const;

let state: SessionState | undefined;
const listeners = new Set<() => void>();

function load(): SessionState {
  const signedIn = parse<SignedIn>(localStorage.getItem(KEYS.signedIn));
  return {
    controlKey: localStorage.getItem(KEYS.controlKey),
    signedIn: signedIn && signedIn.expiresAt > Date.now() ? signedIn : null,
    lastTenantId: localStorage.getItem(KEYS.lastTenantId),
    notice: null,
  };
}

function parse<T>(text: string | null): T | null {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, value);
}

function update(next: Partial<SessionState>): void {
  state = { ...getSession(), ...next };
  store(KEYS.controlKey, state.controlKey);
  store(KEYS.signedIn, state.signedIn ? JSON.stringify(state.signedIn) : null);
  store(KEYS.lastTenantId, state.lastTenantId);
  for (const listener of listeners) listener();
}

export function getSession(): SessionState {
  state ??= load();
  return state;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession);
}

/** The signed-in session; for components that only render when someone is signed in. */
export function useSignedIn(): SignedIn {
  const { signedIn } = useSession();
  if (!signedIn) throw new Error('useSignedIn() outside a signed-in session');
  return signedIn;
}

/** Stores the control key (null forgets it, and with it the sign-in, which needs the key's tenant list). */
export function setControlKey(controlKey: string | null, notice: string | null = null): void {
  update(controlKey === null ? { controlKey, signedIn: null, notice } : { controlKey, notice });
}

export function setSignedIn(signedIn: SignedIn): void {
  update({ signedIn, lastTenantId: signedIn.tenant.tenantId, notice: null });
}

/** Forgets the token (the control key stays); `lastTenantId` preselects a tenant on the sign-in form. */
export function signOut(notice: string | null = null, lastTenantId?: string): void {
  update({ signedIn: null, notice, ...(lastTenantId ? { lastTenantId } : {}) });
}
