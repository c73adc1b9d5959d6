export { CACHE_RESULTS, type CacheResult, METRIC_NAMES, METRICS_PATH } from './metrics.constants.js';
export { MetricsModule } from './metrics.module.js';
export {
  InjectCacheRequestsCounter,
  InjectIdempotentReplaysCounter,
  InjectRateLimitedCounter,
  InjectRateLimitErrorsCounter,
} from './metrics.providers.js';
