import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.com';

function preflight(testApp: TestApp, origin: string, headers = 'authorization, content-type, if-match') {
  return testApp.app.inject({
    method: 'OPTIONS',
    url: '/api/data',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
}

const corsHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('CORS with an allowlist', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ http: { corsOrigins: [ALLOWED, 'http://localhost:5173'] } });
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
