import { storedExpiry } from './entry-serialization.js';

/** How often the in-process cache drops entries whose TTL has passed. */
export const SWEEP_INTERVAL_MS = 10_000;

/**
 * The Map behind the in-process cache (Keyv without Redis). Keyv deletes an expired entry only
 * when it is read again, and invalidation leaves old entries in place (stale by their stamp)
 * rather than deleting them: with a plain Map, entries nobody reads again would stay in memory
 * for the life of the process. This one also deletes expired entries, on a write, at most once
 * per SWEEP_INTERVAL_MS.
 */
export class SweepingMap extends Map<string, unknown> {
  private lastSweep: number;

  constructor(
    private readonly intervalMs = SWEEP_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.lastSweep = now();
  }

  override set(key: string, value: unknown): this {
    super.set(key, value);
    this.sweepIfDue();
    return this;
  }

  private sweepIfDue(): void {
    const now = this.now();
    if (now - this.lastSweep < this.intervalMs) return;
    this.lastSweep = now;
    for (const [key, value] of this) {
      if (storedExpiry(value) <= now) this.delete(key);
    }
  }
}
