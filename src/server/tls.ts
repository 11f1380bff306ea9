// A local certificate authority, created once in the data folder, and a server certificate it signs for
// the names Tarmac answers on. Clients trust the CA through NODE_EXTRA_CA_CERTS (MSAL insists on https).
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
  /** Absolute path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
}

export const caFilePath = (tlsDir: string) => join(tlsDir, 'ca.pem');

/** Loads or creates the CA and a server certificate covering localhost, the loopback addresses and `host`. */
export async function ensureTls(tlsDir: string, host: string, now = new Date()): Promise<TlsMaterial> {
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const ca = await createOrLoadCa(tlsDir, now);
  const names = [...new Set(['localhost', '127.0.0.1', '::1', host].filter((n) => n && n !== '0.0.0.0' && n !== '::'))];
  // The certificate and its key share one file, replaced in one rename, so no reader sees a mismatched pair.
  const serverFile = join(tlsDir, 'server.pem');
  if (existsSync(serverFile)) {
    const pem = readFileSync(serverFile, 'utf8');
    const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/)?.[0];
    const key = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/)?.[0];
    if (cert && key && coversNames(cert, names, now)) return { key, cert, caFile: caFilePath(tlsDir) };
  }
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=Tarmac server',
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 825 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))),
    ],
  });
  const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  writeAtomically(serverFile, `${cert.toString('pem')}\n${keyPem}`, 0o600);
  return { key: keyPem, cert: cert.toString('pem'), caFile: caFilePath(tlsDir) };
}

/**
 * Processes starting together on one data folder must agree on one CA: the one that creates the lock file
 * (exclusively) makes it; the others wait for its files and load them.
 */
async function createOrLoadCa(tlsDir: string, now: Date) {
  if (existsSync(caFilePath(tlsDir))) return loadCa(tlsDir);
  try {
    writeFileSync(join(tlsDir, 'ca.lock'), String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    for (let waited = 0; !existsSync(caFilePath(tlsDir)); waited += 50) {
      if (waited > 10_000) throw new Error(`another process is creating the local CA in ${tlsDir} and has not finished; remove ca.lock if none is`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return loadCa(tlsDir);
  }
  return createCa(tlsDir, now);
}

async function createCa(tlsDir: string, now: Date) {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Tarmac local CA',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  writeFileSync(join(tlsDir, 'ca-key.pem'), toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'), { mode: 0o600 });
  writeAtomically(caFilePath(tlsDir), cert.toString('pem'), 0o644);
  return { cert, key: keys.privateKey };
}

/** Writes a file whole or not at all (a temporary file renamed over it). */
function writeAtomically(file: string, text: string, mode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}

async function loadCa(tlsDir: string) {
  const cert = new x509.X509Certificate(readFileSync(caFilePath(tlsDir), 'utf8'));
  const pem = readFileSync(join(tlsDir, 'ca-key.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const key = await webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
  return { cert, key };
}

function coversNames(pem: string, names: readonly string[], now: Date): boolean {
  const cert = new x509.X509Certificate(pem);
  if (cert.notAfter.getTime() < now.getTime() + 30 * DAY) return false;
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const values = new Set(san?.names.items.map((n) => n.value.toLowerCase()) ?? []);
  return names.every((n) => values.has(n.toLowerCase()));
}

const serial = () => Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
