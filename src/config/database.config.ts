import { type ConfigType, registerAs } from '@nestjs/config';
import { readString, readUrl } from './env.reader.js';

export const databaseConfig = registerAs('database', () => {
  const env = process.env;
  const url = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  return {
    /** PostgreSQL when set; otherwise the embedded PGlite database under `dataDir`. */
    url: url?.href,
    dataDir: readString(env, 'DATA_DIR', './data'),
    /** Bounds on a PostgreSQL that is down or hangs: a request fails with 503, never waits forever. */
    connectTimeoutMs: 5_000,
    queryTimeoutMs: 10_000,
  };
});

export type DatabaseConfig = ConfigType<typeof databaseConfig>;
