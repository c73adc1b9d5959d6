import { randomUUID } from 'node:crypto';
import { TcpProxy } from '../../helpers/tcp-proxy.js';
import { describeWithPostgres, requireTestRedisUrl } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { createIsolatedSchema, type IsolatedSchema } from '../../setup/isolated-schema.js';
import { DataApi, uniqueSub } from '../data/data-api.helper.js';
import { STEADY_CACHE_TIMEOUT_MS } from './steady-redis.js';

const describeReplicas = process.env.CI || process.env.TEST_REDIS_URL ? describeWithPostgres : describe.skip;

/**
 * Two replicas sharing PostgreSQL and Redis: a write acknowledged by one is read by the other.
 * A reaches Redis through a proxy, so a test can cut A alone from it (a partial partition).
 */
describeReplicas('response cache across replicas', () => {
  let schema: IsolatedSchema;
  let proxy: TcpProxy;
  let a: TestApp;
  let b: TestApp;
  let apiA: DataApi;
  let apiB: DataApi;
  const alice = { sub: uniqueSub('alice') };

  beforeAll(async () => {
    schema = await createIsolatedSchema();
    const redisUrl = new URL(requireTestRedisUrl());
    proxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
    const options = { backend: 'postgres' as const, schema, cacheNamespace: `replicas-${randomUUID()}` };
    const sharedState = (url: string) => ({ sharedState: { redisUrl: url, cacheTimeoutMs: STEADY_CACHE_TIMEOUT_MS } });
    a = await createTestApp({ ...options, ...sharedState(proxy.rewrite(redisUrl.href)) });
    b = await createTestApp({ ...options, ...sharedState(redisUrl.href) });
    apiA = new DataApi(a.app);
    apiB = new DataApi(b.app);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.stop();
    await schema?.drop();
  });

  it('shares entries: a read cached by one replica is a HIT on the other', async () => {
    const record = await apiA.create(alice, { key: 'k' });
    expect((await apiA.get(alice, record.id)).headers['x-cache']).toBe('MISS');
    expect((await apiB.get(alice, record.id)).headers['x-cache']).toBe('HIT');
  });

  it('never serves the old version on B after A acknowledged a PUT, POST or DELETE', async () => {
    const record = await apiA.create(alice, { key: 'v1' });
    await apiB.get(alice, record.id);
    await apiB.list(alice);
    expect((await apiB.get(alice, record.id)).headers['x-cache']).toBe('HIT');

    expect((await apiA.put(alice, record.id, { key: 'v2' })).statusCode).toBe(200);
    expect((await apiB.get(alice, record.id)).json().data).toMatchObject({ key: 'v2', version: 2 });
    expect((await apiB.list(alice)).json().data.find((r: { id: string }) => r.id === record.id).key).toBe('v2');

    const added = await apiA.create(alice, { key: 'v1' });
    expect((await apiB.list(alice)).json().data[0].id).toBe(added.id);

    expect((await apiA.delete(alice, record.id)).statusCode).toBe(204);
    expect((await apiB.get(alice, record.id)).statusCode).toBe(404);
    const ids = (await apiB.list(alice)).json().data.map((r: { id: string }) => r.id);
    expect([ids.includes(added.id), ids.includes(record.id)]).toEqual([true, false]);
  });

  it('after A lost an invalidation to a cut from Redis, B stops serving the old version soon after A reaches Redis again, with no request to A', async () => {
    const record = await apiA.create(alice, { key: 'v1' });
    await apiB.get(alice, record.id);
    expect((await apiB.get(alice, record.id)).headers['x-cache']).toBe('HIT');

    await proxy.stop();
    expect((await apiA.put(alice, record.id, { key: 'v2' })).statusCode).toBe(200);
    // The invalidation was lost: B still serves version 1 (the documented window).
    expect((await apiB.get(alice, record.id)).json().data.version).toBe(1);
    await proxy.start();

    // Nothing is sent to A from here on: A finds Redis again by itself and drops the old entries.
    const deadline = Date.now() + 10_000;
    let read = await apiB.get(alice, record.id);
    while (read.json().data.version === 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      read = await apiB.get(alice, record.id);
    }
    expect(read.json().data).toMatchObject({ key: 'v2', version: 2 });
  });
});
