// Automatic MDM enrollment (the "MDM user scope", tutorial step 1): beta
// /policies/mobileDeviceManagementPolicies. Source: Graph beta docs mobilitymanagementpolicy.md and
// mobiledevicemanagementpolicies-update.md (graph-api.md §3): appliesTo is patched on its own, `selected`
// comes from adding includedGroups, and setting `all` or `none` clears the groups.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError, badRequest, resourceNotFound } from '../graph/errors.js';
import { invalidValue } from '../graph/validate.js';
import { findObject, idFromReference } from './objects.js';
import { addLink, linkTargets, removeLink } from './links.js';

export const INTUNE_MDM_APP_ID = '0000000a-0000-0000-c000-000000000000';
export const INTUNE_ENROLLMENT_APP_ID = 'd4ebce55-015a-49b5-a083-c84d1797ae8c';
const KIND = 'mobileDeviceManagementPolicy';
const RESOURCE = 'mobilityManagementPolicy';
const APPLIES_TO = new Set(['none', 'all', 'selected']);
const URL_PROPS = ['discoveryUrl', 'termsOfUseUrl', 'complianceUrl'] as const;
const PATCHABLE = new Set<string>(['appliesTo', ...URL_PROPS, 'isMdmEnrollmentDuringRegistrationDisabled']);

/** The MDM applications every Intune tenant has, with Microsoft's standard URLs. */
export function defaultMobilityPolicies(): { id: string; data: Record<string, unknown> }[] {
  return [
    {
      id: INTUNE_MDM_APP_ID,
      data: {
        displayName: 'Microsoft Intune',
        description: 'Microsoft Intune',
        appliesTo: 'none',
        discoveryUrl: 'https://enrollment.manage.microsoft.com/enrollmentserver/discovery.svc',
        termsOfUseUrl: 'https://portal.manage.microsoft.com/TermsofUse.aspx',
        complianceUrl: 'https://portal.manage.microsoft.com/?portalAction=Compliance',
        isValid: true,
      },
    },
    {
      id: INTUNE_ENROLLMENT_APP_ID,
      data: {
        displayName: 'Microsoft Intune Enrollment',
        description: 'Microsoft Intune Enrollment',
        appliesTo: 'none',
        discoveryUrl: 'https://enrollment.manage.microsoft.com/enrollmentserver/discovery.svc',
        termsOfUseUrl: 'https://portal.manage.microsoft.com/TermsofUse.aspx',
        complianceUrl: 'https://portal.manage.microsoft.com/?portalAction=Compliance',
        isValid: true,
      },
    },
  ];
}

export async function insertDefaultMobilityPolicies(scope: Scope): Promise<void> {
  for (const p of defaultMobilityPolicies()) {
    await scope.db.insertInto('policies').values({ tenant_id: scope.tenantId, id: p.id, kind: KIND, data: writeJson(p.data) }).execute();
  }
}

export async function listMobilityPolicies(scope: Scope): Promise<Record<string, unknown>[]> {
  const rows = await scope.db
    .selectFrom('policies')
    .select(['id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('kind', '=', KIND)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, ...readJson(r.data) }));
}

export async function getMobilityPolicy(scope: Scope, id: string): Promise<Record<string, unknown>> {
  const row = await scope.db
    .selectFrom('policies')
    .select(['id', 'data'])
    .where('tenant_id', '=', scope.tenantId)
    .where('kind', '=', KIND)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  if (!row) throw resourceNotFound(id);
  return { id: row.id, ...readJson(row.data) };
}

export async function updateMobilityPolicy(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(body).filter((k) => !k.startsWith('@odata.'));
  for (const key of keys) {
    if (!PATCHABLE.has(key)) {
      throw new GraphError(400, 'Request_BadRequest', `Property '${key}' does not exist as a declared property or extension property.`, { target: key });
    }
  }
  if (keys.includes('appliesTo') && keys.length > 1) {
    throw badRequest("'appliesTo' must be updated in a request of its own, without other properties.", 'appliesTo');
  }
  await inTransaction(scope, async (tx) => {
    const { id: policyId, ...data } = await getMobilityPolicy(tx, id);
    if (body.appliesTo !== undefined) {
      if (typeof body.appliesTo !== 'string' || !APPLIES_TO.has(body.appliesTo)) throw invalidValue('appliesTo', RESOURCE);
      if (body.appliesTo === 'selected') {
        throw badRequest("'appliesTo' cannot be set to 'selected'; add groups through includedGroups/$ref instead.", 'appliesTo');
      }
      data.appliesTo = body.appliesTo;
      // Scope All or None replaces the selected groups.
      for (const g of await linkTargets(tx, 'includedGroups', policyId as string)) await removeLink(tx, 'includedGroups', policyId as string, g.id);
    }
    for (const prop of URL_PROPS) {
      if (body[prop] === undefined) continue;
      const v = body[prop];
      if (v !== null && (typeof v !== 'string' || v.length > 2048 || !/^https?:\/\//i.test(v))) throw invalidValue(prop, RESOURCE);
      data[prop] = v;
    }
    if (body.isMdmEnrollmentDuringRegistrationDisabled !== undefined) {
      if (typeof body.isMdmEnrollmentDuringRegistrationDisabled !== 'boolean') throw invalidValue('isMdmEnrollmentDuringRegistrationDisabled', RESOURCE);
      data.isMdmEnrollmentDuringRegistrationDisabled = body.isMdmEnrollmentDuringRegistrationDisabled;
    }
    await saveData(tx, policyId as string, data);
  });
}

/** `POST …/includedGroups/$ref`: scopes enrollment to the group and makes the policy apply to `selected`. */
export async function addIncludedGroup(scope: Scope, id: string, body: Record<string, unknown>): Promise<void> {
  const ref = body['@odata.id'];
  if (typeof ref !== 'string') throw badRequest("The request body must contain '@odata.id' with a reference URL.", '@odata.id');
  // Also accepts Microsoft365DSC's form `{resourceUrl}odata/groups('{id}')`.
  const groupId = idFromReference(ref);
  if (!groupId) throw badRequest(`Invalid object identifier '${ref}'.`, '@odata.id');
  await inTransaction(scope, async (tx) => {
    const { id: policyId, ...data } = await getMobilityPolicy(tx, id);
    if (!(await findObject(tx, groupId, ['group']))) throw resourceNotFound(groupId);
    await addLink(tx, 'includedGroups', policyId as string, { id: groupId, kind: 'group' });
    if (data.appliesTo !== 'selected') await saveData(tx, policyId as string, { ...data, appliesTo: 'selected' });
  });
}

export async function removeIncludedGroup(scope: Scope, id: string, groupId: string): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const policy = await getMobilityPolicy(tx, id);
    await removeLink(tx, 'includedGroups', policy.id as string, groupId.toLowerCase());
  });
}

export const includedGroups = (scope: Scope, policyId: string) => linkTargets(scope, 'includedGroups', policyId.toLowerCase());

async function saveData(scope: Scope, id: string, data: Record<string, unknown>): Promise<void> {
  await scope.db.updateTable('policies').set({ data: writeJson(data) }).where('tenant_id', '=', scope.tenantId).where('id', '=', id).execute();
}
