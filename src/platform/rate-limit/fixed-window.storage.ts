import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from './rate-limit.headers.js';

/** How often, at most, expired windows are dropped (on a call: no timer keeps the process busy). */
export const WINDOW_SWEEP_INTERVAL_MS = 10_000;

interface Window {
  hits: number;
  /** When the key's window (or, once over the limit, its block) ends, in ms since the epoch. */
  endsAt: number;
}

/**
 * The in-process rate-limit storage (no REDIS_URL): one counter per key, O(1) per request.
 *
 * It replaces the package's ThrottlerStorageService, which keeps one expiry timestamp per hit and
 * filters the whole list on every request: O(hits in the window), the largest single cost of a
 * cached read under load. The rules are those of the Redis script (RedisThrottlerStorage), so both
 * stores limit alike: the window starts on the first hit; the first hit over the limit stretches
 * it to the block duration, after which the count starts over.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  /** Keys held now (for tests: expired windows must not pile up). */
  get size(): number {
    return this.windows.size;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweepIfDue(now);
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(key, window);
    }
    window.hits += 1;
    if (window.hits === limit + 1 && blockDuration > 0) window.endsAt = now + blockDuration;
    const secondsLeft = Math.ceil((window.endsAt - now) / 1000);
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  private sweepIfDue(now: number): void {
    if (now - this.lastSweep < WINDOW_SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
