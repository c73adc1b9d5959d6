import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { access } from 'node:fs/promises';
import { testBackends } from '../../setup/backends.js';
import { diskEntries, expectError, filePart, SAMPLES, sha256, uniqueSub, useFilesSuite } from './files-api.helper.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe.each(testBackends())('downloading and managing files (%s)', (backend) => {
  const suite = useFilesSuite(backend, { files: { uploadMaxBytes: 8 * 1024 * 1024 } });

  describe('GET /api/files/{id}', () => {
    it('streams a multi-MiB file byte for byte, with its headers and no envelope or compression', async () => {
      const caller = { sub: uniqueSub() };
      const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3 * 1024 * 1024 + 123)]);
      const file = await suite.api.create(caller, [filePart(data, 'application/pdf', 'big.pdf')]);

      const res = await suite.api.download(caller, file.id, { 'accept-encoding': 'br, gzip' });
      expect(res.statusCode).toBe(200);
      expect(sha256(res.rawPayload)).toBe(sha256(data));
      expect(res.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(data.length),
        etag: `"${sha256(data)}"`,
        'content-disposition': `attachment; filename="big.pdf"; filename*=UTF-8''big.pdf`,
        'accept-ranges': 'bytes',
        'x-content-type-options': 'nosniff',
      });
      expect(res.headers['content-encoding']).toBeUndefined();
    });

    it('never compresses a text file, so Content-Length stays the stored size', async () => {
      const caller = { sub: uniqueSub() };
      const data = 'compressible text\n'.repeat(1000);
      const file = await suite.api.create(caller, [filePart(data, 'text/plain', 'a.txt')]);
      const res = await suite.api.download(caller, file.id, { 'accept-encoding': 'gzip, br' });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-length']).toBe(String(data.length));
      expect(res.body).toBe(data);
    });

    it('round-trips a UTF-8 filename through Content-Disposition (RFC 6266 filename*)', async () => {
      const caller = { sub: uniqueSub() };
      const name = 'Zoë "quoted" \\ 報告書 😀.txt';
      const file = await suite.api.create(caller, [filePart('x', 'text/plain', name.replace(/["\\]/g, (c) => encodeURIComponent(c)))]);
      // Quotes and backslashes cannot travel raw in a multipart filename; the rest does.
      expect(file.filename).toBe(name.replace('"quoted"', '%22quoted%22').replace('\\', '%5C'));
      const res = await suite.api.download(caller, file.id);
      const disposition = res.headers['content-disposition'] as string;
      const encoded = /filename\*=UTF-8''([^;]+)$/.exec(disposition)![1];
      expect(decodeURIComponent(encoded)).toBe(file.filename);
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]*"; /);
      expect(/filename="([^"]*)"/.exec(disposition)![1]).not.toMatch(/[\\%]/);
    });

    it('downloads a 0-byte file as 200 with Content-Length 0; a Range on it is a 416', async () => {
      const caller = { sub: uniqueSub() };
      const file = await suite.api.create(caller, [filePart('', 'text/plain', 'empty.txt')]);
      const res = await suite.api.download(caller, file.id);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-length']).toBe('0');
      expect(res.rawPayload.length).toBe(0);
      const ranged = await suite.api.download(caller, file.id, { range: 'bytes=0-' });
      expectError(ranged, 416, 'RANGE_NOT_SATISFIABLE');
      expect(ranged.headers['content-range']).toBe('bytes */0');
    });

    it('answers HEAD with the headers and no bytes', async () => {
      const caller = { sub: uniqueSub() };
      const file = await suite.api.create(caller, [filePart(SAMPLES.png, 'image/png', 'a.png')]);
      const res = await suite.api.download(caller, file.id, {}, 'HEAD');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-length']).toBe(String(SAMPLES.png.length));
      expect(res.headers.etag).toBe(`"${file.sha256}"`);
      expect(res.rawPayload.length).toBe(0);
    });

    it('HEAD still needs a token', async () => {
      const res = await suite.app.inject({ method: 'HEAD', url: `/api/files/${UNKNOWN_ID}` });
      expect(res.statusCode).toBe(401);
    });

    describe('Range', () => {
      const data = Buffer.from('0123456789abcdefghij');
      const caller = { sub: uniqueSub() };
      let id: string;
      beforeAll(async () => {
        id = (await suite.api.create(caller, [filePart(data, 'text/plain', 'r.txt')])).id;
      });

      it.each([
        ['bytes=0-4', '01234', 'bytes 0-4/20'],
        ['bytes=15-', 'fghij', 'bytes 15-19/20'],
        ['bytes=-3', 'hij', 'bytes 17-19/20'],
        ['bytes=18-1000', 'ij', 'bytes 18-19/20'],
        ['bytes=-100', data.toString(), 'bytes 0-19/20'],
      ])('%s: 206 with Content-Range', async (range, body, contentRange) => {
        const res = await suite.api.download(caller, id, { range, 'accept-encoding': 'gzip' });
        expect(res.statusCode).toBe(206);
        expect(res.body).toBe(body);
        expect(res.headers['content-range']).toBe(contentRange);
        expect(res.headers['content-length']).toBe(String(body.length));
        expect(res.headers['content-encoding']).toBeUndefined();
      });

      it.each(['bytes=20-', 'bytes=100-200', 'bytes=-0'])('%s: 416 RANGE_NOT_SATISFIABLE with bytes */size', async (range) => {
        const res = await suite.api.download(caller, id, { range });
        expectError(res, 416, 'RANGE_NOT_SATISFIABLE');
        expect(res.headers['content-range']).toBe('bytes */20');
      });

      it.each(['bytes=0-1,5-6', 'bytes=5-1', 'bytes=x-y', 'items=0-1', 'bytes 0-1'])('%s is ignored: 200 with every byte', async (range) => {
        const res = await suite.api.download(caller, id, { range });
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe(data.toString());
        expect(res.headers['content-range']).toBeUndefined();
      });

      it('If-Range with the current ETag honours the Range; another tag gets the whole file', async () => {
        const etag = `"${sha256(data)}"`;
        const hit = await suite.api.download(caller, id, { range: 'bytes=0-1', 'if-range': etag });
        expect([hit.statusCode, hit.body]).toEqual([206, '01']);
        const miss = await suite.api.download(caller, id, { range: 'bytes=0-1', 'if-range': '"stale"' });
        expect([miss.statusCode, miss.body]).toEqual([200, data.toString()]);
      });
    });

    it('If-None-Match with the ETag: 304, no body', async () => {
      const caller = { sub: uniqueSub() };
      const file = await suite.api.create(caller, [filePart('cached', 'text/plain')]);
      const etag = `"${file.sha256}"`;
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const res = await suite.api.download(caller, file.id, { 'if-none-match': header });
        expect(res.statusCode).toBe(304);
        expect(res.rawPayload.length).toBe(0);
        expect(res.headers.etag).toBe(etag);
      }
      expect((await suite.api.download(caller, file.id, { 'if-none-match': '"other"' })).statusCode).toBe(200);
    });

    it.each([UNKNOWN_ID, 'not-a-uuid', '..%2F..%2Fetc%2Fpasswd'])('%s: 404 NOT_FOUND', async (id) => {
      expectError(await suite.api.download({ sub: uniqueSub() }, id), 404, 'NOT_FOUND');
      expectError(await suite.api.meta({ sub: uniqueSub() }, id), 404, 'NOT_FOUND');
    });
  });

  describe('GET /api/files and /api/files/{id}/meta', () => {
    it("lists the caller's files newest first, cursor-paginated and enveloped", async () => {
      const caller = { sub: uniqueSub() };
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await suite.api.create(caller, [filePart(`file ${i}`, 'text/plain', `${i}.txt`)]));
      await suite.api.create({ sub: uniqueSub() }, [filePart('someone else')]);

      const first = await suite.api.list(caller, 'limit=2');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ status: 'success', page: { limit: 2, nextCursor: expect.any(String) } });
      const ids: string[] = first.json().data.map((file: { id: string }) => file.id);
      let cursor: string | null = first.json().page.nextCursor;
      while (cursor) {
        const page = await suite.api.list(caller, `limit=2&cursor=${cursor}`);
        ids.push(...page.json().data.map((file: { id: string }) => file.id));
        cursor = page.json().page.nextCursor;
      }
      expect(ids).toEqual(created.map((file) => file.id).reverse());
      expect((await suite.api.list(caller)).json().data[0]).toEqual(created[4]);
    });

    it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=%%%', `cursor=${Buffer.from('r1:1').toString('base64url')}`, 'other=1'])(
      '%s: 400 VALIDATION_FAILED',
      async (query) => {
        expectError(await suite.api.list({ sub: uniqueSub() }, query), 400, 'VALIDATION_FAILED');
      },
    );

    it("returns one file's metadata, enveloped", async () => {
      const caller = { sub: uniqueSub() };
      const file = await suite.api.create(caller, [filePart('meta', 'text/plain', 'm.txt'), { name: 'description', data: 'about m' }]);
      const res = await suite.api.meta(caller, file.id);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'success', data: file });
    });
  });

  describe('DELETE /api/files/{id}', () => {
    it('answers 204 and removes the row and the bytes', async () => {
      const caller = { sub: uniqueSub() };
      const file = await suite.api.create(caller, [filePart('delete me')]);
      const res = await suite.api.delete(caller, file.id);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      await expect(access(join(suite.uploadDir, file.id))).rejects.toThrow();
      expect(await diskEntries(suite.uploadDir)).not.toContain(file.id);
      expectError(await suite.api.download(caller, file.id), 404, 'NOT_FOUND');
      expectError(await suite.api.delete(caller, file.id), 404, 'NOT_FOUND');
    });

    it('data:read cannot delete: 403, the file stays', async () => {
      const sub = uniqueSub();
      const file = await suite.api.create({ sub }, [filePart('keep')]);
      expectError(await suite.api.delete({ sub, scope: 'data:read' }, file.id), 403, 'FORBIDDEN');
      expect((await suite.api.download({ sub, scope: 'data:read' }, file.id)).body).toBe('keep');
    });
  });

  describe('ownership', () => {
    it("another caller gets 404 for every route on someone else's file, and never lists it", async () => {
      const owner = { sub: uniqueSub() };
      const other = { sub: uniqueSub() };
      const file = await suite.api.create(owner, [filePart('private')]);
      expectError(await suite.api.download(other, file.id), 404, 'NOT_FOUND');
      expectError(await suite.api.download(other, file.id, { range: 'bytes=0-1' }), 404, 'NOT_FOUND');
      expectError(await suite.api.meta(other, file.id), 404, 'NOT_FOUND');
      expectError(await suite.api.delete(other, file.id), 404, 'NOT_FOUND');
      expect(await suite.api.count(other)).toBe(0);
      expect((await suite.api.download(owner, file.id)).body).toBe('private');
    });

    it("data:admin reads, lists and deletes every owner's files", async () => {
      const owner = { sub: uniqueSub() };
      const admin = { sub: uniqueSub(), scope: 'data:admin' };
      const file = await suite.api.create(owner, [filePart('for the admin')]);
      expect((await suite.api.download(admin, file.id)).body).toBe('for the admin');
      expect((await suite.api.meta(admin, file.id)).json().data).toEqual(file);
      expect((await suite.api.list(admin, 'limit=100')).json().data.map((f: { id: string }) => f.id)).toContain(file.id);
      expect((await suite.api.delete(admin, file.id)).statusCode).toBe(204);
      expectError(await suite.api.meta(owner, file.id), 404, 'NOT_FOUND');
    });
  });
});
