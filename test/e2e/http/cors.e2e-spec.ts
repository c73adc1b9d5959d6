import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { LogCapture } from '../logging/log-capture.js';
import { parseSamples, type Sample, valueOf } from '../metrics/prometheus-text.js';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.com';

function preflight(testApp: TestApp, origin: string, headers = 'authorization, content-type, if-match', url = '/api/data') {
  return testApp.app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers, 'x-request-id': 'preflight-1' },
  });
}

const requestsTotal = (samples: Sample[], route: string, status: number) =>
  valueOf(samples, 'http_requests_total', { method: 'OPTIONS', route, status_code: String(status) });

const corsHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('CORS with an allowlist', () => {
  const logs = new LogCapture();
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ http: { corsOrigins: [ALLOWED, 'http://localhost:5173'] }, logs: { destination: logs } });
  });
  afterAll(() => testApp?.close());

  it('answers a preflight from an allowed origin without a token (before the JWT guard)', async () => {
    const res = await preflight(testApp, ALLOWED);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    const methods = String(res.headers['access-control-allow-methods']).split(', ');
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    const allowed = String(res.headers['access-control-allow-headers']).split(', ');
    expect(allowed).toEqual(['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id', 'Range', 'If-Range']);
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers a preflight as an ordinary request: request id, security headers, counted under the CORS route', async () => {
    const scrape = async () => parseSamples((await testApp.app.inject({ method: 'GET', url: '/metrics' })).body);
    const before = await scrape();
    logs.clear();
    for (const url of ['/api/data', '/no/such/path']) {
      const res = await preflight(testApp, ALLOWED, 'authorization', url);
      expect(res.statusCode).toBe(204);
      expect(res.headers['x-request-id']).toBe('preflight-1');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const after = await scrape();
    // The plugin answers preflights on its catch-all OPTIONS route, whatever the path.
    expect(requestsTotal(after, '*', 204) - requestsTotal(before, '*', 204)).toBe(2);
    expect(logs.accessLines()).toEqual([1, 2].map(() => expect.objectContaining({ reqId: 'preflight-1', route: '*', statusCode: 204 })));
  });

  it('counts an OPTIONS the CORS route hands to the not-found handler as unmatched, as the access line says', async () => {
    const scrape = async () => parseSamples((await testApp.app.inject({ method: 'GET', url: '/metrics' })).body);
    const before = await scrape();
    logs.clear();
    const res = await preflight(testApp, OTHER, 'authorization', '/no/such/path');
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('preflight-1');
    const after = await scrape();
    expect(requestsTotal(after, 'unmatched', 404) - requestsTotal(before, 'unmatched', 404)).toBe(1);
    expect(requestsTotal(after, '*', 404)).toBe(0);
    expect(logs.accessLines()).toEqual([expect.objectContaining({ reqId: 'preflight-1', route: 'unmatched', statusCode: 404 })]);
  });

  it('adds the allowed origin and exposed headers to actual responses, errors included', async () => {
    const ok = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: { origin: ALLOWED, ...bearer() } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(ok.headers['access-control-expose-headers']).split(', ')).toEqual(
      expect.arrayContaining(['ETag', 'Location', 'X-Request-Id', 'Content-Disposition', 'Content-Range', 'Accept-Ranges']),
    );
    expect(String(ok.headers.vary)).toMatch(/origin/i);

    const unauthorized = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: { origin: ALLOWED } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('matches origins exactly', async () => {
    for (const origin of [OTHER, `${ALLOWED}.evil.com`, 'https://app.example.co', 'http://app.example.com', 'null']) {
      const res = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: { origin, ...bearer() } });
      expect({ origin, cors: corsHeaders(res.headers) }).toEqual({ origin, cors: [] });
    }
  });

  it('gives a disallowed origin no CORS headers, on requests and preflights', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: { origin: OTHER, ...bearer() } });
    expect(res.statusCode).toBe(200);
    expect(corsHeaders(res.headers)).toEqual([]);

    const pre = await preflight(testApp, OTHER);
    expect(corsHeaders(pre.headers)).toEqual([]);
    expect(pre.statusCode).toBe(404);
    expect(pre.json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
  });
});

describe('CORS by default (no CORS_ORIGINS)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ http: { corsOrigins: [] } });
  });
  afterAll(() => testApp?.close());

  it('sends no CORS headers at all', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: { origin: ALLOWED, ...bearer() } });
    expect(res.statusCode).toBe(200);
    expect(corsHeaders(res.headers)).toEqual([]);
    const pre = await preflight(testApp, ALLOWED);
    expect(corsHeaders(pre.headers)).toEqual([]);
    expect(pre.statusCode).toBe(404);
  });
});
