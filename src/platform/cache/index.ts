export { CacheHealthIndicator } from './cache.health.js';
export { CacheInvalidator } from './cache-invalidator.js';
export { CacheModule } from './cache.module.js';
export { CACHE_NAMESPACE } from './cache.tokens.js';
export { Cached } from './cached.decorator.js';
export type { CachedOptions } from './cached.options.js';
export { RedisBreaker } from './redis-breaker.js';
export { X_CACHE } from './response-cache.interceptor.js';
