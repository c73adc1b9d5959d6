import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HttpMetricsRecorder, routeLabel } from './http-metrics.recorder.js';
import { HTTP_DURATION_BUCKETS, HTTP_LABELS } from './metrics.constants.js';

describe('routeLabel', () => {
  it.each([
    ['/api/data/:id', '/api/data/:id'],
    ['/api/data', '/api/data'],
    [undefined, 'unmatched'],
  ])('labels %s as %s', (template, label) => {
    expect(routeLabel(template)).toBe(label);
  });

  it.each(['/metrics', '/health', '/health/live', '/health/ready'])('does not count %s', (template) => {
    expect(routeLabel(template)).toBeNull();
  });

  it('counts routes that only start like the excluded ones', () => {
    expect(routeLabel('/healthcheck-report')).toBe('/healthcheck-report');
    expect(routeLabel('/metrics/:name')).toBe('/metrics/:name');
  });
});

describe('HttpMetricsRecorder', () => {
  function setup() {
    const registry = new Registry();
    const labelNames = [...HTTP_LABELS];
    const requests = new Counter({ name: 'requests', help: 'h', labelNames, registers: [registry] });
    const duration = new Histogram({ name: 'duration', help: 'h', labelNames, buckets: HTTP_DURATION_BUCKETS, registers: [registry] });
    const inFlight = new Gauge({ name: 'in_flight', help: 'h', registers: [registry] });
    return { registry, requests, duration, inFlight, recorder: new HttpMetricsRecorder(requests, duration, inFlight) };
  }

  it('counts and observes each request under (method, route, status_code)', async () => {
    const { requests, duration, recorder } = setup();
    recorder.record('POST', '/api/data', 201, 0.02);
    recorder.record('POST', '/api/data', 201, 0.7);
    recorder.record('POST', '/api/data', 415, 0.001);
    expect((await requests.get()).values).toEqual([
      { labels: { method: 'POST', route: '/api/data', status_code: '201' }, value: 2 },
      { labels: { method: 'POST', route: '/api/data', status_code: '415' }, value: 1 },
    ]);
    // Bucket samples carry `le` beside the metric's own labels.
    const histogram = (await duration.get()).values as { metricName?: string; labels: Record<string, string | number>; value: number }[];
    const sum = histogram.find((v) => v.metricName === 'duration_sum' && v.labels.status_code === '201');
    expect(sum?.value).toBeCloseTo(0.72);
    const le05 = histogram.find((v) => v.metricName === 'duration_bucket' && v.labels.status_code === '201' && v.labels.le === 0.5);
    expect(le05?.value).toBe(1);
  });

  it('asks prom-client for label children once per series', () => {
    const { requests, duration, recorder } = setup();
    const counterLabels = jest.spyOn(requests, 'labels');
    const histogramLabels = jest.spyOn(duration, 'labels');
    for (let i = 0; i < 100; i++) recorder.record('GET', '/api/data/:id', 200, 0.01);
    recorder.record('GET', '/api/data/:id', 404, 0.01);
    recorder.record('HEAD', '/api/data/:id', 200, 0.01);
    expect(counterLabels).toHaveBeenCalledTimes(3);
    expect(histogramLabels).toHaveBeenCalledTimes(3);
  });

  it('keeps the in-flight gauge at started minus finished', async () => {
    const { inFlight, recorder } = setup();
    recorder.started();
    recorder.started();
    recorder.finished();
    expect((await inFlight.get()).values[0].value).toBe(1);
    recorder.finished();
    expect((await inFlight.get()).values[0].value).toBe(0);
  });
});
