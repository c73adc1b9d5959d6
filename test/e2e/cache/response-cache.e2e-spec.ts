import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataRepository } from '../../../src/modules/data/data.repository.js';
import { cacheStores, cacheStoreUrl } from '../../setup/backends.js';
import { type Caller, type DataApi, uniqueSub, useDataSuite } from '../data/data-api.helper.js';
import { STEADY_CACHE_TIMEOUT_MS } from './steady-redis.js';

const xCache = (res: { headers: Record<string, unknown> }) => res.headers['x-cache'];
const findSpy = (app: NestFastifyApplication) => jest.spyOn(app.get(DataRepository, { strict: false }), 'find');
const listSpy = (app: NestFastifyApplication) => jest.spyOn(app.get(DataRepository, { strict: false }), 'list');

describe.each(cacheStores())('response cache (%s store)', (store) => {
  const suite = useDataSuite('pglite', { sharedState: { redisUrl: cacheStoreUrl(store), cacheTimeoutMs: STEADY_CACHE_TIMEOUT_MS } });
  let api: DataApi;
  let alice: Caller;
  let bob: Caller;
  const admin = (): Caller => ({ sub: uniqueSub('admin'), scope: 'data:admin' });

  beforeEach(() => {
    api = suite.api;
    alice = { sub: uniqueSub('alice') };
    bob = { sub: uniqueSub('bob') };
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers a first read with MISS and the next from the cache with HIT, without the database', async () => {
    const record = await api.create(alice, { key: 'k' });
    const first = await api.get(alice, record.id);
    expect([first.statusCode, xCache(first)]).toEqual([200, 'MISS']);
    const find = findSpy(suite.app);
    const second = await api.get(alice, record.id);
    expect([second.statusCode, xCache(second)]).toEqual([200, 'HIT']);
    expect(second.json().data).toEqual(first.json().data);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(find).not.toHaveBeenCalled();

    const list = listSpy(suite.app);
    expect(xCache(await api.list(alice, 'limit=5'))).toBe('MISS');
    const hit = await api.list(alice, 'limit=5');
    expect([xCache(hit), hit.json().data.map((r: { id: string }) => r.id), hit.json().page]).toEqual(['HIT', [record.id], { limit: 5, nextCursor: null }]);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it("never gives one caller another caller's cached body for the same URL", async () => {
    const record = await api.create(alice, { key: 'alice-secret' });
    expect(xCache(await api.get(alice, record.id))).toBe('MISS');
    expect(xCache(await api.get(alice, record.id))).toBe('HIT');
    expect((await api.list(alice)).json().data).toHaveLength(1);

    const bobRead = await api.get(bob, record.id);
    expect([bobRead.statusCode, xCache(bobRead)]).toEqual([404, 'MISS']);
    const bobList = await api.list(bob);
    expect([xCache(bobList), bobList.json().data]).toEqual(['MISS', []]);
  });

  it('keeps admin and owner views apart', async () => {
    const root = admin();
    const record = await api.create(alice, { key: 'k' });
    await api.create(bob, { key: 'k' });
    expect((await api.list(alice, 'key=k')).json().data).toHaveLength(1);
    const adminList = await api.list(root, 'key=k');
    expect(xCache(adminList)).toBe('MISS');
    expect(adminList.json().data.map((r: { owner: string }) => r.owner)).toEqual(expect.arrayContaining([alice.sub, bob.sub]));
    expect(xCache(await api.get(root, record.id))).toBe('MISS');
  });

  it('answers If-None-Match with 304 from the cache, without the database', async () => {
    const record = await api.create(alice, { key: 'k' });
    const first = await api.get(alice, record.id);
    const find = findSpy(suite.app);
    const conditional = await api.get(alice, record.id, { 'if-none-match': first.headers.etag as string });
    expect([conditional.statusCode, xCache(conditional), conditional.headers.etag, conditional.body]).toEqual([304, 'HIT', '"1"', '']);
    expect(find).not.toHaveBeenCalled();
  });

  it('reads the database once for concurrent misses of one key (single-flight)', async () => {
    const record = await api.create(alice, { key: 'k' });
    const find = findSpy(suite.app);
    const reads = await Promise.all(Array.from({ length: 8 }, () => api.get(alice, record.id)));
    expect(reads.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    expect(new Set(reads.map((r) => r.json().data.version))).toEqual(new Set([1]));
    expect(find).toHaveBeenCalledTimes(1);
  });

  describe('invalidation on every write', () => {
    async function cachedViews(caller: Caller, id: string) {
      await api.get(caller, id);
      await api.list(caller);
      expect(xCache(await api.get(caller, id))).toBe('HIT');
      expect(xCache(await api.list(caller))).toBe('HIT');
    }

    it('PUT: the item and the lists show the new version at once', async () => {
      const record = await api.create(alice, { key: 'before' });
      await cachedViews(alice, record.id);
      expect((await api.put(alice, record.id, { key: 'after' })).statusCode).toBe(200);
      const item = await api.get(alice, record.id);
      expect([xCache(item), item.json().data.key, item.headers.etag]).toEqual(['MISS', 'after', '"2"']);
      expect((await api.list(alice)).json().data[0].key).toBe('after');
      // The old ETag no longer earns a 304.
      expect((await api.get(alice, record.id, { 'if-none-match': '"1"' })).statusCode).toBe(200);
    });

    it('DELETE: the item is gone and the lists no longer hold it', async () => {
      const record = await api.create(alice, { key: 'k' });
      await cachedViews(alice, record.id);
      expect((await api.delete(alice, record.id)).statusCode).toBe(204);
      expect((await api.get(alice, record.id)).statusCode).toBe(404);
      expect((await api.list(alice)).json().data).toEqual([]);
    });

    it('POST: the lists show the new record', async () => {
      const first = await api.create(alice, { key: 'k' });
      await cachedViews(alice, first.id);
      const second = await api.create(alice, { key: 'k' });
      expect((await api.list(alice)).json().data.map((r: { id: string }) => r.id)).toEqual([second.id, first.id]);
    });

    it("an admin view never serves stale data after an owner's write, nor an owner view after an admin's", async () => {
      const root = admin();
      const record = await api.create(alice, { key: 'v1' });
      await cachedViews(root, record.id);
      await cachedViews(alice, record.id);
      await api.put(alice, record.id, { key: 'v2' });
      expect((await api.get(root, record.id)).json().data.key).toBe('v2');
      expect((await api.list(root, 'limit=100')).json().data.find((r: { id: string }) => r.id === record.id).key).toBe('v2');
      await cachedViews(alice, record.id);
      await api.put(root, record.id, { key: 'v3' });
      expect((await api.get(alice, record.id)).json().data.key).toBe('v3');
      await cachedViews(alice, record.id);
      expect((await api.delete(root, record.id)).statusCode).toBe(204);
      expect((await api.get(alice, record.id)).statusCode).toBe(404);
      expect((await api.list(alice)).json().data).toEqual([]);
    });

    it("leaves other owners' entries cached", async () => {
      const own = await api.create(bob, { key: 'k' });
      await cachedViews(bob, own.id);
      await api.create(alice, { key: 'k' });
      expect(xCache(await api.get(bob, own.id))).toBe('HIT');
    });
  });

  it('counts hits and misses in cache_requests_total', async () => {
    const metric = async (result: string) => {
      const text = (await suite.app.inject({ method: 'GET', url: '/metrics' })).body;
      return Number(new RegExp(`^cache_requests_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1]);
    };
    const record = await api.create(alice, { key: 'k' });
    const [hits, misses] = [await metric('hit'), await metric('miss')];
    await api.get(alice, record.id);
    await api.get(alice, record.id);
    expect([await metric('hit'), await metric('miss')]).toEqual([hits + 1, misses + 1]);
  });

  it('counts every response, also those that shared one cache lookup', async () => {
    const metric = async (result: string) => {
      const text = (await suite.app.inject({ method: 'GET', url: '/metrics' })).body;
      return Number(new RegExp(`^cache_requests_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1]);
    };
    const record = await api.create(alice, { key: 'k' });
    const [hits, misses] = [await metric('hit'), await metric('miss')];
    const misses8 = await Promise.all(Array.from({ length: 8 }, () => api.get(alice, record.id)));
    const hits8 = await Promise.all(Array.from({ length: 8 }, () => api.get(alice, record.id)));
    expect([...misses8, ...hits8].map(xCache)).toEqual([...Array(8).fill('MISS'), ...Array(8).fill('HIT')]);
    expect([await metric('hit'), await metric('miss')]).toEqual([hits + 8, misses + 8]);
  });
});

describe.each(cacheStores())('response cache expiry (%s store)', (store) => {
  const TTL_S = 2;
  const suite = useDataSuite('pglite', { sharedState: { redisUrl: cacheStoreUrl(store), cacheTimeoutMs: STEADY_CACHE_TIMEOUT_MS, cacheTtlS: TTL_S } });

  it('serves an entry for CACHE_TTL_S, then reads the database again (MISS)', async () => {
    const alice = { sub: uniqueSub('alice') };
    const record = await suite.api.create(alice, { key: 'k' });
    expect(xCache(await suite.api.get(alice, record.id))).toBe('MISS');
    expect(xCache(await suite.api.get(alice, record.id))).toBe('HIT');
    // No write in between: only the TTL can end the entry. Polled, with a bound far past it.
    const deadline = Date.now() + 10 * TTL_S * 1000;
    let res = await suite.api.get(alice, record.id);
    while (xCache(res) === 'HIT' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res = await suite.api.get(alice, record.id);
    }
    expect([res.statusCode, xCache(res), res.json().data.version]).toEqual([200, 'MISS', 1]);
    expect(xCache(await suite.api.get(alice, record.id))).toBe('HIT');
  });
});
