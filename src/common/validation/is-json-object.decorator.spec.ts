import { validate } from 'class-validator';
import { IsJsonObject } from './is-json-object.decorator.js';
import { locatedProblems } from './located-problems.js';

class Holder {
  @IsJsonObject({ maxBytes: 64, maxDepth: 2 })
  meta: unknown;
}

async function messagesFor(meta: unknown): Promise<string[]> {
  const holder = Object.assign(new Holder(), { meta });
  const errors = await validate(holder);
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('@IsJsonObject', () => {
  it('accepts an object within the limits', async () => {
    expect(await messagesFor({ a: { b: 1 } })).toEqual([]);
  });

  it.each([
    ['an array', [], 'meta must be a JSON object'],
    ['null', null, 'meta must be a JSON object'],
    ['too deep', { a: { b: {} } }, 'meta.a.b is nested 3 levels deep: meta must not nest deeper than 2 levels'],
    ['too large', { a: 'x'.repeat(64) }, 'meta must not exceed 64 bytes when serialized'],
    ['a forbidden key', JSON.parse('{"__proto__":1}'), 'meta must not contain the key "__proto__"'],
    ['a non-finite number', { a: Infinity }, 'meta.a is not a finite number'],
  ])('refuses %s with the specific reason', async (_name, value, message) => {
    expect(await messagesFor(value)).toEqual([message]);
  });

  it('locates the problem for the global pipe, under the full path it is given', async () => {
    const [error] = await validate(Object.assign(new Holder(), { meta: { a: [1, Infinity] } }));
    expect(locatedProblems(error.contexts?.isJsonObject, error.value, 'body.meta')).toEqual([
      { field: 'body.meta.a.1', message: 'body.meta.a.1 is not a finite number' },
    ]);
  });

  it('reports under the isJsonObject constraint', async () => {
    const errors = await validate(Object.assign(new Holder(), { meta: [] }));
    expect(Object.keys(errors[0].constraints ?? {})).toEqual(['isJsonObject']);
  });
});
