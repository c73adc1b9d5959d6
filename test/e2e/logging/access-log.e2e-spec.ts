import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import { DataRepository } from '../../../src/modules/data/data.repository.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { bearer, token } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { eventually } from '../files/files-api.helper.js';
import { parseSamples, type Sample, valueOf } from '../metrics/prometheus-text.js';
import { LogCapture, type LogLine } from './log-capture.js';

// The JSON lines the app writes, captured from its pino destination (see createTestApp `logs`).
describe('structured logs', () => {
  const logs = new LogCapture();
  let t: TestApp;
  const auth = bearer({ sub: 'log-owner' });

  beforeAll(async () => {
    t = await createTestApp({ logs: { destination: logs } });
  });
  afterAll(async () => t?.close());
  beforeEach(() => logs.clear());
  afterEach(() => jest.restoreAllMocks());

  /** The one access line of the request answered by `requestId`. */
  function accessLineOf(requestId: string): LogLine {
    const lines = logs.accessLines().filter((line) => line.reqId === requestId);
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  it('writes exactly one access line for a 201, with route template, status, duration, bytes and caller', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/data', headers: auth, payload: recordBody() });
    expect(res.statusCode).toBe(201);
    expect(logs.accessLines()).toHaveLength(1);
    const line = accessLineOf(res.headers['x-request-id'] as string);
    expect(line).toMatchObject({ level: 'info', method: 'POST', route: '/api/data', statusCode: 201, sub: 'log-owner', bytes: res.rawPayload.length });
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(typeof line.time).toBe('string');
  });

  it('uses the route template, not the raw URL', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const res = await t.app.inject({ method: 'GET', url: `/api/data/${id}?x=1`, headers: auth });
    expect(res.statusCode).toBe(404);
    expect(accessLineOf(res.headers['x-request-id'] as string)).toMatchObject({ route: '/api/data/:id', statusCode: 404 });
    expect(logs.text).not.toContain(id);
  });

  it.each([
    ['401 without a token', { method: 'GET' as const, url: '/api/data' }, 401, '/api/data'],
    ['404 on an unknown route', { method: 'GET' as const, url: '/nowhere/at/all?q=1' }, 404, 'unmatched'],
    [
      '415 for a text/plain body',
      { method: 'POST' as const, url: '/api/data', headers: { ...bearer(), 'content-type': 'text/plain' }, payload: 'key=1' },
      415,
      '/api/data',
    ],
    // Answered by Fastify's router without running any hook (frameworkErrors).
    ['400 for a path that is not valid percent-encoding', { method: 'GET' as const, url: '/api/data/%zz' }, 400, 'unmatched'],
    [
      '400 for malformed JSON',
      { method: 'POST' as const, url: '/api/data', headers: { ...bearer(), 'content-type': 'application/json' }, payload: '{"key":' },
      400,
      '/api/data',
    ],
  ])('writes one access line for a %s raised before the handler', async (_name, request, status, route) => {
    const res = await t.app.inject(request);
    expect(res.statusCode).toBe(status);
    expect(logs.accessLines()).toHaveLength(1);
    const line = accessLineOf(res.headers['x-request-id'] as string);
    expect(line).toMatchObject({ level: 'info', method: request.method, route, statusCode: status, bytes: res.rawPayload.length });
    expect(line).not.toHaveProperty('sub');
  });

  it('never writes the Authorization header, cookies or token-like body fields', async () => {
    const secret = token({ sub: 'secretive' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/data',
      headers: { authorization: `Bearer ${secret}`, cookie: 'session=cookie-value-123', 'content-type': 'application/json' },
      payload: { ...recordBody(), password: 'hunter2-password', accessToken: 'body-token-value' },
    });
    expect(res.statusCode).toBe(400);
    expect(logs.raw.length).toBeGreaterThan(0);
    for (const value of [secret, secret.split('.')[2], 'cookie-value-123', 'hunter2-password', 'body-token-value', 'test_value']) {
      expect(logs.text).not.toContain(value);
    }
  });

  it('logs a 5xx with its stack and request id server-side, while the client gets no internals', async () => {
    jest.spyOn(t.app.get(DataRepository), 'insert').mockRejectedValue(new TypeError('repository exploded'));
    const res = await t.app.inject({ method: 'POST', url: '/api/data', headers: { ...auth, 'x-request-id': 'fail-500' }, payload: recordBody() });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('exploded');
    expect(res.body).not.toMatch(/\bat .+:\d+:\d+/);

    const [failure] = logs.lines.filter((line) => line.err !== undefined);
    expect(failure).toMatchObject({ level: 'error', reqId: 'fail-500', context: 'ExceptionFilter' });
    expect((failure.err as { stack: string }).stack).toMatch(/^TypeError: repository exploded\n\s+at /);
    expect(accessLineOf('fail-500')).toMatchObject({ level: 'error', statusCode: 500, route: '/api/data', sub: 'log-owner' });
  });

  it('puts the caller-supplied request id in every line of the request, the header and the envelope', async () => {
    jest.spyOn(t.app.get(DataRepository), 'list').mockRejectedValue(new Error('list failed'));
    const res = await t.app.inject({ method: 'GET', url: '/api/data', headers: { ...auth, 'x-request-id': 'trace-123' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.json()).toMatchObject({ requestId: 'trace-123' });
    // The exception filter's line (Nest Logger) and the access line (Fastify's request logger).
    expect(logs.lines.length).toBeGreaterThanOrEqual(2);
    for (const line of logs.lines) expect(line.reqId).toBe('trace-123');
  });

  it('replaces an invalid X-Request-Id with a generated one, everywhere', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/data', headers: { ...auth, 'x-request-id': 'bad id\twith spaces' } });
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toMatchObject({ requestId: id });
    expect(accessLineOf(id)).toMatchObject({ statusCode: 200 });
    expect(logs.text).not.toContain('with spaces');
  });

  it('logs health probes and /metrics at debug only', async () => {
    await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(logs.accessLines()).toHaveLength(0);
  });
});

describe('structured logs at LOG_LEVEL=warn', () => {
  const logs = new LogCapture();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ logs: { destination: logs, level: 'warn' } });
  });
  afterAll(async () => t?.close());

  it('writes no info access lines, but still the 5xx ones', async () => {
    logs.clear();
    const ok = await t.app.inject({ method: 'GET', url: '/api/data', headers: bearer() });
    const missing = await t.app.inject({ method: 'GET', url: '/nowhere' });
    expect([ok.statusCode, missing.statusCode]).toEqual([200, 404]);
    expect(logs.raw).toEqual([]);

    jest.spyOn(t.app.get(DataRepository), 'list').mockRejectedValue(new Error('list failed'));
    // Another caller: the first GET's response is cached for bearer()'s sub.
    const failed = await t.app.inject({ method: 'GET', url: '/api/data', headers: bearer({ sub: 'list-fails' }) });
    expect(failed.statusCode).toBe(500);
    expect(logs.accessLines()).toEqual([expect.objectContaining({ level: 'error', statusCode: 500 })]);
  });
});

describe('structured logs of a request the client abandons (real socket)', () => {
  const logs = new LogCapture();
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ logs: { destination: logs } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());
  afterEach(() => jest.restoreAllMocks());

  const samples = async () => parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
  const accessLinesOf = (requestId: string) => logs.accessLines().filter((line) => line.reqId === requestId);

  /** Sends `head` and `body`, waits until the server has the request in flight, then closes the connection. */
  async function abandon(head: string, body = ''): Promise<void> {
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    socket.write(`${head}\r\n\r\n${body}`);
    await eventually(async () => expect(valueOf(await samples(), 'http_requests_in_flight')).toBe(1), 10_000);
    socket.destroy();
  }

  /** Waits for the one access line of `requestId`: aborted, status 499; and checks it was counted. */
  async function expectAbandoned(requestId: string, method: string, before: Sample[]): Promise<void> {
    await eventually(async () => expect(accessLinesOf(requestId)).toHaveLength(1), 10_000);
    const [line] = accessLinesOf(requestId);
    expect(line).toMatchObject({ level: 'info', method, route: '/api/data', statusCode: 499, aborted: true, durationMs: expect.any(Number) });
    expect(line).not.toHaveProperty('bytes');
    const labels = { method, route: '/api/data', status_code: '499' };
    const after = await samples();
    expect(valueOf(after, 'http_requests_total', labels) - valueOf(before, 'http_requests_total', labels)).toBe(1);
    expect(valueOf(after, 'http_requests_in_flight')).toBe(0);
  }

  it('writes one access line, aborted with 499, and counts it, for a client that closes mid-body', async () => {
    const before = await samples();
    const { authorization } = bearer({ sub: 'gives-up' });
    await abandon(
      `POST /api/data HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Request-Id: abandoned-upload`,
      '{"key',
    );
    await expectAbandoned('abandoned-upload', 'POST', before);
  });

  it('writes one access line, aborted with 499, for a client that closes while the handler runs, and no other when it ends', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const repository = t.app.get(DataRepository);
    const list = repository.list.bind(repository);
    jest.spyOn(repository, 'list').mockImplementation(async (...args) => {
      await held;
      return list(...args);
    });
    const before = await samples();
    const { authorization } = bearer({ sub: 'gives-up-waiting' });
    await abandon(`GET /api/data HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nX-Request-Id: abandoned-read`);
    await expectAbandoned('abandoned-read', 'GET', before);

    // The handler still answers, to a closed connection: that is not a second request.
    release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(accessLinesOf('abandoned-read')).toHaveLength(1);
  });
});
