import { validate } from 'class-validator';
import { IsSafeInteger } from './is-safe-integer.decorator.js';

class Holder {
  @IsSafeInteger()
  n: unknown;
}

async function constraintsOf(n: unknown): Promise<Record<string, string>> {
  const errors = await validate(Object.assign(new Holder(), { n }));
  return Object.assign({}, ...errors.map((error) => error.constraints ?? {}));
}

describe('@IsSafeInteger', () => {
  it.each([0, -0, 1, -1, 123, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])('accepts %p', async (n) => {
    expect(await constraintsOf(n)).toEqual({});
  });

  it.each([
    ['a fraction', 1.5],
    ['2^53', 2 ** 53],
    ['-2^53', -(2 ** 53)],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['a numeric string', '123'],
    ['a bigint', 1n],
    ['null', null],
    ['a boolean', true],
  ])('refuses %s', async (_name, n) => {
    expect(await constraintsOf(n)).toEqual({ isSafeInteger: 'n must be an integer between -(2^53-1) and 2^53-1' });
  });
});
