import { PassThrough, type Readable } from 'node:stream';
import { header, type HttpResponse } from './http.transport.js';
import { toTransportError } from './transport-failure.js';

/** A byte range of a download: `{ start, end? }` (inclusive, end open when absent) or the last `suffix` bytes. */
export type ByteRange = { start: number; end?: number } | { suffix: number };

/** What the response said about a downloaded file. */
export interface DownloadInfo {
  /** 206 for a range the server honoured, 200 for the whole file. */
  status: number;
  contentType?: string;
  contentLength?: number;
  /** `bytes a-b/size` on a 206. */
  contentRange?: string;
  /** The file's ETag (its quoted SHA-256). */
  etag?: string;
  /** The stored file name from `Content-Disposition` (the UTF-8 `filename*` when present). */
  filename?: string;
}

/** The file's bytes as a stream, with the response's metadata in `info`. */
export type FileDownload = Readable & { readonly info: DownloadInfo };

/** The `Range` header value for `range`. */
export function rangeHeader(range: ByteRange): string {
  const check = (n: number | undefined) => {
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) throw new RangeError(`Byte positions must be integers ≥ 0, got ${n}`);
  };
  if ('suffix' in range) {
    check(range.suffix);
    return `bytes=-${range.suffix}`;
  }
  check(range.start);
  check(range.end);
  if (range.end !== undefined && range.end < range.start) throw new RangeError('range.end must not be before range.start');
  return `bytes=${range.start}-${range.end ?? ''}`;
}

/**
 * Wraps a download response: failures of the body (reset, body timeout) surface as the
 * client's ConnectionError/TimeoutError, and destroying the stream releases the connection.
 */
export function toFileDownload(response: HttpResponse, requestId?: string): FileDownload {
  const out = new PassThrough();
  const { body } = response;
  body.on('error', (error) => out.destroy(toTransportError(error, requestId) ?? error));
  out.on('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(out);
  const length = header(response.headers, 'content-length');
  const info: DownloadInfo = {
    status: response.status,
    contentType: header(response.headers, 'content-type'),
    contentLength: length === undefined ? undefined : Number(length),
    contentRange: header(response.headers, 'content-range'),
    etag: header(response.headers, 'etag'),
    filename: dispositionFilename(header(response.headers, 'content-disposition')),
  };
  return Object.assign(out, { info });
}

/** The file name of a Content-Disposition header (RFC 6266), preferring the RFC 8187 `filename*`. */
export function dispositionFilename(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(value);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // A malformed encoding falls back to the plain parameter.
    }
  }
  return /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(value)?.[1].replace(/\\(.)/g, '$1') ?? /filename\s*=\s*([^;\s]+)/i.exec(value)?.[1];
}
