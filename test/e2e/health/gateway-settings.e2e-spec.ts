import { Controller, Get, Module, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Public } from '../../../src/auth/index.js';
import type { HttpConfig } from '../../../src/config/index.js';
import { parseRawResponse, rawHttp, rawHttpExchange } from '../../helpers/raw-http.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../setup/create-test-app.js';
import { LogCapture } from '../logging/log-capture.js';
import { parseSamples, valueOf } from '../metrics/prometheus-text.js';

// Server settings for life behind a gateway, over real sockets (the network is the point).

/** Test-only: shows the client address Fastify derived (socket or X-Forwarded-For). */
@Controller('test-only')
class ClientAddressController {
  @Get('client-ip')
  @Public()
  clientIp(@Req() request: FastifyRequest): { ip: string } {
    return { ip: request.ip };
  }
}

@Module({ controllers: [ClientAddressController] })
class ClientAddressModule {}

async function listening(http: Partial<HttpConfig>, options: TestAppOptions = {}): Promise<{ t: TestApp; port: number }> {
  const t = await createTestApp({ ...options, http, imports: [ClientAddressModule] });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, port: (t.app.getHttpServer().address() as AddressInfo).port };
}

describe('server timeouts and header limits (real socket)', () => {
  const logs = new LogCapture();
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    ({ t, port } = await listening({ headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 1_000 }, { logs: { destination: logs } }));
  });
  afterAll(() => t?.close());

  it('answers headers that do not arrive within HEADERS_TIMEOUT with 408 REQUEST_TIMEOUT and closes', async () => {
    const exchange = await rawHttpExchange(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ', { timeoutMs: 8_000 });
    const response = parseRawResponse(exchange.response);
    expect(response.status).toBe(408);
    expect(response.headers).toMatch(/connection: close/i);
    expect(response.body).toMatchObject({ status: 'error', error: { code: 'REQUEST_TIMEOUT' } });
    // Cut by the server (1 s timeout), not by the 8 s client timer.
    expect(exchange.closedBy).toBe('server');
  });

  it("answers a body that does not arrive within REQUEST_TIMEOUT with 408 REQUEST_TIMEOUT, keeping the caller's request id, logged and counted", async () => {
    const timedOut = { method: 'POST', route: '/api/data', status_code: '408' };
    const samples = async () => parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const before = await samples();
    const exchange = await rawHttpExchange(
      port,
      'POST /api/data HTTP/1.1\r\nHost: x\r\nX-Request-Id: stalled-body-1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"key":',
      { timeoutMs: 8_000 },
    );
    const response = parseRawResponse(exchange.response);
    expect(response.status).toBe(408);
    expect(response.body).toMatchObject({ status: 'error', error: { code: 'REQUEST_TIMEOUT' }, requestId: 'stalled-body-1', path: '/api/data' });
    expect(exchange.closedBy).toBe('server');
    // The request had been routed: its id is kept (header and envelope), and it is logged and counted under its route.
    expect(response.headers).toMatch(/\r\nx-request-id: stalled-body-1(\r\n|$)/i);
    const lines = logs.accessLines().filter((line) => line.reqId === 'stalled-body-1');
    expect(lines).toEqual([expect.objectContaining({ level: 'info', method: 'POST', route: '/api/data', statusCode: 408 })]);
    expect(lines[0]).not.toHaveProperty('aborted');
    const after = await samples();
    expect(valueOf(after, 'http_requests_total', timedOut) - valueOf(before, 'http_requests_total', timedOut)).toBe(1);
  });

  it('accepts headers just under 16 KiB and answers larger ones with 431 HEADERS_TOO_LARGE', async () => {
    const request = (size: number) => `GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'a'.repeat(size)}\r\n\r\n`;
    expect(parseRawResponse(await rawHttp(port, request(15 * 1024))).status).toBe(200);
    const response = parseRawResponse(await rawHttp(port, request(17 * 1024)));
    expect(response.status).toBe(431);
    expect(response.body).toMatchObject({ status: 'error', error: { code: 'HEADERS_TOO_LARGE' } });
  });

  it('announces KEEP_ALIVE_TIMEOUT and closes an idle keep-alive connection after it', async () => {
    const exchange = await rawHttpExchange(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 8_000 });
    expect(parseRawResponse(exchange.response).status).toBe(200);
    expect(exchange.response).toMatch(/keep-alive: timeout=1\r\n/i);
    // The idle connection was closed by the server after 1 s, not left to the 8 s client timer.
    expect(exchange.closedBy).toBe('server');
  });
});

// Each test boots an app of its own (PGlite): room for a slow start on a busy machine.
const APP_BOOT_TIMEOUT_MS = 60_000;

describe('TRUST_PROXY (real socket)', () => {
  const clientIp = async (port: number, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}/test-only/client-ip`, { headers });
    return ((await res.json()) as { data: { ip: string } }).data.ip;
  };

  it('ignores a spoofed X-Forwarded-For by default: the socket address is the client', async () => {
    const { t, port } = await listening({ trustProxy: [] });
    try {
      expect(await clientIp(port)).toBe('127.0.0.1');
      expect(await clientIp(port, { 'x-forwarded-for': '203.0.113.7' })).toBe('127.0.0.1');
    } finally {
      await t.close();
    }
  }, APP_BOOT_TIMEOUT_MS);

  it('takes the client address from X-Forwarded-For when the peer is a listed proxy', async () => {
    const { t, port } = await listening({ trustProxy: ['127.0.0.1'] });
    try {
      expect(await clientIp(port, { 'x-forwarded-for': '203.0.113.7' })).toBe('203.0.113.7');
      // Only the hops the trusted proxy appended count: an address the client forged before it is skipped.
      expect(await clientIp(port, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' })).toBe('203.0.113.7');
    } finally {
      await t.close();
    }
  }, APP_BOOT_TIMEOUT_MS);

  it('does not trust a peer outside the list', async () => {
    const { t, port } = await listening({ trustProxy: ['10.0.0.0/8'] });
    try {
      expect(await clientIp(port, { 'x-forwarded-for': '203.0.113.7' })).toBe('127.0.0.1');
    } finally {
      await t.close();
    }
  }, APP_BOOT_TIMEOUT_MS);
});
