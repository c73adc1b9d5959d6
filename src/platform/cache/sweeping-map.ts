/** How often the in-process cache drops entries whose TTL has passed. */
export const SWEEP_INTERVAL_MS = 10_000;

// Keyv stores `{"value":…,"expires":<ms>}` strings in a Map store; entries without a TTL have no `expires`.
const EXPIRES = '"expires":';

function expiresAt(value: unknown): number {
  if (typeof value !== 'string' || !value.endsWith('}')) return Infinity;
  const at = value.lastIndexOf(EXPIRES);
  return at === -1 ? Infinity : Number(value.slice(at + EXPIRES.length, -1));
}

/**
 * The Map behind the in-process cache (Keyv without Redis). Keyv deletes an expired entry only
 * when it is read again, and invalidation makes old entries unreachable (new generation keys)
 * rather than deleting them: with a plain Map every write would leave entries in memory for
 * the life of the process. This one also deletes expired entries, on a write, at most once
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
      if (expiresAt(value) <= now) this.delete(key);
    }
  }
}
