import { type Kysely, sql } from 'kysely';
import { createDatabase } from '../../../src/platform/database/create-database.js';
import { type TestBackend, testDatabaseConfig } from '../../setup/backends.js';
import { createIsolatedSchema } from '../../setup/isolated-schema.js';

export interface StorageDatabase<T> {
  db: Kysely<T>;
  /** Destroys the pool (or the PGlite instance) and drops the PostgreSQL schema. */
  close(): Promise<void>;
}

/** An empty, unmigrated database: in-memory PGlite, or a schema of its own on TEST_DATABASE_URL. */
export async function openStorageDatabase<T>(backend: TestBackend): Promise<StorageDatabase<T>> {
  if (backend === 'pglite') {
    const db = createDatabase<T>(testDatabaseConfig());
    return { db, close: () => db.destroy() };
  }
  const schema = await createIsolatedSchema();
  const db = createDatabase<T>(testDatabaseConfig(schema.url));
  return {
    db,
    close: async () => {
      await db.destroy();
      await schema.drop();
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
