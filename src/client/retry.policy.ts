import { ApiError, TransportError } from './client.errors.js';

/** Statuses that say "try again later" and cannot have changed anything on the server. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** The knobs of {@link RetryPolicy}, all in milliseconds except `retries`. */
export interface RetrySettings {
  retries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  maxRetryAfterMs: number;
  maxElapsedMs: number;
}

/** What the request loop knows about the attempt that just failed. */
export interface FailedAttempt {
  error: unknown;
  /** 1 for the first attempt. */
  attempt: number;
  elapsedMs: number;
  /** False for a request that cannot be sent twice (a streamed upload). */
  replayable: boolean;
  /** The request carried an Idempotency-Key, so the server replays instead of repeating it. */
  idempotencyKey: boolean;
}

/**
 * Decides whether and when to retry: only transport failures and 429/502/503/504 (plus the one
 * 409 below), with exponential backoff and full jitter, honouring `Retry-After` up to a cap,
 * never past the attempt or time budget.
 */
export class RetryPolicy {
  constructor(
    private readonly settings: RetrySettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** Milliseconds to wait before the next attempt, or undefined to give up with the error. */
  delayBeforeRetry(failed: FailedAttempt): number | undefined {
    const { retries, maxElapsedMs } = this.settings;
    if (!failed.replayable || failed.attempt > retries || !this.isRetryable(failed)) return undefined;
    const delay = Math.max(this.backoff(failed.attempt), this.retryAfter(failed.error));
    return failed.elapsedMs + delay < maxElapsedMs ? delay : undefined;
  }

  /** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^(attempt-1))). */
  backoff(attempt: number): number {
    const { backoffBaseMs, backoffCapMs } = this.settings;
    return Math.floor(this.random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** (attempt - 1)));
  }

  private isRetryable({ error, attempt, idempotencyKey }: FailedAttempt): boolean {
    if (error instanceof TransportError) return true;
    if (!(error instanceof ApiError)) return false;
    if (RETRYABLE_STATUSES.has(error.status)) return true;
    // A 409 to a keyed POST that we already sent once means our own earlier attempt is still
    // running on the server: waiting for it is how the stored response is obtained.
    return error.status === 409 && idempotencyKey && attempt > 1;
  }

  private retryAfter(error: unknown): number {
    const ms = error instanceof ApiError ? (error.retryAfterMs ?? 0) : 0;
    return Math.min(ms, this.settings.maxRetryAfterMs);
  }
}

/** `Retry-After` (delay-seconds or HTTP-date, RFC 9110 §10.2.3) in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
