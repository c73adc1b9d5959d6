import { Logger } from '@nestjs/common';
import Keyv from 'keyv';
import type { Counter } from 'prom-client';
import type { SharedStateConfig } from '../../config/index.js';
import { CacheInvalidator } from './cache-invalidator.js';
import type { CacheScope } from './cache-keys.js';
import { REDIS_PROBE_INTERVAL_MS, RedisBreaker } from './redis-breaker.js';
import { CACHE_ERROR_LOG_INTERVAL_MS, SharedCache } from './shared-cache.js';

const route = { route: '/api/data', params: {}, query: {} };
const alice = { kind: 'owner', sub: 'alice' } as const;
const bob = { kind: 'owner', sub: 'bob' } as const;
const admin = { kind: 'admin', sub: 'root' } as const;

function setup(store: Keyv = new Keyv()) {
  const counts: Record<string, number> = {};
  const counter = { inc: ({ result }: { result: string }) => (counts[result] = (counts[result] ?? 0) + 1) };
  const config = { cacheTtlS: 60, cacheTimeoutMs: 20 } as SharedStateConfig;
  const breaker = new RedisBreaker(config.cacheTimeoutMs);
  const cache = new SharedCache(store, config, counter as unknown as Counter<'result'>, 'spec', breaker);
  caches.push(cache);
  return { cache, counts, breaker, invalidator: new CacheInvalidator(cache) };
}

// Closed after each test: no probe of a broken store outlives its test.
const caches: SharedCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
  jest.restoreAllMocks();
  jest.useRealTimers();
});

/** Looks the scope's entry up and, on a miss, stores `value` in its slot; answers what the lookup found. */
async function readThrough(cache: SharedCache, scope: CacheScope, value: string): Promise<string | undefined> {
  const found = await cache.lookup(scope, route);
  if (found && found.value === undefined) await cache.save(found.slot, value, 60_000);
  return found?.value;
}

describe('SharedCache', () => {
  it('serves a stored entry to the next lookup of the same scope only', async () => {
    const { cache } = setup();
    expect(await readThrough(cache, alice, 'alice-view')).toBeUndefined();
    expect(await readThrough(cache, alice, 'unused')).toBe('alice-view');
    expect(await readThrough(cache, bob, 'bob-view')).toBeUndefined();
    expect(await readThrough(cache, admin, 'admin-view')).toBeUndefined();
  });

  it("invalidates an owner's entries and every admin view with one bump, leaving other owners' alone", async () => {
    const { cache, invalidator } = setup();
    for (const scope of [alice, bob, admin]) await readThrough(cache, scope, `${scope.sub}-view`);
    await invalidator.invalidateOwner('alice');
    expect((await cache.lookup(alice, route))?.value).toBeUndefined();
    expect((await cache.lookup(admin, route))?.value).toBeUndefined();
    expect((await cache.lookup(bob, route))?.value).toBe('bob-view');
  });

  it('invalidates everything with invalidateAll', async () => {
    const { cache, invalidator } = setup();
    await readThrough(cache, bob, 'bob-view');
    await invalidator.invalidateAll();
    expect((await cache.lookup(bob, route))?.value).toBeUndefined();
  });

  it('never serves an entry stored under generations a write has bumped since its lookup', async () => {
    const { cache, invalidator } = setup();
    const found = await cache.lookup(alice, route);
    await invalidator.invalidateOwner('alice'); // a write lands while the handler reads the database
    await cache.save(found!.slot, 'read-before-the-write', 60_000);
    expect((await cache.lookup(alice, route))?.value).toBeUndefined();
  });

  it('reads the generations and the entry in one store call', async () => {
    const store = new Keyv();
    const { cache } = setup(store);
    const getMany = jest.spyOn(store, 'getMany');
    const get = jest.spyOn(store, 'get');
    await readThrough(cache, alice, 'alice-view');
    await readThrough(cache, alice, 'unused');
    expect(getMany).toHaveBeenCalledTimes(2);
    expect(get).not.toHaveBeenCalled();
  });

  it('stores and reads entries with a TTL, and forgets them after it', async () => {
    const { cache } = setup();
    await cache.set('k', 'v', 60_000);
    await cache.set('short', 'v', 1);
    expect(await cache.get('k')).toBe('v');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await cache.get('short')).toBeUndefined();
  });

  describe('when the store fails or hangs', () => {
    const broken = (behaviour: 'throw' | 'hang') => {
      const store = new Keyv();
      const fail = () => (behaviour === 'throw' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise<never>(() => undefined));
      jest.spyOn(store, 'get').mockImplementation(fail);
      jest.spyOn(store, 'getMany').mockImplementation(fail);
      jest.spyOn(store, 'set').mockImplementation(fail);
      return store;
    };

    it.each(['throw', 'hang'] as const)('treats a call that %ss as a miss or no-op, counted as an error', async (behaviour) => {
      const { cache, counts } = setup(broken(behaviour));
      await expect(cache.get('k')).resolves.toBeUndefined();
      await expect(cache.set('k', 'v', 1_000)).resolves.toBeUndefined();
      await expect(cache.bump(['g'])).resolves.toBe(false);
      expect(counts.error).toBe(3);
    });

    it('bypasses the cache after a failure until a recovery flush (epoch bump) succeeds', async () => {
      jest.useFakeTimers();
      const store = new Keyv();
      const { cache, invalidator } = setup(store);
      await readThrough(cache, alice, 'before-the-write');
      const before = (await cache.lookup(alice, route))!;
      expect(before.value).toBe('before-the-write');
      const set = jest.spyOn(store, 'set').mockRejectedValueOnce(new Error('down'));
      await invalidator.invalidateOwner('alice'); // the invalidation is lost...
      set.mockRestore();
      // ...so the stale entry is not served: the cache is bypassed until the epoch has moved.
      expect(await cache.lookup(alice, route)).toBeUndefined();
      await jest.advanceTimersByTimeAsync(REDIS_PROBE_INTERVAL_MS);
      const after = await cache.lookup(alice, route);
      expect(after).toBeDefined();
      expect(after?.value).toBeUndefined();
      expect(after?.slot.stamp).not.toBe(before.slot.stamp);
    });

    it('while failing, skips the store (each skip counted) and recovers on a timer, with no request', async () => {
      jest.useFakeTimers();
      const store = new Keyv();
      const { cache, counts } = setup(store);
      jest.spyOn(store, 'getMany').mockRejectedValueOnce(new Error('down'));
      const set = jest.spyOn(store, 'set').mockRejectedValueOnce(new Error('still down'));
      expect(await cache.lookup(alice, route)).toBeUndefined(); // fails: the breaker opens
      expect(await cache.lookup(alice, route)).toBeUndefined(); // skipped
      expect(await cache.bump(['g'])).toBe(false); // skipped: no write reaches the store
      expect(set).not.toHaveBeenCalled();
      expect(counts.error).toBe(3);
      await jest.advanceTimersByTimeAsync(0); // the first flush, at once, fails
      expect(set).toHaveBeenCalledTimes(1);
      expect(await cache.lookup(alice, route)).toBeUndefined();
      await jest.advanceTimersByTimeAsync(REDIS_PROBE_INTERVAL_MS); // the second flushes
      expect(set).toHaveBeenCalledTimes(2);
      expect(await cache.get(cache.keys.epoch)).toBeDefined();
      expect(await cache.lookup(alice, route)).toBeDefined();
    });

    it('logs failures at most once per interval, with the count the line stands for', async () => {
      jest.useFakeTimers();
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { cache } = setup(broken('throw'));
      for (let i = 0; i < 50; i++) await cache.lookup(alice, route);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/^Cache unavailable, serving from the database \(1 since the last report\): Error: ECONNREFUSED$/));
      await jest.advanceTimersByTimeAsync(CACHE_ERROR_LOG_INTERVAL_MS);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('(49 since the last report)'));
    });
  });
});
