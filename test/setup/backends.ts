/**
 * Storage backends the storage and e2e suites run against: embedded PGlite always, and the
 * PostgreSQL at TEST_DATABASE_URL when set (CI sets it, so both are proven on every run).
 */
export type TestBackend = 'pglite' | 'postgres';

export function testBackends(): TestBackend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function requireTestDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}
