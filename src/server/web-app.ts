// Serves the admin center (the Vite build in dist/web) at `/`: index.html at `/`, hashed files under
// `/assets/`. The app routes with the URL hash (`/#/devices/...`), so no other path needs a fallback, and
// nothing here can shadow Graph (/v1.0, /beta), identity (/{tenant}/...) or the control API (/_tarmac).
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GraphError } from '../graph/errors.js';

/** dist/web of this package: the same place from src/server (tests) and from dist/server (built). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names every asset `name-<hash>.ext`, so a name never changes content: cache it for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

// Fluent UI (Griffel) inserts its styles at run time, hence 'unsafe-inline' for styles only. The app talks
// to this origin alone, which also keeps a stolen page from sending the control key elsewhere.
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'";

/** A file name as Vite writes them: no dot segments, nothing percent-encoded. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const NOT_BUILT = `Tarmac's admin center is not built.

The server is running: Graph is at /v1.0 and /beta, the control API at /_tarmac.
To serve the admin center here, build it and restart the server:

  npm run build        (builds the server and the admin center into dist/web)
`;

export function registerWebApp(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): void {
  const indexFile = join(root, 'index.html');
  const assetsDir = resolve(root, 'assets');

  // Looked up per request, so building the app while the server runs needs no restart.
  const index = async (_request: unknown, reply: FastifyReply) => {
    // Not an error of the request: the server works, only the app is missing.
    if (!existsSync(indexFile)) return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT);
    return reply
      .type(CONTENT_TYPES['.html']!)
      .headers({ 'cache-control': 'no-cache', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
      .send(createReadStream(indexFile));
  };
  app.get('/', index);
  app.get('/index.html', index);

  app.get('/assets/*', async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const file = resolve(assetsDir, name);
    const found = ASSET_NAME.test(name) && file.startsWith(assetsDir + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!found?.isFile()) throw new GraphError(404, 'NotFound', `No asset '${name}' in the admin center's build.`);
    return reply
      .type(CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream')
      .headers({ 'cache-control': IMMUTABLE, 'content-length': String(found.size), 'x-content-type-options': 'nosniff' })
      .send(createReadStream(file));
  });
}
