import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  ConnectionError,
  DataApiClient,
  HeadersTooLargeError,
  InternalServerError,
  RequestTimeoutError,
  type DataApiClientOptions,
  type DataRecord,
  ServiceUnavailableError,
  TimeoutError,
  ValidationError,
} from '../../../src/client/index.js';
import { closedPort, type FaultServer, hangingListener, sendEnvelope, startHttpServer } from './fault-servers.js';
import { QUICK_RETRIES } from './client-app.js';

const RECORD = { id: '6f1c0000-0000-4000-8000-000000000001', key: 'k', version: 1 } as DataRecord;

/** Elapsed milliseconds of `call`, and what it resolved or rejected with. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await call();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe('DataApiClient retry and timeout rules (local fault servers)', () => {
  const servers: FaultServer[] = [];
  const clients: DataApiClient[] = [];
  const serve = async (handler: Parameters<typeof startHttpServer>[0]) => {
    const server = await startHttpServer(handler);
    servers.push(server);
    return server;
  };
  const clientFor = (baseUrl: string, options: Partial<DataApiClientOptions> = {}) => {
    const client = new DataApiClient({ baseUrl, token: 't', ...QUICK_RETRIES, ...options });
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('retries connections reset by the server: N resets → N + 1 attempts, same request id each time', async () => {
    const resets = 2;
    const requestIds: (string | undefined)[] = [];
    const server = await serve((request, response, n) => {
      requestIds.push(request.headers['x-request-id'] as string);
      if (n <= resets) return void request.socket.resetAndDestroy();
      sendEnvelope(response, 200, RECORD);
    });
    await expect(clientFor(server.url).getRecord(RECORD.id, { requestId: 'trace-1' })).resolves.toEqual(RECORD);
    expect(server.count).toBe(resets + 1);
    expect(requestIds).toEqual(['trace-1', 'trace-1', 'trace-1']);
  });

  it('retries a refused connection, then gives up with ConnectionError after 1 + retries attempts', async () => {
    const { error } = await timed(() => clientFor(`http://127.0.0.1:${PORT.refused}`, { retries: 2 }).getRecord(RECORD.id));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it('waits for Retry-After: 1 on a 503, then succeeds', async () => {
    const server = await serve((_request, response, n) => {
      if (n === 1) return sendEnvelope(response, 503, { code: 'SERVICE_UNAVAILABLE', message: 'down' }, { 'retry-after': '1' });
      sendEnvelope(response, 200, RECORD);
    });
    const { ms, value } = await timed(() => clientFor(server.url).getRecord(RECORD.id));
    expect(value).toEqual(RECORD);
    expect(server.count).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(5000);
  });

  it('honours a Retry-After given as an HTTP date on a 429', async () => {
    const server = await serve((_request, response, n) => {
      if (n === 1) return sendEnvelope(response, 429, { code: 'RATE_LIMITED', message: 'slow down' }, { 'retry-after': new Date(Date.now() + 2000).toUTCString() });
      sendEnvelope(response, 200, RECORD);
    });
    const { ms, value } = await timed(() => clientFor(server.url).getRecord(RECORD.id));
    expect(value).toEqual(RECORD);
    // An HTTP date has whole seconds: the wait is between 1 and 2 s.
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(5000);
  });

  it('times out a server that never answers at timeoutMs', async () => {
    const bound = 300;
    const server = await serve(() => undefined);
    const { ms, error } = await timed(() => clientFor(server.url, { timeoutMs: bound, retries: 0 }).getRecord(RECORD.id));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'headers', attempts: 1 });
    expect(ms).toBeGreaterThanOrEqual(bound - 5);
    expect(ms).toBeLessThan(bound + 2000);
  });

  it('retries timeouts too, within the attempt budget', async () => {
    const server = await serve(() => undefined);
    const { ms, error } = await timed(() => clientFor(server.url, { timeoutMs: 200, retries: 2 }).getRecord(RECORD.id));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.count).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(3 * 200 - 5);
    expect(ms).toBeLessThan(3 * 200 + 3000);
  });

  it('times out a connect that never completes at connectTimeoutMs, and retries it', async () => {
    const listener = await hangingListener();
    try {
      const bound = 300;
      const single = await timed(() => clientFor(`http://127.0.0.1:${listener.port}`, { connectTimeoutMs: bound, retries: 0 }).getRecord(RECORD.id));
      expect(single.error).toBeInstanceOf(TimeoutError);
      expect(single.error).toMatchObject({ phase: 'connect', attempts: 1 });
      expect(single.ms).toBeGreaterThanOrEqual(bound - 5);
      expect(single.ms).toBeLessThan(bound + 2000);
      const retried = await timed(() => clientFor(`http://127.0.0.1:${listener.port}`, { connectTimeoutMs: 100, retries: 2 }).getRecord(RECORD.id));
      expect(retried.error).toMatchObject({ phase: 'connect', attempts: 3 });
    } finally {
      await listener.close();
    }
  });

  it('reuses keep-alive connections for consecutive calls', async () => {
    const server = await serve((_request, response) => sendEnvelope(response, 200, RECORD));
    const client = clientFor(server.url);
    for (let i = 0; i < 20; i++) await client.getRecord(RECORD.id);
    expect(server.count).toBe(20);
    // A call may be dispatched a moment before the previous one's connection is free again:
    // the pool then opens a second one, and keeps both.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('stops waiting between retries when the caller aborts', async () => {
    const server = await serve((_request, response) => sendEnvelope(response, 503, { code: 'SERVICE_UNAVAILABLE', message: 'down' }, { 'retry-after': '5' }));
    const controller = new AbortController();
    const pending = timed(() => clientFor(server.url).getRecord(RECORD.id, { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('caller gave up')), 200);
    const { ms, error } = await pending;
    expect(error).toEqual(new Error('caller gave up'));
    expect(server.count).toBe(1);
    // Well under the 5 s Retry-After it would otherwise have slept.
    expect(ms).toBeLessThan(4000);
  });

  it('waits out a 409 on a retried POST: its own first attempt is still running on the server', async () => {
    const server = await serve((request, response, n) => {
      if (n === 1) return void request.socket.resetAndDestroy();
      if (n === 2) return sendEnvelope(response, 409, { code: 'CONFLICT', message: 'in flight' }, { 'retry-after': '1' });
      sendEnvelope(response, 201, RECORD);
    });
    const { value, ms } = await timed(() => clientFor(server.url).createRecord({ key: 'k' }));
    expect(value).toEqual(RECORD);
    expect(server.count).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(990);
  });

  it('times out a body that stalls between chunks', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"status":"success","data":');
    });
    const { error } = await timed(() => clientFor(server.url, { timeoutMs: 300, retries: 1 }).getRecord(RECORD.id));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'body', attempts: 2 });
  });

  it('sends a 400 exactly once', async () => {
    const server = await serve((_request, response) => sendEnvelope(response, 400, { code: 'VALIDATION_FAILED', message: 'bad', details: [] }));
    const { error } = await timed(() => clientFor(server.url).createRecord({ key: 'x' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(server.count).toBe(1);
  });

  it.each([
    [500, 'INTERNAL_ERROR', InternalServerError],
    [408, 'REQUEST_TIMEOUT', RequestTimeoutError],
    [400, 'MALFORMED_JSON', ValidationError],
    [431, 'HEADERS_TOO_LARGE', HeadersTooLargeError],
  ])('maps a %i %s envelope to its class, after one attempt', async (status, code, ErrorClass) => {
    const server = await serve((_request, response) => sendEnvelope(response, status, { code, message: 'm' }));
    const { error } = await timed(() => clientFor(server.url).updateRecord(RECORD.id, { key: 'k' }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code, requestId: 'fault', attempts: 1 });
    expect(server.count).toBe(1);
  });

  it('stops after 1 + retries attempts on a 503 that never clears, in bounded time', async () => {
    const server = await serve((_request, response) => sendEnvelope(response, 503, { code: 'SERVICE_UNAVAILABLE', message: 'down' }));
    const { ms, error } = await timed(() => clientFor(server.url, { retries: 3 }).getRecord(RECORD.id));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ attempts: 4, code: 'SERVICE_UNAVAILABLE' });
    expect(server.count).toBe(4);
    expect(ms).toBeLessThan(3000);
  });

  it('starts no retry once maxElapsedMs has passed', async () => {
    const server = await serve((_request, response) => sendEnvelope(response, 503, { code: 'SERVICE_UNAVAILABLE', message: 'down' }, { 'retry-after': '1' }));
    const { ms, error } = await timed(() => clientFor(server.url, { retries: 10, maxElapsedMs: 1500 }).getRecord(RECORD.id));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    // 0 s: attempt 1; 1 s: attempt 2; a third would start at 2 s, past the 1.5 s budget.
    expect(server.count).toBe(2);
    expect(ms).toBeLessThan(1500 + 1000);
  });

  it('turns a gateway’s non-envelope 502 into a retried ServiceUnavailableError', async () => {
    const server = await serve((_request, response) => response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
    const { error } = await timed(() => clientFor(server.url, { retries: 1 }).listRecords());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 502, code: 'BAD_GATEWAY', attempts: 2 });
    expect(server.count).toBe(2);
  });

  it('sends every POST with one Idempotency-Key, the same on each attempt', async () => {
    const keys: string[] = [];
    const server = await serve((request: IncomingMessage, response, n) => {
      keys.push(request.headers['idempotency-key'] as string);
      if (n === 1) return sendEnvelope(response, 503, { code: 'SERVICE_UNAVAILABLE', message: 'down' });
      sendEnvelope(response, 201, RECORD);
    });
    const client = clientFor(server.url);
    await client.createRecord({ key: 'a' });
    await client.createRecord({ key: 'b' }, { idempotencyKey: 'caller-key' });
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe('caller-key');
  });

  it('decodes gzip and brotli bodies of any server', async () => {
    const { gzipSync, brotliCompressSync } = await import('node:zlib');
    const body = Buffer.from(JSON.stringify({ status: 'success', data: { ...RECORD, key: 'é'.repeat(2000) } }));
    const server = await serve((request, response, n) => {
      const encoding = n === 1 ? 'gzip' : 'br';
      expect(request.headers['accept-encoding']).toMatch(/br.*gzip|gzip.*br/);
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(encoding === 'gzip' ? gzipSync(body) : brotliCompressSync(body));
    });
    const client = clientFor(server.url);
    expect((await client.getRecord(RECORD.id)).key).toBe('é'.repeat(2000));
    expect((await client.getRecord(RECORD.id)).key).toBe('é'.repeat(2000));
  });
});

const PORT = { refused: 0 };
beforeAll(async () => {
  PORT.refused = await closedPort();
});
