import type { AddressInfo } from 'node:net';
import { bearer } from '../../helpers/tokens.js';
import { parseRawResponse, rawHttp } from '../../helpers/raw-http.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';

// What Node's HTTP parser and Fastify's router reject before Nest runs, over a real socket:
// the error envelope must still come back, with a request id.
describe('errors before routing (real socket)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t?.close());

  it('answers headers over the limit with 431 HEADERS_TOO_LARGE and closes', async () => {
    const raw = await rawHttp(port, `GET /api/data HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const response = parseRawResponse(raw);
    expect(response.status).toBe(431);
    expect(response.headers).toMatch(/connection: close/i);
    expect(response.headers).toMatch(/x-request-id: [0-9a-f-]{36}/i);
    expect(response.body).toMatchObject({ status: 'error', error: { code: 'HEADERS_TOO_LARGE' }, path: '' });
  });

  it('answers a malformed request line with a 400 envelope', async () => {
    const response = parseRawResponse(await rawHttp(port, 'GARBAGE\r\n\r\n'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 'error', error: { code: 'VALIDATION_FAILED', message: 'Malformed HTTP request' } });
  });

  const post = (authorization: string, contentLength: number, body: string) =>
    `POST /api/data HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n${body}`;
  const stored = async (authorization: string) =>
    (await t.app.inject({ method: 'GET', url: '/api/data', headers: { authorization } })).json().data;

  it('parses only Content-Length bytes: a cut-off body is MALFORMED_JSON and stores nothing', async () => {
    const { authorization } = bearer({ sub: 'short-length' });
    const response = parseRawResponse(await rawHttp(port, post(authorization, 5, '{"key')));
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_JSON' } } });
    expect(await stored(authorization)).toEqual([]);
  });

  it('refuses bytes past Content-Length as a malformed next request and stores nothing', async () => {
    const { authorization } = bearer({ sub: 'smuggled-tail' });
    const raw = await rawHttp(port, post(authorization, 5, '{"key":"a"}'));
    // The first request is '{"key' (invalid); the tail '":"a"}' is not HTTP: both are refused.
    expect(parseRawResponse(raw).status).toBe(400);
    expect(await stored(authorization)).toEqual([]);
  });

  it('stores nothing when the client goes away before the declared body arrives', async () => {
    const { authorization } = bearer({ sub: 'gone-mid-body' });
    await rawHttp(port, post(authorization, 100, '{"key":"a"}'), { halfClose: true });
    expect(await stored(authorization)).toEqual([]);
  });

  it('answers a path that is not valid percent-encoding with a 400 envelope carrying the request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/data/%E0%A4%A', headers: { 'x-request-id': 'bad-url-1' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-request-id']).toBe('bad-url-1');
    expect(res.json()).toMatchObject({ status: 'error', error: { code: 'VALIDATION_FAILED' }, requestId: 'bad-url-1', path: '/api/data/%E0%A4%A' });
  });
});
