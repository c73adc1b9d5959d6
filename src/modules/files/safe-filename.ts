/** Longest stored filename in UTF-8 bytes: what common file systems allow for one name. */
export const MAX_FILENAME_BYTES = 255;

/** The name used when nothing printable is left. */
export const FALLBACK_FILENAME = 'file';

// C0 and C1 controls, DEL, and the bidirectional overrides/isolates that make a name display
// as something else (`gpj.exe` shown as `exe.jpg`). U+FEFF too: invisible, and PGlite would
// drop it from the start of a text column.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a code point. */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return value.slice(0, end);
}

/**
 * The name a client gave a file, made safe to store and to echo back: the last path component
 * for both `/` and `\` (`../../x` → `x`), without control or bidi characters, Unicode kept
 * (NFC), at most 255 UTF-8 bytes, `file` when nothing is left. The bytes on disk never use it.
 */
export function safeFilename(name: string | undefined): string {
  if (name === undefined) return FALLBACK_FILENAME;
  // Unpaired surrogates cannot be stored as text; they become U+FFFD like invalid UTF-8 does.
  const wellFormed = name.toWellFormed().normalize('NFC');
  const base = wellFormed.split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE_CHARACTERS, '').trim();
  const bounded = truncateUtf8(cleaned, MAX_FILENAME_BYTES);
  return bounded === '' || bounded === '.' || bounded === '..' ? FALLBACK_FILENAME : bounded;
}
