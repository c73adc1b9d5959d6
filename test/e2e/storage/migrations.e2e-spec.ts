import { type Kysely, sql } from 'kysely';
import { migrateToLatest } from '../../../src/platform/database/migrate.js';
import { MIGRATIONS } from '../../../src/platform/database/migrations/index.js';
import { testBackends } from '../../setup/backends.js';
import { openStorageDatabase, type StorageDatabase } from './storage-database.js';

// Waiting for the other storage suite to release PostgreSQL counts against these timeouts.
const TIMEOUT_MS = 120_000;

describe.each(testBackends())('migrations (%s)', (backend) => {
  const open = new Set<StorageDatabase<unknown>>();

  /** Runs `work` on fresh databases, closed (and their schemas dropped) when it ends. */
  async function withFreshDatabases(count: number, work: (...dbs: Kysely<unknown>[]) => Promise<void>): Promise<void> {
    const databases: StorageDatabase<unknown>[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const database = await openStorageDatabase<unknown>(backend);
        open.add(database);
        databases.push(database);
      }
      await work(...databases.map((database) => database.db));
    } finally {
      for (const database of databases.reverse()) {
        open.delete(database);
        await database.close();
      }
    }
  }
  afterAll(async () => {
    for (const database of open) await database.close();
  });

  it('applies every migration once: a second run applies nothing', () =>
    withFreshDatabases(1, async (db) => {
      expect(await migrateToLatest(db)).toEqual(Object.keys(MIGRATIONS).map((migrationName) => ({ migrationName, direction: 'Up', status: 'Success' })));
      expect(await migrateToLatest(db)).toEqual([]);
    }), TIMEOUT_MS);

  it('creates the records table with json (not jsonb) columns and the list indexes', () =>
    withFreshDatabases(1, async (db) => {
      await migrateToLatest(db);
      const { rows: columns } = await sql<{ column_name: string; data_type: string; is_nullable: string }>`
        select column_name, data_type, is_nullable from information_schema.columns
        where table_name = 'records' and table_schema = current_schema() order by ordinal_position`.execute(db);
      expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
        ['id', 'uuid', 'NO'],
        ['seq', 'bigint', 'NO'],
        ['owner', 'text', 'NO'],
        ['key', 'text', 'NO'],
        ['nested', 'json', 'YES'],
        ['tags', 'json', 'NO'],
        ['attributes', 'json', 'NO'],
        ['version', 'integer', 'NO'],
        ['created_at', 'timestamp with time zone', 'NO'],
        ['updated_at', 'timestamp with time zone', 'NO'],
      ]);
      const { rows: indexes } = await sql<{ indexname: string }>`
        select indexname from pg_indexes where tablename = 'records' and schemaname = current_schema()`.execute(db);
      expect(indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(['records_owner_key_seq', 'records_owner_seq']));
    }), TIMEOUT_MS);

  it('applies each migration once when two runs start together', () =>
    withFreshDatabases(1, async (db) => {
      const [a, b] = await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
      expect([...a, ...b].map((result) => result.migrationName)).toEqual(Object.keys(MIGRATIONS));
    }), TIMEOUT_MS);

  it('names the migration that failed', () =>
    withFreshDatabases(1, async (db) => {
      await sql`create table records (id int)`.execute(db);
      await expect(migrateToLatest(db)).rejects.toThrow(/^Database migration 001-create-records failed: .*records/);
    }), TIMEOUT_MS);

  // On PostgreSQL each database is a schema of the same server (createIsolatedSchema), as for
  // suites running in parallel, or two services sharing one server with a schema each.
  it('migrates a database while another one on the same server is already migrated', () =>
    withFreshDatabases(2, async (first, second) => {
      await migrateToLatest(first);
      expect(await migrateToLatest(second)).toEqual(Object.keys(MIGRATIONS).map((migrationName) => ({ migrationName, direction: 'Up', status: 'Success' })));
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from records`.execute(second);
      expect(rows[0].n).toBe(0);
    }), TIMEOUT_MS);
});
