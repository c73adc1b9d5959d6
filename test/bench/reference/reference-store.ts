import { PGlite } from '@electric-sql/pglite';
import { type Generated, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';

/** The records table, as the reference stores it (same columns and indexes as the service). */
interface RecordsTable {
  id: string;
  seq: Generated<string>;
  owner: string;
  key: string;
  nested: string | null;
  tags: string;
  attributes: string;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReferenceRow {
  id: string;
  seq: string;
  owner: string;
  key: string;
  nested: unknown;
  tags: unknown;
  attributes: unknown;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface RecordContent {
  key: string;
  nested?: { field1: number; field2: string } | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
}

// The same select list as the service's repository (json-wrapped text, seq as text), so both
// servers send the same statement shape to the same backend.
const RETURNED = [
  'id',
  sql<string>`seq::text`.as('seq'),
  sql<string>`to_json(owner)`.as('owner'),
  sql<string>`to_json(key)`.as('key'),
  'nested',
  'tags',
  'attributes',
  'version',
  'created_at',
  'updated_at',
] as const;

const DDL = [
  `CREATE TABLE IF NOT EXISTS records (
     id uuid PRIMARY KEY, seq bigserial NOT NULL UNIQUE, owner text NOT NULL, key text NOT NULL,
     nested json, tags json NOT NULL DEFAULT '[]'::json, attributes json NOT NULL DEFAULT '{}'::json,
     version integer NOT NULL DEFAULT 1,
     created_at timestamptz(3) NOT NULL DEFAULT now(), updated_at timestamptz(3) NOT NULL DEFAULT now())`,
  'CREATE INDEX IF NOT EXISTS records_owner_seq ON records (owner, seq DESC)',
  'CREATE INDEX IF NOT EXISTS records_owner_key_seq ON records (owner, key, seq DESC)',
];

/** Kysely on PostgreSQL (pool of 10, as the service) or on PGlite in `dataDir`. */
export class ReferenceStore {
  private constructor(private readonly db: Kysely<{ records: RecordsTable }>) {}

  static async open(databaseUrl: string | undefined, dataDir: string | undefined): Promise<ReferenceStore> {
    const dialect = databaseUrl
      ? new PostgresDialect({ pool: new Pool({ connectionString: databaseUrl, max: 10 }) })
      : new PGliteDialect({ pglite: () => new PGlite(dataDir ?? 'memory://') });
    const db = new Kysely<{ records: RecordsTable }>({ dialect });
    for (const statement of DDL) await sql.raw(statement).execute(db);
    return new ReferenceStore(db);
  }

  insert(id: string, owner: string, content: RecordContent): Promise<ReferenceRow> {
    return this.db
      .insertInto('records')
      .values({
        id,
        owner,
        key: content.key,
        nested: content.nested ? JSON.stringify(content.nested) : null,
        tags: JSON.stringify(content.tags ?? []),
        attributes: JSON.stringify(content.attributes ?? {}),
      })
      .returning(RETURNED)
      .executeTakeFirstOrThrow() as Promise<ReferenceRow>;
  }

  find(id: string, owner: string): Promise<ReferenceRow | undefined> {
    return this.db.selectFrom('records').select(RETURNED).where('id', '=', id).where('owner', '=', owner).executeTakeFirst() as Promise<
      ReferenceRow | undefined
    >;
  }

  list(owner: string, limit: number): Promise<ReferenceRow[]> {
    return this.db
      .selectFrom('records')
      .select(RETURNED)
      .where('owner', '=', owner)
      .orderBy('records.seq', 'desc')
      .limit(limit + 1)
      .execute() as Promise<ReferenceRow[]>;
  }

  /** Oldest first after `afterSeq`: one keyset page of an export. */
  exportBatch(owner: string, afterSeq: string | undefined, limit: number): Promise<ReferenceRow[]> {
    return this.db
      .selectFrom('records')
      .select(RETURNED)
      .where('owner', '=', owner)
      .$if(afterSeq !== undefined, (qb) => qb.where('records.seq', '>', sql<string>`${afterSeq}::bigint`))
      .orderBy('records.seq', 'asc')
      .limit(limit)
      .execute() as Promise<ReferenceRow[]>;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** A row as the API returns it (the service's `data` shape). */
export function toApiRecord(row: ReferenceRow): Record<string, unknown> {
  return {
    id: row.id,
    key: row.key,
    nested: row.nested,
    tags: row.tags,
    attributes: row.attributes,
    owner: row.owner,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
