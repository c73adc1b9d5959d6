import { AppError } from '../../../core/errors/index.js';
import { rejectedFieldsOf, validate, validationRejection } from '../../../../test/helpers/validation-pipe.js';
import { RecordBodyDto } from './record-body.dto.js';


function nestedArrays(levels: number): unknown {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

async function rejection(value: unknown): Promise<AppError> {
  const error = await validationRejection(RecordBodyDto, 'body', value);
  expect(error.code).toBe('VALIDATION_FAILED');
  return error;
}

const fieldsOf = rejectedFieldsOf;

describe('RecordBodyDto', () => {
  it('accepts the article example and returns a RecordBodyDto', async () => {
    const result = await validate(RecordBodyDto, 'body', { key: 'test_value', nested: { field1: 123, field2: 'example' } });
    expect(result).toBeInstanceOf(RecordBodyDto);
    expect(result).toEqual({ key: 'test_value', nested: { field1: 123, field2: 'example' } });
  });

  it('accepts every optional field as null', async () => {
    await expect(validate(RecordBodyDto, 'body', { key: 'k', nested: null, tags: null, attributes: null })).resolves.toMatchObject({ key: 'k' });
  });

  it('accepts every field at its limit', async () => {
    const value = {
      key: 'k'.repeat(256),
      nested: { field1: -(2 ** 53 - 1), field2: 'x'.repeat(1024) },
      tags: Array.from({ length: 32 }, (_, i) => `${i}`.padEnd(64, 't')),
      attributes: { a: nestedArrays(7) },
    };
    await expect(validate(RecordBodyDto, 'body', value)).resolves.toBeInstanceOf(RecordBodyDto);
  });

  it('keeps key byte-exact: no trimming, no normalization', async () => {
    const key = ' e\u0301 ';
    await expect(validate(RecordBodyDto, 'body', { key })).resolves.toMatchObject({ key });
  });

  it('keeps attributes as parsed, key order included', async () => {
    const attributes = { z: 1, a: { y: [1, 'two', null], b: true }, when: '2024-01-01T00:00:00Z' };
    const result = (await validate(RecordBodyDto, 'body', { key: 'k', attributes })) as RecordBodyDto;
    expect(result.attributes).toEqual(attributes);
    expect(Object.keys(result.attributes!)).toEqual(['z', 'a', 'when']);
    expect(typeof result.attributes!.when).toBe('string');
  });

  it('names nested failures by path', async () => {
    const error = await rejection({ key: 'k', nested: { field1: 1.5, field2: 7 } });
    expect(error.message).toBe('Request validation failed');
    expect(fieldsOf(error).sort()).toEqual(['nested.field1', 'nested.field2']);
  });

  it('does not convert a numeric string for field1', async () => {
    expect(fieldsOf(await rejection({ key: 'k', nested: { field1: '123', field2: 'x' } }))).toEqual(['nested.field1']);
  });

  it('does not convert a number for key', async () => {
    expect(fieldsOf(await rejection({ key: 123 }))).toEqual(['key']);
  });

  it('rejects unknown top-level properties', async () => {
    const error = await rejection({ key: 'k', owner: 'mallory' });
    expect(error.details).toEqual([{ field: 'owner', messages: ['property owner should not exist'] }]);
  });

  it('rejects unknown nested properties by path', async () => {
    expect(fieldsOf(await rejection({ key: 'k', nested: { field1: 1, field2: 'a', extra: 1 } }))).toEqual(['nested.extra']);
  });

  it.each([
    ['a missing key', { nested: { field1: 1, field2: 'a' } }, 'key'],
    ['an empty key', { key: '' }, 'key'],
    ['a 257-character key', { key: 'k'.repeat(257) }, 'key'],
    ['a key of 129 characters each followed by a variation selector (258 code points)', { key: 'a\ufe0f'.repeat(129) }, 'key'],
    ['a key with NUL', { key: 'a\u0000b' }, 'key'],
    ['a key with a lone surrogate', { key: 'a\ud800' }, 'key'],
    ['nested as an array', { key: 'k', nested: [{ field1: 1, field2: 'a' }] }, 'nested'],
    ['nested as a string', { key: 'k', nested: 'x' }, 'nested'],
    ['nested as an array of a non-object', { key: 'k', nested: [1] }, 'nested'],
    ['a missing field1', { key: 'k', nested: { field2: 'a' } }, 'nested.field1'],
    ['a field1 of 2^53', { key: 'k', nested: { field1: 2 ** 53, field2: 'a' } }, 'nested.field1'],
    ['a field2 over 1024 characters', { key: 'k', nested: { field1: 1, field2: 'x'.repeat(1025) } }, 'nested.field2'],
    ['a field2 of 1025 code points, half of them variation selectors', { key: 'k', nested: { field1: 1, field2: `${'x\ufe0e'.repeat(512)}x` } }, 'nested.field2'],
    ['a field2 with NUL', { key: 'k', nested: { field1: 1, field2: '\u0000' } }, 'nested.field2'],
    ['duplicate tags', { key: 'k', tags: ['a', 'a'] }, 'tags.1'],
    ['33 tags', { key: 'k', tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, 'tags'],
    ['an empty tag', { key: 'k', tags: [''] }, 'tags.0'],
    ['a 65-character tag', { key: 'k', tags: ['t'.repeat(65)] }, 'tags.0'],
    ['a tag of 33 characters each followed by a variation selector', { key: 'k', tags: ['\u2764\ufe0f'.repeat(33)] }, 'tags.0'],
    ['a non-string tag', { key: 'k', tags: [1] }, 'tags.0'],
    ['tags as a string', { key: 'k', tags: 'a' }, 'tags'],
    ['attributes as an array', { key: 'k', attributes: [] }, 'attributes'],
    ['attributes as a string', { key: 'k', attributes: '{}' }, 'attributes'],
    ['attributes nested 9 levels deep', { key: 'k', attributes: { a: nestedArrays(8) } }, 'attributes.a.0.0.0.0.0.0.0'],
    ['attributes over 32 KiB', { key: 'k', attributes: { a: 'x'.repeat(32 * 1024) } }, 'attributes'],
  ])('rejects %s', async (_name, value, field) => {
    expect(fieldsOf(await rejection(value))).toEqual([field]);
  });

  it.each([
    ['a number beyond the safe range', JSON.parse('{"v":[1E22]}'), 'attributes.v.0', 'attributes.v.0 is beyond ±(2^53-1) and would lose precision: send it as a string'],
    ['an infinite number', { a: Infinity }, 'attributes.a', 'attributes.a is not a finite number'],
    ['a NUL in a deep value', { a: { b: ['ok', 'x\u0000'] } }, 'attributes.a.b.1', 'attributes.a.b.1 contains NUL characters or unpaired surrogates'],
    ['a lone surrogate in a key', { a: { '\ud800': 1 } }, 'attributes.a', 'attributes.a has a key with NUL characters or unpaired surrogates'],
    ['a value 9 levels deep', { a: { b: { c: { d: { e: { f: { g: { h: {} } } } } } } } }, 'attributes.a.b.c.d.e.f.g.h', 'attributes.a.b.c.d.e.f.g.h is nested 9 levels deep: attributes must not nest deeper than 8 levels'],
    ['more than 32 KiB', { a: 'x'.repeat(32 * 1024) }, 'attributes', 'attributes must not exceed 32768 bytes when serialized'],
  ])('names the offending value of attributes by its path: %s', async (_name, attributes, field, message) => {
    const error = await rejection({ key: 'k', attributes });
    expect(error.details).toEqual([{ field, messages: [message] }]);
  });

  describe('one clear message per problem', () => {
    it.each([
      ['tags a string', { tags: 'x' }, [{ field: 'tags', messages: ['tags must be an array of strings'] }]],
      ['33 tags', { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, [{ field: 'tags', messages: ['tags must contain at most 32 items'] }]],
      ['a repeated tag', { tags: ['a', 'b', 'a'] }, [{ field: 'tags.2', messages: ['tags.2 repeats tags.0: items must be unique'] }]],
      [
        'several bad tags',
        { tags: [1, '', 'a\u0000', 't'.repeat(65)] },
        [
          { field: 'tags.0', messages: ['tags.0 must be a string'] },
          { field: 'tags.1', messages: ['tags.1 must be 1 to 64 characters long'] },
          { field: 'tags.2', messages: ['tags.2 must not contain NUL characters or unpaired surrogates'] },
          { field: 'tags.3', messages: ['tags.3 must be 1 to 64 characters long'] },
        ],
      ],
      ['nested a string', { nested: 'x' }, [{ field: 'nested', messages: ['nested must be an object'] }]],
      ['nested an array of objects', { nested: [{ field1: 'x' }] }, [{ field: 'nested', messages: ['nested must be an object'] }]],
      ['key a number', { key: 1 }, [{ field: 'key', messages: ['key must be a string'] }]],
      ['key empty', { key: '' }, [{ field: 'key', messages: ['key must be 1 to 256 characters long'] }]],
      ['field2 too long', { nested: { field1: 1, field2: 'x'.repeat(1025) } }, [{ field: 'nested.field2', messages: ['field2 must be at most 1024 characters long'] }]],
    ])('%s', async (_name, fields, details) => {
      expect((await rejection({ key: 'k', ...fields })).details).toEqual(details);
    });
  });

  it.each([
    ['a key', { key: 'a\ufe0f'.repeat(128) }],
    ['a tag', { key: 'k', tags: ['a\ufe0e'.repeat(32)] }],
    ['field2', { key: 'k', nested: { field1: 1, field2: 'x\ufe0f'.repeat(512) } }],
  ])('counts variation selectors as characters, accepting %s at its limit in code points', async (_name, value) => {
    await expect(validate(RecordBodyDto, 'body', value)).resolves.toBeInstanceOf(RecordBodyDto);
  });

  it.each([
    ['constructor', { key: 'k', attributes: { a: { constructor: 1 } } }, 'attributes.a.constructor'],
    ['prototype', { key: 'k', attributes: { prototype: 1 } }, 'attributes.prototype'],
    ['__proto__', { key: 'k', attributes: JSON.parse('{"x":[{"__proto__":{}}]}') }, 'attributes.x.0.__proto__'],
    ['constructor at the top', { key: 'k', constructor: { name: 'x' } }, 'constructor'],
  ])('refuses a %s key in the body by its path', async (_name, value, field) => {
    expect(fieldsOf(await rejection(value))).toEqual([field]);
  });

  it.each(['toString', 'hasOwnProperty', 'valueOf'])('refuses the undeclared key %s that class-transformer would drop', async (name) => {
    const error = await rejection({ key: 'k', [name]: 1 });
    expect(error.details).toEqual([{ field: name, messages: [`property ${name} should not exist`] }]);
  });

  it('refuses an undeclared nested key class-transformer would drop', async () => {
    expect(fieldsOf(await rejection({ key: 'k', nested: { field1: 1, field2: 'a', toString: 1 } }))).toEqual(['nested.toString']);
  });

  it('rejects 100k levels of nesting in attributes without overflowing the stack', async () => {
    const error = await rejection({ key: 'k', attributes: { deep: nestedArrays(100_000) } });
    expect(error.message).toMatch(/nests deeper/);
  });
});
