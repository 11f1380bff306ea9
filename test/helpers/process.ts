// Runs the real `tarmac` CLI in a child process (the build in dist/, as `npm start` runs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PG_URL, freshPgSchema, type TestServer } from './server.js';

export const BIN = fileURLToPath(new URL('../../bin/tarmac.js', import.meta.url));

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts `tarmac serve --port 0 …` and resolves once it prints the address it listens on. */
export function serveProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

/** What several `tarmac serve` processes share: a data folder and control key, and on PostgreSQL one schema. */
export interface SharedServe {
  readonly args: readonly string[];
  readonly key: string;
  /** The control API of the process at `url`, shaped as the in-process test server, for the lab helpers. */
  serverAt(url: string): TestServer;
  /** Removes the folder and drops the schema. */
  cleanUp(): Promise<void>;
}

export async function sharedServe(prefix: string): Promise<SharedServe> {
  const dir = mkdtempSync(join(tmpdir(), `tarmac-${prefix}-`));
  const schema = PG_URL ? await freshPgSchema() : undefined;
  const key = `${prefix}-${randomBytes(6).toString('hex')}`;
  return {
    args: ['--data', dir, '--control-key', key, '--no-demo', ...(schema ? ['--database-url', schema.url] : [])],
    key,
    serverAt: (url) =>
      ({
        url,
        controlKey: key,
        control: (method: string, path: string, body?: unknown) =>
          fetch(`${url}/_tarmac${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }),
      }) as unknown as TestServer,
    cleanUp: async () => {
      rmSync(dir, { recursive: true, force: true });
      await schema?.drop();
    },
  };
}
