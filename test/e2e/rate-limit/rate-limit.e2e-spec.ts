import { randomUUID } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import type { LightMyRequestResponse } from 'fastify';
import { Public } from '../../../src/auth/index.js';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../setup/create-test-app.js';
import { parseSamples, valueOf } from '../metrics/prometheus-text.js';
import { testRedisUrl } from '../../helpers/test-redis.js';
import { STEADY_CACHE_TIMEOUT_MS } from '../cache/steady-redis.js';

const MAX = 5;

/** A public route of a team module: limited like any other, by client address. */
@Controller('rate-limit-probe')
class PublicProbeController {
  @Get()
  @Public()
  probe() {
    return { ok: true };
  }
}

@Module({ controllers: [PublicProbeController] })
class PublicProbeModule {}

function rateLimitApp(redisUrl: string | undefined, options: TestAppOptions = {}): Promise<TestApp> {
  return createTestApp({
    sharedState: { rateLimitMax: MAX, rateLimitTtlS: 60, redisUrl, cacheTimeoutMs: STEADY_CACHE_TIMEOUT_MS },
    imports: [PublicProbeModule],
    ...options,
  });
}

// Unique subs and addresses per test: a shared Redis keeps counts across files and runs.
const freshSub = () => `rl-${randomUUID()}`;
const freshIp = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

const stores: [string, string | undefined][] = [['in-process', undefined]];
const redisUrl = testRedisUrl();
if (redisUrl) stores.push(['redis', redisUrl]);

describe.each(stores)('rate limiting (%s store)', (_store, url) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await rateLimitApp(url);
  });
  afterAll(() => t?.close());

  const list = (sub: string): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'GET', url: '/api/data', headers: bearer({ sub }) });

  async function rateLimitedTotal(): Promise<number> {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    return valueOf(parseSamples(res.body), 'rate_limited_total');
  }

  it('allows max requests per caller with RateLimit headers, then answers 429 RATE_LIMITED', async () => {
    const sub = freshSub();
    const before = await rateLimitedTotal();
    for (let i = 1; i <= MAX; i++) {
      const res = await list(sub);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe(String(MAX));
      expect(res.headers['ratelimit-remaining']).toBe(String(MAX - i));
      const reset = Number(res.headers['ratelimit-reset']);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
    }

    const refused = await list(sub);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      status: 'error',
      error: { code: 'RATE_LIMITED', message: expect.any(String) },
      path: '/api/data',
      requestId: expect.any(String),
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-limit']).toBe(String(MAX));
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-reset']).toBe(refused.headers['retry-after']);
    expect(await rateLimitedTotal()).toBe(before + 1);
  });

  it('gives each sub its own budget, whatever address it calls from', async () => {
    const [exhausted, other] = [freshSub(), freshSub()];
    for (let i = 0; i < MAX; i++) expect((await list(exhausted)).statusCode).toBe(200);
    expect((await list(exhausted)).statusCode).toBe(429);

    const res = await list(other);
    expect(res.statusCode).toBe(200);
    expect(res.headers['ratelimit-remaining']).toBe(String(MAX - 1));
  });

  it('one budget per caller across routes', async () => {
    const sub = freshSub();
    for (let i = 0; i < MAX; i++) expect((await list(sub)).statusCode).toBe(200);
    const other = await t.app.inject({ method: 'GET', url: `/api/data/${randomUUID()}`, headers: bearer({ sub }) });
    expect(other.statusCode).toBe(429);
  });

  it.each(['/health/live', '/health/ready', '/metrics'])('never limits %s', async (url) => {
    for (let i = 0; i < MAX * 3; i++) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('refuses unauthenticated requests with 401 before counting them (documented choice)', async () => {
    const remoteAddress = freshIp();
    for (let i = 0; i < MAX * 2; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/data', remoteAddress });
      expect(res.statusCode).toBe(401);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    // The address has its whole budget left for a public route.
    const res = await t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress });
    expect(res.headers['ratelimit-remaining']).toBe(String(MAX - 1));
  });

  it('limits anonymous requests to public routes by client address', async () => {
    const [a, b] = [freshIp(), freshIp()];
    for (let i = 0; i < MAX; i++) {
      expect((await t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress: a })).statusCode).toBe(200);
    }
    const refused = await t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress: a });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect((await t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress: b })).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const remoteAddress = freshIp();
    for (let i = 0; i < MAX; i++) {
      const headers = { 'x-forwarded-for': freshIp() };
      expect((await t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress, headers })).statusCode).toBe(200);
    }
    const res = await t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress, headers: { 'x-forwarded-for': freshIp() } });
    expect(res.statusCode).toBe(429);
  });
});

describe.each(stores)('rate limiting behind a trusted proxy (%s store)', (_store, url) => {
  let t: TestApp;
  const gateway = '192.0.2.10';

  beforeAll(async () => {
    t = await rateLimitApp(url, { http: { trustProxy: [gateway] } });
  });
  afterAll(() => t?.close());

  it('keys anonymous requests by the client address the gateway reports', async () => {
    const [client, other] = [freshIp(), freshIp()];
    const probe = (forwardedFor: string) =>
      t.app.inject({ method: 'GET', url: '/rate-limit-probe', remoteAddress: gateway, headers: { 'x-forwarded-for': forwardedFor } });
    for (let i = 0; i < MAX; i++) expect((await probe(client)).statusCode).toBe(200);
    expect((await probe(client)).statusCode).toBe(429);
    expect((await probe(other)).statusCode).toBe(200);
  });
});
