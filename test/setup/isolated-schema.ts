import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { requireTestDatabaseUrl } from './backends.js';

export interface IsolatedSchema {
  /** TEST_DATABASE_URL with `search_path` set to a schema of this suite's own. */
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh schema on the test PostgreSQL, so suites running in parallel never see each other's
 * rows or migrations. An unreachable server fails the suite: it never passes silently.
 */
export async function createIsolatedSchema(): Promise<IsolatedSchema> {
  const base = requireTestDatabaseUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withClient(base, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.href,
    drop: () => withClient(base, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}
