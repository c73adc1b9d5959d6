/** What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14). */
export type RangeRequest =
  /** No usable single range: send the whole representation with 200. */
  | { kind: 'whole' }
  /** Bytes `start`..`end` inclusive: 206. */
  | { kind: 'partial'; start: number; end: number }
  /** A valid range that selects nothing: 416. */
  | { kind: 'unsatisfiable' };

const WHOLE: RangeRequest = { kind: 'whole' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };
const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * Reads a `Range` header for a single byte range: `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * Anything else — another unit, bad syntax, `b < a`, or several ranges — is ignored, as RFC
 * 9110 allows, and the whole representation is sent.
 */
export function parseByteRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return WHOLE;
  const match = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (!match) return WHOLE;
  // Empty list elements are allowed by the #rule and ignored.
  const specs = match[1].split(',').map((spec) => spec.trim()).filter((spec) => spec !== '');
  if (specs.length !== 1) return WHOLE;
  const spec = RANGE_SPEC.exec(specs[0]);
  if (!spec || (spec[1] === '' && spec[2] === '')) return WHOLE;
  const [first, last] = [spec[1], spec[2]];
  if (first === '') return suffixRange(Number(last), size);
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return WHOLE;
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/** `bytes=-n`: the last n bytes (all of them when n exceeds the size). */
function suffixRange(length: number, size: number): RangeRequest {
  if (length === 0 || size === 0) return UNSATISFIABLE;
  return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
}

/** `Content-Range` of a 206. */
export const contentRange = (start: number, end: number, size: number) => `bytes ${start}-${end}/${size}`;

/** `Content-Range` of a 416: the current size. */
export const unsatisfiedRange = (size: number) => `bytes */${size}`;
