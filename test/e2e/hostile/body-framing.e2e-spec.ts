import { parseRawResponse, rawHttpExchange } from '../../helpers/raw-http.js';
import { token } from '../../helpers/tokens.js';
import { listeningApp, type ListeningApp, probeKey, storedWithKey } from './listening-app.js';

// Bodies whose framing lies, over a real socket: answered with the exact error, nothing stored.
const BODY_LIMIT = 16 * 1024;
const TIMEOUT_MS = 1_000;

const head = (lines: string[]) =>
  [
    'POST /api/data HTTP/1.1',
    'Host: 127.0.0.1',
    `Authorization: Bearer ${token({ sub: 'framing-owner' })}`,
    'Content-Type: application/json',
    ...lines,
  ].join('\r\n') + '\r\n\r\n';

/** A JSON body of `bytes` bytes that stores a record with `key` if it is ever parsed. */
function bodyOf(key: string, bytes: number): string {
  const shell = JSON.stringify({ key, attributes: { pad: '' } });
  return JSON.stringify({ key, attributes: { pad: 'p'.repeat(Math.max(0, bytes - shell.length)) } });
}

/** `text` as HTTP/1.1 chunks of at most 4 KiB, without the terminating zero-size chunk. */
function chunks(text: string): string {
  let out = '';
  for (let at = 0; at < text.length; at += 4096) {
    const piece = text.slice(at, at + 4096);
    out += `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`;
  }
  return out;
}

describe('hostile body framing (real socket)', () => {
  let server: ListeningApp;
  beforeAll(async () => {
    server = await listeningApp({ bodyLimit: BODY_LIMIT, http: { requestTimeoutMs: TIMEOUT_MS, headersTimeoutMs: TIMEOUT_MS } });
  });
  afterAll(() => server?.t.close());

  it('a chunked body under the limit is accepted (the baseline for the cases below)', async () => {
    const key = probeKey('chunked-ok');
    const exchange = await rawHttpExchange(
      server.port,
      head(['Transfer-Encoding: chunked', 'Connection: close']) + chunks(bodyOf(key, BODY_LIMIT - 100)) + '0\r\n\r\n',
    );
    expect(parseRawResponse(exchange.response).status).toBe(201);
    expect(await storedWithKey(server.t, key)).toBe(1);
  });

  it('a chunked body over the limit: 413 PAYLOAD_TOO_LARGE as soon as the limit is crossed, without waiting for its end', async () => {
    const key = probeKey('chunked-over');
    // BODY_LIMIT + 8 KiB sent, then nothing: no terminating chunk ever comes. The answer can
    // only come from a server that stopped reading at the limit rather than buffering to the end.
    const exchange = await rawHttpExchange(server.port, head(['Transfer-Encoding: chunked']) + chunks(bodyOf(key, BODY_LIMIT + 8 * 1024)), {
      timeoutMs: 5_000,
    });
    const response = parseRawResponse(exchange.response);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(await storedWithKey(server.t, key)).toBe(0);
  });

  it('a declared Content-Length over the limit: 413 before any body byte is sent', async () => {
    const exchange = await rawHttpExchange(server.port, head([`Content-Length: ${BODY_LIMIT * 64}`]), { timeoutMs: 5_000 });
    const response = parseRawResponse(exchange.response);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
  });

  it('Content-Length larger than the body: 408 REQUEST_TIMEOUT once REQUEST_TIMEOUT passes, nothing stored', async () => {
    const key = probeKey('short-body');
    const body = bodyOf(key, 200);
    const startedAt = Date.now();
    const exchange = await rawHttpExchange(server.port, head([`Content-Length: ${Buffer.byteLength(body) + 50}`]) + body, { timeoutMs: 8_000 });
    const response = parseRawResponse(exchange.response);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 408, body: { error: { code: 'REQUEST_TIMEOUT' } } });
    expect(exchange.closedBy).toBe('server');
    // 1 s timeout checked every second: generous bound, far below the 8 s client timer.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(await storedWithKey(server.t, key)).toBe(0);
  });

  it.each([
    ['Content-Length and Transfer-Encoding together (request smuggling)', (body: string) => head([`Content-Length: ${Buffer.byteLength(body)}`, 'Transfer-Encoding: chunked']) + chunks(body) + '0\r\n\r\n'],
    ['two different Content-Length headers', (body: string) => head([`Content-Length: ${Buffer.byteLength(body)}`, 'Content-Length: 3']) + body],
    ['a chunk size that is not hexadecimal', (body: string) => head(['Transfer-Encoding: chunked']) + `zz\r\n${body}\r\n0\r\n\r\n`],
    ['a Transfer-Encoding other than chunked', (body: string) => head(['Transfer-Encoding: gzip, identity']) + body],
  ])('%s: 400 VALIDATION_FAILED (malformed request), nothing stored', async (_label, make) => {
    const key = probeKey('framing');
    const exchange = await rawHttpExchange(server.port, make(bodyOf(key, 100)), { timeoutMs: 5_000 });
    const response = parseRawResponse(exchange.response);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await storedWithKey(server.t, key)).toBe(0);
  });
});
