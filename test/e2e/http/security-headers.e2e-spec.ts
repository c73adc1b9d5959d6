import type { LightMyRequestResponse } from 'fastify';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';

function expectSecurityHeaders(res: LightMyRequestResponse): void {
  expect(res.headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  });
  // Helmet also turns off the legacy XSS auditor rather than trusting it.
  expect(res.headers['x-xss-protection']).toBe('0');
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('security headers', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp?.close());

  it('are on a 200', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: bearer({ scope: 'data:read' }) });
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res);
  });

  it('are on a 401 from the guard', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/data' });
    expect(res.statusCode).toBe(401);
    expectSecurityHeaders(res);
  });

  it('are on a 404 for an unknown route', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
    expectSecurityHeaders(res);
  });

  it('are on a 415 raised by Fastify before the handler', async () => {
    const res = await testApp.app.inject({
      method: 'POST',
      url: '/api/data',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      payload: '{"key":"k"}',
    });
    expect(res.statusCode).toBe(415);
    expectSecurityHeaders(res);
  });

  // Fastify's router refuses these before any hook runs (frameworkErrors).
  it.each([
    ['a 400 for a path that is not valid percent-encoding', '/api/data/%zz', 400],
    ['a 404 for an id over the router\'s parameter length', `/api/data/${'a'.repeat(101)}`, 404],
  ])('are on %s, answered by the router', async (_name, url, status) => {
    const res = await testApp.app.inject({ method: 'GET', url, headers: bearer() });
    expect(res.statusCode).toBe(status);
    expectSecurityHeaders(res);
  });
});
