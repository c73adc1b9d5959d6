import type { DatabaseConfig } from '../../src/config/index.js';

/**
 * Storage backends the storage and e2e suites run against: embedded PGlite always, and the
 * PostgreSQL at TEST_DATABASE_URL when set (CI sets it, so both are proven on every run).
 */
export type TestBackend = 'pglite' | 'postgres';

export function testBackends(): TestBackend[] {
  if (process.env.CI && !process.env.TEST_DATABASE_URL) {
    // CI must prove both backends: a missing server is a failure, never a silent skip.
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL suites cannot run');
  }
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * `describe` for suites that need the real PostgreSQL (fault injection, not just a second
 * backend): skipped on a machine without TEST_DATABASE_URL, a failure in CI.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (process.env.CI) requireTestDatabaseUrl();
  (process.env.TEST_DATABASE_URL ? describe : describe.skip)(name, body);
}

/** Database config for tests: in-memory PGlite, or the given PostgreSQL URL, short timeouts. */
export function testDatabaseConfig(url?: string, overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  return { url, dataDir: 'memory://', connectTimeoutMs: 2_000, queryTimeoutMs: 2_000, ...overrides };
}

export function requireTestDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/**
 * Cache stores the cache suites run against: in-process memory always, and the Redis at
 * TEST_REDIS_URL when set (CI sets it, so both are proven on every run).
 */
export type CacheStore = 'memory' | 'redis';

export function cacheStores(): CacheStore[] {
  if (process.env.CI && !process.env.TEST_REDIS_URL) {
    throw new Error('CI is set but TEST_REDIS_URL is not: the Redis cache suites cannot run');
  }
  return process.env.TEST_REDIS_URL ? ['memory', 'redis'] : ['memory'];
}

/** The `sharedState.redisUrl` of a cache store: undefined for memory. */
export function cacheStoreUrl(store: CacheStore): string | undefined {
  return store === 'redis' ? requireTestRedisUrl() : undefined;
}

export function requireTestRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set');
  return url;
}
