// RFC 8187 attr-char: everything else in a filename* value is percent-encoded.
const ATTR_CHAR = /[A-Za-z0-9!#$&+.^_`|~-]/;

/** RFC 8187 ext-value of a UTF-8 string: `UTF-8''` and the percent-encoded bytes. */
export function encodeExtValue(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `UTF-8''${encoded}`;
}

/**
 * The plain `filename` for clients that ignore `filename*`: printable ASCII only, with
 * non-ASCII characters, quotes, backslashes and `%` (which some clients decode) as `_`.
 */
export function asciiFallback(filename: string): string {
  return [...filename].map((char) => (/^[\x20-\x7e]$/.test(char) && !/["\\%]/.test(char) ? char : '_')).join('');
}

/**
 * `Content-Disposition: attachment` naming the file (RFC 6266): an ASCII `filename` for old
 * clients and the exact UTF-8 name in `filename*`, which current clients prefer.
 */
export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${asciiFallback(filename)}"; filename*=${encodeExtValue(filename)}`;
}
