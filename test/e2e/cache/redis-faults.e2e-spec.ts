import { Logger } from '@nestjs/common';
import { OwnRedis } from '../../helpers/test-redis.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { DataApi, type Response, uniqueSub } from '../data/data-api.helper.js';

/** The warnings logged since the spy was set, starting with `prefix`. */
const warningsStartingWith = (warn: jest.SpyInstance, prefix: string): string[] =>
  warn.mock.calls.map(([message]) => String(message)).filter((line) => line.startsWith(prefix));

/**
 * A Redis of this suite's own, stopped and paused under the app: cached reads keep answering
 * from the database (200, never 5xx, never hanging), and caching resumes by itself.
 */
describe('response cache with a failing Redis', () => {
  let redis: OwnRedis;
  let testApp: TestApp;
  let api: DataApi;
  const alice = { sub: uniqueSub('alice') };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    // Long enough that load alone never fails a call (the warnings counted below are the outage's).
    testApp = await createTestApp({ sharedState: { redisUrl: redis.url, cacheTimeoutMs: 1_000 } });
    api = new DataApi(testApp.app);
  });
  afterAll(async () => {
    await redis?.stop();
    await testApp?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** Reads until one is a HIT (the cache came back); each read must be a 200 meanwhile. */
  async function untilHit(id: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const res = await api.get(alice, id);
      expect(res.statusCode).toBe(200);
      if (res.headers['x-cache'] === 'HIT') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('caching did not resume');
  }

  async function readsWhileDown(id: string, version: number): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const res = await api.get(alice, id);
      expect([res.statusCode, res.headers['x-cache'], res.json().data.version]).toEqual([200, 'MISS', version]);
      expect((await api.list(alice)).statusCode).toBe(200);
    }
  }

  it('serves from the database while Redis is stopped, then caches again once it is back', async () => {
    const record = await api.create(alice, { key: 'k' });
    await untilHit(record.id);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await redis.stop();
    await readsWhileDown(record.id, 1);
    // A write while Redis is gone still succeeds.
    expect((await api.put(alice, record.id, { key: 'k2' })).statusCode).toBe(200);
    await readsWhileDown(record.id, 2);
    // Probes are public and may come every second: the outage is logged once, not per probe.
    for (let i = 0; i < 20; i++) {
      const ready = await testApp.app.inject({ method: 'GET', url: '/health/ready' });
      expect([ready.statusCode, ready.json().info.redis.status]).toEqual([200, 'degraded']);
    }
    // Every failed cache call, unchecked request and failed check of this outage: one line each.
    expect(warningsStartingWith(warn, 'Cache unavailable')).toHaveLength(1);
    expect(warningsStartingWith(warn, 'Rate limit storage failed')).toHaveLength(1);
    expect(warningsStartingWith(warn, 'Redis check failed')).toHaveLength(1);
    await redis.restart();
    await untilHit(record.id);
    expect((await api.get(alice, record.id)).json().data.version).toBe(2);
    const ready = await testApp.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
  });

  it('serves from the database while Redis hangs (SIGSTOP), and never serves what a write during the pause made stale', async () => {
    const record = await api.create(alice, { key: 'k' });
    await untilHit(record.id);
    redis.pause();
    try {
      await readsWhileDown(record.id, 1);
      const ready = await testApp.app.inject({ method: 'GET', url: '/health/ready' });
      expect([ready.statusCode, ready.json().status, ready.json().info.redis.status]).toEqual([200, 'degraded', 'degraded']);
      // This write's invalidation times out (Redis may apply it after SIGCONT, or not); the
      // version-1 entry must not be served either way: the replica flushes on recovery.
      expect((await api.put(alice, record.id, { key: 'k2' })).statusCode).toBe(200);
      await readsWhileDown(record.id, 2);
    } finally {
      redis.resume();
    }
    await untilHit(record.id);
    expect((await api.get(alice, record.id)).json().data.version).toBe(2);
  });
});

/**
 * The per-request bound with Redis hung: a request waits on Redis at most CACHE_TIMEOUT_MS, once,
 * however many Redis calls it makes (rate limit, cache lookup, store, invalidation). The
 * timeout is large, so that one timeout plus a loaded machine's slack stays clearly under two.
 */
describe('response cache with a hung Redis: time added per request', () => {
  const TIMEOUT_MS = 3_000;
  /**
   * One timeout plus two seconds of slack (a full test run on a loaded machine has stalled single
   * requests for over a second); two timeouts would exceed it.
   */
  const BOUND_MS = 5_000;
  let redis: OwnRedis;
  let testApp: TestApp;
  let api: DataApi;
  const alice = { sub: uniqueSub('alice') };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    testApp = await createTestApp({ sharedState: { redisUrl: redis.url, cacheTimeoutMs: TIMEOUT_MS } });
    api = new DataApi(testApp.app);
  });
  afterAll(async () => {
    await redis?.stop();
    await testApp?.close();
  });

  async function timed(request: () => Promise<Response>): Promise<{ status: number; ms: number }> {
    const startedAt = Date.now();
    const res = await request();
    return { status: res.statusCode, ms: Date.now() - startedAt };
  }

  it('adds at most CACHE_TIMEOUT_MS to each cached read and each write, the first one included', async () => {
    const record = await api.create(alice, { key: 'k' });
    await api.get(alice, record.id);
    expect((await api.get(alice, record.id)).headers['x-cache']).toBe('HIT');
    redis.pause();
    const answers: { what: string; status: number; ms: number }[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        answers.push({ what: 'get', ...(await timed(() => api.get(alice, record.id))) });
        answers.push({ what: 'list', ...(await timed(() => api.list(alice))) });
        answers.push({ what: 'put', ...(await timed(() => api.put(alice, record.id, { key: `k${round}` }))) });
        answers.push({ what: 'post', ...(await timed(() => api.post(alice, { key: 'other' }))) });
      }
    } finally {
      redis.resume();
    }
    process.stdout.write(`hung Redis, ms per request: ${answers.map((a) => `${a.what} ${a.ms}`).join(', ')}\n`);
    expect(answers.filter((a) => a.status < 200 || a.status > 299)).toEqual([]);
    expect(answers.filter((a) => a.ms >= BOUND_MS)).toEqual([]);
    // Caching resumes once Redis answers again, and serves the last write.
    for (let attempt = 0; attempt < 100; attempt++) {
      const res = await api.get(alice, record.id);
      if (res.headers['x-cache'] === 'HIT') {
        expect(res.json().data.key).toBe('k2');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('caching did not resume');
  }, 90_000);
});
