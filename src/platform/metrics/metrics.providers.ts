import { InjectMetric, makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION_BUCKETS, HTTP_LABELS, METRIC_NAMES } from './metrics.constants.js';

export const httpMetricProviders = [
  makeHistogramProvider({
    name: METRIC_NAMES.httpRequestDuration,
    help: 'HTTP request duration in seconds, from routing to the last byte written, by route template.',
    labelNames: [...HTTP_LABELS],
    buckets: HTTP_DURATION_BUCKETS,
  }),
  makeCounterProvider({
    name: METRIC_NAMES.httpRequests,
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: [...HTTP_LABELS],
  }),
  makeGaugeProvider({
    name: METRIC_NAMES.httpRequestsInFlight,
    help: 'HTTP requests received and not yet answered or aborted.',
  }),
];

/** Counters other features increment; inject them with the helpers below. */
export const featureMetricProviders = [
  makeCounterProvider({
    name: METRIC_NAMES.cacheRequests,
    help: 'Response cache lookups by result (hit, miss, error).',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: METRIC_NAMES.idempotentReplays,
    help: 'Requests answered by replaying the stored response of an earlier request with the same idempotency key.',
  }),
  makeCounterProvider({
    name: METRIC_NAMES.rateLimited,
    help: 'Requests refused with 429 by the rate limiter.',
  }),
  makeCounterProvider({
    name: METRIC_NAMES.rateLimitErrors,
    help: 'Requests let through unchecked because the shared rate-limit store failed (the limiter fails open).',
  }),
];

/** `Counter<'result'>`: `counter.inc({ result: 'hit' })`; results are CACHE_RESULTS. */
export const InjectCacheRequestsCounter = () => InjectMetric(METRIC_NAMES.cacheRequests);
/** `Counter`: one per response replayed for a repeated idempotency key. */
export const InjectIdempotentReplaysCounter = () => InjectMetric(METRIC_NAMES.idempotentReplays);
/** `Counter`: one per request refused with 429. */
export const InjectRateLimitedCounter = () => InjectMetric(METRIC_NAMES.rateLimited);
/** `Counter`: one per request let through because the rate-limit store failed. */
export const InjectRateLimitErrorsCounter = () => InjectMetric(METRIC_NAMES.rateLimitErrors);
