/**
 * CACHE_TIMEOUT_MS for suites that use a healthy Redis and are not about timeouts. On a loaded
 * machine one call can take longer than the 50 ms default: the replica would then skip Redis
 * for a second (cache and rate limiter, see RedisBreaker) and a HIT or a RateLimit header the
 * test expects would be missing. A generous timeout keeps load from flipping their results.
 */
export const STEADY_CACHE_TIMEOUT_MS = 5_000;
