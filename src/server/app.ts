// Assembles the HTTP application: protocol plumbing (request ids, body parsing, Graph URL forms, the
// error envelope) and every module's routes. Business rules live in the modules, not here.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { AppContext } from './context.js';
import { GraphError, errorBody } from '../graph/errors.js';
import { registerBatchRoute } from '../graph/batch.js';
import { unknownSegment } from '../graph/route.js';
import { quoteBareKeys } from './lenient-json.js';
import { registerIdentityRoutes } from '../identity/routes.js';
import { registerDirectoryRoutes } from '../directory/routes.js';
import { registerControlRoutes } from '../control/routes.js';
import { registerIntuneRoutes } from '../intune/routes.js';
import { registerReportRoutes } from '../reports/routes.js';
import { registerWebApp } from './web-app.js';
import { isDataException } from '../store/db.js';

export interface AppOptions {
  readonly logger?: boolean;
  readonly https?: { key: string; cert: string };
  /** Folder of the admin center's build (default dist/web). */
  readonly webRoot?: string;
}

/** Graph's limit for a request body is 4 MB. */
const BODY_LIMIT = 4 * 1024 * 1024;

export function buildApp(ctx: AppContext, options: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Graph paths are case-insensitive; ids can be long UPNs.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 },
    genReqId: () => randomUUID(),
    // Behind a load balancer (scale-out), URLs in responses follow X-Forwarded-Proto/Host.
    trustProxy: true,
    rewriteUrl: (req: { url?: string }) => normaliseODataKeys(req.url ?? '/'),
    // A malformed URL (bad percent-encoding, an over-long segment) is answered in Graph's envelope too.
    frameworkErrors: (error: { statusCode?: number; message: string }, request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(error.statusCode ?? 400)
        .headers({ 'request-id': request.id, 'client-request-id': clientRequestId(request) })
        .type('application/json')
        .send(errorBody(new GraphError(error.statusCode ?? 400, 'BadRequest', error.message), innerError(request))),
    // So is a request Node's HTTP parser refuses before routing (headers over 16 KB, malformed HTTP).
    clientErrorHandler: writeClientError,
    ...(options.https ? { https: options.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  // An action without parameters may arrive with a JSON content type and no body, as Graph clients send it.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '') return done(null, undefined);
    const checked = (err: Error | null, value?: unknown) => done(err ?? nestingError(value), value);
    jsonParser(request, text, (err, value) => {
      const relaxed = err ? quoteBareKeys(text) : undefined;
      if (relaxed === undefined) return checked(err, value);
      jsonParser(request, relaxed, checked);
    });
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    reply.header('client-request-id', clientRequestId(request));
  });

  app.setErrorHandler((error, request, reply) => {
    const graphError = toGraphError(error, request);
    if (graphError.status === 503) reply.header('Retry-After', '1');
    reply
      .code(graphError.status)
      .type('application/json')
      .send(errorBody(graphError, innerError(request)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const err = /^\/(v1\.0|beta)(\/|$)/i.test(path)
      ? new GraphError(400, 'BadRequest', `Resource not found for the segment '${unknownSegment(segmentsAfterVersion(path))}'.`)
      : new GraphError(404, 'NotFound', `No route matches ${request.method} ${path}.`);
    reply.code(err.status).type('application/json').send(errorBody(err, innerError(request)));
  });

  registerIdentityRoutes(app, ctx);
  registerDirectoryRoutes(app, ctx);
  registerIntuneRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  registerBatchRoute(app);
  registerWebApp(app, options.webRoot);
  return app;
}

function clientRequestId(request: FastifyRequest): string {
  const given = request.headers['client-request-id'];
  return typeof given === 'string' && given.length <= 100 ? given : request.id;
}

function writeClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'RequestHeaderFieldsTooLarge', 'The URL and headers of the request are larger than the server accepts; shorten them.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'RequestTimeout', 'The request was not received in time.']
        : [400, 'BadRequest', 'The request is not valid HTTP.'];
  const id = randomUUID();
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, '');
  const body = JSON.stringify(errorBody(new GraphError(status, code, message), { date, 'request-id': id, 'client-request-id': id }));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\n` +
        `request-id: ${id}\r\nclient-request-id: ${id}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Nesting beyond this is refused, so that no body can exhaust the stack (checks, messages, JSON.stringify) or PostgreSQL's jsonb parser. */
const MAX_BODY_DEPTH = 100;

/** A 400 when the parsed body nests objects and arrays deeper than MAX_BODY_DEPTH (walked without recursion). */
function nestingError(value: unknown): GraphError | null {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) return new GraphError(400, 'BadRequest', `The JSON request body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep.`);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}

function innerError(request: FastifyRequest) {
  return {
    date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
    'request-id': request.id,
    'client-request-id': clientRequestId(request),
  };
}

/** Maps anything thrown to a Graph error; only a real bug becomes a 500 (and is logged). */
function toGraphError(error: unknown, request: FastifyRequest): GraphError {
  if (error instanceof GraphError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new GraphError(415, 'UnsupportedMediaType', `The content type '${request.headers['content-type'] ?? ''}' is not supported.`);
  }
  if (isDataException(error)) {
    // PostgreSQL refused a value from the request (a NUL character, an invalid escape): the client's fault.
    request.log.warn({ err: error }, 'value refused by the database');
    return new GraphError(400, 'BadRequest', 'The request contains a value that cannot be stored or compared, such as a NUL character.');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new GraphError(e.statusCode, 'BadRequest', e.message ?? 'Bad request.');
  }
  // A shared SQLite file stayed locked by another process past the busy timeout: ask the client to retry.
  if (e.code === 'SQLITE_BUSY') return new GraphError(503, 'ServiceUnavailable', 'The database is busy with another process; retry shortly.');
  request.log.error({ err: error }, 'unhandled error');
  return new GraphError(500, 'InternalServerError', 'An internal server error occurred.');
}

function segmentsAfterVersion(path: string): string[] {
  return path.split('/').filter(Boolean).slice(1).map(safeDecode);
}

/** `/users('id')` and `/users(id)` are the OData key forms of `/users/id`: both reach the same route. */
export function normaliseODataKeys(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const rest = q === -1 ? '' : url.slice(q);
  const normalised = path.replace(/\((?:'((?:[^']|'')*)'|([0-9A-Fa-f-]{36}))\)(?=\/|$)/g, (_m, quoted: string, bare: string) =>
    `/${encodeURIComponent(safeDecode(quoted ?? bare).replace(/''/g, "'"))}`,
  );
  return normalised + rest;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
