import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { parseRawResponse } from '../../helpers/raw-http.js';
import { MAIN_JS } from '../../helpers/server-process.js';
import { token } from '../../helpers/tokens.js';
import { type ChildApp, startChildApp, trickle, type TrickleResult } from './child-app.js';

// Slowloris and trickled bodies against the built app: each slow connection is cut with 408
// within the configured timeouts, while an ordinary client on the same server is served as usual.
const HEADERS_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 4_000;
/**
 * The ordinary client's slowest request. A server that made it wait for the slow connections to
 * be cut would take HEADERS_TIMEOUT_MS or more; the rest is slack for a loaded machine.
 */
const ORDINARY_BOUND_MS = 2_000;
const SLOW_CLIENTS = 20;
const TRICKLE_MS = 100;

describe('slow clients against the server process (dist/main.js)', () => {
  let app: ChildApp;
  const authorization = `Bearer ${token({ sub: 'slow-owner' })}`;

  beforeAll(async () => {
    if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: npm test builds it first (pretest)');
    app = await startChildApp({ HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  });
  afterAll(() => app?.kill());

  /** An ordinary client: creates records back to back until `done()`; returns each latency. */
  async function ordinaryClient(done: () => boolean): Promise<{ statuses: number[]; slowestMs: number }> {
    const statuses: number[] = [];
    let slowestMs = 0;
    while (!done()) {
      const startedAt = Date.now();
      const res = await fetch(new URL('/api/data', app.base), {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'ordinary' }),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
      slowestMs = Math.max(slowestMs, Date.now() - startedAt);
      await delay(50);
    }
    return { statuses, slowestMs };
  }

  async function alongsideOrdinaryTraffic(slow: () => Promise<TrickleResult>[]) {
    let finished = false;
    const ordinary = ordinaryClient(() => finished);
    const results = await Promise.all(slow());
    finished = true;
    return { results, ordinary: await ordinary };
  }

  function expectTimedOut(result: TrickleResult, withinMs: number): void {
    const response = parseRawResponse(result.response);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 408, body: { error: { code: 'REQUEST_TIMEOUT' } } });
    expect(result.closedBy).toBe('server');
    expect(result.elapsedMs).toBeLessThan(withinMs);
  }

  it(`${SLOW_CLIENTS} slowloris connections trickling headers get 408, while another client is served`, async () => {
    const { results, ordinary } = await alongsideOrdinaryTraffic(() =>
      Array.from({ length: SLOW_CLIENTS }, () =>
        trickle(app.port, 'GET /api/data HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow: ${'a'.repeat(1_000)}\r\n\r\n`, TRICKLE_MS, 15_000),
      ),
    );
    // Node checks the timeouts every second: a generous bound over HEADERS_TIMEOUT_MS.
    for (const result of results) expectTimedOut(result, HEADERS_TIMEOUT_MS + 4_000);
    expect(ordinary.statuses.length).toBeGreaterThan(5);
    expect(new Set(ordinary.statuses)).toEqual(new Set([201]));
    expect(ordinary.slowestMs).toBeLessThan(ORDINARY_BOUND_MS);
  }, 60_000);

  it(`${SLOW_CLIENTS} connections trickling their bodies get 408 and store nothing, while another client is served`, async () => {
    const key = `trickled-${randomUUID()}`;
    const body = JSON.stringify({ key, attributes: { pad: 'p'.repeat(500) } });
    const head =
      `POST /api/data HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const { results, ordinary } = await alongsideOrdinaryTraffic(() =>
      Array.from({ length: SLOW_CLIENTS }, () => trickle(app.port, head, body, TRICKLE_MS, 15_000)),
    );
    for (const result of results) expectTimedOut(result, REQUEST_TIMEOUT_MS + 4_000);
    expect(new Set(ordinary.statuses)).toEqual(new Set([201]));
    expect(ordinary.slowestMs).toBeLessThan(ORDINARY_BOUND_MS);

    const listed = await fetch(new URL(`/api/data?key=${key}`, app.base), { headers: { authorization } });
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
    expect(app.alive()).toBe(true);
  }, 60_000);
});
