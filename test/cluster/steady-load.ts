import { setTimeout as delay } from 'node:timers/promises';

/** One line: the error class, its first message line, and how many attempts the client made. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const attempts = (error as { attempts?: number }).attempts;
  const line = `${error.name}: ${error.message.split('\n')[0].slice(0, 120)}`;
  return attempts === undefined ? line : `${line} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
}

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
        this.failures.push({ at: Date.now(), error: describeFailure(error) });
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
