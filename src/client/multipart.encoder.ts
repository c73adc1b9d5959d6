import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { toReadable } from './upload.source.js';

/** The one file part of an upload. */
export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  /** Byte length when known, so the body gets a Content-Length. */
  size?: number;
  content: () => AsyncIterable<Uint8Array>;
}

/** A multipart/form-data body (RFC 7578) that is produced as it is sent, never held in memory. */
export interface MultipartBody {
  contentType: string;
  /** Undefined when the file's size is unknown (the body goes chunked). */
  contentLength?: number;
  /** A fresh stream of the whole body; each call reads the file again. */
  stream(): Readable;
}

/**
 * Encodes text fields (sent first, so a server reading parts in order has them before the
 * file) and one file part. Names are escaped as browsers do (`"` CR LF percent-encoded);
 * non-ASCII file names go as UTF-8, which the server's multipart parser reads.
 */
export function encodeMultipart(fields: ReadonlyArray<[string, string]>, file: MultipartFile): MultipartBody {
  if (/[\r\n]/.test(file.contentType)) throw new TypeError('contentType must not contain line breaks');
  const boundary = `----DataApiClient${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.filename)}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: file.size === undefined ? undefined : head.length + file.size + tail.length,
    stream: () => toReadable(parts(head, file.content(), tail)),
  };
}

async function* parts(head: Buffer, content: AsyncIterable<Uint8Array>, tail: Buffer): AsyncGenerator<Uint8Array> {
  yield head;
  yield* content;
  yield tail;
}

/** WHATWG's multipart/form-data escaping of names and file names. */
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
