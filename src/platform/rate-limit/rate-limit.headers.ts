import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a storage answers for one counted request (the package does not export the type). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * IETF draft RateLimit headers (draft-ietf-httpapi-ratelimit-headers, delta-seconds form) for
 * one counted request, plus `Retry-After` when it was refused.
 */
export function rateLimitHeaders(limit: number, record: ThrottlerStorageRecord): Record<string, string> {
  const reset = Math.max(0, record.isBlocked ? record.timeToBlockExpire : record.timeToExpire);
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(record.isBlocked ? 0 : Math.max(0, limit - record.totalHits)),
    'RateLimit-Reset': String(reset),
  };
  // Never 0: "retry after 0 seconds" invites an immediate retry that the window still refuses.
  if (record.isBlocked) headers['Retry-After'] = String(Math.max(1, reset));
  return headers;
}
