import { testBackends } from '../../setup/backends.js';
import { nestedObject, type RecordBody, recordBody } from '../../factories/record-body.factory.js';
import { detailFor, expectError, expectFieldError, expectSuccess, JSON_TYPE, uniqueSub, useDataSuite } from './data-api.helper.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** 32 KiB serialized, the attributes limit: `{"s":"…"}` is 8 bytes plus the string. */
const ATTRIBUTES_LIMIT = 32 * 1024;
const attributesOfBytes = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) });
/** `{"a":[[...]]}`: the object is level 1, each array one more level. */
const arraysInAttributes = (levels: number) => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
const body = (fields: object) => JSON.stringify({ key: 'k', ...fields });
const tags = (count: number) => Array.from({ length: count }, (_, i) => `tag-${i}`);

/** [case, JSON text of the body, the field path the details must name (undefined: not checked)] */
type Rejected = [string, string, string | undefined];

const REJECTED_KEYS: Rejected[] = [
  ['key missing', '{}', 'key'],
  ['key empty', body({ key: '' }), 'key'],
  ['key of 257 characters', body({ key: 'k'.repeat(257) }), 'key'],
  ['key of 257 emoji', body({ key: '😀'.repeat(257) }), 'key'],
  // 258 code points, which validator.js' isLength would have counted as 129 characters.
  ['key of 129 characters each followed by a variation selector', body({ key: 'a\ufe0f'.repeat(129) }), 'key'],
  ['key of 20 KB', body({ key: 'k'.repeat(20 * 1024) }), 'key'],
  ['key a number', body({ key: 123 }), 'key'],
  ['key null', body({ key: null }), 'key'],
  ['key true', body({ key: true }), 'key'],
  ['key an array', body({ key: ['a'] }), 'key'],
  ['key an object', body({ key: { a: 1 } }), 'key'],
  ['key with NUL', body({ key: 'a\u0000b' }), 'key'],
  ['key only NUL', body({ key: '\u0000' }), 'key'],
  ['key with a lone high surrogate', body({ key: 'a\ud800b' }), 'key'],
  ['key with a lone low surrogate', body({ key: '\udfff' }), 'key'],
  ['key with reversed surrogates', '{"key":"\\udc00\\ud800"}', 'key'],
];

const REJECTED_NESTED: Rejected[] = [
  ['nested empty: field1', body({ nested: {} }), 'nested.field1'],
  ['nested empty: field2', body({ nested: {} }), 'nested.field2'],
  ['nested without field1', body({ nested: { field2: 'x' } }), 'nested.field1'],
  ['nested without field2', body({ nested: { field1: 1 } }), 'nested.field2'],
  ['field1 = 2^53', body({ nested: { field1: 2 ** 53, field2: 'x' } }), 'nested.field1'],
  ['field1 = -(2^53)', body({ nested: { field1: -(2 ** 53), field2: 'x' } }), 'nested.field1'],
  ['field1 = 1.5', body({ nested: { field1: 1.5, field2: 'x' } }), 'nested.field1'],
  ['field1 a numeric string', body({ nested: { field1: '1', field2: 'x' } }), 'nested.field1'],
  ['field1 true', body({ nested: { field1: true, field2: 'x' } }), 'nested.field1'],
  ['field1 null', body({ nested: { field1: null, field2: 'x' } }), 'nested.field1'],
  ['field1 = 1e400', '{"key":"k","nested":{"field1":1e400,"field2":"x"}}', 'nested.field1'],
  ['field1 = -1e400', '{"key":"k","nested":{"field1":-1e400,"field2":"x"}}', 'nested.field1'],
  ['field1 a 30-digit number', '{"key":"k","nested":{"field1":123456789012345678901234567890,"field2":"x"}}', 'nested.field1'],
  ['field1 a 400-digit number', `{"key":"k","nested":{"field1":1${'0'.repeat(400)},"field2":"x"}}`, 'nested.field1'],
  ['field1 = 2^53+1, which JSON.parse rounds to 2^53', '{"key":"k","nested":{"field1":9007199254740993,"field2":"x"}}', 'nested.field1'],
  ['field1 = 1.5e0', '{"key":"k","nested":{"field1":1.5e0,"field2":"x"}}', 'nested.field1'],
  ['field2 of 1025 characters', body({ nested: { field1: 1, field2: 'f'.repeat(1025) } }), 'nested.field2'],
  ['field2 of 1025 code points, half of them variation selectors', body({ nested: { field1: 1, field2: `${'f\ufe0e'.repeat(512)}f` } }), 'nested.field2'],
  ['field2 a number', body({ nested: { field1: 1, field2: 2 } }), 'nested.field2'],
  ['field2 with NUL', body({ nested: { field1: 1, field2: 'a\u0000' } }), 'nested.field2'],
  ['field2 with a lone surrogate', body({ nested: { field1: 1, field2: '\ud83d' } }), 'nested.field2'],
  ['nested with an unknown property', body({ nested: { field1: 1, field2: 'x', extra: 1 } }), 'nested.extra'],
  ['nested an empty array', body({ nested: [] }), 'nested'],
  ['nested an array of a valid object', body({ nested: [{ field1: 1, field2: 'x' }] }), 'nested'],
  ['nested a string', body({ nested: 'x' }), 'nested'],
  ['nested a number', body({ nested: 1 }), 'nested'],
];

const REJECTED_TAGS: Rejected[] = [
  ['33 tags', body({ tags: tags(33) }), 'tags'],
  ['duplicate tags', body({ tags: ['a', 'b', 'a'] }), 'tags.2'],
  ['an empty tag', body({ tags: ['a', ''] }), 'tags.1'],
  ['a tag of 65 characters', body({ tags: ['t'.repeat(65)] }), 'tags.0'],
  ['a tag of 33 characters each followed by a variation selector', body({ tags: ['ok', '\u2764\ufe0f'.repeat(33)] }), 'tags.1'],
  ['a numeric tag', body({ tags: ['a', 1] }), 'tags.1'],
  ['a null tag', body({ tags: [null] }), 'tags.0'],
  ['a nested array tag', body({ tags: [['a']] }), 'tags.0'],
  ['an object tag', body({ tags: [{ a: 1 }] }), 'tags.0'],
  ['tags a string', body({ tags: 'a' }), 'tags'],
  ['tags an object', body({ tags: { 0: 'a' } }), 'tags'],
  ['a tag with NUL', body({ tags: ['a\u0000'] }), 'tags.0'],
  ['a tag with a lone surrogate', body({ tags: ['\udc00x'] }), 'tags.0'],
];

const REJECTED_ATTRIBUTES: Rejected[] = [
  ['attributes an array', body({ attributes: [] }), 'attributes'],
  ['attributes a string', body({ attributes: 'x' }), 'attributes'],
  ['attributes a number', body({ attributes: 1 }), 'attributes'],
  ['attributes true', body({ attributes: true }), 'attributes'],
  ['attributes over 32 KiB', body({ attributes: attributesOfBytes(ATTRIBUTES_LIMIT + 1) }), 'attributes'],
  ['attributes 9 objects deep', body({ attributes: nestedObject(9) }), `attributes${'.a'.repeat(8)}`],
  ['attributes 9 levels deep through arrays', `{"key":"k","attributes":${arraysInAttributes(9)}}`, `attributes.a${'.0'.repeat(7)}`],
  ['a NUL in a value', body({ attributes: { a: 'x\u0000' } }), 'attributes.a'],
  ['a NUL in a value inside an array', body({ attributes: { a: ['ok', '\u0000'] } }), 'attributes.a.1'],
  ['a NUL in a key', body({ attributes: { 'a\u0000': 1 } }), 'attributes'],
  ['a NUL in a deep key', body({ attributes: { a: { b: { '\u0000': 1 } } } }), 'attributes.a.b'],
  ['a lone surrogate in a value', body({ attributes: { a: '\ud800' } }), 'attributes.a'],
  ['a lone surrogate in a key', body({ attributes: { '\udc00': 1 } }), 'attributes'],
  ['1e400 as a value', '{"key":"k","attributes":{"n":1e400}}', 'attributes.n'],
  ['-1e400 inside an array', '{"key":"k","attributes":{"a":[1,-1e400]}}', 'attributes.a.1'],
  ['1E22 inside an array', '{"key":"k","attributes":{"v":[1E22]}}', 'attributes.v.0'],
  ['"__proto__" as a key', '{"key":"k","attributes":{"__proto__":{"x":1}}}', undefined],
  ['"__proto__" as a deep key', '{"key":"k","attributes":{"a":[{"b":{"__proto__":1}}]}}', undefined],
  ['"constructor.prototype" as keys', '{"key":"k","attributes":{"constructor":{"prototype":{"x":1}}}}', undefined],
  ['"constructor" as a key', '{"key":"k","attributes":{"constructor":1}}', 'attributes.constructor'],
  ['"constructor" as a deep key', '{"key":"k","attributes":{"a":[{"constructor":"x"}]}}', 'attributes.a.0.constructor'],
  ['"prototype" as a key', '{"key":"k","attributes":{"prototype":1}}', 'attributes.prototype'],
  ['"prototype" as a deep key', '{"key":"k","attributes":{"a":{"prototype":{"x":1}}}}', 'attributes.a.prototype'],
];

const REJECTED_TOP_LEVEL: Rejected[] = [
  ['an unknown field', body({ extra: 1 }), 'extra'],
  ['a client-chosen id', body({ id: '00000000-0000-4000-8000-000000000000' }), 'id'],
  ['a client-chosen owner', body({ owner: 'someone-else' }), 'owner'],
  ['a client-chosen version', body({ version: 7 }), 'version'],
  ['a client-chosen createdAt', body({ createdAt: '2000-01-01T00:00:00.000Z' }), 'createdAt'],
  ['an unknown field holding null', body({ extra: null }), 'extra'],
  ['"constructor" as an unknown field', '{"key":"k","constructor":1}', 'constructor'],
  ['"prototype" as an unknown field', '{"key":"k","prototype":1}', 'prototype'],
  ['"constructor" inside nested', '{"key":"k","nested":{"field1":1,"field2":"x","constructor":1}}', 'nested.constructor'],
  ['a prototype method name as a field', '{"key":"k","toString":1}', 'toString'],
  ['"hasOwnProperty" as a field', '{"key":"k","hasOwnProperty":"x"}', 'hasOwnProperty'],
  ['a prototype method name inside nested', '{"key":"k","nested":{"field1":1,"field2":"x","valueOf":1}}', 'nested.valueOf'],
];

describe.each(testBackends())('data body validation (%s)', (backend) => {
  const suite = useDataSuite(backend);

  async function expectRejected(payload: string, field: string | undefined): Promise<void> {
    const caller = { sub: uniqueSub() };
    const res = await suite.api.postRaw(caller, payload, { 'content-type': JSON_TYPE });
    if (field === undefined) expectError(res, 400, 'VALIDATION_FAILED');
    else expectFieldError(res, field);
    expect(await suite.api.count(caller)).toBe(0);
  }

  describe.each([
    ['key', REJECTED_KEYS],
    ['nested', REJECTED_NESTED],
    ['tags', REJECTED_TAGS],
    ['attributes', REJECTED_ATTRIBUTES],
    ['top level', REJECTED_TOP_LEVEL],
  ])('%s: 400 VALIDATION_FAILED and nothing stored', (_group, cases) => {
    it.each(cases)('%s', async (_name, payload, field) => {
      await expectRejected(payload, field);
    });
  });

  it('names every failing field of one body at once', async () => {
    const caller = { sub: uniqueSub() };
    const res = await suite.api.post(caller, { key: '', nested: { field1: 1.5, field2: 'x' }, tags: [''], attributes: [], extra: 1 });
    expectError(res, 400, 'VALIDATION_FAILED');
    for (const field of ['key', 'nested.field1', 'tags.0', 'attributes', 'extra']) {
      expect(detailFor(res, field)).toEqual({ field, messages: expect.arrayContaining([expect.any(String)]) });
    }
    expect(detailFor(res, 'nested.field2')).toBeUndefined();
  });

  // One detail per failing field, one clear message per problem: no class-validator noise.
  it.each<[string, object, Array<{ field: string; messages: string[] }>]>([
    ['tags a string', { tags: 'x' }, [{ field: 'tags', messages: ['tags must be an array of strings'] }]],
    ['33 tags', { tags: tags(33) }, [{ field: 'tags', messages: ['tags must contain at most 32 items'] }]],
    ['a repeated tag', { tags: ['a', 'b', 'a'] }, [{ field: 'tags.2', messages: ['tags.2 repeats tags.0: items must be unique'] }]],
    [
      'two bad tags',
      { tags: [1, ''] },
      [
        { field: 'tags.0', messages: ['tags.0 must be a string'] },
        { field: 'tags.1', messages: ['tags.1 must be 1 to 64 characters long'] },
      ],
    ],
    ['nested a string', { nested: 'x' }, [{ field: 'nested', messages: ['nested must be an object'] }]],
    ['nested an array of a non-object', { nested: [1] }, [{ field: 'nested', messages: ['nested must be an object'] }]],
    ['key a number', { key: 1 }, [{ field: 'key', messages: ['key must be a string'] }]],
    ['key too long', { key: 'k'.repeat(257) }, [{ field: 'key', messages: ['key must be 1 to 256 characters long'] }]],
    [
      'a number beyond the safe range in attributes',
      { attributes: { v: [2 ** 60] } },
      [{ field: 'attributes.v.0', messages: ['attributes.v.0 is beyond ±(2^53-1) and would lose precision: send it as a string'] }],
    ],
  ])('details for %s', async (_name, fields, details) => {
    const res = await suite.api.post({ sub: uniqueSub() }, { key: 'k', ...fields });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error).toEqual({ code: 'VALIDATION_FAILED', message: 'Request validation failed', details });
  });

  it('PUT applies the same rules and leaves the record unchanged', async () => {
    const caller = { sub: uniqueSub() };
    const created = await suite.api.create(caller, recordBody());
    for (const invalid of [{ key: 'k'.repeat(257) }, { key: 'k', tags: ['a', 'a'] }, { key: 'k', nested: { field1: 2 ** 53, field2: 'x' } }]) {
      expectError(await suite.api.put(caller, created.id, invalid), 400, 'VALIDATION_FAILED');
    }
    expect(await suite.api.read(caller, created.id)).toEqual(created);
  });

  it('counts the list key filter in code points as the stored key is counted', async () => {
    const caller = { sub: uniqueSub() };
    const key = '\u2764\ufe0f'.repeat(128);
    await suite.api.create(caller, recordBody({ key }));
    const found = await suite.api.list(caller, `key=${encodeURIComponent(key)}`);
    expectSuccess(found, 200);
    expect(found.json().data.map((record: { key: string }) => record.key)).toEqual([key]);
    const tooLong = await suite.api.list(caller, `key=${encodeURIComponent(`${key}a`)}`);
    expectFieldError(tooLong, 'key');
    expect(detailFor(tooLong, 'key')?.messages).toEqual(['key must be 1 to 256 characters long']);
  });

  describe('accepted at the limits', () => {
    it.each<[string, Partial<RecordBody>]>([
      ['a key of 1 character', { key: 'k' }],
      ['a key of 256 characters', { key: 'k'.repeat(256) }],
      ['a key of 256 emoji', { key: '😀'.repeat(256) }],
      ['a key of 128 characters each followed by a variation selector (256 code points)', { key: '\u2764\ufe0f'.repeat(128) }],
      ['a tag of 32 characters each followed by a variation selector (64 code points)', { tags: ['a\ufe0e'.repeat(32)] }],
      ['field2 of 1024 code points, half of them variation selectors', { nested: { field1: 1, field2: 'f\ufe0f'.repeat(512) } }],
      ['a key of spaces only, kept as sent', { key: '   ' }],
      ['field1 = 2^53-1', { nested: { field1: MAX_SAFE, field2: 'x' } }],
      ['field1 = -(2^53-1)', { nested: { field1: -MAX_SAFE, field2: 'x' } }],
      ['field1 = 0', { nested: { field1: 0, field2: 'x' } }],
      ['field2 of 1024 characters', { nested: { field1: 1, field2: 'f'.repeat(1024) } }],
      ['field2 empty', { nested: { field1: 1, field2: '' } }],
      ['32 tags', { tags: tags(32) }],
      ['a tag of 64 characters', { tags: ['t'.repeat(64)] }],
      ['tags that differ only in case', { tags: ['a', 'A'] }],
      ['no tags', { tags: [] }],
      ['attributes of exactly 32 KiB', { attributes: attributesOfBytes(ATTRIBUTES_LIMIT) }],
      ['attributes 8 objects deep', { attributes: nestedObject(8) }],
      ['attributes with every JSON type', { attributes: { s: 's', n: -1.25e-3, i: 42, t: true, f: false, z: null, a: [1, 'two', [3]], o: {} } }],
      ['attributes keys that merely contain a forbidden word', { attributes: { __proto: 1, constructors: 2, my_prototype: 3, Constructor: 4 } }],
      ['empty attributes', { attributes: {} }],
    ])('%s', async (_name, fields) => {
      const caller = { sub: uniqueSub() };
      const sent = recordBody(fields);
      const created = await suite.api.create(caller, sent);
      expect(await suite.api.read(caller, created.id)).toMatchObject(sent);
    });

    it('a key sent as an escaped surrogate pair, stored as the character', async () => {
      const caller = { sub: uniqueSub() };
      const res = await suite.api.postRaw(caller, '{"key":"\\ud83d\\ude00"}', { 'content-type': JSON_TYPE });
      expectSuccess(res, 201);
      expect((await suite.api.read(caller, res.json().data.id)).key).toBe('😀');
    });

    it('attributes 8 levels deep through arrays', async () => {
      const caller = { sub: uniqueSub() };
      const attributes = arraysInAttributes(8);
      const res = await suite.api.postRaw(caller, `{"key":"k","attributes":${attributes}}`, { 'content-type': JSON_TYPE });
      expectSuccess(res, 201);
      expect(res.json().data.attributes).toEqual(JSON.parse(attributes));
    });
  });
});
