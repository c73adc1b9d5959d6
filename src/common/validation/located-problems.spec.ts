import { validate } from 'class-validator';
import { locatedProblems, type ProblemFinder, ValidateByProblems } from './located-problems.js';

/** Each `x` in a string is a problem at its index. */
const everyX: ProblemFinder = (value, field) =>
  [...String(value)].flatMap((c, i) => (c === 'x' ? [{ field: `${field}.${i}`, message: `${field}.${i} is an x` }] : []));

class Holder {
  @ValidateByProblems('noX', everyX, { context: { kept: true } })
  text: unknown;
}

describe('ValidateByProblems', () => {
  it('accepts a value without problems', async () => {
    expect(await validate(Object.assign(new Holder(), { text: 'abc' }))).toEqual([]);
  });

  it('refuses a value with problems, the first as class-validator message', async () => {
    const [error] = await validate(Object.assign(new Holder(), { text: 'axbx' }));
    expect(error.constraints).toEqual({ noX: 'text.1 is an x' });
  });

  it('hands every problem, at the full path it is given, to whoever reads the error', async () => {
    const [error] = await validate(Object.assign(new Holder(), { text: 'axbx' }));
    expect(locatedProblems(error.contexts?.noX, error.value, 'body.text')).toEqual([
      { field: 'body.text.1', message: 'body.text.1 is an x' },
      { field: 'body.text.3', message: 'body.text.3 is an x' },
    ]);
  });

  it('keeps a context given with the options', async () => {
    const [error] = await validate(Object.assign(new Holder(), { text: 'x' }));
    expect(error.contexts?.noX).toMatchObject({ kept: true });
  });
});

describe('locatedProblems', () => {
  it('is undefined for a constraint that does not locate its problems', () => {
    expect(locatedProblems(undefined, 'x', 'f')).toBeUndefined();
    expect(locatedProblems({ other: 1 }, 'x', 'f')).toBeUndefined();
  });
});
