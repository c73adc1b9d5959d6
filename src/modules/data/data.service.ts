import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Caller, isAdmin } from '../../auth/index.js';
import { DEFAULT_PAGE_LIMIT, ifMatchHits, Page, versionEtag } from '../../common/http/index.js';
import { CacheInvalidator } from '../../platform/cache/index.js';
import { type DataRecord, toDataRecord } from './data.record.js';
import { invalidCursor, invalidSince, recordNotFound, staleRecord } from './data.errors.js';
import { DataRepository, type OwnerScope, type RecordContent } from './data.repository.js';
import type { RecordRow } from './data.tables.js';
import type { ExportRecordsQuery } from './dto/export-records.query.js';
import type { ListRecordsQuery } from './dto/list-records.query.js';
import type { RecordBodyDto } from './dto/record-body.dto.js';
import { parseSince } from './export-since.js';
import { decodeCursor, encodeCursor } from './record-cursor.js';

/** Rows per export query: few round trips, and one batch's JSON stays well under a megabyte. */
export const EXPORT_BATCH_SIZE = 500;

function scopeOf(caller: Caller): OwnerScope {
  return isAdmin(caller) ? 'all' : { owner: caller.sub };
}

/** Absent optional fields take their empty value, so a PUT replaces the whole record. */
function contentOf(body: RecordBodyDto): RecordContent {
  return {
    key: body.key,
    nested: body.nested ? { field1: body.nested.field1, field2: body.nested.field2 } : null,
    tags: body.tags ?? [],
    attributes: body.attributes ?? {},
  };
}

/**
 * Records belong to the token's `sub`. Other callers get 404, never 403, so ids of other
 * owners' records are not disclosed; `data:admin` sees and changes every owner's records.
 *
 * Every write invalidates the owner's cached reads before it returns, so a read through any
 * replica after the acknowledgement sees it (see README, Caching).
 */
@Injectable()
export class DataService {
  constructor(
    private readonly repository: DataRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  async create(caller: Caller, body: RecordBodyDto): Promise<DataRecord> {
    return this.written(await this.repository.insert(randomUUID(), caller.sub, contentOf(body)));
  }

  async get(caller: Caller, id: string): Promise<DataRecord> {
    const row = await this.repository.find(id, scopeOf(caller));
    if (!row) throw recordNotFound();
    return toDataRecord(row);
  }

  async list(caller: Caller, query: ListRecordsQuery): Promise<Page<DataRecord>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && beforeSeq === undefined) throw invalidCursor();
    const rows = await this.repository.list(scopeOf(caller), { limit, beforeSeq, key: query.key });
    const pageRows = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(pageRows[pageRows.length - 1].seq) : null;
    return new Page(pageRows.map(toDataRecord), { limit, nextCursor });
  }

  /**
   * The caller's records (every owner's for admins), oldest first, one batch per query. Each
   * query runs only when the consumer asks for the next batch, so stopping the iteration
   * (`return()`, as a destroyed stream does) stops the reads.
   */
  async *exportBatches(caller: Caller, query: ExportRecordsQuery): AsyncGenerator<DataRecord[]> {
    const updatedSince = query.since === undefined ? undefined : parseSince(query.since);
    if (query.since !== undefined && updatedSince === undefined) throw invalidSince();
    const scope = scopeOf(caller);
    let afterSeq: string | undefined;
    for (;;) {
      const rows = await this.repository.exportBatch(scope, { limit: EXPORT_BATCH_SIZE, afterSeq, key: query.key, updatedSince });
      if (rows.length > 0) yield rows.map(toDataRecord);
      if (rows.length < EXPORT_BATCH_SIZE) return;
      afterSeq = rows[rows.length - 1].seq;
    }
  }

  /** `ifMatch` is the raw If-Match header; when given, a stale version gets 412. */
  async replace(caller: Caller, id: string, body: RecordBodyDto, ifMatch?: string): Promise<DataRecord> {
    const scope = scopeOf(caller);
    if (ifMatch === undefined) {
      const row = await this.repository.replace(id, scope, contentOf(body));
      if (!row) throw recordNotFound();
      return this.written(row);
    }
    const current = await this.repository.find(id, scope);
    if (!current) throw recordNotFound();
    if (!ifMatchHits(ifMatch, versionEtag(current.version))) throw staleRecord(versionEtag(current.version));
    // Conditional on the version just checked: a write landing in between makes this one stale.
    const row = await this.repository.replace(id, scope, contentOf(body), current.version);
    if (!row) throw staleRecord(versionEtag(current.version + 1));
    return this.written(row);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    // An admin may delete any owner's record: that owner's cached views must go too.
    const owner = isAdmin(caller) ? (await this.repository.find(id, 'all'))?.owner : caller.sub;
    if (owner === undefined || !(await this.repository.delete(id, scopeOf(caller)))) throw recordNotFound();
    await this.cache.invalidateOwner(owner);
  }

  /** Invalidates the owner's cached reads before the write is acknowledged. */
  private async written(row: RecordRow): Promise<DataRecord> {
    await this.cache.invalidateOwner(row.owner);
    return toDataRecord(row);
  }
}
