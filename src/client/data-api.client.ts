import type { Readable } from 'node:stream';
import type { DataRecord, ExportQuery, FileMeta, HealthReport, ListFilesQuery, ListRecordsQuery, Page, PageInfo, RecordBody } from './api.types.js';
import { createApiError } from './client.errors.js';
import { type DataApiClientOptions, resolveClientOptions } from './client.options.js';
import { type ByteRange, type FileDownload, rangeHeader, toFileDownload } from './file.download.js';
import { type CallOptions, HttpTransport, type HttpResponse, newIdempotencyKey, readText } from './http.transport.js';
import { encodeMultipart } from './multipart.encoder.js';
import { readNdjson } from './ndjson.reader.js';
import { toTransportError } from './transport-failure.js';
import { guessContentType, prepareSource, type UploadSource } from './upload.source.js';

/** Options of a create: the `Idempotency-Key` to use instead of a generated one. */
export interface CreateOptions extends CallOptions {
  idempotencyKey?: string;
}

/** Options of a replace: `ifMatch` is an ETag (`"3"`) or a record version (3). */
export interface UpdateOptions extends CallOptions {
  ifMatch?: string | number;
}

/** Options of an upload. */
export interface UploadOptions extends CallOptions {
  /** Default: the path's base name, else `file`. */
  filename?: string;
  /** Default: guessed from the file name's extension, else `application/octet-stream`. */
  contentType?: string;
  description?: string;
  idempotencyKey?: string;
}

/** Options of a download. */
export interface DownloadOptions extends CallOptions {
  range?: ByteRange;
}

/** A health probe's answer; `ok` is false when readiness answered 503. */
export interface HealthResult {
  ok: boolean;
  status: number;
  report: HealthReport;
}

interface SuccessEnvelope<T> {
  data: T;
  page?: PageInfo;
}

/**
 * A typed client for the data API over one keep-alive connection pool. Every method retries
 * what is safe to retry (see the README, "Calling the API"), resolves to the envelope's `data`
 * and throws an `ApiError` subclass, `TimeoutError` or `ConnectionError`. Call `close()` when done.
 */
export class DataApiClient {
  private readonly transport: HttpTransport;

  constructor(options: DataApiClientOptions) {
    this.transport = new HttpTransport(resolveClientOptions(options));
  }

  /** `POST /api/data`, always with an Idempotency-Key, so a retry never creates a second record. */
  createRecord(body: RecordBody, options: CreateOptions = {}): Promise<DataRecord> {
    const { idempotencyKey = newIdempotencyKey(), ...call } = options;
    return this.json<DataRecord>({ method: 'POST', path: '/api/data', body: JSON.stringify(body), idempotencyKey, call }).then(dataOf);
  }

  /** `GET /api/data/{id}`. */
  getRecord(id: string, call: CallOptions = {}): Promise<DataRecord> {
    return this.json<DataRecord>({ method: 'GET', path: `/api/data/${encodeURIComponent(id)}`, call }).then(dataOf);
  }

  /** `GET /api/data`: one page, newest first. */
  listRecords(query: ListRecordsQuery = {}, call: CallOptions = {}): Promise<Page<DataRecord>> {
    return this.json<DataRecord[]>({ method: 'GET', path: `/api/data${queryString(query)}`, call }).then(pageOf);
  }

  /** Every record matching `query`, following `nextCursor` page by page. */
  async *iterateRecords(query: ListRecordsQuery = {}, call: CallOptions = {}): AsyncGenerator<DataRecord> {
    yield* this.iteratePages((cursor) => this.listRecords({ ...query, cursor }, call), query.cursor);
  }

  /** `PUT /api/data/{id}`: replaces the record; `ifMatch` turns a lost update into a 412. */
  updateRecord(id: string, body: RecordBody, options: UpdateOptions = {}): Promise<DataRecord> {
    const { ifMatch, ...call } = options;
    const headers = ifMatch === undefined ? undefined : { 'if-match': typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch };
    return this.json<DataRecord>({ method: 'PUT', path: `/api/data/${encodeURIComponent(id)}`, headers, body: JSON.stringify(body), call }).then(dataOf);
  }

  /** `DELETE /api/data/{id}`. */
  async deleteRecord(id: string, call: CallOptions = {}): Promise<void> {
    await this.json({ method: 'DELETE', path: `/api/data/${encodeURIComponent(id)}`, call });
  }

  /**
   * `GET /api/data/export`, oldest first, parsed line by line as it arrives (constant memory).
   * Only the request is retried: a stream cut off later throws ConnectionError/TimeoutError.
   * Breaking out of the loop closes the response.
   */
  async *exportRecords(query: ExportQuery = {}, call: CallOptions = {}): AsyncGenerator<DataRecord> {
    const since = query.since instanceof Date ? query.since.toISOString() : query.since;
    const path = `/api/data/export${queryString({ key: query.key, since })}`;
    const body = await this.transport.send({ method: 'GET', path, headers: { accept: 'application/x-ndjson' }, call }, async (r) => r.body);
    try {
      yield* readNdjson<DataRecord>(typedChunks(body, call.requestId));
    } finally {
      body.destroy();
    }
  }

  /**
   * `POST /api/files` as multipart/form-data, streamed from `source`. A path or bytes are
   * retried like any POST (same Idempotency-Key); a stream is sent exactly once.
   */
  async uploadFile(source: UploadSource, options: UploadOptions = {}): Promise<FileMeta> {
    const { filename, contentType, description, idempotencyKey = newIdempotencyKey(), ...call } = options;
    const prepared = await prepareSource(source);
    const name = filename ?? prepared.name ?? 'file';
    const form = encodeMultipart(description === undefined ? [] : [['description', description]], {
      field: 'file',
      filename: name,
      contentType: contentType ?? guessContentType(name),
      size: prepared.size,
      content: () => prepared.open(),
    });
    const headers: Record<string, string> = { 'content-type': form.contentType };
    if (form.contentLength !== undefined) headers['content-length'] = String(form.contentLength);
    const response = await this.json<FileMeta>({ method: 'POST', path: '/api/files', headers, body: () => form.stream(), replayable: prepared.replayable, idempotencyKey, call });
    return response.data;
  }

  /** `GET /api/files/{id}`: the bytes as a stream (destroy it to stop early), optionally one range. */
  downloadFile(id: string, options: DownloadOptions = {}): Promise<FileDownload> {
    const { range, ...call } = options;
    const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'identity' };
    if (range) headers.range = rangeHeader(range);
    return this.transport.send({ method: 'GET', path: `/api/files/${encodeURIComponent(id)}`, headers, call }, async (r) => toFileDownload(r, call.requestId));
  }

  /** `GET /api/files`: one page of the caller's files' metadata, newest first. */
  listFiles(query: ListFilesQuery = {}, call: CallOptions = {}): Promise<Page<FileMeta>> {
    return this.json<FileMeta[]>({ method: 'GET', path: `/api/files${queryString(query)}`, call }).then(pageOf);
  }

  /** `GET /api/files/{id}/meta`. */
  getFileMeta(id: string, call: CallOptions = {}): Promise<FileMeta> {
    return this.json<FileMeta>({ method: 'GET', path: `/api/files/${encodeURIComponent(id)}/meta`, call }).then(dataOf);
  }

  /** `DELETE /api/files/{id}`. */
  async deleteFile(id: string, call: CallOptions = {}): Promise<void> {
    await this.json({ method: 'DELETE', path: `/api/files/${encodeURIComponent(id)}`, call });
  }

  /** `GET /health/ready` (or `/health/live`): public, no token; a 503 is an answer, not an error. */
  health(options: CallOptions & { probe?: 'live' | 'ready' } = {}): Promise<HealthResult> {
    const { probe = 'ready', ...call } = options;
    return this.transport.send(
      { method: 'GET', path: `/health/${probe}`, authenticated: false, call },
      async (r) => ({ ok: r.status < 400, status: r.status, report: JSON.parse(await readText(r.body)) as HealthReport }),
      (status) => status < 400 || status === 503,
    );
  }

  /** Closes the connection pool once requests in flight are done. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private json<T>(spec: Parameters<HttpTransport['send']>[0]): Promise<SuccessEnvelope<T>> {
    const headers = typeof spec.body === 'string' ? { 'content-type': 'application/json', ...spec.headers } : spec.headers;
    return this.transport.send({ ...spec, headers }, readEnvelope<T>);
  }

  private async *iteratePages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, first: string | undefined): AsyncGenerator<T> {
    let cursor = first;
    do {
      const page = await fetchPage(cursor);
      yield* page.data;
      cursor = page.page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
}

/** The success envelope of a JSON response (204: none). */
async function readEnvelope<T>(response: HttpResponse): Promise<SuccessEnvelope<T>> {
  const text = await readText(response.body);
  if (response.status === 204 || text === '') return { data: undefined as T };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('data' in parsed)) {
    throw createApiError({ status: response.status, code: 'INVALID_RESPONSE', message: `Expected a JSON envelope, got: ${text.slice(0, 200)}` });
  }
  return parsed as SuccessEnvelope<T>;
}

const dataOf = <T>(envelope: SuccessEnvelope<T>): T => envelope.data;

function pageOf<T>(envelope: SuccessEnvelope<T[]>): Page<T> {
  return { data: envelope.data, page: envelope.page ?? { limit: envelope.data.length, nextCursor: null } };
}

/** `?a=1&b=2` of the defined values, or an empty string. */
function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query) as [string, unknown][]) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The body's chunks with undici's failures turned into the client's transport errors. */
async function* typedChunks(body: Readable, requestId?: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    throw toTransportError(error, requestId) ?? error;
  }
}
