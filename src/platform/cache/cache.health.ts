import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { probeDependency, type ReadinessCheck } from '../health/readiness-check.js';
import { SharedCache } from './shared-cache.js';

/** Redis answers within CACHE_TIMEOUT_MS. Optional: the service runs without it (degraded). */
@Injectable()
export class CacheHealthIndicator implements ReadinessCheck {
  readonly key = 'redis';
  readonly optional = true;

  constructor(
    private readonly cache: SharedCache,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    return this.indicators.check(this.key).attempt(() => probeDependency('Redis', 'redis unreachable', () => this.cache.ping()));
  }
}
