import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { sharedStateConfig, type SharedStateConfig } from '../../config/index.js';
import { CacheHealthIndicator } from '../cache/index.js';
import { LifecycleModule } from '../lifecycle/index.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
import { ReadinessService } from './readiness.service.js';

/** `GET /health/live` and `GET /health/ready` (see README, Health, shutdown and gateway settings). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), LifecycleModule],
  controllers: [HealthController],
  providers: [
    DatabaseHealthIndicator,
    // Every dependency readiness reports, one entry each; optional ones (Redis) only degrade it.
    {
      provide: READINESS_CHECKS,
      inject: [DatabaseHealthIndicator, CacheHealthIndicator, sharedStateConfig.KEY],
      useFactory: (database: DatabaseHealthIndicator, redis: CacheHealthIndicator, sharedState: SharedStateConfig): ReadinessCheck[] =>
        sharedState.redisUrl ? [database, redis] : [database],
    },
    ReadinessService,
  ],
})
export class HealthModule {}
