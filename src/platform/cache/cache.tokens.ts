import { Inject } from '@nestjs/common';

/** The keyv store: in-memory without REDIS_URL, `@keyv/redis` (non-blocking) with it. */
export const CACHE_STORE = Symbol('data-api:cache-store');
/**
 * Prefix of every cache key. Replicas of one deployment share it; tests give each app its own
 * so suites sharing one Redis never read each other's entries.
 */
export const CACHE_NAMESPACE = Symbol('data-api:cache-namespace');
export const DEFAULT_CACHE_NAMESPACE = 'data-api';

export const InjectCacheStore = () => Inject(CACHE_STORE);
export const InjectCacheNamespace = () => Inject(CACHE_NAMESPACE);
