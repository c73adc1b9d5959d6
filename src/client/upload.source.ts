import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';

/** What `uploadFile` sends: a file path, bytes in memory, or a stream (sent once, never retried). */
export type UploadSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** An upload source made ready to send. */
export interface PreparedSource {
  /** Whether `open()` can be called again for a retry. */
  replayable: boolean;
  /** Byte length when known up front (path and bytes), for a Content-Length. */
  size?: number;
  /** The file name a path suggests. */
  name?: string;
  /** The bytes, from the start. */
  open(): AsyncIterable<Uint8Array>;
}

/**
 * Normalises an upload source. A path is checked now (a missing file fails before any request)
 * and re-opened for each attempt; a stream can be read only once.
 */
export async function prepareSource(source: UploadSource): Promise<PreparedSource> {
  if (typeof source === 'string') {
    const info = await stat(source);
    if (!info.isFile()) throw new TypeError(`Not a regular file: ${source}`);
    return { replayable: true, size: info.size, name: basename(source), open: () => createReadStream(source) };
  }
  if (source instanceof Uint8Array) {
    return { replayable: true, size: source.byteLength, open: () => bytesOnce(source) };
  }
  return { replayable: false, open: once(source) };
}

async function* bytesOnce(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function once(stream: AsyncIterable<Uint8Array> | Readable): () => AsyncIterable<Uint8Array> {
  let opened = false;
  return () => {
    if (opened) throw new TypeError('A stream upload source can be sent only once');
    opened = true;
    return stream;
  };
}

/** Content types guessed from a file name's extension when the caller gives none. */
const TYPE_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.zip': 'application/zip',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
};

/** The content type for `filename`, `application/octet-stream` when the extension says nothing. */
export function guessContentType(filename: string): string {
  return TYPE_BY_EXTENSION[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

/** `Readable.from` over bytes, so undici streams them instead of buffering. */
export const toReadable = (chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Readable => Readable.from(chunks, { objectMode: false });
