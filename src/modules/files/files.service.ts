import { randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type Caller, isAdmin } from '../../auth/index.js';
import { DEFAULT_PAGE_LIMIT, Page } from '../../common/http/index.js';
import { filesConfig, type FilesConfig } from '../../config/index.js';
import { type DownloadConditions, type DownloadPlan, planDownload } from './download-plan.js';
import { decodeFileCursor, encodeFileCursor } from './file-cursor.js';
import { FileStorage } from './file-storage.js';
import { fileNotFound, invalidFileCursor, notMultipart } from './files.errors.js';
import { type FileOwnerScope, FilesRepository } from './files.repository.js';
import type { ListFilesQuery } from './dto/list-files.query.js';
import { fileEtag, type StoredFile, toStoredFile } from './stored-file.js';
import { type ReceivedUpload, receiveUpload } from './upload-reader.js';

function scopeOf(caller: Caller): FileOwnerScope {
  return isAdmin(caller) ? 'all' : { owner: caller.sub };
}

/** A download ready to send: the file, what to send of it, and the bytes (none for a 304). */
export interface Download {
  file: StoredFile;
  etag: string;
  plan: DownloadPlan;
  stream?: ReadStream;
}

/**
 * Uploaded files belong to the token's `sub`; other callers get 404, `data:admin` sees all.
 * The row is written only once the bytes are complete, checked and in place, so a listed
 * file always has its bytes, and a failed upload leaves neither.
 */
@Injectable()
export class FilesService {
  private readonly logger = new Logger('FilesService');

  constructor(
    private readonly repository: FilesRepository,
    private readonly storage: FileStorage,
    @Inject(filesConfig.KEY) private readonly config: Pick<FilesConfig, 'uploadMaxBytes' | 'uploadAllowedTypes'>,
  ) {}

  async upload(caller: Caller, request: FastifyRequest): Promise<StoredFile> {
    if (!request.isMultipart()) throw notMultipart();
    const upload = await receiveUpload(request, this.storage, {
      maxBytes: this.config.uploadMaxBytes,
      allowedTypes: this.config.uploadAllowedTypes,
    });
    const id = randomUUID();
    try {
      await this.storage.commit(upload.file, id);
    } catch (error) {
      await this.storage.discard(upload.file.partialPath);
      throw error;
    }
    return this.record(id, caller.sub, upload);
  }

  async get(caller: Caller, id: string): Promise<StoredFile> {
    const row = await this.repository.find(id, scopeOf(caller));
    if (!row) throw fileNotFound();
    return toStoredFile(row);
  }

  async list(caller: Caller, query: ListFilesQuery): Promise<Page<StoredFile>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const beforeSeq = query.cursor === undefined ? undefined : decodeFileCursor(query.cursor);
    if (query.cursor !== undefined && beforeSeq === undefined) throw invalidFileCursor();
    const rows = await this.repository.list(scopeOf(caller), limit, beforeSeq);
    const pageRows = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeFileCursor(pageRows[pageRows.length - 1].seq) : null;
    return new Page(pageRows.map(toStoredFile), { limit, nextCursor });
  }

  /** The file's metadata, what to send of it, and (unless 304) an open stream of those bytes. */
  async download(caller: Caller, id: string, conditions: DownloadConditions): Promise<Download> {
    const file = await this.get(caller, id);
    const etag = fileEtag(file);
    const plan = planDownload(etag, file.size, conditions);
    if (plan.kind === 'not-modified') return { file, etag, plan };
    const stream = await this.storage.open(id, plan.kind === 'partial' ? plan : undefined);
    // Deleted between the lookup and the open.
    if (!stream) throw fileNotFound();
    return { file, etag, plan, stream };
  }

  /** Removes the row, then the bytes: a crash in between leaves an unlisted file, never a listed one without bytes. */
  async remove(caller: Caller, id: string): Promise<void> {
    if (!(await this.repository.delete(id, scopeOf(caller)))) throw fileNotFound();
    await this.storage.remove(id).catch((error: Error) => this.logger.error(`Removing the bytes of file ${id} failed: ${error.message}`));
  }

  /** Inserts the row of bytes already in place; without a row the bytes are removed again. */
  private async record(id: string, owner: string, upload: ReceivedUpload): Promise<StoredFile> {
    try {
      const row = await this.repository.insert({
        id,
        owner,
        filename: upload.filename,
        contentType: upload.contentType,
        size: upload.file.size,
        sha256: upload.file.sha256,
        description: upload.description,
      });
      return toStoredFile(row);
    } catch (error) {
      await this.storage.remove(id);
      throw error;
    }
  }
}
