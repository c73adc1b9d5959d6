import type { IncomingMessage } from 'node:http';
import { AppError } from '../../core/errors/index.js';
import { parseIdempotencyKey } from './idempotency-key.js';

/** A request's headers as Node gives them: raw field lines, and the joined lower-case object. */
function request(...lines: Array<[string, string]>): Pick<IncomingMessage, 'headers' | 'rawHeaders'> {
  const headers: Record<string, string> = {};
  for (const [name, value] of lines) {
    const field = name.toLowerCase();
    headers[field] = field in headers ? `${headers[field]}, ${value}` : value;
  }
  return { headers, rawHeaders: lines.flat() };
}

function expectRefused(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): void {
  expect(() => parseIdempotencyKey(req)).toThrow(AppError);
  try {
    parseIdempotencyKey(req);
  } catch (error) {
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: [{ field: 'Idempotency-Key' }] });
  }
}

describe('parseIdempotencyKey', () => {
  it('is undefined without the header', () => {
    expect(parseIdempotencyKey(request(['Content-Type', 'application/json']))).toBeUndefined();
  });

  it.each(['a', '8e03978e-40d5-43e8-bc93-6894a57f9324', '"quoted sf-string"', '"a, b"', 'with space ~!', 'k'.repeat(255)])(
    'keeps the valid key %j as it is',
    (key) => {
      expect(parseIdempotencyKey(request(['Idempotency-Key', key]))).toBe(key);
    },
  );

  it('finds the header whatever the case of its name', () => {
    expect(parseIdempotencyKey(request(['IDEMPOTENCY-KEY', 'k']))).toBe('k');
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'a\tb'],
    ['DEL', 'a\u007f'],
    ['non-ASCII', 'clé'],
    ['NUL', 'a\u0000'],
  ])('refuses %s with VALIDATION_FAILED naming the header', (_name, key) => {
    expectRefused(request(['Idempotency-Key', key]));
  });

  // Node hands the handler "a, b": a valid key on its own, so only the field lines show it.
  it.each([
    ['two values', [['Idempotency-Key', 'a'], ['idempotency-key', 'b']]],
    ['the same value twice', [['Idempotency-Key', 'a'], ['Idempotency-Key', 'a']]],
  ] as Array<[string, Array<[string, string]>]>)('refuses the header sent twice (%s)', (_name, lines) => {
    expectRefused(request(...lines));
  });
});
