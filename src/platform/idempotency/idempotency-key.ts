import type { IncomingMessage } from 'node:http';
import { AppError } from '../../core/errors/index.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

// Printable ASCII (space included), as the README promises; anything else is refused rather
// than normalized, so a key means the same bytes on every replica.
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` request header: undefined when absent, the key when valid, else a
 * 400. The value is opaque: the draft's quoted sf-string form is kept quotes included.
 *
 * Read from the raw field lines (`rawHeaders`): Node joins a repeated custom header into one
 * string with ", ", which would turn two keys into one valid-looking key, and a quoted key may
 * itself hold ", ", so only the number of field lines tells the two apart.
 */
export function parseIdempotencyKey({ headers, rawHeaders }: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): string | undefined {
  // Nearly every request carries no key: skip the scan of the raw lines.
  if (headers[IDEMPOTENCY_KEY_HEADER] === undefined) return undefined;
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === IDEMPOTENCY_KEY_HEADER) values.push(rawHeaders[i + 1]);
  }
  if (values.length === 1 && VALID_KEY.test(values[0])) return values[0];
  throw new AppError('VALIDATION_FAILED', undefined, [
    { field: 'Idempotency-Key', messages: ['Idempotency-Key must be one header of 1..255 printable ASCII characters'] },
  ]);
}
