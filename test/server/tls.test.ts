import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caFilePath, ensureTls } from '../../src/server/tls.js';

const dir = mkdtempSync(join(tmpdir(), 'tarmac-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local certificate authority', () => {
  it('is created once when several starts race on a new folder, and every pair matches', async () => {
    const results = await Promise.all([ensureTls(dir, 'localhost'), ensureTls(dir, 'localhost'), ensureTls(dir, 'tarmac.test')]);
    const ca = new X509Certificate(readFileSync(caFilePath(dir)));
    for (const r of results) {
      expect(r.caFile).toBe(caFilePath(dir));
      // A certificate and key that do not belong together make createSecureContext throw.
      expect(() => createSecureContext({ key: r.key, cert: r.cert })).not.toThrow();
      expect(new X509Certificate(r.cert).verify(ca.publicKey)).toBe(true);
    }
    const again = await ensureTls(dir, 'localhost');
    expect(new X509Certificate(again.cert).verify(ca.publicKey)).toBe(true);
    expect(() => createSecureContext({ key: again.key, cert: again.cert })).not.toThrow();
  });

  it('covers localhost, the loopback addresses and the host it serves', async () => {
    const { cert } = await ensureTls(dir, 'tarmac.test');
    const san = new X509Certificate(cert).subjectAltName ?? '';
    for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'DNS:tarmac.test']) expect(san).toContain(name);
  });
});
