import Fastify, { type FastifyError } from 'fastify';
import { AppError } from '../errors/index.js';
import { parseJsonBody, registerJsonBodyParser } from './json-body-parser.js';

function parse(text: string | Buffer): unknown {
  return parseJsonBody(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
}

function failure(text: string | Buffer): AppError {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected parseJsonBody to throw');
}

describe('parseJsonBody', () => {
  it.each([
    ['an object', '{"key":"test_value","nested":{"field1":123,"field2":"example"}}', { key: 'test_value', nested: { field1: 123, field2: 'example' } }],
    ['an array', '[1,"a",null]', [1, 'a', null]],
    ['a number', '42', 42],
    ['a string', '"text"', 'text'],
    ['true', 'true', true],
    ['null', 'null', null],
    ['surrounding whitespace', ' \n\t{"a":1}\r\n ', { a: 1 }],
    ['non-ASCII UTF-8', '{"k":"Grüße 😀"}', { k: 'Grüße 😀' }],
  ])('parses %s', (_name, text, value) => {
    expect(parse(text)).toEqual(value);
  });

  it('keeps key order', () => {
    expect(Object.keys(parse('{"b":1,"a":2,"c":3}') as object)).toEqual(['b', 'a', 'c']);
  });

  it('accepts and drops a UTF-8 byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    expect(parse(body)).toEqual({ a: 1 });
  });

  it('rejects an empty body as MALFORMED_JSON', () => {
    expect(failure(Buffer.alloc(0))).toMatchObject({ code: 'MALFORMED_JSON', status: 400, message: 'Request body is empty' });
  });

  it.each([
    ['a lone continuation byte', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d])],
    ['a Latin-1 byte', Buffer.from('{"a":"caf\xe9"}', 'latin1')],
    ['an overlong encoding', Buffer.from([0x22, 0xc0, 0xaf, 0x22])],
    ['an encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['a truncated sequence', Buffer.from([0x22, 0xe2, 0x82, 0x22])],
  ])('rejects %s as invalid UTF-8 instead of replacing it with U+FFFD', (_name, body) => {
    expect(failure(body)).toMatchObject({ code: 'MALFORMED_JSON', message: 'Request body is not valid UTF-8' });
  });

  it.each([
    ['truncated', '{"key":"a",'],
    ['cut inside a string', '{"key":"a'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['two values', '{} {}'],
    ['only whitespace', '   '],
    ['a comment', '{"a":1 /* c */}'],
    ['NaN', '{"a":NaN}'],
  ])('rejects %s as MALFORMED_JSON', (_name, text) => {
    const error = failure(text);
    expect(error.code).toBe('MALFORMED_JSON');
    expect(error.message).toMatch(/^Request body is not valid JSON: /);
  });

  it.each([
    ['__proto__ at the top', '{"__proto__":{"isAdmin":true}}'],
    ['__proto__ nested', '{"a":{"b":[{"__proto__":{}}]}}'],
    ['__proto__ written with escapes', '{"\\u005f_proto__":{"x":1}}'],
    ['constructor.prototype at the top', '{"constructor":{"prototype":{"isAdmin":true}}}'],
    ['constructor.prototype nested', '{"a":[{"constructor":{"prototype":{}}}]}'],
  ])('rejects %s as VALIDATION_FAILED', (_name, text) => {
    const error = failure(text);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(error.message).toContain('forbidden key');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('registerJsonBodyParser', () => {
  async function appWith(bodyLimit = 1024) {
    const app = Fastify({ bodyLimit });
    registerJsonBodyParser(app);
    const errors: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      errors.push(error);
      return reply.status(599).send({ caught: true });
    });
    app.post('/echo', async (request) => ({ body: request.body }));
    await app.ready();
    return { app, errors };
  }

  it('parses application/json bodies with parseJsonBody', async () => {
    const { app } = await appWith();
    const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '7' });
    expect(res.json()).toEqual({ body: 7 });
    await app.close();
  });

  it('hands the AppError to the error handler', async () => {
    const { app, errors } = await appWith();
    await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{}}' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AppError);
    expect((errors[0] as AppError).code).toBe('VALIDATION_FAILED');
    await app.close();
  });

  it('still enforces the body limit before parsing', async () => {
    const { app, errors } = await appWith(1024);
    await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: `{"a":"${'x'.repeat(2000)}"}` });
    expect((errors[0] as FastifyError).code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    await app.close();
  });
});
