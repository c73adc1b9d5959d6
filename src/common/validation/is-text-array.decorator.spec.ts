import { validate } from 'class-validator';
import { IsTextArray } from './is-text-array.decorator.js';
import { locatedProblems } from './located-problems.js';

class Tagged {
  @IsTextArray({ maxItems: 3, minLength: 1, maxLength: 4 })
  tags: unknown;
}

/** The problems the global pipe would report, each under its full path. */
async function problemsOf(tags: unknown) {
  const errors = await validate(Object.assign(new Tagged(), { tags }));
  return errors.flatMap((error) => locatedProblems(error.contexts?.isTextArray, error.value, 'tags') ?? []);
}

describe('@IsTextArray', () => {
  it.each([[[]], [['a']], [['a', 'A', 'abcd']], [['😀😀😀😀']], [['a\ufe0fa\ufe0f']]])('accepts %p', async (tags) => {
    expect(await validate(Object.assign(new Tagged(), { tags }))).toEqual([]);
  });

  it.each([
    ['a string', 'a'],
    ['an object', { 0: 'a' }],
    ['null', null],
  ])('refuses %s with one message for the whole value', async (_name, tags) => {
    expect(await problemsOf(tags)).toEqual([{ field: 'tags', message: 'tags must be an array of strings' }]);
  });

  it('refuses too many items without a detail per item', async () => {
    expect(await problemsOf([1, 2, 3, 4])).toEqual([{ field: 'tags', message: 'tags must contain at most 3 items' }]);
  });

  it('names each bad item by its index, one message each', async () => {
    expect(await problemsOf(['ok', 7, ''])).toEqual([
      { field: 'tags.1', message: 'tags.1 must be a string' },
      { field: 'tags.2', message: 'tags.2 must be 1 to 4 characters long' },
    ]);
    expect(await problemsOf(['abcde', 'a\u0000', '\ud800'])).toEqual([
      { field: 'tags.0', message: 'tags.0 must be 1 to 4 characters long' },
      { field: 'tags.1', message: 'tags.1 must not contain NUL characters or unpaired surrogates' },
      { field: 'tags.2', message: 'tags.2 must not contain NUL characters or unpaired surrogates' },
    ]);
  });

  it('names a repeat and the item it repeats', async () => {
    expect(await problemsOf(['a', 'b', 'a'])).toEqual([{ field: 'tags.2', message: 'tags.2 repeats tags.0: items must be unique' }]);
  });

  it('counts characters as code points', async () => {
    expect(await problemsOf(['a\ufe0fa\ufe0fa'])).toEqual([{ field: 'tags.0', message: 'tags.0 must be 1 to 4 characters long' }]);
  });

  it('gives class-validator the first problem as its message', async () => {
    const [error] = await validate(Object.assign(new Tagged(), { tags: ['a', 1] }));
    expect(error.constraints).toEqual({ isTextArray: 'tags.1 must be a string' });
  });
});
