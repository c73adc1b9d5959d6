import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { databaseConfig, type DatabaseConfig } from '../../config/index.js';
import { createDatabase, databaseBackend } from './create-database.js';
import { DATABASE } from './database.tokens.js';
import { migrateToLatest } from './migrate.js';

/** The shared Kysely instance, migrated to the latest schema before the app serves. */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [databaseConfig.KEY],
      useFactory: async (config: DatabaseConfig): Promise<Kysely<unknown>> => {
        const db = createDatabase<unknown>(config);
        try {
          const applied = await migrateToLatest(db);
          if (applied.length > 0) {
            new Logger('Database').log(`Applied migrations: ${applied.map((m) => m.migrationName).join(', ')}`);
          }
        } catch (error) {
          await db.destroy();
          throw error;
        }
        new Logger('Database').log(`Using ${databaseBackend(config) === 'postgres' ? 'PostgreSQL' : `PGlite at ${config.dataDir}`}`);
        return db;
      },
    },
  ],
  exports: [DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Kysely<unknown>) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
