import { AppError } from '../../core/errors/index.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

// Printable ASCII (space included), as the README promises; anything else is refused rather
// than normalized, so a key means the same bytes on every replica.
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` request header: undefined when absent, the key when valid, else a
 * 400. The value is opaque: the draft's quoted sf-string form is kept quotes included.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && VALID_KEY.test(value)) return value;
  throw new AppError('VALIDATION_FAILED', undefined, [
    { field: 'Idempotency-Key', messages: ['Idempotency-Key must be one header of 1..255 printable ASCII characters'] },
  ]);
}
