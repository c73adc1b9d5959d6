import { IsString, Length, validate } from 'class-validator';
import { TextLength } from './text-length.decorator.js';

class Key {
  @IsString()
  @TextLength(1, 4)
  key: unknown;
}

/** class-validator's own rule, kept here to show what TextLength fixes. */
class LegacyKey {
  @Length(1, 4)
  key: unknown;
}

async function constraintsOf(target: object): Promise<Record<string, string>> {
  const errors = await validate(target);
  return Object.assign({}, ...errors.map((error) => error.constraints ?? {}));
}

describe('@TextLength', () => {
  it.each(['k', 'kkkk', '😀😀😀😀', 'a\ufe0fa\ufe0f'])('accepts %p (1 to 4 code points)', async (key) => {
    expect(await constraintsOf(Object.assign(new Key(), { key }))).toEqual({});
  });

  it.each(['', 'kkkkk', '😀😀😀😀😀', 'a\ufe0fa\ufe0fa'])('refuses %p with its message', async (key) => {
    expect(await constraintsOf(Object.assign(new Key(), { key }))).toEqual({ textLength: 'key must be 1 to 4 characters long' });
  });

  it('counts the variation selectors validator.js skips', async () => {
    const key = 'a\ufe0f'.repeat(4); // 8 code points
    expect(await constraintsOf(Object.assign(new LegacyKey(), { key }))).toEqual({});
    expect(await constraintsOf(Object.assign(new Key(), { key }))).toEqual({ textLength: 'key must be 1 to 4 characters long' });
  });

  it('leaves a value that is not a string to @IsString, so it gets one message', async () => {
    expect(await constraintsOf(Object.assign(new Key(), { key: 12345 }))).toEqual({ isString: 'key must be a string' });
  });
});
