// Windows Autopilot settings (/deviceManagement/windowsAutopilotSettings) and its `sync` action, which
// clients call after an import to pull new registrations into Intune (Invoke-AutopilotSync in the
// WindowsAutopilotIntune module; the portal's Sync button). Tarmac registers devices as it imports them, so
// a sync has nothing to fetch: it records when it was asked and completes at once.
// Source: Graph beta windowsAutopilotSettings (lastSyncDateTime, lastManualSyncTriggerDateTime, syncStatus).
import type { Scope } from '../server/context.js';
import { inTransaction } from '../server/context.js';
import { isoNow } from '../core/clock.js';
import { readJson, writeJson } from '../store/db.js';
import { noContent, ok, type GraphRouteDef } from '../graph/route.js';
import { contextUrl } from '../graph/collection.js';
import { AUTOPILOT_SETTINGS, NEVER, serviceConfigRead, serviceConfigWrite } from './autopilot-collections.js';

const TYPE = '#microsoft.graph.windowsAutopilotSettings';
/** The tenant's one settings object. */
const SETTINGS_ID = 'windowsAutopilotSettings';

async function readSettings(scope: Scope): Promise<Record<string, unknown>> {
  const row = await scope.db
    .selectFrom('intune_objects')
    .select('data')
    .where('tenant_id', '=', scope.tenantId)
    .where('collection', '=', AUTOPILOT_SETTINGS)
    .where('id', '=', SETTINGS_ID)
    .executeTakeFirst();
  return row ? readJson(row.data) : { lastSyncDateTime: NEVER, lastManualSyncTriggerDateTime: NEVER, syncStatus: 'unknown' };
}

/** `POST windowsAutopilotSettings/sync`: completes at once. */
export async function syncAutopilot(scope: Scope): Promise<void> {
  await inTransaction(scope, async (tx) => {
    const now = isoNow(tx.clock);
    const data = { lastSyncDateTime: now, lastManualSyncTriggerDateTime: now, syncStatus: 'completed' };
    await tx.db.deleteFrom('intune_objects').where('tenant_id', '=', tx.tenantId).where('collection', '=', AUTOPILOT_SETTINGS).where('id', '=', SETTINGS_ID).execute();
    await tx.db
      .insertInto('intune_objects')
      .values({ tenant_id: tx.tenantId, collection: AUTOPILOT_SETTINGS, id: SETTINGS_ID, odata_type: TYPE, unique_key: null, data: writeJson(data), created_at: now })
      .execute();
  });
}

export const autopilotSettingsRoutes: GraphRouteDef[] = [
  {
    method: 'GET',
    path: '/deviceManagement/windowsAutopilotSettings',
    versions: ['beta'],
    permissions: serviceConfigRead,
    handler: async (req) =>
      ok({ '@odata.context': contextUrl(req, 'deviceManagement/windowsAutopilotSettings', undefined, true), '@odata.type': TYPE, id: req.scope.tenantId, ...(await readSettings(req.scope)) }),
  },
  {
    method: 'POST',
    path: '/deviceManagement/windowsAutopilotSettings/sync',
    versions: ['beta'],
    permissions: serviceConfigWrite,
    handler: async (req) => (await syncAutopilot(req.scope), noContent),
  },
];
