import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ShutdownState } from '../lifecycle/index.js';
import { READINESS_CHECKS, type ReadinessCheck, runReadinessCheck } from './readiness-check.js';

export const SHUTTING_DOWN: HealthCheckResult = { status: 'shutting_down', info: {}, error: {}, details: {} };

/** Whether this replica should get traffic: not shutting down, required dependencies up. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  /** Terminus' report; `ready` is false for `error` and `shutting_down` (answered with 503). */
  async check(): Promise<{ ready: boolean; result: HealthCheckResult }> {
    // Shutting down: no dependency is asked (the pool may be closing), the answer is no.
    if (this.shutdown.isShuttingDown) return { ready: false, result: SHUTTING_DOWN };
    try {
      const result = await this.health.check(this.checks.map((check) => () => runReadinessCheck(check)));
      return { ready: true, result };
    } catch (error) {
      // Terminus reports a failed check as a 503 exception carrying the same report.
      if (error instanceof ServiceUnavailableException) return { ready: false, result: error.getResponse() as HealthCheckResult };
      throw error;
    }
  }
}
