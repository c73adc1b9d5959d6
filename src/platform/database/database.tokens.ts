import { Inject } from '@nestjs/common';

export const DATABASE = Symbol('data-api:database');

/**
 * Injects the shared `Kysely` instance. Each module types it with its own tables:
 * `@InjectDatabase() db: Kysely<DataTables>`.
 */
export const InjectDatabase = () => Inject(DATABASE);
