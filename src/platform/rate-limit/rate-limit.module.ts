import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { sharedStateConfig, type SharedStateConfig } from '../../config/index.js';
import { RedisBreaker } from '../cache/index.js';
import { MetricsModule } from '../metrics/index.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

function throttlerOptions(config: SharedStateConfig, breaker: RedisBreaker): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'default', limit: config.rateLimitMax, ttl: config.rateLimitTtlS * 1000 }],
    // Unset: a counter per caller in this process, per replica.
    storage: config.redisUrl ? new RedisThrottlerStorage({ url: config.redisUrl, breaker }) : new FixedWindowThrottlerStorage(),
  };
}

/**
 * `RATE_LIMIT_MAX` requests per `RATE_LIMIT_TTL_S` seconds per caller, shared by replicas
 * through Redis when `REDIS_URL` is set. Import it after AuthModule in AppModule: global
 * guards run in module order, and this one needs the caller JwtAuthGuard verified.
 */
@Module({
  imports: [
    MetricsModule,
    // RedisBreaker comes from the global CacheModule: one breaker for all of a replica's Redis calls.
    ThrottlerModule.forRootAsync({ inject: [sharedStateConfig.KEY, RedisBreaker], useFactory: throttlerOptions }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
