import { Module, type OnModuleInit } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { type Counter, register } from 'prom-client';
import { HttpMetricsHooks } from './http-metrics.hooks.js';
import { MetricsController } from './metrics.controller.js';
import { CACHE_RESULTS, LINT_FAILING_DEFAULT_METRICS, METRICS_PATH } from './metrics.constants.js';
import { featureMetricProviders, httpMetricProviders, InjectCacheRequestsCounter } from './metrics.providers.js';

/**
 * Prometheus metrics: `GET /metrics`, the HTTP metrics recorded in Fastify hooks, default
 * process/Node metrics, and the feature counters (cache, idempotency, rate limiting) that other
 * modules inject after importing this one. prom-client's default registry holds them all.
 */
@Module({
  imports: [
    PrometheusModule.register({
      controller: MetricsController,
      path: METRICS_PATH,
      // Event-loop lag, heap, GC, CPU, file descriptors (prom-client collectDefaultMetrics).
      defaultMetrics: { enabled: true },
    }),
  ],
  providers: [...httpMetricProviders, ...featureMetricProviders, HttpMetricsHooks],
  exports: featureMetricProviders,
})
export class MetricsModule implements OnModuleInit {
  constructor(@InjectCacheRequestsCounter() private readonly cacheRequests: Counter<'result'>) {}

  onModuleInit(): void {
    // Registered by PrometheusModule.register (collectDefaultMetrics); see the constant for why.
    for (const name of LINT_FAILING_DEFAULT_METRICS) register.removeSingleMetric(name);
    // Every result exists from the first scrape, so hit-ratio queries never divide by absent series.
    for (const result of CACHE_RESULTS) this.cacheRequests.inc({ result }, 0);
  }
}
