import { IsString, validate } from 'class-validator';
import { IsSafeText } from './is-safe-text.decorator.js';

class Single {
  @IsSafeText()
  text: unknown;
}

class Many {
  @IsSafeText({ each: true })
  texts: unknown;
}

class Typed {
  @IsString()
  @IsSafeText()
  text: unknown;
}

async function constraintsOf(target: object): Promise<Record<string, string>> {
  const errors = await validate(target);
  return Object.assign({}, ...errors.map((error) => error.constraints ?? {}));
}

describe('@IsSafeText', () => {
  it('accepts ordinary text', async () => {
    expect(await constraintsOf(Object.assign(new Single(), { text: 'Grüße 😀' }))).toEqual({});
  });

  it.each([
    ['NUL', 'a\u0000'],
    ['a lone surrogate', '\ud800'],
  ])('refuses %s with its message', async (_name, text) => {
    expect(await constraintsOf(Object.assign(new Single(), { text }))).toEqual({
      isSafeText: 'text must not contain NUL characters or unpaired surrogates',
    });
  });

  it('leaves type checks to other decorators', async () => {
    expect(await constraintsOf(Object.assign(new Single(), { text: 42 }))).toEqual({});
    expect(Object.keys(await constraintsOf(Object.assign(new Typed(), { text: 42 })))).toEqual(['isString']);
  });

  it('checks each item with { each: true }', async () => {
    expect(await constraintsOf(Object.assign(new Many(), { texts: ['ok', 'fine'] }))).toEqual({});
    expect(Object.keys(await constraintsOf(Object.assign(new Many(), { texts: ['ok', 'b\u0000d'] })))).toEqual(['isSafeText']);
  });
});
