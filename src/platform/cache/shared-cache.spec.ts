import Keyv from 'keyv';
import type { Counter } from 'prom-client';
import type { SharedStateConfig } from '../../config/index.js';
import { CacheInvalidator } from './cache-invalidator.js';
import { CACHE_RECOVERY_INTERVAL_MS, SharedCache } from './shared-cache.js';

const route = { route: '/api/data', params: {}, query: {} };
const alice = { kind: 'owner', sub: 'alice' } as const;
const bob = { kind: 'owner', sub: 'bob' } as const;
const admin = { kind: 'admin', sub: 'root' } as const;

function setup(store: Keyv = new Keyv()) {
  const counts: Record<string, number> = {};
  const counter = { inc: ({ result }: { result: string }) => (counts[result] = (counts[result] ?? 0) + 1) };
  const config = { cacheTtlS: 60, cacheTimeoutMs: 20 } as SharedStateConfig;
  const cache = new SharedCache(store, config, counter as unknown as Counter<'result'>, 'spec');
  return { cache, counts, invalidator: new CacheInvalidator(cache) };
}

describe('SharedCache', () => {
  it("invalidates an owner's entries and every admin view with one bump, leaving other owners' alone", async () => {
    const { cache, invalidator } = setup();
    const before = { alice: await cache.entryKey(alice, route), bob: await cache.entryKey(bob, route), admin: await cache.entryKey(admin, route) };
    await invalidator.invalidateOwner('alice');
    expect(await cache.entryKey(alice, route)).not.toBe(before.alice);
    expect(await cache.entryKey(admin, route)).not.toBe(before.admin);
    expect(await cache.entryKey(bob, route)).toBe(before.bob);
  });

  it('invalidates everything with invalidateAll', async () => {
    const { cache, invalidator } = setup();
    const before = await cache.entryKey(bob, route);
    await invalidator.invalidateAll();
    expect(await cache.entryKey(bob, route)).not.toBe(before);
  });

  it('stores and reads entries with a TTL', async () => {
    const { cache } = setup();
    await cache.set('k', 'v', 60_000);
    expect(await cache.get('k')).toBe('v');
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
      const store = new Keyv();
      const { cache, invalidator } = setup(store);
      const before = await cache.entryKey(alice, route);
      const set = jest.spyOn(store, 'set').mockRejectedValueOnce(new Error('down'));
      await invalidator.invalidateOwner('alice'); // the invalidation is lost...
      set.mockRestore();
      // ...so no entry is served (the stale `before` one included) until the epoch moved.
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + CACHE_RECOVERY_INTERVAL_MS);
      const after = await cache.entryKey(alice, route);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      jest.restoreAllMocks();
    });

    it('while suspect, tries to recover at most once per interval and otherwise skips the store', async () => {
      const store = new Keyv();
      const { cache } = setup(store);
      jest.spyOn(store, 'getMany').mockRejectedValueOnce(new Error('down'));
      const set = jest.spyOn(store, 'set').mockRejectedValueOnce(new Error('still down'));
      expect(await cache.entryKey(alice, route)).toBeUndefined(); // fails: suspect
      expect(await cache.entryKey(alice, route)).toBeUndefined(); // recovery attempt fails
      expect(await cache.entryKey(alice, route)).toBeUndefined(); // within the interval: no attempt
      expect(set).toHaveBeenCalledTimes(1);
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + CACHE_RECOVERY_INTERVAL_MS);
      expect(await cache.entryKey(alice, route)).toBeDefined();
      jest.restoreAllMocks();
    });
  });
});
