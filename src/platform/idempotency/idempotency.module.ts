import { Global, Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/index.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyResponseHooks } from './idempotency-response.hooks.js';
import { IdempotencyService } from './idempotency.service.js';
import { DatabaseIdempotencyStore } from './idempotency.store.js';
import { IDEMPOTENCY_STORE } from './idempotency.tokens.js';

/**
 * Idempotency-Key support for handlers marked `@Idempotent()`. Global so any team module's
 * controller can use the decorator without importing this module.
 */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: IDEMPOTENCY_STORE, useClass: DatabaseIdempotencyStore },
    IdempotencyService,
    IdempotencyInterceptor,
    IdempotencyResponseHooks,
  ],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
