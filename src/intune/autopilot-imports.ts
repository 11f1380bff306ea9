// Autopilot imports (/deviceManagement/importedWindowsAutopilotDeviceIdentities): a client uploads hardware
// hashes, one by one (`POST`, as Get-WindowsAutopilotInfo -Online does) or many at once (`import`), and reads
// each upload's `state` until it is complete or in error, then deletes the upload records.
// Tarmac processes an import synchronously: the records it returns already say complete (with
// `deviceRegistrationId`, the new windowsAutopilotDeviceIdentity's id) or error (deviceErrorCode and
// deviceErrorName), where Intune answers `pending` (or `unknown`) first and finishes minutes later.
// Sources: Graph importedWindowsAutopilotDeviceIdentity and its import action (graph-api.md §6.2); the
// WindowsAutopilotIntune module (Add-AutopilotImportedDevice, Import-AutopilotCSV).
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { orderedId } from '../core/ordered-ids.js';
import { sql, type SqlBool } from 'kysely';
import { noContent, ok, requireObjectBody, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, type CollectionSource, countCollection } from '../graph/collection.js';
import type { PropType, ResourceShape } from '../graph/odata/shape.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { intuneBadRequest, intuneNotFound, textOf } from './errors.js';
import { checkStorable } from './value-checks.js';
import { getIntuneObject, type IntuneObject } from './resource.js';
import { insertIntuneRows } from './intune-batch.js';
import { isBase64, notBinaryMessage } from './hardware-hash.js';
import { registerAutopilotDevices, type AutopilotDeviceInput } from './autopilot-registration.js';
import { AUTOPILOT_IMPORTS, IMPORTED_IDENTITY_TYPE, IMPORT_STATE_TYPE, serviceConfigRead, serviceConfigWrite } from './autopilot-collections.js';

/** Devices per import call: the portal's limit per CSV file (behaviour.md §5.1). */
export const MAX_IMPORT_DEVICES = 500;
const MAX_TEXT = 1024;
const MAX_HASH = 64 * 1024;
const PATH = '/deviceManagement/importedWindowsAutopilotDeviceIdentities';

const str: PropType = { kind: 'string' };
const stateType: PropType = {
  kind: 'complex',
  typeName: IMPORT_STATE_TYPE,
  properties: { deviceImportStatus: { kind: 'enum' }, deviceRegistrationId: str, deviceErrorCode: { kind: 'int' }, deviceErrorName: str },
};
export const importedIdentityShape: ResourceShape = intuneShape('importedWindowsAutopilotDeviceIdentity', {
  orderIdentifier: str,
  groupTag: str,
  serialNumber: str,
  productKey: str,
  importId: str,
  hardwareIdentifier: str,
  assignedUserPrincipalName: str,
  state: stateType,
});

const ITEM_KEYS = new Set(['@odata.type', 'id', 'orderIdentifier', 'groupTag', 'serialNumber', 'productKey', 'importId', 'hardwareIdentifier', 'state', 'assignedUserPrincipalName']);
const TEXT_KEYS = ['orderIdentifier', 'groupTag', 'serialNumber', 'productKey', 'importId', 'assignedUserPrincipalName'] as const;

interface ParsedItem {
  readonly input: AutopilotDeviceInput;
  /** Only when the client sent it (older clients send the group tag as orderIdentifier). */
  readonly orderIdentifier?: string;
}

/** Checks one upload; what the service could not read at all fails the whole request, naming the field. */
function parseItem(raw: unknown, field: (name: string) => string): ParsedItem {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw intuneBadRequest('Each device must be an importedWindowsAutopilotDeviceIdentity object.', field('').replace(/\.$/, ''));
  const item = raw as Record<string, unknown>;
  for (const key of Object.keys(item)) {
    if (!ITEM_KEYS.has(key)) throw intuneBadRequest(`Property '${key}' does not exist on microsoft.graph.importedWindowsAutopilotDeviceIdentity.`, field(key));
  }
  const type = item['@odata.type'];
  if (type !== undefined && textOf(type).replace(/^#/, '').toLowerCase() !== IMPORTED_IDENTITY_TYPE.slice(1).toLowerCase()) {
    throw intuneBadRequest(`'${textOf(type)}' is not an importedWindowsAutopilotDeviceIdentity.`, field('@odata.type'));
  }
  const text: Partial<Record<(typeof TEXT_KEYS)[number], string>> = {};
  for (const key of TEXT_KEYS) {
    const value = item[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw intuneBadRequest(`'${key}' must be a string.`, field(key));
    checkStorable(value, field(key));
    if (value.length > MAX_TEXT) throw intuneBadRequest(`'${key}' is longer than ${MAX_TEXT} characters.`, field(key));
    text[key] = value;
  }
  const hash = item.hardwareIdentifier ?? '';
  if (typeof hash !== 'string') throw intuneBadRequest("'hardwareIdentifier' must be the hardware hash in base64.", field('hardwareIdentifier'));
  if (hash.length > MAX_HASH) throw intuneBadRequest(`'hardwareIdentifier' is longer than ${MAX_HASH} characters.`, field('hardwareIdentifier'));
  if (!isBase64(hash)) throw intuneBadRequest(notBinaryMessage(hash), field('hardwareIdentifier'));
  if (item.state !== undefined && item.state !== null && (typeof item.state !== 'object' || Array.isArray(item.state))) {
    throw intuneBadRequest("'state' must be an importedWindowsAutopilotDeviceIdentityState object.", field('state'));
  }
  return {
    input: {
      serialNumber: text.serialNumber ?? '',
      hardwareIdentifier: hash,
      groupTag: text.groupTag || text.orderIdentifier || '',
      productKey: text.productKey ?? '',
      userPrincipalName: text.assignedUserPrincipalName ?? '',
    },
    ...(text.orderIdentifier !== undefined ? { orderIdentifier: text.orderIdentifier } : {}),
  };
}

/** Registers the devices and writes one upload record each, in one transaction; returns the records. */
async function importItems(scope: Scope, items: readonly ParsedItem[]): Promise<IntuneObject[]> {
  return inTransaction(scope, async (tx) => {
    const outcomes = await registerAutopilotDevices(tx, items.map((i) => i.input));
    const importId = newId();
    const now = isoNow(tx.clock);
    const records = items.map((item, i): IntuneObject => {
      const outcome = outcomes[i]!;
      return {
        id: orderedId(),
        '@odata.type': IMPORTED_IDENTITY_TYPE,
        ...(item.orderIdentifier !== undefined ? { orderIdentifier: item.orderIdentifier } : {}),
        groupTag: item.input.groupTag ?? '',
        serialNumber: item.input.serialNumber,
        productKey: item.input.productKey ?? '',
        importId,
        hardwareIdentifier: item.input.hardwareIdentifier,
        assignedUserPrincipalName: item.input.userPrincipalName ?? '',
        state: {
          '@odata.type': IMPORT_STATE_TYPE,
          deviceImportStatus: outcome.ok ? 'complete' : 'error',
          deviceRegistrationId: outcome.ok ? outcome.identity.id : '',
          deviceErrorCode: outcome.ok ? 0 : outcome.errorCode,
          deviceErrorName: outcome.ok ? '' : outcome.errorName,
        },
      };
    });
    await insertIntuneRows(
      tx,
      AUTOPILOT_IMPORTS,
      records.map(({ id, ...data }) => ({ id, odataType: IMPORTED_IDENTITY_TYPE, uniqueKey: null, data, createdAt: now })),
    );
    return records;
  });
}

/** The `import` action: up to 500 devices, registered together. */
export async function importAutopilotDevices(scope: Scope, body: Record<string, unknown>): Promise<IntuneObject[]> {
  for (const key of Object.keys(body)) {
    if (key !== 'importedWindowsAutopilotDeviceIdentities') throw intuneBadRequest(`Parameter '${key}' is not part of import; send 'importedWindowsAutopilotDeviceIdentities'.`, key);
  }
  const list = body.importedWindowsAutopilotDeviceIdentities;
  if (!Array.isArray(list)) {
    throw intuneBadRequest("'importedWindowsAutopilotDeviceIdentities' must be an array of devices.", 'importedWindowsAutopilotDeviceIdentities');
  }
  if (list.length > MAX_IMPORT_DEVICES) {
    throw intuneBadRequest(`At most ${MAX_IMPORT_DEVICES} devices can be imported at once; split the list.`, 'importedWindowsAutopilotDeviceIdentities');
  }
  const items = list.map((raw, i) => parseItem(raw, (name) => `importedWindowsAutopilotDeviceIdentities[${i}].${name}`));
  return importItems(scope, items);
}

/** `POST` of one upload (Add-AutopilotImportedDevice). */
export async function importAutopilotDevice(scope: Scope, body: Record<string, unknown>): Promise<IntuneObject> {
  const [record] = await importItems(scope, [parseItem(body, (name) => name)]);
  return record!;
}

const imports = { collection: AUTOPILOT_IMPORTS };

export async function deleteImportRecord(scope: Scope, id: string): Promise<void> {
  const result = await scope.db
    .deleteFrom('intune_objects')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', AUTOPILOT_IMPORTS)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw intuneNotFound(AUTOPILOT_IMPORTS, id);
}

const source: CollectionSource = { table: 'intune_objects', shape: importedIdentityShape, contextPath: PATH.slice(1), directory: false, polymorphic: true };
const inCollection = sql<SqlBool>`collection = ${AUTOPILOT_IMPORTS}`;
const base = { versions: ['v1.0', 'beta'] } as const;

export const autopilotImportRoutes: GraphRouteDef[] = [
  {
    ...base,
    method: 'POST',
    path: `${PATH}/import`,
    permissions: serviceConfigWrite,
    handler: async (req) => {
      const value = await importAutopilotDevices(req.scope, requireObjectBody(req.body));
      return ok({ '@odata.context': contextUrl(req, 'Collection(microsoft.graph.importedWindowsAutopilotDeviceIdentity)'), value });
    },
  },
  { ...base, method: 'GET', path: PATH, permissions: serviceConfigRead, handler: (req) => listCollection(req, source, inCollection) },
  {
    ...base,
    method: 'GET',
    path: `${PATH}/$count`,
    permissions: serviceConfigRead,
    handler: (req) => countCollection(req, source, inCollection),
  },
  {
    ...base,
    method: 'POST',
    path: PATH,
    permissions: serviceConfigWrite,
    handler: async (req) => {
      const record = await importAutopilotDevice(req.scope, requireObjectBody(req.body));
      return entityResult(req, source, record, 201);
    },
  },
  { ...base, method: 'GET', path: `${PATH}/:id`, permissions: serviceConfigRead, handler: async (req) => entityResult(req, source, await getIntuneObject(req.scope, imports, req.params.id!)) },
  { ...base, method: 'DELETE', path: `${PATH}/:id`, permissions: serviceConfigWrite, handler: async (req) => (await deleteImportRecord(req.scope, req.params.id!), noContent) },
];
