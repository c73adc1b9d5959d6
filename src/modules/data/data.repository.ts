import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { InjectDatabase } from '../../platform/database/index.js';
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

@Injectable()
export class DataRepository {
  constructor(@InjectDatabase() private readonly db: Kysely<DataTables>) {}

  async insert(id: string, owner: string, content: RecordContent): Promise<RecordRow> {
    return this.db
      .insertInto('records')
      .values({ id, owner, ...contentColumns(content) })
      .returning(RETURNED)
      .executeTakeFirstOrThrow();
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
