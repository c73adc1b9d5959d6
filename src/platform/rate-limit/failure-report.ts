import type { Logger } from '@nestjs/common';

/**
 * Logs a recurring failure at most once per interval, with how many occurrences the line
 * stands for, so an outage writes a line a minute instead of one per request.
 */
export class FailureReport {
  private unreported = 0;
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly what: string,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(error: unknown): void {
    this.unreported++;
    const now = this.now();
    if (now - this.lastReportAt < this.intervalMs) return;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(`${this.what} (${this.unreported} since the last report): ${reason}`);
    this.unreported = 0;
    this.lastReportAt = now;
  }
}
