// How a `tarmac` command reaches a running server's control API (/_tarmac): JSON over HTTP with the control
// key, found as `tarmac serve` finds it (the flag, then TARMAC_CONTROL_KEY, then the key file in the data
// folder), so that `tarmac device deploy` works next to `npm start` with no flags at all.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PORT, defaultDataDir } from '../server/start.js';
import { ConnectionError } from './graph-connection.js';

export interface ControlOptions {
  readonly url: string;
  readonly controlKey?: string;
  /** The server's data folder, where it keeps the control key it generated. */
  readonly data: string;
}

/** Adds --url, --control-key and --data to a command. */
export function withControlOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the Tarmac server', `http://127.0.0.1:${DEFAULT_PORT}`)
    .option('--control-key <key>', 'the control key `tarmac serve` printed (default: TARMAC_CONTROL_KEY, then the key file in --data)')
    .option('--data <dir>', "the server's data folder, to read its control key from", defaultDataDir());
}

/** A control API call that did not succeed: the service's code and message, and the HTTP status. */
export class ControlError extends ConnectionError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${detail} (${code}, HTTP ${status})`);
  }
}

function controlKey(options: ControlOptions): string {
  if (options.controlKey) return options.controlKey;
  if (process.env.TARMAC_CONTROL_KEY) return process.env.TARMAC_CONTROL_KEY;
  const file = join(resolve(options.data), 'control-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new ConnectionError(`no control key: give --control-key (\`tarmac serve\` prints it), set TARMAC_CONTROL_KEY, or point --data at the server's data folder (${file} does not exist)`);
}

export class ControlConnection {
  private constructor(
    readonly base: string,
    private readonly key: string,
  ) {}

  static open(options: ControlOptions): ControlConnection {
    return new ControlConnection(options.url.replace(/\/+$/, ''), controlKey(options));
  }

  /** One call; `path` is below /_tarmac, e.g. '/tenants'. A refused key or an unreachable server throws. */
  async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/_tarmac${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
      throw new ConnectionError(`cannot reach Tarmac at ${this.base} (${cause}); is \`tarmac serve\` running?`);
    }
    if (res.status === 401) {
      throw new ConnectionError(`the server at ${this.base} refused the control key (401 Unauthorized): give the key \`tarmac serve\` printed with --control-key or TARMAC_CONTROL_KEY`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Something else answers at that address (another server, a proxy's error page).
      throw new ConnectionError(`${this.base} answered ${method} /_tarmac${path} with HTTP ${res.status} and no JSON; is it a Tarmac server?`);
    }
    return { status: res.status, body: parsed as T };
  }

  /** A call that must answer `status`; anything else becomes a ControlError with the service's message. */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status !== status) {
      const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ControlError(answer.status, error?.code ?? 'Error', error?.message ?? `${method} /_tarmac${path.split('?')[0]} failed`);
    }
    return answer.body;
  }
}

/** Runs a command body: its number is the exit code; a server that cannot be used is a message and exit code 2. */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (err) {
    if (!(err instanceof ConnectionError)) throw err;
    console.error(`tarmac: ${err.message}`);
    process.exitCode = 2;
  }
}
