// Service principals: an application's identity in a tenant. Created by appId for the tenant's own
// applications or for Microsoft's first-party ones (e.g. the Intune Provisioning Client that must own the
// device preparation device group). A second one for the same appId is a 409.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { isGuid, newId } from '../core/ids.js';
import { isUniqueViolation, readJson, writeJson } from '../store/db.js';
import { GraphError, conflict, resourceNotFound } from '../graph/errors.js';
import { validateBody, type BodyRules } from '../graph/validate.js';
// Writes accept beta's properties too; v1.0 responses leave the beta-only ones out.
import { servicePrincipalBetaShape as servicePrincipalShape } from '../graph/schema/shapes.js';
import { deleteLinksOf } from '../directory/links.js';
import type { GraphObject } from '../directory/objects.js';
import { findApplicationByAppId } from './applications.js';
import { isGraphPermission } from './permissions.js';

/** Microsoft's own tenant, owner of first-party applications. */
const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

export const INTUNE_PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

/** First-party applications a tenant may instantiate by appId. */
export const FIRST_PARTY_APPS: Readonly<Record<string, string>> = {
  [INTUNE_PROVISIONING_CLIENT_APP_ID]: 'Intune Provisioning Client',
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '0000000a-0000-0000-c000-000000000000': 'Microsoft Intune',
  'd4ebce55-015a-49b5-a083-c84d1797ae8c': 'Microsoft Intune Enrollment',
};

const RULES: BodyRules = {
  resource: 'ServicePrincipal',
  readOnly: ['id', 'appDisplayName', 'appOwnerOrganizationId', 'servicePrincipalNames', 'passwordCredentials', 'keyCredentials'],
  maxLength: { displayName: 256 },
};

export async function createServicePrincipal(scope: Scope, body: Record<string, unknown>, permissions: readonly string[] = []): Promise<GraphObject> {
  const input = validateBody(body, servicePrincipalShape, RULES);
  const appId = typeof input.appId === 'string' ? input.appId.toLowerCase() : undefined;
  if (!appId) throw new GraphError(400, 'Request_BadRequest', "Property 'appId' is required when creating the object.", { target: 'appId' });
  return inTransaction(scope, async (tx) => {
    const app = isGuid(appId) ? await findApplicationByAppId(tx, appId) : undefined;
    const firstParty = Object.hasOwn(FIRST_PARTY_APPS, appId) ? FIRST_PARTY_APPS[appId] : undefined;
    if (!app && !firstParty) {
      throw new GraphError(400, 'Request_BadRequest', `The appId '${input.appId}' of the service principal does not reference a valid application object.`, {
        target: 'appId',
      });
    }
    const appName = app ? (readJson(app.data).displayName as string) : firstParty!;
    const id = newId();
    const data: Record<string, unknown> = {
      accountEnabled: true,
      alternativeNames: [],
      appDescription: null,
      appDisplayName: appName,
      appOwnerOrganizationId: app ? tx.tenantId : MICROSOFT_TENANT_ID,
      appRoleAssignmentRequired: false,
      appRoles: [],
      description: null,
      displayName: appName,
      homepage: null,
      notes: null,
      preferredSingleSignOnMode: null,
      replyUrls: [],
      servicePrincipalNames: [appId],
      servicePrincipalType: 'Application',
      signInAudience: app ? readJson(app.data).signInAudience : 'AzureADMultipleOrgs',
      tags: [],
      ...input,
      appId,
      createdDateTime: isoNow(tx.clock),
      keyCredentials: [],
      passwordCredentials: [],
    };
    try {
      await tx.db
        .insertInto('service_principals')
        .values({ tenant_id: tx.tenantId, id, app_id: appId, data: writeJson(data), permissions: JSON.stringify(permissions.filter(isGraphPermission)) })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(appId);
      throw err;
    }
    return { id, ...data };
  });
}

const duplicate = (appId: string) =>
  conflict(`The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`);

export async function updateServicePrincipal(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const patch = validateBody(body, servicePrincipalShape, { ...RULES, readOnly: [...RULES.readOnly!, 'appId'] });
  await inTransaction(scope, async (tx) => {
    const row = await findServicePrincipalRow(tx, id);
    const data = { ...readJson(row.data), ...patch };
    await tx.db.updateTable('service_principals').set({ data: writeJson(data) }).where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
  });
}

export async function deleteServicePrincipal(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const row = await findServicePrincipalRow(tx, id);
    await tx.db.deleteFrom('service_principals').where('tenant_id', '=', tx.tenantId).where('id', '=', row.id).execute();
    await deleteLinksOf(tx, row.id);
  });
}

export async function getServicePrincipal(scope: Scope, id: string): Promise<GraphObject> {
  const row = await findServicePrincipalRow(scope, id);
  return { id: row.id, ...readJson(row.data) };
}

export async function findServicePrincipalRow(scope: Scope, id: string) {
  const row = isGuid(id)
    ? await scope.db.selectFrom('service_principals').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id.toLowerCase()).executeTakeFirst()
    : undefined;
  if (!row) throw resourceNotFound(id);
  return row;
}

export async function findServicePrincipalByAppId(scope: Scope, appId: string) {
  return scope.db.selectFrom('service_principals').selectAll().where('tenant_id', '=', scope.tenantId).where('app_id', '=', appId.toLowerCase()).executeTakeFirst();
}
