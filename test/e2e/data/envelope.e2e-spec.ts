import { randomUUID } from 'node:crypto';
import { testBackends } from '../../setup/backends.js';
import { recordBody } from '../../factories/record-body.factory.js';
import {
  expectError,
  ISO_TIMESTAMP,
  JSON_RESPONSE_TYPE,
  JSON_TYPE,
  type Response,
  uniqueSub,
  useDataSuite,
  UUID,
} from './data-api.helper.js';

/** The request id must be the same in the header and the body, and look like what we expect. */
function expectRequestId(res: Response, expected: string | RegExp): void {
  const header = res.headers['x-request-id'];
  if (typeof expected === 'string') expect(header).toBe(expected);
  else expect(header).toMatch(expected);
  if (res.body) expect(res.json().requestId).toBe(header);
}

describe.each(testBackends())('data response envelope (%s)', (backend) => {
  const suite = useDataSuite(backend);

  describe('success envelope', () => {
    it('wraps a record as {status, data, timestamp, requestId} and nothing else', async () => {
      const caller = { sub: uniqueSub() };
      const res = await suite.api.post(caller, recordBody());
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['data', 'requestId', 'status', 'timestamp']);
      expect(body).toEqual({
        status: 'success',
        data: expect.objectContaining({ key: recordBody().key }),
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        requestId: res.headers['x-request-id'],
      });
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
      expect(res.headers['content-type']).toBe(JSON_RESPONSE_TYPE);
    });

    it('adds page {limit, nextCursor} to lists, with data an array', async () => {
      const caller = { sub: uniqueSub() };
      await suite.api.create(caller, recordBody());
      await suite.api.create(caller, recordBody());
      const res = await suite.api.list(caller, 'limit=1');
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['data', 'page', 'requestId', 'status', 'timestamp']);
      expect(body).toEqual({
        status: 'success',
        data: [expect.objectContaining({ owner: caller.sub })],
        page: { limit: 1, nextCursor: expect.any(String) },
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        requestId: res.headers['x-request-id'],
      });
      expect(res.headers['content-type']).toBe(JSON_RESPONSE_TYPE);
    });

    it('single-record responses carry no page', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      expect(Object.keys((await suite.api.get(caller, created.id)).json())).not.toContain('page');
      expect(Object.keys((await suite.api.put(caller, created.id, recordBody())).json())).not.toContain('page');
    });
  });

  describe('error envelope', () => {
    it('is {status, error: {code, message, details?}, timestamp, requestId, path} and nothing else', async () => {
      const res = await suite.api.post({ sub: uniqueSub() }, { key: '' });
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['error', 'path', 'requestId', 'status', 'timestamp']);
      expect(body).toEqual({
        status: 'error',
        error: {
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [{ field: 'key', messages: expect.arrayContaining([expect.any(String)]) }],
        },
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        requestId: res.headers['x-request-id'],
        path: '/api/data',
      });
      expect(res.headers['content-type']).toBe(JSON_RESPONSE_TYPE);
    });

    it('omits details when there are none', async () => {
      const res = await suite.api.get({ sub: uniqueSub() }, randomUUID());
      expectError(res, 404, 'NOT_FOUND');
      expect(Object.keys(res.json().error).sort()).toEqual(['code', 'message']);
    });

    it('reports the path of the request without its query string', async () => {
      const id = randomUUID();
      const res = await suite.api.get({ sub: uniqueSub() }, `${id}?secret=1`);
      expectError(res, 404, 'NOT_FOUND');
      expect(res.json().path).toBe(`/api/data/${id}`);
      const list = await suite.api.list({ sub: uniqueSub() }, 'limit=0&secret=1');
      expect(list.json().path).toBe('/api/data');
    });

    it.each<[string, () => Promise<Response>, number]>([
      ['401 (no token)', () => suite.app.inject({ method: 'GET', url: '/api/data' }), 401],
      ['403 (missing scope)', () => suite.api.list({ sub: uniqueSub(), scope: 'data:write' }), 403],
      ['404 (unknown route)', () => suite.app.inject({ method: 'GET', url: '/nowhere' }), 404],
      ['400 (malformed JSON)', () => suite.api.postRaw({ sub: uniqueSub() }, '{', { 'content-type': JSON_TYPE }), 400],
      ['415 (text/plain)', () => suite.api.postRaw({ sub: uniqueSub() }, '{}', { 'content-type': 'text/plain' }), 415],
      ['412 (stale If-Match)', async () => {
        const caller = { sub: uniqueSub() };
        const created = await suite.api.create(caller, recordBody());
        return suite.api.put(caller, created.id, recordBody(), { 'if-match': '"9"' });
      }, 412],
    ])('every error is the same envelope, as JSON: %s', async (_name, send, status) => {
      const res = await send();
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toBe(JSON_RESPONSE_TYPE);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['error', 'path', 'requestId', 'status', 'timestamp']);
      expect(body).toMatchObject({ status: 'error', error: { code: expect.any(String), message: expect.any(String) } });
      expect(body.requestId).toBe(res.headers['x-request-id']);
    });
  });

  describe('X-Request-Id', () => {
    it.each([
      ['a UUID', randomUUID()],
      ['abc-123', 'abc-123'],
      ['a trace id with dots and colons', 'trace:1.2.3_x'],
      ['128 characters, the maximum', 'r'.repeat(128)],
    ])('echoes a valid incoming id (%s) in the header and the body', async (_name, id) => {
      const res = await suite.api.post({ sub: uniqueSub() }, recordBody(), { 'x-request-id': id });
      expect(res.statusCode).toBe(201);
      expectRequestId(res, id);
    });

    it.each([
      ['one containing spaces', 'abc 123'],
      ['200 characters', 'r'.repeat(200)],
      ['129 characters', 'r'.repeat(129)],
      ['one containing a slash', 'a/b'],
      ['one containing a quote', 'a"b'],
      ['an empty one', ''],
      ['one with non-ASCII characters', 'идентификатор'],
    ])('replaces an invalid incoming id (%s) with a generated one', async (_name, id) => {
      const res = await suite.api.post({ sub: uniqueSub() }, recordBody(), { 'x-request-id': id });
      expect(res.statusCode).toBe(201);
      expectRequestId(res, UUID);
      expect(res.headers['x-request-id']).not.toBe(id);
    });

    it('generates a distinct id for each request without one', async () => {
      const caller = { sub: uniqueSub() };
      const first = await suite.api.list(caller);
      const second = await suite.api.list(caller);
      expectRequestId(first, UUID);
      expectRequestId(second, UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('echoes the id on errors, both in the header and in the error envelope', async () => {
      const res = await suite.api.postRaw({ sub: uniqueSub() }, '{', { 'content-type': JSON_TYPE, 'x-request-id': 'err-42' });
      expectError(res, 400, 'MALFORMED_JSON');
      expectRequestId(res, 'err-42');
    });

    it('echoes the id on bodiless responses: 204 and 304', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const notModified = await suite.api.get(caller, created.id, { 'if-none-match': '"1"', 'x-request-id': 'nm-1' });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.headers['x-request-id']).toBe('nm-1');
      const res = await suite.api.delete(caller, created.id, { 'x-request-id': 'del-1' });
      expect(res.statusCode).toBe(204);
      expect(res.headers['x-request-id']).toBe('del-1');
    });
  });
});
