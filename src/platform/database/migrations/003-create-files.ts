import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    // Also the file's name on disk, under UPLOAD_DIR.
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    // Insertion order for "newest first" and cursors, as for records.
    .addColumn('seq', 'bigserial', (col) => col.notNull().unique())
    .addColumn('owner', 'text', (col) => col.notNull())
    // The sanitized client name, for Content-Disposition only.
    .addColumn('filename', 'text', (col) => col.notNull())
    .addColumn('content_type', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull().check(sql`size >= 0`))
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('files_owner_seq').on('files').columns(['owner', 'seq desc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('files').execute();
}
