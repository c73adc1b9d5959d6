/**
 * Opaque list cursors wrapping the insertion sequence (a PostgreSQL bigint) of the last item on
 * a page. Each list has its own prefix, so one list's cursor is refused by another rather than
 * misread. Clients must treat cursors as opaque so the encoding can change.
 */
export interface SeqCursor {
  encode(seq: string): string;
  /** The sequence inside a cursor, or undefined when it is not one of this list's. */
  decode(cursor: string): string | undefined;
}

const MAX_BIGINT = 9223372036854775807n;

export function seqCursor(prefix: string): SeqCursor {
  return {
    encode: (seq) => Buffer.from(`${prefix}${seq}`).toString('base64url'),
    decode: (cursor) => {
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!text.startsWith(prefix)) return undefined;
      const seq = text.slice(prefix.length);
      return /^[1-9]\d{0,18}$/.test(seq) && BigInt(seq) <= MAX_BIGINT ? seq : undefined;
    },
  };
}
