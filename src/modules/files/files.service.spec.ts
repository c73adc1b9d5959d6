import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/index.js';
import { FileStorage } from './file-storage.js';
import type { FilesRepository } from './files.repository.js';
import { FilesService } from './files.service.js';
import type { FileRow } from './files.tables.js';

const caller: Caller = { sub: 'alice', scopes: new Set(['data:write']) };

/** A request whose multipart body is one text file part. */
function uploadRequest(content: string): FastifyRequest {
  return {
    isMultipart: () => true,
    raw: new PassThrough(),
    async *parts() {
      yield { type: 'file', fieldname: 'file', filename: 'a.txt', mimetype: 'text/plain', file: Readable.from([Buffer.from(content)]) };
    },
  } as unknown as FastifyRequest;
}

describe('FilesService.upload', () => {
  let dir: string;
  let storage: FileStorage;
  const config = { uploadMaxBytes: 1024, uploadAllowedTypes: ['text/plain'] };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'files-service-'));
    storage = new FileStorage({ uploadDir: dir });
    await storage.onModuleInit();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores the bytes under the id the row is inserted with', async () => {
    const repository = {
      insert: jest.fn(async (file: { id: string; owner: string; size: number }) =>
        ({ ...file, seq: '1', content_type: 'text/plain', filename: 'a.txt', sha256: 'x', description: null, size: String(file.size), created_at: new Date() }) as unknown as FileRow,
      ),
    } as unknown as FilesRepository;
    const stored = await new FilesService(repository, storage, config).upload(caller, uploadRequest('hello'));
    expect(stored).toMatchObject({ owner: 'alice', size: 5 });
    expect(await readdir(dir)).toEqual([stored.id]);
  });

  it('removes the bytes again when the row cannot be inserted', async () => {
    const failure = new Error('database gone');
    const repository = { insert: jest.fn().mockRejectedValue(failure) } as unknown as FilesRepository;
    await expect(new FilesService(repository, storage, config).upload(caller, uploadRequest('hello'))).rejects.toBe(failure);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a request that is not multipart before reading anything', async () => {
    const repository = { insert: jest.fn() } as unknown as FilesRepository;
    const request = { isMultipart: () => false } as unknown as FastifyRequest;
    await expect(new FilesService(repository, storage, config).upload(caller, request)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(repository.insert).not.toHaveBeenCalled();
  });
});
