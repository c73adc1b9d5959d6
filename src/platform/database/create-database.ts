import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { type DatabaseConfig, ensureDirectory, IN_MEMORY_DATA_DIR } from '../../config/index.js';
import { pgliteOptions, useBaselineWasmCompiler } from './pglite-runtime.js';

export type DatabaseBackend = 'postgres' | 'pglite';

const logger = new Logger('Database');

export { IN_MEMORY_DATA_DIR };

/** `DATA_DIR` holds more than the database (uploads land there later): PGlite gets a subfolder. */
function pgliteDataDir(dataDir: string): string {
  if (dataDir === IN_MEMORY_DATA_DIR) return dataDir;
  const dir = join(dataDir, 'pgdata');
  ensureDirectory('DATA_DIR', dir);
  return dir;
}

export function databaseBackend(config: Pick<DatabaseConfig, 'url'>): DatabaseBackend {
  return config.url ? 'postgres' : 'pglite';
}

/**
 * One SQL dialect everywhere: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the
 * same PostgreSQL compiled to WASM (PGlite), embedded and persisted under DATA_DIR.
 */
export function createDatabase<T>(config: DatabaseConfig): Kysely<T> {
  if (config.url) {
    const pool = new Pool({
      connectionString: config.url,
      max: 10,
      connectionTimeoutMillis: config.connectTimeoutMs,
      // Client-side: a server that stopped answering cannot enforce statement_timeout.
      query_timeout: config.queryTimeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // A connection the server drops (restart, failover, network) emits 'error' on its client,
    // and an 'error' event nobody listens to crashes the process. The pool listens only while
    // a client is idle, so every client gets a listener of its own for the time it is checked
    // out: the query running on it has already failed with the same error (a 503), and the
    // pool discards the broken client when it is released.
    pool.on('error', (error) => logger.warn(`Idle PostgreSQL connection lost: ${error.message}`));
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
  }
  useBaselineWasmCompiler();
  return new Kysely<T>({ dialect: new PGliteDialect({ pglite: () => new PGlite(pgliteDataDir(config.dataDir), pgliteOptions()) }) });
}
