import { AppError } from '../../core/errors/index.js';
import { UuidOrNotFoundPipe } from './uuid-or-not-found.pipe.js';

describe('UuidOrNotFoundPipe', () => {
  const pipe = new UuidOrNotFoundPipe();

  it('passes a UUID through', () => {
    expect(pipe.transform('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
  });

  it('lower-cases an upper-case UUID so it names the same record', () => {
    expect(pipe.transform('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
  });

  it.each([
    ['a word', 'abc'],
    ['an empty id', ''],
    ['a number', '123'],
    ['a UUID with braces', '{0f8fad5b-d9cb-469f-a165-70867728950e}'],
    ['a UUID without dashes', '0f8fad5bd9cb469fa16570867728950e'],
    ['a UUID with a trailing space', '0f8fad5b-d9cb-469f-a165-70867728950e '],
    ['a UUID with a non-hex digit', '0f8fad5b-d9cb-469f-a165-70867728950g'],
    ['a SQL fragment', "' OR 1=1 --"],
  ])('answers %s with NOT_FOUND', (_name, id) => {
    let thrown: unknown;
    try {
      pipe.transform(id);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});
