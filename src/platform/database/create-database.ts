import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { DatabaseConfig } from '../../config/index.js';

export type DatabaseBackend = 'postgres' | 'pglite';

export const IN_MEMORY_DATA_DIR = 'memory://';

/** `DATA_DIR` holds more than the database (uploads land there later): PGlite gets a subfolder. */
function pgliteDataDir(dataDir: string): string {
  if (dataDir === IN_MEMORY_DATA_DIR) return dataDir;
  const dir = join(dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function databaseBackend(config: DatabaseConfig): DatabaseBackend {
  return config.url ? 'postgres' : 'pglite';
}

/**
 * One SQL dialect everywhere: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the
 * same PostgreSQL compiled to WASM (PGlite), embedded and persisted under DATA_DIR.
 */
export function createDatabase<T>(config: DatabaseConfig): Kysely<T> {
  if (config.url) {
    return new Kysely<T>({
      dialect: new PostgresDialect({
        pool: new Pool({
          connectionString: config.url,
          max: 10,
          connectionTimeoutMillis: 5_000,
          idleTimeoutMillis: 30_000,
        }),
      }),
    });
  }
  return new Kysely<T>({ dialect: new PGliteDialect({ pglite: () => new PGlite(pgliteDataDir(config.dataDir)) }) });
}
