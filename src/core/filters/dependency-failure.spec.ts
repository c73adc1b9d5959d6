import { isDependencyFailure } from './dependency-failure.js';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('isDependencyFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '08006', '08001', '57P01', '57P03', '53300'])(
    'treats %s as a dependency that is unavailable',
    (code) => {
      expect(isDependencyFailure(withCode(code))).toBe(true);
    },
  );

  it.each(['timeout exceeded when trying to connect', 'Connection terminated unexpectedly', 'Query read timeout'])(
    'recognises node-postgres "%s", which carries no code',
    (message) => {
      expect(isDependencyFailure(new Error(message))).toBe(true);
    },
  );

  it.each([
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a constraint violation', withCode('23505')],
    ['a syntax error in SQL', withCode('42601')],
    ['undefined', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('leaves %s to be a 500', (_name, error) => {
    expect(isDependencyFailure(error)).toBe(false);
  });
});
