import { type ConfigType, registerAs } from '@nestjs/config';
import { checkDirectory } from './ensure-directory.js';
import { readString, readUrl } from './env.reader.js';

/** DATA_DIR value that keeps the embedded database in memory (tests, throwaway runs). */
export const IN_MEMORY_DATA_DIR = 'memory://';

export const databaseConfig = registerAs('database', () => {
  const env = process.env;
  const url = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = readString(env, 'DATA_DIR', './data');
  // Only the embedded database lives there: with PostgreSQL, DATA_DIR is not used.
  if (url === undefined && dataDir !== IN_MEMORY_DATA_DIR) checkDirectory('DATA_DIR', dataDir);
  return {
    /** PostgreSQL when set; otherwise the embedded PGlite database under `dataDir`. */
    url: url?.href,
    dataDir,
    /** Bounds on a PostgreSQL that is down or hangs: a request fails with 503, never waits forever. */
    connectTimeoutMs: 5_000,
    queryTimeoutMs: 10_000,
  };
});

export type DatabaseConfig = ConfigType<typeof databaseConfig>;
