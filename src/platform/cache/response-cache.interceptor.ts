import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Caller } from '../../auth/index.js';
import { ifNoneMatchHits, NOT_MODIFIED, Page, type PageInfo } from '../../common/http/index.js';
import { cacheScopeOf } from './cache-keys.js';
import { CACHED_OPTIONS, type CachedOptions } from './cached.options.js';
import { SharedCache } from './shared-cache.js';
import { SingleFlight } from './single-flight.js';

/** What is stored per entry: the handler's result (a Page keeps its info) and its ETag. */
export interface CachedResponse {
  body: unknown;
  page?: PageInfo;
  etag?: string;
}

/** The leader's outcome, shared with concurrent requests for the same key. */
interface Lookup {
  hit: boolean;
  /** Set when the response is one every caller of this key may receive. */
  entry?: CachedResponse;
  /** The leader's own result when it ran the handler. */
  result?: unknown;
}

export const X_CACHE = 'X-Cache';

function toEntry(result: unknown, etag: unknown): CachedResponse {
  const tag = typeof etag === 'string' ? etag : undefined;
  return result instanceof Page ? { body: result.items, page: result.info, etag: tag } : { body: result, etag: tag };
}

/**
 * Per-caller response cache for GET handlers marked `@Cached()`. The key holds the caller's
 * scope (owner or admin, with its subject), the route template, params and query, and the
 * generations that writes bump. Concurrent misses for one key run the handler once.
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly flights = new SingleFlight<Lookup>();

  constructor(
    private readonly cache: SharedCache,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>();
    if (request.method !== 'GET' || !request.user) return next.handle();
    const options = this.reflector.get<CachedOptions | undefined>(CACHED_OPTIONS, context.getHandler()) ?? {};
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.respond(request as FastifyRequest & { user: Caller }, reply, options, next));
  }

  private async respond(request: FastifyRequest & { user: Caller }, reply: FastifyReply, options: CachedOptions, next: CallHandler) {
    const key = await this.cache.entryKey(cacheScopeOf(request.user), {
      route: request.routeOptions.url ?? request.url,
      params: (request.params ?? {}) as Record<string, unknown>,
      query: (request.query ?? {}) as Record<string, unknown>,
    });
    if (key === undefined) return this.miss(reply, () => lastValueFrom(next.handle()));

    const ttlMs = (options.ttl ?? this.cache.defaultTtlS) * 1000;
    let led = false;
    let flight: { value: Lookup; shared: boolean };
    try {
      flight = await this.flights.run(key, () => {
        led = true;
        return this.lookup(key, ttlMs, reply, next);
      });
    } catch (error) {
      // The leader's handler failed (404, database down): it answers with its error, and each
      // request that joined it runs its own handler.
      if (led) {
        this.cache.count('miss');
        throw error;
      }
      return this.miss(reply, () => lastValueFrom(next.handle()));
    }
    // Counted per request, not per lookup: requests that joined a flight were answered from it.
    const { value, shared } = flight;
    if (value.hit && value.entry) {
      this.cache.count('hit');
      return this.answer(request, reply, value.entry, 'HIT');
    }
    if (!shared) {
      this.cache.count('miss');
      return value.result;
    }
    // A request that joined the leader's miss: its answer, or its own handler if it is not shareable.
    if (!value.entry) return this.miss(reply, () => lastValueFrom(next.handle()));
    this.cache.count('miss');
    return this.answer(request, reply, value.entry, 'MISS');
  }

  private async lookup(key: string, ttlMs: number, reply: FastifyReply, next: CallHandler): Promise<Lookup> {
    const cached = await this.cache.get(key);
    if (cached !== undefined) return { hit: true, entry: JSON.parse(cached) as CachedResponse };
    reply.header(X_CACHE, 'MISS');
    const result: unknown = await lastValueFrom(next.handle());
    // A 304 (the handler's own If-None-Match answer) has no body to share or store.
    if (result === NOT_MODIFIED || reply.statusCode !== 200) return { hit: false, result };
    const entry = toEntry(result, reply.getHeader('etag'));
    // Stored before the response leaves, so the caller's next read is a hit.
    await this.cache.set(key, JSON.stringify(entry), ttlMs);
    return { hit: false, entry, result };
  }

  private async miss(reply: FastifyReply, handle: () => Promise<unknown>): Promise<unknown> {
    this.cache.count('miss');
    reply.header(X_CACHE, 'MISS');
    return handle();
  }

  private answer(request: FastifyRequest, reply: FastifyReply, entry: CachedResponse, source: 'HIT' | 'MISS'): unknown {
    reply.header(X_CACHE, source);
    if (entry.etag !== undefined) {
      reply.header('ETag', entry.etag);
      if (ifNoneMatchHits(request.headers['if-none-match'], entry.etag)) {
        reply.status(304);
        return NOT_MODIFIED;
      }
    }
    return entry.page ? new Page(entry.body as unknown[], entry.page) : entry.body;
  }
}
