import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { createIsolatedSchema, type IsolatedSchema } from '../setup/isolated-schema.js';
import type { BenchSettings } from './bench-settings.js';

export type BackendId = 'embedded' | 'postgres';

export const BACKEND_TITLES: Record<BackendId, string> = {
  embedded: 'embedded (PGlite + memory cache)',
  postgres: 'PostgreSQL + Redis',
};

/** Storage environment of the app and of the reference for one backend, and its cleanup. */
export interface BackendStorage {
  id: BackendId;
  app: Record<string, string>;
  reference: Record<string, string>;
  /** A fresh app storage for the cold-start runs (its first start creates it). */
  coldStart(): Promise<Record<string, string>>;
  dispose(): Promise<void>;
}

/** Deletes every Redis key of this run (its callers' subjects and the reference's prefix carry the run id). */
async function deleteRunKeys(redisUrl: string, runId: string): Promise<void> {
  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `*${runId}*`, COUNT: 500 })) if (keys.length > 0) await client.del(keys);
  } finally {
    client.destroy();
  }
}

async function pingRedis(redisUrl: string): Promise<void> {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  client.destroy();
}

export async function openBackend(id: BackendId, settings: BenchSettings, workDir: string, runId: string): Promise<BackendStorage> {
  if (id === 'embedded') {
    await mkdir(join(workDir, 'reference-data'), { recursive: true });
    return {
      id,
      // The data directory the cold-start runs created (they run first): the app under load is a
      // restarted replica, and its peak RSS is that of serving, not of creating the storage
      // (the first start is reported in the cold-start table).
      app: { DATA_DIR: join(workDir, 'cold-start-data') },
      reference: { DATA_DIR: join(workDir, 'reference-data', 'pgdata') },
      coldStart: async () => ({ DATA_DIR: join(workDir, 'cold-start-data') }),
      dispose: async () => undefined,
    };
  }
  // The isolated-schema helper of the test suites reads the server from TEST_DATABASE_URL.
  process.env.TEST_DATABASE_URL = settings.databaseUrl;
  await pingRedis(settings.redisUrl);
  const schemas: IsolatedSchema[] = [];
  const schema = async () => {
    const created = await createIsolatedSchema();
    schemas.push(created);
    return created.url;
  };
  const shared = { REDIS_URL: settings.redisUrl };
  const dispose = async () => {
    for (const created of schemas) await created.drop();
    await deleteRunKeys(settings.redisUrl, runId);
  };
  try {
    return {
      id,
      app: { DATABASE_URL: await schema(), ...shared },
      reference: { DATABASE_URL: await schema(), ...shared, CACHE_PREFIX: `bench-${runId}-reference:` },
      coldStart: async () => ({ DATABASE_URL: await schema(), ...shared }),
      dispose,
    };
  } catch (error) {
    await dispose().catch(() => undefined);
    throw error;
  }
}
