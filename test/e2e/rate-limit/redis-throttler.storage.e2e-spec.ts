import { randomUUID } from 'node:crypto';
import { RedisBreaker, RedisUnavailableError } from '../../../src/platform/cache/redis-breaker.js';
import { RedisThrottlerStorage } from '../../../src/platform/rate-limit/redis-throttler.storage.js';
import { describeWithRedis, OwnRedis } from '../../helpers/test-redis.js';

async function connected(storage: RedisThrottlerStorage): Promise<RedisThrottlerStorage> {
  await storage.onModuleInit();
  // The storage connects in the background; a probe key shows when it is ready.
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await storage.increment(`probe-${randomUUID()}`, 1_000, 1, 1_000);
      return storage;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error('storage never connected');
}

describeWithRedis('RedisThrottlerStorage (script semantics on a real Redis)', (url) => {
  let storage: RedisThrottlerStorage;

  beforeAll(async () => {
    storage = await connected(new RedisThrottlerStorage({ url, breaker: new RedisBreaker(2_000) }));
  });

  afterAll(async () => {
    await storage.onApplicationShutdown();
  });

  it('counts hits in one window and blocks the first one over the limit', async () => {
    const key = randomUUID();
    const records = [];
    for (let i = 0; i < 4; i++) records.push(await storage.increment(key, 60_000, 3, 60_000));
    expect(records.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    for (const record of records) {
      expect(record.timeToExpire).toBeGreaterThan(0);
      expect(record.timeToExpire).toBeLessThanOrEqual(60);
    }
    expect(records[3].timeToBlockExpire).toBeGreaterThan(0);
    expect(records[3].timeToBlockExpire).toBeLessThanOrEqual(60);
    expect(records[0].timeToBlockExpire).toBe(0);
  });

  it('stays blocked for the block duration, not the rest of the window', async () => {
    const key = randomUUID();
    for (let i = 0; i < 2; i++) await storage.increment(key, 60_000, 1, 3_600_000);
    const blocked = await storage.increment(key, 60_000, 1, 3_600_000);
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.timeToBlockExpire).toBeGreaterThan(60);
  });

  it('keeps keys apart', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await storage.increment(a, 60_000, 1, 60_000);
    expect((await storage.increment(a, 60_000, 1, 60_000)).isBlocked).toBe(true);
    expect(await storage.increment(b, 60_000, 1, 60_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window once the key expires', async () => {
    const key = randomUUID();
    await storage.increment(key, 1_000, 1, 1_000);
    expect((await storage.increment(key, 1_000, 1, 1_000)).isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await storage.increment(key, 1_000, 1, 1_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts exactly under concurrency (the increment is atomic)', async () => {
    const key = randomUUID();
    const records = await Promise.all(Array.from({ length: 50 }, () => storage.increment(key, 60_000, 10, 60_000)));
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(10);
    expect(new Set(records.map((r) => r.totalHits)).size).toBe(50);
  });
});

describeWithRedis('RedisThrottlerStorage failures', () => {
  it('rejects at once while it cannot connect, instead of queueing', async () => {
    const redis = await OwnRedis.start();
    await redis.stop();
    const storage = new RedisThrottlerStorage({ url: redis.url, breaker: new RedisBreaker(50) });
    await storage.onModuleInit();
    try {
      await expect(storage.increment('k', 1_000, 1, 1_000)).rejects.toThrow('not connected');
    } finally {
      await storage.onApplicationShutdown();
    }
  });

  it('rejects a call that Redis never answers (SIGSTOP), and the next ones at once through the open breaker', async () => {
    const redis = await OwnRedis.start();
    const breaker = new RedisBreaker(50);
    const storage = await connected(new RedisThrottlerStorage({ url: redis.url, breaker }));
    try {
      redis.pause();
      await expect(storage.increment('k', 1_000, 1, 1_000)).rejects.toThrow('did not answer');
      expect(breaker.isOpen).toBe(true);
      await expect(storage.increment('k', 1_000, 1, 1_000)).rejects.toBeInstanceOf(RedisUnavailableError);
    } finally {
      breaker.stop();
      await storage.onApplicationShutdown();
      await redis.stop();
    }
  });
});
