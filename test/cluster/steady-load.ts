import { setTimeout as delay } from 'node:timers/promises';

export interface LoadFailure {
  at: number;
  error: string;
}

export interface LoadResult {
  sent: number;
  failed: number;
  failures: LoadFailure[];
}

/**
 * `concurrency` loops each running `operation` back to back (with a small pause, so the load is
 * steady rather than saturating) until stopped. A thrown error is a failed client request.
 */
export class SteadyLoad {
  private running = true;
  private sent = 0;
  private readonly failures: LoadFailure[] = [];
  private readonly loops: Promise<void>[];

  constructor(
    concurrency: number,
    private readonly operation: (loop: number) => Promise<void>,
    private readonly pauseMs = 5,
  ) {
    this.loops = Array.from({ length: concurrency }, (_, loop) => this.loop(loop));
  }

  private async loop(loop: number): Promise<void> {
    while (this.running) {
      this.sent++;
      try {
        await this.operation(loop);
      } catch (error) {
        this.failures.push({ at: Date.now(), error: (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0].slice(0, 160) });
      }
      await delay(this.pauseMs);
    }
  }

  /** Requests sent so far; lets a test wait until traffic is really flowing. */
  get count(): number {
    return this.sent;
  }

  async stop(): Promise<LoadResult> {
    this.running = false;
    await Promise.all(this.loops);
    return { sent: this.sent, failed: this.failures.length, failures: [...this.failures] };
  }
}
