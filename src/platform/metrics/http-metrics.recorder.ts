import type { Counter, Gauge, Histogram } from 'prom-client';
import { METRICS_PATH, UNMATCHED_ROUTE } from './metrics.constants.js';

type HttpLabel = 'method' | 'route' | 'status_code';

interface SeriesChildren {
  requests: Counter.Internal;
  duration: Histogram.Internal<HttpLabel>;
}

/**
 * The `route` label for a request: Fastify's route template (`/api/data/:id`, never the raw
 * URL), `unmatched` when no route matched. Returns null for the requests that must not count
 * themselves: the scrape and the health probes.
 */
export function routeLabel(template: string | undefined): string | null {
  if (template === undefined) return UNMATCHED_ROUTE;
  if (template === METRICS_PATH || template === '/health' || template.startsWith('/health/')) return null;
  return template;
}

/**
 * Records one finished request into the HTTP metrics. Label children are created once per
 * (route, method, status) and kept in nested maps, so the hot path allocates no label object
 * or key string; the maps stay small because `route` is a template or `unmatched`.
 */
export class HttpMetricsRecorder {
  private readonly series = new Map<string, Map<string, Map<number, SeriesChildren>>>();

  constructor(
    private readonly requests: Counter<HttpLabel>,
    private readonly duration: Histogram<HttpLabel>,
    private readonly inFlight: Gauge,
  ) {}

  started(): void {
    this.inFlight.inc();
  }

  finished(): void {
    this.inFlight.dec();
  }

  record(method: string, route: string, statusCode: number, seconds: number): void {
    const children = this.childrenFor(method, route, statusCode);
    children.requests.inc();
    children.duration.observe(seconds);
  }

  private childrenFor(method: string, route: string, statusCode: number): SeriesChildren {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) this.series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let children = byStatus.get(statusCode);
    if (children === undefined) {
      const labels = { method, route, status_code: String(statusCode) };
      children = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      byStatus.set(statusCode, children);
    }
    return children;
  }
}
