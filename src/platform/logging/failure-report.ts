import type { Logger } from '@nestjs/common';

/**
 * Logs a recurring failure at most once per interval, with how many occurrences the line
 * stands for, so an outage writes a line per interval instead of one per request. Failures
 * left unreported at the end of an interval are reported then (by a timer), not credited to
 * the next outage; `flush()` reports them at once (at shutdown).
 */
export class FailureReport {
  private unreported = 0;
  private lastError: unknown;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly what: string,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(error: unknown): void {
    this.unreported++;
    this.lastError = error;
    const wait = this.lastReportAt + this.intervalMs - this.now();
    if (wait <= 0) return this.report();
    // One timer per interval at most; it must not keep a process that is otherwise done alive.
    this.pending ??= setTimeout(() => this.flush(), wait).unref();
  }

  /** Reports what is pending now, if anything. */
  flush(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    if (this.unreported > 0) this.report();
  }

  private report(): void {
    const error = this.lastError;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(`${this.what} (${this.unreported} since the last report): ${reason}`);
    this.unreported = 0;
    this.lastReportAt = this.now();
  }
}
