import type { CallHandler } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import Keyv from 'keyv';
import type { Counter } from 'prom-client';
import { defer, lastValueFrom } from 'rxjs';
import { SCOPES } from '../../auth/index.js';
import type { SharedStateConfig } from '../../config/index.js';
import { AppError } from '../../core/errors/index.js';
import { NOT_MODIFIED, Page, SerializedResult } from '../../common/http/index.js';
import { Cached } from './cached.decorator.js';
import { RedisBreaker } from './redis-breaker.js';
import { ResponseCacheInterceptor } from './response-cache.interceptor.js';
import { SharedCache } from './shared-cache.js';

const DEFAULT_TTL_S = 60;

class DataController {
  @Cached({ ttl: 30 })
  read() {}

  @Cached()
  list() {}

  create() {}
}

interface FakeReply {
  statusCode: number;
  headers: Record<string, string>;
  header(name: string, value: string): FakeReply;
  getHeader(name: string): string | undefined;
  status(code: number): FakeReply;
}

function fakeReply(): FakeReply {
  const reply: FakeReply = {
    statusCode: 200,
    headers: {},
    header: (name, value) => ((reply.headers[name.toLowerCase()] = value), reply),
    getHeader: (name) => reply.headers[name.toLowerCase()],
    status: (code) => ((reply.statusCode = code), reply),
  };
  return reply;
}

interface RequestOptions {
  method?: string;
  sub?: string | null;
  admin?: boolean;
  id?: string;
  ifNoneMatch?: string;
  handler?: 'read' | 'list';
}

/** What a handler does: its result, and optionally the ETag it sets. */
type Handler = (reply: FakeReply) => unknown;

function setup(store: Keyv = new Keyv()) {
  const counts: Record<string, number> = {};
  const counter = { inc: ({ result }: { result: string }) => (counts[result] = (counts[result] ?? 0) + 1) };
  const config = { cacheTtlS: DEFAULT_TTL_S, cacheTimeoutMs: 1_000 } as SharedStateConfig;
  const cache = new SharedCache(store, config, counter as unknown as Counter<'result'>, 'spec', new RedisBreaker(config.cacheTimeoutMs));
  caches.push(cache);
  const interceptor = new ResponseCacheInterceptor(cache, new Reflector());

  /** One request through the interceptor; `handle` tells whether the handler ran. The handler waits for `gate`. */
  function request(
    options: RequestOptions = {},
    handler: Handler = () => ({ id: options.id ?? '1', owner: options.sub ?? 'alice' }),
    gate: Promise<void> = Promise.resolve(),
  ) {
    const { method = 'GET', sub = 'alice', admin = false, id = '1', ifNoneMatch, handler: name = 'read' } = options;
    const req = {
      method,
      url: `/api/data/${id}`,
      routeOptions: { url: '/api/data/:id' },
      params: { id },
      query: {},
      headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch },
      ...(sub === null ? {} : { user: { sub, scopes: new Set(admin ? [SCOPES.admin] : [SCOPES.read]) } }),
    };
    const reply = fakeReply();
    const handle = jest.fn(() =>
      defer(async () => {
        await gate;
        return handler(reply);
      }),
    );
    const next: CallHandler = { handle };
    const context = new ExecutionContextHost([req, reply], DataController, DataController.prototype[name]);
    return { result: lastValueFrom(interceptor.intercept(context, next)), reply, handle };
  }

  return { cache, counts, request };
}

// Closed after each test: no breaker probe outlives its test.
const caches: SharedCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
  jest.restoreAllMocks();
});

/** The JSON a hit carries, parsed back. */
const data = (result: unknown) => JSON.parse((result as SerializedResult).dataJson) as unknown;

describe('ResponseCacheInterceptor', () => {
  it('is bound only to handlers marked @Cached()', () => {
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, DataController.prototype.read)).toEqual([ResponseCacheInterceptor]);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, DataController.prototype.create)).toBeUndefined();
  });

  it.each([
    ['a HEAD request', { method: 'HEAD' }],
    ['a POST request', { method: 'POST' }],
    ['a request without a verified caller', { sub: null }],
  ] as Array<[string, RequestOptions]>)('runs the handler for %s without touching the cache', async (_name, options) => {
    const { cache, counts, request } = setup();
    const lookup = jest.spyOn(cache, 'lookup');
    for (let i = 0; i < 2; i++) {
      const { result, handle, reply } = request(options);
      expect(await result).toEqual({ id: '1', owner: options.sub ?? 'alice' });
      expect(handle).toHaveBeenCalledTimes(1);
      expect(reply.headers['x-cache']).toBeUndefined();
    }
    expect(lookup).not.toHaveBeenCalled();
    expect(counts).toEqual({});
  });

  it("stores a miss's result for the route's ttl and answers the next request from it, without the handler", async () => {
    const { cache, counts, request } = setup();
    const save = jest.spyOn(cache, 'save');
    const miss = request();
    expect(await miss.result).toEqual({ id: '1', owner: 'alice' });
    expect(miss.handle).toHaveBeenCalledTimes(1);
    expect(miss.reply.headers['x-cache']).toBe('MISS');
    expect(save).toHaveBeenCalledWith(expect.anything(), expect.any(String), 30_000);

    const hit = request();
    const result = await hit.result;
    expect(hit.handle).not.toHaveBeenCalled();
    expect(hit.reply.headers['x-cache']).toBe('HIT');
    expect(result).toBeInstanceOf(SerializedResult);
    expect(data(result)).toEqual({ id: '1', owner: 'alice' });
    expect(counts).toEqual({ miss: 1, hit: 1 });
  });

  it('stores for CACHE_TTL_S when @Cached() names no ttl', async () => {
    const { cache, request } = setup();
    const save = jest.spyOn(cache, 'save');
    await request({ handler: 'list' }).result;
    expect(save).toHaveBeenCalledWith(expect.anything(), expect.any(String), DEFAULT_TTL_S * 1000);
  });

  it('keeps a Page as a list on a hit', async () => {
    const { request } = setup();
    const page = () => new Page([{ id: 'a' }], { limit: 1, nextCursor: 'c' });
    await request({}, page).result;
    const hit = (await request({}, page).result) as SerializedResult;
    expect(JSON.parse(hit.dataJson)).toEqual([{ id: 'a' }]);
    expect(JSON.parse(hit.pageJson!)).toEqual({ limit: 1, nextCursor: 'c' });
  });

  it('keeps one entry per caller and per params: another caller or another id runs the handler', async () => {
    const { request } = setup();
    await request({ sub: 'alice' }).result;
    const bob = request({ sub: 'bob' });
    expect(await bob.result).toEqual({ id: '1', owner: 'bob' });
    expect(bob.handle).toHaveBeenCalledTimes(1);
    const admin = request({ sub: 'alice', admin: true });
    await admin.result;
    expect(admin.handle).toHaveBeenCalledTimes(1);
    const other = request({ sub: 'alice', id: '2' });
    await other.result;
    expect(other.handle).toHaveBeenCalledTimes(1);
    const again = request({ sub: 'alice' });
    expect(data(await again.result)).toEqual({ id: '1', owner: 'alice' });
    expect(again.handle).not.toHaveBeenCalled();
  });

  describe('with the ETag the handler set', () => {
    const tagged: Handler = (reply) => {
      reply.header('ETag', '"v1"');
      return { id: '1' };
    };

    it('answers a matching If-None-Match from the cache with 304 and no body', async () => {
      const { request } = setup();
      await request({}, tagged).result;
      const revalidation = request({ ifNoneMatch: '"v1"' }, tagged);
      expect(await revalidation.result).toBe(NOT_MODIFIED);
      expect(revalidation.reply.statusCode).toBe(304);
      expect(revalidation.reply.headers.etag).toBe('"v1"');
      expect(revalidation.handle).not.toHaveBeenCalled();
    });

    it('answers a stale If-None-Match with the stored body and its ETag', async () => {
      const { request } = setup();
      await request({}, tagged).result;
      const stale = request({ ifNoneMatch: '"v0"' }, tagged);
      expect(data(await stale.result)).toEqual({ id: '1' });
      expect(stale.reply.statusCode).toBe(200);
      expect(stale.reply.headers.etag).toBe('"v1"');
    });
  });

  it('stores nothing but a 200 with a body (the handler answering 304 itself)', async () => {
    const { cache, request } = setup();
    const save = jest.spyOn(cache, 'save');
    const notModified: Handler = (reply) => (reply.status(304), NOT_MODIFIED);
    expect(await request({}, notModified).result).toBe(NOT_MODIFIED);
    expect(save).not.toHaveBeenCalled();
    const next = request();
    await next.result;
    expect(next.handle).toHaveBeenCalledTimes(1);
  });

  it("answers a failing handler's error, stores nothing, and runs the handler again next time", async () => {
    const { cache, request } = setup();
    const save = jest.spyOn(cache, 'save');
    const failing: Handler = () => {
      throw new AppError('NOT_FOUND');
    };
    await expect(request({}, failing).result).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(save).not.toHaveBeenCalled();
    const retry = request();
    expect(await retry.result).toEqual({ id: '1', owner: 'alice' });
    expect(retry.handle).toHaveBeenCalledTimes(1);
  });

  it('runs the handler once for concurrent misses of one entry', async () => {
    const { cache, counts, request } = setup();
    const lookups: Array<Promise<unknown>> = [];
    const lookup = cache.lookup.bind(cache);
    jest.spyOn(cache, 'lookup').mockImplementation((...args) => {
      const found = lookup(...args);
      lookups.push(found);
      return found;
    });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = request({}, () => ({ id: '1' }), gate);
    const second = request({}, () => ({ id: 'second' }), gate);
    // Both have looked the entry up while the first handler waits: the second joins its flight.
    await Promise.all(lookups);
    expect(lookups).toHaveLength(2);
    open();
    const [a, b] = await Promise.all([first.result, second.result]);
    expect(first.handle).toHaveBeenCalledTimes(1);
    expect(second.handle).not.toHaveBeenCalled();
    expect(a).toEqual({ id: '1' });
    expect(data(b)).toEqual({ id: '1' });
    expect(second.reply.headers['x-cache']).toBe('MISS');
    expect(counts).toEqual({ miss: 2 });
  });

  it('falls back to the handler when the cache fails, counted as a miss', async () => {
    const store = new Keyv();
    jest.spyOn(store, 'getMany').mockRejectedValue(new Error('ECONNREFUSED'));
    const set = jest.spyOn(store, 'set');
    const { counts, request } = setup(store);
    const { result, handle, reply } = request();
    expect(await result).toEqual({ id: '1', owner: 'alice' });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(reply.headers['x-cache']).toBe('MISS');
    expect(counts).toEqual({ error: 1, miss: 1 });
    expect(set).not.toHaveBeenCalled();
  });
});
