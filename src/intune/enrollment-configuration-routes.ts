// Thin Graph routes of /beta/deviceManagement/deviceEnrollmentConfigurations: list (by priority unless $orderby
// says otherwise, $expand=assignments as the admin center asks), get, create, PATCH, delete, setPriority, assign
// and the assignments navigation.
import { sql, type SqlBool } from 'kysely';
import { created, noContent, ok, requireObjectBody, type GraphRequest, type GraphRouteDef } from '../graph/route.js';
import { contextUrl, entityResult, listCollection, memoryCollection, type CollectionSource, countCollection } from '../graph/collection.js';
import { bindFilter, compileFilterSql, parseFilter } from '../graph/odata/index.js';
import type { ResourceShape } from '../graph/odata/shape.js';
import { getIntuneObject } from './resource.js';
import { deleteAssignment, getAssignment, listAssignments } from './assignments.js';
import { intuneSource } from './routes-builder.js';
import { ENROLLMENT_CONFIGURATIONS } from './enrollment-configuration-types.js';
import { withDefaultTypeNames } from './enrollment-type-filter.js';
import { setPriority } from './enrollment-priority.js';
import {
  addEnrollmentConfigurationAssignment,
  assignEnrollmentConfiguration,
  assignmentKindFor,
  createEnrollmentConfiguration,
  deleteEnrollmentConfiguration,
  enrollmentConfigurations as res,
  serviceConfigRead as read,
  serviceConfigWrite as write,
  updateEnrollmentConfiguration,
} from './enrollment-configurations.js';

const PATH = res.path;
const collection = { collection: ENROLLMENT_CONFIGURATIONS };

const source: CollectionSource = {
  ...intuneSource(res),
  navigations: { assignments: { load: (scope, id) => listAssignments(scope, collection, id) } },
};

const ASSIGNMENT_SHAPE: ResourceShape = {
  typeName: 'microsoft.graph.enrollmentConfigurationAssignment',
  properties: { id: { kind: 'string' }, target: { kind: 'complex', properties: {} }, source: { kind: 'string' }, sourceId: { kind: 'string' } },
};

const assignmentsPath = (req: GraphRequest) => `${PATH.slice(1)}('${req.params.id}')/assignments`;
const beta = { versions: ['beta'] as const };

/** The collection, with $filter applied here (widened for the defaults' type names). */
function withFilter(req: GraphRequest) {
  const where = [sql<SqlBool>`collection = ${ENROLLMENT_CONFIGURATIONS}`];
  if (req.query.filter !== undefined) {
    where.push(compileFilterSql(withDefaultTypeNames(bindFilter(parseFilter(req.query.filter), res.shape)), req.scope.dialect));
  }
  return { req: { ...req, query: { ...req.query, filter: undefined } }, where: sql<SqlBool>`${sql.join(where, sql` and `)}` };
}

async function list(req: GraphRequest) {
  const filtered = withFilter(req);
  // The list is in priority order by default.
  return listCollection({ ...filtered.req, query: { ...filtered.req.query, orderby: req.query.orderby ?? 'priority' } }, source, filtered.where);
}

export const enrollmentConfigurationRoutes: GraphRouteDef[] = [
  { ...beta, method: 'GET', path: PATH, permissions: read, handler: list },
  {
    ...beta,
    method: 'GET',
    path: `${PATH}/$count`,
    permissions: read,
    handler: (req) => {
      const filtered = withFilter(req);
      return countCollection(filtered.req, source, filtered.where);
    },
  },
  {
    ...beta,
    method: 'POST',
    path: PATH,
    permissions: write,
    handler: async (req) => entityResult(req, source, await createEnrollmentConfiguration(req.scope, requireObjectBody(req.body)), 201),
  },
  { ...beta, method: 'GET', path: `${PATH}/:id`, permissions: read, handler: async (req) => entityResult(req, source, await getIntuneObject(req.scope, res, req.params.id!)) },
  {
    ...beta,
    method: 'PATCH',
    path: `${PATH}/:id`,
    permissions: write,
    handler: async (req) => (await updateEnrollmentConfiguration(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  { ...beta, method: 'DELETE', path: `${PATH}/:id`, permissions: write, handler: async (req) => (await deleteEnrollmentConfiguration(req.scope, req.params.id!), noContent) },
  {
    ...beta,
    method: 'POST',
    path: `${PATH}/:id/setPriority`,
    permissions: write,
    handler: async (req) => (await setPriority(req.scope, req.params.id!, requireObjectBody(req.body)), noContent),
  },
  {
    ...beta,
    method: 'POST',
    path: `${PATH}/:id/assign`,
    permissions: write,
    handler: async (req) => {
      const body = requireObjectBody(req.body);
      await assignEnrollmentConfiguration(req.scope, req.params.id!, body.enrollmentConfigurationAssignments ?? []);
      return noContent;
    },
  },
  {
    ...beta,
    method: 'GET',
    path: `${PATH}/:id/assignments`,
    permissions: read,
    handler: async (req) => {
      await getIntuneObject(req.scope, res, req.params.id!);
      return memoryCollection(req, assignmentsPath(req), await listAssignments(req.scope, collection, req.params.id!), ASSIGNMENT_SHAPE, { typed: true });
    },
  },
  {
    ...beta,
    method: 'POST',
    path: `${PATH}/:id/assignments`,
    permissions: write,
    handler: async (req) =>
      created({
        '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true),
        ...(await addEnrollmentConfigurationAssignment(req.scope, req.params.id!, requireObjectBody(req.body))),
      }),
  },
  {
    ...beta,
    method: 'GET',
    path: `${PATH}/:id/assignments/:assignmentId`,
    permissions: read,
    handler: async (req) => {
      const obj = await getIntuneObject(req.scope, res, req.params.id!);
      return ok({ '@odata.context': contextUrl(req, assignmentsPath(req), undefined, true), ...(await getAssignment(req.scope, assignmentKindFor(obj), obj.id, req.params.assignmentId!)) });
    },
  },
  {
    ...beta,
    method: 'DELETE',
    path: `${PATH}/:id/assignments/:assignmentId`,
    permissions: write,
    handler: async (req) => {
      const obj = await getIntuneObject(req.scope, res, req.params.id!);
      await deleteAssignment(req.scope, assignmentKindFor(obj), obj.id, req.params.assignmentId!);
      return noContent;
    },
  },
];
