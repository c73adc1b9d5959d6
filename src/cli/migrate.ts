/** `npm run migrate`: applies pending migrations to the configured database, then exits. */
import { databaseConfig } from '../config/index.js';
import { loadEnvFile } from '../config/load-env-file.js';
import { createDatabase } from '../platform/database/create-database.js';
import { migrateToLatest } from '../platform/database/migrate.js';

async function main(): Promise<void> {
  loadEnvFile();
  const db = createDatabase<unknown>(databaseConfig());
  try {
    const results = await migrateToLatest(db);
    process.stdout.write(results.length ? `applied: ${results.map((r) => r.migrationName).join(', ')}\n` : 'up to date\n');
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
