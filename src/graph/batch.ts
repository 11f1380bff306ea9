// JSON batching: `POST /{version}/$batch` runs up to 20 requests, honouring `dependsOn`.
// Source: Graph docs json-batching.md. Each request goes through the full HTTP pipeline (routing,
// authentication, permissions) exactly as if it had been sent on its own.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphError, unauthorized } from './errors.js';
import { GRAPH_VERSIONS } from './route.js';

const MAX_REQUESTS = 20;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const bad = (message: string) => new GraphError(400, 'BadRequest', message);

export function registerBatchRoute(app: FastifyInstance): void {
  for (const version of GRAPH_VERSIONS) {
    app.post(`/${version}/$batch`, async (request, reply) => {
      if (!request.headers.authorization) throw unauthorized('Access token is empty.');
      const items = parseBatch(request.body);
      const responses = await runBatch(app, request, version, items);
      return reply.code(200).type('application/json; charset=utf-8').send({ responses });
    });
  }
}

function parseBatch(body: unknown): BatchItem[] {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { requests?: unknown }).requests)) {
    throw bad("The batch request body must be a JSON object with a 'requests' array.");
  }
  const raw = (body as { requests: unknown[] }).requests;
  if (raw.length === 0) throw bad('The batch request must contain at least one request.');
  if (raw.length > MAX_REQUESTS) throw bad(`The batch request contains ${raw.length} requests; the limit is ${MAX_REQUESTS}.`);
  const ids = new Set<string>();
  const items = raw.map((r, i): BatchItem => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw bad(`Request ${i} of the batch must be a JSON object.`);
    const item = r as Record<string, unknown>;
    const id = item.id;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) throw bad(`Request ${i} of the batch needs a string 'id'.`);
    if (ids.has(id)) throw bad(`Batch request id '${id}' is used more than once.`);
    ids.add(id);
    const method = typeof item.method === 'string' ? item.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw bad(`Batch request id '${id}' has an invalid method '${String(item.method)}'.`);
    if (typeof item.url !== 'string' || item.url.length === 0 || item.url.length > 8192 || /^[a-z]+:/i.test(item.url)) {
      throw bad(`Batch request id '${id}' has an invalid url; it must be relative to the version root, e.g. '/users'.`);
    }
    if (/^\/?\$batch/i.test(item.url)) throw bad('A batch request cannot contain another batch request.');
    const headers = stringHeaders(item.headers, id);
    const hasBody = item.body !== undefined && item.body !== null;
    if (hasBody && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      throw bad(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    const dependsOn = item.dependsOn === undefined ? [] : item.dependsOn;
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) throw bad(`'dependsOn' of request '${id}' must be an array of request ids.`);
    return { id, method, url: item.url.startsWith('/') ? item.url : `/${item.url}`, headers, body: hasBody ? item.body : undefined, dependsOn: dependsOn as string[] };
  });
  // A request may depend only on requests before it, which also rules out cycles.
  const seen = new Set<string>();
  for (const item of items) {
    for (const d of item.dependsOn) {
      if (!ids.has(d)) throw bad(`Request '${item.id}' depends on '${d}', which is not in the batch.`);
      if (!seen.has(d)) throw bad(`Request '${item.id}' depends on '${d}', which comes after it in the batch.`);
    }
    seen.add(item.id);
  }
  return items;
}

function stringHeaders(value: unknown, id: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(`The headers of batch request '${id}' must be an object.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw bad(`Header '${k}' of batch request '${id}' must be a string.`);
    out[k] = v;
  }
  return out;
}

async function runBatch(app: FastifyInstance, outer: FastifyRequest, version: string, items: BatchItem[]): Promise<BatchResponse[]> {
  const status = new Map<string, number>();
  const responses: BatchResponse[] = [];
  for (const item of items) {
    if (item.dependsOn.some((d) => (status.get(d) ?? 500) >= 400)) {
      status.set(item.id, 424);
      responses.push({ id: item.id, status: 424, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'FailedDependency', message: 'Failed Dependency' } } });
      continue;
    }
    const headers: Record<string, string> = {
      ...lowerKeys(item.headers),
      authorization: outer.headers.authorization!,
      // Responses inside the batch carry the same absolute URLs as the outer request.
      'x-forwarded-proto': outer.protocol,
      'x-forwarded-host': outer.host,
    };
    for (const h of ['consistencylevel', 'client-request-id'] as const) {
      const v = outer.headers[h];
      if (typeof v === 'string' && headers[h] === undefined) headers[h] = v;
    }
    const res = await app.inject({
      method: item.method as 'GET',
      url: `/${version}${item.url}`,
      headers,
      ...(item.body !== undefined ? { payload: typeof item.body === 'string' ? item.body : JSON.stringify(item.body) } : {}),
    });
    status.set(item.id, res.statusCode);
    const contentType = String(res.headers['content-type'] ?? '');
    // Graph spells the header 'Content-Type' here, and the Graph JS client looks for exactly that.
    const out: BatchResponse = { id: item.id, status: res.statusCode, headers: contentType ? { 'Content-Type': contentType } : {} };
    if (res.body.length > 0) out.body = contentType.includes('json') ? JSON.parse(res.body) : res.body;
    responses.push(out);
  }
  return responses;
}

const lowerKeys = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
