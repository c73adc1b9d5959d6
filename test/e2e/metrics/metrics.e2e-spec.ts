import { randomUUID } from 'node:crypto';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { parseSamples, promtool, type Sample, select, valueOf } from './prometheus-text.js';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const REQUESTS = 'http_requests_total';
const DURATION_COUNT = 'http_request_duration_seconds_count';

// prom-client keeps one registry per process (per jest file here), so assertions compare the
// scrape after some requests with the scrape before them.
describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    return { text: res.body, samples: parseSamples(res.body) };
  }

  /** The increase of one series' counter and histogram count across `act`. */
  async function delta(labels: Record<string, string>, act: () => Promise<unknown>): Promise<{ requests: number; observed: number }> {
    const before = (await scrape()).samples;
    await act();
    const after = (await scrape()).samples;
    return {
      requests: valueOf(after, REQUESTS, labels) - valueOf(before, REQUESTS, labels),
      observed: valueOf(after, DURATION_COUNT, labels) - valueOf(before, DURATION_COUNT, labels),
    };
  }

  const post = (payload: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/data', payload, headers });

  it('is public, unenveloped Prometheus text', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(res.body).toMatch(/^# HELP /);
    expect(res.body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.body).toContain('# TYPE http_requests_in_flight gauge');
  });

  it.each([
    ['201 on a created record', 201, () => post('{"key":"metrics"}', { ...bearer(), 'content-type': 'application/json' })],
    ['400 MALFORMED_JSON before the handler', 400, () => post('{"key":', { ...bearer(), 'content-type': 'application/json' })],
    ['401 from the guard', 401, () => post('{"key":"metrics"}', { 'content-type': 'application/json' })],
    ['415 from the content-type parser', 415, () => post('key=metrics', { ...bearer(), 'content-type': 'text/plain' })],
  ])('counts POST /api/data answered %s, labelled with the route template', async (_name, status, send) => {
    const labels = { method: 'POST', route: '/api/data', status_code: String(status) };
    const change = await delta(labels, async () => {
      const res = await send();
      expect(res.statusCode).toBe(status);
      if (status === 400) expect(res.json()).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    });
    expect(change).toEqual({ requests: 1, observed: 1 });
  });

  it('labels a parameterised route with its template, not the URL', async () => {
    const id = randomUUID();
    const labels = { method: 'GET', route: '/api/data/:id', status_code: '404' };
    const change = await delta(labels, () => t.app.inject({ method: 'GET', url: `/api/data/${id}`, headers: bearer() }));
    expect(change).toEqual({ requests: 1, observed: 1 });
    expect((await scrape()).text).not.toContain(id);
  });

  it.each([
    ['400 for a path that is not valid percent-encoding', '/api/data/%zz', 400],
    ['404 for an id over the router\'s parameter length', `/api/data/${'a'.repeat(101)}`, 404],
  ])('counts a %s, refused by the router before any hook, as unmatched', async (_name, url, status) => {
    const labels = { method: 'GET', route: 'unmatched', status_code: String(status) };
    const change = await delta(labels, async () => expect((await t.app.inject({ method: 'GET', url, headers: bearer() })).statusCode).toBe(status));
    expect(change).toEqual({ requests: 1, observed: 1 });
  });

  it('folds unknown URLs into route="unmatched": 50 random paths add at most one series', async () => {
    const paths = Array.from({ length: 50 }, () => `/${randomUUID()}/${randomUUID()}`);
    const before = (await scrape()).samples;
    for (const url of paths) expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const { samples, text } = await scrape();
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
    expect(valueOf(samples, REQUESTS, unmatched) - valueOf(before, REQUESTS, unmatched)).toBe(50);
    expect(select(samples, REQUESTS).length - select(before, REQUESTS).length).toBeLessThanOrEqual(1);
    expect(select(samples, DURATION_COUNT).length - select(before, DURATION_COUNT).length).toBeLessThanOrEqual(1);
    for (const path of paths) expect(text).not.toContain(path.slice(1, 37));
  });

  it('does not count the scrape or the health probes', async () => {
    const before = (await scrape()).samples;
    for (const url of ['/metrics', '/health/live', '/health/ready', '/metrics']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
    const after = (await scrape()).samples;
    expect(valueOf(after, REQUESTS)).toBe(valueOf(before, REQUESTS));
    expect(valueOf(after, DURATION_COUNT)).toBe(valueOf(before, DURATION_COUNT));
    expect(select(after, REQUESTS).filter((s) => s.labels.route.startsWith('/health') || s.labels.route === '/metrics')).toEqual([]);
  });

  it('returns http_requests_in_flight to 0 once requests are answered', async () => {
    await Promise.all([
      post('{"key":"a"}', { ...bearer(), 'content-type': 'application/json' }),
      post('{"key":', { ...bearer(), 'content-type': 'application/json' }),
      t.app.inject({ method: 'GET', url: '/nowhere' }),
    ]);
    const { samples } = await scrape();
    expect(select(samples, 'http_requests_in_flight')).toEqual([{ name: 'http_requests_in_flight', labels: {}, value: 0 }]);
  });

  it('exports the feature counters and default Node metrics', async () => {
    const { samples, text } = await scrape();
    for (const result of ['hit', 'miss', 'error']) expect(select(samples, 'cache_requests_total', { result })).toHaveLength(1);
    expect(text).toContain('# TYPE idempotent_replays_total counter');
    expect(text).toContain('# TYPE rate_limited_total counter');
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'process_resident_memory_bytes']) {
      expect(select(samples, name).length).toBeGreaterThan(0);
    }
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  it('uses buckets with an edge at the 0.5 s alert threshold', async () => {
    await post('{"key":"buckets"}', { ...bearer(), 'content-type': 'application/json' });
    const buckets = select((await scrape()).samples, 'http_request_duration_seconds_bucket', { route: '/api/data' });
    expect(new Set(buckets.map((s) => s.labels.le))).toContain('0.5');
  });

  it('passes promtool check metrics', async () => {
    // A few label combinations first, so the check sees populated histograms too.
    await post('{"key":"lint"}', { ...bearer(), 'content-type': 'application/json' });
    await t.app.inject({ method: 'GET', url: '/lint-me' });
    const check = promtool(['check', 'metrics'], (await scrape()).text);
    if (!check.available) {
      if (process.env.CI) throw new Error('promtool is not installed: .ci/run installs the Debian prometheus package');
      console.warn('promtool not found: skipping promtool check metrics');
      return;
    }
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('GET /metrics with a small body limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ bodyLimit: 4096 });
  });
  afterAll(() => t?.close());

  it('counts 413 PAYLOAD_TOO_LARGE under the route template', async () => {
    const labels = { method: 'POST', route: '/api/data', status_code: '413' };
    const scrape = async () => parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const before = await scrape();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/data',
      payload: JSON.stringify({ key: 'big', attributes: { pad: 'p'.repeat(8192) } }),
      headers: { ...bearer(), 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    const after = await scrape();
    expect(valueOf(after, REQUESTS, labels) - valueOf(before, REQUESTS, labels)).toBe(1);
    expect(valueOf(after, DURATION_COUNT, labels) - valueOf(before, DURATION_COUNT, labels)).toBe(1);
  });
});
