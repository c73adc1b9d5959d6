import { gzipSync } from 'node:zlib';
import { testBackends } from '../../setup/backends.js';
import { nestedArraysJson, nestedObjectsJson, recordBody } from '../../factories/record-body.factory.js';
import type { ErrorCode } from '../../../src/core/errors/index.js';
import { expectError, expectFieldError, expectSuccess, JSON_TYPE, uniqueSub, useDataSuite } from './data-api.helper.js';

/** Deep enough to overflow any recursive walk, yet about 200 KB: under the 1 MiB body limit. */
const HOSTILE_DEPTH = 100_000;
const bytes = (...values: number[]) => Buffer.from(values);
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe.each(testBackends())('data bad input (%s)', (backend) => {
  const suite = useDataSuite(backend);

  /** POSTs `payload` as given and checks the error, and that the caller still has no records. */
  async function expectRefused(
    payload: string | Buffer,
    headers: Record<string, string>,
    status: number,
    code: ErrorCode,
  ): Promise<ReturnType<typeof suite.api.postRaw>> {
    const caller = { sub: uniqueSub() };
    const res = await suite.api.postRaw(caller, payload, headers);
    expectError(res, status, code);
    expect(await suite.api.count(caller)).toBe(0);
    return res;
  }

  const json = { 'content-type': JSON_TYPE };

  describe('bodies that are not a JSON object', () => {
    it('{} answers 400 VALIDATION_FAILED with details for key', async () => {
      const res = await expectRefused('{}', json, 400, 'VALIDATION_FAILED');
      expectFieldError(res, 'key');
    });

    it.each([
      ['an array', '[{"key":"a"}]'],
      ['an empty array', '[]'],
      ['a string', '"key"'],
      ['a number', '42'],
      ['null', 'null'],
      ['true', 'true'],
    ])('%s answers 400 VALIDATION_FAILED', async (_name, payload) => {
      await expectRefused(payload, json, 400, 'VALIDATION_FAILED');
    });
  });

  describe('bytes that are not JSON: 400 MALFORMED_JSON', () => {
    it.each<[string, string | Buffer]>([
      ['an empty body', ''],
      ['whitespace only', '  \n '],
      ['truncated JSON', '{"key":"a"'],
      ['truncated inside a string', '{"key":"a'],
      ['trailing garbage', '{"key":"a"} x'],
      ['two documents', '{"key":"a"}{"key":"b"}'],
      ['single quotes', "{'key':'a'}"],
      ['a trailing comma', '{"key":"a",}'],
      ['an unquoted name', '{key:"a"}'],
      ['NaN', '{"key":"a","nested":{"field1":NaN,"field2":"x"}}'],
      ['a comment', '{"key":"a"} // note'],
      ['a raw control character in a string', '{"key":"a\u0001b"}'],
      ['an invalid escape', '{"key":"\\x41"}'],
      ['invalid UTF-8 (0xFF)', Buffer.concat([utf8('{"key":"'), bytes(0xff), utf8('"}')])],
      ['an overlong UTF-8 encoding of "/"', Buffer.concat([utf8('{"key":"'), bytes(0xc0, 0xaf), utf8('"}')])],
      ['a UTF-8 encoded lone surrogate (CESU)', Buffer.concat([utf8('{"key":"'), bytes(0xed, 0xa0, 0x80), utf8('"}')])],
      ['a truncated multi-byte sequence', Buffer.concat([utf8('{"key":"'), bytes(0xe6, 0xb5), utf8('"}')])],
      ['a code point beyond U+10FFFF', Buffer.concat([utf8('{"key":"'), bytes(0xf4, 0x90, 0x80, 0x80), utf8('"}')])],
      ['UTF-16 text', Buffer.from('{"key":"a"}', 'utf16le')],
    ])('%s', async (_name, payload) => {
      await expectRefused(payload, json, 400, 'MALFORMED_JSON');
    });

    it('PUT with malformed JSON answers 400 MALFORMED_JSON and leaves the record unchanged', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      expectError(await suite.api.putRaw(caller, created.id, '{"key":', json), 400, 'MALFORMED_JSON');
      expect(await suite.api.read(caller, created.id)).toEqual(created);
    });
  });

  describe('prototype-polluting keys: 400 VALIDATION_FAILED', () => {
    it.each([
      ['top-level __proto__', '{"__proto__":{"x":1},"key":"a"}'],
      ['top-level constructor.prototype', '{"key":"a","constructor":{"prototype":{"x":1}}}'],
      ['__proto__ inside attributes', '{"key":"a","attributes":{"__proto__":{"x":1}}}'],
      ['constructor.prototype inside attributes', '{"key":"a","attributes":{"constructor":{"prototype":{"x":1}}}}'],
      ['__proto__ deep inside attributes', '{"key":"a","attributes":{"a":[{"b":{"__proto__":{"polluted":true}}}]}}'],
      ['__proto__ inside nested', '{"key":"a","nested":{"field1":1,"field2":"x","__proto__":{"x":1}}}'],
      ['an escaped __proto__', '{"key":"a","\\u005f_proto__":{"x":1}}'],
    ])('%s', async (_name, payload) => {
      await expectRefused(payload, json, 400, 'VALIDATION_FAILED');
      // Whatever happened on the way, no object in this process was polluted.
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('content types other than JSON: 415 UNSUPPORTED_MEDIA_TYPE', () => {
    it.each<[string, Record<string, string>, string]>([
      ['text/plain with a JSON body', { 'content-type': 'text/plain' }, '{"key":"a"}'],
      ['text/plain; charset=utf-8', { 'content-type': 'text/plain; charset=utf-8' }, '{"key":"a"}'],
      ['no content-type with a body', {}, '{"key":"a"}'],
      ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, 'key=a'],
      ['multipart/form-data', { 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="key"\r\n\r\na\r\n--x--\r\n'],
      ['application/xml', { 'content-type': 'application/xml' }, '<key>a</key>'],
      ['application/octet-stream', { 'content-type': 'application/octet-stream' }, '{"key":"a"}'],
      // The list of near-miss types: none may be taken for JSON, none may skip validation.
      ['application/json followed by a tab and text', { 'content-type': 'application/json\ta' }, '{"key":"a"}'],
      ['application/json followed by a space and text', { 'content-type': 'application/json garbage' }, '{"key":"a"}'],
      ['mixed-case JSON followed by text and a semicolon', { 'content-type': 'ApPlIcAtIoN/JsOn foo;' }, '{"key":"a"}'],
      ['a space inside the type', { 'content-type': 'application/ json' }, '{"key":"a"}'],
      ['a longer subtype (application/jsonx)', { 'content-type': 'application/jsonx' }, '{"key":"a"}'],
      ['a list of two types', { 'content-type': 'application/json, text/plain' }, '{"key":"a"}'],
      ['an empty content-type', { 'content-type': '' }, '{"key":"a"}'],
    ])('%s', async (_name, headers, payload) => {
      await expectRefused(payload, headers, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('PUT as text/plain answers 415 and leaves the record unchanged', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.putRaw(caller, created.id, '{"key":"changed"}', { 'content-type': 'text/plain' });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await suite.api.read(caller, created.id)).toEqual(created);
    });

    // Media types are case-insensitive and parameters may follow (RFC 9110 §8.3.1): these are JSON,
    // so they go through the same parser and validation as application/json.
    describe.each([
      ['APPLICATION/JSON'],
      ['Application/Json; Charset=UTF-8'],
      ['application/json;'],
      ['application/json ; charset=utf-8'],
      [' application/json'],
    ])('%p is JSON and is validated like it', (contentType) => {
      const headers = { 'content-type': contentType };

      it('a valid body is stored', async () => {
        expectSuccess(await suite.api.postRaw({ sub: uniqueSub() }, '{"key":"a"}', headers), 201);
      });

      it.each<[string, string, number, ErrorCode]>([
        ['an invalid body', '{"key":""}', 400, 'VALIDATION_FAILED'],
        ['an unknown field', '{"key":"a","extra":1}', 400, 'VALIDATION_FAILED'],
        ['a __proto__ key', '{"key":"a","__proto__":{"x":1}}', 400, 'VALIDATION_FAILED'],
        ['malformed JSON', '{"key":', 400, 'MALFORMED_JSON'],
      ])('%s is refused and nothing is stored', async (_name, payload, status, code) => {
        await expectRefused(payload, headers, status, code);
      });
    });

    it('accepts application/json with a charset parameter', async () => {
      const res = await suite.api.postRaw({ sub: uniqueSub() }, '{"key":"a"}', { 'content-type': 'application/json; charset=utf-8' });
      expectSuccess(res, 201);
    });

    it.each<[string, Record<string, string>]>([
      ['a charset other than UTF-8', { 'content-type': 'application/json; charset=utf-16' }],
      ['latin-1', { 'content-type': 'application/json; charset="ISO-8859-1"' }],
      ['a gzip content coding (the body is not even compressed)', { ...json, 'content-encoding': 'gzip' }],
      ['a br content coding', { ...json, 'content-encoding': 'br' }],
    ])('%s: 415, nothing stored', async (_name, headers) => {
      await expectRefused('{"key":"a"}', headers, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('a body that is gzip-compressed: 415 saying so, not a UTF-8 error', async () => {
      const res = await expectRefused(gzipSync('{"key":"a"}'), { ...json, 'content-encoding': 'gzip' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.json().error.message).toMatch(/compressed/);
    });

    it('Content-Encoding: identity is no coding at all', async () => {
      expectSuccess(await suite.api.postRaw({ sub: uniqueSub() }, '{"key":"a"}', { ...json, 'content-encoding': 'identity' }), 201);
    });
  });

  describe('a DELETE labelled with a content type but sent without a body: 204', () => {
    // Clients with default JSON headers on every request (a requests.Session) send exactly this.
    it.each<[string, Record<string, string>]>([
      ['application/json, Content-Length: 0', { 'content-type': JSON_TYPE, 'content-length': '0' }],
      ['text/plain, Content-Length: 0', { 'content-type': 'text/plain', 'content-length': '0' }],
    ])('%s', async (_name, headers) => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      expect((await suite.api.delete(caller, created.id, headers)).statusCode).toBe(204);
      expect(await suite.api.count(caller)).toBe(0);
    });

    it('a POST with an empty JSON body is still 400 MALFORMED_JSON', async () => {
      await expectRefused('', { ...json, 'content-length': '0' }, 400, 'MALFORMED_JSON');
    });
  });

  describe(`${HOSTILE_DEPTH.toLocaleString('en')}-level nesting under the byte limit: 400, never 5xx`, () => {
    it.each([
      ['arrays as attributes', `{"key":"a","attributes":${nestedArraysJson(HOSTILE_DEPTH)}}`],
      ['objects as attributes', `{"key":"a","attributes":${nestedObjectsJson(HOSTILE_DEPTH)}}`],
      ['arrays as an unknown field', `{"key":"a","extra":${nestedArraysJson(HOSTILE_DEPTH)}}`],
      ['arrays as nested', `{"key":"a","nested":${nestedArraysJson(HOSTILE_DEPTH)}}`],
      ['arrays as tags', `{"key":"a","tags":${nestedArraysJson(HOSTILE_DEPTH)}}`],
      ['arrays as the key', `{"key":${nestedArraysJson(HOSTILE_DEPTH)}}`],
      ['arrays as the whole body', nestedArraysJson(HOSTILE_DEPTH)],
    ])('%s', async (_name, payload) => {
      expect(Buffer.byteLength(payload)).toBeLessThan(1024 * 1024);
      await expectRefused(payload, json, 400, 'VALIDATION_FAILED');
    });

    it('a deeply bracketed query parameter is an unknown parameter: 400', async () => {
      const res = await suite.api.list({ sub: uniqueSub() }, `key${'[a]'.repeat(1000)}=1`);
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('the app still serves requests afterwards', async () => {
      await suite.api.postRaw({ sub: uniqueSub() }, `{"key":"a","attributes":${nestedArraysJson(HOSTILE_DEPTH)}}`, json);
      const caller = { sub: uniqueSub() };
      expect((await suite.api.create(caller, recordBody())).key).toBe(recordBody().key);
    });
  });

  describe('duplicate names in a JSON object: the last one wins, never a 5xx', () => {
    it('for key', async () => {
      const res = await suite.api.postRaw({ sub: uniqueSub() }, '{"key":"first","key":"last"}', json);
      expectSuccess(res, 201);
      expect(res.json().data.key).toBe('last');
    });

    it('for a nested field, where only the last value is valid', async () => {
      const res = await suite.api.postRaw({ sub: uniqueSub() }, '{"key":"a","nested":{"field1":"bad","field2":"x","field1":7}}', json);
      expectSuccess(res, 201);
      expect(res.json().data.nested).toEqual({ field1: 7, field2: 'x' });
    });

    it('for a field whose last value is invalid', async () => {
      await expectRefused('{"key":"ok","key":""}', json, 400, 'VALIDATION_FAILED');
    });

    it('inside attributes', async () => {
      const res = await suite.api.postRaw({ sub: uniqueSub() }, '{"key":"a","attributes":{"x":1,"x":2}}', json);
      expectSuccess(res, 201);
      expect(res.json().data.attributes).toEqual({ x: 2 });
    });
  });

  describe('numbers at the edges of JSON', () => {
    it('-0 is a safe integer: field1 and attributes read back as 0 (JSON has one zero)', async () => {
      const caller = { sub: uniqueSub() };
      const res = await suite.api.postRaw(caller, '{"key":"a","nested":{"field1":-0,"field2":"x"},"attributes":{"z":-0,"f":-0.0}}', json);
      expectSuccess(res, 201);
      const stored = await suite.api.read(caller, res.json().data.id);
      expect(JSON.stringify([stored.nested, stored.attributes])).toBe('[{"field1":0,"field2":"x"},{"z":0,"f":0}]');
    });

    it.each([
      ['1e400 as the key', '{"key":1e400}'],
      ['a 400-digit number inside attributes', `{"key":"a","attributes":{"n":${'9'.repeat(400)}}}`],
      ['-1e400 as field2', '{"key":"a","nested":{"field1":1,"field2":-1e400}}'],
      ['2^53 inside an attributes array', '{"key":"a","attributes":{"a":[9007199254740992]}}'],
      ['1e309 next to an underflowing 1e-400 inside attributes', '{"key":"a","attributes":{"tiny":1e-400,"big":1e309}}'],
    ])('%s: 400 VALIDATION_FAILED', async (_name, payload) => {
      await expectRefused(payload, json, 400, 'VALIDATION_FAILED');
    });
  });

  describe('20 KB property names', () => {
    const name = 'n'.repeat(20 * 1024);

    it.each([
      ['at the top level', `{"key":"a","${name}":1}`],
      ['inside nested', `{"key":"a","nested":{"field1":1,"field2":"x","${name}":1}}`],
    ])('%s: an unknown field, 400 VALIDATION_FAILED', async (_name, payload) => {
      await expectRefused(payload, json, 400, 'VALIDATION_FAILED');
    });

    it('inside attributes: free-form, so stored and read back exactly while under 32 KiB', async () => {
      const caller = { sub: uniqueSub() };
      const res = await suite.api.postRaw(caller, `{"key":"a","attributes":{"${name}":1}}`, json);
      expectSuccess(res, 201);
      expect(Object.keys((await suite.api.read(caller, res.json().data.id)).attributes)).toEqual([name]);
    });

    it('inside attributes, two of them (over 32 KiB): 400 VALIDATION_FAILED', async () => {
      await expectRefused(`{"key":"a","attributes":{"${name}":1,"${name}x":2}}`, json, 400, 'VALIDATION_FAILED');
    });
  });

  describe('unknown routes: 404 NOT_FOUND envelope with the path', () => {
    it.each([
      ['GET', '/api/nope'],
      ['GET', '/api/data/00000000-0000-4000-8000-000000000000/extra'],
      ['POST', '/api/data/00000000-0000-4000-8000-000000000000'],
      ['PATCH', '/api/data/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/api/data'],
      ['GET', '/'],
    ] as const)('%s %s', async (method, url) => {
      const res = await suite.app.inject({ method, url, headers: { authorization: 'Bearer whatever' } });
      expectError(res, 404, 'NOT_FOUND');
      expect(res.json().path).toBe(url);
    });

    it('reports the path without the query string', async () => {
      const res = await suite.app.inject({ method: 'GET', url: '/api/nope?token=secret&x=1' });
      expectError(res, 404, 'NOT_FOUND');
      expect(res.json().path).toBe('/api/nope');
      expect(res.body).not.toContain('secret');
    });
  });
});
