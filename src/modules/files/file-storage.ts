import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type ReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ensureDirectory, filesConfig, type FilesConfig } from '../../config/index.js';
import { SNIFF_BYTES } from './content-sniffing.js';

/** Name prefix of files still being received; never served, swept at startup. */
export const PARTIAL_PREFIX = '.partial-';

/** A partial file older than this was left by a process that died mid-upload. */
export const STALE_PARTIAL_MS = 60 * 60 * 1000;

/** A completely received upload, still under its temporary name. */
export interface WrittenFile {
  partialPath: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  /** The first SNIFF_BYTES bytes, for content checks. */
  head: Buffer;
}

/** Sees every chunk on its way to disk; throwing stops the write (and removes the file). */
export type ChunkInspector = (chunk: Buffer, sizeSoFar: number) => void;

/** Hashes, counts and keeps the head of the bytes passing through, in constant memory. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private readonly headChunks: Buffer[] = [];
  private headSize = 0;

  constructor(private readonly inspect?: ChunkInspector) {
    super();
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks, this.headSize);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.size += chunk.length;
      this.inspect?.(chunk, this.size);
      this.hash.update(chunk);
      if (this.headSize < SNIFF_BYTES) {
        const part = chunk.subarray(0, SNIFF_BYTES - this.headSize);
        // A copy: a view would keep the whole (possibly pooled) chunk alive.
        this.headChunks.push(Buffer.from(part));
        this.headSize += part.length;
      }
      callback(null, chunk);
    } catch (error) {
      callback(error as Error);
    }
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The bytes of uploaded files under UPLOAD_DIR: `<id>` once accepted, `.partial-<uuid>` while
 * being received. Names on disk are ids generated here, never client-supplied names.
 */
@Injectable()
export class FileStorage implements OnModuleInit {
  private readonly logger = new Logger('FileStorage');

  constructor(@Inject(filesConfig.KEY) private readonly config: Pick<FilesConfig, 'uploadDir'>) {}

  async onModuleInit(): Promise<void> {
    ensureDirectory('UPLOAD_DIR', this.config.uploadDir);
    const removed = await this.sweepPartials(Date.now() - STALE_PARTIAL_MS);
    if (removed > 0) this.logger.warn(`Removed ${removed} partial upload(s) left by an earlier process`);
  }

  /** Streams `source` to a new partial file; on any failure the partial file is removed. */
  async write(source: Readable, inspect?: ChunkInspector): Promise<WrittenFile> {
    const partialPath = join(this.config.uploadDir, `${PARTIAL_PREFIX}${randomUUID()}`);
    const meter = new Meter(inspect);
    try {
      // `wx`: a name collision would be a bug, never a reason to overwrite.
      await pipeline(source, meter, createWriteStream(partialPath, { flags: 'wx' }));
    } catch (error) {
      await this.discard(partialPath);
      throw error;
    }
    return { partialPath, size: meter.size, sha256: meter.hash.digest('hex'), head: meter.head };
  }

  /** Gives an accepted upload its final name. */
  async commit(file: WrittenFile, id: string): Promise<void> {
    await rename(file.partialPath, this.pathOf(id));
  }

  /** Removes a partial file; already gone is fine. */
  async discard(partialPath: string): Promise<void> {
    await rm(partialPath, { force: true });
  }

  /** Removes a stored file's bytes; already gone is fine. */
  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  /**
   * A stream of bytes `start`..`end` (inclusive) of a stored file, or undefined when its bytes
   * are gone (deleted meanwhile). The file is opened before any header is sent, so a missing
   * file is an answer, not a broken response; the stream closes its descriptor when it ends
   * or is destroyed.
   */
  async open(id: string, range?: { start: number; end: number }): Promise<ReadStream | undefined> {
    try {
      const handle = await open(this.pathOf(id), 'r');
      return handle.createReadStream({ start: range?.start, end: range?.end, autoClose: true });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Removes partial files last modified before `beforeMs`; returns how many. */
  async sweepPartials(beforeMs: number): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.config.uploadDir)) {
      if (!name.startsWith(PARTIAL_PREFIX)) continue;
      const path = join(this.config.uploadDir, name);
      try {
        if ((await stat(path)).mtimeMs >= beforeMs) continue;
        await rm(path, { force: true });
        removed++;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return removed;
  }

  private pathOf(id: string): string {
    return join(this.config.uploadDir, id);
  }
}
