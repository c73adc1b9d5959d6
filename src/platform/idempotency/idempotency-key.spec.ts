import { AppError } from '../../core/errors/index.js';
import { parseIdempotencyKey } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it('is undefined without the header', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each(['a', '8e03978e-40d5-43e8-bc93-6894a57f9324', '"quoted sf-string"', 'with space ~!', 'k'.repeat(255)])(
    'keeps the valid key %j as it is',
    (key) => {
      expect(parseIdempotencyKey(key)).toBe(key);
    },
  );

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'a\tb'],
    ['DEL', 'a\u007f'],
    ['non-ASCII', 'clé'],
    ['NUL', 'a\u0000'],
  ])('refuses %s with VALIDATION_FAILED naming the header', (_name, key) => {
    expect(() => parseIdempotencyKey(key)).toThrow(AppError);
    try {
      parseIdempotencyKey(key);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: [{ field: 'Idempotency-Key' }] });
    }
  });

  it('refuses the header sent twice as separate values', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(AppError);
  });
});
