import { testBackends } from '../../setup/backends.js';
import { diskEntries, expectError, filePart, multipart, type Part, uniqueSub, useFilesSuite } from './files-api.helper.js';

/**
 * Hostile multipart bodies: each gets a 4xx envelope with an exact code, never a 5xx, and
 * leaves no row and no file behind; no object in the process is polluted.
 */
describe.each(testBackends())('hostile multipart bodies (%s)', (backend) => {
  const suite = useFilesSuite(backend, { files: { uploadMaxBytes: 64 * 1024 } });

  async function expectRefused(payload: Buffer | string, contentType: string, status: number, code: string) {
    const caller = { sub: uniqueSub() };
    const before = await diskEntries(suite.uploadDir);
    const res = await suite.api.uploadRaw(caller, payload, { 'content-type': contentType });
    expectError(res, status, code);
    expect(await suite.api.count(caller)).toBe(0);
    expect(await diskEntries(suite.uploadDir)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    return res;
  }

  const refuseParts = (parts: Part[], status: number, code: string) => {
    const { payload, contentType } = multipart(parts);
    return expectRefused(payload, contentType, status, code);
  };

  describe('prototype-poisoning field names: 400 VALIDATION_FAILED', () => {
    it.each(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'])('a text field named %s', async (name) => {
      await refuseParts([filePart('x'), { name, data: '{"polluted":true}' }], 400, 'VALIDATION_FAILED');
    });

    it.each(['__proto__', 'constructor'])('a file part named %s, with no other file', async (name) => {
      await refuseParts([{ ...filePart('{"polluted":true}'), name }], 400, 'VALIDATION_FAILED');
    });

    it('a description declared as application/json (parsed by the plugin) is not text: 400', async () => {
      await refuseParts(
        [filePart('x'), { rawHeaders: 'Content-Disposition: form-data; name="description"\r\nContent-Type: application/json', data: '{"__proto__":{"polluted":true}}' }],
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('too many parts: 413 PAYLOAD_TOO_LARGE', () => {
    it('parts without a Content-Disposition still count', async () => {
      const junk: Part = { rawHeaders: 'X-Junk: 1', data: 'junk' };
      await refuseParts([filePart('x'), junk, junk, junk, junk], 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a thousand tiny parts', async () => {
      await refuseParts([filePart('x'), ...Array.from({ length: 1000 }, () => ({ name: 'description', data: 'a' }))], 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a second file after the first', async () => {
      await refuseParts([filePart('one'), { ...filePart('two'), name: 'other' }], 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('boundaries', () => {
    const bodyWith = (boundary: string) => multipart([filePart('boundary test')], boundary);

    it('a 252-byte boundary (the longest the parser handles) is accepted', async () => {
      const { payload, contentType } = bodyWith('b'.repeat(252));
      const res = await suite.api.uploadRaw({ sub: uniqueSub() }, payload, { 'content-type': contentType });
      expect(res.statusCode).toBe(201);
    });

    it.each([253, 1000, 10_000])('a %i-byte boundary: 400 VALIDATION_FAILED', async (length) => {
      const { payload, contentType } = bodyWith('b'.repeat(length));
      await expectRefused(payload, contentType, 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['no boundary parameter', 'multipart/form-data'],
      ['an empty boundary', 'multipart/form-data; boundary='],
      ['a quoted empty boundary', 'multipart/form-data; boundary=""'],
    ])('%s: 400 VALIDATION_FAILED', async (_name, contentType) => {
      await expectRefused(multipart([filePart('x')], 'abc').payload, contentType, 400, 'VALIDATION_FAILED');
    });

    it('a body framed with another boundary than declared: 400', async () => {
      await expectRefused(multipart([filePart('x')], 'real').payload, 'multipart/form-data; boundary=declared', 400, 'VALIDATION_FAILED');
    });
  });

  describe('broken framing: 400 VALIDATION_FAILED', () => {
    const boundary = 'frame';
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n`;

    it.each([
      ['no closing boundary', `${head}unterminated`],
      ['a body cut inside the part headers', `--${boundary}\r\nContent-Disposition: form-da`],
      ['part headers over the size limit', `--${boundary}\r\nX-Big: ${'a'.repeat(20_000)}\r\n${head.slice(boundary.length + 4)}x\r\n--${boundary}--\r\n`],
    ])('%s', async (_name, payload) => {
      await expectRefused(payload, contentType, 400, 'VALIDATION_FAILED');
    });
  });

  describe('filename traversal never reaches the disk', () => {
    it.each([
      ['../../x', 'x'],
      ['..\\..\\..\\windows\\win.ini', 'win.ini'],
      ['/etc/passwd', 'passwd'],
      ['....//....//x', 'x'],
      ['..', 'file'],
      ['%2e%2e%2fx', '%2e%2e%2fx'],
      ['a\u0000.txt', 'a.txt'],
    ])('%j is stored as %j, under a generated id', async (filename, stored) => {
      const before = await diskEntries(suite.uploadDir);
      const res = await suite.api.upload({ sub: uniqueSub() }, [filePart('x', 'text/plain', filename)]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.filename).toBe(stored);
      expect(await diskEntries(suite.uploadDir)).toEqual([...before, res.json().data.id].sort());
    });

    it('filename* (RFC 5987) is decoded and sanitized the same way', async () => {
      const res = await suite.api.upload({ sub: uniqueSub() }, [
        { rawHeaders: `Content-Disposition: form-data; name="file"; filename*=UTF-8''..%2F..%2Fr%C3%A9sum%C3%A9.txt\r\nContent-Type: text/plain`, data: 'x' },
      ]);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.filename).toBe('résumé.txt');
    });
  });
});
