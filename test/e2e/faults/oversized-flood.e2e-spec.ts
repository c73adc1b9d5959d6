import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { parseRawResponse } from '../../helpers/raw-http.js';
import { MAIN_JS } from '../../helpers/server-process.js';
import { token } from '../../helpers/tokens.js';
import { type ChildApp, startChildApp } from './child-app.js';

// 200 clients at once, each sending a body four times BODY_LIMIT: every one is refused with
// 413, the process keeps serving, and its memory stays bounded because it never buffers
// more than the limit per request.
const BODY_LIMIT = 1024 * 1024;
const CONNECTIONS = 200;
const BODY_BYTES = 4 * BODY_LIMIT;
const SLICE = Buffer.alloc(64 * 1024, 'a');
const PREFIX_BYTES = Buffer.byteLength(`{"key":"${'0'.repeat(36)}","attributes":{"pad":"`);
/** Headroom over the idle process: a quarter of what buffering every body whole would take. */
const RSS_GROWTH_BOUND = (CONNECTIONS * BODY_BYTES) / 4;

/** `data` as one HTTP/1.1 chunk. */
const frame = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

interface Outcome {
  status: number;
  code?: string;
  /** When no response could be read: the socket's error and what had arrived, to tell why. */
  socketError?: string;
  received?: string;
}

/**
 * One client: headers, then up to BODY_BYTES of body as fast as the socket takes it, stopping
 * when the server answers. Half the clients declare Content-Length, half send chunks (the
 * server can only find out by reading those).
 */
function oversizedPost(port: number, chunked: boolean, authorization: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    // The JSON prefix is part of the body: the declared length leaves room for it.
    let sent = PREFIX_BYTES;
    const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${BODY_BYTES}`;
    const pump = () => {
      while (sent < BODY_BYTES && !response && socket.writable) {
        const slice = SLICE.subarray(0, Math.min(SLICE.length, BODY_BYTES - sent));
        sent += slice.length;
        if (!socket.write(chunked ? frame(slice) : slice)) return;
      }
    };
    socket.on('drain', pump);
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    let socketError: string | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => (socketError = error.code ?? error.message));
    socket.on('close', () => {
      try {
        const parsed = parseRawResponse(response);
        resolve({ status: parsed.status, code: (parsed.body as { error?: { code?: string } }).error?.code });
      } catch {
        resolve({ status: 0, socketError, received: response.slice(0, 200) });
      }
    });
    const prefix = Buffer.from(`{"key":"${randomUUID()}","attributes":{"pad":"`);
    socket.write(
      `POST /api/data HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n` +
        `Content-Type: application/json\r\n${framing}\r\n\r\n`,
    );
    socket.write(chunked ? frame(prefix) : prefix);
    pump();
  });
}

describe('oversized bodies from 200 concurrent connections (dist/main.js)', () => {
  let app: ChildApp;
  const authorization = `Bearer ${token({ sub: 'flood-owner' })}`;

  beforeAll(async () => {
    if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: npm test builds it first (pretest)');
    app = await startChildApp({ BODY_LIMIT: String(BODY_LIMIT), RATE_LIMIT_MAX: '1000000', LOG_LEVEL: 'warn' });
  });
  afterAll(() => app?.kill());

  it('answers every one with 413 PAYLOAD_TOO_LARGE, stores nothing and keeps RSS bounded', async () => {
    // Warm up the paths the flood takes, so the baseline is not an unjitted idle process.
    for (let i = 0; i < 4; i++) await oversizedPost(app.port, i % 2 === 0, authorization);
    const baseline = app.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, app.rss())), 20);

    const outcomes = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => oversizedPost(app.port, i % 2 === 1, authorization)));
    clearInterval(sampler);
    peak = Math.max(peak, app.rss());

    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    process.stdout.write(`oversized flood: RSS baseline ${mb(baseline)}, peak ${mb(peak)}, growth ${mb(peak - baseline)} (bound ${mb(RSS_GROWTH_BOUND)})\n`);
    expect(outcomes.filter((o) => o.status !== 413 || o.code !== 'PAYLOAD_TOO_LARGE')).toEqual([]);
    expect(peak - baseline).toBeLessThan(RSS_GROWTH_BOUND);

    expect(app.alive()).toBe(true);
    const listed = await fetch(new URL('/api/data', app.base), { headers: { authorization } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
  }, 60_000);
});
