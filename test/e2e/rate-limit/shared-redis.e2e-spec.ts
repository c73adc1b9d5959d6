import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { describeWithRedis, OwnRedis } from '../../helpers/test-redis.js';
import { STEADY_CACHE_TIMEOUT_MS } from '../cache/steady-redis.js';
import { parseSamples, valueOf } from '../metrics/prometheus-text.js';

const MAX = 5;
const limits = (redisUrl: string, cacheTimeoutMs = STEADY_CACHE_TIMEOUT_MS) => ({
  sharedState: { rateLimitMax: MAX, rateLimitTtlS: 60, redisUrl, cacheTimeoutMs },
});
/** Long enough for a loaded machine, short enough that the one request that meets the hang waits little. */
const HANG_TIMEOUT_MS = 1_000;

describeWithRedis('rate limit shared by two instances through Redis', (url) => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp(limits(url));
    b = await createTestApp(limits(url));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('together allow exactly the limit', async () => {
    const headers = bearer({ sub: `rl-${randomUUID()}` });
    const statuses: number[] = [];
    for (let i = 0; i < MAX * 2; i++) {
      const app = i % 2 === 0 ? a : b;
      statuses.push((await app.app.inject({ method: 'GET', url: '/api/data', headers })).statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(MAX);
    expect(statuses.slice(MAX).every((s) => s === 429)).toBe(true);
  });
});

describeWithRedis('rate limiting with Redis failing (fails open)', () => {
  let redis: OwnRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await createTestApp(limits(redis.url, HANG_TIMEOUT_MS));
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const list = (sub: string) => t.app.inject({ method: 'GET', url: '/api/data', headers: bearer({ sub }) });

  it('limits while Redis answers, lets requests through while it hangs, limits again once it is back', async () => {
    const sub = `rl-${randomUUID()}`;
    expect((await list(sub)).headers['ratelimit-remaining']).toBe(String(MAX - 1));

    redis.pause();
    for (let i = 0; i < MAX * 2; i++) {
      const res = await list(sub);
      expect(res.statusCode).toBe(200);
      // Unchecked, so no claim about the budget.
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }

    redis.resume();
    // The requests written before the pause are answered now; counting resumes on the same key
    // once the replica's next probe (at most a second apart) has found Redis answering.
    let res = await list(sub);
    for (let attempt = 0; attempt < 100 && res.headers['ratelimit-limit'] === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await list(sub);
    }
    expect(res.headers['ratelimit-limit']).toBe(String(MAX));
    for (let i = 0; i < MAX; i++) res = await list(sub);
    expect(res.statusCode).toBe(429);
  });

  it('lets requests through while Redis is gone', async () => {
    await redis.stop();
    const sub = `rl-${randomUUID()}`;
    for (let i = 0; i < MAX * 2; i++) {
      const res = await list(sub);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });
});

describeWithRedis('rate limiting when Redis is unreachable from the start', () => {
  afterEach(() => jest.restoreAllMocks());

  it('starts and serves requests unchecked, counts each one, and logs one warning for all of them', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const redis = await OwnRedis.start();
    await redis.stop();
    const t = await createTestApp(limits(redis.url));
    const errors = async () => valueOf(parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body), 'rate_limit_errors_total');
    try {
      const before = await errors();
      for (let i = 0; i < MAX * 2; i++) {
        expect((await t.app.inject({ method: 'GET', url: '/api/data', headers: bearer({ sub: 'unreachable' }) })).statusCode).toBe(200);
      }
      expect(await errors()).toBe(before + MAX * 2);
      const lines = warn.mock.calls.map(([message]) => String(message)).filter((line) => line.startsWith('Rate limit storage failed'));
      expect(lines).toEqual([expect.stringMatching(/^Rate limit storage failed, requests allowed unchecked \(1 since the last report\): /)]);
    } finally {
      await t.close();
    }
  });
});
