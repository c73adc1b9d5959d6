/** Options of `@Cached()`. */
export interface CachedOptions {
  /** Seconds an entry lives; default CACHE_TTL_S. Keep it at most a day. */
  ttl?: number;
}

export const CACHED_OPTIONS = Symbol('data-api:cached');
