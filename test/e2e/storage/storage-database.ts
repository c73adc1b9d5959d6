import { type Kysely, sql } from 'kysely';
import { Client } from 'pg';
import { createDatabase } from '../../../src/platform/database/create-database.js';
import { requireTestDatabaseUrl, type TestBackend } from '../../setup/backends.js';
import { createIsolatedSchema } from '../../setup/isolated-schema.js';

export interface StorageDatabase<T> {
  db: Kysely<T>;
  /** Destroys the pool (or the PGlite instance) and drops the PostgreSQL schema. */
  close(): Promise<void>;
}

// Kysely's Migrator looks for its tables in every schema it can see, so while one storage suite
// has a migrated schema, migrating another one fails (see migrations.e2e-spec.ts, which proves
// it). Until that is fixed, the storage suites take turns on PostgreSQL: a session advisory
// lock, held while this file has a schema open, serializes them across Jest workers.
const STORAGE_SUITES_LOCK = 0x5354_4f52;
let lockClient: Client | undefined;
let openSchemas = 0;

async function acquireSuiteLock(): Promise<void> {
  if (openSchemas++ > 0) return;
  const client = new Client({ connectionString: requireTestDatabaseUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  await client.query('select pg_advisory_lock($1)', [STORAGE_SUITES_LOCK]);
  lockClient = client;
}

async function releaseSuiteLock(): Promise<void> {
  if (--openSchemas > 0) return;
  await lockClient?.end();
  lockClient = undefined;
}

/** An empty, unmigrated database: in-memory PGlite, or a schema of its own on TEST_DATABASE_URL. */
export async function openStorageDatabase<T>(backend: TestBackend): Promise<StorageDatabase<T>> {
  if (backend === 'pglite') {
    const db = createDatabase<T>({ url: undefined, dataDir: 'memory://' });
    return { db, close: () => db.destroy() };
  }
  await acquireSuiteLock();
  const schema = await createIsolatedSchema();
  const db = createDatabase<T>({ url: schema.url, dataDir: 'memory://' });
  return {
    db,
    close: async () => {
      try {
        await db.destroy();
        await schema.drop();
      } finally {
        await releaseSuiteLock();
      }
    },
  };
}

/**
 * Waits until the database clock is past `instant` by more than the 1 ms the timestamp(3)
 * columns keep, so a write made afterwards gets a different timestamp.
 */
export async function waitForDatabaseClockPast(db: Kysely<unknown>, instant: Date): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
    if (new Date(rows[0].now).getTime() > instant.getTime() + 2) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
