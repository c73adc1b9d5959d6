import type { Migration } from 'kysely/migration';
import * as createRecords from './001-create-records.js';
import * as createIdempotencyKeys from './002-create-idempotency-keys.js';
import * as createFiles from './003-create-files.js';

/**
 * Every migration, in order. Listed in code rather than read from a folder so the same set
 * runs from `dist/`, from tests and from `npm run migrate`. Append only; never edit a shipped one.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001-create-records': createRecords,
  '002-create-idempotency-keys': createIdempotencyKeys,
  '003-create-files': createFiles,
};
