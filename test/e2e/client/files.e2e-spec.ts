import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { NotFoundError, PayloadTooLargeError, RangeNotSatisfiableError, UnsupportedMediaTypeError } from '../../../src/client/index.js';
import { uniqueSub, useClientSuite } from './client-app.js';

const UPLOAD_MAX_BYTES = 4 * 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** UTF-8 text (so it passes the text/plain checks) of about `size` bytes. */
const textOf = (size: number) => Buffer.from(randomBytes(Math.ceil(size / 2)).toString('hex').replace(/(.{79})/g, '$1\n').slice(0, size));

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('DataApiClient files against the listening app', () => {
  const suite = useClientSuite({ files: { uploadMaxBytes: UPLOAD_MAX_BYTES } });
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'data-api-client-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('uploads from a path and downloads the same bytes (by sha256), with a UTF-8 file name', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const bytes = textOf(3 * 1024 * 1024);
    const path = join(dir, 'résumé 2026.txt');
    await writeFile(path, bytes);
    const meta = await client.uploadFile(path, { description: 'été' });
    expect(meta).toMatchObject({ filename: 'résumé 2026.txt', contentType: 'text/plain', size: bytes.length, sha256: sha256(bytes), description: 'été' });

    const download = await client.downloadFile(meta.id);
    expect(download.info).toMatchObject({ status: 200, contentType: expect.stringMatching(/^text\/plain/), contentLength: bytes.length, filename: 'résumé 2026.txt' });
    expect(sha256(await readAll(download))).toBe(meta.sha256);
  });

  it('uploads from a Buffer and from a stream', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const bytes = textOf(200_000);
    const fromBuffer = await client.uploadFile(bytes, { filename: 'buffer.txt' });
    expect(fromBuffer).toMatchObject({ filename: 'buffer.txt', contentType: 'text/plain', description: null, sha256: sha256(bytes) });

    const chunks = [bytes.subarray(0, 70_000), bytes.subarray(70_000, 140_000), bytes.subarray(140_000)];
    const fromStream = await client.uploadFile(Readable.from(chunks), { filename: 'data.csv', contentType: 'text/csv' });
    expect(fromStream).toMatchObject({ contentType: 'text/csv', size: bytes.length, sha256: sha256(bytes) });
    expect(sha256(await readAll(await client.downloadFile(fromStream.id)))).toBe(sha256(bytes));
  });

  it('downloads one range (206), and refuses a range outside the file (416)', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const bytes = textOf(10_000);
    const { id } = await client.uploadFile(bytes, { filename: 'ranged.txt' });

    const part = await client.downloadFile(id, { range: { start: 100, end: 199 } });
    expect(part.info).toMatchObject({ status: 206, contentLength: 100, contentRange: 'bytes 100-199/10000' });
    expect((await readAll(part)).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await client.downloadFile(id, { range: { suffix: 10 } });
    expect((await readAll(tail)).equals(bytes.subarray(-10))).toBe(true);

    const error = await client.downloadFile(id, { range: { start: 20_000 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RangeNotSatisfiableError);
    expect(error).toMatchObject({ status: 416, code: 'RANGE_NOT_SATISFIABLE' });
  });

  it('lists, reads metadata of and deletes files', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const a = await client.uploadFile(Buffer.from('a\n'), { filename: 'a.txt' });
    const b = await client.uploadFile(Buffer.from('b\n'), { filename: 'b.txt' });
    const page = await client.listFiles({ limit: 1 });
    expect(page.data.map((f) => f.id)).toEqual([b.id]);
    expect(page.page.nextCursor).toEqual(expect.any(String));
    expect((await client.listFiles({ cursor: page.page.nextCursor! })).data.map((f) => f.id)).toEqual([a.id]);
    expect(await client.getFileMeta(a.id)).toEqual(a);

    await client.deleteFile(a.id);
    await expect(client.getFileMeta(a.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.downloadFile(a.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('UNSUPPORTED_MEDIA_TYPE → UnsupportedMediaTypeError for a type that is not allowed', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const error = await client.uploadFile(Buffer.from('MZ\x90\x00'), { filename: 'tool.exe' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(await client.listFiles()).toMatchObject({ data: [] });
  });

  it('PAYLOAD_TOO_LARGE → PayloadTooLargeError for a file over the limit', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const error = await client.uploadFile(textOf(UPLOAD_MAX_BYTES + 1), { filename: 'big.txt' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(await client.listFiles()).toMatchObject({ data: [] });
  });
});
