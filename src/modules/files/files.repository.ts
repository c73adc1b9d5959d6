import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { InjectDatabase } from '../../platform/database/index.js';
import type { FileRow, FilesTables } from './files.tables.js';

/** Whose files a query may see: one owner's, or (for admins) everyone's. */
export type FileOwnerScope = { owner: string } | 'all';

export interface NewFile {
  id: string;
  owner: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
}

function ownedBy(scope: FileOwnerScope) {
  return (eb: ExpressionBuilder<FilesTables, 'files'>) => (scope === 'all' ? eb.lit(true) : eb('owner', '=', scope.owner));
}

// Client-supplied text is read as JSON: PGlite's text decoding drops a leading U+FEFF.
const exactText = (column: 'owner' | 'filename' | 'description') => sql<string>`to_json(${sql.ref(column)})`.as(column);

const RETURNED = [
  'id',
  sql<string>`seq::text`.as('seq'),
  exactText('owner'),
  exactText('filename'),
  'content_type',
  sql<string>`size::text`.as('size'),
  'sha256',
  exactText('description'),
  'created_at',
] as const;

@Injectable()
export class FilesRepository {
  constructor(@InjectDatabase() private readonly db: Kysely<FilesTables>) {}

  async insert(file: NewFile): Promise<FileRow> {
    return this.db
      .insertInto('files')
      .values({
        id: file.id,
        owner: file.owner,
        filename: file.filename,
        content_type: file.contentType,
        size: file.size,
        sha256: file.sha256,
        description: file.description,
      })
      .returning(RETURNED)
      .executeTakeFirstOrThrow();
  }

  async find(id: string, scope: FileOwnerScope): Promise<FileRow | undefined> {
    return this.db.selectFrom('files').select(RETURNED).where('id', '=', id).where(ownedBy(scope)).executeTakeFirst();
  }

  /** Newest first; one row more than the page, so the caller knows whether another follows. */
  async list(scope: FileOwnerScope, limit: number, beforeSeq?: string): Promise<FileRow[]> {
    return this.db
      .selectFrom('files')
      .select(RETURNED)
      .where(ownedBy(scope))
      .$if(beforeSeq !== undefined, (qb) => qb.where('files.seq', '<', sql<string>`${beforeSeq}::bigint`))
      .orderBy('files.seq', 'desc')
      .limit(limit + 1)
      .execute();
  }

  async delete(id: string, scope: FileOwnerScope): Promise<boolean> {
    const result = await this.db.deleteFrom('files').where('id', '=', id).where(ownedBy(scope)).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
