import { type ConfigType, registerAs } from '@nestjs/config';
import { readInt, readUrl } from './env.reader.js';

/**
 * State shared by replicas: the cache (Redis when REDIS_URL is set, else in process), the
 * idempotency records (in the database) and the rate limits (Redis when set, else in process).
 */
export const sharedStateConfig = registerAs('sharedState', () => {
  const env = process.env;
  return {
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:'])?.href,
    cacheTtlS: readInt(env, 'CACHE_TTL_S', 60, { min: 1, max: 86_400 }),
    /** Longest a request waits on the cache before going to the database instead. */
    cacheTimeoutMs: readInt(env, 'CACHE_TIMEOUT_MS', 50, { min: 1, max: 10_000 }),
    idempotencyTtlS: readInt(env, 'IDEMPOTENCY_TTL_S', 86_400, { min: 60, max: 30 * 86_400 }),
    rateLimitTtlS: readInt(env, 'RATE_LIMIT_TTL_S', 60, { min: 1, max: 86_400 }),
    rateLimitMax: readInt(env, 'RATE_LIMIT_MAX', 600, { min: 1, max: 1_000_000 }),
  };
});

export type SharedStateConfig = ConfigType<typeof sharedStateConfig>;
