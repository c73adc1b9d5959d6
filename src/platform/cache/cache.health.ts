import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '../health/readiness-check.js';
import { SharedCache } from './shared-cache.js';

/** Redis answers within CACHE_TIMEOUT_MS. Optional: the service runs without it (degraded). */
@Injectable()
export class CacheHealthIndicator implements ReadinessCheck {
  readonly key = 'redis';
  readonly optional = true;
  private readonly logger = new Logger('Health');

  constructor(
    private readonly cache: SharedCache,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    return this.indicators.check(this.key).attempt(async () => {
      try {
        await this.cache.ping();
      } catch (error) {
        // The probe is public: the cause goes to the log only.
        this.logger.warn(`Redis check failed: ${error instanceof Error ? error.message : String(error)}`);
        throw new Error('redis unreachable');
      }
    });
  }
}
