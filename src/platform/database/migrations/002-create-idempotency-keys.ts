import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    // Keys are scoped per owner: two callers may pick the same key independently.
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    // Which attempt holds the row: completing or releasing is conditional on it, so a request
    // whose lease ran out cannot overwrite the attempt that took the key over.
    .addColumn('claim_id', 'uuid', (col) => col.notNull())
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('in_flight', 'completed')`))
    .addColumn('status', 'integer')
    .addColumn('headers', 'json')
    // bytea: the response body exactly as it was sent.
    .addColumn('body', 'bytea')
    // In flight: the end of the lease; completed: the end of IDEMPOTENCY_TTL_S.
    .addColumn('expires_at', sql`timestamptz(3)`, (col) => col.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['owner', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_at').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
