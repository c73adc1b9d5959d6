/**
 * Opaque list cursors. They wrap the insertion sequence of the last record on a page; clients
 * must treat them as opaque so the encoding can change.
 */
const PREFIX = 'r1:';

export function encodeCursor(seq: string): string {
  return Buffer.from(`${PREFIX}${seq}`).toString('base64url');
}

/** The sequence inside a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  const seq = text.slice(PREFIX.length);
  return /^[1-9]\d{0,18}$/.test(seq) && BigInt(seq) <= 9223372036854775807n ? seq : undefined;
}
