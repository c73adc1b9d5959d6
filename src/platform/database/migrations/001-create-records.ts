import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('records')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    // Insertion order for "newest first" and cursors: timestamps tie within a millisecond.
    .addColumn('seq', 'bigserial', (col) => col.notNull().unique())
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    // `json`, not `jsonb`: it keeps the text we serialized, key order included (jsonb would
    // reorder keys by length), so accepted values read back exactly as returned on create.
    .addColumn('nested', 'json')
    .addColumn('tags', 'json', (col) => col.notNull().defaultTo(sql`'[]'::json`))
    .addColumn('attributes', 'json', (col) => col.notNull().defaultTo(sql`'{}'::json`))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('records_owner_seq').on('records').columns(['owner', 'seq desc']).execute();
  await db.schema.createIndex('records_owner_key_seq').on('records').columns(['owner', 'key', 'seq desc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('records').execute();
}
