import { describeWithPostgres } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { testDatabaseProxy } from '../../helpers/tcp-proxy.js';
import { bearer } from '../../helpers/tokens.js';

// PostgreSQL going away under a running service: requests fail fast with 503, the process
// stays up, and it serves again once the database is back. Needs the real server, so it runs
// when TEST_DATABASE_URL is set (always in CI, where testBackends() insists on it).
describeWithPostgres('PostgreSQL unavailable (real server behind a loopback proxy)', () => {
  const proxy = testDatabaseProxy();
  let t: TestApp;
  const headers = bearer({ sub: 'fault-owner' });

  beforeAll(async () => {
    await proxy.start();
    t = await createTestApp({
      backend: 'postgres',
      databaseUrl: (url) => proxy.rewrite(url),
      database: { connectTimeoutMs: 1_000, queryTimeoutMs: 1_000 },
    });
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.stop();
  });

  const list = () => t.app.inject({ method: 'GET', url: '/api/data', headers });
  /**
   * After an outage a pooled connection that died unnoticed fails the request that picks it
   * up (503, retryable) and is discarded; recovery is bounded by the pool size, not by time.
   */
  async function listOnceRecovered() {
    for (let attempt = 1; ; attempt++) {
      const res = await list();
      if (res.statusCode !== 503 || attempt > 10) return res;
    }
  }
  const create = () => t.app.inject({ method: 'POST', url: '/api/data', headers, payload: { key: 'during-fault' } });

  it('serves normally through the proxy', async () => {
    expect((await create()).statusCode).toBe(201);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the database refuses connections', async () => {
    await proxy.stop();
    for (const res of [await list(), await create()]) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toMatchObject({ status: 'error', error: { code: 'SERVICE_UNAVAILABLE' } });
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    }
  });

  it('recovers by itself when the database is back', async () => {
    await proxy.start();
    const res = await listOnceRecovered();
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((record: { key: string }) => record.key)).toEqual(['during-fault']);
  });

  it('answers 503 within the query timeout, not never, when the database hangs', async () => {
    proxy.pause();
    // A list not read before, so the response cache cannot answer it.
    const res = await t.app.inject({ method: 'GET', url: '/api/data?key=during-hang', headers });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
    await proxy.stop();
    await proxy.start();
    expect((await listOnceRecovered()).statusCode).toBe(200);
  });
});
