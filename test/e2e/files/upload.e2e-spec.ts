import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testBackends } from '../../setup/backends.js';
import {
  authHeaders,
  diskEntries,
  expectError,
  filePart,
  multipart,
  SAMPLES,
  sha256,
  uniqueSub,
  useFilesSuite,
} from './files-api.helper.js';

const LIMIT = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(testBackends())('POST /api/files (%s)', (backend) => {
  const suite = useFilesSuite(backend, { files: { uploadMaxBytes: LIMIT } });

  /** A refused upload: the status and code, no row for the caller, nothing new on disk. */
  async function expectRefused(parts: Parameters<typeof suite.api.upload>[1], status: number, code: string) {
    const caller = { sub: uniqueSub() };
    const before = await diskEntries(suite.uploadDir);
    const res = await suite.api.upload(caller, parts);
    expectError(res, status, code);
    expect(await suite.api.count(caller)).toBe(0);
    expect(await diskEntries(suite.uploadDir)).toEqual(before);
    return res;
  }

  describe('accepted uploads', () => {
    it('answers 201 with the metadata, Location and ETag, and stores the bytes under the id', async () => {
      const caller = { sub: uniqueSub() };
      const res = await suite.api.upload(caller, [filePart(SAMPLES.pdf, 'application/pdf', 'report.pdf'), { name: 'description', data: 'Q3 report' }]);
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ status: 'success', requestId: res.headers['x-request-id'] });
      expect(body.data).toEqual({
        id: expect.stringMatching(UUID),
        filename: 'report.pdf',
        contentType: 'application/pdf',
        size: SAMPLES.pdf.length,
        sha256: sha256(SAMPLES.pdf),
        description: 'Q3 report',
        owner: caller.sub,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
      expect(res.headers.location).toBe(`/api/files/${body.data.id}`);
      expect(res.headers.etag).toBe(`"${sha256(SAMPLES.pdf)}"`);
      expect(await readFile(join(suite.uploadDir, body.data.id))).toEqual(SAMPLES.pdf);
      expect((await diskEntries(suite.uploadDir)).filter((name) => name.startsWith('.'))).toEqual([]);
    });

    it('takes the body Python requests sends for files={"document": ("report.pdf", fh, "application/pdf")}', async () => {
      // requests (urllib3's encode_multipart_formdata): a 32-hex boundary, the file part with
      // name and filename, then its Content-Type, and no trailing headers.
      const boundary = 'd1b5c2e0a4f34b3f9a8e7c6d5b4a3f21';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="report.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        SAMPLES.pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const caller = { sub: uniqueSub() };
      const res = await suite.api.uploadRaw(caller, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf', description: null, size: SAMPLES.pdf.length });
    });

    it.each(Object.entries({
      'image/png': SAMPLES.png,
      'image/jpeg': SAMPLES.jpeg,
      'image/gif': SAMPLES.gif,
      'image/webp': SAMPLES.webp,
      'application/zip': SAMPLES.zip,
      'text/csv': SAMPLES.csv,
      'application/json': SAMPLES.json,
    }))('accepts %s whose bytes match', async (type, data) => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart(data, type, 'sample')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toMatchObject({ contentType: type, sha256: sha256(data) });
    });

    it('normalizes the declared type: lower case, parameters dropped', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart('a,b\n', 'Text/CSV; charset=utf-8', 'x.csv')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.contentType).toBe('text/csv');
    });

    it('stores a 0-byte file', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart('', 'text/plain', 'empty.txt')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toMatchObject({ size: 0, sha256: sha256('') });
    });

    it('stores a file of exactly UPLOAD_MAX_BYTES', async () => {
      const data = Buffer.alloc(LIMIT, 'a');
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart(data, 'text/plain', 'limit.txt')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toMatchObject({ size: LIMIT, sha256: sha256(data) });
    });

    it('keeps only the basename of a traversal filename, and writes nothing outside UPLOAD_DIR', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart('x', 'text/plain', '../../x')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.filename).toBe('x');
      expect(await diskEntries(join(suite.uploadDir, '..'))).not.toContain('x');
      expect(await diskEntries(suite.uploadDir)).toContain(res.json().data.id);
    });

    it('drops control and bidi characters from the filename and keeps Unicode', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart('x', 'text/plain', 'Zoë\u202Etxt.exe\u0007 報告.txt')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.filename).toBe('Zoëtxt.exe 報告.txt');
    });

    it('names a file without a filename "file"', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [{ name: 'file', filename: '', contentType: 'text/plain', data: 'x' }]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.filename).toBe('file');
    });

    it('accepts the description before the file, and Unicode in it', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [{ name: 'description', data: 'Zoë 😀' }, filePart('x')]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.description).toBe('Zoë 😀');
    });
  });

  describe('refused uploads leave no row and no file', () => {
    it('one byte over UPLOAD_MAX_BYTES: 413 PAYLOAD_TOO_LARGE', async () => {
      await expectRefused([filePart(Buffer.alloc(LIMIT + 1, 'a'), 'text/plain', 'big.txt')], 413, 'PAYLOAD_TOO_LARGE');
    });

    it('far over the limit: 413 PAYLOAD_TOO_LARGE', async () => {
      await expectRefused([filePart(Buffer.alloc(LIMIT * 8, 'a'), 'text/plain', 'big.txt')], 413, 'PAYLOAD_TOO_LARGE');
    });

    it('an executable labelled image/png: 415', async () => {
      await expectRefused([filePart(SAMPLES.exe, 'image/png', 'cat.png')], 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it.each([
      ['a PNG labelled application/pdf', SAMPLES.png, 'application/pdf'],
      ['text labelled image/jpeg', Buffer.from('hello'), 'image/jpeg'],
      ['an empty image/png', Buffer.alloc(0), 'image/png'],
      ['an executable labelled text/plain', SAMPLES.exe, 'text/plain'],
      ['invalid UTF-8 labelled text/csv', Buffer.from('a,b\n\xff\xfe\n', 'latin1'), 'text/csv'],
      ['UTF-8 cut mid-character labelled application/json', Buffer.from('"\xe2\x82', 'latin1'), 'application/json'],
    ])('wrong magic number or encoding (%s): 415', async (_name, data, type) => {
      await expectRefused([filePart(data, type, 'f')], 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it.each(['application/x-msdownload', 'text/html', 'image/svg+xml', 'application/octet-stream'])(
      'a declared type outside UPLOAD_ALLOWED_TYPES (%s): 415',
      async (type) => {
        const res = await expectRefused([filePart('data', type, 'f')], 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(res.json().error.message).toContain(type);
      },
    );

    it('no file part: 400 VALIDATION_FAILED naming "file"', async () => {
      const res = await expectRefused([{ name: 'description', data: 'no file' }], 400, 'VALIDATION_FAILED');
      expect(res.json().error.details).toEqual([{ field: 'file', messages: [expect.any(String)] }]);
    });

    it('an empty multipart body: 400 VALIDATION_FAILED', async () => {
      const caller = { sub: uniqueSub() };
      expectError(await suite.api.uploadRaw(caller, '', { 'content-type': 'multipart/form-data; boundary=x' }), 400, 'VALIDATION_FAILED');
      expectError(await suite.api.uploadRaw(caller, '--x--\r\n', { 'content-type': 'multipart/form-data; boundary=x' }), 400, 'VALIDATION_FAILED');
    });

    it('a field other than description: 400 VALIDATION_FAILED', async () => {
      const res = await expectRefused([filePart('x'), { name: 'owner', data: 'mallory' }], 400, 'VALIDATION_FAILED');
      expect(res.json().error.details).toEqual([{ field: 'owner', messages: [expect.any(String)] }]);
    });

    it.each([
      ['1025 characters', 'x'.repeat(1025)],
      ['a NUL', 'a\u0000b'],
      ['far over the field size', 'x'.repeat(100_000)],
    ])('a description with %s: 400 VALIDATION_FAILED', async (_name, description) => {
      const res = await expectRefused([filePart('x'), { name: 'description', data: description }], 400, 'VALIDATION_FAILED');
      expect(res.json().error.details).toEqual([{ field: 'description', messages: [expect.any(String)] }]);
    });

    it('accepts a description of exactly 1024 characters', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart('x'), { name: 'description', data: 'é'.repeat(1024) }]);
      expect(res.statusCode).toBe(201);
    });

    it('two descriptions: 400 VALIDATION_FAILED', async () => {
      await expectRefused([filePart('x'), { name: 'description', data: 'a' }, { name: 'description', data: 'b' }], 400, 'VALIDATION_FAILED');
    });

    it('two file parts: 413 PAYLOAD_TOO_LARGE', async () => {
      await expectRefused([filePart('one'), filePart('two')], 413, 'PAYLOAD_TOO_LARGE');
    });

    it('more fields than allowed: 413 PAYLOAD_TOO_LARGE', async () => {
      await expectRefused(
        [{ name: 'description', data: 'a' }, { name: 'description', data: 'b' }, { name: 'description', data: 'c' }, filePart('x')],
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it.each<[string, Record<string, string>, string]>([
      ['application/json', { 'content-type': 'application/json' }, '{"file":"x"}'],
      ['no content type', {}, ''],
      ['application/octet-stream', { 'content-type': 'application/octet-stream' }, 'bytes'],
      ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, 'file=x'],
      ['text/plain', { 'content-type': 'text/plain' }, 'x'],
    ])('a body that is not multipart (%s): 415 UNSUPPORTED_MEDIA_TYPE', async (_name, headers, payload) => {
      const caller = { sub: uniqueSub() };
      expectError(await suite.api.uploadRaw(caller, payload, headers), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await suite.api.count(caller)).toBe(0);
    });

    it('multipart bodies stay refused on routes that take JSON: 415', async () => {
      const { payload, contentType } = multipart([{ name: 'key', data: 'a' }]);
      const res = await suite.app.inject({
        method: 'POST',
        url: '/api/data',
        headers: { ...authHeaders({ sub: uniqueSub() }), 'content-type': contentType },
        payload,
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('authorization', () => {
    it('data:read cannot upload: 403 FORBIDDEN, nothing stored', async () => {
      const before = await diskEntries(suite.uploadDir);
      const reader = { sub: uniqueSub(), scope: 'data:read' };
      expectError(await suite.api.upload(reader, [filePart('x')]), 403, 'FORBIDDEN');
      expect(await suite.api.count(reader)).toBe(0);
      expect(await diskEntries(suite.uploadDir)).toEqual(before);
    });

    it('without a token: 401 UNAUTHORIZED', async () => {
      const { payload, contentType } = multipart([filePart('x')]);
      const res = await suite.app.inject({ method: 'POST', url: '/api/files', headers: { 'content-type': contentType }, payload });
      expectError(res, 401, 'UNAUTHORIZED');
    });
  });

  describe('Idempotency-Key', () => {
    it('a retry replays the first response and stores no second file', async () => {
      const caller = { sub: uniqueSub() };
      const key = `upload-${uniqueSub()}`;
      const first = await suite.api.upload(caller, [filePart('first')], { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      const filesOnDisk = await diskEntries(suite.uploadDir);

      const retry = await suite.api.upload(caller, [filePart('first')], { 'idempotency-key': key });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toBe(first.body);
      expect(retry.headers.location).toBe(first.headers.location);

      // The fingerprint has no body for multipart: another file with the key replays the first.
      const other = await suite.api.upload(caller, [filePart('a different file')], { 'idempotency-key': key });
      expect(other.statusCode).toBe(201);
      expect(other.json().data.id).toBe(first.json().data.id);

      expect(await suite.api.count(caller)).toBe(1);
      expect(await diskEntries(suite.uploadDir)).toEqual(filesOnDisk);
    });
  });
});
