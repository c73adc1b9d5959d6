import { fileTypeFromBuffer } from 'file-type';

/** Leading bytes kept for sniffing: what file-type needs to recognise nearly every format. */
export const SNIFF_BYTES = 4100;

const startsWithAny =
  (...prefixes: string[]) =>
  (head: Buffer) =>
    prefixes.some((prefix) => head.subarray(0, prefix.length).equals(Buffer.from(prefix, 'latin1')));

/**
 * Magic numbers of the types that have one. Checked directly rather than through file-type,
 * which names zip-based formats (docx, jar, epub) by what they contain: a docx is a zip.
 */
const SIGNATURES: Record<string, (head: Buffer) => boolean> = {
  'application/pdf': startsWithAny('%PDF-'),
  'image/png': startsWithAny('\x89PNG\r\n\x1a\n'),
  'image/jpeg': startsWithAny('\xff\xd8\xff'),
  'image/gif': startsWithAny('GIF87a', 'GIF89a'),
  'image/webp': (head) => startsWithAny('RIFF')(head) && head.subarray(8, 12).toString('latin1') === 'WEBP',
  // Local file header, or the end-of-directory record alone (an empty archive), or a spanned one.
  'application/zip': startsWithAny('PK\x03\x04', 'PK\x05\x06', 'PK\x07\x08'),
};

// What file-type may recognise in text (XML, SVG) without it being binary.
const TEXTUAL_DETECTION = /^text\/|[/+](xml|json)$/;

/** Types whose content is UTF-8 text: plain text, CSV, JSON and their relatives. */
export function isTextType(type: string): boolean {
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json');
}

/**
 * Why the first bytes of a file (up to SNIFF_BYTES) do not fit its declared type, or
 * undefined when they do:
 * - types with a magic number (pdf, png, jpeg, gif, webp, zip) must start with it, so an
 *   empty file is not one of them;
 * - text types must not be recognised as a binary format (UTF-8 validity is checked while
 *   streaming, see Utf8Check);
 * - any other allowed type must not be recognised as a different one.
 */
export async function contentMismatch(declared: string, head: Buffer): Promise<string | undefined> {
  const signature = SIGNATURES[declared];
  if (signature) return signature(head) ? undefined : `the file content is not ${declared}`;
  const detected = (await fileTypeFromBuffer(head))?.mime;
  if (detected === undefined) return undefined;
  if (isTextType(declared)) return TEXTUAL_DETECTION.test(detected) ? undefined : `the file content is ${detected}, not text`;
  return detected === declared ? undefined : `the file content is ${detected}, not ${declared}`;
}

/** Validates UTF-8 chunk by chunk: a sequence split between chunks is fine, a broken one is not. */
export class Utf8Check {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private valid = true;

  /** False once the bytes so far cannot be UTF-8. */
  push(chunk: Uint8Array): boolean {
    if (!this.valid) return false;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
    return this.valid;
  }

  /** Whether the whole input was UTF-8 (a sequence cut off at the end is not). */
  end(): boolean {
    if (!this.valid) return false;
    try {
      this.decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}
