import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { InjectDatabase, InsertCoalescer } from '../../platform/database/index.js';
import type { DataTables, RecordRow } from './data.tables.js';

/** Whose records a query may see: one owner's, or (for admins) everyone's. */
export type OwnerScope = { owner: string } | 'all';

export interface RecordContent {
  key: string;
  nested: { field1: number; field2: string } | null;
  tags: string[];
  attributes: Record<string, unknown>;
}

export interface ListFilter {
  limit: number;
  /** Only records inserted before this sequence (exclusive). */
  beforeSeq?: string;
  key?: string;
}

export interface ExportFilter {
  limit: number;
  /** Only records inserted after this sequence (exclusive): the last one of the previous batch. */
  afterSeq?: string;
  key?: string;
  /** Only records updated at or after this instant (an ISO 8601 timestamp with its offset). */
  updatedSince?: string;
}

/** The owner condition of a scope; admins' `all` adds none (`where true`). */
function ownedBy(scope: OwnerScope) {
  return (eb: ExpressionBuilder<DataTables, 'records'>) => (scope === 'all' ? eb.lit(true) : eb('owner', '=', scope.owner));
}

interface NewRecord {
  id: string;
  owner: string;
  content: RecordContent;
}

function contentColumns(content: RecordContent) {
  return {
    key: content.key,
    nested: content.nested === null ? null : JSON.stringify(content.nested),
    tags: JSON.stringify(content.tags),
    attributes: JSON.stringify(content.attributes),
  };
}

// PGlite decodes text columns with a TextDecoder that drops a leading U+FEFF, so a key that
// starts with one would read back altered. Read client-supplied text as JSON instead: the
// opening quote keeps the BOM from leading, and both drivers parse json columns.
const exactText = (column: 'key' | 'owner') => sql<string>`to_json(${sql.ref(column)})`.as(column);

const RETURNED = [
  'id',
  sql<string>`seq::text`.as('seq'),
  exactText('owner'),
  exactText('key'),
  'nested',
  'tags',
  'attributes',
  'version',
  'created_at',
  'updated_at',
] as const;

const newRecordColumns = ({ id, owner, content }: NewRecord) => ({ id, owner, ...contentColumns(content) });

@Injectable()
export class DataRepository implements OnApplicationShutdown {
  /**
   * Creates are the hot write path: one statement per request costs ~300 µs on PGlite and a
   * round trip on PostgreSQL, while a row of a multi-row INSERT costs a tenth of that.
   */
  private readonly inserts = new InsertCoalescer<NewRecord, RecordRow>({
    insertMany: (records) => this.db.insertInto('records').values(records.map(newRecordColumns)).returning(RETURNED).execute(),
    insertOne: (record) => this.db.insertInto('records').values(newRecordColumns(record)).returning(RETURNED).executeTakeFirstOrThrow(),
    // PostgreSQL returns uuids in lowercase; randomUUID() writes them so too.
    itemKey: (record) => record.id.toLowerCase(),
    rowKey: (row) => row.id,
  });

  constructor(@InjectDatabase() private readonly db: Kysely<DataTables>) {}

  /**
   * Inserts concurrent with others share one multi-row statement; each still gets its own row,
   * or its own error (see InsertCoalescer).
   */
  async insert(id: string, owner: string, content: RecordContent): Promise<RecordRow> {
    return this.inserts.submit({ id, owner, content });
  }

  /**
   * Runs before the (global) database module closes the database, so inserts still queued are
   * written, not failed. Requests in flight have finished by then; this covers the rest.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.inserts.drained();
  }

  async find(id: string, scope: OwnerScope): Promise<RecordRow | undefined> {
    return this.db
      .selectFrom('records')
      .select(RETURNED)
      .where('id', '=', id)
      .where(ownedBy(scope))
      .executeTakeFirst();
  }

  /** Newest first; asks for one more row than the page so the caller knows if another follows. */
  async list(scope: OwnerScope, filter: ListFilter): Promise<RecordRow[]> {
    return this.db
      .selectFrom('records')
      .select(RETURNED)
      .where(ownedBy(scope))
      .$if(filter.key !== undefined, (qb) => qb.where('key', '=', filter.key!))
      .$if(filter.beforeSeq !== undefined, (qb) => qb.where('records.seq', '<', sql<string>`${filter.beforeSeq}::bigint`))
      // The table's bigint, not the `seq` text alias selected above, which would sort as text.
      .orderBy('records.seq', 'desc')
      .limit(filter.limit + 1)
      .execute();
  }

  /**
   * One batch of an export, oldest first by insertion sequence. Keyset pagination (`seq >`
   * the last one read) keeps every batch an index range scan, however deep into the table.
   */
  async exportBatch(scope: OwnerScope, filter: ExportFilter): Promise<RecordRow[]> {
    return this.db
      .selectFrom('records')
      .select(RETURNED)
      .where(ownedBy(scope))
      .$if(filter.key !== undefined, (qb) => qb.where('key', '=', filter.key!))
      .$if(filter.updatedSince !== undefined, (qb) => qb.where('updated_at', '>=', sql<Date>`${filter.updatedSince}::timestamptz`))
      .$if(filter.afterSeq !== undefined, (qb) => qb.where('records.seq', '>', sql<string>`${filter.afterSeq}::bigint`))
      .orderBy('records.seq', 'asc')
      .limit(filter.limit)
      .execute();
  }

  /**
   * Replaces the content and bumps the version. With `expectedVersion` the update only applies
   * to that version (optimistic concurrency); undefined means no row matched.
   */
  async replace(id: string, scope: OwnerScope, content: RecordContent, expectedVersion?: number): Promise<RecordRow | undefined> {
    return this.db
      .updateTable('records')
      .set((eb) => ({ ...contentColumns(content), version: eb('version', '+', 1), updated_at: sql`now()` }))
      .where('id', '=', id)
      .where(ownedBy(scope))
      .$if(expectedVersion !== undefined, (qb) => qb.where('version', '=', expectedVersion!))
      .returning(RETURNED)
      .executeTakeFirst();
  }

  async delete(id: string, scope: OwnerScope): Promise<boolean> {
    const result = await this.db
      .deleteFrom('records')
      .where('id', '=', id)
      .where(ownedBy(scope))
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
