// End-to-end harness: the real `tarmac serve` command (bin/tarmac.js running the compiled CLI, so
// `npm run build` must have run) in a child process, on a random port, with its own data folder; on
// PostgreSQL in a fresh schema when TARMAC_TEST_DATABASE_URL is set, on SQLite in the data folder otherwise.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PG_URL, freshPgSchema } from './server.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARMAC_BIN = join(REPO_ROOT, 'bin', 'tarmac.js');

export interface CliServer {
  /** The URL the banner announces, e.g. https://localhost:41234. */
  readonly url: string;
  /** The local CA's certificate (PEM), as `tarmac cert` prints it; set with `https`. */
  readonly caFile?: string;
  readonly controlKey: string;
  readonly dataDir: string;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface CliServerOptions {
  readonly https?: boolean;
  /** How long to wait for the banner. */
  readonly startTimeoutMs?: number;
}

/** The environment for a child `tarmac`: the caller's, without Tarmac settings that flags did not choose. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TARMAC_DATABASE_URL;
  delete env.TARMAC_CONTROL_KEY;
  delete env.TARMAC_DATA;
  return env;
}

/** Runs `node bin/tarmac.js <args>` to completion and returns what it printed. */
export function runTarmac(args: readonly string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TARMAC_BIN, ...args], { cwd: REPO_ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function startCliServer(options: CliServerOptions = {}): Promise<CliServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarmac-e2e-'));
  const pgSchema = PG_URL ? await freshPgSchema() : undefined;
  const controlKey = `e2e-${randomBytes(12).toString('hex')}`;
  const args = ['serve', '--port', '0', '--data', dataDir, '--control-key', controlKey, '--no-demo'];
  if (options.https) args.push('--https');
  if (pgSchema) args.push('--database-url', pgSchema.url);

  const child = spawn(process.execPath, [TARMAC_BIN, ...args], { cwd: REPO_ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (printed += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (printed += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const cleanUp = async () => {
    await stop(child, exited);
    rmSync(dataDir, { recursive: true, force: true });
    await pgSchema?.drop();
  };

  try {
    const url = await waitForBanner(child, () => printed, options.startTimeoutMs ?? 30_000);
    let caFile: string | undefined;
    if (options.https) {
      // How a user finds the CA to trust: `tarmac cert --data <dir>`.
      const cert = await runTarmac(['cert', '--data', dataDir]);
      if (cert.code !== 0) throw new Error(`tarmac cert failed (${cert.code}): ${cert.stderr}`);
      caFile = cert.stdout.trim();
    }
    return { url, caFile, controlKey, dataDir, output: () => printed, close: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** Resolves with the URL of the banner's first line, `Tarmac is listening on <url>`. */
function waitForBanner(child: ChildProcess, printed: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`tarmac serve printed no banner within ${timeoutMs} ms:\n${printed()}`)), timeoutMs);
    const check = () => {
      const match = /Tarmac is listening on (\S+)/.exec(printed());
      // The banner is one write that ends with this line; wait for all of it.
      if (match && printed().includes('Press Ctrl+C to stop.')) finish(undefined, match[1]);
    };
    const onExit = (code: number | null) => finish(new Error(`tarmac serve exited (code ${code}) before listening:\n${printed()}`));
    const finish = (err?: Error, url?: string) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(url!);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/** SIGTERM (the CLI closes the server and the database), then SIGKILL if it does not exit in time. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
