import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Whether the process is on its way out. Readiness reads it, so it flips to 503 the moment a
 * shutdown signal arrives, while the server still serves (see graceful-shutdown.ts).
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Marks the start of the shutdown; true only for the call that started it. */
  begin(): boolean {
    if (this.shuttingDown) return false;
    this.shuttingDown = true;
    return true;
  }

  /** `app.close()` without a signal (tests, embedding) also takes the app out of rotation. */
  beforeApplicationShutdown(): void {
    this.begin();
  }
}
