// Child processes and temporary folders for benchmarks: every server a bench starts is a separate
// process (so the load generator never shares a thread with it), and everything started or created is
// stopped and removed at the end, also on Ctrl+C or a failure.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const children = new Set();
const folders = new Set();

/** Stops every child still running and removes every temporary folder (idempotent). */
export function cleanupAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
}

process.on('exit', cleanupAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanupAll();
    process.exit(130);
  });
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `tarmac-bench-${prefix}-`));
  folders.add(dir);
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  folders.delete(dir);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <args>` in the repository root. Its output is kept (last 64 kB) for error messages.
 * @returns {{ child: import('node:child_process').ChildProcess, output: () => string, exited: Promise<number | null> }}
 */
export function spawnNode(args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  const keep = (d) => {
    out = (out + d.toString()).slice(-65536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child));
  return { child, output: () => out, exited };
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(proc, graceMs = 3000) {
  const { child, exited } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** One GET to 127.0.0.1:port; resolves with the status, rejects if nothing answers (connection refused). */
export function probe(port, path, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error('probe timed out')), timeoutMs);
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(data.slice(9, 12)));
      }
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed without an answer'));
    });
  });
}

/**
 * Polls `path` until any HTTP status comes back; returns the milliseconds since `startNs`.
 * Fails if the process exits first or after `timeoutMs`.
 */
export async function waitForAnswer(proc, port, path, startNs, timeoutMs = 30_000, intervalMs = 5) {
  let exited = false;
  proc.exited.then(() => (exited = true));
  for (;;) {
    try {
      await probe(port, path);
      return Number(process.hrtime.bigint() - startNs) / 1e6;
    } catch {
      // not listening yet
    }
    if (exited) throw new Error(`the server exited before answering:\n${proc.output()}`);
    if (Number(process.hrtime.bigint() - startNs) / 1e6 > timeoutMs) {
      throw new Error(`no answer on port ${port} after ${timeoutMs} ms:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resident set size of a process in bytes (Linux /proc, otherwise `ps`). */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) * 1024;
}

/** CPU seconds (user + system) a process has used so far, or undefined where /proc is missing. */
export function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, counted in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
