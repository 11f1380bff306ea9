// Access tokens: RS256 JWTs shaped like the ones Entra issues for Microsoft Graph (graph-api.md §11.3),
// signed by keys kept in the database so every server process can verify every token.
import { createHash } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import type { Db } from '../store/db.js';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { unauthorized } from '../graph/errors.js';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', GRAPH_APP_ID] as const;
const TOKEN_LIFETIME_SECONDS = 3599;

/** Who is calling, as established from a verified token. */
export interface Principal {
  readonly tenantId: string;
  readonly kind: 'app' | 'user';
  readonly appId: string;
  /** The service principal's object id for app tokens, the user's for delegated tokens. */
  readonly objectId: string;
  /** Application roles (`roles`) or delegated scopes (`scp`). */
  readonly permissions: ReadonlySet<string>;
  readonly upn?: string;
}

interface SigningKey {
  readonly kid: string;
  readonly x5t: string;
  readonly privateKey: CryptoKey | Uint8Array;
  readonly publicKey: CryptoKey | Uint8Array;
  readonly publicJwk: JWK;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

export interface AppTokenInput {
  tenantId: string;
  appId: string;
  servicePrincipalId: string;
  appDisplayName: string;
  roles: readonly string[];
}

export interface UserTokenInput {
  tenantId: string;
  appId: string;
  userId: string;
  upn: string;
  name: string;
  scopes: readonly string[];
}

const CACHE_LIMIT = 10_000;

export class TokenService {
  private keys = new Map<string, SigningKey>();
  private current?: SigningKey;
  // Verified tokens by their text: a token never changes meaning, so another process cannot make this wrong.
  private verified = new Map<string, { principal: Principal; exp: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Loads the signing keys, creating the first one if the database has none. */
  async init(): Promise<void> {
    await this.loadKeys();
    if (this.keys.size === 0) {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const kid = createHash('sha256').update(newId()).digest('base64url').slice(0, 27);
      await this.db.kysely
        .insertInto('signing_keys')
        .values({
          kid,
          private_jwk: JSON.stringify(await exportJWK(privateKey)),
          public_jwk: JSON.stringify(await exportJWK(publicKey)),
          created_at: new Date(this.clock.now()).toISOString(),
        })
        .execute();
      await this.loadKeys();
    }
  }

  private async loadKeys(): Promise<void> {
    const rows = await this.db.kysely.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
    for (const row of rows) {
      if (this.keys.has(row.kid)) continue;
      const publicJwk = JSON.parse(row.public_jwk) as JWK;
      const key: SigningKey = {
        kid: row.kid,
        x5t: row.kid,
        privateKey: await importJWK(JSON.parse(row.private_jwk), 'RS256'),
        publicKey: await importJWK(publicJwk, 'RS256'),
        publicJwk,
      };
      this.keys.set(row.kid, key);
    }
    // Every process signs with the oldest key, so tokens look alike whichever process issued them.
    if (rows.length > 0) this.current = this.keys.get(rows[0]!.kid);
  }

  /** The JSON Web Key Set published at the tenant's jwks_uri, including keys other processes created. */
  async publishedKeys(): Promise<{ keys: JWK[] }> {
    await this.loadKeys();
    return this.jwks();
  }

  jwks(): { keys: JWK[] } {
    return {
      keys: [...this.keys.values()].map((k) => ({ ...k.publicJwk, kid: k.kid, x5t: k.x5t, use: 'sig', alg: 'RS256', kty: 'RSA' })),
    };
  }

  async issueAppToken(input: AppTokenInput): Promise<IssuedToken> {
    return this.sign({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${input.tenantId}/`,
      app_displayname: input.appDisplayName,
      appid: input.appId,
      appidacr: '1',
      idtyp: 'app',
      oid: input.servicePrincipalId,
      sub: input.servicePrincipalId,
      tid: input.tenantId,
      roles: [...input.roles],
      ver: '1.0',
    });
  }

  async issueUserToken(input: UserTokenInput): Promise<IssuedToken> {
    return this.sign({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${input.tenantId}/`,
      appid: input.appId,
      appidacr: '0',
      idtyp: 'user',
      name: input.name,
      oid: input.userId,
      sub: input.userId,
      tid: input.tenantId,
      upn: input.upn,
      unique_name: input.upn,
      scp: input.scopes.join(' '),
      ver: '1.0',
    });
  }

  /** An OpenID Connect id_token for the user, addressed to the client application. */
  async issueIdToken(input: { tenantId: string; appId: string; userId: string; upn: string; name: string; issuer: string }) {
    const { accessToken } = await this.sign({
      aud: input.appId,
      iss: input.issuer,
      sub: input.userId,
      oid: input.userId,
      tid: input.tenantId,
      name: input.name,
      preferred_username: input.upn,
      ver: '2.0',
    });
    return accessToken;
  }

  private async sign(claims: Record<string, unknown>): Promise<IssuedToken> {
    const key = this.current;
    if (!key) throw new Error('token service not initialised');
    const now = Math.floor(this.clock.now() / 1000);
    const accessToken = await new SignJWT({ ...claims, uti: newId().replace(/-/g, '').slice(0, 22) })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.x5t })
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .sign(key.privateKey);
    return { accessToken, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  /** Checks signature, lifetime and audience of a Graph access token; throws a Graph 401 otherwise. */
  async verify(token: string): Promise<Principal> {
    const nowSeconds = this.clock.now() / 1000;
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.exp <= nowSeconds) throw unauthorized('Lifetime validation failed, the token is expired.');
      return hit.principal;
    }
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw unauthorized('IDX14100: JWT is not well formed, there are no dots (.).');
    }
    let key = kid ? this.keys.get(kid) : undefined;
    if (!key && kid) {
      await this.loadKeys(); // another process may have created it
      key = this.keys.get(kid);
    }
    if (!key) throw unauthorized('Access token validation failure. Invalid signature.');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key.publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw unauthorized('Lifetime validation failed, the token is expired.');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw unauthorized('Access token has expired or is not yet valid.');
      throw unauthorized('Access token validation failure. Invalid signature.');
    }
    if (!GRAPH_AUDIENCES.includes(payload.aud as (typeof GRAPH_AUDIENCES)[number])) {
      throw unauthorized('Access token validation failure. Invalid audience.');
    }
    const principal = toPrincipal(payload);
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, exp: Number(payload.exp) });
    return principal;
  }
}

function toPrincipal(p: Record<string, unknown>): Principal {
  const tenantId = p.tid;
  const objectId = p.oid;
  const appId = p.appid ?? p.azp;
  if (typeof tenantId !== 'string' || typeof objectId !== 'string' || typeof appId !== 'string') {
    throw unauthorized('Access token validation failure. The token is missing required claims.');
  }
  const isUser = typeof p.scp === 'string';
  const permissions = isUser ? (p.scp as string).split(' ').filter(Boolean) : Array.isArray(p.roles) ? p.roles : [];
  return {
    tenantId,
    kind: isUser ? 'user' : 'app',
    appId,
    objectId,
    permissions: new Set(permissions.map(String)),
    ...(typeof p.upn === 'string' ? { upn: p.upn } : {}),
  };
}
