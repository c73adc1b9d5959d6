import { type ConfigType, registerAs } from '@nestjs/config';
import { readString, readUrl } from './env.reader.js';

export const databaseConfig = registerAs('database', () => {
  const env = process.env;
  const url = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  return {
    /** PostgreSQL when set; otherwise the embedded PGlite database under `dataDir`. */
    url: url?.href,
    dataDir: readString(env, 'DATA_DIR', './data'),
  };
});

export type DatabaseConfig = ConfigType<typeof databaseConfig>;
