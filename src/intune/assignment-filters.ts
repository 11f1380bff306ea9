// Assignment filters (/beta/deviceManagement/assignmentFilters): a rule over device properties that
// narrows an assignment (include) or carves devices out of it (exclude). The rule language is the one in
// src/rules (Intune's filter property table). Source: memdocs fundamentals/filters.md and
// filters-device-properties.md; Graph beta deviceAndAppManagementAssignmentFilter and validateFilter.
import type { Scope } from '../server/context.js';
import { readJson } from '../store/db.js';
import { ok, requireObjectBody, type GraphRouteDef } from '../graph/route.js';
import { contextUrl } from '../graph/collection.js';
import { intuneShape } from '../graph/schema/shapes.js';
import { checkFilterRule, RuleError } from '../rules/index.js';
import { intuneBadRequest } from './errors.js';
import { ASSIGNMENT_FILTERS } from './assignments.js';
import type { IntuneObject, IntuneResource } from './resource.js';
import { intuneRoutes } from './routes-builder.js';

/** Platforms a filter may name (Graph's devicePlatformType); Tarmac evaluates the Windows ones. */
const PLATFORMS = new Set([
  'android', 'androidForWork', 'iOS', 'macOS', 'windowsPhone81', 'windows81AndLater', 'windows10AndLater',
  'androidWorkProfile', 'unknown', 'androidAOSP', 'androidMobileApplicationManagement', 'iOSMobileApplicationManagement',
  'windowsMobileApplicationManagement',
]);
const TYPE = '#microsoft.graph.deviceAndAppManagementAssignmentFilter';
const shape = intuneShape('deviceAndAppManagementAssignmentFilter', {
  displayName: { kind: 'string' },
  description: { kind: 'string' },
  platform: { kind: 'string' },
  rule: { kind: 'string' },
  assignmentFilterManagementType: { kind: 'string' },
  roleScopeTags: { kind: 'collection', of: { kind: 'string' } },
});

const read = ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'] as const;
const write = ['DeviceManagementConfiguration.ReadWrite.All'] as const;

/** An invalid rule answers 400 naming `rule`, with the position and the reason. */
function checkRuleOf(data: Record<string, unknown>): void {
  if (typeof data.rule !== 'string') throw intuneBadRequest("'rule' is required.", 'rule');
  try {
    checkFilterRule(data.rule);
  } catch (err) {
    if (err instanceof RuleError) throw intuneBadRequest(err.message, 'rule');
    throw err;
  }
}

export const assignmentFilters: IntuneResource = {
  collection: ASSIGNMENT_FILTERS,
  path: '/deviceManagement/assignmentFilters',
  versions: ['beta'],
  types: { [TYPE]: shape },
  defaultType: TYPE,
  shape,
  permissions: { read, write },
  required: ['displayName', 'platform', 'rule'],
  readOnly: ['payloads'],
  // Filters carry roleScopeTags (not roleScopeTagIds).
  scopeTags: false,
  defaults: () => ({ description: '', assignmentFilterManagementType: 'devices', roleScopeTags: ['0'], payloads: [] }),
  async check(_scope: Scope, data: Record<string, unknown>) {
    if (typeof data.platform !== 'string' || !PLATFORMS.has(data.platform)) throw intuneBadRequest(`'platform' must be a device platform such as windows10AndLater.`, 'platform');
    if (data.assignmentFilterManagementType !== 'devices' && data.assignmentFilterManagementType !== 'apps') {
      throw intuneBadRequest("'assignmentFilterManagementType' must be devices or apps.", 'assignmentFilterManagementType');
    }
    checkRuleOf(data);
  },
  /** Intune refuses to delete a filter that assignments still use. */
  async beforeDelete(scope: Scope, object: IntuneObject) {
    const rows = await scope.db.selectFrom('intune_assignments').select(['collection', 'data']).where('tenant_id', '=', scope.tenantId).execute();
    const user = rows.find((r) => (readJson<{ target?: Record<string, unknown> }>(r.data).target?.deviceAndAppManagementAssignmentFilterId ?? null) === object.id);
    if (user) throw intuneBadRequest(`The filter is used by an assignment of ${user.collection}; remove the filter from that assignment first.`, 'id');
  },
};

export const assignmentFilterRoutes: GraphRouteDef[] = [
  // validateFilter is a collection action: it must come before the `{id}` routes.
  {
    method: 'POST',
    path: '/deviceManagement/assignmentFilters/validateFilter',
    versions: ['beta'],
    permissions: read,
    handler: async (req) => {
      const body = requireObjectBody(req.body);
      const filter = (body.deviceAndAppManagementAssignmentFilter ?? body) as Record<string, unknown>;
      let isValidRule = true;
      try {
        checkRuleOf(filter);
      } catch {
        isValidRule = false;
      }
      return ok({ '@odata.context': contextUrl(req, 'microsoft.graph.assignmentFilterValidationResult'), isValidRule });
    },
  },
  ...intuneRoutes(assignmentFilters),
];
