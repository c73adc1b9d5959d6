import { withTimeout } from './with-timeout.js';

/** While the breaker is open, how long between the end of a failed probe and the start of the next. */
export const REDIS_PROBE_INTERVAL_MS = 1_000;

/** A call refused without touching Redis, because a call failed (`cause`) and no probe succeeded since. */
export class RedisUnavailableError extends Error {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`call skipped until Redis answers a probe again (a call failed: ${reason})`, { cause });
    this.name = 'RedisUnavailableError';
  }
}

/**
 * One breaker for every Redis call a replica's requests make (cache and rate limiter), so a
 * request waits on a failing or hung Redis at most CACHE_TIMEOUT_MS once, however many calls it
 * makes: a call that fails or times out opens the breaker; while it is open, calls fail at once
 * without touching Redis, and one probe at a time decides when to close it (no request ever
 * waits on a probe): the first at once, then every REDIS_PROBE_INTERVAL_MS while they fail.
 * Probing at once matters: most trips on a busy replica are one late answer (an answer that
 * arrived in time but waited for a stalled event loop does not trip it: see withTimeout), and
 * while open the rate limiter fails open, so the breaker must close as soon as Redis answers,
 * not a second later.
 *
 * The probe is the action that makes Redis usable again, registered by its owner: the cache's
 * epoch bump (SharedCache), so a replica that may have lost an invalidation while open has
 * dropped every older entry before anyone uses the cache again. Without one, the breaker closes
 * after the interval and the next call tries Redis (closing at once would let every request
 * wait on a hung Redis again).
 *
 * Hand-written rather than a breaker library's: closing must mean "the recovery action
 * succeeded", not "some request's call went through" (their half-open trial), and one breaker
 * serves calls of every shape (MGET, SET, the rate-limit script).
 */
export class RedisBreaker {
  private open = false;
  /** The failure that opened it, named by every call skipped meanwhile. */
  private openedBy: unknown;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private probe: (() => Promise<unknown>) | undefined;
  private onRecovered: () => void = () => undefined;

  constructor(
    readonly timeoutMs: number,
    private readonly probeIntervalMs = REDIS_PROBE_INTERVAL_MS,
  ) {}

  /** Whether calls are being skipped. */
  get isOpen(): boolean {
    return this.open;
  }

  /** What closes the breaker once it succeeds within the timeout, and what to do then. */
  recoverWith(probe: () => Promise<unknown>, onRecovered: () => void = () => undefined): void {
    this.probe = probe;
    this.onRecovered = onRecovered;
  }

  /**
   * Runs one Redis call, bounded by the timeout (`timedOut` makes the error). Rejects at once
   * with RedisUnavailableError while open; a rejection or timeout opens it.
   */
  async call<T>(work: () => Promise<T>, timedOut?: () => Error): Promise<T> {
    if (this.open) throw new RedisUnavailableError(this.openedBy);
    try {
      return await withTimeout(work(), this.timeoutMs, timedOut);
    } catch (error) {
      this.trip(error);
      throw error;
    }
  }

  /** No more probes (shutdown): the store they would use is closing. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private trip(error: unknown): void {
    // Already open: a probe is scheduled or running (calls started before it opened end here).
    if (this.open) return;
    this.open = true;
    this.openedBy = error;
    this.scheduleProbe(this.probe ? 0 : this.probeIntervalMs);
  }

  private scheduleProbe(delayMs = this.probeIntervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runProbe(), delayMs);
    // A replica that is otherwise done must not be kept alive by its probes.
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    this.timer = undefined;
    try {
      if (this.probe) await withTimeout(this.probe(), this.timeoutMs);
    } catch {
      this.scheduleProbe();
      return;
    }
    if (this.stopped) return;
    this.open = false;
    this.onRecovered();
  }
}
