// "Users may join devices to Microsoft Entra": the tenant's deviceRegistrationPolicy (tutorial step 2).
// Source: Graph docs deviceregistrationpolicy.md and deviceregistrationpolicy-update.md (graph-api.md §2):
// updated with PUT carrying every updatable property; an omitted userDeviceQuota becomes 0.
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isGuid } from '../core/ids.js';
import { readJson, writeJson } from '../store/db.js';
import { GraphError, badRequest } from '../graph/errors.js';
import { invalidValue } from '../graph/validate.js';
import { findObject } from './objects.js';

export const DEVICE_REGISTRATION_POLICY_ID = 'deviceRegistrationPolicy';
const KIND = 'deviceRegistrationPolicy';
const RESOURCE = 'deviceRegistrationPolicy';

export const ALL = '#microsoft.graph.allDeviceRegistrationMembership';
export const ENUMERATED = '#microsoft.graph.enumeratedDeviceRegistrationMembership';
export const NONE = '#microsoft.graph.noDeviceRegistrationMembership';

export interface Membership {
  '@odata.type': string;
  users?: string[];
  groups?: string[];
}

/** A new tenant's settings: everyone may join, registering users become local administrators. */
export function defaultDeviceRegistrationPolicy(): Record<string, unknown> {
  return {
    displayName: 'Device Registration Policy',
    description: 'Tenant-wide policy that manages initial provisioning controls using quota restrictions, additional authentication and authorization checks',
    userDeviceQuota: 50,
    multiFactorAuthConfiguration: 'notRequired',
    azureADRegistration: { isAdminConfigurable: false, allowedToRegister: { '@odata.type': ALL } },
    azureADJoin: {
      isAdminConfigurable: true,
      allowedToJoin: { '@odata.type': ALL },
      localAdmins: { enableGlobalAdmins: true, registeringUsers: { '@odata.type': ALL } },
    },
    localAdminPassword: { isEnabled: false },
  };
}

export async function getDeviceRegistrationPolicy(scope: Scope): Promise<Record<string, unknown>> {
  const row = await scope.db
    .selectFrom('policies')
    .select('data')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', DEVICE_REGISTRATION_POLICY_ID)
    .executeTakeFirst();
  return { id: DEVICE_REGISTRATION_POLICY_ID, ...(row ? readJson(row.data) : defaultDeviceRegistrationPolicy()) };
}

export async function putDeviceRegistrationPolicy(scope: Scope, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const allowed = new Set(['id', 'displayName', 'description', 'userDeviceQuota', 'multiFactorAuthConfiguration', 'azureADRegistration', 'azureADJoin', 'localAdminPassword']);
  for (const key of Object.keys(body)) {
    if (!key.startsWith('@odata.') && !allowed.has(key)) {
      throw new GraphError(400, 'Request_BadRequest', `Property '${key}' does not exist as a declared property or extension property.`, { target: key });
    }
  }
  return inTransaction(scope, async (tx) => {
    const { id: _id, ...current } = await getDeviceRegistrationPolicy(tx);
    const next: Record<string, unknown> = { ...current };

    const quota = body.userDeviceQuota ?? 0;
    if (typeof quota !== 'number' || !Number.isInteger(quota) || quota < 0 || quota > 2_147_483_647) throw invalidValue('userDeviceQuota', RESOURCE);
    next.userDeviceQuota = quota;

    if (body.multiFactorAuthConfiguration !== undefined) {
      if (body.multiFactorAuthConfiguration !== 'notRequired' && body.multiFactorAuthConfiguration !== 'required') {
        throw invalidValue('multiFactorAuthConfiguration', RESOURCE);
      }
      next.multiFactorAuthConfiguration = body.multiFactorAuthConfiguration;
    }
    if (body.azureADRegistration !== undefined) {
      const reg = objectProp(body, 'azureADRegistration');
      const currentReg = current.azureADRegistration as Record<string, unknown>;
      const allowedToRegister = await membership(tx, reg.allowedToRegister ?? currentReg.allowedToRegister, 'azureADRegistration.allowedToRegister');
      if (!currentReg.isAdminConfigurable && !sameMembership(allowedToRegister, currentReg.allowedToRegister as Membership)) {
        throw badRequest('azureADRegistration cannot be changed: it is not admin configurable while Microsoft Intune manages device registration.', 'azureADRegistration');
      }
      next.azureADRegistration = { ...currentReg, allowedToRegister };
    }
    if (body.azureADJoin !== undefined) {
      const join = objectProp(body, 'azureADJoin');
      const currentJoin = current.azureADJoin as Record<string, unknown>;
      const localAdmins = join.localAdmins === undefined ? currentJoin.localAdmins : await localAdminSettings(tx, join.localAdmins);
      next.azureADJoin = {
        isAdminConfigurable: currentJoin.isAdminConfigurable,
        allowedToJoin: await membership(tx, join.allowedToJoin ?? currentJoin.allowedToJoin, 'azureADJoin.allowedToJoin'),
        localAdmins,
      };
    }
    if (body.localAdminPassword !== undefined) {
      const laps = objectProp(body, 'localAdminPassword');
      if (typeof laps.isEnabled !== 'boolean') throw invalidValue('localAdminPassword.isEnabled', RESOURCE);
      next.localAdminPassword = { isEnabled: laps.isEnabled };
    }
    await tx.db
      .insertInto('policies')
      .values({ tenant_id: tx.tenantId, id: DEVICE_REGISTRATION_POLICY_ID, kind: KIND, data: writeJson(next) })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet({ data: writeJson(next) }))
      .execute();
    return { id: DEVICE_REGISTRATION_POLICY_ID, ...next };
  });
}

/** The properties each nested type declares; Graph refuses any other. */
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  azureADRegistration: ['isAdminConfigurable', 'allowedToRegister'],
  azureADJoin: ['isAdminConfigurable', 'allowedToJoin', 'localAdmins'],
  'azureADJoin.localAdmins': ['enableGlobalAdmins', 'registeringUsers'],
  localAdminPassword: ['isEnabled'],
};

function onlyMembers(value: Record<string, unknown>, field: string, members: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!key.startsWith('@odata.') && !members.includes(key)) {
      throw badRequest(`The property '${key}' does not exist on '${field}'. Make sure to only use property names that are defined by the type.`, `${field}.${key}`);
    }
  }
}

function objectProp(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidValue(name, RESOURCE);
  onlyMembers(value as Record<string, unknown>, name, MEMBERS[name]!);
  return value as Record<string, unknown>;
}

async function localAdminSettings(scope: Scope, value: unknown) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidValue('azureADJoin.localAdmins', RESOURCE);
  const v = value as Record<string, unknown>;
  onlyMembers(v, 'azureADJoin.localAdmins', MEMBERS['azureADJoin.localAdmins']!);
  if (v.enableGlobalAdmins !== undefined && typeof v.enableGlobalAdmins !== 'boolean') {
    throw invalidValue('azureADJoin.localAdmins.enableGlobalAdmins', RESOURCE);
  }
  return {
    enableGlobalAdmins: v.enableGlobalAdmins ?? true,
    registeringUsers: await membership(scope, v.registeringUsers ?? { '@odata.type': ALL }, 'azureADJoin.localAdmins.registeringUsers'),
  };
}

/** Validates an all / enumerated / none membership; enumerated users and groups must exist. */
async function membership(scope: Scope, value: unknown, field: string): Promise<Membership> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidValue(field, RESOURCE);
  const v = value as Record<string, unknown>;
  const type = v['@odata.type'];
  if (type !== ALL && type !== NONE && type !== ENUMERATED) {
    throw badRequest(`'${field}' must have an '@odata.type' of ${ALL}, ${ENUMERATED} or ${NONE}.`, field);
  }
  onlyMembers(v, field, type === ENUMERATED ? ['users', 'groups'] : []);
  if (type === ALL || type === NONE) return { '@odata.type': type };
  const users = await idList(scope, v.users, 'user', `${field}.users`);
  const groups = await idList(scope, v.groups, 'group', `${field}.groups`);
  return { '@odata.type': ENUMERATED, users, groups };
}

async function idList(scope: Scope, value: unknown, kind: 'user' | 'group', field: string): Promise<string[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 1000) throw invalidValue(field, RESOURCE);
  const ids: string[] = [];
  for (const id of value) {
    if (typeof id !== 'string' || !isGuid(id)) throw invalidValue(field, RESOURCE);
    if (!(await findObject(scope, id.toLowerCase(), [kind]))) throw badRequest(`The ${kind} '${id}' in '${field}' does not exist.`, field);
    ids.push(id.toLowerCase());
  }
  return [...new Set(ids)];
}

function sameMembership(a: Membership, b: Membership): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
