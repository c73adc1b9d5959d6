import { type Kysely, sql } from 'kysely';
import { DEFAULT_MIGRATION_TABLE, type MigrationResult, Migrator } from 'kysely/migration';
import { MIGRATIONS } from './migrations/index.js';

const INTROSPECTION_RETRIES = 3;

/**
 * Kysely's Migrator looks for its tables with a catalog query over every schema of the server;
 * another schema dropped while that query runs (another application's, a test suite's) fails
 * it with 3F000 naming that schema. Nothing was applied then: the attempt is repeated.
 */
export function anotherSchemaVanished(error: unknown, ours: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && !message.includes(`"${ours}"`);
}

/**
 * Brings the schema to the latest migration. On PostgreSQL Kysely holds an advisory lock while
 * it runs, so replicas starting together apply each migration once.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResult[]> {
  // Kysely looks for its bookkeeping tables in any schema unless told which: another
  // application's (or test suite's) schema on the same server would be taken for ours.
  const { rows } = await sql<{ schema: string; tracked: boolean }>`
    select current_schema() as schema,
      to_regclass(quote_ident(current_schema()) || '.' || ${DEFAULT_MIGRATION_TABLE}) is not null as tracked`.execute(db);
  const { schema, tracked } = rows[0];
  if (tracked && (await upToDate(db, schema))) return [];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema: schema,
  });
  let { error, results = [] } = await migrator.migrateToLatest();
  for (let retry = 1; error && retry <= INTROSPECTION_RETRIES && anotherSchemaVanished(error, schema); retry++) {
    ({ error, results = [] } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    const name = failed ? ` ${failed.migrationName}` : '';
    throw new Error(`Database migration${name} failed: ${reason}`, { cause: error });
  }
  return results;
}

/**
 * Every migration was applied, in order: on a start with nothing pending, one read replaces the
 * Migrator's catalog introspection, lock and transaction. Anything else (pending, unknown or
 * reordered migrations) is left to the Migrator, which applies or reports it as before.
 */
async function upToDate(db: Kysely<unknown>, schema: string): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`
    select name from ${sql.table(`${schema}.${DEFAULT_MIGRATION_TABLE}`)} order by timestamp, name`.execute(db);
  const expected = Object.keys(MIGRATIONS).sort();
  return rows.length === expected.length && rows.every((row, i) => row.name === expected[i]);
}
