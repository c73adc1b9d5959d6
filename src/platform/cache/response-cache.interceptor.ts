import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Caller } from '../../auth/index.js';
import { ifNoneMatchHits, NOT_MODIFIED, Page, SerializedResult } from '../../common/http/index.js';
import { MemoizedReflector } from '../../common/metadata/memoized-reflector.js';
import { cacheScopeOf } from './cache-keys.js';
import { CACHED_OPTIONS, type CachedOptions } from './cached.options.js';
import { type CacheSlot, SharedCache } from './shared-cache.js';
import { SingleFlight } from './single-flight.js';

/** A stored response: its ETag (if any) and its result, already JSON. */
export interface CachedResponse {
  etag?: string;
  result: SerializedResult;
}

/** The leader's outcome, shared with concurrent requests that missed the same entry. */
interface Miss {
  /** Set when the response is one every caller of this key may receive. */
  entry?: CachedResponse;
  /** The leader's own result. */
  result: unknown;
}

export const X_CACHE = 'X-Cache';

// Stored as "<etag>\n<page JSON>\n<data JSON>", '' for an absent ETag or page: neither an ETag
// (a quoted string) nor JSON.stringify's output ever holds a raw newline.
const encode = (entry: CachedResponse) => `${entry.etag ?? ''}\n${entry.result.pageJson ?? ''}\n${entry.result.dataJson}`;
function decode(text: string): CachedResponse {
  const first = text.indexOf('\n');
  const second = text.indexOf('\n', first + 1);
  const etag = text.slice(0, first);
  const page = text.slice(first + 1, second);
  return { etag: etag === '' ? undefined : etag, result: new SerializedResult(text.slice(second + 1), page === '' ? undefined : page) };
}

function toEntry(result: unknown, etag: unknown): CachedResponse {
  const tag = typeof etag === 'string' ? etag : undefined;
  return { etag: tag, result: result instanceof Page ? SerializedResult.of(result.items, result.info) : SerializedResult.of(result) };
}

/**
 * Per-caller response cache for GET handlers marked `@Cached()`. The key holds the caller's
 * scope (owner or admin, with its subject), the route template, params and query; an entry
 * counts only under the generations that writes bump. Concurrent misses for one entry run the
 * handler once. A hit is sent as the stored JSON, neither parsed nor serialized again.
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly flights = new SingleFlight<Miss>();
  private readonly metadata: MemoizedReflector;

  constructor(
    private readonly cache: SharedCache,
    reflector: Reflector,
  ) {
    this.metadata = new MemoizedReflector(reflector);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>();
    if (request.method !== 'GET' || !request.user) return next.handle();
    const options = this.metadata.get<CachedOptions | undefined>(CACHED_OPTIONS, context.getHandler()) ?? {};
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.respond(request as FastifyRequest & { user: Caller }, reply, options, next));
  }

  private async respond(request: FastifyRequest & { user: Caller }, reply: FastifyReply, options: CachedOptions, next: CallHandler) {
    const found = await this.cache.lookup(cacheScopeOf(request.user), {
      route: request.routeOptions.url ?? request.url,
      params: (request.params ?? {}) as Record<string, unknown>,
      query: (request.query ?? {}) as Record<string, unknown>,
    });
    if (found === undefined) return this.uncached(reply, next);
    if (found.value !== undefined) {
      this.cache.count('hit');
      return this.answer(request, reply, decode(found.value), 'HIT');
    }
    const ttlMs = (options.ttl ?? this.cache.defaultTtlS) * 1000;
    let led = false;
    let flight: { value: Miss; shared: boolean };
    try {
      // Keyed by the generations too: a request that saw a newer generation (a write since)
      // never joins a read that started before the write.
      flight = await this.flights.run(`${found.slot.key}\n${found.slot.stamp}`, () => {
        led = true;
        return this.fill(found.slot, ttlMs, reply, next);
      });
    } catch (error) {
      // The leader's handler failed (404, database down): it answers with its error, and each
      // request that joined it runs its own handler.
      if (led) {
        this.cache.count('miss');
        throw error;
      }
      return this.uncached(reply, next);
    }
    // Counted per request, not per lookup: requests that joined a flight were answered from it.
    const { value, shared } = flight;
    if (!shared) {
      this.cache.count('miss');
      return value.result;
    }
    // A request that joined the leader's miss: its answer, or its own handler if it is not shareable.
    if (!value.entry) return this.uncached(reply, next);
    this.cache.count('miss');
    return this.answer(request, reply, value.entry, 'MISS');
  }

  /** Runs the handler and stores what it answered, before the response leaves (the next read hits). */
  private async fill(slot: CacheSlot, ttlMs: number, reply: FastifyReply, next: CallHandler): Promise<Miss> {
    reply.header(X_CACHE, 'MISS');
    const result: unknown = await lastValueFrom(next.handle());
    // A 304 (the handler's own If-None-Match answer) has no body to share or store.
    if (result === NOT_MODIFIED || reply.statusCode !== 200) return { result };
    const entry = toEntry(result, reply.getHeader('etag'));
    await this.cache.save(slot, encode(entry), ttlMs);
    return { entry, result };
  }

  private async uncached(reply: FastifyReply, next: CallHandler): Promise<unknown> {
    this.cache.count('miss');
    reply.header(X_CACHE, 'MISS');
    return lastValueFrom(next.handle());
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
    return entry.result;
  }
}
