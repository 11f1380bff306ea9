// Application registrations and their client secrets (`addPassword` / `removePassword`).
// Source: Graph docs application-post-applications.md, application-addpassword.md.
import { createHash, randomBytes } from 'node:crypto';
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError, badRequest, resourceNotFound } from '../graph/errors.js';
import { invalidValue, validateBody, type BodyRules } from '../graph/validate.js';
import { applicationShape } from '../graph/schema/shapes.js';
import { deleteLinksOf } from '../directory/links.js';
import type { GraphObject } from '../directory/objects.js';

const RULES: BodyRules = {
  resource: 'Application',
  readOnly: ['id', 'appId', 'createdDateTime', 'passwordCredentials', 'publisherDomain'],
  maxLength: { displayName: 256, description: 1024 },
};

interface StoredSecret {
  keyId: string;
  hash: string;
  endDateTime: string;
}

const SIGN_IN_AUDIENCES = new Set(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);
const DEFAULT_SECRET_LIFETIME_MS = 2 * 365 * 24 * 3600 * 1000;

export async function createApplication(scope: Scope, body: Record<string, unknown>, appId: string = newId()): Promise<GraphObject> {
  const input = validateBody(body, applicationShape, RULES);
  if (typeof input.displayName !== 'string' || input.displayName.trim() === '') {
    throw new GraphError(400, 'Request_BadRequest', "Property 'displayName' is required when creating the object.", { target: 'displayName' });
  }
  if (input.signInAudience !== undefined && !SIGN_IN_AUDIENCES.has(String(input.signInAudience))) throw invalidValue('signInAudience', 'Application');
  const id = newId();
  const data: Record<string, unknown> = {
    description: null,
    identifierUris: [],
    keyCredentials: [],
    notes: null,
    requiredResourceAccess: [],
    signInAudience: 'AzureADMyOrg',
    tags: [],
    ...input,
    appId,
    createdDateTime: isoNow(scope.clock),
    passwordCredentials: [],
  };
  await scope.db.insertInto('applications').values({ tenant_id: scope.tenantId, id, app_id: appId, data: writeJson(data), secrets: '[]' }).execute();
  return { id, ...data };
}

export async function updateApplication(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const patch = validateBody(body, applicationShape, RULES);
  await inTransaction(scope, async (tx) => {
    const row = await findApplicationRow(tx, id);
    const data = { ...readJson(row.data), ...patch };
    await tx.db.updateTable('applications').set({ data: writeJson(data) }).where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
  });
}

export async function deleteApplication(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const row = await findApplicationRow(tx, id);
    await tx.db.deleteFrom('applications').where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await deleteLinksOf(tx, row.id);
  });
}

export async function getApplication(scope: Scope, id: string): Promise<GraphObject> {
  const row = await findApplicationRow(scope, id);
  return { id: row.id, ...readJson(row.data) };
}

export async function findApplicationRow(scope: Scope, id: string) {
  const row = isGuid(id)
    ? await scope.db.selectFrom('applications').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id.toLowerCase()).executeTakeFirst()
    : undefined;
  if (!row) throw resourceNotFound(id);
  return row;
}

export async function findApplicationByAppId(scope: Scope, appId: string) {
  return scope.db.selectFrom('applications').selectAll().where('tenant_id', '=', scope.tenantId).where('app_id', '=', appId.toLowerCase()).executeTakeFirst();
}

/** `addPassword`: returns the credential with its `secretText`, the only time the secret is shown. */
export async function addPassword(scope: Scope, id: string, body: Record<string, unknown>, fixedSecret?: string): Promise<Record<string, unknown>> {
  const requested = (body.passwordCredential ?? {}) as Record<string, unknown>;
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) throw invalidValue('passwordCredential', 'Application');
  if (requested.displayName !== undefined && requested.displayName !== null && (typeof requested.displayName !== 'string' || requested.displayName.length > 256)) {
    throw invalidValue('passwordCredential.displayName', 'Application');
  }
  const now = scope.clock.now();
  const end = requested.endDateTime === undefined ? now + DEFAULT_SECRET_LIFETIME_MS : Date.parse(String(requested.endDateTime));
  if (Number.isNaN(end) || end <= now) throw badRequest('The passwordCredential endDateTime must be a date in the future.', 'passwordCredential.endDateTime');
  const secretText = fixedSecret ?? randomBytes(30).toString('base64url');
  const credential = {
    customKeyIdentifier: null,
    displayName: (requested.displayName as string | undefined) ?? null,
    endDateTime: new Date(end).toISOString(),
    hint: secretText.slice(0, 3),
    keyId: newId(),
    secretText,
    startDateTime: new Date(now).toISOString(),
  };
  return inTransaction(scope, async (tx) => {
    const row = await findApplicationRow(tx, id);
    const data = readJson(row.data);
    const { secretText: _s, ...publicPart } = credential;
    data.passwordCredentials = [...((data.passwordCredentials as unknown[]) ?? []), { ...publicPart, secretText: null }];
    const secrets: StoredSecret[] = [...JSON.parse(row.secrets), { keyId: credential.keyId, hash: hashSecret(secretText), endDateTime: credential.endDateTime }];
    await tx.db
      .updateTable('applications')
      .set({ data: writeJson(data), secrets: JSON.stringify(secrets) })
      .where('tenant_id', '=', tx.tenantId)
      .where('id', '=', row.id)
      .execute();
    return credential;
  });
}

export async function removePassword(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const keyId = body.keyId;
  if (typeof keyId !== 'string' || !isGuid(keyId)) throw invalidValue('keyId', 'Application');
  await inTransaction(scope, async (tx) => {
    const row = await findApplicationRow(tx, id);
    const secrets = (JSON.parse(row.secrets) as StoredSecret[]).filter((s) => s.keyId !== keyId.toLowerCase());
    const data = readJson(row.data);
    const before = (data.passwordCredentials as { keyId: string }[]) ?? [];
    const after = before.filter((c) => c.keyId !== keyId.toLowerCase());
    if (after.length === before.length) throw badRequest(`No password credential with keyId '${keyId}' exists on this application.`, 'keyId');
    data.passwordCredentials = after;
    await tx.db
      .updateTable('applications')
      .set({ data: writeJson(data), secrets: JSON.stringify(secrets) })
      .where('tenant_id', '=', tx.tenantId)
      .where('id', '=', row.id)
      .execute();
  });
}

/** Checks a client secret against the application's unexpired credentials. */
export function secretMatches(secretsJson: string, secret: string, nowMs: number): boolean {
  const hash = hashSecret(secret);
  return (JSON.parse(secretsJson) as StoredSecret[]).some((s) => s.hash === hash && Date.parse(s.endDateTime) > nowMs);
}

// Client secrets are long random strings, so a plain SHA-256 is a sound way to keep only a verifier.
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');
