import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { CACHED_OPTIONS, type CachedOptions } from './cached.options.js';
import { ResponseCacheInterceptor } from './response-cache.interceptor.js';

/**
 * Caches a GET handler's response per caller (owner or admin scope) + route + params + query,
 * with `X-Cache: HIT|MISS` and, when the handler sets an ETag, 304 answers from the cache.
 * Invalidate from the service with `CacheInvalidator.invalidateOwner(owner)` after each write.
 */
export const Cached = (options: CachedOptions = {}) =>
  applyDecorators(SetMetadata(CACHED_OPTIONS, options), UseInterceptors(ResponseCacheInterceptor));
