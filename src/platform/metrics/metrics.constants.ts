/** Where Prometheus scrapes. Internal only: the gateway must not route it (see README). */
export const METRICS_PATH = '/metrics';

/** Label for requests no route matched, so random URLs cannot grow the series count. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Metric names are a contract with docker/prometheus/alerts.yml and the Grafana dashboard:
 * rename one and those break (the dashboard spec and `npm run test:alerts` catch it).
 */
export const METRIC_NAMES = {
  httpRequestDuration: 'http_request_duration_seconds',
  httpRequests: 'http_requests_total',
  httpRequestsInFlight: 'http_requests_in_flight',
  cacheRequests: 'cache_requests_total',
  idempotentReplays: 'idempotent_replays_total',
  rateLimited: 'rate_limited_total',
  rateLimitErrors: 'rate_limit_errors_total',
} as const;

export const HTTP_LABELS = ['method', 'route', 'status_code'] as const;

/** Seconds. 0.5 is a bucket edge, so the 500 ms alert threshold is measured, not interpolated. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const CACHE_RESULTS = ['hit', 'miss', 'error'] as const;
export type CacheResult = (typeof CACHE_RESULTS)[number];

/**
 * prom-client default gauges named like counters, which `promtool check metrics` rejects. Each
 * is the sum of a labelled gauge that stays (`nodejs_active_handles{type}`, ...).
 */
export const LINT_FAILING_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];
