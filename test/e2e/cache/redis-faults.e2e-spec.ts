import { OwnRedis } from '../../helpers/test-redis.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { DataApi, uniqueSub } from '../data/data-api.helper.js';

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
    testApp = await createTestApp({ sharedState: { redisUrl: redis.url, cacheTimeoutMs: 100 } });
    api = new DataApi(testApp.app);
  });
  afterAll(async () => {
    await redis?.stop();
    await testApp?.close();
  });

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
    await redis.stop();
    await readsWhileDown(record.id, 1);
    // A write while Redis is gone still succeeds.
    expect((await api.put(alice, record.id, { key: 'k2' })).statusCode).toBe(200);
    await readsWhileDown(record.id, 2);
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
