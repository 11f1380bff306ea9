// The admin center's static files at `/` (src/server/web-app.ts), served from a build folder made here so the
// serving rules are tested apart from Vite's output: index.html, hashed assets with their types and cache
// headers, 404s that leave no way out of the folder, Graph and the control API untouched beside them, and the
// page that says how to build the app when it is missing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEB_ROOT } from '../../src/server/web-app.js';
import { createTestTenant, json, startTestServer, type TestServer } from '../helpers/server.js';

const root = mkdtempSync(join(tmpdir(), 'tarmac-web-'));
const INDEX = '<!doctype html><html><head><script type="module" src="./assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("admin center");';
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), INDEX);
writeFileSync(join(root, 'assets', 'index-AbC123.js'), SCRIPT);
writeFileSync(join(root, 'assets', 'index-AbC123.css'), 'body{margin:0}');
writeFileSync(join(root, 'assets', 'favicon-XyZ.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
// Outside the assets folder: never reachable through /assets/.
writeFileSync(join(root, 'secret.txt'), 'not an asset');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ webRoot: root });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

describe('admin center: static files', () => {
  it('serves index.html at / with no-cache and a content security policy', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets with their content type, cached for good', async () => {
    const js = await fetch(`${t.url}/assets/index-AbC123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe(SCRIPT);
    expect((await fetch(`${t.url}/assets/index-AbC123.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${t.url}/assets/favicon-XyZ.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    const head = await fetch(`${t.url}/assets/index-AbC123.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(SCRIPT.length));
  });

  it('answers 404 for an unknown asset, and for any way out of the assets folder', async () => {
    const missing = await json(fetch(`${t.url}/assets/index-Old999.js`));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NotFound');
    for (const path of ['/assets/..%2fsecret.txt', '/assets/%2e%2e/secret.txt', '/assets/..%5csecret.txt', '/assets/.', '/assets/', '/assets/sub%2findex-AbC123.js']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('not an asset');
    }
    // Other paths are not the app's: the usual 404 (the app routes with the hash, so it needs no fallback).
    expect((await fetch(`${t.url}/devices/autopilot`)).status).toBe(404);
  });

  it('leaves Graph, the token endpoint and the control API as they were', async () => {
    const tenant = await createTestTenant(t);
    const users = await json(tenant.graph('GET', '/v1.0/users'));
    expect(users.status).toBe(200);
    expect(users.body.value).toEqual([]);
    const unknown = await json(tenant.graph('GET', '/v1.0/assets'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('BadRequest');
    const config = await json(fetch(`${t.url}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`));
    expect(config.body.token_endpoint).toBe(`${t.url}/${tenant.tenantId}/oauth2/v2.0/token`);
    expect((await t.control('GET', '/tenants')).status).toBe(200);
    expect((await fetch(`${t.url}/_tarmac/tenants`)).status).toBe(401);
  });
});

describe('admin center: not built', () => {
  it('answers / with a short page saying how to build it, and serves Graph as usual', async () => {
    const bare = await startTestServer({ webRoot: join(root, 'nothing-here') });
    try {
      const res = await fetch(`${bare.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toContain('npm run build');
      expect((await fetch(`${bare.url}/assets/index-AbC123.js`)).status).toBe(404);
      expect((await bare.control('GET', '/tenants')).status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('serves the build in dist/web by default', () => {
    expect(DEFAULT_WEB_ROOT.replace(/\\/g, '/')).toMatch(/\/dist\/web\/$/);
  });
});
