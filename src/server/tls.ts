// A local certificate authority, created once in the data folder, and a server certificate it signs for
// the names Tarmac answers on. Clients trust the CA through NODE_EXTRA_CA_CERTS (MSAL insists on https).
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const ca = existsSync(caFilePath(tlsDir)) ? await loadCa(tlsDir) : await createCa(tlsDir, now);
  const names = [...new Set(['localhost', '127.0.0.1', '::1', host].filter((n) => n && n !== '0.0.0.0' && n !== '::'))];
  const certFile = join(tlsDir, 'server.pem');
  const keyFile = join(tlsDir, 'server-key.pem');
  if (existsSync(certFile) && existsSync(keyFile) && coversNames(readFileSync(certFile, 'utf8'), names, now)) {
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), caFile: caFilePath(tlsDir) };
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
  writeFileSync(certFile, cert.toString('pem'));
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  return { key: keyPem, cert: cert.toString('pem'), caFile: caFilePath(tlsDir) };
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
  writeFileSync(caFilePath(tlsDir), cert.toString('pem'));
  return { cert, key: keys.privateKey };
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
