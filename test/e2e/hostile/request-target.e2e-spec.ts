import { parseRawResponse, rawHttp } from '../../helpers/raw-http.js';
import { token } from '../../helpers/tokens.js';
import type { ErrorCode } from '../../../src/core/errors/index.js';
import { listeningApp, type ListeningApp, probeKey, storedWithKey } from './listening-app.js';

// Request targets written the way a client library never would, over a real socket (inject
// normalises some of them): none may reach a guarded handler without a token, none may store.
const ID = '00000000-0000-4000-8000-000000000000';
const BEARER = () => `Bearer ${token({ sub: 'target-owner', scope: 'data:read data:write' })}`;

interface Sent {
  method: string;
  target: string;
  authorization?: string;
  body?: string;
}

function request({ method, target, authorization, body }: Sent): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (authorization) lines.push(`Authorization: ${authorization}`);
  if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

describe('hostile request targets (real socket)', () => {
  let server: ListeningApp;
  const send = async (sent: Sent) => parseRawResponse(await rawHttp(server.port, request(sent)));
  const head = async (sent: Sent) => {
    const raw = await rawHttp(server.port, request({ ...sent, method: 'HEAD' }));
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]), head: raw.split('\r\n\r\n')[0], rest: raw.split('\r\n\r\n')[1] };
  };

  beforeAll(async () => {
    server = await listeningApp();
  });
  afterAll(() => server?.t.close());

  /** [target, status and code of GET and POST without a token]; the POST carries a body that would be stored. */
  const CONFUSING: Array<[string, number, ErrorCode]> = [
    ['/api/data/..%2f', 401, 'UNAUTHORIZED'],
    ['/api/data/..%2F..%2Fhealth%2Flive', 401, 'UNAUTHORIZED'],
    ['/%61pi/data', 401, 'UNAUTHORIZED'],
    ['/api/data?__proto__[x]=1', 401, 'UNAUTHORIZED'],
    ['//api/data', 404, 'NOT_FOUND'],
    ['///api/data', 404, 'NOT_FOUND'],
    ['/api//data', 404, 'NOT_FOUND'],
    ['/api/./data', 404, 'NOT_FOUND'],
    ['/api/x/../data', 404, 'NOT_FOUND'],
    ['/health/../api/data', 404, 'NOT_FOUND'],
    ['/health/live/../../api/data', 404, 'NOT_FOUND'],
    ['/api/data/%2e%2e/%2e%2e/health/live', 404, 'NOT_FOUND'],
    ['/API/DATA', 404, 'NOT_FOUND'],
    ['/api/data;jsessionid=x', 404, 'NOT_FOUND'],
    ['/api/data%2f', 404, 'NOT_FOUND'],
    ['/api/data\\x', 404, 'NOT_FOUND'],
    ['*', 404, 'NOT_FOUND'],
  ];

  describe.each(['GET', 'POST'])('%s without a token never reaches a handler', (method) => {
    it.each(CONFUSING)('%s', async (target, status, code) => {
      const key = probeKey('confusing');
      const res = await send({ method, target, body: method === 'POST' ? JSON.stringify({ key }) : undefined });
      // A POST to an id path has no route at all: 404 whatever the token.
      const expected = method === 'POST' && status === 401 && target.startsWith('/api/data/') ? 404 : status;
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: expected,
        body: { status: 'error', error: { code: expected === 404 ? 'NOT_FOUND' : code } },
      });
      expect(await storedWithKey(server.t, key)).toBe(0);
    });
  });

  it.each([
    ['/api/data/..%2f', 404, 'NOT_FOUND'],
    ['/api/data/..%2F..%2Fhealth%2Flive', 404, 'NOT_FOUND'],
    ['/api/data/%2e%2e', 404, 'NOT_FOUND'],
  ] as const)('GET %s with a token is an unknown id, not another route', async (target, status, code) => {
    const res = await send({ method: 'GET', target, authorization: BEARER() });
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
  });

  it('GET /api/data/%zz (not valid percent-encoding): 400 with the request id and the security headers', async () => {
    const raw = await rawHttp(server.port, 'GET /api/data/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Request-Id: bad-percent-1\r\n\r\n');
    const res = parseRawResponse(raw);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' }, requestId: 'bad-percent-1' } });
    expect(res.headers).toMatch(/\r\nx-request-id: bad-percent-1\r\n/i);
    expect(res.headers).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
    expect(res.headers).toMatch(/\r\ncontent-security-policy: default-src 'none'/i);
  });

  describe('absolute-form request targets (RFC 9112 §3.2.2)', () => {
    it.each(['http://127.0.0.1/api/data', 'http://evil.example/api/data', 'https://x/api/data?limit=1'])(
      'GET %s without a token: 401 UNAUTHORIZED',
      async (target) => {
        const res = await send({ method: 'GET', target });
        expect({ status: res.status, body: res.body }).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      },
    );

    it('POST http://evil.example/api/data without a token: 401 and nothing stored', async () => {
      const key = probeKey('absolute');
      const res = await send({ method: 'POST', target: 'http://evil.example/api/data', body: JSON.stringify({ key }) });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      expect(await storedWithKey(server.t, key)).toBe(0);
    });

    it('POST http://evil.example/api/data with a token is the ordinary route: 201, stored once', async () => {
      const key = probeKey('absolute-ok');
      const res = await send({ method: 'POST', target: 'http://evil.example/api/data', authorization: BEARER(), body: JSON.stringify({ key }) });
      expect(res.status).toBe(201);
      expect(await storedWithKey(server.t, key)).toBe(1);
    });
  });

  describe('HEAD on guarded routes', () => {
    it.each(['/api/data', `/api/data/${ID}`, '/api/data?limit=1'])('HEAD %s without a token: 401 with the challenge, no body', async (target) => {
      const res = await head({ method: 'HEAD', target });
      expect(res.status).toBe(401);
      expect(res.head).toMatch(/\r\nwww-authenticate: Bearer realm="data-api"\r\n/i);
      expect(res.rest ?? '').toBe('');
    });

    it('HEAD /api/data with an invalid token: 401 invalid_token', async () => {
      const res = await head({ method: 'HEAD', target: '/api/data', authorization: `Bearer ${token({ expiresIn: -3600 })}` });
      expect(res.status).toBe(401);
      expect(res.head).toMatch(/error="invalid_token"/);
    });

    it('HEAD /api/data with a token: 200, no body', async () => {
      const res = await head({ method: 'HEAD', target: '/api/data', authorization: BEARER() });
      expect(res.status).toBe(200);
      expect(res.rest ?? '').toBe('');
    });
  });

  describe('very long request targets', () => {
    const long = (bytes: number) => 'a'.repeat(bytes);

    it.each([
      ['an 8 KB query', `/api/data?key=${long(8 * 1024)}`, 401, 'UNAUTHORIZED'],
      ['a 15 KB unknown path', `/${long(15 * 1024)}`, 404, 'NOT_FOUND'],
      // The router refuses a path parameter over 100 characters (Fastify's maxParamLength)
      // before any guard or handler: no id is that long, so a 404, never the handler.
      ['a 15 KB id', `/api/data/${long(15 * 1024)}`, 404, 'NOT_FOUND'],
      ['a 101-character id', `/api/data/${long(101)}`, 404, 'NOT_FOUND'],
    ] as const)('%s without a token: %d %s', async (_label, target, status, code) => {
      const res = await send({ method: 'GET', target });
      expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status: 'error', error: { code } } });
    });

    it('an 8 KB key filter with a token is a 400 VALIDATION_FAILED (key over 256 characters)', async () => {
      const res = await send({ method: 'GET', target: `/api/data?key=${long(8 * 1024)}`, authorization: BEARER() });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    });

    it('POST with an 8 KB query and no token: 401 UNAUTHORIZED, nothing stored', async () => {
      const key = probeKey('long-query');
      const res = await send({ method: 'POST', target: `/api/data?pad=${long(8 * 1024)}`, body: JSON.stringify({ key }) });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      expect(await storedWithKey(server.t, key)).toBe(0);
    });

    it.each([20 * 1024, 100 * 1024])('a %d-byte request target: 431 HEADERS_TOO_LARGE, nothing stored', async (bytes) => {
      const key = probeKey('huge-target');
      const res = await send({ method: 'POST', target: `/api/data?pad=${long(bytes)}`, authorization: BEARER(), body: JSON.stringify({ key }) });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 431, body: { error: { code: 'HEADERS_TOO_LARGE' } } });
      expect(await storedWithKey(server.t, key)).toBe(0);
    });
  });
});
