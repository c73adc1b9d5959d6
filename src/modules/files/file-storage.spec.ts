import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { FileStorage, PARTIAL_PREFIX, STALE_PARTIAL_MS } from './file-storage.js';
import { SNIFF_BYTES } from './content-sniffing.js';

describe('FileStorage', () => {
  let dir: string;
  let storage: FileStorage;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-storage-'));
    storage = new FileStorage({ uploadDir: dir });
    await storage.onModuleInit();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const chunks = (count: number, size: number) => Readable.from(Array.from({ length: count }, (_, i) => Buffer.alloc(size, i)));

  it('writes a partial file with its size, SHA-256 and head, and commits it under the id', async () => {
    const written = await storage.write(chunks(4, 3000));
    const bytes = Buffer.concat(Array.from({ length: 4 }, (_, i) => Buffer.alloc(3000, i)));
    expect(written).toMatchObject({ size: 12000, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(written.head).toEqual(bytes.subarray(0, SNIFF_BYTES));
    expect(await readdir(dir)).toEqual([expect.stringMatching(new RegExp(`^\\${PARTIAL_PREFIX}`))]);

    await storage.commit(written, 'the-id');
    expect(await readdir(dir)).toEqual(['the-id']);
    expect(await readFile(join(dir, 'the-id'))).toEqual(bytes);
  });

  it('removes the partial file when an inspector stops the write', async () => {
    const stop = new Error('too large');
    await expect(
      storage.write(chunks(10, 1000), (_chunk, size) => {
        if (size > 2500) throw stop;
      }),
    ).rejects.toBe(stop);
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes the partial file when the source fails', async () => {
    const source = new Readable({ read() {} });
    const writing = storage.write(source);
    source.push(Buffer.alloc(100));
    source.destroy(new Error('aborted'));
    await expect(writing).rejects.toThrow('aborted');
    expect(await readdir(dir)).toEqual([]);
  });

  it('opens a range of a stored file, and reports a missing one as undefined', async () => {
    await writeFile(join(dir, 'abc'), '0123456789');
    const stream = await storage.open('abc', { start: 2, end: 4 });
    const read: Buffer[] = [];
    for await (const chunk of stream!) read.push(chunk as Buffer);
    expect(Buffer.concat(read).toString()).toBe('234');
    expect(await storage.open('missing')).toBeUndefined();
  });

  it('removes stored bytes, and tolerates bytes already gone', async () => {
    await writeFile(join(dir, 'abc'), 'x');
    await storage.remove('abc');
    await storage.remove('abc');
    expect(await readdir(dir)).toEqual([]);
  });

  it('sweeps only partial files older than an hour at startup', async () => {
    const stale = join(dir, `${PARTIAL_PREFIX}stale`);
    const fresh = join(dir, `${PARTIAL_PREFIX}fresh`);
    await writeFile(stale, 'x');
    await writeFile(fresh, 'x');
    await writeFile(join(dir, 'old-stored-file'), 'x');
    const old = new Date(Date.now() - STALE_PARTIAL_MS - 60_000);
    await utimes(stale, old, old);
    await utimes(join(dir, 'old-stored-file'), old, old);

    await new FileStorage({ uploadDir: dir }).onModuleInit();
    expect((await readdir(dir)).sort()).toEqual([`${PARTIAL_PREFIX}fresh`, 'old-stored-file']);
  });

  it('creates the upload directory when it does not exist', async () => {
    const nested = join(dir, 'a', 'b');
    await new FileStorage({ uploadDir: nested }).onModuleInit();
    expect(await readdir(nested)).toEqual([]);
  });
});
