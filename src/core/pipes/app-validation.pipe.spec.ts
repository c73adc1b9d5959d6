import type { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ValidateByProblems } from '../../common/validation/index.js';
import { AppError } from '../errors/index.js';
import { AppValidationPipe, flattenValidationErrors, MAX_INPUT_DEPTH } from './app-validation.pipe.js';

class Inner {
  @IsInt()
  n!: number;
}

class SampleDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsInt()
  count?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => Inner)
  inner?: Inner;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Inner)
  items?: Inner[];
}

/** Each item that is not 'ok' is a problem at its own path. */
class WithList {
  @ValidateByProblems('itemsOk', (value, field) =>
    (value as unknown[]).flatMap((item, i) => (item === 'ok' ? [] : [{ field: `${field}.${i}`, message: `${field}.${i} is not ok` }])),
  )
  @MaxLength(1, { each: true })
  list!: string[];
}

class HoldsList {
  @ValidateNested()
  @Type(() => WithList)
  outer!: WithList;
}

const body = (metatype?: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });
const query = (metatype?: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

/** `levels` nested arrays, built without recursion: `[[[]]]` is 3 levels. */
function nestedArrays(levels: number): unknown {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the pipe to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function fieldsOf(error: AppError): string[] {
  return (error.details ?? []).map((detail) => detail.field);
}

describe('flattenValidationErrors', () => {
  it('names nested leaves by path and keeps every message', () => {
    const errors: ValidationError[] = [
      { property: 'key', constraints: { isString: 'key must be a string', length: 'key is too short' }, children: [] },
      {
        property: 'nested',
        children: [
          { property: 'field1', constraints: { isSafeInteger: 'field1 must be an integer' }, children: [] },
          { property: 'deeper', children: [{ property: 'x', constraints: { a: 'x is bad' } }] },
        ],
      },
      { property: 'tags', children: [{ property: '3', constraints: { length: 'each tag too long' } }] },
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'key', messages: ['key must be a string', 'key is too short'] },
      { field: 'nested.field1', messages: ['field1 must be an integer'] },
      { field: 'nested.deeper.x', messages: ['x is bad'] },
      { field: 'tags.3', messages: ['each tag too long'] },
    ]);
  });

  it('reports a value refused as a whole without its children', () => {
    const errors: ValidationError[] = [
      { property: 'nested', constraints: { isObject: 'nested must be an object' }, children: [{ property: '0', constraints: { b: 'c' } }] },
    ];
    expect(flattenValidationErrors(errors)).toEqual([{ field: 'nested', messages: ['nested must be an object'] }]);
  });

  it('gives a message two constraints share once', () => {
    const errors: ValidationError[] = [
      { property: 'nested', constraints: { isObject: 'nested must be an object', nestedValidation: 'nested must be an object' } },
    ];
    expect(flattenValidationErrors(errors)).toEqual([{ field: 'nested', messages: ['nested must be an object'] }]);
  });

  it('returns nothing for no errors', () => {
    expect(flattenValidationErrors([])).toEqual([]);
  });
});

describe('AppValidationPipe', () => {
  const pipe = new AppValidationPipe();

  describe('body shape', () => {
    it.each([
      ['null', null],
      ['an array', [{ name: 'a' }]],
      ['a string', 'name'],
      ['a number', 42],
      ['true', true],
    ])('rejects %s as a body for a DTO', async (_name, value) => {
      const error = await rejection(pipe.transform(value, body(SampleDto)));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, message: 'Request body must be a JSON object' });
    });

    it('rejects an undefined body (no JSON sent) for a DTO', async () => {
      const error = await rejection(pipe.transform(undefined, body(SampleDto)));
      expect(error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('depth limit', () => {
    it('rejects 100k levels of nesting with VALIDATION_FAILED, not a stack overflow', async () => {
      const error = await rejection(pipe.transform({ name: 'a', inner: { n: nestedArrays(100_000) } }, body(SampleDto)));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: `Input nests deeper than ${MAX_INPUT_DEPTH} levels` });
    });

    it('checks bodies without a DTO too', async () => {
      const error = await rejection(pipe.transform(nestedArrays(100_000), body()));
      expect(error.code).toBe('VALIDATION_FAILED');
    });

    it('checks query objects', async () => {
      const error = await rejection(pipe.transform({ limit: nestedArrays(MAX_INPUT_DEPTH) }, query()));
      expect(error.message).toContain('nests deeper');
    });

    it(`lets exactly ${MAX_INPUT_DEPTH} levels through`, async () => {
      const value = nestedArrays(MAX_INPUT_DEPTH);
      await expect(pipe.transform(value, body())).resolves.toBe(value);
      await expect(rejection(pipe.transform(nestedArrays(MAX_INPUT_DEPTH + 1), body()))).resolves.toBeInstanceOf(AppError);
    });

    it('does not apply to route params', async () => {
      await expect(pipe.transform('abc', { type: 'param', metatype: String, data: 'id' })).resolves.toBe('abc');
    });
  });

  describe('with a DTO', () => {
    it('returns an instance of the DTO with the validated values', async () => {
      const result = await pipe.transform({ name: 'a', count: 2, inner: { n: 1 } }, body(SampleDto));
      expect(result).toBeInstanceOf(SampleDto);
      expect(result).toEqual({ name: 'a', count: 2, inner: { n: 1 } });
      expect((result as SampleDto).inner).toBeInstanceOf(Inner);
    });

    it('reports VALIDATION_FAILED with one detail per failing field', async () => {
      const error = await rejection(pipe.transform({ name: 1, count: 'x' }, body(SampleDto)));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, message: 'Request validation failed' });
      expect(fieldsOf(error).sort()).toEqual(['count', 'name']);
    });

    it('paths nested failures', async () => {
      const error = await rejection(pipe.transform({ name: 'a', inner: { n: 1.5 } }, body(SampleDto)));
      expect(fieldsOf(error)).toEqual(['inner.n']);
    });

    it('paths array items by index', async () => {
      const error = await rejection(pipe.transform({ name: 'a', items: [{ n: 1 }, { n: 'x' }] }, body(SampleDto)));
      expect(fieldsOf(error)).toEqual(['items.1.n']);
    });

    it.each([
      ['a numeric string for an int', { name: 'a', count: '5' }, 'count'],
      ['a numeric string for a nested int', { name: 'a', inner: { n: '123' } }, 'inner.n'],
      ['a number for a string', { name: 7 }, 'name'],
      ['a boolean for an int', { name: 'a', count: true }, 'count'],
    ])('does not convert %s', async (_name, value, field) => {
      const error = await rejection(pipe.transform(value, body(SampleDto)));
      expect(fieldsOf(error)).toEqual([field]);
    });

    it('rejects unknown properties instead of stripping them', async () => {
      const error = await rejection(pipe.transform({ name: 'a', isAdmin: true }, body(SampleDto)));
      expect(error.details).toEqual([{ field: 'isAdmin', messages: ['property isAdmin should not exist'] }]);
    });

    it('rejects unknown nested properties by path', async () => {
      const error = await rejection(pipe.transform({ name: 'a', inner: { n: 1, extra: 2 } }, body(SampleDto)));
      expect(fieldsOf(error)).toEqual(['inner.extra']);
    });

    it('names the problems a ValidateByProblems constraint locates by their full paths, beside other constraints', async () => {
      const error = await rejection(pipe.transform({ outer: { list: ['ok', 'bad', 'worse'] } }, body(HoldsList)));
      expect(error.details).toEqual([
        { field: 'outer.list', messages: ['each value in list must be shorter than or equal to 1 characters'] },
        { field: 'outer.list.1', messages: ['outer.list.1 is not ok'] },
        { field: 'outer.list.2', messages: ['outer.list.2 is not ok'] },
      ]);
    });

    it('sends neither the target nor the rejected value back', async () => {
      const error = await rejection(pipe.transform({ name: 'a', count: 'secret-value' }, body(SampleDto)));
      expect(JSON.stringify(error.details)).not.toContain('secret-value');
    });
  });
});

describe('AppValidationPipe with input it does not validate', () => {
  const pipe = new AppValidationPipe();

  it('passes a whole query without a DTO through, as Fastify parsed it (null prototype)', async () => {
    const parsed = Object.assign(Object.create(null) as Record<string, unknown>, { limit: '5', q: 'x' });
    await expect(pipe.transform(parsed, { type: 'query', metatype: Object })).resolves.toBe(parsed);
  });

  it('passes a plain body without a DTO through', async () => {
    const value = { anything: { goes: [1] } };
    await expect(pipe.transform(value, { type: 'body', metatype: Object })).resolves.toBe(value);
  });

  it('still refuses forbidden keys in a body without a DTO', async () => {
    const error = await pipe.transform(JSON.parse('{"a":{"constructor":{"x":1}}}'), { type: 'body', metatype: Object }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toEqual([{ field: 'a.constructor', messages: [expect.stringContaining('forbidden key')] }]);
  });
});
