// Users: create, read, update, delete, with Entra's rules for required properties, the userPrincipalName
// (verified domain, unique per tenant) and password complexity.
// Source: Graph docs "Create user" (user-post-users.md) and "Update user" (user-update.md).
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { hashPassword, meetsComplexity } from '../core/password.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError, badRequest, resourceNotFound } from '../graph/errors.js';
import { validateBody, invalidValue, type BodyRules } from '../graph/validate.js';
// Writes accept beta's properties too; v1.0 responses leave the beta-only ones out.
import { userBetaShape as userShape } from '../graph/schema/shapes.js';
import type { GraphObject } from './objects.js';
import { addLink, deleteLinksOf, linkSources, linkTargets, removeLink } from './links.js';
import { idFromReference } from './objects.js';
import { reevaluateObject } from './dynamic-membership.js';

const RULES: BodyRules = {
  resource: 'User',
  readOnly: ['id', 'createdDateTime', 'deletedDateTime', 'creationType', 'securityIdentifier', 'assignedPlans', 'provisionedPlans'],
  maxLength: {
    displayName: 256,
    givenName: 64,
    surname: 64,
    mailNickname: 64,
    userPrincipalName: 113,
    jobTitle: 128,
    department: 64,
    companyName: 64,
    city: 128,
    state: 128,
    country: 128,
    postalCode: 40,
    officeLocation: 128,
    employeeId: 16,
    employeeType: 64,
    usageLocation: 2,
    mobilePhone: 64,
    preferredLanguage: 64,
  },
};

const REQUIRED_ON_CREATE = ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile'] as const;

/** Properties v1.0 returns when no $select is given (Graph docs "Get user", "List users"). */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

const UPN = /^[A-Za-z0-9.'_!#^~+\-&]{1,64}@([A-Za-z0-9-]+\.)+[A-Za-z0-9-]+$/;

export async function createUser(scope: Scope, body: Record<string, unknown>): Promise<GraphObject> {
  const input = validateBody(body, userShape, RULES);
  for (const name of REQUIRED_ON_CREATE) {
    if (input[name] === undefined || input[name] === null) {
      throw new GraphError(400, 'Request_BadRequest', `Property '${name}' is required when creating the object.`, { target: name });
    }
  }
  const password = passwordFrom(input.passwordProfile);
  if (password === undefined) throw invalidValue('passwordProfile', 'User');
  const upn = String(input.userPrincipalName);
  const id = newId();
  const data: Record<string, unknown> = {
    businessPhones: [],
    mail: null,
    userType: 'Member',
    ...input,
    passwordProfile: withoutPassword(input.passwordProfile),
    createdDateTime: isoNow(scope.clock),
    identities: [{ signInType: 'userPrincipalName', issuer: upn.split('@')[1], issuerAssignedId: upn }],
  };
  return inTransaction(scope, async (tx) => {
    await checkUpnAvailable(tx, upn);
    await tx.db
      .insertInto('users')
      .values({ tenant_id: tx.tenantId, id, upn_key: upn.toLowerCase(), data: writeJson(data), password_hash: hashPassword(password) })
      .execute();
    await reevaluateObject(tx, 'user', id);
    return { id, ...data };
  });
}

export async function updateUser(scope: Scope, idOrUpn: string, body: Record<string, unknown>): Promise<void> {
  const patch = validateBody(body, userShape, RULES);
  await inTransaction(scope, async (tx) => {
    const row = await findUserRow(tx, idOrUpn);
    const data = { ...readJson(row.data), ...patch };
    const values: { data: string; upn_key?: string; password_hash?: string } = { data: '' };
    if (patch.userPrincipalName !== undefined) {
      const upn = patch.userPrincipalName;
      if (typeof upn !== 'string') throw invalidValue('userPrincipalName', 'User');
      if (upn.toLowerCase() !== row.upn_key) {
        await checkUpnAvailable(tx, upn);
      }
      values.upn_key = upn.toLowerCase();
    }
    if (patch.passwordProfile !== undefined) {
      const password = passwordFrom(patch.passwordProfile);
      if (password === undefined) throw invalidValue('passwordProfile', 'User');
      values.password_hash = hashPassword(password);
      data.passwordProfile = withoutPassword(patch.passwordProfile);
    }
    values.data = writeJson(data);
    await tx.db.updateTable('users').set(values).where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await reevaluateObject(tx, 'user', row.id);
  });
}

export async function deleteUser(scope: Scope, idOrUpn: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const row = await findUserRow(tx, idOrUpn);
    const reports = await linkSources(tx, 'manager', row.id);
    await tx.db.deleteFrom('users').where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await deleteLinksOf(tx, row.id);
    // Their reports have no manager now: Direct Reports rules drop them.
    for (const report of reports) await reevaluateObject(tx, 'user', report);
  });
}

export async function getUser(scope: Scope, idOrUpn: string): Promise<GraphObject> {
  const row = await findUserRow(scope, idOrUpn);
  return { id: row.id, ...readJson(row.data) };
}

/** `/users/{id | userPrincipalName}`: Graph accepts either key. */
export async function findUserRow(scope: Scope, idOrUpn: string) {
  const query = scope.db.selectFrom('users').selectAll().where('tenant_id', '=', scope.tenantId);
  const row = isGuid(idOrUpn)
    ? await query.where('id', '=', idOrUpn.toLowerCase()).executeTakeFirst()
    : await query.where('upn_key', '=', idOrUpn.toLowerCase()).executeTakeFirst();
  if (!row) throw resourceNotFound(idOrUpn);
  return row;
}

/** The UPN is well formed, in the tenant's verified domain, and not taken (one query for both facts). */
async function checkUpnAvailable(scope: Scope, upn: string): Promise<void> {
  if (!UPN.test(upn)) throw invalidValue('userPrincipalName', 'User');
  const facts = await scope.db
    .selectNoFrom((eb) => [
      eb.selectFrom('tenants').select('domain').where('id', '=', scope.tenantId).as('domain'),
      eb.selectFrom('users').select('id').where('tenant_id', '=', scope.tenantId).where('upn_key', '=', upn.toLowerCase()).as('taken'),
    ])
    .executeTakeFirstOrThrow();
  const domain = upn.slice(upn.indexOf('@') + 1).toLowerCase();
  if (domain !== String(facts.domain).toLowerCase()) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
      { target: 'userPrincipalName' },
    );
  }
  if (facts.taken) throw upnTaken();
}

const upnTaken = () =>
  new GraphError(400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.', {
    details: [{ code: 'ObjectConflict', message: 'Another object with the same value for property userPrincipalName already exists.', target: 'userPrincipalName' }],
  });

function passwordFrom(profile: unknown): string | undefined {
  if (!profile || typeof profile !== 'object') return undefined;
  const password = (profile as Record<string, unknown>).password;
  if (typeof password !== 'string') return undefined;
  if (!meetsComplexity(password)) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
      { target: 'passwordProfile' },
    );
  }
  return password;
}

/** Graph never returns a password: passwordProfile reads back with `password: null`. */
function withoutPassword(profile: unknown): Record<string, unknown> {
  return { forceChangePasswordNextSignIn: false, forceChangePasswordNextSignInWithMfa: false, ...(profile as object), password: null };
}

/** `PUT /users/{id}/manager/$ref`: sets (or replaces) the user's manager. */
export async function setManager(scope: Scope, idOrUpn: string, body: Record<string, unknown>): Promise<void> {
  const ref = body['@odata.id'];
  if (typeof ref !== 'string') throw badRequest("The request body must contain '@odata.id' with a reference URL.", '@odata.id');
  const managerId = idFromReference(ref);
  if (!managerId) throw badRequest(`Invalid object identifier '${ref}'.`, '@odata.id');
  await inTransaction(scope, async (tx) => {
    const user = await findUserRow(tx, idOrUpn);
    const manager = await findUserRow(tx, managerId);
    if (manager.id === user.id) throw badRequest('A user cannot be their own manager.', '@odata.id');
    for (const current of await linkTargets(tx, 'manager', user.id)) await removeLink(tx, 'manager', user.id, current.id);
    await addLink(tx, 'manager', user.id, { id: manager.id, kind: 'user' });
    await reevaluateObject(tx, 'user', user.id); // Direct Reports rules
  });
}

export async function removeManager(scope: Scope, idOrUpn: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const user = await findUserRow(tx, idOrUpn);
    const [current] = await linkTargets(tx, 'manager', user.id);
    if (!current) throw resourceNotFound('manager');
    await removeLink(tx, 'manager', user.id, current.id);
    await reevaluateObject(tx, 'user', user.id); // Direct Reports rules
  });
}

export const managerOf = (scope: Scope, userId: string) => linkTargets(scope, 'manager', userId);
export const directReportsOf = async (scope: Scope, userId: string) =>
  (await linkSources(scope, 'manager', userId)).map((id) => ({ id, kind: 'user' as const }));
