import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { sharedStateConfig, type SharedStateConfig } from '../../config/index.js';
import { MetricsModule } from '../metrics/index.js';
import { CacheHealthIndicator } from './cache.health.js';
import { CacheInvalidator } from './cache-invalidator.js';
import { CACHE_NAMESPACE, CACHE_STORE, DEFAULT_CACHE_NAMESPACE } from './cache.tokens.js';
import { createCacheStore } from './create-cache-store.js';
import { RedisBreaker } from './redis-breaker.js';
import { ResponseCacheInterceptor } from './response-cache.interceptor.js';
import { SharedCache } from './shared-cache.js';

/**
 * The response cache: `@Cached()` for GET handlers, `CacheInvalidator` for services, and a
 * readiness check for Redis. Global, so team modules use both without importing it. Also the
 * replica's RedisBreaker, which the rate limiter's Redis storage shares with the cache.
 */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: CACHE_NAMESPACE, useValue: DEFAULT_CACHE_NAMESPACE },
    {
      provide: CACHE_STORE,
      inject: [sharedStateConfig.KEY],
      useFactory: (config: SharedStateConfig) => createCacheStore(config.redisUrl),
    },
    {
      provide: RedisBreaker,
      inject: [sharedStateConfig.KEY],
      useFactory: (config: SharedStateConfig) => new RedisBreaker(config.cacheTimeoutMs),
    },
    HealthIndicatorService,
    SharedCache,
    CacheInvalidator,
    ResponseCacheInterceptor,
    CacheHealthIndicator,
  ],
  exports: [SharedCache, CacheInvalidator, ResponseCacheInterceptor, CacheHealthIndicator, RedisBreaker],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(@Inject(SharedCache) private readonly cache: SharedCache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
