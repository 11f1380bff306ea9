// A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next request
// as soon as the previous answer has been read in full. It writes pre-built request bytes and reads only
// the status line and Content-Length of each answer, so on a small machine the client costs far less CPU
// than the server it measures (Node's http.request costs several times more per request and would
// flatten the comparison with a fast baseline server). Traffic goes to 127.0.0.1 only.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Builds the bytes of one request.
 * @param {{ port: number, method?: string, path: string, headers?: Record<string, string>, body?: string | Buffer }} r
 */
export function buildRequest({ port, method = 'GET', path, headers = {}, body }) {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: keep-alive'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (payload) lines.push(`Content-Length: ${payload.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
  return payload ? Buffer.concat([head, payload]) : head;
}

/**
 * One keep-alive connection that sends a request and resolves with the answer's status and body.
 * Answers must carry Content-Length (Fastify sets it for every payload it serialises).
 */
export class Connection {
  /**
   * @param {number} port
   * @param {number} [timeoutMs] an answer that takes longer than this fails the request
   */
  constructor(port, timeoutMs = 60_000) {
    this.port = port;
    this.timeoutMs = timeoutMs;
    this.pending = undefined;
    /** @type {Buffer} */
    this.buf = Buffer.alloc(0);
    this.expect = -1; // bytes of the current answer (head + body) once the head is parsed
    this.status = 0;
    this.headLength = 0;
    this.keepBody = false;
    this.socket = undefined;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port: this.port, host: '127.0.0.1', noDelay: true });
      socket.once('connect', () => resolve(undefined));
      socket.on('error', (err) => {
        reject(err); // no effect once connected
        this.fail(err);
      });
      socket.on('close', () => this.fail(new Error('connection closed by the server')));
      socket.on('data', (chunk) => this.onData(chunk));
      // One idle timer per socket (reset by any traffic) rather than one timer per request.
      socket.setTimeout(this.timeoutMs, () => {
        if (this.pending) this.fail(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      this.socket = socket;
    });
  }

  /**
   * @param {Buffer} bytes a request from buildRequest
   * @param {boolean} [keepBody] return the body (otherwise only its length is counted)
   * @returns {Promise<{ status: number, bytes: number, body?: Buffer }>}
   */
  send(bytes, keepBody = false) {
    if (this.pending) throw new Error('one request at a time per connection');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.keepBody = keepBody;
      this.socket.write(bytes);
    });
  }

  /** @param {Buffer} chunk */
  onData(chunk) {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.expect < 0) {
      const end = this.buf.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!m) return this.fail(new Error(`answer without Content-Length: ${head.split('\r\n')[0]}`));
      this.headLength = end + 4;
      this.expect = this.headLength + Number(m[1]);
    }
    if (this.buf.length < this.expect) return;
    if (this.buf.length > this.expect) return this.fail(new Error('unexpected bytes after an answer'));
    const p = this.pending;
    const result = { status: this.status, bytes: this.expect, ...(this.keepBody ? { body: this.buf.subarray(this.headLength) } : {}) };
    this.buf = Buffer.alloc(0);
    this.expect = -1;
    this.pending = undefined;
    p?.resolve(result);
  }

  /** @param {Error} err */
  fail(err) {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  close() {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
  }
}

/** Opens `count` connections to 127.0.0.1:port. */
export async function openConnections(port, count) {
  const conns = Array.from({ length: count }, () => new Connection(port));
  await Promise.all(conns.map((c) => c.connect()));
  return conns;
}

/**
 * Sends `request` over `connections` keep-alive connections for `durationMs` (after `warmupMs` of
 * unmeasured traffic) and returns requests per second. Any answer other than `expectStatus` fails.
 * @param {{ port: number, request: Buffer, connections: number, durationMs: number, warmupMs?: number, expectStatus?: number,
 *   serverCpu?: () => number | undefined }} o
 */
export async function measureThroughput({ port, request, connections, durationMs, warmupMs = 0, expectStatus = 200, serverCpu }) {
  const conns = await openConnections(port, connections);
  try {
    let phase = 'warmup';
    let count = 0;
    let bytes = 0;
    const loop = async (c) => {
      while (phase !== 'done') {
        const r = await c.send(request);
        if (r.status !== expectStatus) throw new Error(`expected ${expectStatus}, got ${r.status}`);
        if (phase === 'measure') {
          count++;
          bytes += r.bytes;
        }
      }
    };
    const loops = conns.map(loop);
    const failed = Promise.race(loops.map((l) => l.then(() => new Promise(() => {}))));
    failed.catch(() => {}); // reported through wait() or Promise.all below
    const wait = (ms) => Promise.race([new Promise((r) => setTimeout(r, ms)), failed]);
    await wait(warmupMs);
    phase = 'measure';
    const server0 = serverCpu?.();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await wait(durationMs);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const server1 = serverCpu?.();
    phase = 'done';
    await Promise.all(loops);
    return {
      requestsPerSecond: count / seconds,
      requests: count,
      seconds,
      bytesPerAnswer: count ? bytes / count : 0,
      /** Share of one core the load generator itself used while measuring. */
      clientCpu: (cpu.user + cpu.system) / 1e6 / seconds,
      /** CPU seconds the server used while measuring, when `serverCpu` (a reading of its CPU clock) was given. */
      serverCpuSeconds: server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined,
    };
  } finally {
    for (const c of conns) c.close();
  }
}
