import type { Kysely } from 'kysely';
import { DATABASE } from '../../../src/platform/database/index.js';
import { ShutdownState } from '../../../src/platform/lifecycle/index.js';
import { testDatabaseProxy } from '../../helpers/tcp-proxy.js';
import { bearer } from '../../helpers/tokens.js';
import { describeWithPostgres, testBackends } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';

// Probes answer with terminus' own report (not the envelope), need no token, and are never cached.
describe.each(testBackends())('health probes (%s)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ backend });
  });
  afterAll(() => t?.close());

  const probe = (url: string) => t.app.inject({ method: 'GET', url });

  it('GET /health/live answers 200 without a token, terminus-shaped, not cached', async () => {
    const res = await probe('/health/live');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(res.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  });

  it('GET /health/ready answers 200 with the database up', async () => {
    const res = await probe('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, error: {} });
    expect(res.json()).not.toHaveProperty('requestId');
  });

  // Last in this block: a shutdown cannot be undone.
  it('GET /health/ready answers 503 as soon as shutdown begins, while liveness and the API still answer', async () => {
    t.app.get(ShutdownState).begin();
    const ready = await probe('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'shutting_down', info: {}, error: {}, details: {} });
    expect((await probe('/health/live')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/data', headers: bearer() })).statusCode).toBe(200);
  });
});

describe('readiness with the database gone (pglite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers 503 with the failed check, without the driver message', async () => {
    await t.app.get<Kysely<unknown>>(DATABASE).destroy();
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'error',
      info: {},
      error: { database: { status: 'down', message: 'database query failed', responseTime: expect.any(Number) } },
      details: { database: { status: 'down', message: 'database query failed', responseTime: expect.any(Number) } },
    });
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describeWithPostgres('readiness with PostgreSQL hanging (real server behind a loopback proxy)', () => {
  const proxy = testDatabaseProxy();
  let t: TestApp;

  beforeAll(async () => {
    await proxy.start();
    t = await createTestApp({
      backend: 'postgres',
      databaseUrl: (url) => proxy.rewrite(url),
      // Far above the readiness bound, so the bound seen below is the probe's own.
      database: { queryTimeoutMs: 20_000 },
    });
  });
  afterAll(async () => {
    await proxy.stop().catch(() => undefined);
    await t?.close();
  });

  it('fails fast (503 within seconds) instead of hanging with the database', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    proxy.pause();
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    // The probe's own bound fired, not the 20 s query timeout.
    expect(res.json()).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'timeout of 1000ms exceeded' } } });
    await proxy.stop();
  });
});
