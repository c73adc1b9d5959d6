import { performance } from 'node:perf_hooks';
import { ServiceUnavailableError } from '../../../src/client/index.js';
import { testDatabaseProxy } from '../../helpers/tcp-proxy.js';
import { describeWithPostgres } from '../../setup/backends.js';
import { uniqueSub, useClientSuite } from './client-app.js';

// The app's own 503 SERVICE_UNAVAILABLE (Retry-After: 1) while PostgreSQL is away: the client
// waits it out, and a create retried across the outage still makes exactly one record.
describeWithPostgres('DataApiClient across a database outage (real server, PostgreSQL behind a proxy)', () => {
  const proxy = testDatabaseProxy();
  beforeAll(() => proxy.start());
  const suite = useClientSuite({
    backend: 'postgres',
    databaseUrl: (url) => proxy.rewrite(url),
    database: { connectTimeoutMs: 1_000, queryTimeoutMs: 1_000 },
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('retries a create through a short outage: one record, created after Retry-After', async () => {
    const sub = uniqueSub('outage');
    const client = suite.client({ as: { sub } });
    await proxy.stop();
    const restart = setTimeout(() => void proxy.start(), 300);
    const started = performance.now();
    try {
      const record = await client.createRecord({ key: 'through-the-outage' });
      expect(record.key).toBe('through-the-outage');
      expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    } finally {
      clearTimeout(restart);
      await proxy.start().catch(() => undefined);
    }
    expect((await client.listRecords()).data.map((r) => r.key)).toEqual(['through-the-outage']);
  });

  it('gives up with ServiceUnavailableError after 1 + retries attempts when the outage lasts', async () => {
    const client = suite.client({ as: { sub: uniqueSub('down') }, retries: 2 });
    await proxy.stop();
    const started = performance.now();
    try {
      const error = await client.createRecord({ key: 'never' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', attempts: 3, retryAfterMs: 1000 });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(2 * 990);
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await proxy.start();
    }
  });
});
