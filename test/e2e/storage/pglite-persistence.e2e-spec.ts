import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { DataRepository } from '../../../src/modules/data/data.repository.js';
import type { DataTables } from '../../../src/modules/data/data.tables.js';
import { createDatabase } from '../../../src/platform/database/create-database.js';
import { migrateToLatest } from '../../../src/platform/database/migrate.js';
import { MIGRATIONS } from '../../../src/platform/database/migrations/index.js';
import { testDatabaseConfig } from '../../setup/backends.js';

describe('PGlite on disk', () => {
  let dataDir: string;
  const open: Kysely<DataTables>[] = [];

  function openDatabase(): Kysely<DataTables> {
    const db = createDatabase<DataTables>(testDatabaseConfig(undefined, { dataDir }));
    open.push(db);
    return db;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'data-api-pglite-'));
  });
  afterAll(async () => {
    for (const db of open) await db.destroy().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps records and migrations across a restart, under DATA_DIR/pgdata', async () => {
    const id = randomUUID();
    const first = openDatabase();
    expect(await migrateToLatest(first as Kysely<unknown>)).toHaveLength(Object.keys(MIGRATIONS).length);
    const written = await new DataRepository(first).insert(id, 'alice', {
      key: 'persisted 😀',
      nested: { field1: 7, field2: 'x' },
      tags: ['t'],
      attributes: { b: 1, a: 2.5 },
    });
    await first.destroy();
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);

    const second = openDatabase();
    expect(await migrateToLatest(second as Kysely<unknown>)).toEqual([]);
    const found = await new DataRepository(second).find(id, { owner: 'alice' });
    expect(found).toEqual(written);
    expect(Object.keys(found!.attributes)).toEqual(['b', 'a']);
    await second.destroy();
  }, 180_000); // PGlite's first start on disk runs initdb, which takes tens of seconds on a busy machine
});
