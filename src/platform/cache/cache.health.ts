import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { checkFailureReport, probeDependency, type ReadinessCheck } from '../health/readiness-check.js';
import { SharedCache } from './shared-cache.js';

/** Redis answers within CACHE_TIMEOUT_MS. Optional: the service runs without it (degraded). */
@Injectable()
export class CacheHealthIndicator implements ReadinessCheck, OnApplicationShutdown {
  readonly key = 'redis';
  readonly optional = true;
  private readonly failures = checkFailureReport('Redis');

  constructor(
    private readonly cache: SharedCache,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    return this.indicators.check(this.key).attempt(() => probeDependency(this.failures, 'redis unreachable', () => this.cache.ping()));
  }

  onApplicationShutdown(): void {
    this.failures.flush();
  }
}
