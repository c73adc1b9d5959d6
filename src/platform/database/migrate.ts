import { type Kysely, sql } from 'kysely';
import { type MigrationResult, Migrator } from 'kysely/migration';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Brings the schema to the latest migration. On PostgreSQL Kysely holds an advisory lock while
 * it runs, so replicas starting together apply each migration once.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResult[]> {
  // Kysely looks for its bookkeeping tables in any schema unless told which: another
  // application's (or test suite's) schema on the same server would be taken for ours.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema: rows[0].schema,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    const name = failed ? ` ${failed.migrationName}` : '';
    throw new Error(`Database migration${name} failed: ${reason}`, { cause: error });
  }
  return results;
}
