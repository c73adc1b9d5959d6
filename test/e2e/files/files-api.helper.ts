import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { LightMyRequestResponse } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer } from '../../helpers/tokens.js';
import type { TestBackend } from '../../setup/backends.js';
import { type AppSuite, useAppSuite } from '../../setup/app-suite.js';
import type { TestAppOptions } from '../../setup/create-test-app.js';
import type { StoredFile } from '../../../src/modules/files/stored-file.js';

export type Response = LightMyRequestResponse;

export const READ_WRITE = 'data:read data:write';

/** One part of a multipart/form-data body, written exactly as given. */
export interface Part {
  name?: string;
  filename?: string;
  contentType?: string;
  data: string | Buffer;
  /** Replaces the generated Content-Disposition/Content-Type lines when set. */
  rawHeaders?: string;
}

/** A multipart/form-data body framed by hand (RFC 7578), as a browser, curl or requests would send it. */
export function multipart(parts: Part[], boundary = `----data-api-${randomUUID()}`): { payload: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data${part.name === undefined ? '' : `; name="${part.name}"`}` +
      (part.filename === undefined ? '' : `; filename="${part.filename}"`);
    const headers = part.rawHeaders ?? disposition + (part.contentType ? `\r\nContent-Type: ${part.contentType}` : '');
    chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A file part named `file`. */
export const filePart = (data: string | Buffer, contentType = 'text/plain', filename = 'notes.txt'): Part => ({
  name: 'file',
  filename,
  contentType,
  data,
});

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Bytes that start like a real file of each type (the rest does not matter to the check). */
export const SAMPLES = {
  pdf: Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n', 'latin1'),
  png: Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]),
  jpeg: Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(64, 1)]),
  gif: Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(32, 0)]),
  webp: Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ', 'latin1'), Buffer.alloc(32, 0)]),
  zip: Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18, 0)]),
  /** A Windows executable header (MZ … PE). */
  exe: Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(48, 0), Buffer.from('PE\0\0', 'latin1')]),
  csv: Buffer.from('id,name\n1,Zoë\n'),
  json: Buffer.from('{"a":[1,2,3]}'),
};

export interface Caller {
  sub: string;
  scope?: string;
}

export const authHeaders = (caller: Caller) => bearer({ sub: caller.sub, scope: caller.scope ?? READ_WRITE });

export function uniqueSub(label = 'user'): string {
  return `${label}-${randomUUID()}`;
}

/** Requests to /api/files for the e2e suites, each made as one caller. */
export class FilesApi {
  constructor(private readonly app: NestFastifyApplication) {}

  /** POST a multipart body built from `parts`. */
  upload(caller: Caller, parts: Part[], headers: Record<string, string> = {}): Promise<Response> {
    const { payload, contentType } = multipart(parts);
    return this.uploadRaw(caller, payload, { 'content-type': contentType, ...headers });
  }

  /** POST bytes exactly as given. */
  uploadRaw(caller: Caller, payload: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.inject({ method: 'POST', url: '/api/files', headers: { ...authHeaders(caller), ...headers }, payload });
  }

  /** Uploads and returns the metadata, failing the test unless the API answered 201. */
  async create(caller: Caller, parts: Part[] = [filePart('hello')]): Promise<StoredFile> {
    const res = await this.upload(caller, parts);
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status: 201, body: { status: 'success' } });
    return res.json().data as StoredFile;
  }

  download(caller: Caller, id: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
    return this.app.inject({ method, url: `/api/files/${id}`, headers: { ...authHeaders(caller), ...headers } });
  }

  meta(caller: Caller, id: string): Promise<Response> {
    return this.app.inject({ method: 'GET', url: `/api/files/${id}/meta`, headers: authHeaders(caller) });
  }

  list(caller: Caller, query = ''): Promise<Response> {
    return this.app.inject({ method: 'GET', url: query ? `/api/files?${query}` : '/api/files', headers: authHeaders(caller) });
  }

  delete(caller: Caller, id: string): Promise<Response> {
    return this.app.inject({ method: 'DELETE', url: `/api/files/${id}`, headers: authHeaders(caller) });
  }

  /** How many files the caller can list (a single page of 100 is enough for tests). */
  async count(caller: Caller): Promise<number> {
    const res = await this.list(caller, 'limit=100');
    expect(res.statusCode).toBe(200);
    return (res.json().data as unknown[]).length;
  }
}

/** Names in the upload directory: a rejected upload must leave none behind. */
export async function diskEntries(uploadDir: string): Promise<string[]> {
  return (await readdir(uploadDir)).sort();
}

/** Polls until `check` passes or `timeoutMs` ends, then asserts it once more (cleanup runs asynchronously). */
export async function eventually(check: () => Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export interface FilesSuite extends AppSuite<FilesApi> {
  readonly uploadDir: string;
}

/** The app and a FilesApi for the enclosing `describe` (see useAppSuite), plus its UPLOAD_DIR. */
export function useFilesSuite(backend: TestBackend, options: Omit<TestAppOptions, 'backend'> = {}): FilesSuite {
  const suite = useAppSuite(backend, options, (app) => new FilesApi(app));
  return Object.defineProperties(suite, { uploadDir: { get: () => suite.testApp.uploadDir } }) as FilesSuite;
}

/** An error envelope with this status and catalogue code. */
export function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status, body: { status: 'error', error: { code } } });
}
